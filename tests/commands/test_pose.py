"""`rehab-coach pose` end to end through `rehab_coach.cli.main`."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from odd_videos import as_phone_stores_it, curl_frames, cut_short
from recording_backend import RecordingBackend
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


def test_pose_stream_of_a_phone_video_is_upright(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    backend = RecordingBackend()
    monkeypatch.setattr("rehab_coach.commands.pose.create_backend", lambda *args, **kwargs: backend)
    phone = as_phone_stores_it(tmp_path / "phone.mp4", curl_frames(data_dir, 4))
    out = tmp_path / "phone.jsonl"
    assert main(["pose", str(phone), "-o", str(out)]) == 0
    assert "warning" not in _error(capsys)
    stream = KeypointStream(out)
    assert (stream.header.width, stream.header.height) == (1280, 720)
    assert {shape for _, shape in backend.frames} == {(720, 1280, 3)}
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # a patient's movements


def test_pose_says_when_a_video_ended_early(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("rehab_coach.commands.pose.create_backend", lambda *args, **kwargs: RecordingBackend())
    cut = cut_short(tmp_path / "cut.mp4", data_dir / "curls_front_8reps.mp4", 20)
    out = tmp_path / "cut.jsonl"
    assert main(["pose", str(cut), "-o", str(out)]) == 0
    assert "rehab-coach: warning:" in _error(capsys)
    assert len(list(KeypointStream(out))) == 20  # what was read is kept
