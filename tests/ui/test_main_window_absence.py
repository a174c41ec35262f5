"""The desktop window when the patient leaves, offscreen on a replayed stream: the live page says
why it paused, the on-screen Pause button works while away, and the set goes on when the patient
is back. What the session counts around an absence is tested on the Qt-free `LiveSession`
(tests/session/live/test_lifecycle.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from kiosk_fixtures import tap

from rehab_coach.keypoints.stream import StreamHeader, write_stream
from rehab_coach.keypoints.types import KeyPoints
from rehab_coach.ui.main_window import MainWindow
from rehab_synth.squat_stream import HEIGHT, WIDTH, SquatPlan, squat_frames

PLAN = SquatPlan(reps=3, lead_in=1.0, pause=2.0)


def stream_with_gap(path: Path, gap: tuple[float, float]) -> Path:
    """Three squats; nobody is in view during `gap` (seconds)."""
    frames = [replace(f, keypoints=KeyPoints.empty()) if gap[0] <= f.t < gap[1] else f for f in squat_frames(PLAN)]
    write_stream(path, StreamHeader(WIDTH, HEIGHT, PLAN.fps), frames)
    return path


def test_leaving_pauses_with_the_reason_on_screen_and_the_return_goes_on(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, replay_window: Callable[..., MainWindow]
) -> None:
    bottom = PLAN.lead_in + PLAN.rep_seconds + PLAN.down  # rep 2's
    window = replay_window(
        stream_with_gap(tmp_path / "gap.jsonl", (bottom, bottom + 3.0)),
        speed=2.0,
        overrides={"dosage.sets": 1, "dosage.reps": 5},
    )
    qtbot.waitUntil(lambda: window.controller.session.state == "away")
    assert window.live.reps.count.text() == "1"
    assert window.live.video.big_text.startswith("Paused") and "Step back into view" in window.live.video.big_text
    tap(window.live.pause_button)  # the large on-screen button works while away too
    assert window.controller.session.state == "paused" and window.live.pause_button.text() == "Resume"
    tap(window.live.pause_button)
    qtbot.waitUntil(lambda: window.controller.session.state == "running")  # back in view after the gap
    assert window.live.video.big_text == ""
    qtbot.waitUntil(lambda: window.live.reps.count.text() == "2")
