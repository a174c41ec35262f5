import json
from collections import deque

import numpy as np
import pytest

from rehab_coach.engine.reps import RepCounter
from rehab_coach.engine.templates import Primary, RepLimits
from rehab_coach.engine.types import Phase, RangeStatus

SQUAT = Primary(measure="knee", direction="down", start=145, end=158, target=110, ideal=90)
RAISE = Primary(measure="abduction", direction="up", start=50, end=35, target=85, ideal=150)


def _feed(counter, values, fps=30.0, t0=0.0):
    spans = []
    for i, v in enumerate(values):
        span = counter.update(v, t0 + i / fps)
        if span:
            spans.append(span)
    return spans


def _rep(rest, bottom, seconds=2.5, fps=30):
    x = np.linspace(0, 2 * np.pi, int(seconds * fps))
    return rest - (rest - bottom) * (0.5 - 0.5 * np.cos(x))


def test_counts_full_reps_and_reports_extremes():
    values = np.concatenate([np.full(30, 172), _rep(172, 90), np.full(15, 172), _rep(172, 95), np.full(15, 172)])
    counter = RepCounter(SQUAT, RepLimits())
    spans = _feed(counter, values)
    assert [s.complete for s in spans] == [True, True]
    assert spans[0].extreme == pytest.approx(90, abs=0.5)
    assert spans[0].rest_value == pytest.approx(172)
    assert counter.completed == 2 and counter.partial == 0


def test_jitter_around_either_threshold_never_counts():
    rng = np.random.default_rng(1)
    standing = 170 + rng.normal(0, 3, 600)  # 20 s standing still with jitter
    near_end = 158 + rng.uniform(-6, 6, 600)  # hovering at the return threshold
    near_start = 145 + rng.uniform(-6, 6, 600)  # hovering at the start threshold
    for values in (standing, near_end, near_start):
        counter = RepCounter(SQUAT, RepLimits())
        spans = _feed(counter, np.concatenate([np.full(10, 172), values]))
        assert spans == [] and counter.completed == 0 and counter.partial == 0


def test_bottom_jitter_inside_one_rep_counts_once():
    rng = np.random.default_rng(2)
    rep = _rep(172, 100)
    rep[30:45] += rng.uniform(-12, 12, 15)  # shaking around the target at the bottom
    spans = _feed(RepCounter(SQUAT, RepLimits()), np.concatenate([np.full(10, 172), rep, np.full(10, 172)]))
    assert len(spans) == 1 and spans[0].complete


def test_a_first_whole_cycle_short_of_the_target_is_a_rep_with_a_depth_fault():
    # Rest 172, target 110: a first movement to 135 and back is a completed movement. Nothing says yet
    # that this patient can go deeper, so it counts; falling short of the target is its depth fault.
    values = np.concatenate([np.full(10, 172), _rep(172, 135), np.full(10, 172)])
    counter = RepCounter(SQUAT, RepLimits())
    spans = _feed(counter, values)
    assert len(spans) == 1 and spans[0].complete and not spans[0].reached_target
    assert counter.completed == 1 and counter.partial == 0


def test_a_cycle_that_turns_back_before_the_patients_own_range_is_partial():
    values = np.concatenate([np.full(10, 172), _rep(172, 90), np.full(10, 172), _rep(172, 90), np.full(10, 172)])
    values = np.concatenate([values, _rep(172, 135), np.full(10, 172)])
    counter = RepCounter(SQUAT, RepLimits())
    spans = _feed(counter, values)
    assert [s.complete for s in spans] == [True, True, False] and spans[2].reason == "shallow"
    assert counter.completed == 2 and counter.partial == 1


def test_a_therapists_minimum_depth_makes_a_shallow_cycle_partial():
    values = np.concatenate([np.full(10, 172), _rep(172, 135), np.full(10, 172)])
    counter = RepCounter(SQUAT, RepLimits(short_of_target="partial"))
    spans = _feed(counter, values)
    assert len(spans) == 1 and not spans[0].complete and spans[0].reason == "below_minimum"


def test_nothing_counts_before_the_person_was_at_rest():
    # Session starts with the patient already squatting (e.g. sitting): the way up is no rep.
    values = np.concatenate([np.linspace(95, 172, 40), np.full(10, 172)])
    assert _feed(RepCounter(SQUAT, RepLimits()), values) == []


def test_too_fast_and_too_slow():
    fast = np.concatenate([np.full(10, 172), _rep(172, 90, seconds=0.5), np.full(10, 172)])
    spans = _feed(RepCounter(SQUAT, RepLimits(min_seconds=0.8)), fast)
    # A completed movement counts however quick; its speed is a fault for the coach to name.
    assert len(spans) == 1 and spans[0].complete and spans[0].too_fast
    step = np.concatenate([np.full(10, 172), _rep(172, 125, seconds=0.5), np.full(10, 172)])
    assert _feed(RepCounter(SQUAT, RepLimits(min_seconds=0.8)), step) == []  # a quick bend short of the target: a step
    stuck = np.concatenate([np.full(10, 172), np.linspace(172, 100, 30), np.full(400, 100), np.linspace(100, 172, 30)])
    counter = RepCounter(SQUAT, RepLimits(max_seconds=10))
    spans = _feed(counter, stuck)
    assert [s.reason for s in spans] == ["too_slow"]  # and the rise afterwards does not count a second rep


def test_a_rep_whose_end_nobody_saw_is_dropped_not_reported():
    values = np.concatenate([np.full(10, 172), np.linspace(172, 100, 30), np.full(60, np.nan), np.full(10, 172)])
    counter = RepCounter(SQUAT, RepLimits())
    assert _feed(counter, values) == [] and counter.discarded == 1 and counter.partial == 0
    # ... and the next rep counts as usual.
    assert [s.complete for s in _feed(counter, np.concatenate([_rep(172, 90), np.full(10, 172)]), t0=4.0)] == [True]


def test_a_rep_goes_on_when_the_joints_come_back_mid_movement():
    # The camera zooms in on the arms during a long hold at the top: the hips vanish for 2 s.
    rep = _rep(172, 90, seconds=3.0)
    values = np.concatenate([np.full(10, 172), rep[:45], np.full(60, np.nan), rep[45:], np.full(10, 172)])
    counter = RepCounter(SQUAT, RepLimits())
    spans = _feed(counter, values)
    assert [s.complete for s in spans] == [True] and counter.discarded == 0


def test_a_rep_whose_descent_went_unseen_counts_when_its_return_is_seen():
    # The patient stands at their own rest (140, short of the template's line), vanishes for 1.2 s and
    # reappears at the bottom: the descent happened unseen, and the return completes the rep ...
    rest_then_gone = np.concatenate([np.full(8, 140.0), np.full(36, np.nan)])
    values = np.concatenate([rest_then_gone, np.full(10, 30.0), np.linspace(30, 160, 20), np.full(10, 160.0)])
    spans = _feed(RepCounter(SQUAT, RepLimits()), values)
    assert [s.complete for s in spans] == [True] and spans[0].start_t == pytest.approx(0.0)
    # ... but a reappearance at the bottom with no rest seen before the absence starts nothing.
    assert _feed(RepCounter(SQUAT, RepLimits()), values[8:]) == []


def test_upward_exercises_mirror_the_logic():
    values = np.concatenate(
        [np.full(10, 20), 20 + 130 * (0.5 - 0.5 * np.cos(np.linspace(0, 2 * np.pi, 90))), np.full(10, 20)]
    )
    spans = _feed(RepCounter(RAISE, RepLimits()), values)
    assert len(spans) == 1 and spans[0].complete and spans[0].extreme == pytest.approx(150, abs=0.5)
    assert RepCounter(RAISE, RepLimits()).status(90) == "in_range"
    assert RepCounter(RAISE, RepLimits()).status(60) == "almost"
    assert RepCounter(RAISE, RepLimits()).status(20) == "out_of_range"


def test_rest_and_range_follow_the_patient_not_the_template():
    # An arm seen obliquely never looks straight: rest at 150 never reaches the template's end line
    # (158), yet every whole movement counts, a half one is partial, and standing still counts nothing.
    values = [np.full(20, 150)]
    for bottom in (80, 82, 115, 80):
        values += [_rep(150, bottom), np.full(12, 150)]
    counter = RepCounter(SQUAT, RepLimits())
    spans = _feed(counter, np.concatenate(values))
    assert [s.complete for s in spans] == [True, True, False, True]
    assert spans[2].reason == "shallow" and all(s.reached_target for s in spans if s.complete)


def test_a_whole_movement_short_of_the_target_counts_or_is_partial_as_the_template_says():
    # The patient's own reps go to 120 (the target is 110): whole movements, short of the target.
    values = np.concatenate([np.full(10, 172), _rep(172, 120), np.full(10, 172), _rep(172, 121), np.full(10, 172)])
    counted = _feed(RepCounter(SQUAT, RepLimits()), values)
    assert [(s.complete, s.reached_target) for s in counted] == [(True, False), (True, False)]
    strict = _feed(RepCounter(SQUAT, RepLimits(short_of_target="partial")), values)
    assert [(s.complete, s.reason) for s in strict] == [(False, "below_minimum"), (False, "below_minimum")]


def test_a_clip_that_starts_mid_rep_counts_from_the_first_return_to_rest():
    values = np.concatenate([np.linspace(95, 150, 30), np.full(10, 150), _rep(150, 85), np.full(10, 150)])
    spans = _feed(RepCounter(SQUAT, RepLimits()), values)
    assert [s.complete for s in spans] == [True]


def test_a_set_that_starts_at_once_from_the_patients_own_rest_counts_its_first_rep():
    # Rest at 150 is short of the template's rest line (158), and the first rep starts on the first
    # sample, with no still moment: the highest point seen so far is where that rep began.
    values = np.concatenate([_rep(150, 85), _rep(150, 85), np.full(10, 150)])
    spans = _feed(RepCounter(SQUAT, RepLimits()), values)
    assert [s.complete for s in spans] == [True, True]
    assert spans[0].start_t == pytest.approx(0.0)


def test_a_high_point_beyond_the_target_is_no_rest_to_start_from():
    # A push-up tutorial cuts to a close-up: the first elbow seen is 80 degrees (beyond the target, 110),
    # then glitches down and back. Nobody rests at 80: no rep, where a fall from a real rest would be one.
    cut = np.concatenate([np.full(8, 80.0), np.linspace(80, 5, 8), np.linspace(5, 80, 8), np.full(8, 80.0)])
    assert _feed(RepCounter(SQUAT, RepLimits()), cut) == []
    from_rest = np.concatenate([np.full(8, 140.0), _rep(140, 80), np.full(8, 140.0)])
    assert len(_feed(RepCounter(SQUAT, RepLimits()), from_rest)) == 1


def test_a_quick_dip_before_rest_was_seen_is_no_rep():
    # Walking in: the knee bends by a step's swing, quicker than any rep, before the patient settles.
    step = _rep(150, 115, seconds=0.4)
    values = np.concatenate([step, step, np.full(20, 150)])
    assert _feed(RepCounter(SQUAT, RepLimits()), values) == []


def test_a_recording_that_stops_during_the_last_return_counts_that_rep():
    rep = _rep(172, 90)
    nearly_back = rep[: int(len(rep) * 0.85)]  # stops at 155 degrees, before the knee is straight again
    counter = RepCounter(SQUAT, RepLimits())
    spans = _feed(counter, np.concatenate([np.full(10, 172), rep, np.full(10, 172), nearly_back]))
    last = counter.close(3.0 + len(rep) / 30)
    assert [s.complete for s in spans] == [True] and last is not None and last.complete
    past_halfway = RepCounter(SQUAT, RepLimits())
    _feed(past_halfway, np.concatenate([np.full(10, 172), rep[: int(len(rep) * 0.78)]]))  # 139: 60 % of the way back
    assert past_halfway.close(3.0).complete
    at_the_bottom = RepCounter(SQUAT, RepLimits())
    _feed(at_the_bottom, np.concatenate([np.full(10, 172), rep[: len(rep) // 2]]))
    assert at_the_bottom.close(3.0).reason == "interrupted"


def test_quick_reps_seen_sparsely_count_when_one_sample_falls_past_the_last_bottom():
    # Lunges at 8 samples a second: between two reps the knee comes up to 134 (short of rest, 140), and
    # the next sample after that top is already deeper than the first rep's bottom.
    values = [140, 140, 140, 140, 120, 100, 95, 105, 120, 134, 121, 87, 84, 100, 120, 140, 140, 140]
    counter = RepCounter(SQUAT, RepLimits(min_seconds=0.5))
    spans = _feed(counter, values, fps=8)
    assert [s.complete for s in spans] == [True, True]
    assert [s.extreme for s in spans] == [95, 84]


def test_a_keypoint_glitch_at_the_bottom_is_no_turn_between_two_reps():
    # A front-view squat held at the bottom (85): the hips' keypoints jump for 0.2 s and the knee reads 145,
    # 60 degrees up and down again within a few samples; nobody rises from a squat that fast. One rep.
    glitch = [85, 85, 120, 140, 145, 140, 137, 128, 96, 85, 85]
    values = np.concatenate(
        [np.full(10, 165), np.linspace(165, 85, 25), glitch, np.linspace(85, 165, 25), np.full(10, 165)]
    )
    spans = _feed(RepCounter(SQUAT, RepLimits()), values)
    assert [s.complete for s in spans] == [True]


def test_phase_and_status_are_enums_that_read_as_their_strings():
    counter = RepCounter(SQUAT, RepLimits())
    phases = []
    for i, v in enumerate(np.concatenate([np.full(30, 172), _rep(172, 90), np.full(15, 172)])):
        counter.update(v, i / 30)
        phases.append(counter.phase)
    assert all(type(p) is Phase for p in phases)
    assert [p for i, p in enumerate(phases) if i == 0 or p != phases[i - 1]] == [
        Phase.TOP,
        Phase.DESCENT,
        Phase.BOTTOM,
        Phase.ASCENT,
        Phase.TOP,
    ]
    assert phases[0] == "top" and f"{phases[0]}" == "top" and json.dumps(phases[-1]) == '"top"'
    assert [p.value for p in Phase] == ["absent", "top", "descent", "bottom", "ascent", "hold"]
    statuses = [counter.status(v) for v in (None, 100.0, 130.0, 172.0)]
    assert statuses == [RangeStatus.UNKNOWN, RangeStatus.IN_RANGE, RangeStatus.ALMOST, RangeStatus.OUT_OF_RANGE]
    assert statuses == ["unknown", "in_range", "almost", "out_of_range"]
    assert all(type(s) is RangeStatus for s in statuses)


def _sampled(values, fps, keep_fps=None, drop=0.0, seed=0):
    """(t, value) of a 30 fps signal as a slow computer sees it: every n-th sample, or random drops."""
    t = np.arange(len(values)) / fps
    keep = np.ones(len(values), bool)
    if keep_fps:
        keep[:] = False
        keep[:: round(fps / keep_fps)] = True
    if drop:
        keep &= np.random.default_rng(seed).random(len(values)) >= drop
    return t[keep], np.asarray(values)[keep]


def _count(primary, times, values):
    counter = RepCounter(primary, RepLimits())
    spans = [s for t, v in zip(times, values, strict=True) if (s := counter.update(v, t))]
    return [s.complete for s in spans]


@pytest.mark.parametrize(
    "keep_fps, drop, seed",
    [(None, 0, 0), (15, 0, 0), (10, 0, 0), (7.5, 0, 0)]
    + [(None, 0.5, s) for s in range(5)]
    + [(None, 0.67, s) for s in range(3)],
)
def test_the_count_does_not_depend_on_the_frame_rate(keep_fps, drop, seed):
    rng = np.random.default_rng(7)
    values = [np.full(20, 170)]
    for bottom in (90, 95, 88, 100, 92):
        values += [_rep(170, bottom, seconds=2.0) + rng.normal(0, 1.5, 60), np.full(8, 170)]
    values = np.concatenate(values)
    assert _count(SQUAT, *_sampled(values, 30.0, keep_fps, drop, seed)) == [True] * 5


@pytest.mark.parametrize("keep_fps, drop", [(None, 0), (10, 0), (None, 0.5)])
def test_quick_reps_that_never_reach_rest_between_them_count_at_any_frame_rate(keep_fps, drop):
    # Step-ups: the knee comes back to 150 for an instant between reps, never to the rest of 172.
    values = [np.full(20, 172), np.linspace(172, 150, 10)]
    for _ in range(6):
        values.append(_rep(150, 90, seconds=1.4))
    values += [np.linspace(150, 172, 10), np.full(20, 172)]
    assert _count(SQUAT, *_sampled(np.concatenate(values), 30.0, keep_fps, drop)) == [True] * 6


def test_the_target_must_hold_for_a_time_not_for_a_number_of_samples():
    counter = RepCounter(SQUAT, RepLimits())
    for t, v in [(0.0, 172), (0.1, 172), (0.6, 172), (0.8, 140), (1.0, 109), (1.02, 109)]:
        counter.update(v, t)
    assert not counter.reached  # 20 ms past the target: one noisy blip, however many samples
    counter.update(109, 1.05)
    assert counter.reached


def test_one_unusually_deep_rep_does_not_make_the_next_ordinary_one_partial():
    values = [np.full(10, 172)]
    for bottom in (95, 100, 40, 98):  # the third goes far deeper than the patient's usual
        values += [_rep(172, bottom), np.full(10, 172)]
    spans = _feed(RepCounter(SQUAT, RepLimits()), np.concatenate(values))
    assert [s.complete for s in spans] == [True] * 4


def test_a_dip_past_rest_before_the_first_rep_does_not_make_the_next_ones_partial():
    # Heel raises (rest 0, up 0.085 torso lengths): a body sway reads as a dip to -0.05 just before the first
    # rise. That rep's size is its smaller side, from the level it came back to, so the patient's ordinary
    # rises that follow are whole reps, not "shallow" against a size inflated by the dip.
    heel = Primary(measure="ankle_rise", direction="up", start=0.06, end=0.035, target=0.14, ideal=0.18)
    values = [np.full(20, 0.0), np.linspace(0, -0.05, 10), np.linspace(-0.05, 0.0, 10)]
    values += [_rep(0.0, 0.085), np.full(15, 0.0), _rep(0.0, 0.08), np.full(15, 0.0), _rep(0.0, 0.085)]
    spans = _feed(RepCounter(heel, RepLimits(min_seconds=0.3)), np.concatenate([*values, np.full(15, 0.0)]))
    assert [s.complete for s in spans] == [True, True, True]


def test_a_rep_that_turns_back_on_its_way_up_keeps_its_size():
    # A deep squat (172 -> 80) whose return pauses at 150 and sinks to 130 before standing: the top of that
    # pause is no rest, so the deep rep's size stays 92, and a later cycle to 116 (56) is still shallow.
    up = np.concatenate([np.linspace(80, 150, 20), np.linspace(150, 130, 10), np.linspace(130, 172, 15)])
    values = [np.full(20, 172), np.linspace(172, 80, 30), up, np.full(20, 172), _rep(172, 116), np.full(20, 172)]
    spans = _feed(RepCounter(SQUAT, RepLimits()), np.concatenate(values))
    assert spans[0].complete and spans[0].extreme == 80
    assert (spans[-1].complete, spans[-1].reason) == (False, "shallow")


def test_a_return_by_more_than_a_whole_movement_ends_the_rep_whatever_the_rest_read():
    # Heel raises filmed on a phone that zooms during the first rise: the ankle's baseline moves, so the first
    # rise reads 0.36 torso lengths and the heels coming down only fall back to 0.14. Coming down by two of the
    # template's spans is the end of a rise, not a wobble at the top: two reps.
    heel = Primary(measure="ankle_rise", direction="up", start=0.06, end=0.035, target=0.14, ideal=0.18)
    values = [np.full(20, 0.0), np.linspace(0, 0.36, 20), np.full(30, 0.36), np.linspace(0.36, 0.14, 30)]
    values += [np.full(30, 0.14), np.linspace(0.14, 0.29, 15), np.full(30, 0.29), np.linspace(0.29, 0.0, 30)]
    spans = _feed(RepCounter(heel, RepLimits(min_seconds=0.3)), np.concatenate([*values, np.full(20, 0.0)]))
    assert [s.complete for s in spans] == [True, True]


def test_a_limb_settles_only_its_own_reps_size_in_the_shared_range():
    # Alternating lunges share one patient's range. The left leg's rep (172 -> 80) comes back only to 160;
    # then the right leg's rep (170 -> 85) is recorded. When the left leg starts again, the last size in the
    # range is the right leg's: it stays 85, not the left rep's smaller side (80).
    shared: deque[float] = deque(maxlen=4)
    left, right = (RepCounter(SQUAT, RepLimits(), amplitudes=shared) for _ in range(2))
    left_values = np.concatenate([np.full(20, 172), np.linspace(172, 80, 30), np.linspace(80, 160, 30)])
    left_values = np.concatenate([left_values, np.full(90, 160), np.linspace(160, 110, 20)])
    right_values = np.concatenate([np.full(80, 170), _rep(170, 85, seconds=2.5), np.full(35, 170)])
    for i, (lv, rv) in enumerate(zip(left_values, right_values, strict=True)):
        left.update(lv, i / 30)
        right.update(rv, i / 30)
    assert (left.completed, right.completed) == (1, 1)
    assert list(shared) == [92, 85]
