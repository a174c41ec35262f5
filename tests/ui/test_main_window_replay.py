"""The real main window driven by a replayed keypoint stream with known reps and an injected fault;
the session lands in the database (the default SQLite file of the test's data folder)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from rehab_coach.capture.sources import SourceSpec
from rehab_coach.ui.app import build_window
from rehab_coach.ui.main_window import MainWindow
from rehab_coach.ui.options import LaunchOptions
from saved_sessions import stored_sessions


def activate(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """Window shortcuts (Space, S, Esc) only reach an active window."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)


def test_guided_session_counts_reps_cues_faults_rests_and_records(
    qtbot,
    stall_watch,
    squat_stream: Callable[..., Path],
    replay_window: Callable[..., MainWindow],
    user_data_dir: Path,  # type: ignore[no-untyped-def]
) -> None:
    stream = squat_stream(reps=4, faults={2: ["trunk_lean"]}, pause=0.5)
    window = replay_window(stream, overrides={"dosage.sets": 2, "dosage.reps": 2, "dosage.rest_seconds": 1})
    live = window.live
    assert window.stack.currentWidget() is live  # --exercise skips the picker
    # The first paints of a new window build fonts and caches; watch the loop from then on.
    qtbot.waitUntil(lambda: live.video.frames_painted >= 3, timeout=5000)
    stall_watch.start()
    # The status line shows the capture-to-paint latency of the last two seconds, mean and p95.
    qtbot.waitUntil(lambda: "p95" in window.status.text(), timeout=3000)
    mean_ms, p95_ms = re.search(r"capture→paint (\d+) ms \(p95 (\d+)\)", window.status.text()).groups()  # type: ignore[union-attr]
    assert int(mean_ms) <= int(p95_ms)  # shown and consistent; how fast is a benchmark's business, not a test's

    qtbot.waitUntil(lambda: live.reps.count.text() == "1", timeout=8000)
    assert len(live.quality.reps) == 1 and live.quality.bars is not None
    assert live.angle_plot.received > 10 and live.angle_plot.visible_samples > 10
    assert "Last rep: " in live.reps.last.text()

    # Rep 2 leans the trunk: the engine's cue reaches the banner, then the set ends in a rest.
    qtbot.waitUntil(lambda: any(c.id == "trunk_lean" for c in live.banner.history), timeout=8000)
    assert "Keep your chest up" in [c.text for c in live.banner.history]
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.rest, timeout=8000)
    assert window.rest.next.text() == "Next: set 2 of 2"

    # After the rest, set 2 starts from zero and the last rep ends the session.
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.summary, timeout=15000)
    stall_watch.stop()
    values = window.summary.values
    assert (values["reps"].text(), values["partial"].text(), values["sets"].text()) == ("4", "0", "2/2")
    assert "Keep your chest up" in window.summary.faults.text()
    assert "target reached" in window.summary.rom.text()

    qtbot.waitUntil(lambda: "Saved to the database" in window.summary.details.text(), timeout=5000)
    [detail] = stored_sessions(user_data_dir)
    session = detail.session
    assert (session.exercise_id, session.status, session.patient_code) == ("squat", "completed", None)
    assert session.overrides == {"dosage.sets": 2, "dosage.reps": 2, "dosage.rest_seconds": 1}
    assert [(r.set_number, r.complete) for r in detail.reps] == [(1, True), (1, True), (2, True), (2, True)]
    assert [r.faults for r in detail.reps][1] == ["trunk_lean"] and len(detail.reps[0].curve) > 10
    assert "trunk_lean" in [c.cue_id for c in detail.cues]
    assert session.summary["rep_count"] == 4 and session.summary["fault_counts"] == {"trunk_lean": 1}
    perf = session.summary["live"]["performance"]
    # The session keeps its frame rate and latency; how fast they are is scripts/measure_live.py's business.
    assert perf["frames_painted"] > 0 and perf["fps"] > 0 and perf["latency_ms_mean"] > 0
    assert 0 < perf["latency_ms_p50"] <= perf["latency_ms_p95"]  # the p95 stays with the session
    assert any(e["kind"] == "rest" for e in session.summary["live"]["events"])

    stall_watch.check(50)


def test_space_pauses_and_resumes_and_s_stops(
    qtbot, squat_stream: Callable[..., Path], replay_window: Callable[..., MainWindow]
) -> None:  # type: ignore[no-untyped-def]
    window = replay_window(squat_stream(reps=3), speed=2.0)
    activate(qtbot, window)
    video = window.live.video
    qtbot.waitUntil(lambda: video.frames_painted > 10, timeout=5000)

    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert window.controller.session.state == "paused"
    qtbot.wait(150)  # a frame already on its way may still land
    frozen = video.frames_painted
    qtbot.wait(400)
    assert video.frames_painted == frozen  # a paused file does not advance
    assert "Paused" in video.big_text

    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert window.controller.session.state == "running" and video.big_text == ""
    qtbot.waitUntil(lambda: video.frames_painted > frozen + 5, timeout=3000)

    qtbot.keyClick(window, Qt.Key.Key_S)  # Finish asks first; Esc goes on, S again confirms
    prompt = window.live.finish_prompt
    assert prompt.showing and window.controller.session.state == "running"
    assert prompt.title.text() == "Finish this exercise?" and prompt.primary.text() == "Finish"
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not prompt.showing and window.controller.session.state == "running"
    qtbot.keyClick(window, Qt.Key.Key_S)
    qtbot.keyClick(window, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.summary, timeout=3000)
    assert not prompt.showing and window.controller.pipeline.spec is None
    assert window.controller.session.state == "done"
    assert window.summary.outcome.status == "stopped"  # ended before its sets were done


def test_picker_instructions_and_countdown(qtbot, squat_stream: Callable[..., Path]) -> None:  # type: ignore[no-untyped-def]
    window = build_window(LaunchOptions(source=SourceSpec("replay", squat_stream(reps=1)), countdown=1, audio=False))
    qtbot.addWidget(window)
    activate(qtbot, window)
    assert window.stack.currentWidget() is window.picker
    ids = [window.picker.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(window.picker.list.count())]
    assert {"squat", "lunge"} <= set(ids)
    window.picker.list.setCurrentRow(ids.index("squat"))
    assert window.picker.patient is None  # a guest, until a patient is chosen
    qtbot.keyClick(window.picker.list, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.instructions
    assert "chair" in window.instructions.what.text() and "side" in window.instructions.camera.text().lower()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.picker
    window.choose("squat")
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert window.stack.currentWidget() is window.live
    assert window.controller.session.state == "countdown" and window.live.video.big_text == "1"
    qtbot.waitUntil(lambda: window.controller.session.state == "running", timeout=3000)
    assert window.live.video.big_text == ""


@pytest.mark.parametrize("language", ["zh"])
def test_chinese_texts(qtbot, squat_stream: Callable[..., Path], language: str) -> None:  # type: ignore[no-untyped-def]
    window = build_window(
        LaunchOptions(source=SourceSpec("replay", squat_stream(reps=1)), language=language, audio=False)
    )
    qtbot.addWidget(window)
    window.choose("squat")
    assert window.instructions.title.text() == "深蹲"
    assert window.live.reps.title.text() == "次数"


def test_hidden_joints_get_visibility_guidance(
    qtbot, squat_stream: Callable[..., Path], replay_window: Callable[..., MainWindow]
) -> None:  # type: ignore[no-untyped-def]
    stream = squat_stream(reps=2, faults={1: ["hidden"]})  # knees and ankles leave the picture mid-rep
    window = replay_window(stream)
    live = window.live
    qtbot.waitUntil(lambda: live.video.hint.startswith("Can't see:"), timeout=8000)
    assert "knee" in live.video.hint and "ankle" in live.video.hint
    qtbot.waitUntil(lambda: any(c.kind == "visibility" for c in live.banner.history), timeout=8000)
    assert "hips, knees and ankles" in next(c.text for c in live.banner.history if c.kind == "visibility")
    qtbot.waitUntil(lambda: live.video.hint == "", timeout=8000)  # seen again: the hint goes
