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

from rehab_coach.keypoints.types import KeyPoints, Person, PoseFrame

# Joints below this confidence do not take part in the keypoint distance.
_MIN_JOINT_CONF = 0.3
# The keypoint distance needs a few shared joints to mean anything.
_MIN_SHARED_JOINTS = 3


@dataclass(frozen=True)
class TrackerConfig:
    reacquire_after_s: float = 1.0
    # A candidate continues the patient when its joints are close enough (or, without joints, its box overlaps).
    min_iou: float = 0.3
    # Mean joint distance / diagonal of the patient's bbox: the patient moves further between frames the
    # longer the gap, so the limit is a speed (this much a second) between a floor and a ceiling.
    max_keypoint_distance: float = 0.15
    max_keypoint_speed: float = 4.5  # the floor over 1/30 s: the same limit as before at 30 fps
    max_keypoint_distance_ceiling: float = 0.6
    # Acquisition score: sqrt(area fraction) - centre_weight * (distance to centre / half diagonal).
    centre_weight: float = 0.5
    # Until `lock()` (the first rep), someone who scores clearly better for this long takes over:
    # a bystander alone in view at the start must not keep the tracker once the patient steps in.
    takeover_margin: float = 0.15
    takeover_after_s: float = 1.0


def has_box(boxes: np.ndarray) -> np.ndarray:
    """(n,) True where an x1, y1, x2, y2 box is finite and not empty: only those people can be followed."""
    return np.isfinite(boxes).all(axis=1) & (boxes[:, 2] > boxes[:, 0]) & (boxes[:, 3] > boxes[:, 1])


def iou(box: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """IoU of one x1, y1, x2, y2 box with each row of `boxes`."""
    lo = np.maximum(box[:2], boxes[:, :2])
    hi = np.minimum(box[2:], boxes[:, 2:])
    inter = np.prod(np.clip(hi - lo, 0, None), axis=1)
    area = np.prod(box[2:] - box[:2])
    areas = np.prod(boxes[:, 2:] - boxes[:, :2], axis=1)
    union = area + areas - inter
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


def keypoint_distance(ref: Person, candidates: KeyPoints) -> np.ndarray:
    """Mean distance of the joints both see, over the reference bbox diagonal; inf when too few are shared."""
    seen = (ref.confidence >= _MIN_JOINT_CONF) & np.isfinite(ref.xy).all(axis=1)
    shared = seen[None, :] & (candidates.confidence >= _MIN_JOINT_CONF) & np.isfinite(candidates.xy).all(axis=2)
    dist = np.linalg.norm(candidates.xy - ref.xy[None], axis=2)
    total = np.where(shared, dist, 0.0).sum(axis=1)
    count = shared.sum(axis=1)
    diagonal = max(float(np.hypot(*(ref.bbox[2:] - ref.bbox[:2]))), 1e-6)
    mean = np.divide(total, count, out=np.full(len(count), np.inf), where=count >= _MIN_SHARED_JOINTS)
    return mean / diagonal


def _frame_geometry(frame: PoseFrame, cands: KeyPoints) -> tuple[np.ndarray, float, float]:
    """Frame centre, half diagonal and area; when the size is unknown, the box around everyone stands in."""
    if frame.width > 0 and frame.height > 0:
        lo, hi = np.zeros(2), np.array([frame.width, frame.height], dtype=np.float64)
    else:
        lo, hi = cands.box[:, :2].min(axis=0), cands.box[:, 2:].max(axis=0)
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
        interval = frame.t - self._prev_t if self._prev_t is not None else 0.0
        self._prev_t = frame.t
        rows = np.flatnonzero(has_box(frame.keypoints.box))  # the frame's people that can be followed
        if not rows.size:
            return None
        cands = frame.keypoints[rows]
        index: int | None
        if self._last is None:
            index = self._acquire(frame, cands)
        else:
            # The patient moves further the longer since they were seen, but only the frames a slow
            # computer dropped widen the search, not time spent out of view (a bystander stays one).
            index = self._follow(cands, min(self._missing_for(frame.t), interval))
            if index is None and self._missing_for(frame.t) >= self.config.reacquire_after_s:
                index = self._nearest_to_last(cands)
            if index is not None and not self.locked:
                index = self._maybe_take_over(frame, cands, index)
        if index is None:
            return None
        self._last, self._last_seen_t = frame.people[int(rows[index])], frame.t
        return self._last

    def _missing_for(self, t: float) -> float:
        return t - self._last_seen_t if self._last_seen_t is not None else float("inf")

    def _scores(self, frame: PoseFrame, cands: KeyPoints) -> np.ndarray:
        centre, half_diag, area = _frame_geometry(frame, cands)
        size = np.sqrt(np.prod(cands.box[:, 2:] - cands.box[:, :2], axis=1) / area)
        off_centre = np.linalg.norm(cands.centers - centre, axis=1) / half_diag
        return size - self.config.centre_weight * off_centre

    def _acquire(self, frame: PoseFrame, cands: KeyPoints) -> int:
        return int(np.argmax(self._scores(frame, cands)))

    def _maybe_take_over(self, frame: PoseFrame, cands: KeyPoints, current: int) -> int:
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

    def allowed_distance(self, gap_s: float) -> float:
        """How far (bbox diagonals) the patient's joints may have moved in `gap_s` seconds."""
        cfg = self.config
        return min(max(cfg.max_keypoint_distance, cfg.max_keypoint_speed * gap_s), cfg.max_keypoint_distance_ceiling)

    def _follow(self, cands: KeyPoints, gap_s: float) -> int | None:
        assert self._last is not None
        cfg = self.config
        # Each criterion scaled so that 1.0 is its threshold. Joints tell people apart even when their
        # boxes overlap (a bystander walking in front), so they decide; IoU only when too few are shared.
        iou_cost = (1.0 - iou(self._last.bbox, cands.box)) / max(1.0 - cfg.min_iou, 1e-6)
        kp_cost = keypoint_distance(self._last, cands) / self.allowed_distance(gap_s)
        cost = np.where(np.isfinite(kp_cost), kp_cost, iou_cost)
        best = int(np.argmin(cost))
        return best if cost[best] <= 1.0 else None

    def _nearest_to_last(self, cands: KeyPoints) -> int:
        assert self._last is not None
        return int(np.argmin(np.linalg.norm(cands.centers - self._last.center, axis=1)))
