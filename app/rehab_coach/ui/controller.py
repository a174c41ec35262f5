"""The live session on the screen: a thin Qt adapter around the Qt-free `LiveSession`.

The session model (`session.live.lifecycle`) owns the lifecycle: countdown, sets and rest, pauses,
the watchdogs and recording; the windows drive it through `controller.session`. This adapter gives
it time (a timer calls `tick`), renders its events on the live page (and re-emits the ones other
screens need as Qt signals), and gives each session its frame pipeline: a `ThreadedPipeline`
(session/live/pipeline.py) whose reports `PipelineSignals` carries to the GUI thread, straight
to the session's `on_*` methods; a frame is painted first, then given to the session, then the
pipeline is told it may send the next. Every database call is queued on the store thread
(`StoreThread`): none runs here.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import Future
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from rehab_coach.capture.sources import SourceSpec
from rehab_coach.engine.clinical import ClinicalTest
from rehab_coach.engine.templates import Template
from rehab_coach.pose.backend import create_backend
from rehab_coach.pose.holder import BackendHolder
from rehab_coach.session.clinical.run import ClinicalFinished, ClinicalSession, TrialEnded, TrialShown, TrialStarted
from rehab_coach.session.live import events as ev
from rehab_coach.session.live.events import ACTIVE, SessionSettings, SessionState
from rehab_coach.session.live.lifecycle import LiveSession
from rehab_coach.session.live.outcome import SessionOutcome, export_report
from rehab_coach.session.live.patient_summary import pain_advice
from rehab_coach.session.live.pipeline import ThreadedPipeline
from rehab_coach.session.live.store_thread import CheckInSaved, SaveResult, StoreThread
from rehab_coach.session.store import ProgramItemInfo
from rehab_coach.ui.audio import Feedback
from rehab_coach.ui.background import Results
from rehab_coach.ui.options import LaunchOptions
from rehab_coach.ui.pages.live import LivePage
from rehab_coach.ui.pipeline_signals import PipelineSignals
from rehab_coach.ui.shown_frame import ShownFrame
from rehab_coach.ui.strings import tr

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
        # One pose model for the app's lifetime: later sessions and restarted pipelines reuse it.
        backend, backend_options = options.backend, dict(options.backend_options)
        self.pose_model = BackendHolder(lambda: create_backend(backend, **backend_options))
        self._signals: dict[ThreadedPipeline, PipelineSignals] = {}
        self.exercise_pipeline = self._new_pipeline()
        self.exercise_session = LiveSession(self.exercise_pipeline, store, self._settings(), clock=time.monotonic)
        self.exercise_session.subscribe(self._render)
        # A standard clinical test runs as a session of its own kind, on a pipeline of its own and the same store.
        self.test_pipeline = self._new_pipeline()
        self.test_session = ClinicalSession(self.test_pipeline, store, self._settings(), clock=time.monotonic)
        self.test_session.subscribe(self._render)
        self.test_session.subscribe(self._render_test)
        self._connect(self.exercise_session, self.exercise_pipeline)
        self._connect(self.test_session, self.test_pipeline)
        self.session: LiveSession = self.exercise_session  # the one running, or the last to run
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
        self._connect_page(page)

    @property
    def pipeline(self) -> ThreadedPipeline:
        """The frame pipeline of the session running (or the last to run)."""
        return self.exercise_pipeline if self.session is self.exercise_session else self.test_pipeline

    def _settings(self) -> SessionSettings:
        options = self.options
        return SessionSettings(options.language, options.countdown, options.framing_check, options.kiosk)

    def set_page(self, page: LivePage) -> None:
        """Show sessions on another live page (the kiosk rebuilt its pages in another language)."""
        if self.session.state not in (SessionState.IDLE, SessionState.DONE):
            raise RuntimeError("the live page cannot change during a session")
        self.page.video.painted.disconnect(self._painted)
        for pipeline in self._signals:
            self.page.video.resized.disconnect(pipeline.set_display_size)
        self.page = page
        self._connect_page(page)

    def _connect_page(self, page: LivePage) -> None:
        page.video.painted.connect(self._painted)
        for pipeline in self._signals:
            page.video.resized.connect(pipeline.set_display_size)

    def _size_pipeline(self) -> None:
        """Frames are shrunk to the video view as it is now; `resized` follows it from here."""
        video = self.page.video
        ratio = video.devicePixelRatioF()
        self.pipeline.set_display_size(round(video.width() * ratio), round(video.height() * ratio))

    # ---- starting and ending ---------------------------------------------------

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
        self._size_pipeline()
        self.session.start(template, spec, patient=patient, program_item=program_item, overrides=overrides)

    def start_test(self, test: ClinicalTest | str, spec: SourceSpec, *, patient: str | None = None) -> None:
        """Start a standard clinical test for `patient` (a pseudonymous code; None: a guest)."""
        if self.session.state not in (SessionState.IDLE, SessionState.DONE):
            raise RuntimeError("a session is already running")
        self.session = self.test_session
        self.session.settings = self._settings()
        self._ticks.start()
        self._size_pipeline()
        self.test_session.start_test(test, spec, patient=patient)

    def next_trial(self) -> None:
        """A single-leg stance's other leg."""
        if self.session is self.test_session:
            self.test_session.next_trial()

    def shutdown(self, timeout: float = 10.0) -> None:
        """The app is closing: end the session, let its records reach the store, free the model."""
        self.session.finish()
        if self.pipeline.spec is not None and self.pipeline.join(3.0):
            self.session.on_pipeline_stopped()  # the queued `stopped` may never be delivered now
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
        uid, (pain, effort) = outcome.saved.uid, outcome.check_in
        if uid is None or outcome.saved.error:
            self._check_in_result(
                outcome, tr("Your answers could not be saved; please tell your therapist.", self.options.language)
            )
            return
        self.results.watch(
            self.store.record_check_in(uid, pain, effort),
            lambda written: self._check_in_written(outcome, written),
            lambda error: self._check_in_failed(outcome, error),
        )

    def _check_in_written(self, outcome: SessionOutcome, written: CheckInSaved) -> None:
        lang = self.options.language
        if written.in_memory:
            text = tr(
                "Your answers are not saved yet: this computer cannot write them now. The app saves them as soon "
                "as it can; please tell your therapist.",
                lang,
            )
        elif written.offline:
            text = tr(
                "Your answers are saved on this computer; they will reach your therapist when the database is back.",
                lang,
            )
        else:
            text = tr("Thank you, your answers are saved.", lang)
        self._check_in_result(outcome, text, written.previous_pain)

    def _check_in_result(self, outcome: SessionOutcome, text: str, previous: int | None = None) -> None:
        """Whether saved or not: after a flagged pain answer (session/pain_rule.py), say what to do."""
        pain = outcome.check_in[0] if outcome.check_in is not None else None
        self.checkInSaved.emit(outcome, text, pain_advice(pain, self.options.language, previous))

    def _check_in_failed(self, outcome: SessionOutcome, error: BaseException) -> None:
        log.error("check-in not saved: %s", error)
        self._check_in_result(
            outcome, tr("Your answers could not be saved; please tell your therapist.", self.options.language)
        )

    # ---- the pipelines: their reports come here queued, on the GUI thread -------------

    def _new_pipeline(self) -> ThreadedPipeline:
        signals = PipelineSignals(self)
        pipeline = ThreadedPipeline(signals, self.pose_model, self.options.opener)
        self._signals[pipeline] = signals
        return pipeline

    def _connect(self, session: LiveSession, pipeline: ThreadedPipeline) -> None:
        signals, queued = self._signals[pipeline], Qt.ConnectionType.QueuedConnection
        signals.frameReady.connect(partial(self._on_frame, session, pipeline), queued)
        signals.sourceStatus.connect(session.on_source_status, queued)
        signals.failed.connect(session.on_failed, queued)
        signals.crashed.connect(session.on_crashed, queued)
        signals.streamEnded.connect(session.on_stream_ended, queued)
        signals.backendReady.connect(session.on_backend, queued)
        signals.stopped.connect(session.on_pipeline_stopped, queued)

    def _on_frame(self, session: LiveSession, pipeline: ThreadedPipeline, shown: ShownFrame) -> None:
        try:
            if not session.takes_frames:
                return
            self.page.show_frame(shown)
            session.on_frame(shown.result)
            self.frameShown.emit(shown)
        finally:
            pipeline.frame_shown()

    def _painted(self, captured: float) -> None:
        self.session.perf.frame_painted(captured)

    # ---- status bar ----------------------------------------------------------

    def status_line(self) -> str:
        pipeline, session = self.pipeline, self.session
        if pipeline.spec is None:
            return self.feedback.describe()
        perf = session.perf
        # Capture-to-paint: from the camera's capture of a frame to its paint on screen (the last 2 s).
        return (
            f"{pipeline.spec.describe()} · {session.backend or 'starting…'} · {perf.fps():.1f} fps · "
            f"capture→paint {perf.latency_ms():.0f} ms (p95 {perf.latency_p95_ms():.0f}) · "
            f"{pipeline.dropped} frames skipped · {self.feedback.describe()}"
        )
