"""Which way the patient stands to the camera, read from the body itself.

Shoulder width against torso length: about 0.7 when the patient faces the camera (or turns
their back to it), near 0 side-on, in between when turned part way. Seen from behind, the
left shoulder is on the image's left: the order of the shoulders tells front from rear
(the face's keypoints do not: the model places them either way).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from rehab_coach.keypoints.types import KEYPOINT_INDEX

View = Literal["side", "oblique", "front", "rear", "unknown"]
ViewFit = Literal["ideal", "usable", "wrong", "unknown"]
SIDE_BELOW, FRONT_FROM = 0.3, 0.55  # shoulder width / torso length
WINDOW_SECONDS = 1.5
_LS, _RS, _LH, _RH = (KEYPOINT_INDEX[n] for n in ("left_shoulder", "right_shoulder", "left_hip", "right_hip"))


def width_ratio(xy: np.ndarray) -> tuple[float, float]:
    """Shoulder width over torso length, and the signed shoulder order (+1: the patient's left
    shoulder on the image's right, as when they face the camera); NaN when not seen."""
    shoulders, hips = xy[[_LS, _RS]], xy[[_LH, _RH]]
    torso = float(np.linalg.norm(shoulders.mean(axis=0) - hips.mean(axis=0)))
    width = float(np.linalg.norm(shoulders[0] - shoulders[1]))
    if not (np.isfinite(torso) and np.isfinite(width)) or torso <= 0:
        return float("nan"), float("nan")
    return width / torso, float(np.sign(shoulders[0, 0] - shoulders[1, 0]))


def classify(ratio: float, order: float) -> View:
    if not np.isfinite(ratio):
        return "unknown"
    if ratio < SIDE_BELOW:
        return "side"
    if ratio < FRONT_FROM:
        return "oblique"
    return "rear" if order < 0 else "front"


def fit(wanted: str, seen: View) -> ViewFit:
    """How well the view seen suits an exercise filmed from `wanted` ("side" or "front")."""
    if seen == "unknown":
        return "unknown"
    if seen == "oblique":
        return "usable"
    if wanted == "side":
        return "ideal" if seen == "side" else "wrong"
    return "wrong" if seen == "side" else "ideal"  # a frontal-plane exercise reads the same from behind


@dataclass
class ViewTracker:
    """The view over the last second and a half: the median width and the usual shoulder order,
    so one mislabelled frame or a turn of the head does not change it."""

    samples: deque[tuple[float, float, float]] = field(default_factory=deque)
    seen: dict[View, float] = field(default_factory=dict)  # seconds spent in each view
    current: View = "unknown"
    last_t: float | None = None

    def update(self, xy: np.ndarray | None, t: float) -> View:
        ratio, order = width_ratio(xy) if xy is not None else (float("nan"), float("nan"))
        if np.isfinite(ratio):
            self.samples.append((t, ratio, order))
        while self.samples and t - self.samples[0][0] > WINDOW_SECONDS:
            self.samples.popleft()
        if not self.samples:
            self.current = "unknown"
            return self.current
        ratios = np.array([s[1] for s in self.samples])
        orders = np.array([s[2] for s in self.samples])
        self.current = classify(float(np.median(ratios)), float(np.sign(orders.sum())) or 1.0)
        # Weighted by time, not frames: a slow computer's shares are the same. Gaps count up to 0.5 s.
        step = 1 / 30 if self.last_t is None else min(max(t - self.last_t, 0.0), 0.5)
        self.seen[self.current] = self.seen.get(self.current, 0.0) + step
        self.last_t = t
        return self.current

    def shares(self) -> dict[str, float]:
        total = sum(self.seen.values())
        ranked = sorted(self.seen.items(), key=lambda kv: -kv[1])
        return {view: round(n / total, 3) for view, n in ranked} if total else {}

    def most_seen(self) -> View:
        return max(self.seen, key=lambda view: self.seen[view]) if self.seen else "unknown"
