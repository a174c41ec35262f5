"""The kiosk when the patient stops answering: "Still there?" before an idle session ends, and Finish
asks before it ends one. (Pausing by itself when the patient leaves is tested on the Qt-free
`LiveSession`, tests/session/live/test_lifecycle.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from kiosk_fixtures import start_first_exercise, tap

from rehab_coach.keypoints.stream import StreamHeader, write_stream
from rehab_synth.squat_stream import HEIGHT, WIDTH, SquatPlan, squat_frames
from saved_sessions import stored_sessions

PLAN = SquatPlan(reps=3, lead_in=1.0, pause=2.0)


def plain_stream(folder: Path) -> Path:
    path = folder / "squats.jsonl"
    write_stream(path, StreamHeader(WIDTH, HEIGHT, PLAN.fps), squat_frames(PLAN))
    return path


@pytest.mark.parametrize("kiosk_reps", [5])
def test_kiosk_asks_still_there_before_an_idle_paused_session_ends(  # type: ignore[no-untyped-def]
    qtbot, kiosk, tmp_path: Path, user_data_dir: Path
) -> None:
    window = kiosk(plain_stream(tmp_path), speed=2.0, idle_timeout=1.0, still_there_seconds=3.0)
    start_first_exercise(qtbot, window)
    qtbot.waitUntil(lambda: int(window.live.reps.count.text() or 0) >= 1, timeout=8000)
    tap(window.live_page.pause_button)
    assert window.controller.session.state == "paused"
    # Paused with the person still in view: nothing ends silently, the question comes first.
    qtbot.waitUntil(lambda: window.still_there.showing, timeout=4000)
    prompt = window.still_there
    assert prompt.title.text() == "Still there?" and prompt.primary.text() == "I'm here"
    assert "ends in" in prompt.message.text() and prompt.seconds_left() in (1, 2, 3)
    assert window.stack.currentWidget() is window.live_page and window.controller.session.state == "paused"
    tap(prompt.primary)
    assert not prompt.showing and window.controller.session.state == "paused"
    # Asked again after another idle spell; this time nobody answers and the session ends, saved.
    qtbot.waitUntil(lambda: prompt.showing, timeout=4000)
    left = prompt.seconds_left()
    assert left is not None
    # The countdown on screen follows the clock (it is redrawn four times a second).
    qtbot.waitUntil(
        lambda: (
            prompt.showing
            and (prompt.seconds_left() or 0) < left
            and f"ends in {prompt.seconds_left()} s" in prompt.message.text()
        ),
        timeout=3000,
    )
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.checkin, timeout=6000)
    assert not prompt.showing
    window.store.wait_idle(5)
    [detail] = stored_sessions(user_data_dir)
    assert detail.session.status == "stopped" and [r.complete for r in detail.reps] == [True]


@pytest.mark.parametrize("kiosk_reps", [5])
def test_kiosk_finish_is_primary_and_asks_for_confirmation(  # type: ignore[no-untyped-def]
    qtbot, kiosk, tmp_path: Path, user_data_dir: Path
) -> None:
    window = kiosk(plain_stream(tmp_path), speed=2.0)
    start_first_exercise(qtbot, window)
    live = window.live
    assert live.finish_button.objectName() == "primary" and live.finish_button.height() >= 72
    qtbot.waitUntil(lambda: int(live.reps.count.text() or 0) >= 1, timeout=8000)
    tap(live.finish_button)
    prompt = live.finish_prompt
    assert prompt.showing and window.controller.session.state == "running"
    assert prompt.title.text() == "Finish this exercise?"
    assert f"{live.reps.count.text()} of " in prompt.message.text() and live.reps_done >= 1
    tap(prompt.secondary)  # "Keep going"
    assert not prompt.showing and window.controller.session.state == "running"
    tap(live.finish_button)
    tap(prompt.primary)  # one more tap ends it
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.summary, timeout=5000)
    window.store.wait_idle(5)
    [detail] = stored_sessions(user_data_dir)
    assert detail.session.status == "stopped" and detail.session.reps_complete >= 1
