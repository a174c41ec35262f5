"""Frames from a video file: upright, timed by the container, and a file that ends early said so.

- **Upright.** Phones store the sensor's frames as the sensor sees them and write in the container
  how to turn them for display (a rotation of 90 degrees for a phone held upright). OpenCV leaves the
  frames as stored unless asked (`CAP_PROP_ORIENTATION_AUTO`, off by default in the OpenCV that
  mediapipe brings); the pose model then sees a person lying down. We turn OpenCV's own turning off
  and turn the frames here, from `CAP_PROP_ORIENTATION_META`, so the result is the same whatever the
  OpenCV build does and the report can say what was turned.
- **Timed by the container.** A frame's time is its presentation time in the container
  (`CAP_PROP_POS_MSEC`), so a variable-frame-rate video (phones lower the rate in dim light) keeps
  its real durations. Where the container gives no time for a frame (or one that does not move
  forward), the frame comes one frame interval (1 / fps) after the one before.
- **Ended early.** A file that stops long before the frame count its container lists (a copy cut
  short, a damaged file) is read to where it stops, and `ended_early` says so for the report.
"""

from __future__ import annotations

import itertools
import logging
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from rehab_coach.errors import InputError
from rehab_coach.i18n import _

log = logging.getLogger(__name__)

FALLBACK_FPS = 30.0
# Containers sometimes report nonsense (0, NaN, 90000 = the timebase); treat it as unknown.
_MAX_PLAUSIBLE_FPS = 1000.0
# Clockwise turns that make a stored frame upright, by the container's rotation in degrees.
_TURNS = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
# A file "ends early" when it stops this share of its listed frames and of its length short: a
# container whose count is an estimate (from its length and frame rate) is off by a little only.
_SHORT_SHARE = 0.02
_SHORT_FRAMES = 3


@dataclass(frozen=True)
class VideoInfo:
    width: int  # of the upright frame
    height: int
    fps: float
    frame_count: int  # what the container lists; 0 when it does not say
    rotation: int  # degrees clockwise the stored frames are turned to stand upright: 0, 90, 180 or 270


@dataclass(frozen=True)
class FileEnd:
    """Where a pass through the file stopped: frames decoded and the time of the last one."""

    frames: int
    last_t: float


def container_fps(cap: cv2.VideoCapture) -> float:
    fps = float(cap.get(cv2.CAP_PROP_FPS))
    return fps if math.isfinite(fps) and 0 < fps <= _MAX_PLAUSIBLE_FPS else FALLBACK_FPS


def container_rotation(cap: cv2.VideoCapture) -> int:
    """Degrees clockwise the container says its frames must turn to be shown upright (0 if none).

    Call on a capture opened by `_open`, which has turned OpenCV's own turning off: were it still
    on (a backend that ignores the switch), the frames would already be upright."""
    if cap.get(cv2.CAP_PROP_ORIENTATION_AUTO):
        return 0
    meta = cap.get(cv2.CAP_PROP_ORIENTATION_META)
    degrees = round(meta) % 360 if math.isfinite(meta) else 0
    if degrees and degrees not in _TURNS:
        log.warning("ignoring a display rotation of %s degrees (not a quarter turn)", meta)
        return 0
    return degrees


def upright(frame: np.ndarray, rotation: int) -> np.ndarray:
    """The stored frame turned `rotation` degrees clockwise."""
    return cv2.rotate(frame, _TURNS[rotation]) if rotation else frame


def _open(path: Path) -> cv2.VideoCapture:
    cap = cv2.VideoCapture(str(path))
    if not cap.isOpened():
        cap.release()
        raise InputError(_("{0}: not a video file that OpenCV can read (unknown or corrupt format)").format(path))
    cap.set(cv2.CAP_PROP_ORIENTATION_AUTO, 0)  # we turn the frames (see the module's docstring)
    return cap


def _probe(path: Path) -> VideoInfo:
    """Open the file once and decode its first frame, so a bad file fails here and not mid-run."""
    cap = _open(path)
    try:
        ok, frame = cap.read()
        if not ok or frame is None:
            raise InputError(_("{0}: the video contains no decodable frames").format(path))
        rotation = container_rotation(cap)
        # The decoded frame is the truth for the size; container metadata can disagree (rotation, crop).
        height, width = upright(frame, rotation).shape[:2]
        count = int(max(0.0, cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0.0))
        return VideoInfo(width=width, height=height, fps=container_fps(cap), frame_count=count, rotation=rotation)
    finally:
        cap.release()


class FrameClock:
    """Frame times of one pass: the container's presentation times from the first frame on, or
    one interval after the previous frame where the container has none that moves forward."""

    def __init__(self, fps: float) -> None:
        self.step = 1.0 / fps
        self.first_ms: float | None = None
        self.last: float | None = None
        self.from_container = 0  # frames timed by the container
        self.from_rate = 0  # frames timed by the frame rate

    def stamp(self, container_ms: float) -> float:
        if self.first_ms is None:
            self.first_ms = container_ms if math.isfinite(container_ms) else 0.0
        t = (container_ms - self.first_ms) / 1000.0 if math.isfinite(container_ms) else -math.inf
        if self.last is None:
            t = 0.0  # the first frame starts the pass, whatever the container's start time
            self.from_container += 1
        elif t > self.last:
            self.from_container += 1
        else:
            t = self.last + self.step
            self.from_rate += 1
        self.last = t
        return t


class VideoSource:
    """Iterate `(t_seconds, upright frame_bgr)` over a video file; each iteration starts from the beginning.

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
        self.end: FileEnd | None = None  # where the last pass that reached the end of the file stopped
        self.frames_timed_by_rate = 0  # frames of the last pass without a container time

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
    def rotation(self) -> int:
        return self.info.rotation

    @property
    def frame_count(self) -> int:
        """Frames the container claims to hold (0 when it does not say); decoding may yield fewer."""
        return self.info.frame_count

    @property
    def ended_early(self) -> bool:
        """The last pass stopped well before the frames (and the length) the container lists."""
        listed = self.frame_count
        if self.end is None or listed <= 0:
            return False
        missing = listed - self.end.frames
        short_in_time = self.end.last_t + 1.0 / self.fps < (1.0 - _SHORT_SHARE) * listed / self.fps
        return missing >= max(_SHORT_FRAMES, _SHORT_SHARE * listed) and short_in_time

    def ended_early_text(self) -> str | None:
        """The warning for a file that ended early, None for one that did not."""
        if not self.ended_early or self.end is None:
            return None
        return _(
            "{0}: the video ended after {1} of the {2} frames its file lists ({3:.1f} of {4:.1f} s): "
            "it is damaged or was cut short; the frames before the end were analysed"
        ).format(self.path, self.end.frames, self.frame_count, self.end.last_t, self.frame_count / self.fps)

    def _one_pass(self, clock: FrameClock) -> Iterator[tuple[float, np.ndarray]]:
        cap = _open(self.path)
        try:
            rotation = container_rotation(cap)
            while True:
                ok, frame = cap.read()
                if not ok or frame is None:
                    # End of file, or a damaged tail: stop cleanly rather than fail the run.
                    self.end = FileEnd(clock.from_container + clock.from_rate, clock.last or 0.0)
                    return
                t = clock.stamp(float(cap.get(cv2.CAP_PROP_POS_MSEC)))
                self.frames_timed_by_rate = clock.from_rate
                yield t, upright(frame, rotation)
        finally:
            cap.release()

    def _frames(self) -> Iterator[tuple[float, np.ndarray]]:
        offset = 0.0
        while True:
            clock = FrameClock(self.fps)
            for t, frame in self._one_pass(clock):
                yield offset + t, frame
            # A pass that decodes nothing would spin forever when looping.
            if not self.loop or clock.last is None:
                return
            offset += clock.last + clock.step  # the next pass goes on one frame after this one's last

    def __iter__(self) -> Iterator[tuple[float, np.ndarray]]:
        # islice stops before decoding a frame past the limit.
        yield from itertools.islice(self._frames(), self.max_frames)
