"""One live session, start to end, in plain Python: the countdown, sets and rest, pauses, the watchdogs, recording.

The session holds all the state and logic of the live screen and none of its threads or widgets
(like napari's ViewerModel). Time comes from an injectable clock: `tick()` moves the countdown
and runs the stall watchdog; nothing here waits or sleeps. What happens is emitted as plain
events (`events`) to subscribers; the frame pipeline and the database are driven through
the `Pipeline` and `Recorder` ports: in the app a `ThreadedPipeline` (session/live/pipeline.py),
whose reports the Qt adapter (`ui.controller`) hands to the `on_*` methods on the GUI thread while
it renders the events; a headless run (`session.analysis`) feeds frames in order on a simulated clock.

Each set begins with a framing check (live cameras by default): the picture with a guide until
the body is in view and turned right for a second, or the patient skips it. No frame reaches
the coach meanwhile. A wrong view during the set pauses it the same way ("turned"); a recording
cannot turn, so there it is cued and measured anyway.

Absence pauses the session by itself ("away"): frames keep flowing through the coach (so the
return is seen; the engine drops a rep the absence cut short) and the session goes on once the
person is back in full view.

The session measures the frame rate the engine really gets (`frame_rate`): a slow computer drops
frames, and below the rate the rep counter needs the session says so, once per slow spell.

Two watchdogs keep a session going unattended (kiosk): a worker that crashes is restarted with
the same coach and timeline (reps so far stay), unless it crashed too often; and a camera that
silently stops delivering frames is reopened.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from rehab_coach.capture.pacing import Timeline
from rehab_coach.capture.sources import SourceSpec
from rehab_coach.engine.coach import Coach
from rehab_coach.engine.feedback import correction_fits, rep_verdict
from rehab_coach.engine.framing import FramingCheck, turn_words
from rehab_coach.engine.gestures import RaisedHandGesture, may_pause
from rehab_coach.engine.templates import Template
from rehab_coach.engine.types import CueEvent, FrameUpdate, RepResult
from rehab_coach.engine.visibility import unseen_joints_text
from rehab_coach.i18n import N_, translate
from rehab_coach.session.live import events as ev
from rehab_coach.session.live import watchdogs
from rehab_coach.session.live.events import ACTIVE, Pipeline, Recorder, SessionSettings, SessionState
from rehab_coach.session.live.frame_rate import FrameRateMeter, RateChange
from rehab_coach.session.live.latency import PerfMeter
from rehab_coach.session.live.outcome import SessionOutcome
from rehab_coach.session.live.presence import PresenceWatch
from rehab_coach.session.live.sets import SetProgress
from rehab_coach.session.live.step import LiveResult
from rehab_coach.session.store.views import ProgramItemInfo

log = logging.getLogger(__name__)

_CLOCK_SLACK = 1e-3  # a second of countdown that is due within a millisecond is counted now (timer jitter)
_ENDED = (SessionState.IDLE, SessionState.FINISHING, SessionState.DONE)
_COACHING = (SessionState.RUNNING, SessionState.AWAY)  # frames go through the coach
TOO_SLOW_TEXT = N_("This computer is too slow to count reliably: close other programs")
S = SessionState


class LiveSession:
    """The lifecycle of one session at a time (`start` again after it is done for the next)."""

    def __init__(
        self,
        pipeline: Pipeline,
        recorder: Recorder | None = None,
        settings: SessionSettings | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.pipeline, self.recorder = pipeline, recorder
        self.settings = settings or SessionSettings()
        self.clock, self.wall_clock = clock, wall_clock
        self.state = SessionState.IDLE
        self.coach: Coach | None = None
        self.progress: SetProgress | None = None
        self.framing: FramingCheck | None = None
        self.gesture = RaisedHandGesture()  # a hand held up pauses and resumes without the keyboard
        self._gesture_pauses = True  # False for arm exercises: their raised hands only resume
        self.spec: SourceSpec | None = None  # the source the pipeline reads now
        self.perf = PerfMeter()
        self.frame_rate = FrameRateMeter()  # frames through the engine per second of frame time
        self.timeline = Timeline()
        self.events: list[dict[str, Any]] = []  # the session log: camera lost/back, pauses, restarts
        self.backend = ""  # what runs the pose model, in words
        self.frame_size = (0, 0)
        self.patient: str | None = None
        self.session_uid: str | None = None  # the recorded session's id: every write names it
        self.last_person_at = clock()  # someone in view (the kiosk's idle timeout)
        self.watchdogs = watchdogs.Watchdogs(last_frame_at=self.last_person_at)
        self._subscribers: list[Callable[[ev.SessionEvent], None]] = []
        self._started = datetime.now()
        self._count = 0  # countdown seconds left
        self._count_due = 0.0  # clock time of the next countdown second
        self.presence = PresenceWatch()
        self._correction: CueEvent | None = None  # the last correction shown, while no rep has withdrawn it

    # ---- events --------------------------------------------------------------

    def subscribe(self, callback: Callable[[ev.SessionEvent], None]) -> None:
        self._subscribers.append(callback)

    def _emit(self, event: ev.SessionEvent) -> None:
        for callback in list(self._subscribers):
            callback(event)

    def _log(self, kind: str, detail: str = "") -> None:
        self.events.append({"at": round(self.wall_clock(), 3), "kind": kind, "detail": detail})
        log.info("session event %s %s", kind, detail)

    def _set_state(self, state: SessionState) -> None:
        previous, self.state = self.state, state
        if (previous in _COACHING) != (state in _COACHING):
            self.frame_rate.interrupt()  # a pause or a rest is no slow frame
        self._emit(ev.StateChanged(state, previous))

    @property
    def active(self) -> bool:
        return self.state in ACTIVE

    @property
    def coaching(self) -> bool:
        """Whether frames go through the coach now (running, or away while the return is watched)."""
        return self.state in _COACHING

    # ---- user actions --------------------------------------------------------

    def start(
        self,
        template: Template,
        spec: SourceSpec,
        *,
        patient: str | None = None,
        program_item: ProgramItemInfo | None = None,
        overrides: dict[str, Any] | None = None,
        coach: Coach | None = None,
    ) -> None:
        """Start a session; `patient` is a pseudonymous code (None: a guest), `overrides` those
        the template was loaded with (a program item's, or the command line's)."""
        if self.state not in (S.IDLE, S.DONE):
            raise RuntimeError(f"a session is already {self.state}")
        self.coach = coach if coach is not None else Coach(template, self.settings.language)
        self.framing = FramingCheck(template.view, self.coach.measurer.required, template.side)
        self.progress = SetProgress.from_dosage(template.dosage)
        self.gesture.reset()
        self._gesture_pauses = may_pause(template)
        self.perf, self.events, self.backend, self.patient = PerfMeter(), [], "", patient
        self.frame_rate = FrameRateMeter()
        self.timeline, self._started, self.spec, self.frame_size = Timeline(), datetime.now(), spec, (0, 0)
        self.last_person_at = self.clock()
        self.watchdogs.reset(self.last_person_at)
        self._correction = None
        self._emit(ev.SessionStarted(template, self.progress))
        if self.recorder is not None:
            self.session_uid = self.recorder.start_session(patient, template, program_item, overrides or None)
            self.recorder.start_set(self.session_uid, self.progress.set_index)
        self.pipeline.start(spec, self.coach, self.timeline)
        self._begin_set()

    def skip_framing(self) -> None:
        """The patient or therapist starts the set without waiting for the check."""
        if self.state == S.FRAMING:
            self._log("framing_skipped")
            self._emit(ev.FramingShown(None))
            self._go()
        elif self.state == S.TURNED:
            self._log("view_check_skipped")
            self._emit(ev.FramingShown(None))
            self._go(wrong_view_ok=True)

    def toggle_pause(self) -> None:
        if self.state in (S.RUNNING, S.AWAY, S.TURNED, S.FRAMING):
            self._emit(ev.FramingShown(None))
            self._pause_pipeline()
            self._set_state(S.PAUSED)
            lang = self.settings.language
            hint = (
                translate("Tap Resume to continue", lang)
                if self.settings.kiosk
                else translate("Press Space to continue", lang)
            )
            self._emit(ev.Prompt(big_text=translate("Paused", lang) + f"\n{hint}"))
            self._log("paused")
        elif self.state == S.PAUSED:
            self._log("resumed")
            self._begin_countdown()

    def end_rest(self) -> None:
        if self.state != S.RESTING or self.progress is None:
            return
        self.progress.next_set()
        if self.recorder is not None and self.session_uid is not None:
            self.recorder.start_set(self.session_uid, self.progress.set_index)
        self._emit(ev.SetStarted(self.progress))
        self._begin_set()

    def switch_source(self, spec: SourceSpec) -> None:
        """Go on with the same session from another source; reps and charts are kept."""
        if self.state in _ENDED:
            return
        self._log("source", spec.describe())
        self._emit(
            ev.Notice(
                translate("Switched to {0}", self.settings.language, spec.describe()),
                "info",
                actions=False,
                transient=True,
            )
        )
        self.spec = spec
        self.frame_rate.interrupt()  # another source's timestamps follow on after a gap
        self.pipeline.switch_source(spec)

    def finish(self) -> None:
        """End the session: stop the pipeline; the outcome follows once it has stopped."""
        if self.state in _ENDED:
            return
        self._emit(ev.FramingShown(None))
        self._set_state(S.FINISHING)
        if not self.pipeline.stop():
            self.on_pipeline_stopped()

    # ---- time ----------------------------------------------------------------

    def tick(self, now: float | None = None) -> None:
        """Let time pass: the countdown's seconds and the stall watchdog. Call it often (10 per second)."""
        now = self.clock() if now is None else now
        while self.state == S.COUNTDOWN and now >= self._count_due - _CLOCK_SLACK:
            self._count -= 1
            self._count_due += 1.0
            if self._count > 0:
                self._emit(ev.CountdownTick(self._count))
                self._emit(ev.Prompt(big_text=str(self._count)))
            else:
                self._go()
        self._watch_source(now)

    def _watch_source(self, now: float) -> None:
        """A camera that neither delivers frames nor reports an error (a wedged driver) is reopened."""
        if not self.backend and not self.watchdogs.source_down:
            # Still starting (the model loads on the first frame): nobody can be seen yet, and
            # that must not count as "nobody in view" (the kiosk's idle timeout).
            self.last_person_at = now
        spec = self.spec
        if spec is None or not self.active or not spec.live or not self.pipeline.is_running():
            return
        if self.watchdogs.stalled(now):
            self._log("source_stalled", f"no frame for {watchdogs.STALL_SECONDS:.0f} s: reopening {spec.describe()}")
            self.frame_rate.interrupt()
            self.pipeline.switch_source(spec)

    # ---- the set ---------------------------------------------------------------

    def _framing_wanted(self) -> bool:
        """The framing check runs before each set: by default for a live camera only (a recording
        cannot be re-framed), always or never when the settings say so."""
        if self.settings.framing_check is not None:
            return self.settings.framing_check
        return self.spec is not None and self.spec.live

    def _begin_set(self) -> None:
        if self._framing_wanted():
            self._begin_framing()
        else:
            self._begin_countdown()

    def _begin_framing(self) -> None:
        assert self.framing is not None
        self.framing.reset()
        self._set_state(S.FRAMING)
        self._emit(ev.Prompt(big_text="", banner=translate("Framing check", self.settings.language)))
        self._emit(ev.FramingShown(self.framing.state))
        # A preview that keeps moving: files advance, nothing is coached.
        self.pipeline.set_coaching(False)
        self.pipeline.pause_file(False)

    def _begin_countdown(self) -> None:
        self._count = self.settings.countdown
        self._set_state(S.COUNTDOWN)
        if self._count <= 0:
            self._go()
            return
        self._count_due = self.clock() + 1.0
        self._emit(ev.CountdownTick(self._count))
        self._emit(ev.Prompt(big_text=str(self._count), banner=translate("Get ready", self.settings.language)))

    def _go(self, *, wrong_view_ok: bool = False) -> None:
        self._emit(ev.Prompt(big_text="", banner=""))
        self.presence.restart(wrong_view_ok=wrong_view_ok)
        self._set_state(S.RUNNING)
        self._resume_pipeline()

    def _resume_pipeline(self) -> None:
        self.pipeline.set_coaching(True)
        self.pipeline.pause_file(False)

    def _pause_pipeline(self) -> None:
        self.pipeline.set_coaching(False)
        self.pipeline.pause_file(True)

    def _rest(self) -> None:
        assert self.progress is not None
        self._pause_pipeline()
        self._set_state(S.RESTING)
        reps = [r for r in self.progress.current if r.complete]
        average = sum(r.quality for r in reps) / len(reps) if reps else 0.0
        text = translate(
            "Set {0}: {1} reps, average quality {2}",
            self.settings.language,
            self.progress.set_index,
            len(reps),
            f"{average:.0f}",
        )
        self._log("rest", text)
        self._emit(ev.RestStarted(self.progress.rest_seconds, self.progress.set_index + 1, self.progress.sets, text))

    # ---- frames ----------------------------------------------------------------

    @property
    def takes_frames(self) -> bool:
        """Whether a processed frame is still shown (not once the session is ending)."""
        return self.state not in _ENDED

    def on_frame(self, result: LiveResult) -> None:
        """One processed frame, in order, with the reps and cues since the last one."""
        if not self.takes_frames:
            return
        self.watchdogs.last_frame_at = self.clock()
        if result.person is not None:
            self.last_person_at = self.watchdogs.last_frame_at
        self.frame_size = result.frame_size
        self.perf.frame_processed(result.infer_ms)
        for t in result.coached_times:
            self._watch_frame_rate(t)
        if self.state in (S.FRAMING, S.TURNED):
            self._watch_framing(result)
        for rep in result.new_reps:
            self._on_rep(rep)
        if result.update is not None:
            self._watch_presence(result.update)
        for cue in result.cues:
            if self.recorder is not None and self.session_uid is not None:
                self.recorder.record_cue(self.session_uid, cue)
            self._correction = cue if cue.kind == "fault" else self._correction
            self._emit(ev.CueShown(cue))
        # Last: the frame's reps count first (one may end the set, and a rest needs no pause).
        if self.settings.raised_hand and self.gesture.update(result.t, result.person):
            self._on_raised_hand()

    def _watch_frame_rate(self, t: float) -> None:
        change = self.frame_rate.frame(t)
        rate = self.frame_rate.windowed_fps() or 0.0
        if change == RateChange.TOO_SLOW:
            needed = self.frame_rate.needed_fps
            self._log("frame_rate_low", f"{rate:.1f} fps through the engine, {needed:.0f} needed")
            self._emit(ev.FrameRateLow(rate, needed, translate(TOO_SLOW_TEXT, self.settings.language)))
        elif change == RateChange.RECOVERED:
            self._log("frame_rate_recovered", f"{rate:.1f} fps through the engine")
            self._emit(ev.FrameRateRecovered(rate))

    def _on_raised_hand(self) -> None:
        """A hand held up: pause a running set, or resume one the patient paused (a camera keeps
        streaming while paused, so the gesture is seen; a paused file is resumed from the screen)."""
        lang = self.settings.language
        if self.state == S.RUNNING and self._gesture_pauses:
            self._log("raised_hand", "pause")
            self.toggle_pause()
            self._emit(ev.Notice(translate("Hand raised: paused", lang), "info", actions=False, transient=True))
        elif self.state == S.PAUSED:
            self._log("raised_hand", "resume")
            self.toggle_pause()
            self._emit(ev.Notice(translate("Hand raised: resumed", lang), "info", actions=False, transient=True))

    def _watch_framing(self, result: LiveResult) -> None:
        assert self.framing is not None
        state = self.framing.observe(result.person, result.t)
        self._emit(ev.FramingShown(state))
        if not state.go:
            return
        self._log("framing_ok" if self.state == S.FRAMING else "view_back", f"{state.view} ({state.view_fit})")
        self._emit(ev.FramingShown(None))
        self._go()

    def _on_rep(self, rep: RepResult) -> None:
        assert self.progress is not None
        if self.recorder is not None and self.session_uid is not None:
            self.recorder.record_rep(self.session_uid, rep)
        progress = self.progress.add(rep)
        self._emit(ev.RepCounted(rep, self.progress))
        self._withdraw_correction(rep)
        if self.state not in (S.RUNNING, S.AWAY) or self.settings.open_ended:
            return
        if progress == "all_done":
            self.finish()
        elif progress == "set_done":
            self._rest()

    def _withdraw_correction(self, rep: RepResult) -> None:
        """The rep's verdict decides whether the correction on screen may stay beside it."""
        if self._correction is None or self.coach is None:
            return
        if not correction_fits(self._correction, rep_verdict(rep, self.coach.template)):
            self._emit(ev.CueWithdrawn(self._correction))
            self._correction = None

    def _watch_presence(self, update: FrameUpdate) -> None:
        """Pause while the person (or a joint the exercise needs) is out of view, or while they stand
        the wrong way to the camera; go on when they are back. A recording cannot turn: it is cued
        and measured anyway."""
        if self.state == S.RUNNING:
            pause = self.presence.while_running(update, check_view=self._framing_wanted())
            if pause == "away":
                self._set_state(S.AWAY)
                self._log("away", "nobody in view" if update.person is None else ", ".join(update.missing_joints))
                self._show_away(update)
            elif pause == "turned":
                self._turn(update)
        elif self.state == S.AWAY:
            if self.presence.while_away(update):
                self._log("back")
                self._go()
            elif not update.visible:
                self._show_away(update)

    def _turn(self, update: FrameUpdate) -> None:
        """Standing the wrong way: pause scoring (no rep, no fault) and say how to turn."""
        assert self.coach is not None and self.framing is not None
        wanted = self.coach.template.view
        self._log("turned", f"{update.view} seen, {wanted} wanted")
        self.pipeline.set_coaching(False)
        self.pipeline.pause_file(False)  # keep a file moving, so the turn back is seen
        self.framing.reset()
        self._set_state(S.TURNED)
        state = self.framing.observe(update.person, update.t)
        self._emit(ev.Prompt(banner=turn_words(wanted, state.turn_side, self.settings.language)))
        self._emit(ev.FramingShown(state))

    def _show_away(self, update: FrameUpdate) -> None:
        lang = self.settings.language
        if update.person is None:
            hint = translate("Step back into view to continue", lang)
        else:
            hint = unseen_joints_text(update.missing_joints, lang)
        self._emit(ev.Prompt(big_text=translate("Paused", lang) + f"\n{hint}"))

    # ---- what the pipeline reports --------------------------------------------

    def on_backend(self, description: str) -> None:
        self.last_person_at = self.clock()  # the first frame is through (see _watch_source)
        self.backend = description
        self._log("backend", description)

    def on_source_status(self, state: str, message: str) -> None:
        self._log(f"source_{state}", message)
        self.frame_rate.interrupt()  # the time without a camera is no slow frame
        self.watchdogs.source_down = state in ("lost", "error")
        self.watchdogs.last_frame_at = self.clock()
        camera = self.spec is not None and self.spec.kind == "camera"
        if state == "lost":
            text = translate("{0} Retrying every second; your session so far is kept.", self.settings.language, message)
            self._emit(ev.Notice(text, "warning", retry=camera))
        elif state == "ok":
            self._emit(ev.Notice(message, "info", actions=False, transient=True))
        elif state == "error":
            self._emit(ev.Notice(message, "error", retry=camera))

    def on_failed(self, message: str) -> None:
        """The pipeline stopped on a known problem (no model, ...): the session waits for Finish."""
        self._log("failed", message)
        lang = self.settings.language
        action = (
            translate("Tap Finish to end the session (it is kept).", lang)
            if self.settings.kiosk
            else translate("Press S to end the session (it is kept) or open a video file.", lang)
        )
        camera = self.spec is not None and self.spec.kind == "camera"
        self._emit(ev.Notice(f"{message} {action}", "error", retry=camera))

    def on_crashed(self, message: str) -> None:
        """An unexpected error in the pipeline; `on_pipeline_stopped` follows and restarts it."""
        self.watchdogs.crash = message
        self._log("worker_crashed", message)

    def on_stream_ended(self) -> None:
        if self.active:
            self.finish()

    def on_pipeline_stopped(self) -> None:
        """The worker is gone: restart it after a crash, or end the session if it is finishing."""
        if self.watchdogs.crash and self.active:
            self._restart_pipeline()
            return
        # A worker that stopped on its own has said why (on_failed); the session waits for Finish.
        if self.state != S.FINISHING or self.coach is None or self.progress is None:
            return
        for rep in self.coach.finish():  # a rep in progress counts as partial
            self.progress.current.append(rep)
            if self.recorder is not None and self.session_uid is not None:
                self.recorder.record_rep(self.session_uid, rep)
        outcome = self.outcome()
        self.pipeline.release()
        saving = None
        if self.recorder is not None and self.session_uid is not None:
            saving = self.recorder.finish_session(
                self.session_uid,
                outcome.stored_summary(),
                outcome.status,  # type: ignore[arg-type]
                outcome.frame_rate,
            )
        self._set_state(S.DONE)
        self._emit(ev.SessionFinished(outcome, saving))

    def _restart_pipeline(self) -> None:
        self.pipeline.release()
        if not self.watchdogs.restart_allowed(self.clock()):
            text = translate("The coaching keeps failing; the session has ended and is saved.", self.settings.language)
            self._emit(ev.Notice(text, "error", actions=False))
            crashes = len(self.watchdogs.crashes)
            self._log("worker_given_up", f"{crashes} crashes in {watchdogs.RESTART_WINDOW:.0f} s")
            self.finish()
            return
        assert self.spec is not None and self.coach is not None
        self.frame_rate.interrupt()  # the restart's gap is no slow frame
        self.pipeline.start(self.spec, self.coach, self.timeline)
        if self.coaching:  # a new worker starts with its file paused and coaching off
            self._resume_pipeline()
        elif self.state in (S.FRAMING, S.TURNED):
            self.pipeline.pause_file(False)
        self._log("worker_restarted")
        text = translate("Coaching restarted after an error; your reps so far are kept.", self.settings.language)
        self._emit(ev.Notice(text, "info", actions=False, transient=True))

    def outcome(self) -> SessionOutcome:
        assert self.coach is not None and self.progress is not None and self.spec is not None
        perf = {**self.perf.summary(), "frames_dropped": self.pipeline.dropped}
        done = self.progress.sets_completed >= self.progress.sets
        return SessionOutcome(
            coach=self.coach,
            source=self.spec,
            backend=self.backend or "not started",
            frame_size=self.frame_size,
            fps=1 / self.timeline.step,
            started=self._started,
            sets_completed=self.progress.sets_completed,
            sets_planned=self.progress.sets,
            perf=perf,
            events=self.events,
            patient=self.patient,
            status="completed" if done else "stopped",
            reps_per_set=[sum(1 for r in reps if r.complete) for reps in self.progress.per_set],
            reps_planned=self.progress.reps,
            frame_rate=self.frame_rate.summary(),
        )
