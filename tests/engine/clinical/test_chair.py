"""Chair stands on synthetic clips with known times: counts, the 5xSTS time, the 30-second rule, arms."""

from __future__ import annotations

import pytest
from clinical_clips import readings, result

from rehab_coach.engine.clinical import replay_trial
from rehab_synth.clinical import chair_stands

TIME_TOLERANCE = 0.25  # seconds: the camera's event against the motion's own


@pytest.fixture(scope="module")
def five() -> object:
    return chair_stands(5, seed=1)


def test_five_stands_time_the_test_to_the_fifth_seat_contact(five) -> None:
    r = result(five, "five_times_sit_to_stand")
    truth = five.truth["stands"]
    assert r.completed and r.ended_by == "five_stands" and r.stands == 5
    assert r.value == pytest.approx(truth[4]["sit"] - five.go_t, abs=TIME_TOLERANCE)
    assert r.secondary["fifth_stand"] == pytest.approx(truth[4]["up"] - five.go_t, abs=TIME_TOLERANCE)
    for stand, want in zip(r.stand_times, truth, strict=True):
        assert stand.up == pytest.approx(want["up"] - five.go_t, abs=TIME_TOLERANCE)
        assert stand.sit == pytest.approx(want["sit"] - five.go_t, abs=TIME_TOLERANCE)
        assert stand.rise < stand.up < stand.sit
    assert r.flags == []


def test_four_stands_are_no_five_times_test(five) -> None:
    """The recording stops before the fifth sit-down: the test is not completed, no time is given."""
    cut = five.truth["stands"][4]["up"]
    r = replay_trial(
        "five_times_sit_to_stand", [x for x in readings(five, "five_times_sit_to_stand") if x.t < cut], five.go_t
    )
    assert not r.completed and r.value is None and r.ended_by == "limit"


def test_halfway_stands_do_not_count() -> None:
    clip = chair_stands(5, seed=4, partial=(1, 3))
    r = result(clip, "five_times_sit_to_stand")
    assert r.stands == 3 and not r.completed


def test_pushing_on_the_thighs_is_flagged() -> None:
    pushed = result(chair_stands(5, seed=2, hands_on_thighs=True), "five_times_sit_to_stand")
    assert "arms_used" in pushed.flags and all(s.arms_used for s in pushed.stand_times)


def test_thirty_seconds_count_full_stands_and_one_more_than_halfway_up() -> None:
    """A stand every 2.425 s: by the 30 s mark 12 are full and the 13th is just past halfway, its
    knee not yet straight: it counts (Rikli and Jones; CDC STEADI)."""
    clip = chair_stands(14, seed=3, rise=0.9, sit=0.9, up_pause=0.2, seated_pause=0.425)
    limit = clip.go_t + 30.0
    ups = [s["up"] for s in clip.truth["stands"]]
    full = sum(1 for up in ups if up <= limit)
    under_way = next(s for s in clip.truth["stands"] if s["up"] > limit)
    halfway = under_way["rise"] + 0.5 * (under_way["up"] - under_way["rise"])
    assert halfway < limit < under_way["rise"] + 0.6 * (under_way["up"] - under_way["rise"])
    r = result(clip, "chair_stand_30s")
    assert r.completed and r.ended_by == "time_up"
    assert r.value == full + 1 and r.stands == full + 1


def test_thirty_seconds_do_not_count_a_stand_just_begun() -> None:
    clip = chair_stands(14, seed=3, rise=0.9, sit=0.9, up_pause=0.2, seated_pause=0.46)
    limit = clip.go_t + 30.0
    stands = clip.truth["stands"]
    full = sum(1 for s in stands if s["up"] <= limit)
    next_one = stands[full]
    assert next_one["rise"] + 0.3 * (next_one["up"] - next_one["rise"]) > limit, "the next stand must barely start"
    assert result(clip, "chair_stand_30s").value == full
