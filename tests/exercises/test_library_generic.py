"""Checks every exercise template passes, whether or not the synthetic generator has a motion for it:
it loads and validates, its measure plan covers its measures and gives numbers on a visible body, and
a stream of nobody and of a person standing still counts nothing. Templates are data: a clinic's own
template (tests/exercises/data_only) needs no Python to be valid. Exercises that do have a motion
script get the full synthetic checks in test_library_motion.py."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rehab_coach.cli import main
from rehab_coach.engine.coach import Coach
from rehab_coach.engine.filters import torso_length
from rehab_coach.engine.measures import MeasurePlan, compute, extended_points
from rehab_coach.engine.templates import Template, load_template
from rehab_coach.keypoints.types import Person, PoseFrame
from rehab_coach.paths import exercises_dir
from rehab_synth.motions import MOTIONS
from rehab_synth.squat_stream import HEIGHT, WIDTH, squat_keypoints

DATA_ONLY = Path(__file__).resolve().parent / "data_only"
TEMPLATES = sorted(exercises_dir().glob("*.yaml")) + sorted(DATA_ONLY.glob("*.yaml"))
FPS = 30.0


def _name(path: Path) -> str:
    return path.stem


def test_the_data_only_templates_really_have_no_motion_script() -> None:
    data_only = sorted(DATA_ONLY.glob("*.yaml"))
    assert data_only and not {load_template(p).id for p in data_only} & set(MOTIONS)


@pytest.mark.parametrize("path", TEMPLATES, ids=_name)
def test_template_loads_and_validates(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = load_template(path)
    assert template.id == path.stem
    assert template.primary.measure in template.measures
    assert main(["exercises", "validate", str(path)]) == 0
    assert capsys.readouterr().out.startswith("ok")


@pytest.mark.parametrize("path", TEMPLATES, ids=_name)
def test_measure_plan_covers_every_measure_and_measures_a_visible_body(path: Path) -> None:
    template = load_template(path)
    plan = MeasurePlan.for_template(template)
    assert set(plan.base) == set(template.measures)
    sided = {name for name, measure in template.measures.items() if measure.sided}
    for name in template.measures:
        expected = {f"{name}_left", f"{name}_right"} if name in sided else {name}
        assert expected == {out for out, base in zip(plan.names, plan.base, strict=True) if base == name}, name
    assert plan.idx.shape == (len(plan.names), 3) and plan.idx.min() >= 0 and plan.idx.max() < 20
    xy = squat_keypoints(172.0, 10.0)[:, :2]
    values = compute(plan, extended_points(xy), torso_length(xy), facing=1.0)
    measured = ~np.isin(plan.kinds, ["displacement", "tilt"])  # these need their reference over time
    assert np.isfinite(values[measured]).all(), dict(zip(plan.names, values, strict=True))


def _idle_frames() -> list[PoseFrame]:
    """2 s with nobody in view, 6 s of a person standing still, 1 s away, 3 s standing again."""
    still = Person.from_keypoints(squat_keypoints(172.0, 10.0))
    spans = [(2.0, False), (6.0, True), (1.0, False), (3.0, True)]
    frames, t = [], 0.0
    for seconds, present in spans:
        for _ in range(int(seconds * FPS)):
            frames.append(PoseFrame(t=round(t, 4), people=[still] if present else [], width=WIDTH, height=HEIGHT))
            t += 1 / FPS
    return frames


def _run(template: Template, frames: list[PoseFrame]) -> Coach:
    coach = Coach(template)
    for frame in frames:
        update = coach.process(frame)
        assert update.rep_count == update.partial_count == 0 and not update.new_reps, (frame.t, update)
    coach.finish()
    return coach


@pytest.mark.parametrize("path", TEMPLATES, ids=_name)
def test_an_idle_stream_counts_nothing(path: Path) -> None:
    frames = _idle_frames()
    coach = _run(load_template(path), frames)
    assert coach.reps == [] and coach.rep_count == coach.partial_count == 0
    assert coach.frames == len(frames) and coach.frames_with_person == sum(1 for f in frames if f.people)
