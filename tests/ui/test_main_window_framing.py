"""The framing check on the desktop window, offscreen on a synthetic stream seen side-on: the guide
says go, the set starts and is coached. The check's rules (facing the camera holds the set, turning
mid-set pauses scoring) are tested on the Qt-free `LiveSession` (tests/session/live/test_lifecycle.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from framing_streams import clip_stream

from rehab_coach.ui.main_window import MainWindow


def test_a_side_on_patient_passes_the_check_and_the_set_starts(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, replay_window: Callable[..., MainWindow]
) -> None:
    window = replay_window(
        clip_stream(tmp_path / "side.jsonl", ("side", 4)),
        speed=2.0,
        framing_check=True,
        overrides={"dosage.sets": 1, "dosage.reps": 10},
    )
    window.resize(1280, 720)
    window.show()
    controller, video = window.controller, window.live.video
    assert controller.session.state == "framing"
    qtbot.waitUntil(lambda: video.guide is not None and video.guide.ready, timeout=8000)
    assert video.guide.symbol == "✓" and video.guide.wanted_view == "side"
    assert window.live.skip_framing_button.isVisible()
    qtbot.waitUntil(lambda: controller.session.state == "running", timeout=6000)
    assert video.guide is None and not window.live.skip_framing_button.isVisible()
    kinds = [e["kind"] for e in controller.session.events]
    assert "framing_ok" in kinds and "framing_skipped" not in kinds
    qtbot.waitUntil(lambda: window.live.reps.count.text() == "2", timeout=15000)  # coaching runs after the go
