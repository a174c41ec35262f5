"""A clinical test, start to end, in plain Python: the live session's framing check and countdown,
then the test's own rules.

`ClinicalSession` is a `LiveSession` (the same pipeline port, clock, framing check, countdown, frame
rate watch and worker watchdogs) that coaches with the test's coach (`ClinicalCoach`) and differs
where a standardised test must:

- **no coaching**: the coach's reps and cues are neither shown nor stored, nor is anything paused
  when the patient leaves the picture or turns (a TUG does both) or raises a hand: the clock runs;
- **the start signal** is "Go" at the end of the countdown. With a camera its exact time on the
  frames' clock comes from the first frame after it (`LiveResult.captured`: when that frame left the
  camera), and each trial's result is replayed from its readings with that time
  (`ClinicalCoach.trial_result`); a file waits for Go, so its next frame is Go;
- **the end** is the test's own (`TrialRun.ended_by`): the session ends itself, or, for a single-leg
  stance, stops between the two legs (`TrialEnded`) until `next_trial()`;
- **the record**: a session under the test's id (not an exercise's: a test never counts toward a
  program), each trial's `ClinicalResult` beside it, through the `ClinicalRecorder` port.

Events, beside the live session's: `TrialStarted`, `TrialShown` (each frame's progress, for the big
number), `TrialEnded`, and `ClinicalFinished` instead of `SessionFinished`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, replace
from typing import Any, Literal, Protocol

from rehab_coach.capture.sources import SourceSpec
from rehab_coach.engine.clinical import ClinicalCoach, ClinicalFrameUpdate, ClinicalResult, ClinicalTest, clinical_test
from rehab_coach.engine.clinical.result import TrialProgress
from rehab_coach.i18n import translate
from rehab_coach.session.live import events as ev
from rehab_coach.session.live.events import Pipeline, SessionSettings, SessionState
from rehab_coach.session.live.frame_rate import FrameRateSummary
from rehab_coach.session.live.lifecycle import LiveSession
from rehab_coach.session.live.outcome import SessionOutcome
from rehab_coach.session.live.step import LiveResult
from rehab_coach.session.live.store_thread import SaveResult, SessionStatus

log = logging.getLogger(__name__)

Side = Literal["left", "right"]
S = SessionState
LEG_ORDER: tuple[Side, Side] = ("right", "left")  # single-leg stance: the right leg first, then the left


class ClinicalRecorder(Protocol):
    """Where a test session is written (`StoreThread`): queued, never blocking."""

    def start_session(
        self, patient: str | None, template: Any, program_item: Any = None, overrides: Any = None
    ) -> str: ...

    def record_clinical_result(self, session: str, result: ClinicalResult) -> None: ...

    def finish_session(
        self, session: str, summary: dict[str, Any], status: SessionStatus, frame_rate: FrameRateSummary | None = None
    ) -> Future[SaveResult]: ...


# ---- events ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrialStarted:
    """A trial begins (its framing check, then its countdown). `side`: the leg to stand on."""

    test: ClinicalTest
    trial: int
    trials: int
    side: Side | None


@dataclass(frozen=True)
class TrialShown:
    progress: TrialProgress


@dataclass(frozen=True)
class TrialEnded:
    """A trial is over; `next_side` is the leg of the next one (None: it was the last)."""

    result: ClinicalResult
    next_side: Side | None


@dataclass(frozen=True)
class ClinicalFinished:
    """The test session ended: every trial's result (a stopped trial too), and its saving."""

    test: ClinicalTest
    results: list[ClinicalResult]
    outcome: SessionOutcome
    saving: Future[SaveResult] | None


ClinicalEvent = TrialStarted | TrialShown | TrialEnded | ClinicalFinished


class ClinicalSession(LiveSession):
    def __init__(
        self,
        pipeline: Pipeline,
        recorder: ClinicalRecorder | None = None,
        settings: SessionSettings | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        # The live session records nothing itself: the test writes its own session.
        super().__init__(pipeline, None, settings, clock=clock, wall_clock=wall_clock)
        self.clinical_recorder = recorder
        self.test: ClinicalTest | None = None
        self.trial = 0
        self.results: list[ClinicalResult] = []
        self._go_clock: float | None = None  # the session clock at Go
        self._go_t: float | None = None  # Go on the frames' clock
        self._trial_running = False

    def _emit(self, event: ev.SessionEvent | ClinicalEvent) -> None:
        """The live session's events and the test's own go to the same subscribers."""
        for callback in list(self._subscribers):
            callback(event)  # type: ignore[arg-type]

    @property
    def clinical_coach(self) -> ClinicalCoach:
        assert isinstance(self.coach, ClinicalCoach)
        return self.coach

    @property
    def trials(self) -> int:
        return self.test.trials if self.test is not None else 1

    def side_of(self, trial: int) -> Side | None:
        return LEG_ORDER[trial - 1] if self.test is not None and self.test.trials == 2 else None

    # ---- user actions --------------------------------------------------------------------

    def start_test(self, test: ClinicalTest | str, spec: SourceSpec, *, patient: str | None = None) -> None:
        """Start a test session for `patient` (a pseudonymous code; None: a guest)."""
        self.test = clinical_test(test) if isinstance(test, str) else test
        self.settings = replace(self.settings, raised_hand=False, open_ended=True)
        self.trial, self.results, self._trial_running = 1, [], False
        coach = ClinicalCoach(self.test, self.settings.language)
        if self.clinical_recorder is not None:
            self.session_uid = self.clinical_recorder.start_session(patient, self.test.id)
        super().start(coach.template, spec, patient=patient, coach=coach)
        self._emit(TrialStarted(self.test, 1, self.trials, self.side_of(1)))

    def next_trial(self) -> None:
        """Between the legs of a single-leg stance: the next leg's framing check and countdown."""
        if self.state != S.RESTING or self.test is None or self.trial >= self.trials:
            return
        self.trial += 1
        self._begin_set()
        self._emit(TrialStarted(self.test, self.trial, self.trials, self.side_of(self.trial)))

    def end_rest(self) -> None:  # the window's "skip rest" goes to the next trial
        self.next_trial()

    # ---- the set, as a trial ---------------------------------------------------------------

    def _begin_countdown(self) -> None:
        super()._begin_countdown()
        if self.state == S.COUNTDOWN:
            self.pipeline.set_coaching(True)  # the seated (or standing) position before Go: the baseline

    def _go(self, *, wrong_view_ok: bool = False) -> None:
        super()._go(wrong_view_ok=wrong_view_ok)
        if self.test is None:
            return
        # A camera keeps streaming: Go falls between two frames. A file waits for Go: its next frame is Go.
        live = self.spec is not None and self.spec.live
        self._go_clock, self._go_t, self._trial_running = (self.clock() if live else None), None, True
        self.clinical_coach.go(self.trial, self.side_of(self.trial))
        lang = self.settings.language
        self._emit(ev.Prompt(big_text="", banner=translate("Go!", lang)))
        self._log("trial_started", f"{self.test.id} trial {self.trial}")

    def _watch_presence(self, update: Any) -> None:
        """A test is never paused by what the camera sees: the clock runs whatever the patient does."""

    def toggle_pause(self) -> None:
        """A timed test cannot pause: Pause stops the trial (it is kept, not completed)."""
        if self._trial_running:
            self._end_trial(stopped=True)
        elif self.state in (S.FRAMING, S.COUNTDOWN):
            super().toggle_pause()
        elif self.state == S.PAUSED:
            super().toggle_pause()

    # ---- frames ----------------------------------------------------------------------------

    def on_frame(self, result: LiveResult) -> None:
        # The coach's own reps and cues are no part of a test.
        super().on_frame(replace(result, new_reps=[], cues=[]))
        update = result.update
        if not (self._trial_running and self.state == S.RUNNING and isinstance(update, ClinicalFrameUpdate)):
            return
        progress = update.test
        if progress is None or progress.trial != self.trial:
            return
        if self._go_t is None and self._go_clock is not None:
            # Go on the frames' clock: this frame's time, less how long after Go it left the camera.
            self._go_t = result.t - (result.captured - self._go_clock)
        self._emit(TrialShown(progress))
        if progress.done:
            self._end_trial()

    def _end_trial(self, *, stopped: bool = False) -> None:
        assert self.test is not None
        result = self.clinical_coach.trial_result(self._exact_go(), stopped=stopped)
        self.clinical_coach.pause()
        self._trial_running = False
        if result is None:
            return
        self.results.append(result)
        self._log("trial_ended", f"{result.ended_by}: {result.value}")
        next_side = self.side_of(self.trial + 1) if self.trial < self.trials else None
        self._emit(TrialEnded(result, next_side))
        if next_side is None:
            self.finish()
            return
        self._pause_pipeline()
        self._set_state(S.RESTING)

    def _exact_go(self) -> float | None:
        """Go on the frames' clock, never after the first frame the trial ran on (a frame that left the
        camera before Go and was processed after it is still before Go)."""
        run = self.clinical_coach.run
        if self._go_t is None or run is None:
            return None
        return min(self._go_t, run.go_t)

    # ---- the end ---------------------------------------------------------------------------

    def finish(self) -> None:
        if self.state in (S.IDLE, S.FINISHING, S.DONE):
            return
        if self._trial_running:
            self._end_trial(stopped=True)
            if self.state in (S.FINISHING, S.DONE):
                return
        super().finish()

    def on_pipeline_stopped(self) -> None:
        if self.watchdogs.crash and self.active:
            self._restart_pipeline()
            return
        if self.state != S.FINISHING or self.coach is None or self.progress is None or self.test is None:
            return
        outcome = self.outcome()
        self.pipeline.release()
        saving = None
        if self.clinical_recorder is not None and self.session_uid is not None:
            for result in self.results:
                self.clinical_recorder.record_clinical_result(self.session_uid, result)
            status: SessionStatus = "completed" if outcome.status == "completed" else "stopped"
            saving = self.clinical_recorder.finish_session(
                self.session_uid, outcome.stored_summary(), status, outcome.frame_rate
            )
        self._set_state(S.DONE)
        self._emit(ClinicalFinished(self.test, list(self.results), outcome, saving))

    def outcome(self) -> SessionOutcome:
        outcome = super().outcome()
        ended_by_itself = len(self.results) == self.trials and all(r.ended_by != "stopped" for r in self.results)
        outcome.status = "completed" if ended_by_itself else "stopped"
        outcome.sets_completed, outcome.sets_planned = len(self.results), self.trials
        return _TestOutcome.of(outcome, self.test, self.results)


@dataclass
class _TestOutcome(SessionOutcome):
    """The session's outcome with the test in its stored summary in place of the coach's reps."""

    test_id: str = ""
    results: list[ClinicalResult] | None = None

    @classmethod
    def of(cls, outcome: SessionOutcome, test: ClinicalTest | None, results: list[ClinicalResult]) -> _TestOutcome:
        fields = {name: getattr(outcome, name) for name in SessionOutcome.__dataclass_fields__}
        return cls(**fields, test_id=test.id if test else "", results=list(results))

    def stored_summary(self) -> dict[str, Any]:
        return {
            "clinical_test": self.test_id,
            "results": [r.model_dump(mode="json") for r in self.results or []],
            "live": self.live_section(),
        }
