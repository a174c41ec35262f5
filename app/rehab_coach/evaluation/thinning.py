"""Keypoint streams thinned the way a slow computer sees them: fewer frames, same timestamps.

A live session keeps only the newest frame, so a busy machine drops frames, regularly (it runs at
10 fps) or at irregular times (half the frames lost at random). Counting must not depend on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from rehab_coach.keypoints.types import PoseFrame


@dataclass(frozen=True)
class Thinning:
    """One way of dropping frames: at most `fps` frames a second, every `every`-th frame, and/or
    each frame lost with probability `drop` (seeded, so a run can be repeated)."""

    fps: float | None = None
    every: int = 1
    drop: float = 0.0
    seed: int = 0

    def __post_init__(self) -> None:
        if self.fps is not None and self.fps <= 0:
            raise ValueError("fps must be positive")
        if self.every < 1:
            raise ValueError("every must be at least 1")
        if not 0.0 <= self.drop < 1.0:
            raise ValueError("drop must be at least 0 and below 1")

    @property
    def label(self) -> str:
        parts = []
        if self.fps is not None:
            parts.append(f"{self.fps:g} fps")
        if self.every > 1:
            parts.append(f"every {self.every}")
        if self.drop > 0:
            parts.append(f"{self.drop:.0%} dropped")
        return ", ".join(parts) or "every frame"

    def apply(self, frames: Sequence[PoseFrame]) -> list[PoseFrame]:
        kept = list(frames[:: self.every])
        if self.fps is not None:
            kept = _at_most(kept, self.fps)
        if self.drop > 0:
            keep = np.random.default_rng(self.seed).random(len(kept)) >= self.drop
            kept = [frame for frame, k in zip(kept, keep, strict=True) if k]
        return kept


def _at_most(frames: list[PoseFrame], fps: float) -> list[PoseFrame]:
    """The first frame at or after each tick of a `fps` clock: the newest-frame-wins loop of a
    computer that manages `fps` frames a second."""
    period, kept, next_t = 1.0 / fps, [], -np.inf
    for frame in frames:
        if frame.t >= next_t - 1e-9:
            kept.append(frame)
            next_t = max(next_t + period, frame.t + period / 2) if np.isfinite(next_t) else frame.t + period
    return kept
