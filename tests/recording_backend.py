"""A pose model for tests of what reaches the model: it sees nobody and keeps each frame's time and size."""

from __future__ import annotations

import numpy as np

from rehab_coach.keypoints.types import PoseFrame
from rehab_coach.pose.backend import PoseBackend


class RecordingBackend(PoseBackend):
    name = "recording"

    def __init__(self) -> None:
        self.frames: list[tuple[float, tuple[int, ...]]] = []

    def infer(self, frame_bgr: np.ndarray, t: float) -> PoseFrame:
        self.frames.append((t, frame_bgr.shape))
        return PoseFrame(t, people=[], width=frame_bgr.shape[1], height=frame_bgr.shape[0])
