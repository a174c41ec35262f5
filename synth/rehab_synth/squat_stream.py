"""A small side-view squat stream with known reps and faults, for the desktop app's tests.

Simpler and faster than the full generator (`rehab_synth.generator`): no body model and no noise,
just the planned knee angle per frame, written with the app's public stream API.

A side-view squat: the ankle stays put, the shin and thigh fold by the knee angle,
and the trunk leans forward a little (or, for a `trunk_lean` fault, a lot). Facing +x.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from rehab_coach.keypoints.stream import StreamHeader, write_stream
from rehab_coach.keypoints.types import KEYPOINT_INDEX, Person, PoseFrame

WIDTH, HEIGHT = 640, 480
SHIN, THIGH, TRUNK = 110.0, 110.0, 130.0
ANKLE = np.array([320.0, 440.0])


@dataclass
class SquatPlan:
    reps: int = 3
    fps: float = 30.0
    lead_in: float = 1.0  # standing before the first rep
    down: float = 1.0
    bottom: float = 0.4
    up: float = 1.0
    pause: float = 0.8  # standing between reps
    deepest: float = 85.0
    faults: dict[int, list[str]] = field(default_factory=dict)  # 1-based rep -> ["trunk_lean", "hidden"]

    @property
    def rep_seconds(self) -> float:
        return self.down + self.bottom + self.up + self.pause

    @property
    def seconds(self) -> float:
        return self.lead_in + self.reps * self.rep_seconds + 1.0


def _knee_angle(plan: SquatPlan, t: float) -> tuple[float, int]:
    """Knee angle (degrees) and the 1-based rep at time t (0 while standing before)."""
    standing = 172.0
    if t < plan.lead_in:
        return standing, 0
    rep, u = divmod(t - plan.lead_in, plan.rep_seconds)
    if rep >= plan.reps:
        return standing, 0
    depth = standing - plan.deepest
    if u < plan.down:
        angle = standing - depth * (1 - math.cos(math.pi * u / plan.down)) / 2
    elif u < plan.down + plan.bottom:
        angle = plan.deepest
    elif u < plan.down + plan.bottom + plan.up:
        angle = plan.deepest + depth * (1 - math.cos(math.pi * (u - plan.down - plan.bottom) / plan.up)) / 2
    else:
        angle = standing
    return angle, int(rep) + 1


def squat_keypoints(knee_angle: float, trunk_lean: float) -> np.ndarray:
    """(17, 3) keypoints of one squat pose; both sides overlap as in a true side view."""
    bend = 180.0 - knee_angle
    shin_tilt, thigh_tilt = math.radians(0.3 * bend), math.radians(0.7 * bend)
    knee = ANKLE + SHIN * np.array([math.sin(shin_tilt), -math.cos(shin_tilt)])
    hip = knee + THIGH * np.array([-math.sin(thigh_tilt), -math.cos(thigh_tilt)])
    lean = math.radians(trunk_lean)
    shoulder = hip + TRUNK * np.array([math.sin(lean), -math.cos(lean)])
    head = shoulder + np.array([8.0, -40.0])
    points = {
        "ankle": ANKLE,
        "knee": knee,
        "hip": hip,
        "shoulder": shoulder,
        "elbow": shoulder + np.array([20.0, 55.0]),
        "wrist": shoulder + np.array([60.0, 70.0]),
        "ear": head,
        "eye": head + np.array([10.0, -4.0]),
    }
    kp = np.zeros((17, 3))
    kp[KEYPOINT_INDEX["nose"]] = (*(head + np.array([18.0, 2.0])), 0.95)
    for side, shift in (("left", -3.0), ("right", 3.0)):
        for joint, xy in points.items():
            kp[KEYPOINT_INDEX[f"{side}_{joint}"]] = (xy[0] + shift, xy[1], 0.95)
    return kp


def squat_frames(plan: SquatPlan) -> list[PoseFrame]:
    frames = []
    for i in range(int(plan.seconds * plan.fps)):
        t = i / plan.fps
        angle, rep = _knee_angle(plan, t)
        faults = plan.faults.get(rep, [])
        depth = (172.0 - angle) / (172.0 - plan.deepest)
        lean = 15.0 + (45.0 if "trunk_lean" in faults else 12.0) * depth
        kp = squat_keypoints(angle, lean)
        if "hidden" in faults:
            kp[[13, 14, 15, 16], 2] = 0.0  # knees and ankles out of view for the whole rep
        frames.append(PoseFrame(t=round(t, 4), people=[Person.from_keypoints(kp)], width=WIDTH, height=HEIGHT))
    return frames


def write_squat_stream(path: Path, plan: SquatPlan) -> Path:
    write_stream(path, StreamHeader(WIDTH, HEIGHT, plan.fps), squat_frames(plan))
    return path
