"""One live session: the worker, the countdown, sets and rest, cues and sounds, recording, the end.

The controller lives on the GUI thread. It only reacts to the worker's signals and
never touches the coach while the worker runs; it reads the coach once the worker
thread has finished. Every rep, cue and set goes to the database as it is shown, queued
on the store thread (`StoreThread`): a database call never runs here.

Two watchdogs keep a session going unattended (kiosk): a worker that crashes is restarted
with the same coach and clock (reps so far stay, recorded and on screen), and a camera that
silently stops delivering frames is reopened.

Each set begins with a framing check ("framing", live cameras by default): the picture with a
guide, until the body is in view and stands the right way to the camera for a second (or the
patient skips it). No frame reaches the coach meanwhile, so nothing is counted.
A wrong view during the set pauses it the same way ("turned"), wherever the framing check runs:
coaching stops, the cue to turn stays on screen, and the set goes on once the framing check is
satisfied again. A recording cannot turn, so there it is cued and measured anyway.

Absence pauses the session by itself ("away"): the person left, or the joints the exercise
needs vanished. Frames keep flowing through the coach meanwhile (so the return is seen; the
engine drops a rep the absence cut short instead of reporting a fragment) and the session
goes on once the person is back in full view.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from rehab_coach import i18n
from rehab_coach.capture.pacing import Timeline
from rehab_coach.capture.sources import SourceSpec
from rehab_coach.engine.coach import VIEW_CUES, Coach
from rehab_coach.engine.framing import FramingCheck
from rehab_coach.engine.templates import Template
from rehab_coach.engine.types import FrameUpdate, RepResult
from rehab_coach.pose.backend import create_backend
from rehab_coach.pose.holder import BackendHolder
from rehab_coach.session.flow import SetProgress
from rehab_coach.session.latency import PerfMeter
from rehab_coach.session.outcome import SessionOutcome, export_report
from rehab_coach.session.store import ProgramItemInfo
from rehab_coach.session.store_thread import SaveResult, StoreThread
from rehab_coach.ui.audio import Feedback
from rehab_coach.ui.background import Results
from rehab_coach.ui.options import LaunchOptions
from rehab_coach.ui.pages.live import LivePage, joint_words
from rehab_coach.ui.strings import tr
from rehab_coach.ui.worker import LiveWorker, ShownFrame

log = logging.getLogger(__name__)

ACTIVE = ("framing", "countdown", "running", "paused", "away", "turned", "resting")
AWAY_SECONDS = 1.0  # nobody, or not the joints the exercise needs, in view this long: the session pauses itself
RETURN_SECONDS = 1.0  # ... and goes on once the person has been back in full view this long
WRONG_VIEW_SECONDS = 1.0  # standing the wrong way to the camera this long pauses scoring
MAX_RESTARTS = 3  # worker crashes within RESTART_WINDOW before the session is ended instead
RESTART_WINDOW = 60.0
STALL_SECONDS = 5.0  # a camera silent this long (without reporting an error) is reopened


class SessionController(QObject):
    restRequested = Signal(float, int, int, str)  # seconds, next set, sets, how the last set went
    finished = Signal(object)  # SessionOutcome, as soon as the session ends
    saved = Signal(object)  # SessionOutcome, once the store thread has written its end (outcome.saved)
    checkInSaved = Signal(object, str)  # SessionOutcome, what became of the patient's answers (in words)
    frameShown = Signal(object)  # ShownFrame, after the live page took it (screenshots, tests)
    stateChanged = Signal(str)

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
        self.state = "idle"  # framing, countdown, running, paused, away, turned, resting, finishing, done
        self.worker: LiveWorker | None = None
        self.coach: Coach | None = None
        self.progress: SetProgress | None = None
        self.perf = PerfMeter()
        # One pose model for the app's lifetime: later sessions and restarted workers reuse it.
        backend, backend_options = options.backend, dict(options.backend_options)
        self.pose_model = BackendHolder(lambda: create_backend(backend, **backend_options))
        self.backend = ""  # what runs the pose model, in words
        self.events: list[dict[str, Any]] = []
        self.frame_size = (0, 0)
        self.patient: str | None = None
        self.timeline = Timeline()
        self.last_person_at = self.last_frame_at = time.monotonic()
        self.restarts: list[float] = []
        self._crashed = ""
        self._source_down = False
        self._started = datetime.now()
        self._count = 0
        self._unseen_since: float | None = None  # session time the person was last lost from view
        self._back_since: float | None = None  # ... and when they were seen again, while away
        self._wrong_view_since: float | None = None  # session time the view stopped fitting the exercise
        self.framing: FramingCheck | None = None
        self.results = Results(self)
        self._countdown = QTimer(self, interval=1000)
        self._countdown.timeout.connect(self._tick)
        self._watchdog = QTimer(self, interval=1000)
        self._watchdog.timeout.connect(self._check_source)
        page.video.painted.connect(self._painted)

    def set_page(self, page: LivePage) -> None:
        """Show sessions on another live page (the kiosk rebuilt its pages in another language)."""
        if self.state not in ("idle", "done"):
            raise RuntimeError("the live page cannot change during a session")
        self.page.video.painted.disconnect(self._painted)
        self.page = page
        page.video.painted.connect(self._painted)

    # ---- lifecycle -----------------------------------------------------------

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
        self.coach = Coach(template, self.options.language)
        self.framing = FramingCheck(template.view, self.coach.required, template.side)
        self.progress = SetProgress.from_dosage(template.dosage)
        self.perf = PerfMeter()
        self.events, self.backend, self._started, self.patient = [], "", datetime.now(), patient
        self.timeline, self.restarts, self._crashed, self._source_down = Timeline(), [], "", False
        self.last_person_at = self.last_frame_at = time.monotonic()
        self.page.begin(template, self.progress)
        self.store.start_session(patient, template, program_item, overrides or None)
        self.store.start_set(self.progress.set_index)
        self._start_worker(spec)
        self._watchdog.start()
        self._begin_set()

    def _start_worker(self, spec: SourceSpec) -> None:
        assert self.coach is not None
        worker = LiveWorker(spec, self.coach, self.pose_model, self.options.opener, timeline=self.timeline)
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

    def _set_state(self, state: str) -> None:
        self.state = state
        self.stateChanged.emit(state)

    def _framing_wanted(self) -> bool:
        """The framing check runs before each set: by default for a live camera only (a recording
        cannot be re-framed), always or never when the launch options say so."""
        if self.options.framing_check is not None:
            return self.options.framing_check
        spec = self.worker.spec if self.worker is not None else self.options.source
        return spec.live

    def _begin_set(self) -> None:
        if self._framing_wanted():
            self._begin_framing()
        else:
            self._begin_countdown()

    def _begin_framing(self) -> None:
        assert self.framing is not None
        self.framing.reset()
        self._set_state("framing")
        self.page.video.set_big_text("")
        self.page.banner.show_text(tr("Framing check", self.options.language))
        self.page.show_framing(self.framing.state)
        if self.worker is not None:  # a preview that keeps moving: files advance, nothing is coached
            self.worker.set_coaching(False)
            self.worker.hold(False)

    def skip_framing(self) -> None:
        """The patient or therapist starts the set without waiting for the check."""
        if self.state == "framing":
            self._event("framing_skipped")
            self.page.show_framing(None)
            self._go()
        elif self.state == "turned":
            self._event("view_check_skipped")
            self.page.show_framing(None)
            self._go(wrong_view_ok=True)

    def _watch_framing(self, person: object, t: float) -> None:
        assert self.framing is not None
        state = self.framing.observe(person, t)  # type: ignore[arg-type]
        self.page.show_framing(state)
        if not state.go:
            return
        self._event("framing_ok" if self.state == "framing" else "view_back", f"{state.view} ({state.view_fit})")
        self.page.show_framing(None)
        self._go()

    def _begin_countdown(self) -> None:
        self._count = self.options.countdown
        self._set_state("countdown")
        if self._count <= 0:
            self._go()
            return
        self.page.video.set_big_text(str(self._count))
        self.page.banner.show_text(tr("Get ready", self.options.language))
        self._countdown.start()

    def _tick(self) -> None:
        self._count -= 1
        if self._count > 0:
            self.page.video.set_big_text(str(self._count))
        else:
            self._countdown.stop()
            self._go()

    def _go(self, *, wrong_view_ok: bool = False) -> None:
        self.page.video.set_big_text("")
        self.page.banner.clear()
        self._unseen_since = self._back_since = None
        # A skipped check lets a wrong view through: it is the patient's or therapist's call.
        self._wrong_view_since = float("inf") if wrong_view_ok else None
        self._set_state("running")
        self._resume_pipeline()

    def _resume_pipeline(self) -> None:
        if self.worker is not None:
            self.worker.set_coaching(True)
            self.worker.hold(False)

    def toggle_pause(self) -> None:
        if self.state in ("running", "away", "turned", "framing"):
            self.page.show_framing(None)
            self._pause_pipeline()
            self._set_state("paused")
            lang = self.options.language
            hint = tr("Tap Resume to continue", lang) if self.options.kiosk else tr("Press Space to continue", lang)
            self.page.video.set_big_text(tr("Paused", lang) + f"\n{hint}")
            self._event("paused")
        elif self.state == "paused":
            self._event("resumed")
            self._begin_countdown()

    def _pause_pipeline(self) -> None:
        if self.worker is not None:
            self.worker.set_coaching(False)
            self.worker.hold(True)

    def finish(self) -> None:
        """End the session: stop the worker; the summary follows when its thread is done."""
        if self.state in ("idle", "finishing", "done"):
            return
        self._countdown.stop()
        self.page.show_framing(None)
        self._set_state("finishing")
        if self.worker is not None and self.worker.isRunning():
            self.worker.stop()
        else:
            self._on_worker_finished()

    def _on_worker_finished(self) -> None:
        if self._crashed and self.state in ACTIVE:
            self._restart_worker()
            return
        # A worker that stopped on its own has said why (failed); the session waits for S.
        if self.state != "finishing" or self.coach is None or self.progress is None:
            return
        self._watchdog.stop()
        for rep in self.coach.finish():  # a rep in progress counts as partial
            self.progress.current.append(rep)
            self.store.record_rep(rep)
        outcome = self._outcome()
        self._release_worker()
        self._save(outcome)
        self._set_state("done")
        self.finished.emit(outcome)

    def _save(self, outcome: SessionOutcome) -> None:
        """Queue the session's end (and the optional JSON report) on the store thread."""
        self.results.watch(
            self.store.finish_session(outcome.stored_summary(), outcome.status),  # type: ignore[arg-type]
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
        self.saved.emit(outcome)
        if outcome.check_in is not None:
            self._write_check_in(outcome)

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
            self.checkInSaved.emit(outcome, tr("Your answers could not be saved; please tell your therapist.", lang))
            return
        # The recorder writes them where the session is: the database, or the local journal it waits in.
        self.results.watch(
            self.store.call(lambda _store: self.store.recorder.record_check_in(uid, pain, effort)),
            lambda offline: self._check_in_written(outcome, offline),
            lambda error: self._check_in_failed(outcome, error),
        )

    def _check_in_written(self, outcome: SessionOutcome, offline: bool) -> None:
        lang = self.options.language
        if offline:
            text = tr(
                "Your answers are saved on this computer; they will reach your therapist when the database is back.",
                lang,
            )
        else:
            text = tr("Thank you, your answers are saved.", lang)
        self.checkInSaved.emit(outcome, text)

    def _check_in_failed(self, outcome: SessionOutcome, error: BaseException) -> None:
        log.error("check-in not saved: %s", error)
        self.checkInSaved.emit(
            outcome, tr("Your answers could not be saved; please tell your therapist.", self.options.language)
        )

    def _release_worker(self) -> None:
        if self.worker is not None:
            self.page.video.resized.disconnect(self.worker.set_display_size)
            self.worker.deleteLater()
        self.worker = None

    def _outcome(self) -> SessionOutcome:
        assert self.coach is not None and self.progress is not None
        spec = self.worker.spec if self.worker is not None else self.options.source
        fps = 1 / self.timeline.step
        perf = {**self.perf.summary(), "frames_dropped": self.worker.dropped if self.worker else 0}
        done = self.progress.sets_completed >= self.progress.sets
        return SessionOutcome(
            coach=self.coach,
            source=spec,
            backend=self.backend or "not started",
            frame_size=self.frame_size,
            fps=fps,
            started=self._started,
            sets_completed=self.progress.sets_completed,
            sets_planned=self.progress.sets,
            perf=perf,
            events=self.events,
            patient=self.patient,
            status="completed" if done else "stopped",
            reps_per_set=[sum(1 for r in reps if r.complete) for reps in self.progress.per_set],
            reps_planned=self.progress.reps,
        )

    def switch_source(self, spec: SourceSpec) -> None:
        """Go on with the same session from another source; reps and charts are kept."""
        if self.worker is None or self.state in ("finishing", "done", "idle"):
            return
        self._event("source", spec.describe())
        self.page.notice.show_notice(
            tr("Switched to {0}", self.options.language, spec.describe()), "info", actions=False
        )
        QTimer.singleShot(3000, self._hide_info_notice)
        self.worker.switch_source(spec)

    # ---- watchdogs -----------------------------------------------------------

    def _on_crashed(self, message: str) -> None:
        # The thread ends right after this; `_on_worker_finished` starts the next one.
        self._crashed = message
        self._event("worker_crashed", message)

    def _restart_worker(self) -> None:
        now = time.monotonic()
        self.restarts = [t for t in self.restarts if now - t < RESTART_WINDOW] + [now]
        spec = self.worker.spec if self.worker is not None else self.options.source
        self._release_worker()
        self._crashed = ""
        if len(self.restarts) > MAX_RESTARTS:
            self.page.notice.show_notice(
                tr("The coaching keeps failing; the session has ended and is saved.", self.options.language),
                "error",
                actions=False,
            )
            self._event("worker_given_up", f"{len(self.restarts)} crashes in {RESTART_WINDOW:.0f} s")
            self.finish()
            return
        self._start_worker(spec)
        if self.state == "running":
            self._resume_pipeline()
        self._event("worker_restarted")
        self.page.notice.show_notice(
            tr("Coaching restarted after an error; your reps so far are kept.", self.options.language),
            "info",
            actions=False,
        )
        QTimer.singleShot(3000, self._hide_info_notice)

    def _check_source(self) -> None:
        """A camera that neither delivers frames nor reports an error (a wedged driver) is reopened."""
        if not self.backend and not self._source_down:
            # Still starting (the model loads on the first frame): nobody can be seen yet, and
            # that must not count as "nobody in view" (the kiosk's idle timeout).
            self.last_person_at = time.monotonic()
        worker = self.worker
        if (
            worker is None
            or self.state not in ACTIVE
            or not worker.spec.live
            or self._source_down
            or not worker.isRunning()
        ):
            return
        if time.monotonic() - self.last_frame_at > STALL_SECONDS:
            self._event("source_stalled", f"no frame for {STALL_SECONDS:.0f} s: reopening {worker.spec.describe()}")
            self.last_frame_at = time.monotonic()
            worker.switch_source(worker.spec)

    # ---- worker signals ------------------------------------------------------

    def _painted(self, captured: float) -> None:
        self.perf.frame_painted(captured)

    def _on_frame(self, shown: ShownFrame) -> None:
        try:
            if self.state in ("finishing", "done", "idle"):
                return
            result = shown.result
            self.last_frame_at = time.monotonic()
            if result.person is not None:
                self.last_person_at = self.last_frame_at
            self.frame_size = result.frame_size
            self.perf.frame_processed(result.infer_ms)
            self.page.show_frame(shown)
            if self.state in ("framing", "turned"):
                self._watch_framing(result.person, result.t)
            for rep in result.new_reps:
                self._on_rep(rep)
            if result.update is not None:
                self._watch_presence(result.update)
            for cue in result.cues:
                self.store.record_cue(cue)
                self.page.banner.show_cue(cue)
                self.feedback.say(cue.text)
            self.frameShown.emit(shown)
        finally:
            if self.worker is not None:
                self.worker.frame_shown()

    def _watch_presence(self, update: FrameUpdate) -> None:
        """Pause while the person (or a joint the exercise needs) is out of view; go on when they are back."""
        if self.state == "running":
            if update.visible:
                self._unseen_since = None
                if self._framing_wanted():  # a recording cannot turn: it is cued and measured anyway
                    self._watch_view(update)
                return
            self._unseen_since = update.t if self._unseen_since is None else self._unseen_since
            if update.t - self._unseen_since >= AWAY_SECONDS:
                self._back_since = None
                self._set_state("away")
                self._event("away", "nobody in view" if update.person is None else ", ".join(update.missing_joints))
                self._show_away(update)
        elif self.state == "away":
            if not update.visible:
                self._back_since = None
                self._show_away(update)
                return
            self._back_since = update.t if self._back_since is None else self._back_since
            if update.t - self._back_since >= RETURN_SECONDS:
                self._event("back")
                self._go()

    def _watch_view(self, update: FrameUpdate) -> None:
        """Standing the wrong way to the camera: pause scoring (no rep, no fault) and say how to turn."""
        if update.view_fit != "wrong":
            self._wrong_view_since = None
            return
        self._wrong_view_since = update.t if self._wrong_view_since is None else self._wrong_view_since
        if update.t - self._wrong_view_since < WRONG_VIEW_SECONDS:
            return
        assert self.coach is not None and self.framing is not None
        wanted = self.coach.template.view
        self._event("turned", f"{update.view} seen, {wanted} wanted")
        self._pause_pipeline()
        if self.worker is not None:
            self.worker.hold(False)  # keep a file moving, so the turn back is seen
        self.framing.reset()
        self._set_state("turned")
        self.page.banner.show_text(i18n.gettext(VIEW_CUES[wanted], self.options.language))
        self.page.show_framing(self.framing.observe(update.person, update.t))

    def _show_away(self, update: FrameUpdate) -> None:
        lang = self.options.language
        if update.person is None:
            hint = tr("Step back into view to continue", lang)
        else:
            hint = tr("Can't see: {0}", lang, joint_words(update.missing_joints, lang))
        self.page.video.set_big_text(tr("Paused", lang) + f"\n{hint}")

    def _on_rep(self, rep: RepResult) -> None:
        assert self.progress is not None
        self.store.record_rep(rep)
        self.feedback.rep(rep.complete)
        progress = self.progress.add(rep)
        self.page.show_progress(self.progress)
        if self.state not in ("running", "away"):
            return
        if progress == "all_done":
            self.finish()
        elif progress == "set_done":
            self._rest()

    def _rest(self) -> None:
        assert self.progress is not None
        self._pause_pipeline()
        self._set_state("resting")
        reps = [r for r in self.progress.current if r.complete]
        average = sum(r.quality for r in reps) / len(reps) if reps else 0.0
        text = tr(
            "Set {0}: {1} reps, average quality {2}",
            self.options.language,
            self.progress.set_index,
            len(reps),
            f"{average:.0f}",
        )
        self._event("rest", text)
        self.restRequested.emit(self.progress.rest_seconds, self.progress.set_index + 1, self.progress.sets, text)

    def end_rest(self) -> None:
        if self.state != "resting" or self.progress is None:
            return
        self.progress.next_set()
        self.store.start_set(self.progress.set_index)
        self.page.show_progress(self.progress)
        self._begin_set()

    def _source_is_camera(self) -> bool:
        spec = self.worker.spec if self.worker is not None else self.options.source
        return spec.kind == "camera"

    def _on_source_status(self, state: str, message: str) -> None:
        self._event(f"source_{state}", message)
        self._source_down = state in ("lost", "error")
        self.last_frame_at = time.monotonic()
        if state == "lost":
            self.page.notice.show_notice(
                tr("{0} Retrying every second; your session so far is kept.", self.options.language, message),
                "warning",
                retry=self._source_is_camera(),
            )
        elif state == "ok":
            self.page.notice.show_notice(message, "info", actions=False)
            QTimer.singleShot(3000, self._hide_info_notice)
        elif state == "error":
            self.page.notice.show_notice(message, "error", retry=self._source_is_camera())

    def _hide_info_notice(self) -> None:
        if self.page.notice.kind == "info":
            self.page.notice.hide_notice()

    def _on_failed(self, message: str) -> None:
        self._event("failed", message)
        lang = self.options.language
        action = (
            tr("Tap Finish to end the session (it is kept).", lang)
            if self.options.kiosk
            else tr("Press S to end the session (it is kept) or open a video file.", lang)
        )
        self.page.notice.show_notice(f"{message} {action}", "error", retry=self._source_is_camera())

    def _on_stream_ended(self) -> None:
        if self.state in ACTIVE:
            self.finish()

    def _on_backend(self, description: str) -> None:
        self.last_person_at = time.monotonic()  # the first frame is through (see _check_source)
        self.backend = description
        self._event("backend", description)

    def _event(self, kind: str, detail: str = "") -> None:
        self.events.append({"at": round(time.time(), 3), "kind": kind, "detail": detail})
        log.info("session event %s %s", kind, detail)

    def shutdown(self, timeout: float = 10.0) -> None:
        """The app is closing: end the session, let its records reach the store, free the model."""
        self.finish()
        if self.worker is not None and self.worker.wait(3000):
            self._on_worker_finished()  # the queued `finished` may never be delivered now
        self.store.close(timeout)
        self.pose_model.close()

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
