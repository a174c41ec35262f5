"""The naive counter the app is measured against: one 3-point angle on one side, one rule.

It counts when the angle passes the template's `target` after having been beyond its `end`
(below/above, mirrored for exercises whose angle rises). No filter, no hysteresis band, no
duration limits, no side choice: what a one-screen webcam rep counter does.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from rehab_coach.engine.measures import joint_angles, resolve_joint
from rehab_coach.engine.templates import Template
from rehab_coach.keypoints.types import KEYPOINT_INDEX, PoseFrame


def naive_joints(template: Template, side: str = "left") -> tuple[int, int, int] | None:
    """One side's joints of the primary measure, or None when it is not a 3-point angle."""
    measure = template.measures[template.primary.measure]
    if measure.type != "joint_angle" or len(measure.joints) != 3:
        return None
    names = [resolve_joint(j, side) for j in measure.joints]
    if any(n not in KEYPOINT_INDEX for n in names):
        return None
    a, b, c = (KEYPOINT_INDEX[n] for n in names)
    return a, b, c


def naive_count(template: Template, frames: Iterable[PoseFrame], side: str = "left") -> int | None:
    joints = naive_joints(template, side)
    if joints is None:
        return None
    sign = 1.0 if template.primary.direction == "down" else -1.0
    end, target = sign * template.primary.end, sign * template.primary.target
    armed, count = False, 0
    for frame in frames:
        if not frame.people:
            continue
        xy = frame.people[0].xy
        angle = float(joint_angles(xy[joints[0]], xy[joints[1]], xy[joints[2]]))
        if not np.isfinite(angle):
            continue
        value = sign * angle
        if value >= end:
            armed = True
        elif armed and value < target:
            count, armed = count + 1, False
    return count
