import numpy as np
import pytest

from rehab_coach.engine.measures import facing_sign, joint_angles, segment_angles


def test_joint_angle_is_interior_and_orientation_free():
    b = np.zeros((1, 2))
    a = np.array([[0.0, -10.0]])
    c = np.array([[10.0, 0.0]])
    assert joint_angles(a, b, c)[0] == pytest.approx(90)
    # The same limb seen mirrored (the person turned around) gives the same interior angle.
    assert joint_angles(a * [-1, 1], b, c * [-1, 1])[0] == pytest.approx(90)


def test_joint_angle_never_leaves_0_180_as_the_limb_rotates():
    theta = np.radians(np.arange(0, 720, 7.5))
    b = np.zeros((theta.size, 2))
    a = np.stack([np.cos(theta), np.sin(theta)], axis=1) * 50
    c = np.stack([np.cos(theta + np.radians(120)), np.sin(theta + np.radians(120))], axis=1) * 40
    angles = joint_angles(a, b, c)
    assert np.allclose(angles, 120)
    straight = joint_angles(a, b, -a)
    assert np.allclose(straight, 180)


def test_missing_points_give_nan_not_errors():
    a = np.array([[np.nan, 0.0]])
    assert np.isnan(joint_angles(a, np.zeros((1, 2)), np.ones((1, 2))))[0]
    assert np.isnan(joint_angles(np.zeros((1, 2)), np.zeros((1, 2)), np.ones((1, 2))))[0]  # zero-length limb


def test_segment_angles_against_vertical_and_horizontal():
    hip = np.array([[100.0, 300.0]] * 3)
    shoulder = np.array([[100.0, 100.0], [300.0, 300.0], [-100.0, 100.0]])  # upright, horizontal, 45 deg the other way
    assert segment_angles(hip, shoulder, "vertical") == pytest.approx([0, 90, 45])
    assert segment_angles(hip, shoulder, "horizontal") == pytest.approx([90, 0, 45])


def test_facing_from_nose_and_ears():
    pts = np.full((20, 2), np.nan)
    pts[0] = [120, 50]  # nose
    pts[3] = pts[4] = [100, 52]  # ears
    assert facing_sign(pts) == 1
    pts[0] = [80, 50]
    assert facing_sign(pts) == -1
    pts[0] = [np.nan, np.nan]
    assert facing_sign(pts, previous=-1) == -1  # unknown: keep the last facing
