"""Frames from a video file, with timestamps derived from the frame index.

Timestamps come from index / fps rather than the container's per-frame times:
they are exact, monotonic across loops, and the same on every platform.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from rehab_coach.errors import InputError
from rehab_coach.i18n import _

FALLBACK_FPS = 30.0
# Containers sometimes report nonsense (0, NaN, 90000 = the timebase); treat it as unknown.
_MAX_PLAUSIBLE_FPS = 1000.0


@dataclass(frozen=True)
class VideoInfo:
    width: int
    height: int
    fps: float
    frame_count: int


def container_fps(cap: cv2.VideoCapture) -> float:
    fps = float(cap.get(cv2.CAP_PROP_FPS))
    return fps if math.isfinite(fps) and 0 < fps <= _MAX_PLAUSIBLE_FPS else FALLBACK_FPS


def _open(path: Path) -> cv2.VideoCapture:
    cap = cv2.VideoCapture(str(path))
    if not cap.isOpened():
        cap.release()
        raise InputError(_("{0}: not a video file that OpenCV can read (unknown or corrupt format)").format(path))
    return cap


def _probe(path: Path) -> VideoInfo:
    """Open the file once and decode its first frame, so a bad file fails here and not mid-run."""
    cap = _open(path)
    try:
        ok, frame = cap.read()
        if not ok or frame is None:
            raise InputError(_("{0}: the video contains no decodable frames").format(path))
        # The decoded frame is the truth for the size; container metadata can disagree (rotation, crop).
        height, width = frame.shape[:2]
        count = int(max(0.0, cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0.0))
        return VideoInfo(width=width, height=height, fps=container_fps(cap), frame_count=count)
    finally:
        cap.release()


class VideoSource:
    """Iterate `(t_seconds, frame_bgr)` over a video file; each iteration starts from the beginning.

    `loop` replays the file endlessly (timestamps keep increasing); `max_frames` caps the
    number of frames yielded per iteration, loops included.
    """

    def __init__(self, path: Path | str, *, loop: bool = False, max_frames: int | None = None) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise InputError(_("{0}: no such video file").format(self.path))
        if not self.path.is_file():
            raise InputError(_("{0}: not a file").format(self.path))
        if max_frames is not None and max_frames < 0:
            raise ValueError("max_frames must be >= 0")
        self.loop = loop
        self.max_frames = max_frames
        self.info = _probe(self.path)

    @property
    def width(self) -> int:
        return self.info.width

    @property
    def height(self) -> int:
        return self.info.height

    @property
    def fps(self) -> float:
        return self.info.fps

    @property
    def frame_count(self) -> int:
        """Frames the container claims to hold (0 when it does not say); decoding may yield fewer."""
        return self.info.frame_count

    def _one_pass(self) -> Iterator[np.ndarray]:
        cap = _open(self.path)
        try:
            while True:
                ok, frame = cap.read()
                if not ok or frame is None:
                    return  # end of file, or a damaged tail: stop cleanly rather than fail the run
                yield frame
        finally:
            cap.release()

    def _frames(self) -> Iterator[np.ndarray]:
        while True:
            decoded = 0
            for frame in self._one_pass():
                decoded += 1
                yield frame
            # A pass that decodes nothing would spin forever when looping.
            if not self.loop or decoded == 0:
                return

    def __iter__(self) -> Iterator[tuple[float, np.ndarray]]:
        # islice stops before decoding a frame past the limit.
        frames = itertools.islice(self._frames(), self.max_frames)
        for index, frame in enumerate(frames):
            yield index / self.fps, frame
