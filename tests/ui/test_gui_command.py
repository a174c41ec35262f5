"""`rehab-coach gui` options, checked without opening a window."""

from __future__ import annotations

from pathlib import Path

import pytest

from rehab_coach.cli import build_parser, main
from rehab_coach.commands import gui
from rehab_coach.errors import InputError, TemplateError


def parse(*argv: str):  # type: ignore[no-untyped-def]
    return build_parser().parse_args(["gui", *argv])


def test_sources(tmp_path: Path, lunge_video: Path) -> None:
    assert gui.source_spec(parse()).describe() == "camera 0"
    camera = gui.source_spec(parse("--camera", "2", "--camera-size", "640x480", "--camera-fps", "15"))
    assert (camera.target, camera.camera_size, camera.camera_fps, camera.live) == (2, (640, 480), 15.0, True)
    assert gui.source_spec(parse("--camera", "/dev/video4")).target == "/dev/video4"
    video = gui.source_spec(parse("--video", str(lunge_video), "--loop", "--speed", "0.5"))
    assert (video.kind, video.loop, video.speed) == ("video", True, 0.5)
    stream = tmp_path / "s.jsonl"
    stream.write_text("{}\n")
    assert gui.source_spec(parse("--replay", str(stream))).kind == "replay"


def test_one_source_at_a_time(lunge_video: Path) -> None:
    with pytest.raises(SystemExit):
        parse("--camera", "0", "--video", str(lunge_video))


def test_missing_file_and_unknown_exercise_fail_before_any_window(tmp_path: Path, lunge_video: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        gui.run(parse("--video", str(tmp_path / "nope.mp4")))
    with pytest.raises(TemplateError, match="unknown exercise"):
        gui.run(parse("--video", str(lunge_video), "--exercise", "cartwheel"))
    assert main(["gui", "--video", str(tmp_path / "nope.mp4")]) == InputError.exit_code


def test_dosage_overrides() -> None:
    assert gui.overrides(parse("--sets", "2", "--reps", "5", "--rest", "0")) == {
        "dosage.sets": 2, "dosage.reps": 5, "dosage.rest_seconds": 0.0}
    assert gui.overrides(parse()) == {}


def test_bare_command_takes_the_gui_options(tmp_path: Path) -> None:
    assert main(["--video", str(tmp_path / "nope.mp4")]) == InputError.exit_code
