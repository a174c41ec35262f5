"""The live frame pipeline on its own thread, Qt-free: capture, pose and coach, results to plain callbacks.

    source --CaptureLoop (paced)--> LatestSlot --pipeline thread--> LiveStep --> listener.on_frame

`ThreadedPipeline` is the `Pipeline` port `LiveSession` drives in the app. Each `start` opens the
source on a capture thread and runs a worker thread that takes the newest captured frame through
the `LiveStep`; a restart goes on with the session's `Timeline`, so the coach never sees time go back.

At most one result is ever on its way to the consumer (the screen). While the consumer is still busy
with the last one, a newer result replaces the waiting one, taking over its reps, cues and samples:
a slow paint never builds a queue of stale frames and loses no event. The consumer calls
`frame_shown()` when it is ready for the next.

Everything the pipeline reports goes to a `PipelineListener`, called on the pipeline's own thread
(or, for a waiting frame, on the thread that calls `frame_shown`): an adapter moves it where it
belongs (the Qt window: `ui.pipeline_signals`, queued to the GUI thread).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Protocol

from rehab_coach.capture.latest import LatestSlot
from rehab_coach.capture.loop import END_OF_STREAM, CaptureLoop, SourceItem
from rehab_coach.capture.pacing import Timeline
from rehab_coach.capture.sources import FrameSource, SourceSpec, open_source
from rehab_coach.engine.coach import Coach
from rehab_coach.errors import RehabCoachError
from rehab_coach.pose.backend import PoseBackend
from rehab_coach.pose.holder import BackendHolder
from rehab_coach.session.live.screen_frames import DISPLAY_MAX
from rehab_coach.session.live.step import LiveResult, LiveStep

log = logging.getLogger(__name__)

POLL_SECONDS = 0.1  # how long the worker waits for a frame before it looks at its controls again


class PipelineListener(Protocol):
    """What the pipeline reports. Every call but `picture` comes in order, one at a time."""

    def picture(self, result: LiveResult) -> object:
        """The frame's image in the form the consumer paints, made on the pipeline thread (None: nothing)."""

    def on_frame(self, result: LiveResult, picture: object) -> None:
        """A processed frame with the events since the last one the consumer took; `frame_shown` asks for the next."""

    def on_source_status(self, state: str, message: str) -> None:
        """The source's state ("ok", "lost", "error", "ended") and what to tell the user."""

    def on_failed(self, message: str) -> None:
        """The pipeline stopped on a known problem (no model, ...): the message says why."""

    def on_crashed(self, message: str) -> None:
        """The pipeline stopped on an unexpected error; `on_stopped` follows."""

    def on_stream_ended(self) -> None:
        """A file or replay reached its end."""

    def on_backend(self, description: str) -> None:
        """The first frame is through: what runs the pose model."""

    def on_stopped(self) -> None:
        """The pipeline thread has ended (asked to, failed or crashed): always the last call of a run."""


class ThreadedPipeline:
    """The session's `Pipeline` port on real threads; one run per `start`, reports to `listener`.

    `pose_model` is shared across runs (and sessions) when it is a `BackendHolder`; a plain
    factory gets a holder of its own per run. `opener` opens a `SourceSpec` (tests inject sources).
    """

    def __init__(
        self,
        listener: PipelineListener,
        pose_model: BackendHolder | Callable[[], PoseBackend],
        opener: Callable[[SourceSpec], FrameSource] = open_source,
    ) -> None:
        self.listener, self.pose_model, self.opener = listener, pose_model, opener
        self._run: _Run | None = None
        self._display_limit = DISPLAY_MAX

    # ---- the Pipeline port ----------------------------------------------------------

    def start(self, spec: SourceSpec, coach: Coach, timeline: Timeline) -> None:
        """A new run on `spec` (file paused, coaching off), on the session's clock."""
        if self._run is not None:
            self._run.stop()  # normally released already; a run still ending is never left going
        step = LiveStep(coach, self.pose_model)
        step.display_limit = self._display_limit
        self._run = _Run(spec, step, timeline, self.opener, self.listener)
        self._run.thread.start()

    def stop(self) -> bool:
        """Ask the run to stop; `on_stopped` follows. False: none was running."""
        run = self._run
        if run is None or not run.thread.is_alive():
            return False
        run.stop()
        return True

    def release(self) -> None:
        """Drop the stopped run (its counts go with it)."""
        self._run = None

    def set_coaching(self, on: bool) -> None:
        if self._run is not None:
            self._run.set_coaching(on)

    def pause_file(self, paused: bool) -> None:
        if self._run is not None:
            self._run.pause_file(paused)

    def switch_source(self, spec: SourceSpec) -> None:
        if self._run is not None:
            self._run.switch_source(spec)

    def is_running(self) -> bool:
        return self._run is not None and self._run.thread.is_alive()

    @property
    def dropped(self) -> int:
        """Captured frames skipped in this run because a newer one came before the step was free."""
        return self._run.slot.dropped if self._run is not None else 0

    # ---- for the consumer ------------------------------------------------------------

    @property
    def spec(self) -> SourceSpec | None:
        """The source of the current run (None before the first start and after release)."""
        return self._run.spec if self._run is not None else None

    def frame_shown(self) -> None:
        """The consumer took the last frame: the waiting one, if any, goes out now."""
        if self._run is not None:
            self._run.frame_shown()

    def set_display_size(self, width: int, height: int) -> None:
        """The view's size in device pixels: frames are shrunk to it on the pipeline thread."""
        self._display_limit = (max(1, width), max(1, height))
        if self._run is not None:
            self._run.step.display_limit = self._display_limit

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the run's thread to end; True once none runs."""
        run = self._run
        if run is not None and threading.current_thread() is not run.thread:
            run.thread.join(timeout)
        return not self.is_running()


class _Run:
    """One run of the pipeline: its thread, capture loop, step and the hand-off to the consumer."""

    def __init__(
        self,
        spec: SourceSpec,
        step: LiveStep,
        timeline: Timeline,
        opener: Callable[[SourceSpec], FrameSource],
        listener: PipelineListener,
    ) -> None:
        self.spec, self.step, self.timeline = spec, step, timeline
        self.opener, self.listener = opener, listener
        self.slot: LatestSlot[SourceItem] = LatestSlot()
        self.thread = threading.Thread(target=self._main, name=f"live pipeline {spec.describe()}", daemon=True)
        self._capture: CaptureLoop | None = None
        self._next_spec: SourceSpec | None = spec
        self._stop = threading.Event()
        self._coaching = threading.Event()
        self._file_paused = True  # a file waits on its first frame until the countdown ends
        self._announced_backend = False
        # The hand-off: one result out with the consumer, at most one waiting behind it.
        self._lock = threading.Lock()
        self._in_flight = False
        self._waiting: tuple[LiveResult, object] | None = None

    # ---- controls, from any thread ----------------------------------------------------

    def set_coaching(self, on: bool) -> None:
        if on:
            self._coaching.set()
        else:
            self._coaching.clear()

    def pause_file(self, paused: bool) -> None:
        self._file_paused = paused
        capture = self._capture
        if capture is not None:
            capture.pause_file(paused)

    def switch_source(self, spec: SourceSpec) -> None:
        self.spec = spec
        self._next_spec = spec
        self.slot.put(_WAKE)

    def stop(self) -> None:
        self._stop.set()
        self.slot.put(_WAKE)

    def frame_shown(self) -> None:
        with self._lock:
            waiting, self._waiting = self._waiting, None
            self._in_flight = waiting is not None
        if waiting is not None:
            self.listener.on_frame(*waiting)

    # ---- the thread ----------------------------------------------------------------

    def _main(self) -> None:
        try:
            while not self._stop.is_set():
                if self._next_spec is not None:
                    self._start_capture(self._next_spec)
                item = self.slot.get(timeout=POLL_SECONDS)
                if item is None or item is _WAKE:
                    continue
                if item is END_OF_STREAM:
                    self.listener.on_stream_ended()
                    continue
                self._process(item)
        except RehabCoachError as exc:
            self.listener.on_failed(str(exc))
        except Exception as exc:  # never take the app down with us: report and stop
            log.exception("live pipeline crashed")
            self.listener.on_crashed(f"{type(exc).__name__}: {exc}")
        finally:
            self._stop_capture()
            self.step.close()
            self.listener.on_stopped()

    def _process(self, item: SourceItem) -> None:
        result = self.step(item, self._coaching.is_set())
        if not self._announced_backend:
            self._announced_backend = True
            self.listener.on_backend(self.step.backend_description)
        self._deliver(result, self.listener.picture(result))

    def _deliver(self, result: LiveResult, picture: object) -> None:
        with self._lock:
            if self._waiting is not None:
                result.absorb(self._waiting[0])  # only the older picture is dropped, never its events
            if self._in_flight:
                self._waiting = (result, picture)
                return
            self._in_flight, self._waiting = True, None
        self.listener.on_frame(result, picture)

    def _start_capture(self, spec: SourceSpec) -> None:
        self._next_spec = None
        self._stop_capture()
        self._capture = CaptureLoop(spec, self.slot, self.timeline, opener=self.opener, on_status=self._status)
        self._capture.pause_file(self._file_paused)
        self._capture.start()

    def _status(self, state: str, message: str) -> None:
        self.listener.on_source_status(state, message)

    def _stop_capture(self) -> None:
        if self._capture is not None:
            self._capture.stop()
            self._capture = None


# Posted to the slot to wake the worker at once (stop, source switch); never processed.
_WAKE = SourceItem(t=-2.0, captured=0.0)
