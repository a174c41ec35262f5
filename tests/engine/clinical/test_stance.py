"""Single-leg stance on synthetic clips: from the lift to the touch-down, a reach for support, the ceiling."""

from __future__ import annotations

import pytest
from clinical_clips import result

from rehab_synth.clinical import single_leg_stance, single_leg_stance_both_legs

TOLERANCE = 0.25


def test_the_time_runs_from_the_lift_to_the_touch_down() -> None:
    clip = single_leg_stance(hold=10.0, seed=1, stand_leg="right")
    r = result(clip, "single_leg_stance_test", side_wanted="right")
    held = clip.truth["down"] - clip.truth["lift"]
    assert r.completed and r.ended_by == "foot_down" and r.side == "right"
    assert r.value == pytest.approx(held, abs=TOLERANCE)
    assert r.secondary["lift"] == pytest.approx(clip.truth["lift"] - clip.go_t, abs=TOLERANCE)
    assert r.flags == []


def test_the_leg_stood_on_is_found_and_a_wrong_one_flagged() -> None:
    clip = single_leg_stance(hold=4.0, seed=2, stand_leg="left")
    r = result(clip, "single_leg_stance_test", side_wanted="right")
    assert r.side == "left" and "other_leg" in r.flags


def test_a_hand_reaching_for_support_ends_it() -> None:
    clip = single_leg_stance(hold=12.0, seed=3, reach_at=6.0)
    r = result(clip, "single_leg_stance_test")
    assert r.ended_by == "support"
    assert r.value == pytest.approx(6.0, abs=0.35)


def test_the_ceiling_ends_it_complete() -> None:
    clip = single_leg_stance(hold=33.0, seed=4)
    r = result(clip, "single_leg_stance_test")
    assert r.completed and r.ended_by == "ceiling" and r.value == 30.0


def test_no_lifted_foot_is_not_completed() -> None:
    clip = single_leg_stance(hold=4.0, seed=5)
    stood = clip.truth["lift"] - 0.2
    clip.frames = [f for f in clip.frames if f.t < stood]
    r = result(clip, "single_leg_stance_test")
    assert not r.completed and r.value is None and "never_lifted" in r.flags


def test_both_legs_clip_the_first_trial_ends_at_its_touch_down() -> None:
    clip = single_leg_stance_both_legs((8.0, 6.0), seed=2)
    first = clip.truth["trials"][0]
    r = result(clip, "single_leg_stance_test", side_wanted="right")
    assert r.ended_by == "foot_down" and r.side == first["leg"]
    assert r.value == pytest.approx(first["down"] - first["lift"], abs=TOLERANCE)
