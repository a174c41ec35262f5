"""A slow computer sees fewer frames at irregular times: thinning, and the count it must not change."""

import numpy as np
import pytest

from rehab_coach.engine.coach import Coach
from rehab_coach.engine.templates import load_template_by_id
from rehab_coach.evaluation.thinning import Thinning
from rehab_coach.session.analysis import StageTimer, run_engine
from rehab_synth import generate


def _times(frames):
    return np.array([f.t for f in frames])


def test_thinning_keeps_timestamps_and_the_rate_asked_for():
    frames = generate("squat", reps=2, seed=1).frames  # 30 fps
    for fps in (15, 10, 8):
        t = _times(Thinning(fps=fps).apply(frames))
        assert set(t) <= set(_times(frames))
        assert abs(len(t) / (t[-1] - t[0]) - fps) < 0.6
        assert np.diff(t).min() >= 1 / fps - 1 / 30 - 1e-6
    assert len(Thinning(every=3).apply(frames)) == len(frames[::3])


def test_random_drops_are_seeded_and_about_the_share_asked_for():
    frames = generate("squat", reps=2, seed=1).frames
    first, again = Thinning(drop=0.5, seed=3).apply(frames), Thinning(drop=0.5, seed=3).apply(frames)
    assert [f.t for f in first] == [f.t for f in again]
    assert [f.t for f in first] != [f.t for f in Thinning(drop=0.5, seed=4).apply(frames)]
    assert 0.4 < len(first) / len(frames) < 0.6
    assert Thinning().apply(frames) == list(frames) and Thinning().label == "every frame"
    assert Thinning(fps=10, drop=0.5).label == "10 fps, 50% dropped"


@pytest.mark.parametrize("bad", [{"fps": 0}, {"every": 0}, {"drop": 1.0}, {"drop": -0.1}])
def test_impossible_thinnings_are_refused(bad):
    with pytest.raises(ValueError):
        Thinning(**bad)


def _count(exercise, frames):
    coach = run_engine(Coach(load_template_by_id(exercise)), frames, StageTimer())
    return coach.rep_count, coach.frames_with_person / max(coach.frames, 1)


SLOW = [Thinning(fps=15), Thinning(fps=10), Thinning(fps=8), Thinning(every=3)] + [
    Thinning(drop=0.5, seed=s) for s in range(3)
]


@pytest.mark.parametrize("exercise", ["squat", "lunge", "elbow_flexion", "heel_raise", "shoulder_abduction"])
def test_the_count_is_the_same_on_a_slow_computer(exercise):
    # Quick reps with brief tops between them, the case a slow computer used to merge or lose.
    clip = generate(exercise, reps=6, seed=4, tempo=1.4, rest=0.2, noise="low")
    full, seen = _count(exercise, clip.frames)
    assert full == 6 and seen == 1.0
    for way in SLOW:
        count, seen = _count(exercise, way.apply(clip.frames))
        assert (way.label, count) == (way.label, full)
        assert seen == 1.0, f"{way.label}: the tracker lost the patient between frames"
