"""Long patient names never hide the patient code (issue 19, defect 12c): the picker's box shows a
name shortened in its middle with the whole code, at the default 1400 px and at 1024 px, and says
the whole name in its tooltip; so do the therapist list and heading."""

from __future__ import annotations

import pytest

from rehab_coach.session.store.views import PatientInfo
from rehab_coach.ui.pages.picker import PickerPage

LONG = PatientInfo(7, "P-0042", "Alexandra Konstantina Papadopoulou-Smithington")
SHORT = PatientInfo(8, "P-0043", "Bob Jones")


@pytest.mark.parametrize("width", [1400, 1024])
def test_the_picker_shows_the_whole_code_of_a_long_name(qtbot, width: int) -> None:  # type: ignore[no-untyped-def]
    page = PickerPage("en")
    qtbot.addWidget(page)
    page.resize(width, 800)
    page.show()  # shown before the patients arrive, as they come from the store thread
    qtbot.waitExposed(page)
    assert page.width() == width  # the page fits the window
    page.set_patients([SHORT, LONG], selected="P-0042")
    box = page.patient_box
    qtbot.waitUntil(lambda: box.width() >= box.sizeHint().width())
    text = box.currentText()
    assert text.endswith("[P-0042]") and "…" in text
    room = box.width() - 60  # the frame, padding and the drop-down arrow
    assert box.fontMetrics().horizontalAdvance(text) <= room  # nothing of it clipped
    assert box.toolTip() == "Alexandra Konstantina Papadopoulou-Smithington [P-0042]"
    assert box.itemData(2, 3) == box.toolTip()  # 3: Qt's tooltip role, on the row in the list too
    assert page.geometry().contains(box.geometry())
