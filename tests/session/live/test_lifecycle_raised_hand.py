"""The raised-hand gesture in a live session: a hand held above the head for two seconds pauses a
running set, and again resumes it; arm exercises, which raise hands by design, are only resumed."""

from __future__ import annotations

import numpy as np
from live_harness import CAMERA, make_harness

from rehab_coach.keypoints.types import KEYPOINT_INDEX, NUM_KEYPOINTS, Person, PoseFrame
from rehab_coach.session.live import events as ev
from rehab_coach.session.live.events import SessionState

FPS = 30.0
# Someone facing the camera in a 1280x720 picture, arms at their sides (x grows to the right, y down).
BODY = {
    "nose": (400, 100),
    "left_eye": (410, 92),
    "right_eye": (390, 92),
    "left_ear": (422, 98),
    "right_ear": (378, 98),
    "left_shoulder": (455, 170),
    "right_shoulder": (345, 170),
    "left_elbow": (462, 262),
    "right_elbow": (338, 262),
    "left_wrist": (466, 345),
    "right_wrist": (334, 345),
    "left_hip": (430, 360),
    "right_hip": (370, 360),
    "left_knee": (432, 500),
    "right_knee": (368, 500),
    "left_ankle": (434, 640),
    "right_ankle": (366, 640),
}
RIGHT_HAND_UP = {"right_elbow": (330, 95), "right_wrist": (328, 10)}  # the wrist well above the nose


def standing(hand_up: bool) -> Person:
    keypoints = np.zeros((NUM_KEYPOINTS, 3))
    for name, (x, y) in {**BODY, **(RIGHT_HAND_UP if hand_up else {})}.items():
        keypoints[KEYPOINT_INDEX[name]] = (x, y, 0.9)
    return Person.from_keypoints(keypoints)


def frames(seconds: float, hand_up: bool) -> list[PoseFrame]:
    person = standing(hand_up)
    return [PoseFrame(t=i / FPS, people=[person], width=1280, height=720) for i in range(round(seconds * FPS))]


def test_a_hand_held_up_two_seconds_pauses_and_again_resumes() -> None:
    h = make_harness()
    h.start(CAMERA, **{"dosage.sets": 1, "dosage.reps": 10})
    h.feed(frames(1.0, hand_up=False))
    assert h.session.state == SessionState.RUNNING
    h.feed(frames(1.8, hand_up=True))
    assert h.session.state == SessionState.RUNNING  # not held long enough yet
    h.feed(frames(0.4, hand_up=True))
    assert h.session.state == SessionState.PAUSED
    assert h.of(ev.Notice)[-1] == ev.Notice("Hand raised: paused", "info", actions=False, transient=True)
    h.feed(frames(3.0, hand_up=True))  # still up: it fired once and waits for the hand to come down
    assert h.session.state == SessionState.PAUSED
    h.feed(frames(0.5, hand_up=False))
    h.feed(frames(2.2, hand_up=True))
    assert h.session.state == SessionState.RUNNING  # resumed (no countdown in this session)
    assert h.of(ev.Notice)[-1].text == "Hand raised: resumed"
    assert [e["detail"] for e in h.session.events if e["kind"] == "raised_hand"] == ["pause", "resume"]


def test_an_arm_exercise_is_never_paused_by_a_raised_hand_but_is_resumed_by_one() -> None:
    h = make_harness()
    h.start(CAMERA, "elbow_flexion", **{"dosage.sets": 1, "dosage.reps": 10})
    h.feed(frames(3.0, hand_up=True))
    assert h.session.state == SessionState.RUNNING and not h.of(ev.Notice)
    h.session.toggle_pause()
    h.feed(frames(0.5, hand_up=False))
    h.feed(frames(2.2, hand_up=True))
    assert h.session.state == SessionState.RUNNING and h.of(ev.Notice)[-1].text == "Hand raised: resumed"


def test_offline_analysis_is_never_paused_by_a_raised_hand() -> None:
    from rehab_coach.engine.coach import Coach
    from rehab_coach.engine.templates import load_template_by_id
    from rehab_coach.session.analysis import StageTimer, run_engine

    clip = frames(1.0, hand_up=False) + [
        PoseFrame(t=1.0 + f.t, people=f.people, width=f.width, height=f.height) for f in frames(3.0, hand_up=True)
    ]
    coach = run_engine(Coach(load_template_by_id("squat")), clip, StageTimer())
    assert coach.frames == len(clip)  # every frame coached: the hand paused nothing
