"""The pose model of a running app: loaded once, on first use, and shared by every session."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from rehab_coach.keypoints.types import PoseFrame
from rehab_coach.pose.backend import PoseBackend


class BackendHolder:
    """The pose model: created on first use (on a worker thread) and kept for later sessions.

    Loading a model takes seconds and leaves a great many long-lived objects. A kiosk runs a
    session per patient for hours: reloading the model each time would cost those seconds
    and, with `gc.freeze()` below, keep every session's leftovers alive for good.
    """

    def __init__(self, factory: Callable[[], PoseBackend]) -> None:
        self.factory = factory
        self._backend: PoseBackend | None = None
        self._lock = threading.Lock()
        self._offset = 0.0  # added to session time: the model's own clock
        self._last: float | None = None

    def get(self) -> PoseBackend:
        with self._lock:
            if self._backend is None:
                self._backend = self.factory()
                # A full garbage collection walking the model's objects holds the GIL ~100 ms,
                # a visible freeze. Exempt everything alive now, once per model.
                gc.freeze()
            return self._backend

    @property
    def loaded(self) -> PoseBackend | None:
        return self._backend

    def infer(self, image: np.ndarray, t: float) -> PoseFrame:
        """Pose of one frame at session time `t`.

        Each session's clock starts again at 0, but a model that tracks between frames
        (BlazePose) restarts its whole graph when time goes back: ~100 ms and a churn of
        native memory per session. Its own clock therefore runs on across sessions.
        """
        backend = self.get()
        if self._last is not None and t + self._offset <= self._last:
            self._offset = self._last + 1 / 30 - t
        self._last = t + self._offset
        frame = backend.infer(image, self._last)
        return replace(frame, t=t)

    def close(self) -> None:
        with self._lock:
            backend, self._backend, self._last, self._offset = self._backend, None, None, 0.0
        if backend is not None:
            backend.close()
