"""The kiosk's pages, without a camera: each step of the visit brings up its page filled from the
visit, the second factor names the patient as the kiosk is set to, and going home leaves nothing."""

from __future__ import annotations

import pytest

from rehab_coach.engine.clinical import clinical_test
from rehab_coach.engine.templates import load_library
from rehab_coach.session.kiosk_day import CheckInEntry
from rehab_coach.session.kiosk_visit import KioskVisit, VisitStep
from rehab_coach.session.store import ProgramItemInfo
from rehab_coach.ui.kiosk.pages import KioskPages

BOB = CheckInEntry(2, "P-002", "Bob T.", 1, 0, factor="birth_year")
ALICE = CheckInEntry(1, "P-001", "Alice S.", 2, 0, factor="pin")


@pytest.fixture
def visit() -> KioskVisit:
    return KioskVisit(60.0, 30.0)


def pages_for(qtbot, visit: KioskVisit, show_names: bool = True) -> KioskPages:  # type: ignore[no-untyped-def]
    pages = KioskPages(load_library(), "en", show_names)
    qtbot.addWidget(pages)
    visit.subscribe(lambda step: pages.show_step(step, visit), pages.forget)
    return pages


def test_every_step_of_a_visit_has_its_page_but_the_therapist_screens(qtbot, visit: KioskVisit) -> None:  # type: ignore[no-untyped-def]
    pages = pages_for(qtbot, visit)
    assert pages.stack.currentWidget() is pages.checkin
    for step in set(VisitStep) - {VisitStep.THERAPIST}:
        assert pages.show_step(step, visit) is pages.stack.currentWidget() is not None
    shown = pages.stack.currentWidget()
    assert pages.show_step(VisitStep.THERAPIST, visit) is None and pages.stack.currentWidget() is shown


@pytest.mark.parametrize(("show_names", "entry", "asked"), [
    (True, BOB, "Bob T., please enter your birth year"),
    (False, BOB, "P-002, please enter your birth year"),
    (True, ALICE, "Alice S., please enter your check-in PIN"),
])  # fmt: skip
def test_the_second_factor_names_the_patient_as_the_kiosk_is_set_to(  # type: ignore[no-untyped-def]
    qtbot, visit: KioskVisit, show_names: bool, entry: CheckInEntry, asked: str
) -> None:
    pages = pages_for(qtbot, visit, show_names)
    visit.check_in(entry)
    assert pages.stack.currentWidget() is pages.factor and pages.factor.title.text() == asked


def test_the_instructions_show_the_choice_and_going_home_forgets_it(qtbot, visit: KioskVisit) -> None:  # type: ignore[no-untyped-def]
    pages = pages_for(qtbot, visit)
    visit.check_in(CheckInEntry(1, "P-001", "Alice S.", 2, 0))
    assert visit.choose_item(ProgramItemInfo(7, 0, "squat", 2, 5, {}, notes="hold the rail"))
    assert pages.stack.currentWidget() is pages.instructions
    assert pages.instructions.title.text() == "Squat" and "hold the rail" in pages.instructions.notes.text()
    visit.back_to_program()
    visit.choose_test(clinical_test("single_leg_stance_test"))
    assert pages.instructions.title.text() == "Single-leg stance"
    pages.ask_still_there(30)
    assert pages.still_there.showing
    visit.go_home()
    assert pages.stack.currentWidget() is pages.checkin and not pages.still_there.showing
    assert pages.instructions.title.text() == "" and pages.instructions.notes.text() == ""
