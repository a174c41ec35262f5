"""A kiosk visit, Qt-free: check-in -> (second factor) -> program -> exercise or test -> check-in.

The kiosk window only adapts this model: it shows the page for `step`, forwards taps and the
session's events to the transitions, and does what a transition returns (finish the running
session, read today's list again, read the program of the patient just checked in). Time comes from an injected clock in seconds, so the idle
timeout and "Still there?" are tested on a simulated clock.

Idle: on every screen but check-in and the live ones, no touch for `idle_timeout` seconds
returns to check-in. During a session nobody in view and no touch for that long (paused: no
touch) asks "Still there?"; a tap or someone back in view withdraws the question, and only its
countdown running out ends the session. Going home forgets everything of the patient (the
window's pages listen for `on_forget`), so nothing of one patient is left for the next.
"""

from __future__ import annotations

import enum
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rehab_coach.engine.clinical import ClinicalTest
from rehab_coach.engine.templates import Template, load_template_by_id
from rehab_coach.errors import RehabCoachError
from rehab_coach.session.kiosk_day import CheckInEntry
from rehab_coach.session.live.sets import program_overrides
from rehab_coach.session.store import ProgramItemInfo

log = logging.getLogger(__name__)

REFRESH_SECONDS = 60.0  # today's list is read again this often while check-in shows
RETRY_SECONDS = 10.0  # ... and this often while the database does not answer
THERAPIST_TIMEOUT = 300.0  # the therapist screens close after this long without input
FACTOR_ATTEMPTS = 3  # wrong answers to the second check-in factor before check-in shows again

Clock = Callable[[], float]


class VisitStep(enum.Enum):
    """Which screen of the kiosk is up."""

    CHECK_IN = "check_in"
    FACTOR = "factor"  # the patient's own birth year or check-in PIN
    PROGRAM = "program"
    TESTS = "tests"  # the choice of a standard clinical test
    INSTRUCTIONS = "instructions"
    LIVE = "live"
    REST = "rest"
    SUMMARY = "summary"
    TEST_RESULT = "test_result"  # between a test's trials, or its results
    PIN = "pin"  # the therapist's PIN
    STAFF_MENU = "staff_menu"
    THERAPIST = "therapist"  # the therapist screens are open; the kiosk hides


SESSION_STEPS = frozenset({VisitStep.LIVE, VisitStep.REST})
# Screens where a patient's data can show: no touch for the idle timeout returns to check-in.
QUIET_RETURNS = frozenset(set(VisitStep) - SESSION_STEPS - {VisitStep.CHECK_IN, VisitStep.THERAPIST})


class FactorAnswer(enum.Enum):
    IGNORED = "ignored"  # timed out or cancelled meanwhile
    ACCEPTED = "accepted"
    TRY_AGAIN = "try_again"
    TOO_MANY = "too_many"  # back to check-in


class PinAnswer(enum.Enum):
    IGNORED = "ignored"  # timed out meanwhile: the PIN pad is gone
    ACCEPTED = "accepted"  # the staff menu
    WRONG = "wrong"  # the PIN pad says so (attempts left, or locked out)


class TickAction(enum.Enum):
    """What the window does after a tick of the clock."""

    NOTHING = "nothing"
    REFRESH_LIST = "refresh_list"  # read today's patients again
    ASK_STILL_THERE = "ask_still_there"
    WITHDRAW_QUESTION = "withdraw_question"  # someone is back in view
    END_SESSION = "end_session"  # nobody answered: the session ends and the kiosk goes home
    CLOSE_THERAPIST = "close_therapist"  # never leave therapist data open on a kiosk
    GO_HOME = "go_home"


@dataclass(frozen=True)
class SessionView:
    """What the window knows of the running session at a tick."""

    active: bool  # running or paused
    paused: bool = False
    last_person_at: float = 0.0  # the clock's time someone was last in view


@dataclass
class IdleClock:
    """When was the kiosk last touched."""

    timeout: float
    clock: Clock = time.monotonic
    last: float = field(default=0.0)

    def __post_init__(self) -> None:
        self.last = self.clock()

    def poke(self) -> None:
        self.last = self.clock()

    def quiet_for(self, since: float | None = None) -> float:
        """Seconds since the last poke (or since `since`, when that is later)."""
        latest = self.last if since is None else max(self.last, since)
        return self.clock() - latest

    def expired(self, since: float | None = None) -> bool:
        return self.quiet_for(since) > self.timeout


@dataclass
class ExerciseChoice:
    """A program item chosen, with its loaded template and overrides."""

    item: ProgramItemInfo
    template: Template
    overrides: dict[str, Any]


class KioskVisit:
    """One kiosk's state between patients and during a visit."""

    def __init__(self, idle_timeout: float, still_there_seconds: float, clock: Clock = time.monotonic) -> None:
        self.clock = clock
        self.idle = IdleClock(idle_timeout, clock)
        self.still_there_seconds = still_there_seconds
        self.step = VisitStep.CHECK_IN
        self.entry: CheckInEntry | None = None  # the patient checked in
        self.factor_entry: CheckInEntry | None = None  # the name tapped, its second factor asked
        self.factor_misses = 0
        self.exercise: ExerciseChoice | None = None
        self.test: ClinicalTest | None = None  # a standard test chosen instead of an exercise
        self.leaving = False  # going home once the running session has ended
        self.asked_at: float | None = None  # when "Still there?" was asked; None: not asking
        self.refresh_at = 0.0
        self.on_step: list[Callable[[VisitStep], None]] = []
        self.on_forget: list[Callable[[], None]] = []
        self.on_program: list[Callable[[CheckInEntry], None]] = []

    # ---- observing -----------------------------------------------------------

    def subscribe(
        self,
        on_step: Callable[[VisitStep], None],
        on_forget: Callable[[], None],
        on_program: Callable[[CheckInEntry], None] | None = None,
    ) -> None:
        """`on_step`: a step to show; `on_forget`: clear everything of the patient; `on_program`: read
        the program of this patient (just checked in, or back for more), after its step shows."""
        self.on_step.append(on_step)
        self.on_forget.append(on_forget)
        if on_program is not None:
            self.on_program.append(on_program)

    def _go(self, step: VisitStep) -> None:
        self.step = step
        self.idle.poke()
        for listener in list(self.on_step):
            listener(step)

    def touched(self) -> None:
        self.idle.poke()

    @property
    def asking(self) -> bool:
        return self.asked_at is not None

    # ---- check-in ------------------------------------------------------------

    def go_home(self, session_running: bool = False) -> bool:
        """Back to check-in with nothing of the patient left. A running session must end (and be
        saved) first: returns True then, and check-in follows `session_ended`."""
        if session_running:
            self.leaving = True
            return True
        self.leaving = False
        self._forget()
        self._go(VisitStep.CHECK_IN)
        self.refresh_at = self.clock()  # today's progress moved on: read the list now
        return False

    def _forget(self) -> None:
        self.entry, self.factor_entry, self.factor_misses = None, None, 0
        self.exercise, self.test, self.asked_at = None, None, None
        for listener in list(self.on_forget):
            listener()

    def list_requested(self) -> None:
        """Today's list is being read: the next read is due in a minute."""
        self.refresh_at = self.clock() + REFRESH_SECONDS

    def list_failed(self) -> None:
        """The database did not answer: try again sooner."""
        self.refresh_at = self.clock() + RETRY_SECONDS

    def check_in(self, entry: CheckInEntry) -> None:
        """A name tapped: the second factor first, when the patient has one; then the program."""
        if entry.factor is not None and self.entry is not entry:
            self.factor_entry, self.factor_misses = entry, 0
            self._go(VisitStep.FACTOR)
            return
        self.open_program(entry)

    def factor_answer(self, entry: CheckInEntry, ok: bool) -> FactorAnswer:
        if self.step is not VisitStep.FACTOR or self.factor_entry is not entry:
            return FactorAnswer.IGNORED
        if ok:
            self.factor_entry = None
            self.open_program(entry)
            return FactorAnswer.ACCEPTED
        self.factor_misses += 1
        if self.factor_misses >= FACTOR_ATTEMPTS:
            log.info("check-in factor wrong %d times: back to check-in", self.factor_misses)
            self.go_home()
            return FactorAnswer.TOO_MANY
        self.idle.poke()
        return FactorAnswer.TRY_AGAIN

    def open_program(self, entry: CheckInEntry) -> None:
        self.entry = entry
        self._go(VisitStep.PROGRAM)
        for listener in list(self.on_program):
            listener(entry)

    def still_checked_in(self, entry: CheckInEntry) -> bool:
        """Whether an answer read for this patient may still be shown."""
        return self.entry is entry

    def may_change_language(self, session_running: bool) -> bool:
        """Only at check-in, between patients: nothing of anyone is on the pages then."""
        return not session_running and self.step is VisitStep.CHECK_IN

    # ---- choosing ------------------------------------------------------------

    def choose_item(self, item: ProgramItemInfo) -> bool:
        """A program item tapped: its template with the therapist's overrides, then the instructions.
        False when it cannot be loaded (the program page says so; the step stays)."""
        overrides = program_overrides(item)
        try:
            template = load_template_by_id(item.exercise_id, overrides)
        except RehabCoachError as exc:
            log.error("program item %s: %s", item.id, exc)
            return False
        self.choose_exercise(ExerciseChoice(item, template, overrides))
        return True

    def choose_exercise(self, choice: ExerciseChoice) -> None:
        self.exercise, self.test = choice, None
        self._go(VisitStep.INSTRUCTIONS)

    def show_tests(self) -> None:
        self._go(VisitStep.TESTS)

    def choose_test(self, test: ClinicalTest) -> None:
        self.test = test
        self._go(VisitStep.INSTRUCTIONS)

    def back_to_program(self) -> None:
        self._go(VisitStep.PROGRAM)

    def more(self) -> None:
        """ "More exercises": the program again (today's progress has moved on), or check-in."""
        if self.entry is not None:
            self.open_program(self.entry)
        else:
            self.go_home()

    # ---- the session ---------------------------------------------------------

    def start(self) -> bool:
        """Start tapped: True when there is a patient and something to do (the window starts it)."""
        if self.step is not VisitStep.INSTRUCTIONS or self.entry is None:
            return False
        if self.test is None and self.exercise is None:
            return False
        self.leaving = False
        self._go(VisitStep.LIVE)
        return True

    def rest(self) -> bool:
        """The rest between sets; True: its page shows."""
        self._go(VisitStep.REST)
        return True

    def resume(self) -> bool:
        """After a rest, or on to a test's next trial (nothing to do when live already); True: the
        live page shows."""
        if self.step is not VisitStep.LIVE:
            self._go(VisitStep.LIVE)
        return True

    def between_trials(self) -> bool:
        """A test's trial ended; True when its result page shows (only for a test)."""
        if self.test is not None:
            self._go(VisitStep.TEST_RESULT)
        return self.step is VisitStep.TEST_RESULT

    def session_ended(self, test: bool = False) -> bool:
        """The session ended (finished, stopped, nobody answered): its summary, or check-in when the
        kiosk was going home. True when the summary (or the test's results) shows."""
        self.asked_at = None
        if self.leaving:
            self.go_home()
            return False
        self._go(VisitStep.TEST_RESULT if test else VisitStep.SUMMARY)
        return True

    # ---- "Still there?" ------------------------------------------------------

    def still_here(self) -> None:
        self.asked_at = None
        self.idle.poke()

    def nobody_answered(self, session_running: bool) -> bool:
        """The question's countdown ran out: home (ending the session first; see `go_home`)."""
        if not self.asking:
            return False
        log.info("no answer to 'Still there?' after %.0f s idle: ending the session", self.idle.timeout)
        self.asked_at = None
        return self.go_home(session_running)

    # ---- staff ---------------------------------------------------------------

    def ask_pin(self, session_running: bool) -> bool:
        """Escape, a close request or the Staff button: the PIN pad (not in the middle of a session)."""
        if session_running or self.step is VisitStep.THERAPIST:
            return False
        self._go(VisitStep.PIN)
        return True

    def pin_answer(self, ok: bool) -> PinAnswer:
        """The store's answer to the PIN: it counts only while the PIN pad shows."""
        if self.step is not VisitStep.PIN:
            return PinAnswer.IGNORED
        if not ok:
            return PinAnswer.WRONG
        self._go(VisitStep.STAFF_MENU)
        return PinAnswer.ACCEPTED

    def therapist_opened(self) -> None:
        self._go(VisitStep.THERAPIST)

    def therapist_closed(self) -> None:
        self.go_home()

    # ---- the clock -----------------------------------------------------------

    def tick(self, session: SessionView) -> TickAction:
        """Once a second: what the time asks for on the screen that shows."""
        step = self.step
        if step is VisitStep.THERAPIST:
            return TickAction.CLOSE_THERAPIST if self.idle.quiet_for() > THERAPIST_TIMEOUT else TickAction.NOTHING
        if step is VisitStep.CHECK_IN:
            return TickAction.REFRESH_LIST if self.clock() >= self.refresh_at else TickAction.NOTHING
        if step in SESSION_STEPS:
            return self._watch_session(session) if session.active else TickAction.NOTHING
        return TickAction.GO_HOME if self.idle.expired() else TickAction.NOTHING

    def _watch_session(self, session: SessionView) -> TickAction:
        if self.asked_at is not None:
            if not session.paused and session.last_person_at > self.asked_at:
                log.info("someone is back in view: the session goes on")
                self.still_here()
                return TickAction.WITHDRAW_QUESTION
            if self.clock() >= self.asked_at + self.still_there_seconds:
                return TickAction.END_SESSION
            return TickAction.NOTHING
        if self.idle.expired(since=None if session.paused else session.last_person_at):
            self.asked_at = self.clock()
            return TickAction.ASK_STILL_THERE
        return TickAction.NOTHING
