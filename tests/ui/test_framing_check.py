"""The framing check before a set and the pause while the view is wrong, offscreen on the real
desktop and kiosk windows with synthetic keypoint streams seen side-on and from the front."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from kiosk_fixtures import pump, seed_kiosk_db, tap

from rehab_coach.capture.sources import SourceSpec
from rehab_coach.keypoints.stream import StreamHeader, write_stream
from rehab_coach.ui.app import build_window
from rehab_coach.ui.kiosk import KioskWindow
from rehab_coach.ui.options import LaunchOptions
from rehab_synth import generate


def clip_stream(path: Path, *parts: tuple[str, int]) -> Path:
    """Squats filmed from each (view, reps) part in turn, one continuous clock."""
    frames, offset, header = [], 0.0, None
    for view, reps in parts:
        clip = generate("squat", reps=reps, view=view, seed=3)
        header = header or StreamHeader(clip.width, clip.height, clip.fps)
        frames += [replace(f, t=f.t + offset) for f in clip.frames]
        offset = frames[-1].t + 1 / clip.fps
    assert header is not None
    write_stream(path, header, frames)
    return path


def open_desktop(qtbot, stream: Path, **options: object):  # type: ignore[no-untyped-def]
    window = build_window(
        LaunchOptions(
            source=SourceSpec("replay", stream, speed=2.0),
            exercise="squat",
            countdown=0,
            audio=False,
            framing_check=True,
            overrides={"dosage.sets": 1, "dosage.reps": 10},
            **options,
        )
    )  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    return window


def test_a_side_on_patient_passes_the_check_and_the_set_starts(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = open_desktop(qtbot, clip_stream(tmp_path / "side.jsonl", ("side", 4)))
    controller, video = window.controller, window.live.video
    assert controller.state == "framing"
    qtbot.waitUntil(lambda: video.guide is not None and video.guide.ready, timeout=8000)
    assert video.guide.symbol == "✓" and video.guide.wanted_view == "side"
    assert window.live.skip_framing_button.isVisible()
    qtbot.waitUntil(lambda: controller.state == "running", timeout=6000)
    assert video.guide is None and not window.live.skip_framing_button.isVisible()
    kinds = [e["kind"] for e in controller.events]
    assert "framing_ok" in kinds and "framing_skipped" not in kinds
    qtbot.waitUntil(lambda: window.live.reps.count.text() == "2", timeout=15000)  # coaching runs after the go


def test_facing_the_camera_for_a_side_view_exercise_holds_the_set_and_counts_nothing(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path
) -> None:
    window = open_desktop(qtbot, clip_stream(tmp_path / "front.jsonl", ("front", 6)))
    controller, video = window.controller, window.live.video
    qtbot.waitUntil(
        lambda: video.guide is not None and video.guide.title == "Turn your left side to the camera", timeout=8000
    )
    assert video.guide.detail == "Stand side-on to the camera" and not video.guide.ready
    pump(3000)  # squats go on in front of the camera: none is counted, no cue of a fault
    assert controller.state == "framing"
    assert controller.coach.frames == 0 and window.live.reps.count.text() == "0"
    tap(window.live.skip_framing_button)  # the therapist's call: start anyway
    assert controller.state == "running" and video.guide is None
    assert "framing_skipped" in [e["kind"] for e in controller.events]


def test_turning_to_face_the_camera_mid_set_pauses_scoring_until_side_on_again(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path
) -> None:
    stream = clip_stream(tmp_path / "turn.jsonl", ("side", 2), ("front", 4), ("side", 3))
    window = open_desktop(qtbot, stream)
    controller = window.controller
    states: list[str] = []
    controller.stateChanged.connect(states.append)
    qtbot.waitUntil(lambda: controller.state == "turned", timeout=20000)
    counted = controller.coach.rep_count
    frames = controller.coach.frames
    assert window.live.banner.text == "Turn your left side to the camera"
    assert window.live.video.guide is not None and window.live.video.guide.title == "Turn your left side to the camera"
    pump(2500)
    assert controller.state == "turned"
    assert controller.coach.frames == frames and controller.coach.rep_count == counted  # scoring paused
    qtbot.waitUntil(lambda: controller.state == "running", timeout=20000)  # side-on again
    assert window.live.video.guide is None
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.summary, timeout=30000)
    outcome = window.summary.outcome
    assert states[:3] == ["running", "turned", "running"]  # the check's go, the turn, the turn back
    kinds = [e["kind"] for e in outcome.events]
    assert kinds.count("turned") == 1 and kinds.count("view_back") == 1
    assert outcome.coach.rep_count <= 5  # only the side-on squats can count (2 + 3)
    assert outcome.coach.rep_count >= 3


def test_the_kiosk_shows_the_check_in_chinese_and_a_tap_skips_it(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, _private_data_dir: Path
) -> None:
    seed_kiosk_db(_private_data_dir / "rehab-coach.db", reps=5)
    stream = clip_stream(tmp_path / "front.jsonl", ("front", 4))
    window = KioskWindow(
        LaunchOptions(
            source=SourceSpec("replay", stream, speed=2.0),
            countdown=0,
            audio=False,
            kiosk=True,
            language="zh",
            framing_check=True,
        )
    )
    window.present()
    try:
        qtbot.waitUntil(lambda: len(window.checkin.buttons) == 2, timeout=5000)
        tap(window.checkin.buttons[0])
        qtbot.waitUntil(lambda: bool(window.program.buttons), timeout=5000)
        tap(window.program.buttons[0])
        tap(window.instructions.start_button)
        assert window.controller.state == "framing"
        video = window.live.video
        qtbot.waitUntil(lambda: video.guide is not None and video.guide.title == "请把左侧身体转向摄像头", timeout=8000)
        assert video.guide.detail == "请侧身站立，侧面对着摄像头" and window.live.banner.text == "取景检查"
        assert window.live.skip_framing_button.text() == "立即开始"
        tap(window.live.skip_framing_button)
        qtbot.waitUntil(lambda: window.controller.state == "running", timeout=3000)
    finally:
        window.locked = False
        window.close()


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
