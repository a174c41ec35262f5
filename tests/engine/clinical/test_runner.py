"""The trial run and the test coach: live progress, the start signal, the exact replay, trials."""

from __future__ import annotations

import pytest
from clinical_clips import readings

from rehab_coach.engine.clinical import CLINICAL_TESTS, ClinicalCoach, ClinicalFrameUpdate, clinical_test, replay_trial
from rehab_synth.clinical import chair_stands, single_leg_stance


@pytest.fixture(scope="module")
def five() -> object:
    return chair_stands(5, seed=1)


def test_before_go_frames_carry_no_trial_and_after_it_the_count_rises(five) -> None:
    coach = ClinicalCoach("five_times_sit_to_stand")
    counts = []
    for frame in five.frames:
        if frame.t >= five.go_t and coach.run is None:
            coach.go(1)
        update = coach.process(frame)
        assert isinstance(update, ClinicalFrameUpdate)
        if frame.t < five.go_t:
            assert update.test is None
        else:
            assert update.test is not None and update.test.started
            counts.append(update.test.count)
    assert counts == sorted(counts) and counts[-1] == 5
    assert update.test is not None and update.test.done


def test_the_exact_start_signal_moves_the_time_and_nothing_else(five) -> None:
    coach = ClinicalCoach("five_times_sit_to_stand")
    for frame in five.frames:
        if frame.t >= five.go_t and coach.run is None:
            coach.go(1)
        coach.process(frame)
    live = coach.trial_result()
    exact = coach.trial_result(five.go_t - 0.05)
    assert live is not None and exact is not None
    assert exact.value == pytest.approx(live.value + (coach.run.go_t - (five.go_t - 0.05)), abs=1e-6)
    assert [s.up - exact.stand_times[0].up for s in exact.stand_times] == pytest.approx(
        [s.up - live.stand_times[0].up for s in live.stand_times]
    )


def test_stopped_early_is_not_completed(five) -> None:
    coach = ClinicalCoach("five_times_sit_to_stand")
    coach.go(1)
    for frame in five.frames[: len(five.frames) // 2]:
        coach.process(frame)
    r = coach.trial_result(stopped=True)
    assert r is not None and not r.completed and r.ended_by == "stopped" and r.value is None


def test_a_second_trial_starts_its_own_clock_after_a_pause() -> None:
    clip = single_leg_stance(hold=3.0, seed=2, stand_before=2.0, stand_after=1.0)
    coach = ClinicalCoach("single_leg_stance_test")
    coach.go(1, "right")
    frames = clip.frames
    half = len(frames) // 2
    for frame in frames[:half]:
        coach.process(frame)
    coach.pause()
    coach.process(frames[half])
    assert coach.run is None
    coach.go(2, "left")
    for frame in frames[half + 1 :]:
        update = coach.process(frame)
    assert coach.run is not None and coach.run.trial == 2 and coach.run.go_t == frames[half + 1].t
    assert update.test is not None and update.test.trial == 2


def test_every_test_has_a_tracker_and_a_result_on_no_frames() -> None:
    for test in CLINICAL_TESTS.values():
        r = replay_trial(test, [], 0.0)
        assert r.test == test.id and not r.completed and r.value is None and r.unit == test.unit


def test_unknown_tests_are_named() -> None:
    with pytest.raises(KeyError, match="known: five_times_sit_to_stand"):
        clinical_test("tug")


def test_the_limit_ends_a_trial_that_never_ends_by_itself(five) -> None:
    test = clinical_test("timed_up_and_go")
    r = replay_trial(test, readings(five, test.id), five.go_t)  # chair stands are no walk: never seated at the end
    assert r.ended_by == "limit" and not r.completed
