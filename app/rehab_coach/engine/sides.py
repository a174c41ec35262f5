"""Which side of the body to measure, and the bare measure values that rules read."""

from __future__ import annotations

import numpy as np

from rehab_coach.engine.measures import MeasurePlan
from rehab_coach.engine.templates import Template


class SideChooser:
    """For `auto`, follows the better-seen side, switching only when the other side is clearly
    better for a while (a side view must not flip between legs on one noisy frame)."""

    def __init__(self, template: Template, plan: MeasurePlan, margin: float = 0.15, hold_seconds: float = 0.5) -> None:
        self.mode = template.side
        self.margin, self.hold_seconds = margin, hold_seconds
        primary = template.primary.measure
        sided = template.measures[primary].sided
        self.joints = {
            side: plan.joints_of(f"{primary}_{side}") if sided else plan.joints_of(primary)
            for side in ("left", "right")
        }
        self.current: str = "left" if self.mode in ("auto", "both", "alternating") else self.mode
        self._better_since: float | None = None

    def visibility(self, confidence: np.ndarray) -> dict[str, float]:
        conf = np.concatenate([confidence, np.zeros(3)])  # midpoints carry no confidence of their own
        return {side: float(conf[idx].mean()) for side, idx in self.joints.items()}

    def update(self, confidence: np.ndarray, t: float, between_reps: bool = True) -> str:
        """The side to measure. A better-seen side takes over only between reps (a rep is measured
        on one limb from start to end), unless the followed side has vanished altogether."""
        if self.mode in ("left", "right"):
            return self.mode
        if self.mode != "auto":
            return self.mode
        seen = self.visibility(confidence)
        other = "right" if self.current == "left" else "left"
        if not between_reps and seen[self.current] >= 0.05:
            self._better_since = None
            return self.current
        if seen[other] > seen[self.current] + self.margin:
            self._better_since = t if self._better_since is None else self._better_since
            if t - self._better_since >= self.hold_seconds or seen[self.current] < 0.05:
                self.current, self._better_since = other, None
        else:
            self._better_since = None
        return self.current


def bare_values(plan: MeasurePlan, values: np.ndarray, side: str) -> dict[str, float]:
    """Measure name -> value, with bare names resolved: one side, or the mean for `both`."""
    out = dict(zip(plan.names, values.tolist(), strict=True))
    for base in dict.fromkeys(plan.base):
        left, right = out.get(f"{base}_left"), out.get(f"{base}_right")
        if left is None or right is None:
            continue
        out[f"{base}_asym"] = abs(left - right)
        if side in ("both", "alternating"):
            pair = np.array([left, right])
            out[base] = float(np.nanmean(pair)) if np.isfinite(pair).any() else float("nan")
        else:
            out[base] = left if side == "left" else right
    return out
