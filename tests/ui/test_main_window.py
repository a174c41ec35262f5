"""The main window's toolbar at the default 1400 px and at 1024 px (issue 19, defect 12e): the
therapist's button was folded out of sight at 1400 px. It now has a toolbar of its own at the right
and stays whole; the session's buttons carry their keys in tooltips, so all of them fit at 1400 px."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QToolBar

from rehab_coach.capture.sources import SourceSpec
from rehab_coach.ui.main_window import MainWindow
from rehab_coach.ui.options import LaunchOptions
from rehab_coach.ui.strings import install


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_therapist_button_is_on_screen_at_1400_and_1024_px(qtbot, language: str) -> None:  # type: ignore[no-untyped-def]
    install(language)
    window = MainWindow(LaunchOptions(source=SourceSpec("camera", 0), audio=False, language=language))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    for width in (1400, 1024):
        window.resize(width, 800)
        qtbot.waitUntil(lambda width=width: window.width() == width)  # nothing holds the window wider
        [staff] = [bar for bar in window.findChildren(QToolBar) if bar.objectName() == "staff"]
        button = staff.widgetForAction(window.therapist_action)
        qtbot.waitUntil(button.isVisible)
        left = button.mapTo(window, button.rect().topLeft()).x()
        assert 0 <= left and left + button.width() <= window.width()
        session = next(bar for bar in window.findChildren(QToolBar) if bar is not staff)
        if width == 1400:  # room for every button: none folded into the » menu
            assert all(session.widgetForAction(a).isVisible() for a in session.actions())
    # The keys are in the tooltips (named in the window's language), not on the buttons.
    start = window.start_action
    assert start.toolTip().startswith(start.text()) and start.toolTip().endswith("]") and "[" not in start.text()
    if language == "en":
        assert start.toolTip() == "Start / Pause  [Space]" and window.therapist_action.toolTip().endswith("[Ctrl+T]")
