"""The accuracy harness: manifests, the app against a naive counter, totals, fault precision/recall."""

import json
import shutil
from pathlib import Path

import pytest

from odd_videos import as_phone_stores_it, curl_frames
from recording_backend import RecordingBackend
from rehab_coach.cli import main
from rehab_coach.errors import InputError
from rehab_coach.evaluation.keypoint_cache import write_patient_stream
from rehab_coach.evaluation.manifest import load_manifest
from rehab_coach.keypoints.stream import KeypointStream
from rehab_synth import generate, standing_still

DATA = Path(__file__).resolve().parents[1] / "data"


def _manifest(tmp_path, entries):
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(entries), encoding="utf-8")
    return path


def test_a_manifest_error_names_the_entry_and_the_problem(tmp_path):
    with pytest.raises(InputError, match=r"entry 1\.reps"):
        load_manifest(
            _manifest(
                tmp_path,
                [{"file": "a.mp4", "exercise": "squat", "reps": 1}, {"file": "b.mp4", "exercise": "squat", "reps": -2}],
            )
        )
    broken = tmp_path / "broken.json"
    broken.write_text("[{", encoding="utf-8")
    with pytest.raises(InputError, match="line 1: not valid JSON"):
        load_manifest(broken)
    with pytest.raises(InputError, match="lists no clips"):
        load_manifest(_manifest(tmp_path, []))


def test_missing_clip_files_are_named_before_any_model_loads(tmp_path, capsys):
    path = _manifest(tmp_path, [{"file": "nowhere.mp4", "exercise": "squat", "reps": 3}])
    assert main(["evaluate", str(path)]) == 3
    assert "nowhere.mp4" in capsys.readouterr().err


def test_scores_the_app_and_the_naive_counter_on_keypoint_streams(tmp_path, capsys):
    generate("squat", reps=4, seed=2, faults={1: ["trunk_lean"]}, noise="low").write(tmp_path / "squat.jsonl")
    standing_still(20.0, "squat", seed=1).write(tmp_path / "idle.jsonl")
    entries = [
        {"file": "squat.jsonl", "exercise": "squat", "view": "side", "reps": 4, "faults": {"trunk_lean": [2]}},
        {"file": "idle.jsonl", "exercise": "squat", "view": "side", "reps": 0},
        {"file": "squat.jsonl", "exercise": "squat", "view": "side", "reps": 6, "partial_reps": 1},
    ]
    out = tmp_path / "results.json"
    assert main(["evaluate", str(_manifest(tmp_path, entries)), "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "squat.jsonl" in printed and "within tolerance" in printed
    summary = json.loads(out.read_text())
    squat, idle, wrong = summary["clips"]
    assert (squat["app_reps"], squat["app_partial"], squat["naive_reps"]) == (4, 0, 4)
    assert squat["naive_better_side"] == 4 and "better side" in printed
    assert (idle["app_reps"], idle["app_partial"]) == (0, 0)
    assert not wrong["app_within_tolerance"]  # 4 counted where the manifest says 6: two off
    totals = summary["totals"]["app"]
    assert (totals["clips"], totals["exact"], totals["within_tolerance"]) == (3, 2, 2)
    assert totals["relative_mae"] == pytest.approx((0 + 0 + 2 / 6) / 3, abs=1e-3)
    assert summary["by_view"]["side"]["app"]["clips"] == 3
    assert summary["faults"]["trunk_lean"] == {
        "true_positives": 1,
        "false_positives": 0,
        "false_negatives": 0,
        "precision": 1.0,
        "recall": 1.0,
    }


@pytest.mark.slow
def test_counts_the_eight_real_curls_with_blazepose_at_any_frame_rate(tmp_path, capsys):
    shutil.copy(DATA / "curls_front_8reps.mp4", tmp_path / "curls.mp4")
    path = _manifest(tmp_path, [{"file": "curls.mp4", "exercise": "elbow_flexion", "view": "front", "reps": 8}])
    out = tmp_path / "results.json"
    cache = tmp_path / "cache"
    slow = ["--fps", "15", "10", "8", "--every", "3", "--drop", "0.5", "0.67"]
    assert (
        main(["evaluate", str(path), "--backend", "blazepose", "--cache", str(cache), "--json", str(out), *slow]) == 0
    )
    summary = json.loads(out.read_text())
    clip = summary["clips"][0]
    assert (clip["app_reps"], clip["naive_reps"]) == (8, 8)
    # The real clip as a slow computer sees it (fewer frames, same timestamps): the same 8.
    assert {label: count for label, count in summary["thinned"]["clips"][0].items() if label not in _TRUTH} == {
        "every frame": 8,
        "15 fps": 8,
        "10 fps": 8,
        "8 fps": 8,
        "every 3": 8,
        "50% dropped": 8,
        "67% dropped": 8,
    }
    assert len(list(cache.glob("curls-*.jsonl"))) == 1  # the keypoints are cached for the next run


_TRUTH = {"file", "reps", "partial_reps"}


def test_thinned_rates_and_leave_one_source_out_are_reported_beside_the_full_rate(tmp_path, capsys):
    for seed in (1, 2, 3):
        generate("squat", reps=3, seed=seed, tempo=1.5, rest=0.3, noise="low").write(tmp_path / f"s{seed}.jsonl")
    entries = [
        {"file": f"s{seed}.jsonl", "exercise": "squat", "view": "side", "reps": 3, "repo": f"owner/repo{seed % 2}"}
        for seed in (1, 2, 3)
    ]
    out = tmp_path / "results.json"
    args = ["evaluate", str(_manifest(tmp_path, entries)), "--fps", "10", "--every", "3", "--drop", "0.5"]
    assert main([*args, "--seed", "2", "--loso", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "thinned streams" in printed and "10 fps" in printed and "50% dropped" in printed
    assert "leave-one-source-out:" in printed
    summary = json.loads(out.read_text())
    thinned = summary["thinned"]
    assert list(thinned["totals"]) == ["every frame", "10 fps", "every 3", "50% dropped"]
    assert all(t["within_tolerance"] == 3 for t in thinned["totals"].values())
    assert [c["50% dropped"] for c in thinned["clips"]] == [3, 3, 3]
    assert thinned["frames_with_person"]["10 fps"] == 1.0
    loso = summary["leave_one_source_out"]
    assert set(loso["chosen"]) == {"owner/repo0", "owner/repo1"}
    assert loso["totals"]["within_tolerance"] == 3


def test_an_impossible_thinning_is_refused_with_its_reason(tmp_path, capsys):
    generate("squat", reps=1, seed=1).write(tmp_path / "s.jsonl")
    path = _manifest(tmp_path, [{"file": "s.jsonl", "exercise": "squat", "reps": 1}])
    assert main(["evaluate", str(path), "--drop", "1.5"]) == 3
    assert "drop must be" in capsys.readouterr().err


def test_the_naive_counters_better_side_is_the_one_closer_to_the_truth():
    from rehab_coach.evaluation.scoring import ClipResult

    clip = ClipResult("c", "squat", "side", 5, 0, 5, 0, naive_reps=2, naive_right=6)
    assert clip.naive_better_side == 6
    assert ClipResult("c", "heel_raise", "rear", 3, 0, 3, 0, None).naive_better_side is None


def test_the_keypoint_cache_reads_a_phone_video_upright(tmp_path):
    phone = as_phone_stores_it(tmp_path / "phone.mp4", curl_frames(DATA, 3))
    backend = RecordingBackend()
    out = tmp_path / "phone.jsonl"
    write_patient_stream(phone, backend, out)
    stream = KeypointStream(out)
    assert (stream.header.width, stream.header.height) == (1280, 720)
    assert {shape for _, shape in backend.frames} == {(720, 1280, 3)}
    assert len(list(stream)) == 3
