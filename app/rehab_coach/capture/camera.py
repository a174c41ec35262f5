"""Frames from a webcam, stamped with a monotonic clock.

A camera that cannot be opened, or that stops delivering frames mid-session
(unplugged, taken by another app), raises `CameraError` so the caller can tell
the user instead of crashing.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import cv2
import numpy as np

from rehab_coach.errors import InputError


class CameraError(InputError):
    """The camera cannot be opened or was lost while streaming."""


class CameraSource:
    """Iterate `(t_seconds, frame_bgr)` from a camera; t counts from the first frame read.

    `index` is a device number, or a device path / stream URL (e.g. an IP camera).
    The requested size and fps are hints: `width`, `height`, `fps` report what the
    driver actually granted.
    """

    def __init__(
        self,
        index: int | str = 0,
        width: int = 1280,
        height: int = 720,
        fps: float = 30,
        *,
        max_failed_reads: int = 5,
    ) -> None:
        self.index = index
        self.max_failed_reads = max(1, max_failed_reads)
        self._cap: cv2.VideoCapture | None = cv2.VideoCapture(index)
        if not self._cap.isOpened():
            self.release()
            raise CameraError(f"camera {index} could not be opened: is it plugged in and not used by another app?")
        self._request(width, height, fps)
        self._t0: float | None = None
        self.frames_read = 0

    def _request(self, width: int, height: int, fps: float) -> None:
        cap = self._cap
        assert cap is not None
        # Many USB webcams only reach 720p at 30 fps with MJPG; uncompressed YUYV drops to ~10 fps.
        # Drivers that do not support it ignore the request.
        cap.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter_fourcc(*"MJPG"))
        cap.set(cv2.CAP_PROP_FRAME_WIDTH, width)
        cap.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
        cap.set(cv2.CAP_PROP_FPS, fps)
        # Keep the driver's queue short so we always see a recent frame, not a stale backlog.
        cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)

    def _get(self, prop: int) -> float:
        return float(self._cap.get(prop)) if self._cap is not None else 0.0

    @property
    def width(self) -> int:
        return int(self._get(cv2.CAP_PROP_FRAME_WIDTH))

    @property
    def height(self) -> int:
        return int(self._get(cv2.CAP_PROP_FRAME_HEIGHT))

    @property
    def fps(self) -> float:
        return self._get(cv2.CAP_PROP_FPS)

    @property
    def is_open(self) -> bool:
        return self._cap is not None and self._cap.isOpened()

    def _lost(self) -> CameraError:
        if self.frames_read == 0:
            return CameraError(f"camera {self.index} opened but delivered no frames: is it used by another app?")
        return CameraError(f"camera {self.index} stopped delivering frames: was it unplugged?")

    def read(self) -> tuple[float, np.ndarray]:
        """The next frame and its time; a few failed reads in a row are tolerated (driver hiccups)."""
        if self._cap is None:
            raise CameraError(f"camera {self.index} has been released")
        for _ in range(self.max_failed_reads):
            ok, frame = self._cap.read()
            if ok and frame is not None:
                now = time.monotonic()
                if self._t0 is None:
                    self._t0 = now
                self.frames_read += 1
                return now - self._t0, frame
            time.sleep(0.01)
        raise self._lost()

    def __iter__(self) -> Iterator[tuple[float, np.ndarray]]:
        while True:
            yield self.read()

    def release(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None

    def __enter__(self) -> CameraSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
