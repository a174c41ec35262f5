"""The raised-hand gesture: one hand above the head, the other down, held two seconds."""

from __future__ import annotations

import numpy as np
import pytest

from rehab_coach.engine.gestures import RaisedHandGesture, may_pause, raised_hand
from rehab_coach.engine.templates import load_library
from rehab_coach.keypoints.types import KEYPOINT_INDEX, NUM_KEYPOINTS, Person

# A person facing the camera, 1.7 m tall in a 720 px frame: x grows to the image's right.
STANDING = {
    "nose": (640, 120),
    "left_eye": (650, 110),
    "right_eye": (630, 110),
    "left_ear": (665, 115),
    "right_ear": (615, 115),
    "left_shoulder": (700, 200),
    "right_shoulder": (580, 200),
    "left_elbow": (710, 300),
    "right_elbow": (570, 300),
    "left_wrist": (715, 390),
    "right_wrist": (565, 390),
    "left_hip": (670, 400),
    "right_hip": (610, 400),
    "left_knee": (672, 540),
    "right_knee": (608, 540),
    "left_ankle": (674, 680),
    "right_ankle": (606, 680),
}


def person(confidence: float = 0.9, **moved: tuple[float, float]) -> Person:
    keypoints = np.zeros((NUM_KEYPOINTS, 3))
    for name, (x, y) in {**STANDING, **moved}.items():
        keypoints[KEYPOINT_INDEX[name]] = (x, y, confidence)
    return Person.from_keypoints(keypoints)


HAND_UP = {"right_elbow": (560, 130), "right_wrist": (555, 40)}


def feed(gesture: RaisedHandGesture, frames: list[tuple[float, Person | None]]) -> list[float]:
    return [t for t, who in frames if gesture.update(t, who)]


def test_one_hand_above_the_head_with_the_other_down_is_a_raised_hand() -> None:
    assert raised_hand(person(**HAND_UP)) == "right"
    assert raised_hand(person(left_elbow=(720, 130), left_wrist=(725, 40))) == "left"


@pytest.mark.parametrize(
    "pose",
    [
        {},  # standing
        {**HAND_UP, "left_elbow": (720, 130), "left_wrist": (725, 40)},  # both arms overhead (an exercise)
        {"right_elbow": (560, 150), "right_wrist": (600, 100)},  # a hand on the head
        {"right_elbow": (520, 200), "right_wrist": (460, 200)},  # an arm out to the side
    ],
    ids=["standing", "both-up", "hand-on-head", "arm-sideways"],
)
def test_other_positions_are_not(pose: dict[str, tuple[float, float]]) -> None:
    assert raised_hand(person(**pose)) is None


def test_unseen_joints_never_make_a_gesture() -> None:
    assert raised_hand(None) is None
    assert raised_hand(person(confidence=0.2, **HAND_UP)) is None
    keypoints = np.full((NUM_KEYPOINTS, 3), np.nan)
    keypoints[:, 2] = 0.0
    assert raised_hand(Person.from_keypoints(keypoints)) is None


def test_the_gesture_fires_once_after_two_seconds_and_rearms_when_the_hand_comes_down() -> None:
    up, down = person(**HAND_UP), person()
    fps = 30
    frames = [(i / fps, down) for i in range(15)]  # 0.5 s standing
    frames += [(0.5 + i / fps, up) for i in range(4 * fps)]  # 4 s with the hand up
    frames += [(4.5 + i / fps, down) for i in range(fps)]  # 1 s down
    frames += [(5.5 + i / fps, up) for i in range(int(2.5 * fps))]  # up again
    fired = feed(RaisedHandGesture(), frames)
    assert len(fired) == 2
    assert fired[0] == pytest.approx(2.5, abs=1.5 / fps)
    assert fired[1] == pytest.approx(7.5, abs=1.5 / fps)


def test_a_short_dropout_does_not_restart_the_wait_but_a_lowered_hand_does() -> None:
    up, gone = person(**HAND_UP), None
    gesture = RaisedHandGesture(hold_seconds=2.0, grace_seconds=0.3)
    frames = [(i / 10, up) for i in range(10)] + [(1.0, gone), (1.1, gone)] + [(1.2 + i / 10, up) for i in range(12)]
    fired = feed(gesture, frames)
    assert fired == [pytest.approx(2.0)]

    gesture = RaisedHandGesture(hold_seconds=2.0, grace_seconds=0.3)
    frames = [(i / 10, up) for i in range(10)] + [(1.0 + i / 10, person()) for i in range(5)]
    frames += [(1.5 + i / 10, up) for i in range(18)]
    assert feed(gesture, frames) == []  # only 1.7 s since it went up again


def test_progress_fills_while_the_hand_is_held() -> None:
    gesture = RaisedHandGesture(hold_seconds=2.0)
    gesture.update(0.0, person(**HAND_UP))
    gesture.update(1.0, person(**HAND_UP))
    assert gesture.progress == pytest.approx(0.5)
    gesture.update(2.0, person(**HAND_UP))
    assert gesture.progress == 0.0  # fired: nothing to fill until the hand comes down


def test_arm_exercises_are_not_paused_by_a_raised_hand() -> None:
    library = load_library()
    assert not may_pause(library.get("shoulder_flexion"))
    assert not may_pause(library.get("elbow_flexion"))
    assert may_pause(library.get("squat"))
