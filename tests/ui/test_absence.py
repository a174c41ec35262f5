"""Absence and pauses, offscreen on the real windows with replayed keypoint streams: the session
pauses itself when the person leaves or the needed joints vanish and goes on when they are back
(the cut-off rep is never stored), the kiosk asks "Still there?" before an idle session ends,
and Finish asks before it ends a session."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from kiosk_fixtures import pump, seed_kiosk_db, tap

from conftest import stored_sessions
from rehab_coach.capture.sources import SourceSpec
from rehab_coach.keypoints.stream import StreamHeader, write_stream
from rehab_coach.keypoints.types import KeyPoints, PoseFrame
from rehab_coach.ui.app import build_window
from rehab_coach.ui.kiosk import KioskWindow
from rehab_coach.ui.options import LaunchOptions
from rehab_synth.squat_stream import HEIGHT, WIDTH, SquatPlan, squat_frames

PLAN = SquatPlan(reps=3, lead_in=1.0, pause=2.0)


def stream_with_gap(path: Path, gap: tuple[float, float], *, hide_legs: bool = False) -> Path:
    """Three squats; during `gap` (seconds) nobody is in view, or (hide_legs) knees and ankles are not."""
    frames = []
    for frame in squat_frames(PLAN):
        if gap[0] <= frame.t < gap[1]:
            if hide_legs:
                person = frame.people[0]
                keypoints = person.keypoints.copy()
                keypoints[[13, 14, 15, 16], 2] = 0.0
                frame = replace(frame, keypoints=KeyPoints.from_people([type(person).from_keypoints(keypoints)]))
            else:
                frame = PoseFrame(t=frame.t, people=[], width=WIDTH, height=HEIGHT)
        frames.append(frame)
    write_stream(path, StreamHeader(WIDTH, HEIGHT, PLAN.fps), frames)
    return path


def plain_stream(folder: Path) -> Path:
    path = folder / "squats.jsonl"
    write_stream(path, StreamHeader(WIDTH, HEIGHT, PLAN.fps), squat_frames(PLAN))
    return path


def rep_bottom(rep: int) -> float:
    """Session time of the bottom of the 1-based `rep` of PLAN."""
    return PLAN.lead_in + (rep - 1) * PLAN.rep_seconds + PLAN.down


@pytest.mark.parametrize(
    ("hide_legs", "told"),
    [(False, ["Step back into view"]), (True, ["knee", "ankle"])],
    ids=["person leaves", "legs vanish"],
)
def test_absence_pauses_the_session_and_the_cut_off_rep_is_not_stored(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, _private_data_dir: Path, hide_legs: bool, told: list[str]
) -> None:
    # Rep 2 is cut off at its bottom by 2 s out of view; reps 1 and 3 are seen whole.
    gap = (rep_bottom(2), rep_bottom(2) + 2.0)
    stream = stream_with_gap(tmp_path / "gap.jsonl", gap, hide_legs=hide_legs)
    window = build_window(
        LaunchOptions(
            source=SourceSpec("replay", stream, speed=2.0),
            exercise="squat",
            countdown=0,
            audio=False,
            overrides={"dosage.sets": 1, "dosage.reps": 5},
        )
    )
    qtbot.addWidget(window)
    states: list[str] = []
    window.controller.stateChanged.connect(states.append)
    video = window.live.video

    qtbot.waitUntil(lambda: window.controller.state == "away", timeout=10000)
    assert window.live.reps.count.text() == "1"
    assert video.big_text.startswith("Paused")
    assert [words for words in told if words not in video.big_text] == [], video.big_text
    qtbot.waitUntil(lambda: window.controller.state == "running", timeout=6000)  # back in view
    assert video.big_text == ""
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.summary, timeout=15000)  # the stream ends

    assert states[:2] == ["away", "running"]  # connected after the start
    outcome = window.summary.outcome
    assert (outcome.coach.rep_count, outcome.coach.partial_count) == (2, 0)
    assert window.summary.values["partial"].text() == "0"
    kinds = [e["kind"] for e in outcome.events]
    assert kinds.count("away") == 1 and kinds.count("back") == 1
    qtbot.waitUntil(lambda: "Saved" in window.summary.details.text(), timeout=5000)
    [detail] = stored_sessions(_private_data_dir)
    assert [r.complete for r in detail.reps] == [True, True]  # no "interrupted" fragment reaches the therapist
    assert detail.reps[1].start_t > gap[1]


def test_a_manual_pause_is_not_ended_by_the_absence_watch(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    stream = stream_with_gap(tmp_path / "gap.jsonl", (rep_bottom(1), rep_bottom(1) + 3.0))
    window = build_window(
        LaunchOptions(source=SourceSpec("replay", stream, speed=2.0), exercise="squat", countdown=0, audio=False)
    )
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.controller.state == "away", timeout=10000)
    tap(window.live.pause_button)  # the large on-screen button works while away too
    assert window.controller.state == "paused" and window.live.pause_button.text() == "Resume"
    pump(1500)
    assert window.controller.state == "paused"
    tap(window.live.pause_button)
    qtbot.waitUntil(lambda: window.controller.state == "running", timeout=3000)
    assert window.live.pause_button.text() == "Pause"


# ---- the kiosk --------------------------------------------------------------------


@pytest.fixture
def kiosk(qtbot, _private_data_dir: Path) -> Iterator[Callable[..., KioskWindow]]:  # type: ignore[no-untyped-def]
    seed_kiosk_db(_private_data_dir / "rehab-coach.db", reps=5)
    opened: list[KioskWindow] = []

    def open_kiosk(stream: Path, **options: object) -> KioskWindow:
        window = KioskWindow(
            LaunchOptions(
                source=SourceSpec("replay", stream, speed=2.0), countdown=0, audio=False, kiosk=True, **options
            )
        )  # type: ignore[arg-type]
        opened.append(window)
        window.present()
        qtbot.waitUntil(lambda: len(window.checkin.buttons) == 2, timeout=5000)
        tap(window.checkin.buttons[0])
        qtbot.waitUntil(lambda: bool(window.program.buttons), timeout=5000)
        tap(window.program.buttons[0])
        tap(window.instructions.start_button)
        qtbot.waitUntil(lambda: window.controller.state == "running", timeout=3000)
        return window

    yield open_kiosk
    for window in opened:
        window.locked = False
        window.close()


def test_kiosk_asks_still_there_before_an_idle_paused_session_ends(  # type: ignore[no-untyped-def]
    qtbot, kiosk, tmp_path: Path, _private_data_dir: Path
) -> None:
    window = kiosk(plain_stream(tmp_path), idle_timeout=1.0, still_there_seconds=3.0)
    qtbot.waitUntil(lambda: window.live.reps.count.text() == "1", timeout=8000)
    tap(window.live_page.pause_button)
    assert window.controller.state == "paused"
    # Paused with the person still in view: nothing ends silently, the question comes first.
    qtbot.waitUntil(lambda: window.still_there.showing, timeout=4000)
    prompt = window.still_there
    assert prompt.title.text() == "Still there?" and prompt.primary.text() == "I'm here"
    assert "ends in" in prompt.message.text() and prompt.seconds_left() in (1, 2, 3)
    assert window.stack.currentWidget() is window.live_page and window.controller.state == "paused"
    tap(prompt.primary)
    assert not prompt.showing and window.controller.state == "paused"
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
    [detail] = stored_sessions(_private_data_dir)
    assert detail.session.status == "stopped" and [r.complete for r in detail.reps] == [True]


def test_kiosk_finish_is_primary_and_asks_for_confirmation(  # type: ignore[no-untyped-def]
    qtbot, kiosk, tmp_path: Path, _private_data_dir: Path
) -> None:
    window = kiosk(plain_stream(tmp_path))
    live = window.live
    assert live.finish_button.objectName() == "primary" and live.finish_button.height() >= 72
    qtbot.waitUntil(lambda: live.reps.count.text() == "1", timeout=8000)
    tap(live.finish_button)
    prompt = live.finish_prompt
    assert prompt.showing and window.controller.state == "running"
    assert prompt.title.text() == "Finish this exercise?"
    assert f"{live.reps.count.text()} of " in prompt.message.text() and live.reps_done >= 1
    tap(prompt.secondary)  # "Keep going"
    assert not prompt.showing and window.controller.state == "running"
    tap(live.finish_button)
    tap(prompt.primary)  # one more tap ends it
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.summary, timeout=5000)
    window.store.wait_idle(5)
    [detail] = stored_sessions(_private_data_dir)
    assert detail.session.status == "stopped" and detail.session.reps_complete >= 1
