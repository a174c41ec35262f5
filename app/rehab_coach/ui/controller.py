"""The live session on the screen: a thin Qt adapter around the Qt-free `LiveSession`.

The session model (`session.live.lifecycle`) owns the lifecycle: countdown, sets and rest, pauses,
the watchdogs and recording. This adapter gives it time (a timer calls `tick`), renders its
events on the live page (and re-emits the ones other screens need as Qt signals), forwards the
patient's actions, and runs the frame pipeline as its `Pipeline` port: a `LiveWorker` thread
whose signals come back here, on the GUI thread, and go on to the session. Every database call
is queued on the store thread (`StoreThread`): none runs here.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import Future
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from rehab_coach.capture.pacing import Timeline
from rehab_coach.capture.sources import SourceSpec
from rehab_coach.engine.clinical import ClinicalTest
from rehab_coach.engine.coach import Coach
from rehab_coach.engine.framing import FramingCheck
from rehab_coach.engine.templates import Template
from rehab_coach.pose.backend import create_backend
from rehab_coach.pose.holder import BackendHolder
from rehab_coach.session.clinical.run import ClinicalFinished, ClinicalSession, TrialEnded, TrialShown, TrialStarted
from rehab_coach.session.live import events as ev
from rehab_coach.session.live.events import ACTIVE, SessionSettings, SessionState
from rehab_coach.session.live.latency import PerfMeter
from rehab_coach.session.live.lifecycle import LiveSession
from rehab_coach.session.live.outcome import SessionOutcome, export_report
from rehab_coach.session.live.patient_summary import pain_advice
from rehab_coach.session.live.sets import SetProgress
from rehab_coach.session.live.store_thread import SaveResult, StoreThread
from rehab_coach.session.store import ProgramItemInfo
from rehab_coach.ui.audio import Feedback
from rehab_coach.ui.background import Results
from rehab_coach.ui.options import LaunchOptions
from rehab_coach.ui.pages.live import LivePage
from rehab_coach.ui.shown_frame import ShownFrame
from rehab_coach.ui.strings import tr
from rehab_coach.ui.worker import LiveWorker

log = logging.getLogger(__name__)

__all__ = ["ACTIVE", "SessionController", "SessionState"]

TICK_MS = 100  # how often the session is given the time: countdown seconds, the stall watchdog
JOURNAL_SYNC_MS = 30_000  # how often what waits in the local journal is offered to the database again
NOTICE_MS = 3000  # an info notice goes away by itself after this long


class SessionController(QObject):
    restRequested = Signal(float, int, int, str)  # seconds, next set, sets, how the last set went
    finished = Signal(object)  # SessionOutcome, as soon as the session ends
    saved = Signal(object)  # SessionOutcome, once the store thread has written its end (outcome.saved)
    # SessionOutcome, what became of the patient's answers (in words), and what to do after a flagged pain answer
    checkInSaved = Signal(object, str, str)
    frameShown = Signal(object)  # ShownFrame, after the live page took it (screenshots, tests)
    stateChanged = Signal(str)  # a SessionState
    # Clinical tests (session/clinical/run.py):
    trialEnded = Signal(object, object)  # ClinicalResult, the next trial's leg (None: it was the last)
    testFinished = Signal(object, object, object)  # ClinicalTest, its ClinicalResults, the SessionOutcome
    testSaved = Signal(object)  # SaveResult, once the test session is written

    def __init__(
        self,
        page: LivePage,
        feedback: Feedback,
        options: LaunchOptions,
        store: StoreThread,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.page, self.feedback, self.options, self.store = page, feedback, options, store
        self.worker: LiveWorker | None = None
        # One pose model for the app's lifetime: later sessions and restarted workers reuse it.
        backend, backend_options = options.backend, dict(options.backend_options)
        self.pose_model = BackendHolder(lambda: create_backend(backend, **backend_options))
        self.session = LiveSession(_WorkerPipeline(self), store, self._settings(), clock=time.monotonic)
        self.session.subscribe(self._render)
        # A standard clinical test runs as a session of its own kind on the same worker and store.
        self.exercise_session = self.session
        self.test_session = ClinicalSession(_WorkerPipeline(self), store, self._settings(), clock=time.monotonic)
        self.test_session.subscribe(self._render)
        self.test_session.subscribe(self._render_test)
        self.results = Results(self)
        self._slow_notice = ""  # the too-slow warning while it is up (issue 19 gives it its own place)
        self._ticks = QTimer(self, interval=TICK_MS)
        self._ticks.timeout.connect(self._tick)
        # What was kept on this computer while the database was away goes to it as soon as it is back,
        # also while the app waits between sessions (the journal is only a folder listing when empty).
        self._journal_sync = QTimer(self, interval=JOURNAL_SYNC_MS)
        self._journal_sync.timeout.connect(self.sync_waiting)
        self._waiting_outcome: SessionOutcome | None = None  # the last session, while some of it is not in the database
        self._journal_sync.start()
        page.video.painted.connect(self._painted)

    # ---- the model's state, read by the windows and tests -----------------------

    @property
    def state(self) -> SessionState:
        return self.session.state

    @property
    def coach(self) -> Coach | None:
        return self.session.coach

    @property
    def progress(self) -> SetProgress | None:
        return self.session.progress

    @property
    def framing(self) -> FramingCheck | None:
        return self.session.framing

    @property
    def events(self) -> list[dict[str, Any]]:
        return self.session.events

    @property
    def perf(self) -> PerfMeter:
        return self.session.perf

    @property
    def backend(self) -> str:
        return self.session.backend

    @property
    def timeline(self) -> Timeline:
        """The session clock across loops, reconnects and restarts."""
        return self.session.timeline

    @property
    def last_person_at(self) -> float:
        """When someone was last in view (time.monotonic()): the kiosk's idle timeout."""
        return self.session.last_person_at

    def _settings(self) -> SessionSettings:
        options = self.options
        return SessionSettings(options.language, options.countdown, options.framing_check, options.kiosk)

    def set_page(self, page: LivePage) -> None:
        """Show sessions on another live page (the kiosk rebuilt its pages in another language)."""
        if self.state not in (SessionState.IDLE, SessionState.DONE):
            raise RuntimeError("the live page cannot change during a session")
        self.page.video.painted.disconnect(self._painted)
        self.page = page
        page.video.painted.connect(self._painted)

    # ---- user actions, forwarded -----------------------------------------------

    def start(
        self,
        template: Template,
        spec: SourceSpec,
        *,
        patient: str | None = None,
        program_item: ProgramItemInfo | None = None,
        overrides: dict[str, Any] | None = None,
    ) -> None:
        """Start a session; `patient` is a pseudonymous code (None: a guest), `overrides` those
        the template was loaded with (a program item's, or the command line's)."""
        self.session = self.exercise_session
        self.session.settings = self._settings()  # the kiosk may have changed the language since
        self._ticks.start()
        self.session.start(template, spec, patient=patient, program_item=program_item, overrides=overrides)

    def start_test(self, test: ClinicalTest | str, spec: SourceSpec, *, patient: str | None = None) -> None:
        """Start a standard clinical test for `patient` (a pseudonymous code; None: a guest)."""
        if self.state not in (SessionState.IDLE, SessionState.DONE):
            raise RuntimeError("a session is already running")
        self.session = self.test_session
        self.session.settings = self._settings()
        self._ticks.start()
        self.test_session.start_test(test, spec, patient=patient)

    def next_trial(self) -> None:
        """A single-leg stance's other leg."""
        if self.session is self.test_session:
            self.test_session.next_trial()

    def skip_framing(self) -> None:
        """The patient or therapist starts the set without waiting for the check."""
        self.session.skip_framing()

    def toggle_pause(self) -> None:
        self.session.toggle_pause()

    def end_rest(self) -> None:
        self.session.end_rest()

    def switch_source(self, spec: SourceSpec) -> None:
        """Go on with the same session from another source; reps and charts are kept."""
        self.session.switch_source(spec)

    def finish(self) -> None:
        """End the session: stop the worker; the summary follows when its thread is done."""
        self.session.finish()

    def shutdown(self, timeout: float = 10.0) -> None:
        """The app is closing: end the session, let its records reach the store, free the model."""
        self.finish()
        if self.worker is not None and self.worker.wait(3000):
            self.session.on_pipeline_stopped()  # the queued `finished` may never be delivered now
        self._ticks.stop()
        self._journal_sync.stop()
        self.store.close(timeout)
        self.pose_model.close()

    def _tick(self) -> None:
        self.session.tick()

    # ---- the model's events, rendered ---------------------------------------------

    def _render(self, event: ev.SessionEvent) -> None:
        page = self.page
        match event:
            case ev.StateChanged(state=state):
                if state == SessionState.DONE:
                    self._ticks.stop()
                self.stateChanged.emit(state)
            case ev.Prompt(big_text=big_text, banner=banner):
                if big_text is not None:
                    page.video.set_big_text(big_text)
                if banner:
                    page.banner.show_text(banner)
                elif banner is not None:
                    page.banner.clear()
            case ev.FramingShown(state=framing):
                page.show_framing(framing)
            case ev.Notice():
                page.notice.show_notice(event.text, event.kind, actions=event.actions, retry=event.retry)
                if event.transient:
                    QTimer.singleShot(NOTICE_MS, self._hide_info_notice)
            case ev.FrameRateLow(text=text):
                self._slow_notice = text
                page.notice.show_notice(text, "warning", actions=False)
            case ev.FrameRateRecovered():
                # Only our own warning goes: a camera problem shown since stays up.
                if self._slow_notice and page.notice.label.text().endswith(self._slow_notice):
                    page.notice.hide_notice()
                self._slow_notice = ""
            case ev.RepCounted(rep=rep, progress=progress):
                self.feedback.rep(rep.complete)
                page.show_progress(progress)
            case ev.CueShown(cue=cue):
                page.banner.show_cue(cue)
                self.feedback.say(cue.text)
            case ev.CueWithdrawn(cue=cue):
                if page.banner.cue == cue:  # still showing: another cue may have replaced it since
                    page.banner.clear()
            case ev.RestStarted():
                self.restRequested.emit(event.seconds, event.next_set, event.sets, event.text)
            case ev.SessionStarted(template=template, progress=progress):
                page.begin(template, progress)
            case ev.SetStarted(progress=progress):
                page.show_progress(progress)
            case ev.SessionFinished(outcome=outcome, saving=saving):
                self._save(outcome, saving)
                self.finished.emit(outcome)

    def _render_test(self, event: object) -> None:
        """A clinical test's own events, on the live page and as signals for the windows."""
        match event:
            case TrialStarted(test=test, trial=trial, trials=trials, side=side):
                self.page.begin_test(test, trial, trials, side)
            case TrialShown(progress=progress):
                self.page.show_trial(progress)
            case TrialEnded(result=result, next_side=next_side):
                self.feedback.rep(result.completed)
                if next_side is not None:
                    self.trialEnded.emit(result, next_side)
            case ClinicalFinished(test=test, results=results, outcome=outcome, saving=saving):
                if saving is not None:
                    self.results.watch(
                        saving,
                        self.testSaved.emit,
                        lambda error: self.testSaved.emit(SaveResult(None, error=str(error))),
                    )
                self.testFinished.emit(test, results, outcome)

    def _hide_info_notice(self) -> None:
        if self.page.notice.kind == "info":
            self.page.notice.hide_notice()

    def _save(self, outcome: SessionOutcome, saving: Future[SaveResult] | None) -> None:
        """Tell when the session's end is written; queue the optional JSON report after it."""
        if saving is not None:
            self.results.watch(
                saving,
                lambda result: self._saved(outcome, result),
                lambda error: self._saved(outcome, SaveResult(None, error=str(error))),
            )
        folder = self.options.export_dir
        if folder is not None:
            self.results.watch(
                self.store.call(lambda _store: export_report(outcome, folder)),
                lambda _path: None,
                lambda error: log.error("JSON report not written: %s", error),
            )

    def _saved(self, outcome: SessionOutcome, result: SaveResult) -> None:
        outcome.saved = result
        if result.error:
            log.error("session not saved: %s", result.error)
        elif result.in_memory:
            log.error("session %s: %s", result.uid, result.describe("en"))
        self._waiting_outcome = None if result.in_database or result.error else outcome
        self.saved.emit(outcome)
        if outcome.check_in is not None:
            self._write_check_in(outcome)

    def sync_waiting(self) -> None:
        """Offer what waits to the database again; the summary then says where the last session is now."""
        self.store.sync_waiting()
        outcome = self._waiting_outcome
        if outcome is not None and outcome.saved is not None and outcome.saved.uid is not None:
            self.results.watch(self.store.save_state(outcome.saved.uid), lambda now: self._saved_since(outcome, now))

    def _saved_since(self, outcome: SessionOutcome, result: SaveResult) -> None:
        if result == outcome.saved:
            return
        outcome.saved = result
        if result.in_database and self._waiting_outcome is outcome:
            self._waiting_outcome = None
        self.saved.emit(outcome)

    def record_check_in(self, outcome: SessionOutcome, pain: int | None, effort: int | None) -> None:
        """The patient's answers after the exercise; written once the session itself is saved."""
        outcome.check_in = (pain, effort)
        if outcome.saved is not None:
            self._write_check_in(outcome)

    def _write_check_in(self, outcome: SessionOutcome) -> None:
        assert outcome.check_in is not None and outcome.saved is not None
        lang = self.options.language
        uid, (pain, effort) = outcome.saved.uid, outcome.check_in
        if uid is None or outcome.saved.error:
            self._check_in_result(outcome, tr("Your answers could not be saved; please tell your therapist.", lang))
            return

        # The recorder writes them where the session is: the database, or the local journal (or, on a
        # full disk, the memory) it waits in.
        def write(_store: object) -> tuple[bool, bool, int | None]:  # on the store thread, where the recorder lives
            recorder = self.store.recorder
            offline = recorder.record_check_in(uid, pain, effort)
            in_memory = recorder.waiting(uid).memory_ops > 0
            # The answer before this one, for the rise rule: only worth a query when pain was answered.
            return offline, in_memory, recorder.previous_pain(uid) if pain is not None else None

        self.results.watch(
            self.store.call(write),
            lambda written: self._check_in_written(outcome, *written),
            lambda error: self._check_in_failed(outcome, error),
        )

    def _check_in_written(self, outcome: SessionOutcome, offline: bool, in_memory: bool, previous: int | None) -> None:
        lang = self.options.language
        if in_memory:
            text = tr(
                "Your answers are not saved yet: this computer cannot write them now. The app saves them as soon "
                "as it can; please tell your therapist.",
                lang,
            )
        elif offline:
            text = tr(
                "Your answers are saved on this computer; they will reach your therapist when the database is back.",
                lang,
            )
        else:
            text = tr("Thank you, your answers are saved.", lang)
        self._check_in_result(outcome, text, previous)

    def _check_in_result(self, outcome: SessionOutcome, text: str, previous: int | None = None) -> None:
        """Whether saved or not: after a flagged pain answer (session/pain_rule.py), say what to do."""
        pain = outcome.check_in[0] if outcome.check_in is not None else None
        self.checkInSaved.emit(outcome, text, pain_advice(pain, self.options.language, previous))

    def _check_in_failed(self, outcome: SessionOutcome, error: BaseException) -> None:
        log.error("check-in not saved: %s", error)
        self._check_in_result(
            outcome, tr("Your answers could not be saved; please tell your therapist.", self.options.language)
        )

    # ---- the worker, as the session's pipeline -------------------------------------

    def _start_worker(self, spec: SourceSpec, coach: Coach, timeline: Timeline) -> None:
        worker = LiveWorker(spec, coach, self.pose_model, self.options.opener, timeline=timeline)
        worker.frameReady.connect(self._on_frame, Qt.ConnectionType.QueuedConnection)
        worker.sourceStatus.connect(self._on_source_status)
        worker.failed.connect(self._on_failed)
        worker.crashed.connect(self._on_crashed)
        worker.streamEnded.connect(self._on_stream_ended)
        worker.backendReady.connect(self._on_backend)
        worker.finished.connect(self._on_worker_finished)
        self.page.video.resized.connect(worker.set_display_size)
        ratio = self.page.video.devicePixelRatioF()
        worker.set_display_size(round(self.page.video.width() * ratio), round(self.page.video.height() * ratio))
        self.worker = worker
        worker.start()

    def _release_worker(self) -> None:
        if self.worker is not None:
            self.page.video.resized.disconnect(self.worker.set_display_size)
            self.worker.deleteLater()
        self.worker = None

    # The worker's signals arrive here, on the GUI thread (queued), and go on to the session.

    def _on_frame(self, shown: ShownFrame) -> None:
        try:
            if not self.session.takes_frames:
                return
            self.page.show_frame(shown)
            self.session.on_frame(shown.result)
            self.frameShown.emit(shown)
        finally:
            if self.worker is not None:
                self.worker.frame_shown()

    def _on_source_status(self, state: str, message: str) -> None:
        self.session.on_source_status(state, message)

    def _on_failed(self, message: str) -> None:
        self.session.on_failed(message)

    def _on_crashed(self, message: str) -> None:
        self.session.on_crashed(message)

    def _on_stream_ended(self) -> None:
        self.session.on_stream_ended()

    def _on_backend(self, description: str) -> None:
        self.session.on_backend(description)

    def _on_worker_finished(self) -> None:
        self.session.on_pipeline_stopped()

    def _painted(self, captured: float) -> None:
        self.session.perf.frame_painted(captured)

    # ---- status bar ----------------------------------------------------------

    def status_line(self) -> str:
        if self.worker is None:
            return self.feedback.describe()
        dropped = self.worker.dropped
        # Capture-to-paint: from the camera's capture of a frame to its paint on screen (the last 2 s).
        return (
            f"{self.worker.spec.describe()} · {self.backend or 'starting…'} · {self.perf.fps():.1f} fps · "
            f"capture→paint {self.perf.latency_ms():.0f} ms (p95 {self.perf.latency_p95_ms():.0f}) · "
            f"{dropped} frames skipped · {self.feedback.describe()}"
        )


class _WorkerPipeline:
    """The session's `Pipeline` port: the controller's `LiveWorker` thread."""

    def __init__(self, controller: SessionController) -> None:
        self.controller = controller

    def start(self, spec: SourceSpec, coach: Coach, timeline: Timeline) -> None:
        self.controller._start_worker(spec, coach, timeline)

    def stop(self) -> bool:
        worker = self.controller.worker
        if worker is None or not worker.isRunning():
            return False
        worker.stop()
        return True

    def release(self) -> None:
        self.controller._release_worker()

    def set_coaching(self, on: bool) -> None:
        if self.controller.worker is not None:
            self.controller.worker.set_coaching(on)

    def pause_file(self, paused: bool) -> None:
        if self.controller.worker is not None:
            self.controller.worker.pause_file(paused)

    def switch_source(self, spec: SourceSpec) -> None:
        if self.controller.worker is not None:
            self.controller.worker.switch_source(spec)

    def is_running(self) -> bool:
        return self.controller.worker is not None and self.controller.worker.isRunning()

    @property
    def dropped(self) -> int:
        return self.controller.worker.dropped if self.controller.worker is not None else 0
