"""The live worker thread: capture, pose and coach off the GUI thread.

At most one frame is ever on its way to the GUI. When the GUI is still busy with the
last one, a newer frame replaces the waiting one (taking over its reps and cues), so a
slow paint never builds a queue of stale frames. The GUI calls `frame_shown()` when it
is ready for the next.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QThread, Signal

from rehab_coach.capture.latest import LatestSlot
from rehab_coach.capture.loop import END_OF_STREAM, CaptureLoop, SourceItem
from rehab_coach.capture.pacing import Timeline
from rehab_coach.capture.sources import FrameSource, SourceSpec, open_source
from rehab_coach.engine.coach import Coach
from rehab_coach.errors import RehabCoachError
from rehab_coach.pose.backend import PoseBackend
from rehab_coach.pose.holder import BackendHolder
from rehab_coach.session.live.step import LiveStep
from rehab_coach.ui.images import bgr_to_qimage
from rehab_coach.ui.shown_frame import ShownFrame

log = logging.getLogger(__name__)


class LiveWorker(QThread):
    frameReady = Signal(object)  # ShownFrame; connect with Qt.QueuedConnection
    sourceStatus = Signal(str, str)  # state ("ok", "lost", "error", "ended"), message
    failed = Signal(str)  # the pipeline stopped on a known problem (no model, ...): the message says why
    crashed = Signal(str)  # the pipeline stopped on an unexpected error: the controller restarts it
    streamEnded = Signal()
    backendReady = Signal(str)  # what runs the pose model

    def __init__(
        self,
        spec: SourceSpec,
        coach: Coach,
        backend: BackendHolder | Callable[[], PoseBackend],
        opener: Callable[[SourceSpec], FrameSource] = open_source,
        parent: object | None = None,
        *,
        timeline: Timeline | None = None,
    ) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.spec, self.coach, self.opener = spec, coach, opener
        self.step = LiveStep(coach, backend)
        self.slot: LatestSlot[SourceItem] = LatestSlot()
        # A restarted worker goes on with its session's clock: the coach must never see time go back.
        self.timeline = timeline if timeline is not None else Timeline()
        self._capture: CaptureLoop | None = None
        self._next_spec: SourceSpec | None = spec
        self._stop = threading.Event()
        self._coaching = threading.Event()
        self._file_paused = True  # file sources wait on their first frame until the countdown ends
        self._lock = threading.Lock()
        self._in_flight = False
        self._pending: ShownFrame | None = None
        self._announced_backend = False

    # ---- controls, safe to call from the GUI thread ---------------------------

    def set_coaching(self, on: bool) -> None:
        """Coaching on: frames go through the coach. Off: preview only (countdown, pause, rest)."""
        if on:
            self._coaching.set()
        else:
            self._coaching.clear()

    def pause_file(self, paused: bool) -> None:
        """Stop a file source advancing (pause, rest); a camera keeps streaming."""
        self._file_paused = paused
        capture = self._capture
        if capture is not None:
            capture.pause_file(paused)

    def switch_source(self, spec: SourceSpec) -> None:
        """Continue the same session from another source (e.g. a video when the camera is gone)."""
        self.spec = spec
        self._next_spec = spec
        self.slot.put(_WAKE)

    def set_display_size(self, width: int, height: int) -> None:
        """The video view's size in device pixels; frames are shrunk to it on this thread."""
        self.step.display_limit = (max(1, width), max(1, height))

    def stop(self) -> None:
        self._stop.set()
        self.slot.put(_WAKE)

    def frame_shown(self) -> None:
        """The GUI took the last frame: send the waiting one, if any."""
        with self._lock:
            pending, self._pending = self._pending, None
            self._in_flight = pending is not None
        if pending is not None:
            self.frameReady.emit(pending)

    @property
    def dropped(self) -> int:
        return self.slot.dropped

    # ---- the thread ----------------------------------------------------------

    def run(self) -> None:
        try:
            while not self._stop.is_set():
                if self._next_spec is not None:
                    self._start_capture(self._next_spec)
                item = self.slot.get(timeout=0.1)
                if item is None or item is _WAKE:
                    continue
                if item is END_OF_STREAM:
                    self.streamEnded.emit()
                    continue
                self._process(item)
        except RehabCoachError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # never take the window down with us: report and stop
            log.exception("live pipeline crashed")
            self.crashed.emit(f"{type(exc).__name__}: {exc}")
        finally:
            self._stop_capture()
            self.step.close()

    def _process(self, item: SourceItem) -> None:
        result = self.step(item, self._coaching.is_set())
        if not self._announced_backend:
            self._announced_backend = True
            self.backendReady.emit(self.step.backend_description)
        image = bgr_to_qimage(result.image) if result.image is not None else None
        self._deliver(ShownFrame(result, image))

    def _deliver(self, shown: ShownFrame) -> None:
        with self._lock:
            if self._pending is not None:
                shown.result.absorb(self._pending.result)
            if self._in_flight:
                self._pending = shown
                return
            self._in_flight, self._pending = True, None
        self.frameReady.emit(shown)

    def _start_capture(self, spec: SourceSpec) -> None:
        self._next_spec = None
        self._stop_capture()
        self._capture = CaptureLoop(
            spec, self.slot, self.timeline, opener=self.opener, on_status=self.sourceStatus.emit
        )
        self._capture.pause_file(self._file_paused)
        self._capture.start()

    def _stop_capture(self) -> None:
        if self._capture is not None:
            self._capture.stop()
            self._capture = None


# Posted to the slot to wake the worker at once (stop, source switch); never processed.
_WAKE = SourceItem(t=-2.0, captured=0.0)
