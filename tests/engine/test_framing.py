"""The framing check's decisions, headless: what is missing, which way to turn, and when to go."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from rehab_coach.engine.coach import Coach
from rehab_coach.engine.framing import FramingCheck, missing_joints, side_to_turn, turn_words
from rehab_coach.engine.templates import load_template_by_id
from rehab_coach.keypoints.types import KEYPOINT_INDEX, Person
from rehab_synth import generate


def _check(exercise: str) -> FramingCheck:
    coach = Coach(load_template_by_id(exercise))
    return FramingCheck(coach.template.view, coach.measurer.required, coach.template.side)


def _run(check: FramingCheck, frames, until: float | None = None):
    states = []
    for frame in frames:
        if until is not None and frame.t > until:
            break
        states.append((frame.t, check.observe(frame.people[0] if frame.people else None, frame.t)))
    return states


def test_a_side_on_squat_goes_after_the_hold():
    check = _check("squat")
    states = _run(check, generate("squat", reps=1, view="side").frames, until=2.0)
    first_ready = next(t for t, s in states if s.ready)
    first_go = next(t for t, s in states if s.go)
    assert first_go - first_ready == pytest.approx(1.0, abs=0.05)  # held for a second, not at once
    assert states[-1][1].status == "ready" and states[-1][1].view == "side" and states[-1][1].missing_joints == []


def test_a_squat_facing_the_camera_never_goes_and_asks_to_turn():
    check = _check("squat")
    states = _run(check, generate("squat", reps=2, view="front").frames)
    assert not any(s.go for _, s in states)
    assert states[-1][1].status == "wrong_view"
    assert (states[-1][1].wanted_view, states[-1][1].view) == ("side", "front")


def test_a_front_view_exercise_filmed_side_on_is_wrong_and_facing_is_right():
    template = load_template_by_id("squat")
    front_ids = [t for t in ("shoulder_abduction", "elbow_flexion") if load_template_by_id(t).view == "front"]
    assert front_ids, "the library has a front-view exercise"
    exercise = front_ids[0]
    assert template.view == "side"
    side_on = _run(_check(exercise), generate(exercise, reps=1, view="side").frames)
    facing = _run(_check(exercise), generate(exercise, reps=1, view="front").frames)
    assert side_on[-1][1].status == "wrong_view" and not any(s.go for _, s in side_on)
    assert any(s.go for _, s in facing)


def test_nobody_then_missing_legs_are_named():
    check = _check("squat")
    assert check.observe(None, 0.0).status == "no_person"
    frame = generate("squat", reps=1, view="side").frames[0]
    person = frame.people[0]
    keypoints = person.keypoints.copy()
    keypoints[[KEYPOINT_INDEX[n] for n in ("left_knee", "right_knee", "left_ankle", "right_ankle")], 2] = 0.0
    state = check.observe(Person.from_keypoints(keypoints), 0.1)
    assert state.status == "joints_missing" and not state.go
    assert {"left_knee", "left_ankle"} <= set(state.missing_joints) or {"right_knee", "right_ankle"} <= set(
        state.missing_joints
    )


def test_leaving_resets_the_hold():
    check = _check("squat")
    frames = generate("squat", reps=1, view="side").frames
    _run(check, frames, until=0.8)
    assert check.state.ready and not check.state.go
    check.observe(None, 0.85)
    states = _run(check, [f for f in frames if 0.9 <= f.t <= 1.7])
    assert not any(s.go for _, s in states)  # the second began again after the absence


def test_turned_part_way_is_usable_with_a_note():
    check = FramingCheck("side", {"left": [], "right": [], "both": []}, go_seconds=0.0)
    keypoints = np.zeros((17, 3))
    keypoints[:, 2] = 0.9
    keypoints[:, 0] = 300.0
    keypoints[:, 1] = 100.0
    keypoints[KEYPOINT_INDEX["left_shoulder"], :2] = (320, 100)  # shoulders 40 px apart over a 100 px torso: oblique
    keypoints[KEYPOINT_INDEX["right_shoulder"], :2] = (280, 100)
    keypoints[[KEYPOINT_INDEX["left_hip"], KEYPOINT_INDEX["right_hip"]], 1] = 200
    state = check.observe(Person.from_keypoints(keypoints), 0.0)
    assert state.view == "oblique" and state.turned_part_way and state.go


def test_missing_joints_without_a_person_names_every_required_point():
    assert missing_joints(None, [KEYPOINT_INDEX["left_knee"]]) == ["left_knee"]
    person = generate("squat", reps=1).frames[0].people[0]
    assert missing_joints(replace(person), [KEYPOINT_INDEX["left_knee"]]) == []


def test_the_check_says_which_side_to_turn_to_the_camera():
    # It said "Turn your side to the camera", and a patient facing it could not tell which way.
    def last_state(check: FramingCheck, yaw: float):
        return _run(check, generate("squat", reps=1, seed=2, noise="low", view="front", yaw=yaw).frames, until=1.5)[-1][
            1
        ]

    # Facing the camera with the face turned toward the image's right: turning to their left, the
    # right side comes to the camera; the other way, the left.
    turned_right = last_state(_check("squat"), 30.0)
    assert (turned_right.status, turned_right.turn_side) == ("wrong_view", "right")
    assert turn_words("side", turned_right.turn_side, "en") == "Turn your right side to the camera"
    assert turn_words("side", "left", "zh") == "请把左侧身体转向摄像头"
    assert last_state(_check("squat"), -30.0).turn_side == "left"
    # An exercise prescribed for one side asks for that side whatever the face does.
    coach = Coach(load_template_by_id("squat", {"side": "right"}))
    assert last_state(FramingCheck("side", coach.measurer.required, coach.template.side), -30.0).turn_side == "right"
    # Face square on: the side already seen better.
    person = generate("squat", reps=1, seed=2, noise="low", view="front", yaw=0.0).frames[0].people[0]
    keypoints = person.keypoints.copy()
    keypoints[[i for name, i in KEYPOINT_INDEX.items() if name.startswith("left_")], 2] = 0.4
    assert side_to_turn(Person.from_keypoints(keypoints), "auto") == "right"
    # A front-view exercise is faced, not turned to.
    assert turn_words("front", None, "en") == "Face the camera"
