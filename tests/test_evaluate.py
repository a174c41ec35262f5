"""The accuracy harness: manifests, the app against a naive counter, totals, fault precision/recall."""

import json
import shutil
from pathlib import Path

import pytest

from rehab_coach.cli import main
from rehab_coach.errors import InputError
from rehab_coach.evaluation.manifest import load_manifest
from rehab_synth import generate, standing_still

DATA = Path(__file__).parent / "data"


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
def test_counts_the_eight_real_curls_with_blazepose(tmp_path, capsys):
    shutil.copy(DATA / "curls_front_8reps.mp4", tmp_path / "curls.mp4")
    path = _manifest(tmp_path, [{"file": "curls.mp4", "exercise": "elbow_flexion", "view": "front", "reps": 8}])
    out = tmp_path / "results.json"
    cache = tmp_path / "cache"
    assert main(["evaluate", str(path), "--backend", "blazepose", "--cache", str(cache), "--json", str(out)]) == 0
    clip = json.loads(out.read_text())["clips"][0]
    assert (clip["app_reps"], clip["naive_reps"]) == (8, 8)
    assert len(list(cache.glob("curls-*.jsonl"))) == 1  # the keypoints are cached for the next run
