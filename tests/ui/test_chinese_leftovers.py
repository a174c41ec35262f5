"""English that was left on Chinese pages: the words painted on the instruction card's camera sketch,
and the kiosk's message when the patient list cannot be read."""

from __future__ import annotations

from zh_walk import english_left

from rehab_coach.ui.kiosk.checkin import CheckInPage
from rehab_coach.ui.pages.instructions import InstructionsPage


def test_the_camera_sketch_is_labelled_in_chinese(qtbot) -> None:  # type: ignore[no-untyped-def]
    page = InstructionsPage("zh")
    qtbot.addWidget(page)
    assert english_left(page.sketch.labels()) == []
    page.sketch.grab()  # painted with those words, without a warning
    assert InstructionsPage("en").sketch.labels() == ("you", "camera")


def test_the_kiosks_unavailable_patient_list_is_said_in_chinese(qtbot) -> None:  # type: ignore[no-untyped-def]
    page = CheckInPage("zh")
    qtbot.addWidget(page)
    page.show_unavailable()
    assert page.message.text() and english_left([page.message.text()]) == []
