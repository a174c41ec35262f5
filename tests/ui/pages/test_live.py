"""The live screen read from 3 m, offscreen on the real window: the counter (or a hold's countdown
ring) dominates and grows with the window, the calm patient view hides the plot and the status
line, standing between reps is no error, ratio measures carry no degrees, and the summary speaks
the patient's language."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication

from rehab_coach.capture.sources import SourceSpec
from rehab_coach.ui.app import build_window
from rehab_coach.ui.main_window import MainWindow
from rehab_coach.ui.options import LaunchOptions
from rehab_coach.ui.style import MUTED
from rehab_synth import generate


def open_window(
    qtbot, stream: Path, exercise: str, size: tuple[int, int] = (1280, 720), **options: object
) -> MainWindow:  # type: ignore[no-untyped-def]
    window = build_window(
        LaunchOptions(
            source=SourceSpec("replay", stream, speed=options.pop("speed", 2.0)),  # type: ignore[arg-type]
            exercise=exercise,
            countdown=0,
            audio=False,
            **options,
        )
    )  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitUntil(lambda: window.live.video.frames_painted >= 3, timeout=8000)
    return window


def _overlap(a: QRect, b: QRect) -> bool:
    return a.intersects(b) and a.intersected(b).height() > 1


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_the_counter_dominates_and_grows_with_the_window(  # type: ignore[no-untyped-def]
    qtbot, squat_stream: Callable[..., Path], size: tuple[int, int]
) -> None:
    window = open_window(qtbot, squat_stream(reps=3), "squat", size)
    QApplication.processEvents()
    panel = window.live.reps
    count = panel.count
    # Every other text on the live screen is at most 34 pt; the counter several times that.
    assert count.point_size >= (110 if size[1] == 720 else 170), count.point_size
    assert count.height() >= 0.3 * window.height()
    labels = [panel.title, count, panel.goal, panel.set_label, panel.last, panel.status]
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            assert not _overlap(a.geometry(), b.geometry()), (a.text(), b.text())
    for button in (window.live.pause_button, window.live.finish_button):
        assert button.isVisible() and button.height() >= 72


def test_counter_at_1080p_is_larger_than_at_720p(qtbot, squat_stream: Callable[..., Path]) -> None:  # type: ignore[no-untyped-def]
    sizes = {}
    for size in ((1280, 720), (1920, 1080)):
        window = open_window(qtbot, squat_stream(name=f"s{size[0]}.jsonl", reps=1), "squat", size)
        QApplication.processEvents()
        sizes[size] = window.live.reps.count.point_size
        window.close()
    assert sizes[(1920, 1080)] >= 1.3 * sizes[(1280, 720)]


def test_calm_view_hides_the_plot_and_status_line_and_t_shows_them(  # type: ignore[no-untyped-def]
    qtbot, squat_stream: Callable[..., Path]
) -> None:
    window = open_window(qtbot, squat_stream(reps=2), "squat")
    live = window.live
    assert not live.angle_plot.isVisible() and not window.statusBar().isVisible()
    window.view_action.trigger()  # T
    assert live.angle_plot.isVisible() and window.statusBar().isVisible()
    assert live.angle_plot.getAxis("left").labelText == "knee (°)"
    window.view_action.trigger()
    assert not live.angle_plot.isVisible() and not window.statusBar().isVisible()
    demo = open_window(qtbot, squat_stream(name="demo.jsonl", reps=1), "squat", therapist_view=True)
    assert demo.live.angle_plot.isVisible() and demo.statusBar().isVisible()


def test_standing_between_reps_is_not_an_error(qtbot, squat_stream: Callable[..., Path]) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, squat_stream(reps=3, pause=1.5), "squat")
    seen: list[tuple[str, str, str]] = []
    window.controller.frameShown.connect(
        lambda shown: (
            shown.result.update
            and seen.append((shown.result.update.phase, *window.live.status_text(shown.result.update)))
        )
    )
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.summary, timeout=15000)
    resting = [(text, colour) for phase, text, colour in seen if phase == "top"]
    moving = [text for phase, text, _ in seen if phase in ("descent", "bottom", "ascent")]
    assert resting and moving
    assert all(text == "Ready" and colour == MUTED for text, colour in resting)
    assert not any("out of range" in text for _phase, text, _ in seen if _phase == "top")
    assert any("°" in text for text in moving)  # an angle measure shows its degrees while moving


def test_a_ratio_measure_has_no_degrees(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    stream = generate("heel_raise", reps=3, seed=3, noise="low").write(tmp_path / "heel.jsonl")
    window = open_window(
        qtbot, stream, "heel_raise", therapist_view=True, overrides={"dosage.sets": 1, "dosage.reps": 3}
    )
    live = window.live
    texts: list[str] = []
    window.controller.frameShown.connect(
        lambda shown: shown.result.update and texts.append(window.live.status_text(shown.result.update)[0])
    )
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.summary, timeout=15000)
    assert texts and not any("°" in t for t in texts)
    assert live.angle_plot.getAxis("left").labelText == "ankle rise (× torso length)"
    ticks = [label for _value, label in live.angle_plot.getAxis("right")._tickLevels[0]]
    assert ticks and not any("°" in label for label in ticks) and "target 0.14" in ticks
    rom = window.summary.rom.text()
    assert "°" not in rom and "target 0.14" in rom and "torso length" in rom
    assert window.summary.values["reps"].text() == "3"


def test_a_hold_shows_a_countdown_ring(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    stream = generate("single_leg_stance", reps=1, seed=2, noise="low").write(tmp_path / "hold.jsonl")
    window = open_window(qtbot, stream, "single_leg_stance", speed=3.0, overrides={"dosage.sets": 1, "dosage.reps": 1})
    panel = window.live.reps
    assert panel.ring.isVisible() and not panel.count.isVisible() and panel.title.text() == "HOLD"
    assert panel.ring.seconds_left == 20 and min(panel.ring.width(), panel.ring.height()) >= 0.25 * window.height()
    qtbot.waitUntil(lambda: panel.ring.holding and panel.ring.seconds_left <= 17, timeout=15000)
    left = panel.ring.seconds_left
    qtbot.waitUntil(
        lambda: panel.ring.seconds_left < left or window.stack.currentWidget() is window.summary, timeout=5000
    )
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.summary, timeout=20000)
    assert window.summary.headline.text().startswith("Longest hold: ")


def test_summary_in_the_patients_words(qtbot, squat_stream: Callable[..., Path]) -> None:  # type: ignore[no-untyped-def]
    stream = squat_stream(reps=3, faults={2: ["trunk_lean"]})
    window = open_window(qtbot, stream, "squat", speed=3.0, overrides={"dosage.sets": 2, "dosage.reps": 5})
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.summary, timeout=15000)
    summary = window.summary
    assert summary.headline.text() == "3 good reps. Well done!"
    assert "What went well: 2 of 3 reps needed no correction." in summary.went_well.text()
    assert "One thing to work on: “Keep your chest up”" in summary.work_on.text()
    assert summary.sets_text.text() == "Sets: 0 of 2 sets done. Set 1: 3 of 5 reps."
    # No angles, timings or backend names in the patient's view; the therapist's view has them.
    assert not summary.rom.isVisible() and not summary.details.isVisible() and summary.saved_text.isVisible()
    assert "fps" in summary.details.text() and "°" in summary.rom.text()
    window.view_action.trigger()
    assert summary.rom.isVisible() and summary.details.isVisible()


def test_summary_words_in_chinese(qtbot, squat_stream: Callable[..., Path]) -> None:  # type: ignore[no-untyped-def]
    window = open_window(
        qtbot, squat_stream(reps=2), "squat", speed=3.0, language="zh", overrides={"dosage.sets": 1, "dosage.reps": 2}
    )
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.summary, timeout=15000)
    summary = window.summary
    assert summary.headline.text() == "完成 2 次标准动作，做得好！"
    assert summary.sets_text.text() == "组数: 这一组已完成。"


def test_missing_joints_are_named_in_the_patients_language() -> None:
    from rehab_coach.engine.framing import FramingState
    from rehab_coach.engine.visibility import joint_words
    from rehab_coach.ui.pages.live import framing_look

    state = FramingState("joints_missing", "side", "side", "ideal", ["left_knee", "left_ankle", "mid_hip"])
    assert framing_look(state, "en").detail == "Can't see: left knee, left ankle, hips"
    zh = framing_look(state, "zh")
    assert zh.title == "请移动位置，让全身都在画面中" and zh.detail == "看不到：左膝、左脚踝、双髋"
    assert joint_words(["right_wrist"], "zh") == "右手腕"
    go = framing_look(FramingState("ready", "front", "oblique", "usable", [], 1.0, True), "en")
    assert (go.title, go.symbol, go.ready) == ("Go!", "✓", True) and "turn a little more" in go.detail
