"""Frames from a webcam, stamped with a monotonic clock; the newest frame always wins.

A camera that cannot be opened, or that stops delivering frames mid-session
(unplugged, taken by another app), raises `CameraError` so the caller can tell
the user instead of crashing.

Why a drain thread: a V4L2 webcam queues several filled buffers (OpenCV asks for 4) and,
when all are full, drops the *new* frames. A reader slower than the camera therefore gets
the oldest queued frame, several frame times stale. The buffer-size request of 1 is
honoured only by some backends, so a thread of our own reads every frame as it arrives and
keeps only the newest; `read()` hands that one over (or waits for the next). Each frame's
time is the driver's capture timestamp when the backend gives one on the monotonic clock
(V4L2 does), else the moment the drain thread received it: latency is measured from there.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import cv2
import numpy as np

from rehab_coach.errors import InputError
from rehab_coach.i18n import _

# A driver timestamp further back than this is not on our clock (or is a file's media time).
_PLAUSIBLE_AGE_S = 1.0


class CameraError(InputError):
    """The camera cannot be opened or was lost while streaming."""


class CameraSource:
    """Iterate `(t_seconds, frame_bgr)` from a camera; t counts from the first frame's capture.

    `index` is a device number, or a device path / stream URL (e.g. an IP camera).
    The requested size and fps are hints: `width`, `height`, `fps` report what the
    driver actually granted. `drain=True` (the default) reads on a thread of its own so
    that `read()` always returns the newest frame; `drain=False` reads in the caller's
    thread, every frame in order (what a plain `cv2.VideoCapture` loop does).
    `last_captured` is the monotonic time the last returned frame was captured.
    """

    def __init__(
        self,
        index: int | str = 0,
        width: int = 1280,
        height: int = 720,
        fps: float = 30,
        *,
        max_failed_reads: int = 5,
        drain: bool = True,
        buffer_size: int | None = 1,
        open_capture: Callable[[int | str], Any] | None = None,
    ) -> None:
        self.index = index
        self.max_failed_reads = max(1, max_failed_reads)
        self._cap: Any = (open_capture or cv2.VideoCapture)(index)
        if not self._cap.isOpened():
            self._cap.release()
            self._cap = None
            raise CameraError(
                _("camera {0} could not be opened: is it plugged in and not used by another app?").format(index)
            )
        self._request(width, height, fps, buffer_size)
        # Read once here: the drain thread owns the device from now on.
        self._size = (int(self._cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(self._cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
        self._fps = float(self._cap.get(cv2.CAP_PROP_FPS))
        self._t0: float | None = None
        self.last_captured = 0.0
        self.frames_read = 0  # handed to the caller
        self.frames_received = 0  # from the driver (the drain thread's count)
        self.frames_skipped = 0  # received, but a newer one came before anyone read it
        self._released = False
        self._cond = threading.Condition()
        self._latest: tuple[float, np.ndarray] | None = None
        self._lost = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        if drain:
            self._thread = threading.Thread(target=self._drain, name=f"camera {index} drain", daemon=True)
            self._thread.start()

    def _request(self, width: int, height: int, fps: float, buffer_size: int | None) -> None:
        cap = self._cap
        # Many USB webcams only reach 720p at 30 fps with MJPG; uncompressed YUYV drops to ~10 fps.
        # Drivers that do not support it ignore the request.
        cap.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter.fourcc(*"MJPG"))
        cap.set(cv2.CAP_PROP_FRAME_WIDTH, width)
        cap.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
        cap.set(cv2.CAP_PROP_FPS, fps)
        if buffer_size is not None:
            # A short driver queue holds fewer stale frames; backends that cannot change it ignore this.
            cap.set(cv2.CAP_PROP_BUFFERSIZE, buffer_size)

    @property
    def width(self) -> int:
        return self._size[0]

    @property
    def height(self) -> int:
        return self._size[1]

    @property
    def fps(self) -> float:
        return self._fps

    @property
    def is_open(self) -> bool:
        return not self._released and not self._lost

    def _lost_error(self) -> CameraError:
        if self.frames_read == 0 and self.frames_received == 0:
            return CameraError(
                _("camera {0} opened but delivered no frames: is it used by another app?").format(self.index)
            )
        return CameraError(_("camera {0} stopped delivering frames: was it unplugged?").format(self.index))

    def _receive(self) -> tuple[float, np.ndarray] | None:
        """One frame from the driver and its capture time; None after `max_failed_reads` failures."""
        for _attempt in range(self.max_failed_reads):
            ok, frame = self._cap.read()
            now = time.monotonic()
            if ok and frame is not None:
                self.frames_received += 1
                return self._capture_time(now), frame
            if self._stop.is_set():
                return None
            time.sleep(0.01)
        return None

    def _capture_time(self, now: float) -> float:
        driver = float(self._cap.get(cv2.CAP_PROP_POS_MSEC) or 0.0) / 1000.0
        return driver if 0.0 <= now - driver <= _PLAUSIBLE_AGE_S else now

    def _drain(self) -> None:
        try:
            while not self._stop.is_set():
                received = self._receive()
                with self._cond:
                    if received is None:
                        self._lost = True
                        self._cond.notify_all()
                        return
                    if self._latest is not None:
                        self.frames_skipped += 1
                    self._latest = received
                    self._cond.notify_all()
        finally:
            # This thread may sit in the driver when release() gives up waiting: it releases last.
            self._cap.release()

    def read(self) -> tuple[float, np.ndarray]:
        """The newest frame not yet returned (waiting for one if needed) and its time since the first frame."""
        if self._released:
            raise CameraError(f"camera {self.index} has been released")
        if self._thread is None:
            received = self._receive()
            if received is None:
                self._lost = True
                raise self._lost_error()
        else:
            with self._cond:
                while self._latest is None and not self._lost and not self._released:
                    self._cond.wait(0.5)
                if self._latest is None:
                    if self._released:
                        raise CameraError(f"camera {self.index} has been released")
                    raise self._lost_error()
                received, self._latest = self._latest, None
        captured, frame = received
        if self._t0 is None:
            self._t0 = captured
        self.frames_read += 1
        self.last_captured = captured
        return max(0.0, captured - self._t0), frame

    def __iter__(self) -> Iterator[tuple[float, np.ndarray]]:
        while True:
            yield self.read()

    def release(self, timeout: float = 1.0) -> None:
        if self._released:
            return
        self._released = True
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        if self._thread is None:
            self._cap.release()
        elif threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    def __enter__(self) -> CameraSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
