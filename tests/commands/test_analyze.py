"""`rehab-coach analyze` and `replay` end to end: real footage, synthetic streams, bad input."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import numpy as np
import pytest

from odd_videos import as_phone_stores_it, curl_frames, cut_short, encode, with_dropped_frames
from recording_backend import RecordingBackend
from rehab_coach.cli import main
from rehab_coach.engine.anatomy import JOINT_RANGES
from rehab_synth.generator import generate

STABLE_KEYS = {
    "exercise",
    "backend",
    "frames",
    "seconds",
    "frames_with_person",
    "rep_count",
    "partial_reps",
    "reps",
    "cues",
}
REP_KEYS = {
    "index",
    "start_t",
    "end_t",
    "duration",
    "complete",
    "rom",
    "extreme",
    "peaks",
    "faults",
    "quality",
    "quality_parts",
}


def _err(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    return captured.err


@pytest.fixture
def recording_backend(monkeypatch: pytest.MonkeyPatch) -> RecordingBackend:
    backend = RecordingBackend()
    monkeypatch.setattr("rehab_coach.commands.analyze.create_backend", lambda *args, **kwargs: backend)
    return backend


def test_analyze_turns_a_phone_video_upright(
    tmp_path: Path, data_dir: Path, recording_backend: RecordingBackend, capsys: pytest.CaptureFixture[str]
) -> None:
    phone = as_phone_stores_it(tmp_path / "phone.mp4", curl_frames(data_dir, 5))
    out = tmp_path / "report.json"
    assert main(["analyze", str(phone), "--exercise", "elbow_flexion", "--json", str(out)]) == 0
    _err(capsys)
    assert {shape for _, shape in recording_backend.frames} == {(720, 1280, 3)}  # stored 1280 high, 720 wide
    source = json.loads(out.read_text(encoding="utf-8"))["source"]
    assert (source["width"], source["height"], source["rotation"]) == (1280, 720, 90)


def test_analyze_times_frames_by_the_container(
    tmp_path: Path, data_dir: Path, recording_backend: RecordingBackend, capsys: pytest.CaptureFixture[str]
) -> None:
    keep = [*range(0, 30), *range(30, 60, 3), *range(60, 70)]  # 30 fps, 10 fps, 30 fps
    vfr = with_dropped_frames(tmp_path / "vfr.mp4", curl_frames(data_dir, 70), keep)
    out = tmp_path / "report.json"
    assert main(["analyze", str(vfr), "--exercise", "elbow_flexion", "--json", str(out)]) == 0
    _err(capsys)
    times = np.array([t for t, _ in recording_backend.frames])
    np.testing.assert_allclose(times, np.array(keep) * 1001 / 30000, atol=2e-3)
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["source"]["frames_timed_by_rate"] == 0
    assert report["seconds"] == pytest.approx(70 * 1001 / 30000, abs=0.05)


def test_analyze_says_when_a_video_ended_early(
    tmp_path: Path, data_dir: Path, recording_backend: RecordingBackend, capsys: pytest.CaptureFixture[str]
) -> None:
    cut = cut_short(tmp_path / "cut.mp4", data_dir / "curls_front_8reps.mp4", 37)
    out = tmp_path / "report.json"
    assert main(["analyze", str(cut), "--exercise", "elbow_flexion", "--json", str(out)]) == 0  # what was read counts
    err = _err(capsys)
    assert "rehab-coach: warning:" in err and "ended after 37 of the 780 frames" in err and "cut short" in err
    assert len(recording_backend.frames) == 37
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["frames"] == 37
    assert (report["source"]["frame_count"], report["source"]["ended_early"]) == (780, True)
    assert len(report["warnings"]) == 1 and "ended after 37 of the 780 frames" in report["warnings"][0]


def test_analyze_whole_video_has_no_warning(
    tmp_path: Path, lunge_video: Path, recording_backend: RecordingBackend, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.json"
    assert main(["analyze", str(lunge_video), "--exercise", "lunge", "--json", str(out)]) == 0
    assert "warning" not in _err(capsys)
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["warnings"] == [] and report["source"]["ended_early"] is False
    assert (report["source"]["rotation"], report["source"]["frame_count"]) == (0, 100)


@pytest.mark.slow
def test_analyze_real_lunge_footage(tmp_path: Path, lunge_video: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.json"
    assert main(["analyze", str(lunge_video), "--exercise", "lunge", "--backend", "blazepose", "--json", str(out)]) == 0
    assert "Forward lunge" in capsys.readouterr().out
    report = json.loads(out.read_text(encoding="utf-8"))
    assert STABLE_KEYS <= set(report)
    assert report["frames"] == 100 and report["frames_with_person"] >= 95
    assert report["seconds"] == pytest.approx(100 / 60, abs=0.02)
    assert report["backend"].startswith("BlazePose Full")
    assert set(report["timings_ms"]) == {"decode", "pose", "engine"}
    # The clip is the first half of one lunge: standing knees near straight, then bending.
    assert report["rep_count"] == 0


@pytest.mark.slow
def test_readme_first_example_counts_the_curls(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The README's first headless example, run as written (with the report under tmp_path)."""
    readme = (data_dir.parent.parent / "README.md").read_text(encoding="utf-8")
    command = next(line for line in readme.splitlines() if line.startswith("scripts/run.sh analyze "))
    argv = command.removeprefix("scripts/run.sh ").split()
    assert argv[:2] == ["analyze", "tests/data/curls_front_8reps.mp4"]
    argv[1] = str(data_dir / "curls_front_8reps.mp4")
    argv[argv.index("--json") + 1] = str(tmp_path / "report.json")
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "Elbow flexion: 8 reps" in printed
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["frames"] == 780 and report["frames_with_person"] >= 760 and report["rep_count"] == 8
    # Filmed from the front, the 2D elbow collapses to a few degrees (it once read "best elbow 1°"): every
    # reported elbow angle is one an elbow can make (from the 3D points), or not measurable.
    elbow = JOINT_RANGES["elbow"]
    reported = [v for rep in report["reps"] for v in (rep["extreme"], rep["start_value"]) if v is not None]
    reported += [
        v for rep in report["reps"] for k, v in rep["peaks"].items() if k.startswith("elbow_") and v is not None
    ]
    assert all(elbow.holds(v) for v in reported)
    assert report["best_extreme"] is None or elbow.holds(report["best_extreme"])
    assert report["best_extreme_source"] in ("world", "wrong_view")
    assert "best elbow 1°" not in printed


CURL_FRAMES = 300  # 10 s of the curl clip: three curls


@pytest.fixture(scope="module")
def curl_clips(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> dict[str, Path]:
    """The curl clip's first 10 s three ways: upright, as a phone stores it, and at a variable frame rate."""
    folder = tmp_path_factory.mktemp("curls")
    frames = curl_frames(data_dir, CURL_FRAMES)
    keep = [i for i in range(CURL_FRAMES) if (i // 45) % 2 == 0 or i % 3 == 0]  # 1.5 s at 30 fps, 1.5 s at 10 fps
    return {
        "upright": encode(folder / "upright.mp4", frames),
        "phone": as_phone_stores_it(folder / "phone.mp4", frames),
        "vfr": with_dropped_frames(folder / "vfr.mp4", frames, keep),
    }


def _analyze(video: Path, out: Path) -> dict:
    assert (
        main(["analyze", str(video), "--exercise", "elbow_flexion", "--backend", "blazepose", "--json", str(out)]) == 0
    )
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def upright_curls(curl_clips: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict:
    return _analyze(curl_clips["upright"], tmp_path_factory.mktemp("upright") / "report.json")


@pytest.mark.slow
def test_phone_video_is_analysed_upright(curl_clips: dict[str, Path], upright_curls: dict, tmp_path: Path) -> None:
    """Read as stored, the curls facing the camera were taken for a rear view (and a side-view squat
    got trunk_lean on every rep); upright, the phone's clip reads as the upright one."""
    phone = _analyze(curl_clips["phone"], tmp_path / "report.json")
    assert phone["source"]["rotation"] == 90
    assert (phone["source"]["width"], phone["source"]["height"]) == (1280, 720)
    assert upright_curls["camera_view"]["seen"] == phone["camera_view"]["seen"] == "front"
    assert phone["rep_count"] == upright_curls["rep_count"] >= 2
    for ours, theirs in zip(phone["reps"], upright_curls["reps"], strict=True):
        assert ours["faults"] == theirs["faults"]
        assert ours["quality"] == pytest.approx(theirs["quality"], abs=3)
        assert ours["start_t"] == pytest.approx(theirs["start_t"], abs=0.1)


@pytest.mark.slow
def test_variable_frame_rate_video_keeps_rep_durations(
    curl_clips: dict[str, Path], upright_curls: dict, tmp_path: Path
) -> None:
    """Timed by frame index / average rate, the reps of this clip were 30-50% off; by the container's times,
    each starts and ends where it does in the constant-rate clip."""
    vfr = _analyze(curl_clips["vfr"], tmp_path / "report.json")
    assert vfr["rep_count"] == upright_curls["rep_count"] >= 2
    for ours, theirs in zip(vfr["reps"], upright_curls["reps"], strict=True):
        assert ours["start_t"] == pytest.approx(theirs["start_t"], abs=0.15)
        assert ours["end_t"] == pytest.approx(theirs["end_t"], abs=0.15)
        assert ours["duration"] == pytest.approx(theirs["duration"], rel=0.1)


@pytest.mark.slow
def test_real_footage_knee_angles_are_plausible(lunge_video: Path) -> None:
    from rehab_coach.capture.video import VideoSource
    from rehab_coach.engine.coach import Coach
    from rehab_coach.engine.templates import load_template_by_id
    from rehab_coach.pose.backend import create_backend

    coach = Coach(load_template_by_id("lunge"))
    with create_backend("blazepose") as backend:
        knees = [coach.process(backend.infer(img, t)).measures.get("knee") for t, img in VideoSource(lunge_video)]
    knees = np.array([k for k in knees if k is not None and np.isfinite(k)])
    assert len(knees) >= 95
    assert 150 < np.median(knees[:20]) <= 180  # standing
    assert 100 < knees.min() < 150  # the lunge bends the knees
    assert np.abs(np.diff(knees)).max() < 25  # smoothed: no jumps between frames at 60 fps


def test_replay_synthetic_stream_counts_reps_and_faults(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stream = tmp_path / "squat.jsonl"
    generate("squat", reps=4, seed=3, faults={1: ["trunk_lean"]}, partial_reps=[3], noise="medium").write(stream)
    out = tmp_path / "report.json"
    assert main(["replay", str(stream), "--exercise", "squat", "--json", str(out)]) == 0
    text = capsys.readouterr().out
    assert "3 reps, 1 partial" in text and "trunk_lean" in text
    report = json.loads(out.read_text(encoding="utf-8"))
    assert (report["rep_count"], report["partial_reps"]) == (3, 1)
    assert REP_KEYS <= set(report["reps"][0])
    assert report["reps"][1]["faults"] == ["trunk_lean"]
    assert report["reps"][3]["partial_reason"] == "shallow"
    assert any(c["id"] == "trunk_lean" for c in report["cues"])
    assert report["backend"] == "keypoint stream (replay)"
    assert 0 < report["filter"]["moving_lag_ms_at_300px_s"] < report["filter"]["rest_lag_ms"]


def test_missing_video(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(tmp_path / "nope.mp4"), "--exercise", "squat"]) == 3
    assert "no such video file" in _err(capsys)


def test_not_a_video(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake = tmp_path / "clip.mp4"
    fake.write_bytes(b"\x00\x01garbage" * 100)
    assert main(["analyze", str(fake), "--exercise", "squat"]) == 3
    assert "not a video file" in _err(capsys)


def test_empty_keypoint_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    assert main(["replay", str(empty), "--exercise", "squat"]) == 3
    assert "empty" in _err(capsys)


@pytest.mark.parametrize(
    ("lines", "problem"),
    [
        (['{"format": "other"}'], "line 1: the first line must be a header"),
        (
            ['{"format": "coco17-keypoints", "version": 2, "width": 10, "height": 10, "fps": 30}'],
            "line 1: unsupported version 2",
        ),
        (["HEADER", "{not json"], "line 2: not valid JSON"),
        (["HEADER", '{"t": 0, "people": []}', '{"people": []}'], 'line 3: a frame needs a numeric "t"'),
        (
            ["HEADER", '{"t": 0, "people": [{"keypoints": [[1, 2, 0.9]]}]}'],
            "line 2: people[0].keypoints must have 17 entries",
        ),
        (["HEADER", '{"t": 0}'], 'line 2: a frame needs a "people" list'),
        # issue 11: each of these used to exit 1 with a traceback
        (
            ['{"format": "coco17-keypoints", "version": 1, "width": 1e400, "height": 10, "fps": 30}'],
            "line 1: not valid JSON (1e400 is too large for a number)",
        ),
        (
            ["HEADER", '{"t": 0, "people": [{"keypoints": ' + str([[1, 2, 0.9]] * 17) + ', "score": "x"}]}'],
            "line 2: people[0].score must be a number",
        ),
        (["HEADER", "[" * 100_000], "line 2: not valid JSON (nested too deeply)"),
        (["HEADER", '{"t": NaN, "people": []}'], "line 2: not valid JSON (NaN is not a number this format allows)"),
        # issue 11: timestamps
        (
            ["HEADER", '{"t": 12.4, "people": []}', '{"t": 9.7, "people": []}'],
            "line 3: t=9.7 s is not after the previous frame's t=12.4 s: frame times must increase",
        ),
        (
            ["HEADER", '{"t": 1, "people": []}', '{"t": 1, "people": []}'],
            "line 3: t=1 s is not after the previous frame's t=1 s",
        ),
        (
            ['{"format": "coco17-keypoints", "version": 1, "width": 640, "height": 480, "fps": 1e-300}'],
            "line 1: fps must be from 0.1 to 1000 (got 1e-300)",
        ),
    ],
)
def test_malformed_stream_lines_name_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lines, problem
) -> None:
    header = '{"format": "coco17-keypoints", "version": 1, "width": 640, "height": 480, "fps": 30}'
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(header if line == "HEADER" else line for line in lines) + "\n")
    assert main(["replay", str(path), "--exercise", "squat"]) == 3
    assert problem in _err(capsys)


def test_template_with_a_typo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from rehab_coach.paths import exercises_dir

    user = tmp_path / "data"
    (user / "exercises").mkdir(parents=True)
    broken = (exercises_dir() / "squat.yaml").read_text(encoding="utf-8").replace("id: squat", "id: my_squat")
    (user / "exercises" / "my_squat.yaml").write_text(
        broken.replace("trunk_lean > 45", "trunk_laen > 45"), encoding="utf-8"
    )
    monkeypatch.setenv("REHAB_COACH_DATA_DIR", str(user))
    stream = tmp_path / "s.jsonl"
    generate("squat", reps=1, seed=0).write(stream)
    assert main(["replay", str(stream), "--exercise", "my_squat"]) == 5
    err = _err(capsys)
    assert "my_squat.yaml:" in err and "rules[0].when" in err and "unknown name 'trunk_laen'" in err
    assert main(["replay", str(stream), "--exercise", "squat"]) == 0  # the other templates still load


def test_a_user_template_that_replaces_a_built_in_is_said_and_recorded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from rehab_coach.paths import exercises_dir

    builtin = exercises_dir() / "squat.yaml"
    user = tmp_path / "data" / "exercises"
    user.mkdir(parents=True)
    own = user / "squat.yaml"
    own.write_text(builtin.read_text(encoding="utf-8").replace("target: 110", "target: 100"), encoding="utf-8")
    stream = tmp_path / "s.jsonl"
    generate("squat", reps=2, seed=0).write(stream)
    out = tmp_path / "report.json"
    assert main(["replay", str(stream), "--exercise", "squat", "--json", str(out)]) == 0
    sha = hashlib.sha256(own.read_bytes()).hexdigest()
    assert (
        f"rehab-coach: note: exercise 'squat' uses your template {own} (sha256 {sha[:12]}), not the built-in {builtin}"
        in _err(capsys)
    )
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["template"] == {"path": str(own), "sha256": sha, "replaces_builtin": str(builtin)}
    assert report["exercise"]["primary"]["target"] == 100  # the user's template was the one used

    own.unlink()  # the built-in again: no note, and the built-in file recorded
    assert main(["replay", str(stream), "--exercise", "squat", "--json", str(out)]) == 0
    assert "note" not in _err(capsys)
    report = json.loads(out.read_text(encoding="utf-8"))
    builtin_sha = hashlib.sha256(builtin.read_bytes()).hexdigest()
    assert report["template"] == {"path": str(builtin), "sha256": builtin_sha, "replaces_builtin": None}


def test_analyze_records_the_template_file(
    tmp_path: Path, lunge_video: Path, recording_backend: RecordingBackend, capsys: pytest.CaptureFixture[str]
) -> None:
    from rehab_coach.paths import exercises_dir

    out = tmp_path / "report.json"
    assert main(["analyze", str(lunge_video), "--exercise", "lunge", "--json", str(out)]) == 0
    _err(capsys)
    template = json.loads(out.read_text(encoding="utf-8"))["template"]
    assert template["path"] == str(exercises_dir() / "lunge.yaml") and len(template["sha256"]) == 64


def test_unwritable_report_keeps_running_and_says_why(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stream = tmp_path / "s.jsonl"
    generate("squat", reps=1, seed=0).write(stream)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["replay", str(stream), "--exercise", "squat", "--json", str(blocker / "report.json")]) == 3
    assert "cannot write the report" in _err(capsys)


def test_a_wrong_camera_view_is_named_in_the_report_with_advice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stream = generate("squat", reps=3, seed=5, noise="low", view="front").write(tmp_path / "front.jsonl")
    out = tmp_path / "report.json"
    assert main(["replay", str(stream), "--exercise", "squat", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert (
        "camera view: front (side wanted; angles from 3D points, or none; this view cannot see knee well and "
        "this pose model gives no 3D points, so the count may be wrong): next time, turn your side to the camera"
        in printed
    )
    view = json.loads(out.read_text())["camera_view"]
    assert (view["wanted"], view["seen"], view["fit"]) == ("side", "front", "wrong")
    side = generate("squat", reps=2, seed=5, noise="low").write(tmp_path / "side.jsonl")
    assert main(["replay", str(side), "--exercise", "squat"]) == 0
    assert "camera view" not in capsys.readouterr().out


def test_a_squat_filmed_from_the_front_counts_the_knee_in_3d_where_the_pose_model_gives_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # From in front the knee bends toward the camera: its angle in the picture hardly changes.
    stream = generate("squat", reps=3, seed=5, noise="low", view="front", world_noise=0.01)
    out = tmp_path / "report.json"
    assert (
        main(["replay", str(stream.write(tmp_path / "front3d.jsonl")), "--exercise", "squat", "--json", str(out)]) == 0
    )
    printed = capsys.readouterr().out
    assert "3 reps" in printed and "counted from knee_in_depth, which this view can see" in printed
    assert json.loads(out.read_text())["camera_view"]["counted_from"] == "knee_in_depth"


def test_a_hinge_filmed_from_the_front_says_what_it_counted_from(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stream = generate("hip_hinge", reps=3, seed=3, noise="low", view="front").write(tmp_path / "front.jsonl")
    assert main(["replay", str(stream), "--exercise", "hip_hinge"]) == 0
    printed = capsys.readouterr().out
    assert "counted from trunk_tilt, which this view can see" in printed
    assert "3 reps" in printed


def test_a_non_utf8_byte_in_a_stream_names_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(
        b'{"format": "coco17-keypoints", "version": 1, "width": 640, "height": 480, "fps": 30}\n'
        b'{"t": 0, "people": []}\n{"t": 0.1, "people": [], "note": "caf\xe9"}\n'
    )
    assert main(["replay", str(path), "--exercise", "squat"]) == 3
    assert "line 3: not UTF-8 text (byte 0xe9" in _err(capsys)


def test_the_json_report_is_strict_json_when_measures_drop_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`synth lunge --noise high --seed 1` loses joints: NaN must be written as null, never as bare NaN."""
    stream, out = tmp_path / "lunge.jsonl", tmp_path / "report.json"
    assert main(["synth", "lunge", "--noise", "high", "--seed", "1", "-o", str(stream)]) == 0
    assert main(["replay", str(stream), "--exercise", "lunge", "--json", str(out)]) == 0

    def refuse(name: str) -> None:
        raise AssertionError(f"{name} in the report")

    report = json.loads(out.read_text(encoding="utf-8"), parse_constant=refuse)
    values = [value for rep in report["reps"] for _t, value in rep["curve"]]
    assert report["reps"] and None in values  # the dropped-out samples are there, as null


@pytest.mark.slow
def test_auto_says_when_an_installed_yolo_nas_model_fails_and_blazepose_runs_instead(
    tmp_path: Path, lunge_video: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "plain.json"
    assert main(["analyze", str(lunge_video), "--exercise", "lunge", "--json", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["backend"].startswith("BlazePose Full")
    assert "fallback" not in json.loads(out.read_text(encoding="utf-8"))["backend"]  # nothing installed: nothing to say

    damaged = tmp_path / "data" / "models" / "yolo-nas-pose-n"
    damaged.mkdir(parents=True)
    (damaged / "manifest.json").write_text("{not json", encoding="utf-8")
    out = tmp_path / "fallback.json"
    assert main(["analyze", str(lunge_video), "--exercise", "lunge", "--json", str(out)]) == 0
    backend = json.loads(out.read_text(encoding="utf-8"))["backend"]
    assert (
        backend.startswith("BlazePose Full")
        and "fallback: YOLO-NAS Pose: installed model cannot be read (yolo-nas-pose-n:" in backend
    )
    assert "fallback: YOLO-NAS Pose" in capsys.readouterr().out  # the printed summary names the backend too


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        ("[]", 'the first line must be a header with "format": "coco17-keypoints"'),
        ('{"format": "coco17-keypoints", "width": 10, "height": 10, "fps": 30}', "unsupported version None"),
        (
            '{"format": "coco17-keypoints", "version": 1, "width": true, "height": 10, "fps": 30}',
            "the header needs numeric width, height and fps",
        ),
        (
            '{"format": "coco17-keypoints", "version": 1, "width": 640, "height": 480, "fps": "30"}',
            "the header needs numeric width, height and fps",
        ),
        (
            '{"format": "coco17-keypoints", "version": 1, "width": 640.5, "height": 480, "fps": 0}',
            "width and height must be whole numbers of pixels from 1 to 100000",
        ),
        (
            '{"format": "coco17-keypoints", "version": 1, "width": 640, "height": 0, "fps": 30}',
            "width and height must be whole numbers of pixels from 1 to 100000",
        ),
    ],
)
def test_malformed_stream_header_names_the_first_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], header, problem
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(header + "\n", encoding="utf-8")
    assert main(["replay", str(path), "--exercise", "squat"]) == 3
    assert f"line 1: {problem}" in _err(capsys)


def test_stream_header_with_a_float_width_and_extra_keys_reads(tmp_path: Path) -> None:
    from rehab_coach.keypoints.stream import KeypointStream

    path = tmp_path / "ok.jsonl"
    path.write_text(
        '{"format": "coco17-keypoints", "version": 1, "width": 640.0, "height": 480, "fps": 25, "camera": "webcam"}\n',
        encoding="utf-8",
    )
    header = KeypointStream(path).header
    assert (header.width, header.height, header.fps) == (640, 480, 25.0) and isinstance(header.width, int)


def test_the_report_and_the_folders_it_makes_are_private(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stream = tmp_path / "s.jsonl"
    generate("squat", reps=1, seed=0).write(stream)
    out = tmp_path / "reports" / "ann" / "report.json"
    old_umask = os.umask(0o022)
    try:
        assert main(["replay", str(stream), "--exercise", "squat", "--json", str(out)]) == 0
    finally:
        os.umask(old_umask)
    _err(capsys)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [stat.S_IMODE(p.stat().st_mode) for p in (out.parent.parent, out.parent)] == [0o700, 0o700]
