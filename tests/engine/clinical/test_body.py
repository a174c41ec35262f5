"""The body reading the clinical tests time from: thigh drop from any view, the scale it is in, hands, feet."""

from __future__ import annotations

import math

import numpy as np
import pytest

from rehab_coach.engine.clinical.body import ScaleMemory, read_body
from rehab_coach.keypoints.types import KEYPOINT_INDEX as K


def pose(**points: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    xy = np.full((17, 2), np.nan)
    for name, at in points.items():
        xy[K[name]] = at
    return xy, np.where(np.isfinite(xy).all(axis=1), 0.9, 0.0)


SHOULDERS = {"left_shoulder": (300, 100), "right_shoulder": (300, 100)}


def standing_side() -> dict[str, tuple[float, float]]:
    return {**SHOULDERS, "left_hip": (300, 200), "right_hip": (300, 200), "left_knee": (305, 285),
            "right_knee": (305, 285), "left_ankle": (300, 370), "right_ankle": (300, 370)}  # fmt: skip


def test_thigh_drop_reads_seated_low_and_standing_high_from_the_side_and_the_front() -> None:
    side_seated = {**SHOULDERS, "left_hip": (300, 200), "right_hip": (300, 200), "left_knee": (385, 205),
                   "right_knee": (385, 205), "left_ankle": (385, 290), "right_ankle": (385, 290)}  # fmt: skip
    # From the front a seated thigh points at the camera: its knee a little below the hip, not far.
    front_shoulders = {"left_shoulder": (350, 100), "right_shoulder": (250, 100)}
    front_seated = {**front_shoulders, "left_hip": (330, 200), "right_hip": (270, 200), "left_knee": (335, 215),
                    "right_knee": (265, 215), "left_ankle": (335, 300), "right_ankle": (265, 300)}  # fmt: skip
    front_standing = {**front_shoulders, "left_hip": (330, 200), "right_hip": (270, 200), "left_knee": (330, 285),
                      "right_knee": (270, 285), "left_ankle": (330, 370), "right_ankle": (270, 370)}  # fmt: skip
    readings = {}
    for name, points in {
        "side seated": side_seated,
        "side standing": standing_side(),
        "front seated": front_seated,
        "front standing": front_standing,
    }.items():
        xy, conf = pose(**points)
        readings[name] = read_body(0.0, xy, conf, ScaleMemory()).thigh_drop
    assert readings["side seated"] < 0.1 and readings["front seated"] < 0.2
    assert readings["side standing"] > 0.8 and readings["front standing"] > 0.8


def test_the_scale_is_the_longest_torso_lately_so_a_forward_lean_does_not_read_as_standing() -> None:
    memory = ScaleMemory(seconds=1.5)
    assert memory.update(0.0, 100.0) == 100.0
    assert memory.update(0.5, 70.0) == 100.0  # leaning toward the camera: shorter, the unit stays
    assert memory.update(2.0, 80.0) == 80.0  # the long one is older than the window now
    assert memory.update(2.1, math.nan) == 80.0


def test_nobody_reads_as_nothing_measured() -> None:
    r = read_body(1.0, None, None, ScaleMemory())
    assert not r.present and math.isnan(r.thigh_drop) and r.hands_low is None


def test_hands_crossed_on_the_chest_are_not_low_and_hands_on_the_thighs_are() -> None:
    crossed = {**standing_side(), "left_wrist": (310, 140), "right_wrist": (310, 140)}
    on_thighs = {**standing_side(), "left_wrist": (320, 215), "right_wrist": (320, 215)}
    assert read_body(0.0, *pose(**crossed), ScaleMemory()).hands_low is False
    assert read_body(0.0, *pose(**on_thighs), ScaleMemory()).hands_low is True
    assert read_body(0.0, *pose(**standing_side()), ScaleMemory()).hands_low is None  # no hand seen


def test_a_hand_out_to_the_side_is_measured_from_the_midline_in_torso_lengths() -> None:
    reaching = {**standing_side(), "right_wrist": (420, 180)}
    assert read_body(0.0, *pose(**reaching), ScaleMemory()).hand_out == pytest.approx(1.2)


def test_foot_lift_is_signed_by_the_foot_that_is_up() -> None:
    right_up = {**standing_side(), "right_ankle": (300, 330)}
    assert read_body(0.0, *pose(**right_up), ScaleMemory()).foot_lift == pytest.approx(0.4)
    left_up = {**standing_side(), "left_ankle": (300, 330)}
    assert read_body(0.0, *pose(**left_up), ScaleMemory()).foot_lift == pytest.approx(-0.4)
