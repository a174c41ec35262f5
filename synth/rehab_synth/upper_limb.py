"""Motion scripts for the upper-limb exercises beyond shoulder abduction."""

from __future__ import annotations

import numpy as np

from rehab_synth.body import BodyPose, Proportions
from rehab_synth.motions import (
    Drive,
    FaultSpec,
    Motion,
    Targets,
    fault_ramp,
    lean_for_offset,
    primary_track,
    register,
    solve,
)

UPRIGHT = float(np.sin(np.radians(2.0)))  # trunk offset of a relaxed upright stance


# ---- shoulder flexion (side view) ------------------------------------------------------------


def _shoulder_flexion(d: Drive, tg: Targets, prop: Proportions) -> BodyPose:
    """Both arms rise forward and up. The template's angle is measured from the trunk line, so
    an arched back (the usual cheat) shows as a backward trunk offset, not as more flexion."""
    n = d.frames
    ramp = fault_ramp(d.p)
    pose = BodyPose.standing(n, prop)
    pose.trunk_lean = lean_for_offset(tg.mix("leans_back", UPRIGHT, d.fault("leans_back") * ramp))
    elbow = tg.mix("bent_elbow", 176.0, d.fault("bent_elbow") * ramp)
    for side in ("left", "right"):
        limb = pose.limb(side)
        limb.shoulder_flex = primary_track(d, tg)
        limb.shoulder_abd = np.zeros(n)
        limb.elbow_flex = 180.0 - elbow
    return pose


register(
    Motion(
        "shoulder_flexion",
        "side",
        top=5.0,
        script=_shoulder_flexion,
        body_height=0.6,
        faults=(
            FaultSpec("leans_back", neutral=UPRIGHT, default=-0.1, above=False),
            FaultSpec("bent_elbow", neutral=176.0, default=150.0, above=False),
        ),
    )
)


# ---- elbow flexion (side view) ---------------------------------------------------------------


def _elbow_flexion(d: Drive, tg: Targets, prop: Proportions) -> BodyPose:
    """Curls with the upper arms at the sides; cheating swings the elbows forward or the trunk back."""
    n = d.frames
    ramp = fault_ramp(d.p)
    pose = BodyPose.standing(n, prop)
    pose.trunk_lean = lean_for_offset(tg.mix("swings_body", UPRIGHT, d.fault("swings_body") * ramp))
    upper = tg.mix("elbow_forward", 4.0, d.fault("elbow_forward") * ramp)
    for side in ("left", "right"):
        limb = pose.limb(side)
        limb.shoulder_flex = upper
        limb.shoulder_abd = np.full(n, 4.0)
        limb.elbow_flex = 180.0 - primary_track(d, tg)
    return pose


register(
    Motion(
        "elbow_flexion",
        "side",
        top=172.0,
        script=_elbow_flexion,
        faults=(
            FaultSpec("elbow_forward", neutral=0.0, default=25.0),
            FaultSpec("swings_body", neutral=UPRIGHT, default=-0.1, above=False),
            FaultSpec("too_fast", neutral=0.0, default=1.2, above=False, kind="tempo"),
        ),
    )
)


# ---- wall push-up (side view) ----------------------------------------------------------------

WALL_LEAN = 16.0  # the body's lean from vertical with the arms straight, degrees
REST_ELBOW = 170.0
HANDS_BELOW = 10.0  # the hands sit this many degrees below the shoulders' horizontal at rest
FLOOR_LEAN = 68.0  # a floor push-up's plank from vertical with the arms straight


def _body_length(line: np.ndarray, prop: Proportions) -> np.ndarray:
    """Ankle to mid-shoulder for a shoulder-hip-ankle angle `line` (deg), legs straight."""
    return np.sqrt(prop.leg**2 + prop.trunk**2 - 2 * prop.leg * prop.trunk * np.cos(np.radians(line)))


def _reach(elbow: np.ndarray | float, prop: Proportions) -> np.ndarray:
    """Shoulder to wrist for an elbow angle (deg)."""
    u, f = prop.upper_arm, prop.forearm
    return np.sqrt(u**2 + f**2 - 2 * u * f * np.cos(np.radians(elbow)))


def _wall_push_up(d: Drive, tg: Targets, prop: Proportions) -> BodyPose:
    """Feet planted, hands fixed on a wall: bending the elbows tips the straight body toward
    the wall about the ankles. A sagging body bends at the hips toward the wall."""
    return _push_up(d, tg, prop, WALL_LEAN, HANDS_BELOW, 60.0)


def _floor_push_up(d: Drive, tg: Targets, prop: Proportions) -> BodyPose:
    """The same plank pivoting about the feet, nearly horizontal, hands on the floor under the shoulders."""
    return _push_up(d, tg, prop, FLOOR_LEAN, 90.0 - FLOOR_LEAN + 2.0, 89.0)


def _push_up(
    d: Drive, tg: Targets, prop: Proportions, rest_lean: float, hands_below: float, max_lean: float
) -> BodyPose:
    n = d.frames
    ramp = fault_ramp(d.p)
    elbow = primary_track(d, tg)
    line = tg.mix("body_line", 178.0, d.fault("body_line") * ramp)
    ankle = np.array([0.0, prop.ankle_height])
    rest_length = _body_length(np.array(178.0), prop)
    lean0 = np.radians(rest_lean)
    shoulder0 = ankle + rest_length * np.array([np.sin(lean0), np.cos(lean0)])
    below = np.radians(hands_below)
    hands = shoulder0 + _reach(REST_ELBOW, prop) * np.array([np.cos(below), -np.sin(below)])

    length = _body_length(line, prop)

    def shoulder_at(lean: np.ndarray) -> np.ndarray:
        rad = np.radians(lean)
        return ankle + length[:, None] * np.stack([np.sin(rad), np.cos(rad)], axis=1)

    # Leaning in shortens the shoulder-to-hand distance, i.e. bends the elbow: solve the lean.
    reach = _reach(elbow, prop)
    lean = solve(lambda a: -np.linalg.norm(hands - shoulder_at(a), axis=1), rest_lean - 10.0, max_lean, -reach)
    shoulder = shoulder_at(lean)
    # Hips: the apex of the ankle-hip-shoulder triangle, on the wall side of the body line.
    gamma = np.arccos(np.clip((prop.leg**2 + length**2 - prop.trunk**2) / (2 * prop.leg * length), -1.0, 1.0))
    leg_angle = np.radians(lean) + gamma
    hip = ankle + prop.leg * np.stack([np.sin(leg_angle), np.cos(leg_angle)], axis=1)
    trunk = shoulder - hip

    pose = BodyPose.standing(n, prop)
    pose.pelvis = np.stack([hip[:, 0], hip[:, 1], np.zeros(n)], axis=1)
    pose.trunk_lean = np.degrees(np.arctan2(trunk[:, 0], trunk[:, 1]))
    to_hands = hands - shoulder
    dist = np.linalg.norm(to_hands, axis=1)
    u, f = prop.upper_arm, prop.forearm
    inner = np.arccos(np.clip((u**2 + dist**2 - f**2) / (2 * u * dist), -1.0, 1.0))  # elbow drops below the line
    upper = np.arctan2(to_hands[:, 1], to_hands[:, 0]) - inner
    down_trunk = np.arctan2(-trunk[:, 1], -trunk[:, 0])
    for side in ("left", "right"):
        limb = pose.limb(side)
        limb.shoulder_flex = np.degrees(np.unwrap(upper - down_trunk))
        limb.shoulder_abd = np.zeros(n)
        limb.elbow_flex = 180.0 - elbow
    return pose


register(
    Motion(
        "wall_push_up",
        "side",
        top=REST_ELBOW,
        script=_wall_push_up,
        faults=(
            FaultSpec("body_line", neutral=178.0, default=165.0, above=False),
            FaultSpec("shallow", neutral=REST_ELBOW, default=105.0, kind="depth"),
        ),
    )
)


register(
    Motion(
        "push_up",
        "side",
        top=REST_ELBOW,
        script=_floor_push_up,
        body_height=1.2,
        faults=(
            FaultSpec("body_line", neutral=178.0, default=160.0, above=False),
            FaultSpec("shallow", neutral=REST_ELBOW, default=115.0, kind="depth"),
        ),
    )
)
