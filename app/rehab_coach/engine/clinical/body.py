"""What the clinical tests read from one frame of the body: plain numbers, none tied to one view.

`thigh_drop` is how far the knees are below the hips, in torso lengths: about 0 sitting (the thigh
lies level on the seat, seen from the side; pointed at the camera, seen from the front) and 0.7-0.9
standing or walking (the thigh hangs down), whichever way the person stands to the camera. The
torso length it is measured in is the longest of the last `SCALE_SECONDS`, so leaning forward to
stand up (which shortens the torso seen from the front) does not read as standing; a person walking
away from the camera shrinks, and the short window follows them.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np

from rehab_coach.engine.measures import POINT_INDEX, extended_points, joint_angles
from rehab_coach.engine.view import width_ratio

SCALE_SECONDS = 1.5
MIN_SEEN = 0.5  # a joint's confidence for it to count as seen in a check of the hands or feet
HANDS_LOW_AT = 0.85  # of the way from the shoulders down to the hips: a crossed arm's hand is at 0.1-0.5

_LEFT, _RIGHT = "left", "right"


@dataclass(frozen=True)
class BodyReading:
    """One frame as the tests see it. NaN: not measurable in this frame (joints out of view)."""

    t: float
    present: bool  # someone is tracked
    thigh_drop: float  # knees below hips, torso lengths (see the module's docstring)
    knee: float  # interior hip-knee-ankle angle of the better-seen leg, degrees
    hip: float  # interior shoulder-hip-knee angle of the better-seen side, degrees
    hip_x: float  # mid-hip in pixels
    hip_y: float
    scale: float  # the torso length the reading is measured in, pixels
    torso: float  # the torso's length in this frame, pixels
    width_ratio: float  # shoulder width over torso length: ~0 side-on, ~0.7 facing (engine/view.py)
    foot_lift: float  # left ankle below the right one, torso lengths (> 0: the right foot is up)
    hands_low: bool | None  # a hand seen at or below hip height (None: neither hand seen)
    hand_out: float  # the farthest seen hand from the body's midline, torso lengths (NaN: none seen)

    @property
    def standing_share(self) -> float:
        """Thigh drop as a share of a typical standing one (0.8): a rough "how upright", for logs."""
        return self.thigh_drop / 0.8


class ScaleMemory:
    """The longest torso of the last `seconds`: the unit every distance of a reading is in."""

    def __init__(self, seconds: float = SCALE_SECONDS) -> None:
        self.seconds = seconds
        self._seen: deque[tuple[float, float]] = deque()

    def update(self, t: float, torso: float) -> float:
        if math.isfinite(torso) and torso > 0:
            while self._seen and self._seen[-1][1] <= torso:  # a monotone queue: the front is the longest
                self._seen.pop()
            self._seen.append((t, torso))
        while self._seen and t - self._seen[0][0] > self.seconds:
            self._seen.popleft()
        return self._seen[0][1] if self._seen else math.nan


def _p(points: np.ndarray, name: str) -> np.ndarray:
    return points[POINT_INDEX[name]]


def _angle(points: np.ndarray, a: str, b: str, c: str) -> float:
    value = joint_angles(_p(points, a)[None], _p(points, b)[None], _p(points, c)[None])[0]
    return float(value)


def read_body(t: float, xy: np.ndarray | None, confidence: np.ndarray | None, scale_memory: ScaleMemory) -> BodyReading:
    """The reading of one frame from smoothed joints (17, 2; NaN where missing) and their confidence."""
    nan = math.nan
    if xy is None or confidence is None or not np.isfinite(xy).any():
        scale_memory.update(t, nan)
        return BodyReading(t, False, nan, nan, nan, nan, nan, nan, nan, nan, nan, None, nan)
    points = extended_points(xy)
    shoulders, hips = _p(points, "mid_shoulder"), _p(points, "mid_hip")
    torso = float(np.hypot(*(shoulders - hips)))
    scale = scale_memory.update(t, torso)
    drops = []
    for side in (_LEFT, _RIGHT):
        hip, knee = _p(points, f"{side}_hip"), _p(points, f"{side}_knee")
        if np.isfinite(hip).all() and np.isfinite(knee).all():
            drops.append(knee[1] - hip[1])
    thigh_drop = float(np.mean(drops)) / scale if drops and math.isfinite(scale) else nan
    side = _better_side(confidence)
    knee_angle = _angle(points, f"{side}_hip", f"{side}_knee", f"{side}_ankle")
    hip_angle = _angle(points, f"{side}_shoulder", f"{side}_hip", f"{side}_knee")
    ratio, _order = width_ratio(xy)
    left_ankle, right_ankle = _p(points, "left_ankle"), _p(points, "right_ankle")
    lift = (left_ankle[1] - right_ankle[1]) / scale if math.isfinite(scale) else nan
    hands_low, hand_out = _hands(points, confidence, scale)
    return BodyReading(
        t=t,
        present=True,
        thigh_drop=thigh_drop,
        knee=knee_angle,
        hip=hip_angle,
        hip_x=float(hips[0]),
        hip_y=float(hips[1]),
        scale=scale,
        torso=torso,
        width_ratio=ratio,
        foot_lift=float(lift),
        hands_low=hands_low,
        hand_out=hand_out,
    )


def _better_side(confidence: np.ndarray) -> str:
    def seen(side: str) -> float:
        return float(sum(confidence[POINT_INDEX[f"{side}_{j}"]] for j in ("hip", "knee", "ankle")))

    return _LEFT if seen(_LEFT) >= seen(_RIGHT) else _RIGHT


def _hands(points: np.ndarray, confidence: np.ndarray, scale: float) -> tuple[bool | None, float]:
    """Whether a seen hand is down at the hips or lower (on the thighs, on the chair: not crossed on
    the chest), and how far the farthest seen hand is out from the body's midline."""
    shoulder_y, hip = _p(points, "mid_shoulder")[1], _p(points, "mid_hip")
    middles = [x for x in (_p(points, "mid_shoulder")[0], hip[0]) if math.isfinite(x)]
    midline_x = float(np.mean(middles)) if middles else math.nan
    low: list[bool] = []
    out: list[float] = []
    for side in (_LEFT, _RIGHT):
        wrist = _p(points, f"{side}_wrist")
        if confidence[POINT_INDEX[f"{side}_wrist"]] < MIN_SEEN or not np.isfinite(wrist).all():
            continue
        if math.isfinite(shoulder_y) and math.isfinite(hip[1]) and hip[1] > shoulder_y:
            low.append((wrist[1] - shoulder_y) / (hip[1] - shoulder_y) >= HANDS_LOW_AT)
        if math.isfinite(midline_x) and math.isfinite(scale):
            out.append(abs(wrist[0] - midline_x) / scale)
    return (any(low) if low else None), (max(out) if out else math.nan)
