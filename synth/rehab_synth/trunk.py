"""Motion scripts for the trunk exercises: the glute bridge (lying) and the hip hinge."""

from __future__ import annotations

import numpy as np

from rehab_synth.body import SIDE_SIGN, Y_AXIS, BodyPose, Proportions, chain_hip
from rehab_synth.motions import (
    Drive,
    FaultSpec,
    Motion,
    Targets,
    fault_ramp,
    primary_track,
    register,
    set_pelvis,
    solve,
)

# ---- glute bridge (side view, lying on the back) -------------------------------------------

SHOULDER_HEIGHT = 0.06  # shoulder keypoints above the floor when lying, body heights
REST_ELEVATION = 3.0  # the trunk's rise from the shoulders to the hips at rest, degrees
FEET = 0.587  # ankles ahead of the shoulders: knees at about 90 degrees with the hips up


def _bridge(elevation: np.ndarray, feet: np.ndarray, prop: Proportions) -> tuple[np.ndarray, ...]:
    """Hip and knee (x, y) and the hip and knee angles (deg) of a bridge whose trunk rises
    `elevation` degrees from the shoulders on the floor, feet flat `feet` ahead of them. The
    hip angle is signed past 180 (hips above the shoulder-knee line), so it stays monotonic."""
    e = np.radians(elevation)
    hip = np.stack([prop.trunk * np.cos(e), SHOULDER_HEIGHT + prop.trunk * np.sin(e)], axis=-1)
    ankle = np.stack([feet, np.full_like(feet, prop.ankle_height)], axis=-1)
    to_ankle = ankle - hip
    dist = np.linalg.norm(to_ankle, axis=-1)
    bend = np.arccos(np.clip((prop.thigh**2 + dist**2 - prop.shank**2) / (2 * prop.thigh * dist), -1.0, 1.0))
    thigh_dir = np.arctan2(to_ankle[..., 1], to_ankle[..., 0]) + bend  # knee up
    knee = hip + prop.thigh * np.stack([np.cos(thigh_dir), np.sin(thigh_dir)], axis=-1)
    hip_angle = 180.0 - np.degrees(thigh_dir - e)  # trunk points back along -e, thigh along thigh_dir
    shin = ankle - knee
    knee_angle = 180.0 - np.degrees(np.arctan2(shin[..., 1], shin[..., 0]) - thigh_dir) % 360.0
    return hip, knee, hip_angle, np.abs(knee_angle)


def _elevation_for(hip_angle: np.ndarray, feet: np.ndarray, prop: Proportions) -> np.ndarray:
    return solve(lambda e: _bridge(e, feet, prop)[2], -5.0, 50.0, hip_angle)


def _feet_for_knee(knee: float, hip_angle: float, prop: Proportions) -> float:
    """Where the feet must be for a given knee angle at the top of the bridge."""

    def knee_at(feet: np.ndarray) -> np.ndarray:
        return _bridge(_elevation_for(np.full(feet.shape, hip_angle), feet, prop), feet, prop)[3]

    return float(solve(knee_at, 0.45, 0.75, np.array([knee]))[0])


def _glute_bridge(d: Drive, tg: Targets, prop: Proportions) -> BodyPose:
    """Lying on the back, knees bent, feet flat; the hips lift until shoulders, hips and knees
    line up. Feet placed too far out open the knee at the top."""
    n = d.frames
    hip_angle = primary_track(d, tg)
    far = tg.faults.get("feet_too_far")
    shift = _feet_for_knee(far.fault, float(np.max(d.bottom, initial=tg.top)), prop) - FEET if far else 0.0
    feet = FEET + d.fault("feet_too_far") * fault_ramp(d.p) * shift
    elevation = _elevation_for(hip_angle, feet, prop)
    hip = _bridge(elevation, feet, prop)[0]
    pose = BodyPose.standing(n, prop)
    set_pelvis(pose, hip)
    pose.trunk_lean = -(90.0 + elevation)  # lying back: the trunk points from the hips to the shoulders
    pose.head_pitch = elevation  # the head rests on the floor
    for side, sign in SIDE_SIGN.items():
        limb = pose.limb(side)
        limb.ankle = np.stack([feet, np.full(n, prop.ankle_height), np.full(n, sign * prop.hip_width / 2)], axis=1)
        limb.knee_pole = Y_AXIS.copy()
        limb.shoulder_flex = -elevation  # arms along the floor
        limb.shoulder_abd = np.full(n, 6.0)
        limb.elbow_flex = np.full(n, 5.0)
    return pose


register(
    Motion(
        "glute_bridge",
        "side",
        top=float(_bridge(np.array(REST_ELEVATION), np.array(FEET), Proportions())[2]),
        script=_glute_bridge,
        body_height=1.2,
        faults=(
            FaultSpec("shallow", neutral=130.0, default=165.0, above=False, kind="depth"),
            FaultSpec("feet_too_far", neutral=92.0, default=115.0),
            FaultSpec("too_fast", neutral=0.0, default=1.2, above=False, kind="tempo"),
        ),
    )
)


# ---- hip hinge (side view) --------------------------------------------------------------------

HINGE_DEPTH = 55.0  # trunk lean of a full hinge, degrees


def _hip_hinge(d: Drive, tg: Targets, prop: Proportions) -> BodyPose:
    """The trunk tips forward about the hips while the hips travel back over soft knees.
    Faults: squatting (the knees bend instead) and leaning without sending the hips back."""
    n = d.frames
    lean = primary_track(d, tg)
    u = np.clip((lean - tg.top) / (HINGE_DEPTH - tg.top), 0.0, 1.2)
    ramp = fault_ramp(d.p)
    knee = tg.mix("squats_instead", 175.0 - 12.0 * u, d.fault("squats_instead") * ramp)
    natural_shift = -0.45 * u
    aim = tg.faults["hips_not_back"].fault if "hips_not_back" in tg.faults else 0.0
    shift = natural_shift + d.fault("hips_not_back") * ramp * (aim - natural_shift)
    flex = 180.0 - knee

    def hip_x(tilt: np.ndarray) -> np.ndarray:
        return chain_hip(np.zeros(n), np.full(n, prop.ankle_height), tilt, flex, prop)[:, 0]

    tilt = solve(hip_x, -30.0, 40.0, shift * prop.trunk)  # the shins tilt so the hips land where asked
    pose = BodyPose.standing(n, prop)
    set_pelvis(pose, chain_hip(np.zeros(n), np.full(n, prop.ankle_height), tilt, flex, prop))
    pose.trunk_lean = lean
    for side in ("left", "right"):
        pose.limb(side).shoulder_flex = lean + 5.0  # arms hang toward the floor
        pose.limb(side).elbow_flex = np.full(n, 10.0)
    return pose


register(
    Motion(
        "hip_hinge",
        "side",
        top=2.0,
        script=_hip_hinge,
        faults=(
            FaultSpec("squats_instead", neutral=175.0, default=140.0, above=False),
            FaultSpec("hips_not_back", neutral=-0.45, default=-0.1),
        ),
    )
)
