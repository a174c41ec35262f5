"""`rehab-coach pose` end to end through `rehab_coach.cli.main`."""

from __future__ import annotations

from pathlib import Path

import pytest

from rehab_coach.cli import main
from rehab_coach.keypoints.stream import KeypointStream


@pytest.mark.slow
def test_pose_writes_a_valid_stream(tmp_path: Path, lunge_video: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "lunge.jsonl"
    assert main(["pose", str(lunge_video), "-o", str(out), "--backend", "blazepose"]) == 0
    summary = capsys.readouterr().out.strip()
    assert len(summary.splitlines()) == 1
    assert "100 frames" in summary and "BlazePose Full" in summary and "ms/frame" in summary

    stream = KeypointStream(out)
    assert (stream.header.width, stream.header.height, stream.header.fps) == (1080, 1920, 60.0)
    frames = list(stream)
    assert len(frames) == 100
    assert len(out.read_text().splitlines()) == 101  # header + one line per frame
    assert [round(f.t * 60) for f in frames] == list(range(100))
    assert all(len(f.people) <= 1 for f in frames)  # only the tracked patient
    assert sum(bool(f.people) for f in frames) >= 95


@pytest.mark.slow
def test_pose_all_people_and_max_frames(tmp_path: Path, lunge_video: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "all.jsonl"
    assert main(["pose", str(lunge_video), "-o", str(out), "--all-people", "--max-frames", "5"]) == 0
    assert "5 frames" in capsys.readouterr().out
    assert len(list(KeypointStream(out))) == 5


def _error(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    return captured.err


def test_missing_video(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["pose", str(tmp_path / "missing.mp4"), "-o", str(tmp_path / "o.jsonl")])
    assert code == 3
    assert "rehab-coach: error:" in (err := _error(capsys)) and "no such video file" in err
    assert not (tmp_path / "o.jsonl").exists()


def test_not_a_video(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake = tmp_path / "holiday.mp4"
    fake.write_text("definitely not a video")
    code = main(["pose", str(fake), "-o", str(tmp_path / "o.jsonl"), "--backend", "blazepose"])
    assert code == 3
    assert "not a video file" in _error(capsys)


def test_unknown_backend_is_rejected_by_the_parser(tmp_path: Path, lunge_video: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(["pose", str(lunge_video), "-o", str(tmp_path / "o.jsonl"), "--backend", "nope"])
    assert info.value.code == 2


def test_unwritable_output(tmp_path: Path, lunge_video: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["pose", str(lunge_video), "-o", str(tmp_path / "no" / "such" / "dir.jsonl"), "--backend", "blazepose"])
    assert code == 2
    assert "cannot write the keypoint stream" in _error(capsys)
