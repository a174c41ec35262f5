"""The raised-hand pause on the real desktop window, offscreen: a replayed patient holds a hand up
for two seconds, the set pauses, the Pause button reads Resume and a notice says why."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from rehab_coach.keypoints.stream import StreamHeader, write_stream
from rehab_coach.keypoints.types import KEYPOINT_INDEX, NUM_KEYPOINTS, Person, PoseFrame
from rehab_coach.ui.main_window import MainWindow

FPS = 30.0
# Facing the camera, arms down (x to the right, y down, in a 1280x720 picture).
AT_EASE = {
    "nose": (640, 110),
    "left_eye": (650, 102),
    "right_eye": (630, 102),
    "left_ear": (662, 108),
    "right_ear": (618, 108),
    "left_shoulder": (695, 180),
    "right_shoulder": (585, 180),
    "left_elbow": (702, 272),
    "right_elbow": (578, 272),
    "left_wrist": (706, 355),
    "right_wrist": (574, 355),
    "left_hip": (670, 370),
    "right_hip": (610, 370),
    "left_knee": (672, 510),
    "right_knee": (608, 510),
    "left_ankle": (674, 650),
    "right_ankle": (606, 650),
}
LEFT_HAND_UP = {"left_elbow": (700, 100), "left_wrist": (702, 15)}


def pose(hand_up: bool) -> Person:
    keypoints = np.zeros((NUM_KEYPOINTS, 3))
    for name, (x, y) in {**AT_EASE, **(LEFT_HAND_UP if hand_up else {})}.items():
        keypoints[KEYPOINT_INDEX[name]] = (x, y, 0.95)
    return Person.from_keypoints(keypoints)


def hand_raised_stream(path: Path) -> Path:
    """One second at ease, three with the left hand up, two at ease again."""
    frames = []
    for i in range(int(6 * FPS)):
        t = i / FPS
        frames.append(PoseFrame(t=t, people=[pose(1.0 <= t < 4.0)], width=1280, height=720))
    write_stream(path, StreamHeader(1280, 720, FPS), frames)
    return path


def test_a_hand_held_up_pauses_the_set_with_a_notice(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, replay_window: Callable[..., MainWindow]
) -> None:
    window = replay_window(
        hand_raised_stream(tmp_path / "hand.jsonl"),
        speed=2.0,
        framing_check=False,
        overrides={"dosage.sets": 1, "dosage.reps": 5},
    )
    controller, live = window.controller, window.live
    qtbot.waitUntil(lambda: controller.session.state == "paused", timeout=10000)
    assert "Hand raised: paused" in live.notice.text and live.pause_button.text() == "Resume"
    assert live.video.big_text.startswith("Paused")
    assert [e["detail"] for e in controller.session.events if e["kind"] == "raised_hand"] == ["pause"]
