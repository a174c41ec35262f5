"""The cue banner says the kind of cue in words and clears."""

from __future__ import annotations

from rehab_coach.engine.types import CueEvent
from rehab_coach.ui.widgets.cue_banner import CueBanner


def test_cue_banner_shows_kind_in_words_and_clears(qtbot) -> None:  # type: ignore[no-untyped-def]
    banner = CueBanner(show_seconds=0.05)
    qtbot.addWidget(banner)
    banner.setProperty("idle_text", "Squat")
    banner.show_cue(CueEvent(1.0, "fault", "trunk_lean", "Keep your chest up", 3))
    assert banner.text == "Keep your chest up" and "CORRECTION" in banner.kind_label.text()
    qtbot.waitUntil(lambda: banner.text == "Squat", timeout=1000)
