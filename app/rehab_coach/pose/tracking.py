"""Follow one patient through frames that may contain bystanders.

Acquire: the person scoring best on size and closeness to the frame centre.
Follow: the person whose joints line up with the last known patient's (bbox IoU
when too few joints are seen). A frame where nobody matches reports the patient as missing
(None) instead of grabbing someone else; only after the patient has been missing
for `reacquire_after_s` is another person taken, preferring the one nearest to
where the patient was last seen.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rehab_coach.keypoints.types import Person, PoseFrame

# Joints below this confidence do not take part in the keypoint distance.
_MIN_JOINT_CONF = 0.3
# The keypoint distance needs a few shared joints to mean anything.
_MIN_SHARED_JOINTS = 3


@dataclass(frozen=True)
class TrackerConfig:
    reacquire_after_s: float = 1.0
    # A candidate continues the patient when its joints are close enough (or, without joints, its box overlaps).
    min_iou: float = 0.3
    max_keypoint_distance: float = 0.15  # mean joint distance / diagonal of the patient's bbox
    # Acquisition score: sqrt(area fraction) - centre_weight * (distance to centre / half diagonal).
    centre_weight: float = 0.5
    # Until `lock()` (the first rep), someone who scores clearly better for this long takes over:
    # a bystander alone in view at the start must not keep the tracker once the patient steps in.
    takeover_margin: float = 0.15
    takeover_after_s: float = 1.0


@dataclass(frozen=True)
class _Candidates:
    """The valid people of a frame as stacked arrays."""

    people: list[Person]
    bboxes: np.ndarray  # (N, 4)
    keypoints: np.ndarray  # (N, 17, 3)

    @classmethod
    def of(cls, frame: PoseFrame) -> _Candidates:
        people = [p for p in frame.people if _has_box(p)]
        if not people:
            return cls([], np.zeros((0, 4)), np.zeros((0, 17, 3)))
        return cls(people, np.stack([p.bbox for p in people]), np.stack([p.keypoints for p in people]))

    @property
    def centres(self) -> np.ndarray:
        return (self.bboxes[:, :2] + self.bboxes[:, 2:]) / 2


def _has_box(person: Person) -> bool:
    box = person.bbox
    return bool(np.isfinite(box).all() and box[2] > box[0] and box[3] > box[1])


def iou(box: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """IoU of one x1, y1, x2, y2 box with each row of `boxes`."""
    lo = np.maximum(box[:2], boxes[:, :2])
    hi = np.minimum(box[2:], boxes[:, 2:])
    inter = np.prod(np.clip(hi - lo, 0, None), axis=1)
    area = np.prod(box[2:] - box[:2])
    areas = np.prod(boxes[:, 2:] - boxes[:, :2], axis=1)
    union = area + areas - inter
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


def keypoint_distance(ref: Person, keypoints: np.ndarray) -> np.ndarray:
    """Mean distance of the joints both see, over the reference bbox diagonal; inf when too few are shared."""
    seen = (ref.confidence >= _MIN_JOINT_CONF) & np.isfinite(ref.xy).all(axis=1)
    shared = seen[None, :] & (keypoints[:, :, 2] >= _MIN_JOINT_CONF) & np.isfinite(keypoints[:, :, :2]).all(axis=2)
    dist = np.linalg.norm(keypoints[:, :, :2] - ref.xy[None], axis=2)
    total = np.where(shared, dist, 0.0).sum(axis=1)
    count = shared.sum(axis=1)
    diagonal = max(float(np.hypot(*(ref.bbox[2:] - ref.bbox[:2]))), 1e-6)
    mean = np.divide(total, count, out=np.full(len(count), np.inf), where=count >= _MIN_SHARED_JOINTS)
    return mean / diagonal


def _frame_geometry(frame: PoseFrame, cands: _Candidates) -> tuple[np.ndarray, float, float]:
    """Frame centre, half diagonal and area; when the size is unknown, the box around everyone stands in."""
    if frame.width > 0 and frame.height > 0:
        lo, hi = np.zeros(2), np.array([frame.width, frame.height], dtype=np.float64)
    else:
        lo, hi = cands.bboxes[:, :2].min(axis=0), cands.bboxes[:, 2:].max(axis=0)
    size = np.maximum(hi - lo, 1e-6)
    return (lo + hi) / 2, float(np.hypot(*size)) / 2, float(np.prod(size))


class PatientTracker:
    """`select(frame)` returns the patient in that frame, or None when the patient is not in it."""

    def __init__(self, config: TrackerConfig | None = None) -> None:
        self.config = config or TrackerConfig()
        self.reset()

    def reset(self) -> None:
        self._last: Person | None = None
        self._last_seen_t: float | None = None
        self._prev_t: float | None = None
        self.locked = False
        self._challenger_since: float | None = None

    def lock(self) -> None:
        """The patient is confirmed (e.g. a rep started): from now on only continuity counts."""
        self.locked = True

    @property
    def last_patient(self) -> Person | None:
        return self._last

    def select(self, frame: PoseFrame) -> Person | None:
        if self._prev_t is not None and frame.t < self._prev_t:
            self.reset()  # time went backwards: a new video or a loop, so start over
        self._prev_t = frame.t
        cands = _Candidates.of(frame)
        if not cands.people:
            return None
        index: int | None
        if self._last is None:
            index = self._acquire(frame, cands)
        else:
            index = self._follow(cands)
            if index is None and self._missing_for(frame.t) >= self.config.reacquire_after_s:
                index = self._nearest_to_last(cands)
            if index is not None and not self.locked:
                index = self._maybe_take_over(frame, cands, index)
        if index is None:
            return None
        self._last, self._last_seen_t = cands.people[index], frame.t
        return self._last

    def _missing_for(self, t: float) -> float:
        return t - self._last_seen_t if self._last_seen_t is not None else float("inf")

    def _scores(self, frame: PoseFrame, cands: _Candidates) -> np.ndarray:
        centre, half_diag, area = _frame_geometry(frame, cands)
        size = np.sqrt(np.prod(cands.bboxes[:, 2:] - cands.bboxes[:, :2], axis=1) / area)
        off_centre = np.linalg.norm(cands.centres - centre, axis=1) / half_diag
        return size - self.config.centre_weight * off_centre

    def _acquire(self, frame: PoseFrame, cands: _Candidates) -> int:
        return int(np.argmax(self._scores(frame, cands)))

    def _maybe_take_over(self, frame: PoseFrame, cands: _Candidates, current: int) -> int:
        scores = self._scores(frame, cands)
        best = int(np.argmax(scores))
        if best == current or scores[best] < scores[current] + self.config.takeover_margin:
            self._challenger_since = None
            return current
        self._challenger_since = frame.t if self._challenger_since is None else self._challenger_since
        if frame.t - self._challenger_since < self.config.takeover_after_s:
            return current
        self._challenger_since = None
        return best

    def _follow(self, cands: _Candidates) -> int | None:
        assert self._last is not None
        cfg = self.config
        # Each criterion scaled so that 1.0 is its threshold. Joints tell people apart even when their
        # boxes overlap (a bystander walking in front), so they decide; IoU only when too few are shared.
        iou_cost = (1.0 - iou(self._last.bbox, cands.bboxes)) / max(1.0 - cfg.min_iou, 1e-6)
        kp_cost = keypoint_distance(self._last, cands.keypoints) / cfg.max_keypoint_distance
        cost = np.where(np.isfinite(kp_cost), kp_cost, iou_cost)
        best = int(np.argmin(cost))
        return best if cost[best] <= 1.0 else None

    def _nearest_to_last(self, cands: _Candidates) -> int:
        assert self._last is not None
        return int(np.argmin(np.linalg.norm(cands.centres - self._last.center, axis=1)))
