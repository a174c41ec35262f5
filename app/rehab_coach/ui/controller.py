"""One live session: the worker, the countdown, sets and rest, cues and sounds, the end.

The controller lives on the GUI thread. It only reacts to the worker's signals and
never touches the coach while the worker runs; it reads the coach once the worker
thread has finished.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from rehab_coach.engine.coach import Coach
from rehab_coach.engine.templates import Template
from rehab_coach.errors import RehabCoachError
from rehab_coach.pose.backend import create_backend
from rehab_coach.session.live import SourceSpec
from rehab_coach.ui.audio import Feedback
from rehab_coach.ui.flow import SetProgress
from rehab_coach.ui.options import LaunchOptions
from rehab_coach.ui.pages.live import LivePage
from rehab_coach.ui.perf import PerfMeter
from rehab_coach.ui.store import SessionOutcome, save_session
from rehab_coach.ui.strings import tr
from rehab_coach.ui.worker import LiveWorker, ShownFrame

log = logging.getLogger(__name__)


class SessionController(QObject):
    restRequested = Signal(float, int, int, str)  # seconds, next set, sets, how the last set went
    finished = Signal(object)  # SessionOutcome
    frameShown = Signal(object)  # ShownFrame, after the live page took it (screenshots, tests)
    stateChanged = Signal(str)

    def __init__(self, page: LivePage, feedback: Feedback, options: LaunchOptions, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.page, self.feedback, self.options = page, feedback, options
        self.state = "idle"  # countdown, running, paused, resting, finishing, done
        self.worker: LiveWorker | None = None
        self.coach: Coach | None = None
        self.progress: SetProgress | None = None
        self.perf = PerfMeter()
        self.backend = ""
        self.events: list[dict[str, Any]] = []
        self.frame_size = (0, 0)
        self._started = datetime.now()
        self._count = 0
        self._countdown = QTimer(self, interval=1000)
        self._countdown.timeout.connect(self._tick)
        page.video.painted.connect(self._painted)

    # ---- lifecycle -----------------------------------------------------------

    def start(self, template: Template, spec: SourceSpec) -> None:
        self.coach = Coach(template, self.options.language)
        self.progress = SetProgress.from_dosage(template.dosage)
        self.perf = PerfMeter()
        self.events, self.backend, self._started = [], "", datetime.now()
        self.page.begin(template, self.progress)
        backend = self.options.backend
        worker = LiveWorker(spec, self.coach, lambda: create_backend(backend), self.options.opener)
        worker.frameReady.connect(self._on_frame, Qt.ConnectionType.QueuedConnection)
        worker.sourceStatus.connect(self._on_source_status)
        worker.failed.connect(self._on_failed)
        worker.streamEnded.connect(self._on_stream_ended)
        worker.backendReady.connect(self._on_backend)
        worker.finished.connect(self._on_worker_finished)
        self.page.video.resized.connect(worker.set_display_size)
        ratio = self.page.video.devicePixelRatioF()
        worker.set_display_size(round(self.page.video.width() * ratio), round(self.page.video.height() * ratio))
        self.worker = worker
        worker.start()
        self._begin_countdown()

    def _set_state(self, state: str) -> None:
        self.state = state
        self.stateChanged.emit(state)

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

    def _go(self) -> None:
        self.page.video.set_big_text("")
        self.page.banner.clear()
        self._set_state("running")
        if self.worker is not None:
            self.worker.set_coaching(True)
            self.worker.hold(False)

    def toggle_pause(self) -> None:
        if self.state == "running":
            self._pause_pipeline()
            self._set_state("paused")
            self.page.video.set_big_text(f"{tr('Paused', self.options.language)}\n{tr('Press Space to continue', self.options.language)}")
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
        self._set_state("finishing")
        if self.worker is not None and self.worker.isRunning():
            self.worker.stop()
        else:
            self._on_worker_finished()

    def _on_worker_finished(self) -> None:
        # A worker that stopped on its own has said why (failed); the session waits for S.
        if self.state != "finishing" or self.coach is None or self.progress is None:
            return
        for rep in self.coach.finish():  # a rep in progress counts as partial
            self.progress.current.append(rep)
        outcome = self._outcome()
        try:
            save_session(outcome)
        except RehabCoachError as exc:
            log.error("%s", exc)
            self._event("save_failed", str(exc))
        if self.worker is not None:
            self.page.video.resized.disconnect(self.worker.set_display_size)
            self.worker.deleteLater()
        self.worker = None
        self._set_state("done")
        self.finished.emit(outcome)

    def _outcome(self) -> SessionOutcome:
        assert self.coach is not None and self.progress is not None
        spec = self.worker.spec if self.worker is not None else self.options.source
        fps = 1 / self.worker.timeline.step if self.worker is not None else 0.0
        perf = {**self.perf.summary(), "frames_dropped": self.worker.dropped if self.worker else 0}
        return SessionOutcome(
            coach=self.coach, source=spec, backend=self.backend or "not started", frame_size=self.frame_size, fps=fps,
            started=self._started, sets_completed=self.progress.sets_completed, sets_planned=self.progress.sets,
            perf=perf, events=self.events,
        )

    def switch_source(self, spec: SourceSpec) -> None:
        """Go on with the same session from another source; reps and charts are kept."""
        if self.worker is None or self.state in ("finishing", "done", "idle"):
            return
        self._event("source", spec.describe())
        self.page.notice.show_notice(f"Switched to {spec.describe()}", "info", actions=False)
        QTimer.singleShot(3000, self._hide_info_notice)
        self.worker.switch_source(spec)

    # ---- worker signals ------------------------------------------------------

    def _painted(self, captured: float) -> None:
        self.perf.frame_painted(captured)

    def _on_frame(self, shown: ShownFrame) -> None:
        try:
            if self.state in ("finishing", "done", "idle"):
                return
            result = shown.result
            self.frame_size = result.frame_size
            self.perf.frame_processed(result.infer_ms)
            self.page.show_frame(shown)
            for rep in result.new_reps:
                self._on_rep(rep)
            for cue in result.cues:
                self.page.banner.show_cue(cue)
                self.feedback.say(cue.text)
            self.frameShown.emit(shown)
        finally:
            if self.worker is not None:
                self.worker.frame_shown()

    def _on_rep(self, rep: Any) -> None:
        assert self.progress is not None
        self.feedback.rep(rep.complete)
        progress = self.progress.add(rep)
        self.page.show_progress(self.progress)
        if self.state != "running":
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
        text = f"Set {self.progress.set_index}: {len(reps)} reps, average quality {average:.0f}"
        self._event("rest", text)
        self.restRequested.emit(self.progress.rest_seconds, self.progress.set_index + 1, self.progress.sets, text)

    def end_rest(self) -> None:
        if self.state != "resting" or self.progress is None:
            return
        self.progress.next_set()
        self.page.show_progress(self.progress)
        self._begin_countdown()

    def _on_source_status(self, state: str, message: str) -> None:
        self._event(f"source_{state}", message)
        if state == "lost":
            self.page.notice.show_notice(f"{message} Retrying every second; your session so far is kept.", "warning")
        elif state == "ok":
            self.page.notice.show_notice(message, "info", actions=False)
            QTimer.singleShot(3000, self._hide_info_notice)
        elif state == "error":
            self.page.notice.show_notice(message, "error")

    def _hide_info_notice(self) -> None:
        if self.page.notice.kind == "info":
            self.page.notice.hide_notice()

    def _on_failed(self, message: str) -> None:
        self._event("failed", message)
        self.page.notice.show_notice(f"{message} Press S to end the session (it is kept) or open a video file.", "error")

    def _on_stream_ended(self) -> None:
        if self.state in ("running", "paused", "countdown", "resting"):
            self.finish()

    def _on_backend(self, description: str) -> None:
        self.backend = description
        self._event("backend", description)

    def _event(self, kind: str, detail: str = "") -> None:
        self.events.append({"at": round(time.time(), 3), "kind": kind, "detail": detail})
        log.info("session event %s %s", kind, detail)

    # ---- status bar ----------------------------------------------------------

    def status_line(self) -> str:
        if self.worker is None:
            return self.feedback.describe()
        dropped = self.worker.dropped
        return (f"{self.worker.spec.describe()} · {self.backend or 'starting…'} · {self.perf.fps():.1f} fps · "
                f"latency {self.perf.latency_ms():.0f} ms · {dropped} frames skipped · {self.feedback.describe()}")
