"""Holds (timing, re-arming, faults) and alternating sides (each side counted, rules read the moving side)."""

import numpy as np
import pytest

from rehab_coach.engine.coach import Coach
from rehab_coach.engine.holds import HoldTimer
from rehab_coach.engine.templates import load_template_by_id
from rehab_coach.engine.types import Phase
from rehab_coach.keypoints.types import Person, PoseFrame
from rehab_synth import generate


def _timer(**overrides):
    return HoldTimer(load_template_by_id("wall_sit", overrides={"hold.seconds": 3, **overrides}))


def _feed(timer, knees, fps=30):
    return [span for i, k in enumerate(knees) if (span := timer.update({"knee": k}, i / fps))]


def test_a_hold_is_timed_and_staying_put_afterwards_is_not_a_second_hold():
    spans = _feed(_timer(), [170] * 30 + [95] * 200 + [170] * 30)
    assert len(spans) == 1 and spans[0].complete and spans[0].held_seconds == pytest.approx(3.0)
    assert spans[0].start_t == pytest.approx(1.0)


def test_a_brief_wobble_pauses_the_clock_a_long_one_ends_the_attempt():
    wobble = [170] * 30 + [95] * 45 + [130] * 9 + [95] * 100
    spans = _feed(_timer(), wobble)
    assert len(spans) == 1 and spans[0].complete
    assert spans[0].end_t == pytest.approx(1.0 + 3.0 + 10 / 30, abs=0.05)  # the 0.3 s out of position did not count
    released = _feed(_timer(), [170] * 30 + [95] * 60 + [130] * 40)
    assert (
        len(released) == 1 and not released[0].complete and released[0].held_seconds == pytest.approx(59 / 30, abs=1e-3)
    )


def test_passing_through_the_position_is_not_an_attempt():
    assert _feed(_timer(), [170] * 30 + [95] * 20 + [170] * 30) == []  # 0.6 s < min_seconds
    assert _feed(_timer(**{"hold.min_seconds": 0.3}), [170] * 30 + [95] * 20 + [170] * 30)[0].held_seconds < 1


def test_hold_results_carry_their_faults_and_cue_when_the_position_is_lost():
    template = load_template_by_id("wall_sit", overrides={"hold.seconds": 6})
    clip = generate(
        "wall_sit", reps=3, seed=1, faults={1: ["leans_forward"]}, partial_reps=[2], noise="low", template=template
    )
    coach = Coach(template, language="zh")
    updates = [coach.process(f) for f in clip.frames]
    coach.finish()
    assert [(r.complete, r.faults) for r in coach.reps] == [(True, []), (True, ["leans_forward"]), (False, [])]
    assert [r.partial_reason for r in coach.reps] == ["", "", "released"]
    for rep, truth in zip(coach.reps, clip.reps, strict=True):
        assert rep.held_seconds == pytest.approx(truth["held_seconds"], abs=0.5)
    assert any(c.id == "leans_forward" and c.text == "背部贴紧墙面" for c in coach.cue_log)
    assert {u.phase for u in updates} >= {Phase.HOLD, Phase.TOP}
    assert all(type(u.phase) is Phase for u in updates)


def test_alternating_counts_each_side_and_rules_read_the_moving_leg():
    clip = generate("standing_knee_flexion", reps=4, seed=2, faults={1: ["thigh_forward"]}, noise="low")
    coach = Coach(load_template_by_id("standing_knee_flexion"))
    updates = [coach.process(f) for f in clip.frames]
    coach.finish()
    assert [(r.side, r.complete, r.faults) for r in coach.reps] == [
        ("left", True, []),
        ("right", True, ["thigh_forward"]),
        ("left", True, []),
        ("right", True, []),
    ]
    bottom = clip.reps[1]["bottom_t"]  # the right leg at the top of its curl
    update = min(updates, key=lambda u: abs(u.t - bottom))
    assert update.measures["thigh"] == update.measures["thigh_right"] > update.measures["thigh_left"] + 15
    assert update.primary_value == pytest.approx(update.measures["knee_right"])
    assert update.phase in ("bottom", "descent", "ascent")
    assert np.isfinite(update.measures["knee_vel"])


def test_frames_without_the_joints_pause_the_hold_a_long_absence_ends_it():
    timer = _timer()
    knees = [170] * 30 + [95] * 40 + [None] * 18 + [95] * 120  # 0.6 s unseen mid-hold
    spans = [s for i, k in enumerate(knees) if (s := timer.update(None if k is None else {"knee": k}, i / 30))]
    assert len(spans) == 1 and spans[0].complete
    assert spans[0].end_t == pytest.approx(1.0 + 3.0 + 19 / 30, abs=0.05)  # the unseen stretch did not count
    timer = _timer()
    knees = [170] * 30 + [95] * 40 + [None] * 45 + [95] * 120  # 1.5 s unseen: the attempt is over
    spans = [s for i, k in enumerate(knees) if (s := timer.update(None if k is None else {"knee": k}, i / 30))]
    assert not spans[0].complete and spans[0].held_seconds == pytest.approx(39 / 30, abs=1e-3)


def test_auto_counts_a_lone_movement_of_the_limb_it_does_not_follow():
    # The patient lifts one heel, then the other: `auto` follows the nearer leg, and a rep of the
    # far leg alone, while the near one stands still, counts too (as alternating single-arm curls do).
    clip = generate("standing_knee_flexion", reps=6, seed=2, noise="low")  # alternating legs
    coach = Coach(load_template_by_id("standing_knee_flexion", overrides={"side": "auto"}))
    for frame in clip.frames:
        coach.process(frame)
    coach.finish()
    assert (coach.rep_count, coach.partial_count) == (6, 0)
    followed, other = coach.measurer.sides.current, {"left": "right", "right": "left"}[coach.measurer.sides.current]
    assert [r.side for r in coach.reps] == [None, other] * 3 and followed == "left"


def test_a_lone_limb_unseen_for_moments_of_its_rep_still_counts():
    # Phone footage loses the far leg twice during its rep (0.4 s on the way down and on the way up): how
    # well that leg was seen is judged on the frames where it was seen at all, so its rep still counts.
    clip = generate("standing_knee_flexion", reps=6, seed=2, noise="low")
    far_leg = [12, 14, 16]  # the right hip, knee and ankle

    def lose_far_leg(frame):
        if not (6.0 <= frame.t < 6.4 or 7.4 <= frame.t < 7.8):
            return frame
        people = []
        for person in frame.people:
            keypoints = person.keypoints.copy()
            keypoints[far_leg] = np.nan
            people.append(Person(keypoints, person.bbox, person.score))
        return PoseFrame(frame.t, people, frame.width, frame.height)

    coach = Coach(load_template_by_id("standing_knee_flexion", overrides={"side": "auto"}))
    for frame in clip.frames:
        coach.process(lose_far_leg(frame))
    coach.finish()
    assert coach.rep_count == 6 and [r.side for r in coach.reps][1] == "right"


def test_auto_never_counts_a_two_arm_curl_twice():
    clip = generate("elbow_flexion", reps=5, seed=3, noise="medium")
    coach = Coach(load_template_by_id("elbow_flexion"))
    for frame in clip.frames:
        coach.process(frame)
    coach.finish()
    assert (coach.rep_count, coach.partial_count) == (5, 0)


def test_auto_changes_side_only_between_reps():
    from rehab_coach.engine.measures import MeasurePlan
    from rehab_coach.engine.sides import SideChooser

    template = load_template_by_id("squat")
    chooser = SideChooser(template, MeasurePlan.for_template(template))
    right_better = np.full(17, 0.9)
    right_better[[11, 13, 15]] = 0.5  # the left hip, knee and ankle half hidden
    for i in range(30):  # a whole second mid-rep: the rep stays on the limb it started on
        assert chooser.update(right_better, i / 30, between_reps=False) == "left"
    sides = [chooser.update(right_better, 1 + i / 30, between_reps=True) for i in range(30)]
    assert sides[0] == "left" and sides[-1] == "right"  # after 0.5 s at rest the better side takes over
    vanished = np.full(17, 0.9)
    vanished[[12, 14, 16]] = 0.0  # the followed (right) leg gone altogether: no waiting for the rep to end
    assert chooser.update(vanished, 3.0, between_reps=False) == "left"
