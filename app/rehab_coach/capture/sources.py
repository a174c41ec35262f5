"""Where frames come from: a camera, a video file, or a recorded keypoint stream.

Every source yields (its own time in seconds, a BGR image or ready keypoints) and is opened
from one `SourceSpec`, so the capture loop treats them alike.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

import numpy as np

from rehab_coach.capture.camera import CameraSource
from rehab_coach.capture.video import VideoSource
from rehab_coach.i18n import N_, _
from rehab_coach.keypoints.stream import KeypointStream
from rehab_coach.keypoints.types import PoseFrame

log = logging.getLogger(__name__)

SourceKind = Literal["camera", "video", "replay"]
KIND_WORDS = {"video": N_("video"), "replay": N_("replay")}  # a file source in words
# What a source yields: its own time in seconds and either a BGR image or ready keypoints.
RawFrame = tuple[float, "np.ndarray | PoseFrame"]


@dataclass(frozen=True)
class SourceSpec:
    kind: SourceKind
    target: int | str | Path  # camera number or device path; file path
    loop: bool = False
    speed: float = 1.0  # file sources only: 2.0 plays twice as fast (demos, tests)
    camera_size: tuple[int, int] = (1280, 720)
    camera_fps: float = 30.0

    @property
    def live(self) -> bool:
        """A camera cannot be paused or paced; files can."""
        return self.kind == "camera"

    def describe(self) -> str:
        """The source in words, in the language set with rehab_coach.i18n.set_language (notices, logs)."""
        if self.kind == "camera":
            return _("camera {0}").format(self.target)
        return f"{_(KIND_WORDS.get(self.kind, self.kind))} {Path(str(self.target)).name}"


class FrameSource(Protocol):
    fps: float

    def read(self) -> RawFrame | None:
        """The next frame, None at the end of a file; raises CameraError when a camera drops out."""

    def close(self) -> None: ...


class CameraFrames:
    """A webcam, newest frame first; its time is the monotonic clock, so a reconnect keeps the real gap.

    The time of a frame is when the camera captured it (the driver's timestamp where it gives
    one), not when it was read: the latency the session reports starts there.
    """

    def __init__(self, spec: SourceSpec) -> None:
        width, height = spec.camera_size
        target = spec.target if isinstance(spec.target, int) else str(spec.target)
        self._camera = CameraSource(target, width, height, spec.camera_fps)
        self.fps = self._camera.fps or spec.camera_fps

    def read(self) -> RawFrame | None:
        _, image = self._camera.read()
        return self._camera.last_captured, image

    def close(self) -> None:
        self._camera.release()


class VideoFrames:
    """A video file, its frames upright and timed by the container (see capture/video.py)."""

    def __init__(self, spec: SourceSpec) -> None:
        self._video = VideoSource(str(spec.target), loop=spec.loop)
        self.fps = self._video.fps
        self._frames = iter(self._video)

    def read(self) -> RawFrame | None:
        frame = next(self._frames, None)
        if frame is None and (damaged := self._video.ended_early_text()):
            log.warning("%s", damaged)
        return frame

    def close(self) -> None:
        _close_frames(self._frames)
        self._frames = iter(())


class ReplayFrames:
    """A keypoint stream file: frames are ready keypoints, painted on a blank canvas."""

    def __init__(self, spec: SourceSpec) -> None:
        self._stream = KeypointStream(str(spec.target))
        self._loop = spec.loop
        self.fps = self._stream.header.fps
        self._frames = self._iterate()

    def _iterate(self):
        while True:
            empty = True
            for frame in self._stream:
                empty = False
                yield frame.t, frame
            if not self._loop or empty:
                return

    def read(self) -> RawFrame | None:
        return next(self._frames, None)

    def close(self) -> None:
        _close_frames(self._frames)
        self._frames = iter(())


def _close_frames(frames: object) -> None:
    # Closing the generator runs its `finally` now, which releases the decoder or the file
    # handle at once rather than whenever the generator is collected: a kiosk opens a source
    # per session, for hours.
    close = getattr(frames, "close", None)
    if close is not None:
        close()


def open_source(spec: SourceSpec) -> FrameSource:
    """Open a source; raises InputError (bad file) or CameraError (no camera)."""
    kinds: dict[str, Callable[[SourceSpec], FrameSource]] = {
        "camera": CameraFrames,
        "video": VideoFrames,
        "replay": ReplayFrames,
    }
    return kinds[spec.kind](spec)
