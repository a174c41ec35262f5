import numpy as np
import pytest

from rehab_coach.engine.measures import facing_sign, joint_angles, segment_angles, tilts


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


# ---- displacement and axis distances ----------------------------------------------------------

from rehab_coach.engine.measures import POINT_INDEX, MeasurePlan, RollingLow, axis_positions, compute  # noqa: E402
from rehab_coach.engine.templates import parse_template  # noqa: E402

_TEMPLATE = """
id: probe
name: Probe
view: side
side: both
instructions: x
camera: x
measures:
  rise: {type: displacement, joints: [ankle], window_seconds: 2}
  feet: {type: distance, joints: [left_ankle, right_ankle], axis: y}
  gap: {type: distance, joints: [left_ankle, right_ankle]}
primary: {measure: rise, direction: up, start: 0.1, end: 0.05, target: 0.2}
"""


def _points(ankle_y: float, right_ankle_y: float | None = None) -> np.ndarray:
    pts = np.zeros((len(POINT_INDEX), 2))
    pts[POINT_INDEX["left_ankle"]] = (100.0, ankle_y)
    pts[POINT_INDEX["right_ankle"]] = (130.0, ankle_y if right_ankle_y is None else right_ankle_y)
    return pts


def test_displacement_rises_from_the_low_rest_position_and_forgets_it_after_the_window():
    plan = MeasurePlan.for_template(parse_template(_TEMPLATE))
    low = RollingLow(np.array(plan.windows)[plan.displacements])
    rise = plan.names.index("rise_left")
    ys = [500.0] * 60 + [480.0] * 30 + [440.0] * 90  # stand, rise 20 px, then stand on a step 60 px up
    out = []
    for i, y in enumerate(ys):
        base = low.update(i / 30, axis_positions(plan, _points(y), 1.0))
        out.append(compute(plan, _points(y), 100.0, 1.0, base)[rise])
    assert out[30] == pytest.approx(0.0)
    assert out[75] == pytest.approx(0.2)  # 20 px up, torso 100 px
    assert out[100] == pytest.approx(0.6)  # just stepped up: measured from the floor still
    assert out[-1] == pytest.approx(0.0)  # two seconds later the step is the new rest


def test_one_outlier_does_not_move_the_rest_position():
    low = RollingLow(np.array([5.0]))
    for i in range(150):
        base = low.update(i / 30, np.array([-500.0 if i == 40 else -400.0]))
    assert base[0] == pytest.approx(-400.0)


def test_distance_along_an_axis_is_unsigned():
    plan = MeasurePlan.for_template(parse_template(_TEMPLATE))
    values = dict(zip(plan.names, compute(plan, _points(500.0, 470.0), 100.0, 1.0, np.array([0.0, 0.0])), strict=True))
    assert values["feet"] == pytest.approx(0.3)
    assert values["gap"] == pytest.approx(np.hypot(30, 30) / 100)
    flipped = dict(zip(plan.names, compute(plan, _points(470.0, 500.0), 100.0, 1.0, np.array([0.0, 0.0])), strict=True))
    assert flipped["feet"] == pytest.approx(0.3)


def test_tilt_is_how_far_a_segment_leans_out_of_the_image_from_how_short_it_looks():
    longest = np.array([100.0, 100.0, 100.0, 100.0])
    assert tilts(np.array([100.0, 50.0, 0.0, 120.0]), longest) == pytest.approx([0.0, 60.0, 90.0, 0.0])
    assert np.isnan(tilts(np.array([np.nan]), np.array([100.0]))).all()


def test_a_world_space_angle_is_measured_in_3d_where_the_backend_gives_it_else_in_the_picture():
    # A knee bending toward a camera in front: in the picture the leg still looks straight.
    template = parse_template(
        _TEMPLATE.replace(
            "measures:\n",
            "measures:\n  knee_flat: {type: joint_angle, joints: [left_hip, left_knee, left_ankle]}\n"
            "  knee_deep: {type: joint_angle, joints: [left_hip, left_knee, left_ankle], space: world}\n",
        )
    )
    plan = MeasurePlan.for_template(template)
    leg = [POINT_INDEX[j] for j in ("left_hip", "left_knee", "left_ankle")]
    points = np.full((len(POINT_INDEX), 2), np.nan)
    points[leg] = [[0.0, 0.0], [0.0, 50.0], [0.0, 100.0]]  # hip, knee, ankle in a line
    world = np.full((len(POINT_INDEX), 3), np.nan)
    world[leg] = [[0.0, 0.0, 0.0], [0.0, 0.5, -0.5], [0.0, 1.0, 0.0]]  # the knee forward: 90 degrees
    low = np.zeros(len(plan.displacements))
    seen = dict(zip(plan.names, compute(plan, points, 100.0, 1.0, low, world), strict=True))
    assert seen["knee_flat"] == pytest.approx(180) and seen["knee_deep"] == pytest.approx(90)
    everything = dict(zip(plan.names, compute(plan, points, 100.0, 1.0, low, world, all_in_world=True), strict=True))
    assert everything["knee_flat"] == pytest.approx(90)
    without = dict(zip(plan.names, compute(plan, points, 100.0, 1.0, low), strict=True))
    assert without["knee_deep"] == pytest.approx(180)  # no 3D from this backend: the picture's angle
