"""Timed Up and Go on synthetic walks with known times: the end at the chair, the phases, a turn out of view."""

from __future__ import annotations

import dataclasses

import pytest
from clinical_clips import readings, result

from rehab_coach.engine.clinical import replay_trial
from rehab_synth.clinical import timed_up_and_go

TOLERANCE = 0.3  # seconds: the seat contact read from the thigh drop against the motion's end


@pytest.fixture(scope="module")
def walk() -> object:
    return timed_up_and_go(seed=1)


def test_the_time_runs_from_go_to_seated_at_the_chair(walk) -> None:
    r = result(walk, "timed_up_and_go")
    assert r.completed and r.ended_by == "seated"
    assert r.value == pytest.approx(walk.truth["tug_seconds"], abs=TOLERANCE)
    assert r.secondary["rise_start"] == pytest.approx(walk.truth["rise"] - walk.go_t, abs=TOLERANCE)


def test_the_phases_follow_the_motion_in_order(walk) -> None:
    r = result(walk, "timed_up_and_go")
    names = [p.name for p in r.phases]
    assert names == ["rise", "walk_out", "turn", "walk_back", "sit"]
    by_name = {p.name: p for p in r.phases}
    go = walk.go_t
    assert by_name["rise"].end == pytest.approx(walk.truth["up"] - go, abs=0.5)
    turn_start, turn_end = walk.truth["turn"]
    # The turn seen where the hips stop going away: it overlaps the real turn.
    assert by_name["turn"].start < turn_end - go and by_name["turn"].end > turn_start - go
    assert by_name["sit"].end == pytest.approx(r.value)
    for a, b in zip(r.phases, r.phases[1:], strict=False):
        assert a.end == pytest.approx(b.start)


def test_a_turn_out_of_view_is_the_time_out_of_view() -> None:
    clip = timed_up_and_go(seed=2, leave_view=True)
    r = result(clip, "timed_up_and_go")
    assert r.completed and r.value == pytest.approx(clip.truth["tug_seconds"], abs=TOLERANCE)
    assert "turn_not_seen" in r.flags
    turn = next(p for p in r.phases if p.name == "turn")
    turn_start, turn_end = clip.truth["turn"]
    assert turn.start <= turn_start - clip.go_t and turn.end >= turn_end - clip.go_t


def test_someone_else_standing_at_the_chair_place_does_not_end_it(walk) -> None:
    """Nobody sits down again (the clip stops before the sit): no end is invented."""
    cut = walk.truth["sit_start"]
    r = replay_trial("timed_up_and_go", [x for x in readings(walk, "timed_up_and_go") if x.t < cut], walk.go_t)
    assert not r.completed and r.value is None and r.ended_by == "limit"


def test_sitting_down_somewhere_else_does_not_end_it(walk) -> None:
    """The same walk with the hips far from the chair's place when seated again: not the chair."""
    moved = [
        dataclasses.replace(x, hip_x=x.hip_x + 600.0) if x.t >= walk.truth["sit_start"] else x
        for x in readings(walk, "timed_up_and_go")
    ]
    r = replay_trial("timed_up_and_go", moved, walk.go_t)
    assert not r.completed
