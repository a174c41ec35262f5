"""Every shipped exercise that has a motion script, on synthetic motion in its own camera view, at
medium noise: exact counts, each fault found where it was injected and nowhere else, holds timed to
0.5 s, nothing raised while standing still. A one-seed sample of scripts/validate_library.py.
A template without a motion script is valid too: test_library_generic.py checks every template."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from rehab_coach.engine.templates import load_library, load_template_by_id
from rehab_coach.paths import exercises_dir
from rehab_synth.evaluate import HOLD_TOLERANCE_SECONDS, Case, cases, fault_names, make_clip, run_case, summarise
from rehab_synth.motions import MOTIONS

SHIPPED = sorted(load_library([exercises_dir()]).templates)
EXERCISES = [exercise for exercise in SHIPPED if exercise in MOTIONS]  # the ones with a motion script
# Rules the synthetic body cannot show: it keeps its knees straight ahead when seen from the
# front and has no shoulder girdle. They are checked on real footage, with the fault labels of
# the evaluation manifest (docs/accuracy.md), and here only for staying quiet on good motion.
REAL_FOOTAGE_ONLY = {("squat", "knee_valgus"), ("shoulder_abduction", "shrug")}


def test_every_motion_is_for_a_shipped_exercise_and_shows_each_of_its_rules():
    assert EXERCISES and set(MOTIONS) <= set(SHIPPED)  # a motion for no template would be dead code
    for exercise in EXERCISES:
        template = load_template_by_id(exercise)
        assert MOTIONS[exercise].view == template.view, exercise
        real_only = {rule for name, rule in REAL_FOOTAGE_ONLY if name == exercise}
        assert set(fault_names(exercise)) == {r.id for r in template.rules} - real_only, exercise


@pytest.mark.parametrize("exercise", EXERCISES)
def test_counts_faults_and_holds_on_synthetic_motion(exercise):
    results = [run_case(case) for case in cases(exercise, seeds=[0], noises=["medium"])]
    (row,) = summarise(results)
    assert row.problems == []
    assert (row.reps_counted, row.partial_counted) == (row.reps_expected, row.partial_expected)
    shown = {name: tally for name, tally in row.faults.items() if (exercise, name) not in REAL_FOOTAGE_ONLY}
    unshown = {name: tally for name, tally in row.faults.items() if (exercise, name) in REAL_FOOTAGE_ONLY}
    assert shown, "no fault was injected"
    assert {name: (tally.tp >= 1, tally.fp, tally.fn) for name, tally in shown.items()} == {
        name: (True, 0, 0) for name in shown
    }
    assert {name: tally.fp for name, tally in unshown.items()} == {
        name: 0 for name in unshown
    }  # never shown, never raised
    assert row.cues_at_rest == 0
    assert all(error <= HOLD_TOLERANCE_SECONDS for error in row.hold_errors)


@pytest.mark.parametrize("exercise", EXERCISES)
def test_clean_motion_trips_exactly_the_injected_faults(exercise):
    """The generator's own ground truth: on noiseless keypoints each injected fault, and only
    it, crosses its rule (so a detection failure is the engine's, not the motion's)."""
    clip = make_clip(Case(exercise, "faults", 0, "none"))
    for rep in clip.reps:
        assert set(rep["expected_faults"]) == set(rep["faults"]), rep


def test_the_camera_view_is_the_templates():
    for exercise in EXERCISES:
        clip = make_clip(Case(exercise, "reps", 0, "none"))
        assert clip.view == load_template_by_id(exercise).view
        assert np.isfinite(clip.clean[..., :2]).all()


def test_validate_library_script_runs_and_reports(capsys):
    path = Path(__file__).resolve().parents[2] / "scripts" / "validate_library.py"
    spec = importlib.util.spec_from_file_location("validate_library", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--exercise", "standing_knee_flexion", "--seeds", "3", "--noise", "low", "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "standing_knee_flexion" in out and "thigh_forward 1.00/1.00" in out and "all exercises pass" in out
