"""The kiosk visit, headless on a simulated clock: every transition, the idle return to check-in,
"Still there?", a patient who leaves mid-visit, the second factor, staff, and privacy between patients."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from rehab_coach.engine.clinical import clinical_test
from rehab_coach.engine.templates import load_template_by_id
from rehab_coach.session.kiosk_day import CheckInEntry
from rehab_coach.session.kiosk_visit import (
    FACTOR_ATTEMPTS,
    REFRESH_SECONDS,
    RETRY_SECONDS,
    THERAPIST_TIMEOUT,
    ExerciseChoice,
    FactorAnswer,
    KioskVisit,
    PinAnswer,
    SessionView,
    TickAction,
    VisitStep,
)
from rehab_coach.session.store import ProgramItemInfo

IDLE = 60.0
STILL_THERE = 30.0
NO_SESSION = SessionView(active=False)


@dataclass
class FakeClock:
    now: float = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Screen:
    """What a window sees: every step shown and every time the patient is forgotten."""

    steps: list[VisitStep] = field(default_factory=list)
    forgotten: int = 0
    programs_read: list[CheckInEntry] = field(default_factory=list)  # the program read for each


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def screen() -> Screen:
    return Screen()


@pytest.fixture
def visit(clock: FakeClock, screen: Screen) -> KioskVisit:
    made = KioskVisit(IDLE, STILL_THERE, clock)
    made.subscribe(
        screen.steps.append, lambda: setattr(screen, "forgotten", screen.forgotten + 1), screen.programs_read.append
    )
    return made


ALICE = CheckInEntry(1, "P-001", "Alice S.", 2, 0)
BOB = CheckInEntry(2, "P-002", "Bob T.", 1, 0, factor="birth_year")


def squat_choice() -> ExerciseChoice:
    item = ProgramItemInfo(7, 0, "squat", 2, 5, {})
    return ExerciseChoice(item, load_template_by_id("squat", {"dosage.sets": 2}), {"dosage.sets": 2})


def at_instructions(visit: KioskVisit) -> None:
    visit.check_in(ALICE)
    visit.choose_exercise(squat_choice())


def test_a_whole_visit_check_in_program_exercise_rest_summary_home(visit: KioskVisit, screen: Screen) -> None:
    assert visit.step is VisitStep.CHECK_IN
    visit.check_in(ALICE)
    assert visit.step is VisitStep.PROGRAM and visit.entry is ALICE
    choice = squat_choice()
    visit.choose_exercise(choice)
    assert visit.step is VisitStep.INSTRUCTIONS and visit.exercise is choice and visit.test is None
    assert visit.start()
    visit.rest()
    assert visit.step is VisitStep.REST
    visit.resume()
    assert visit.session_ended()
    assert visit.step is VisitStep.SUMMARY
    visit.more()  # "More exercises": the program again, same patient
    assert visit.step is VisitStep.PROGRAM and visit.entry is ALICE
    visit.go_home()
    assert screen.steps == [
        VisitStep.PROGRAM,
        VisitStep.INSTRUCTIONS,
        VisitStep.LIVE,
        VisitStep.REST,
        VisitStep.LIVE,
        VisitStep.SUMMARY,
        VisitStep.PROGRAM,
        VisitStep.CHECK_IN,
    ]
    assert visit.entry is None and screen.forgotten == 1


def test_start_needs_a_patient_and_something_chosen(visit: KioskVisit) -> None:
    assert not visit.start()  # at check-in
    visit.check_in(ALICE)
    assert not visit.start()  # nothing chosen
    visit.show_tests()
    assert visit.step is VisitStep.TESTS
    visit.back_to_program()
    assert visit.step is VisitStep.PROGRAM and not visit.start()


def test_a_standard_test_its_trials_and_results(visit: KioskVisit) -> None:
    at_instructions(visit)
    visit.show_tests()
    visit.choose_test(clinical_test("single_leg_stance_test"))
    assert visit.step is VisitStep.INSTRUCTIONS and visit.test is not None
    assert visit.start() and visit.step is VisitStep.LIVE
    visit.between_trials()
    assert visit.step is VisitStep.TEST_RESULT
    visit.resume()  # the next trial
    assert visit.step is VisitStep.LIVE
    assert visit.session_ended(test=True)
    assert visit.step is VisitStep.TEST_RESULT


def test_between_trials_without_a_test_changes_nothing(visit: KioskVisit) -> None:
    at_instructions(visit)
    visit.start()
    visit.between_trials()
    assert visit.step is VisitStep.LIVE


def test_more_without_a_patient_goes_home(visit: KioskVisit) -> None:
    visit.more()
    assert visit.step is VisitStep.CHECK_IN


def test_a_patient_with_a_second_factor_answers_it_first(visit: KioskVisit) -> None:
    visit.check_in(BOB)
    assert visit.step is VisitStep.FACTOR and visit.entry is None and visit.factor_entry is BOB
    assert visit.factor_answer(BOB, False) is FactorAnswer.TRY_AGAIN
    assert visit.step is VisitStep.FACTOR
    assert visit.factor_answer(BOB, True) is FactorAnswer.ACCEPTED
    assert visit.step is VisitStep.PROGRAM and visit.entry is BOB and visit.factor_entry is None
    visit.check_in(BOB)  # checked in already ("More exercises"): not asked again
    assert visit.step is VisitStep.PROGRAM


def test_wrong_answers_to_the_factor_lead_back_to_check_in(visit: KioskVisit, screen: Screen) -> None:
    visit.check_in(BOB)
    answers = [visit.factor_answer(BOB, False) for _ in range(FACTOR_ATTEMPTS)]
    assert answers[-1] is FactorAnswer.TOO_MANY and FactorAnswer.TOO_MANY not in answers[:-1]
    assert visit.step is VisitStep.CHECK_IN and visit.entry is None and visit.factor_entry is None
    assert screen.forgotten == 1


def test_a_late_factor_answer_is_ignored(visit: KioskVisit) -> None:
    visit.check_in(BOB)
    visit.go_home()  # "Not me", or the idle timeout
    assert visit.factor_answer(BOB, True) is FactorAnswer.IGNORED
    assert visit.step is VisitStep.CHECK_IN and visit.entry is None


def test_answers_read_for_a_patient_who_left_are_not_shown(visit: KioskVisit) -> None:
    visit.check_in(ALICE)
    assert visit.still_checked_in(ALICE)
    visit.go_home()
    visit.check_in(CheckInEntry(1, "P-001", "Alice S.", 2, 0))  # the same patient again: a new check-in
    assert not visit.still_checked_in(ALICE)


def test_no_touch_on_a_patient_screen_returns_to_check_in(visit: KioskVisit, clock: FakeClock) -> None:
    at_instructions(visit)
    clock.advance(IDLE)
    assert visit.tick(NO_SESSION) is TickAction.NOTHING
    visit.touched()
    clock.advance(IDLE)
    assert visit.tick(NO_SESSION) is TickAction.NOTHING  # the touch restarted the wait
    clock.advance(1.0)
    assert visit.tick(NO_SESSION) is TickAction.GO_HOME


@pytest.mark.parametrize("step", [VisitStep.FACTOR, VisitStep.PIN, VisitStep.SUMMARY, VisitStep.TESTS])
def test_every_screen_off_check_in_times_out(visit: KioskVisit, clock: FakeClock, step: VisitStep) -> None:
    visit.step = step
    clock.advance(IDLE + 1)
    assert visit.tick(NO_SESSION) is TickAction.GO_HOME


def test_check_in_reads_todays_list_every_minute_and_retries_sooner(visit: KioskVisit, clock: FakeClock) -> None:
    assert visit.tick(NO_SESSION) is TickAction.REFRESH_LIST
    visit.list_requested()
    clock.advance(IDLE * 10)  # check-in never times out ...
    visit.list_requested()
    clock.advance(REFRESH_SECONDS - 1)
    assert visit.tick(NO_SESSION) is TickAction.NOTHING
    clock.advance(1)
    assert visit.tick(NO_SESSION) is TickAction.REFRESH_LIST
    visit.list_requested()
    visit.list_failed()
    clock.advance(RETRY_SECONDS)
    assert visit.tick(NO_SESSION) is TickAction.REFRESH_LIST


def test_going_home_reads_the_list_at_once(visit: KioskVisit, clock: FakeClock) -> None:
    visit.list_requested()
    visit.check_in(ALICE)
    visit.go_home()
    assert visit.tick(NO_SESSION) is TickAction.REFRESH_LIST


def test_nobody_in_view_asks_still_there_then_ends_the_session(visit: KioskVisit, clock: FakeClock) -> None:
    at_instructions(visit)
    visit.start()
    last_seen = clock.now
    clock.advance(IDLE)
    running = SessionView(active=True, last_person_at=last_seen)
    assert visit.tick(running) is TickAction.NOTHING
    clock.advance(1)
    assert visit.tick(running) is TickAction.ASK_STILL_THERE and visit.asking
    clock.advance(STILL_THERE - 1)
    assert visit.tick(running) is TickAction.NOTHING  # still counting down
    clock.advance(1)
    assert visit.tick(running) is TickAction.END_SESSION
    assert visit.nobody_answered(session_running=True)  # the window finishes the session ...
    assert visit.step is VisitStep.LIVE and visit.leaving
    assert not visit.session_ended()  # ... and its end leads home, not to the summary
    assert visit.step is VisitStep.CHECK_IN and visit.entry is None and visit.exercise is None


def test_someone_in_view_keeps_a_session_going_without_a_touch(visit: KioskVisit, clock: FakeClock) -> None:
    at_instructions(visit)
    visit.start()
    for _ in range(5):
        clock.advance(IDLE)
        assert visit.tick(SessionView(active=True, last_person_at=clock.now)) is TickAction.NOTHING


def test_a_tap_answers_still_there(visit: KioskVisit, clock: FakeClock) -> None:
    at_instructions(visit)
    visit.start()
    seen = clock.now
    clock.advance(IDLE + 1)
    assert visit.tick(SessionView(True, last_person_at=seen)) is TickAction.ASK_STILL_THERE
    visit.still_here()
    assert not visit.asking
    assert not visit.nobody_answered(session_running=True)  # a countdown that ran out after the tap
    assert visit.step is VisitStep.LIVE
    clock.advance(1)
    assert visit.tick(SessionView(True, last_person_at=seen)) is TickAction.NOTHING


def test_stepping_back_into_view_withdraws_the_question(visit: KioskVisit, clock: FakeClock) -> None:
    at_instructions(visit)
    visit.start()
    clock.advance(IDLE + 1)
    assert visit.tick(SessionView(True, last_person_at=0.0)) is TickAction.ASK_STILL_THERE
    clock.advance(2)
    assert visit.tick(SessionView(True, last_person_at=clock.now)) is TickAction.WITHDRAW_QUESTION
    assert not visit.asking


def test_a_paused_session_counts_touches_only(visit: KioskVisit, clock: FakeClock) -> None:
    at_instructions(visit)
    visit.start()
    clock.advance(IDLE + 1)
    paused = SessionView(active=True, paused=True, last_person_at=clock.now)  # in view, but paused
    assert visit.tick(paused) is TickAction.ASK_STILL_THERE
    clock.advance(1)
    assert visit.tick(SessionView(True, True, last_person_at=clock.now)) is TickAction.NOTHING  # not withdrawn


def test_a_session_that_is_not_running_is_not_watched(visit: KioskVisit, clock: FakeClock) -> None:
    at_instructions(visit)
    visit.start()
    clock.advance(IDLE * 3)
    assert visit.tick(NO_SESSION) is TickAction.NOTHING  # starting or finishing: the controller's own watch


def test_a_patient_who_leaves_mid_visit(visit: KioskVisit, clock: FakeClock, screen: Screen) -> None:
    """Alice walks away from her program: the kiosk returns to check-in and forgets her."""
    visit.check_in(ALICE)
    visit.choose_exercise(squat_choice())
    clock.advance(IDLE + 1)
    assert visit.tick(NO_SESSION) is TickAction.GO_HOME
    visit.go_home()
    assert visit.step is VisitStep.CHECK_IN and screen.forgotten == 1
    assert (visit.entry, visit.exercise, visit.test, visit.factor_entry) == (None, None, None, None)


def test_home_during_a_session_waits_for_it_to_be_saved(visit: KioskVisit) -> None:
    at_instructions(visit)
    visit.start()
    assert visit.go_home(session_running=True)  # Done tapped mid-session: finish first
    assert visit.step is VisitStep.LIVE and visit.entry is ALICE
    visit.session_ended()
    assert visit.step is VisitStep.CHECK_IN and visit.entry is None


def test_nothing_of_one_patient_is_left_for_the_next(visit: KioskVisit, screen: Screen) -> None:
    visit.check_in(BOB)
    visit.factor_answer(BOB, False)
    visit.factor_answer(BOB, True)
    visit.choose_test(clinical_test("single_leg_stance_test"))
    visit.start()
    visit.session_ended(test=True)
    visit.go_home()
    assert screen.forgotten == 1  # the window clears every page then
    assert (visit.entry, visit.factor_entry, visit.exercise, visit.test) == (None, None, None, None)
    assert visit.factor_misses == 0 and not visit.asking and not visit.leaving
    visit.check_in(ALICE)  # the next patient starts from nothing
    assert visit.step is VisitStep.PROGRAM and visit.test is None and visit.entry is ALICE


def test_no_guest_sessions_on_a_kiosk_only_patients_checked_in(visit: KioskVisit) -> None:
    """The desktop records a guest's session (no patient); the kiosk has no guest: a session starts only
    for a patient from today's list, and one with a second factor answers it before the program."""
    visit.step = VisitStep.INSTRUCTIONS  # an exercise card with nobody checked in
    visit.exercise = squat_choice()
    assert not visit.start() and visit.step is VisitStep.INSTRUCTIONS
    visit.go_home()
    visit.check_in(ALICE)  # no second factor: straight to her program
    assert visit.step is VisitStep.PROGRAM
    visit.choose_exercise(squat_choice())
    assert visit.start()
    visit.session_ended()
    visit.go_home()
    visit.check_in(BOB)
    assert visit.step is VisitStep.FACTOR and visit.entry is None


def test_staff_pin_menu_and_therapist_screens(visit: KioskVisit, clock: FakeClock) -> None:
    assert not visit.ask_pin(session_running=True)  # never in the middle of a session
    assert visit.ask_pin(session_running=False) and visit.step is VisitStep.PIN
    assert visit.pin_answer(False) is PinAnswer.WRONG and visit.step is VisitStep.PIN
    assert visit.pin_answer(True) is PinAnswer.ACCEPTED and visit.step is VisitStep.STAFF_MENU
    visit.therapist_opened()
    assert not visit.ask_pin(session_running=False)
    clock.advance(THERAPIST_TIMEOUT)
    assert visit.tick(NO_SESSION) is TickAction.NOTHING
    clock.advance(1)
    assert visit.tick(NO_SESSION) is TickAction.CLOSE_THERAPIST
    visit.therapist_closed()
    assert visit.step is VisitStep.CHECK_IN


def test_a_late_pin_answer_is_ignored(visit: KioskVisit) -> None:
    visit.ask_pin(session_running=False)
    visit.go_home()  # timed out meanwhile
    assert visit.pin_answer(True) is PinAnswer.IGNORED and visit.step is VisitStep.CHECK_IN
    assert visit.pin_answer(False) is PinAnswer.IGNORED  # no PIN pad to say so on


def test_the_program_is_read_when_a_patient_checks_in_or_comes_back_for_more(visit: KioskVisit, screen: Screen) -> None:
    visit.check_in(ALICE)
    assert screen.programs_read == [ALICE] and screen.steps[-1] is VisitStep.PROGRAM  # its page shows first
    visit.choose_exercise(squat_choice())
    visit.back_to_program()  # the page still shows her program: nothing read again
    assert screen.programs_read == [ALICE]
    visit.choose_exercise(squat_choice())
    visit.start()
    visit.session_ended()
    visit.more()  # today's progress moved on: read again
    assert screen.programs_read == [ALICE, ALICE]
    visit.go_home()
    visit.check_in(BOB)  # his second factor first
    assert screen.programs_read == [ALICE, ALICE]
    visit.factor_answer(BOB, True)
    assert screen.programs_read == [ALICE, ALICE, BOB]


def test_a_program_item_is_loaded_with_its_overrides_or_refused(visit: KioskVisit) -> None:
    visit.check_in(ALICE)
    item = ProgramItemInfo(7, 0, "squat", 2, 5, {"dosage.rest_seconds": 20})
    assert visit.choose_item(item) and visit.step is VisitStep.INSTRUCTIONS
    assert visit.exercise is not None and visit.exercise.item is item
    assert visit.exercise.overrides == {"dosage.sets": 2, "dosage.reps": 5, "dosage.rest_seconds": 20}
    assert visit.exercise.template.dosage.sets == 2
    visit.back_to_program()
    unknown = ProgramItemInfo(8, 1, "no_such_exercise", 2, 5, {})
    assert not visit.choose_item(unknown)  # the page says so; nothing chosen
    assert visit.step is VisitStep.PROGRAM and visit.exercise.item is item


def test_the_session_pages_say_whether_they_show(visit: KioskVisit, screen: Screen) -> None:
    at_instructions(visit)
    visit.start()
    assert visit.resume() and screen.steps.count(VisitStep.LIVE) == 1  # live already: not shown again
    assert visit.rest() and visit.step is VisitStep.REST
    assert visit.resume() and visit.step is VisitStep.LIVE
    assert not visit.between_trials()  # an exercise has no trials


def test_the_language_changes_only_at_check_in_between_patients(visit: KioskVisit) -> None:
    assert visit.may_change_language(session_running=False)
    assert not visit.may_change_language(session_running=True)
    visit.check_in(ALICE)
    assert not visit.may_change_language(session_running=False)
    visit.go_home()
    assert visit.may_change_language(session_running=False)
