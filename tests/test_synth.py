"""The synthetic motion generator: determinism, geometry, template-driven faults, noise, streams.

Geometry is checked with plain numpy on the clean keypoints, independently of the
generator's own measure code.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from rehab_coach.cli import main
from rehab_coach.engine.templates import load_template_by_id, parse_template
from rehab_coach.keypoints.stream import KeypointStream
from rehab_coach.keypoints.types import KEYPOINT_INDEX as K
from rehab_coach.paths import exercises_dir
from rehab_synth import Absent, Bystander, NoiseConfig, Reps, Stand, Walk, compose, generate, standing_still
from rehab_synth.motions import MOTIONS

QUIET = NoiseConfig(0.0, 0.0, outlier_rate=0.0, sway_px=0.0, conf_sigma=0.0)


def angle(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Interior angle at b, degrees, for (N, 2) arrays."""
    u, v = a - b, c - b
    cos = (u * v).sum(-1) / (np.linalg.norm(u, axis=-1) * np.linalg.norm(v, axis=-1))
    return np.degrees(np.arccos(np.clip(cos, -1, 1)))


def from_vertical(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    d = b - a
    return np.degrees(np.arctan2(np.abs(d[:, 0]), -d[:, 1]))


def xy(clip, name: str) -> np.ndarray:
    if name.startswith("mid_"):
        joint = name[4:]
        return (xy(clip, f"left_{joint}") + xy(clip, f"right_{joint}")) / 2
    return clip.clean[:, K[name], :2]


def frame_at(clip, t: float) -> int:
    return int(round(t * clip.fps))


def frames_of(clip, rep: dict) -> slice:
    return slice(frame_at(clip, rep["move_start_t"]), frame_at(clip, rep["move_end_t"]))


@pytest.fixture(scope="module")
def squat():
    return generate(
        "squat",
        reps=5,
        seed=3,
        faults={1: ["trunk_lean"], 2: "knee_past_toes", 3: ["shallow"]},
        partial_reps=[4],
        noise="none",
    )


@pytest.fixture(scope="module")
def lunge():
    return generate(
        "lunge", reps=4, seed=3, faults={1: ["trunk_lean"], 2: ["knee_past_toes"]}, partial_reps=[3], noise="none"
    )


@pytest.fixture(scope="module")
def abduction():
    return generate(
        "shoulder_abduction",
        reps=5,
        seed=3,
        faults={1: ["bent_elbows"], 2: ["trunk_tilt"], 3: ["uneven_arms"]},
        partial_reps=[4],
        noise="none",
    )


# ---- determinism and framing ----------------------------------------------------------


def _stack(clip) -> np.ndarray:
    return np.stack([f.people[0].keypoints for f in clip.frames])


def test_same_seed_same_clip_other_seed_other_noise():
    a, b = generate("squat", reps=2, seed=7), generate("squat", reps=2, seed=7)
    np.testing.assert_array_equal(_stack(a), _stack(b))
    assert a.reps == b.reps
    c = generate("squat", reps=2, seed=8)
    assert len(c.frames) != len(a.frames) or not np.allclose(_stack(a), _stack(c), equal_nan=True)


@pytest.mark.parametrize("exercise", sorted(MOTIONS))
@pytest.mark.parametrize("facing", ["right", "left"])
def test_keypoints_stay_in_frame(exercise, facing):
    clip = generate(exercise, reps=3, seed=1, facing=facing, faults={1: [MOTIONS[exercise].faults[-1].rule]})
    clean = clip.clean[..., :2]
    assert np.isfinite(clean).all()
    assert (clean[..., 0] > 0).all() and (clean[..., 0] < clip.width).all()
    assert (clean[..., 1] > 0).all() and (clean[..., 1] < clip.height).all()
    tall = np.ptp(clean[..., 1]) / clip.height
    long = np.ptp(clean[..., 0]) / clip.width  # lying down (glute bridge)
    assert max(tall, long) > 0.45  # the person is not shrunk to a speck
    for frame in clip.frames:
        kp = frame.people[0].keypoints
        seen = np.isfinite(kp[:, 0])
        assert (
            (kp[seen, 0] >= 0) & (kp[seen, 0] < clip.width) & (kp[seen, 1] >= 0) & (kp[seen, 1] < clip.height)
        ).all()
        assert (kp[~seen, 2] <= 0.2).all()


# ---- squat geometry -------------------------------------------------------------------


def test_squat_knee_reaches_target_and_stands_straight(squat):
    template = load_template_by_id("squat")
    knee = angle(xy(squat, "left_hip"), xy(squat, "left_knee"), xy(squat, "left_ankle"))
    assert 170 < knee[frame_at(squat, 1.0)] < 180  # standing before the set
    for rep in squat.reps[:3]:
        bottom = knee[frame_at(squat, rep["bottom_t"])]
        assert bottom < template.primary.target - 10
        assert bottom <= 100 - 5  # clear of the shallow rule
    shallow = knee[frame_at(squat, squat.reps[3]["bottom_t"])]
    assert 100 < shallow <= template.primary.target
    partial = knee[frame_at(squat, squat.reps[4]["bottom_t"])]
    assert template.primary.target + 5 < partial < template.primary.start - 5


def test_squat_heels_stay_on_the_floor(squat):
    ankle_y = xy(squat, "left_ankle")[:, 1]
    assert np.ptp(ankle_y) < 1.0


def test_squat_trunk_lean_fault_passes_threshold_correct_rep_stays_inside(squat):
    lean = from_vertical(xy(squat, "left_hip"), xy(squat, "left_shoulder"))
    correct, faulty = squat.reps[0], squat.reps[1]
    assert lean[frames_of(squat, correct)].max() < 45 * 0.8
    assert lean[frames_of(squat, faulty)].max() > 45 * 1.25


def test_squat_knee_travel_fault_pushes_knee_forward(squat):
    torso = np.linalg.norm(xy(squat, "mid_shoulder") - xy(squat, "mid_hip"), axis=-1)
    travel = (xy(squat, "left_knee")[:, 0] - xy(squat, "left_ankle")[:, 0]) / torso  # facing right
    assert travel[frames_of(squat, squat.reps[0])].max() < 0.45 * 0.8
    assert travel[frames_of(squat, squat.reps[2])].max() > 0.45 * 1.25


def test_squat_ground_truth(squat):
    assert [r["complete"] for r in squat.reps] == [True, True, True, True, False]
    assert squat.rep_count == 4 and squat.partial_count == 1
    for rep in squat.reps[:4]:
        assert sorted(rep["expected_faults"]) == sorted(rep["faults"])
        assert rep["move_start_t"] < rep["start_t"] < rep["bottom_t"] < rep["end_t"] <= rep["move_end_t"]
    assert squat.reps[4]["partial"] and "shallow" in squat.reps[4]["expected_faults"]


def test_side_view_faces_the_right_way_far_side_dimmer():
    for facing, sign in (("right", 1), ("left", -1)):
        clip = standing_still(2.0, "squat", facing=facing, noise="none")
        nose, ears = xy(clip, "nose")[:, 0], xy(clip, "mid_shoulder")[:, 0]
        assert (np.sign(nose - ears) == sign).all()
        near, far = ("left", "right") if facing == "right" else ("right", "left")
        conf = clip.clean[0, :, 2]
        for joint in ("shoulder", "hip", "knee", "ankle"):
            assert conf[K[f"{near}_{joint}"]] > conf[K[f"{far}_{joint}"]] + 0.15
        # The far side shows a little offset, not on top of the near side.
        offset = np.abs(xy(clip, f"{far}_shoulder") - xy(clip, f"{near}_shoulder"))[0, 0]
        assert 5 < offset < 60


# ---- lunge ----------------------------------------------------------------------------


def test_lunge_both_knees_bend_front_knee_fault(lunge):
    template = load_template_by_id("lunge")
    left = angle(xy(lunge, "left_hip"), xy(lunge, "left_knee"), xy(lunge, "left_ankle"))
    right = angle(xy(lunge, "right_hip"), xy(lunge, "right_knee"), xy(lunge, "right_ankle"))
    torso = np.linalg.norm(xy(lunge, "mid_shoulder") - xy(lunge, "mid_hip"), axis=-1)
    for rep in lunge.reps[:3]:
        i = frame_at(lunge, rep["bottom_t"])
        assert left[i] < template.primary.target and right[i] < template.primary.target
        front = rep["lead"]
        travel = (xy(lunge, f"{front}_knee")[:, 0] - xy(lunge, f"{front}_ankle")[:, 0]) / torso
        limit = 0.45 * (1.25 if rep["faults"] == ["knee_past_toes"] else 0.8)
        peak = travel[frames_of(lunge, rep)].max()
        assert peak > limit if rep["faults"] == ["knee_past_toes"] else peak < limit
    # The stepping foot moves low: its knee never dips into the rep band before the lunge.
    step = slice(frame_at(lunge, lunge.reps[0]["move_start_t"]), frame_at(lunge, lunge.reps[0]["start_t"]))
    assert np.minimum(left, right)[step].min() > template.primary.start
    assert [r["lead"] for r in lunge.reps] == ["left", "right", "left", "right"]


def test_lunge_trunk_lean_fault(lunge):
    lean = from_vertical(xy(lunge, "mid_hip"), xy(lunge, "mid_shoulder"))
    assert lean[frames_of(lunge, lunge.reps[0])].max() < 30 * 0.8
    assert lean[frames_of(lunge, lunge.reps[1])].max() > 30 * 1.25


def test_lunge_correct_rep_trips_no_rule(lunge):
    assert lunge.reps[0]["expected_faults"] == []


# ---- shoulder abduction (front view) ----------------------------------------------------


def test_front_view_puts_the_persons_left_on_image_right(abduction):
    for joint in ("shoulder", "hip", "knee", "ankle", "eye", "ear"):
        assert (xy(abduction, f"left_{joint}")[:, 0] > xy(abduction, f"right_{joint}")[:, 0]).all()
    nose = xy(abduction, "nose")[:, 0]
    assert (np.abs(nose - xy(abduction, "mid_shoulder")[:, 0]) < 15).sum() > 0.5 * len(nose)


def test_shoulder_abduction_angles_and_faults(abduction):
    template = load_template_by_id("shoulder_abduction")
    arm = {
        s: angle(xy(abduction, f"{s}_hip"), xy(abduction, f"{s}_shoulder"), xy(abduction, f"{s}_elbow"))
        for s in ("left", "right")
    }
    elbow = {
        s: angle(xy(abduction, f"{s}_shoulder"), xy(abduction, f"{s}_elbow"), xy(abduction, f"{s}_wrist"))
        for s in ("left", "right")
    }
    tilt = from_vertical(xy(abduction, "mid_hip"), xy(abduction, "mid_shoulder"))
    rest = frame_at(abduction, 1.0)
    assert arm["left"][rest] < template.primary.end - 15 and arm["right"][rest] < template.primary.end - 15
    correct, bent, tilted, uneven, partial = abduction.reps
    i = frame_at(abduction, correct["bottom_t"])
    assert arm["left"][i] > 140 and arm["right"][i] > 140
    assert elbow["left"][frames_of(abduction, correct)].min() > 150
    assert tilt[frames_of(abduction, correct)].max() < 12 * 0.75
    assert elbow["left"][frame_at(abduction, bent["bottom_t"])] < 140 - 10
    assert tilt[frame_at(abduction, tilted["bottom_t"])] > 12 * 1.25
    gap = np.abs(arm["left"] - arm["right"])
    assert gap[frames_of(abduction, correct)].max() < 25 * 0.75
    assert gap[frame_at(abduction, uneven["bottom_t"])] > 25 * 1.25
    j = frame_at(abduction, partial["bottom_t"])
    assert template.primary.start < (arm["left"][j] + arm["right"][j]) / 2 < template.primary.target
    assert [r["complete"] for r in abduction.reps] == [True] * 4 + [False]
    for rep in abduction.reps:
        assert sorted(rep["expected_faults"]) == sorted(rep["faults"])


# ---- template-driven thresholds ---------------------------------------------------------


def test_faults_follow_edited_template_thresholds():
    text = (exercises_dir() / "squat.yaml").read_text(encoding="utf-8").replace("trunk_lean > 45", "trunk_lean > 25")
    template = parse_template(text, "squat.yaml")
    clip = generate("squat", reps=2, faults={1: ["trunk_lean"]}, template=template, noise="none")
    lean = from_vertical(xy(clip, "left_hip"), xy(clip, "left_shoulder"))
    assert lean[frames_of(clip, clip.reps[0])].max() < 25 * 0.8  # good form shrinks to fit the new rule
    assert 25 * 1.25 < lean[frames_of(clip, clip.reps[1])].max() < 45
    assert [r["expected_faults"] for r in clip.reps] == [[], ["trunk_lean"]]


def test_unknown_fault_is_refused():
    with pytest.raises(ValueError, match="known: bent_elbows"):
        generate("shoulder_abduction", reps=1, faults={0: ["trunk_lean"]})


def test_target_angle_instead_of_depth():
    clip = generate("squat", reps=1, target=120.0, noise="none")
    assert clip.reps[0]["extreme"] == pytest.approx(120.0, abs=1.5)
    assert not clip.reps[0]["complete"]


# ---- scenarios --------------------------------------------------------------------------


def test_scenario_absent_walk_in_bystander_walk_out():
    clip = compose(
        "squat",
        [Absent(1.0), Walk(2.0, "in"), Stand(1.0), Reps(2, faults={0: "trunk_lean"}), Walk(2.0, "out")],
        seed=2,
        bystander=Bystander(start=2.5, first=True),
        noise="low",
    )
    people = [len(f.people) for f in clip.frames]
    assert people[: frame_at(clip, 0.9)] == [0] * frame_at(clip, 0.9)
    entering = clip.frames[frame_at(clip, 1.5)]
    assert len(entering.people) <= 1
    assert 2 in people
    bystander, patient = clip.frames[frame_at(clip, 5.0)].people
    assert bystander.area < patient.area
    partly_in = [f.people[-1].keypoints for f in clip.frames[frame_at(clip, 1.0) : frame_at(clip, 3.0)] if f.people]
    assert any(np.isnan(kp[:, 0]).any() and (kp[np.isnan(kp[:, 0]), 2] == 0).all() for kp in partly_in)
    assert clip.rep_count == 2 and clip.reps[0]["faults"] == ["trunk_lean"]
    assert not np.isfinite(clip.clean[: frame_at(clip, 0.9), :, :2]).any()


def test_standing_still_has_no_reps_and_sways():
    clip = standing_still(
        6.0, "squat", noise=NoiseConfig(0.0, 0.0, outlier_rate=0.0, sway_px=5.0, conf_sigma=0.0), seed=4
    )
    assert clip.reps == [] and clip.rep_count == 0
    kp = _stack(clip)
    drift = kp[:, :, 0] - clip.clean[:, :, 0]
    assert np.allclose(drift, drift[:, :1])  # the whole body moves together
    assert 3.0 < np.ptp(drift[:, 0]) < 12.0


# ---- noise ------------------------------------------------------------------------------


def test_noise_statistics_match_config():
    cfg = NoiseConfig(jitter_px=3.0, drop_rate=0.05, drop_frames=3.0, outlier_rate=0.01, sway_px=0.0, conf_sigma=0.03)
    clip = standing_still(40.0, "squat", noise=cfg, seed=5)
    kp, clean = _stack(clip), clip.clean
    dropped = kp[..., 2] < 0.25
    dropped &= clean[..., 2] > 0.5  # the far ear is dim anyway
    share = dropped.sum() / (clean[..., 2] > 0.5).sum()
    assert 0.035 < share < 0.065
    err = kp[..., :2] - clean[..., :2]
    kept = ~dropped & np.isfinite(err).all(-1)
    dist = np.linalg.norm(err, axis=-1)[kept]
    assert np.std(err[kept][dist < 15]) == pytest.approx(3.0, rel=0.1)
    assert 0.006 < np.mean(dist >= 25) < 0.014  # one-frame outliers
    jumped = kept & (np.linalg.norm(err, axis=-1) >= 25) & (clean[..., 2] > 0.5)
    assert jumped.any() and (kp[..., 2][jumped] > 0.4).all()  # outliers keep a plausible confidence
    nan_share = np.isnan(kp[..., 0])[dropped].mean()
    assert 0.3 < nan_share < 0.7  # half NaN, half a wrong position
    conf_err = (kp[..., 2] - clean[..., 2])[kept & (clean[..., 2] > 0.5)]
    assert np.std(conf_err) == pytest.approx(0.03, rel=0.2)


def test_quiet_noise_is_exact():
    clip = generate("squat", reps=1, noise=QUIET)
    np.testing.assert_allclose(_stack(clip), clip.clean)


# ---- stream and command -----------------------------------------------------------------


def test_stream_round_trip(tmp_path):
    clip = compose("lunge", [Stand(0.5), Reps(1), Absent(0.5)], bystander=Bystander(), noise="high", seed=9)
    path = clip.write(tmp_path / "lunge.jsonl")
    stream = KeypointStream(path)
    assert (stream.header.width, stream.header.height, stream.header.fps) == (clip.width, clip.height, clip.fps)
    frames = list(stream)
    assert len(frames) == len(clip.frames)
    for read, made in zip(frames, clip.frames, strict=True):
        assert read.t == pytest.approx(made.t, abs=1e-4)
        assert len(read.people) == len(made.people)
        for a, b in zip(read.people, made.people, strict=True):
            np.testing.assert_allclose(a.keypoints, b.keypoints, atol=1e-3)  # NaN where NaN
            np.testing.assert_allclose(a.bbox, b.bbox, atol=0.01)


def test_synth_command_writes_stream_and_prints_truth(tmp_path, capsys):
    out = tmp_path / "s.jsonl"
    code = main(
        [
            "synth",
            "squat",
            "-o",
            str(out),
            "--reps",
            "3",
            "--seed",
            "2",
            "--fault",
            "1:trunk_lean",
            "--partial",
            "2",
            "--noise",
            "low",
            "--fps",
            "25",
        ]
    )
    assert code == 0
    truth = json.loads(capsys.readouterr().out)
    assert truth["fps"] == 25 and truth["rep_count"] == 2 and truth["partial_count"] == 1
    assert truth["reps"][1]["faults"] == ["trunk_lean"]
    assert KeypointStream(out).header.fps == 25
    assert sum(1 for _ in KeypointStream(out)) == truth["frames"]


def test_synth_command_rejects_bad_fault(tmp_path, capsys):
    assert main(["synth", "squat", "-o", str(tmp_path / "x.jsonl"), "--fault", "1:nonsense"]) == 3
    assert "known:" in capsys.readouterr().err
    assert main(["synth", "squat", "-o", str(tmp_path / "x.jsonl"), "--fault", "trunk_lean"]) == 3


# The installed app without the development generator: `rehab_synth` cannot be imported, as in a wheel.
WITHOUT_GENERATOR = (
    "import sys; sys.modules['rehab_synth'] = None; from rehab_coach.cli import main; sys.exit(main(sys.argv[1:]))"
)


@pytest.mark.parametrize(
    "args", [["squat", "-o", "s.jsonl"], ["--help"], [], ["-o", "s.jsonl", "lunge", "--noise", "high"]]
)
def test_synth_command_without_the_generator_says_so_in_one_line(tmp_path: Path, args: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_GENERATOR, "synth", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "rehab-coach: error: the synthetic motion generator is a development tool and is not installed "
        "(install rehab-coach-synth from a source checkout: pip install -e ./synth)"
    ]
    assert not (tmp_path / "s.jsonl").exists()


def test_synth_command_without_the_generator_is_listed_as_not_installed() -> None:
    listed = subprocess.run(
        [sys.executable, "-c", WITHOUT_GENERATOR, "--help"], capture_output=True, text=True, timeout=120
    )
    assert listed.returncode == 0 and listed.stderr == ""
    assert "synth        (development tool, not installed)" in listed.stdout
    assert "analyze" in listed.stdout  # every other command is still there


def test_ground_truth_is_json_ready(squat):
    truth = json.loads(json.dumps(squat.ground_truth()))
    assert truth["rep_count"] == 4 and len(truth["reps"]) == 5
    assert all(math.isfinite(r["extreme"]) for r in truth["reps"])
