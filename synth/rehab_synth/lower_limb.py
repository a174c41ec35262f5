"""Motion scripts for the lower-limb exercises beyond the squat and the lunge.

Each script drives its template's primary measure along `primary_track` and acts out the
template's faults through `Targets`, so thresholds come from the YAML, not from here.
"""

from __future__ import annotations

import numpy as np

from rehab_synth.body import SIDE_SIGN, BodyPose, Proportions, chain_hip
from rehab_synth.motions import (
    Drive,
    FaultSpec,
    Motion,
    Targets,
    _squat,
    fault_ramp,
    free_legs,
    lean_for_offset,
    leg_in_world,
    primary_track,
    raised_ankle,
    register,
    rushed,
    set_pelvis,
    shank_tilt_for_travel,
    smoothstep,
    solve,
    tilt_pelvis,
)

# ---- mini squat (side view): the squat's body, shallower, with a "too deep" limit -----------

register(
    Motion(
        "mini_squat",
        "side",
        top=176.0,
        script=_squat,
        faults=(
            FaultSpec("too_deep", neutral=176.0, default=115.0, above=False, kind="depth"),
            FaultSpec("trunk_lean", neutral=0.0, default=30.0),
            FaultSpec("too_fast", neutral=0.0, default=1.0, above=False, kind="tempo"),
        ),
    )
)


# ---- sit to stand (side view) ------------------------------------------------------------

SEATED_KNEE = 92.0  # knee angle sitting on a chair of about knee height


def _sit_to_stand(d: Drive, tg: Targets, prop: Proportions) -> BodyPose:
    """Seated at rest; the rep stands up (the knee opens) and sits back down. The trunk tips
    forward to bring the weight over the feet as the hips leave the seat, then straightens."""
    n = d.frames
    knee = primary_track(d, tg, rushed(d, "drops_into_chair", outward=False))
    u = np.clip((knee - SEATED_KNEE) / (176.0 - SEATED_KNEE), 0.0, 1.0)  # 0 seated, 1 standing
    tilt = 6.0 + 10.0 * np.sin(np.pi * u) - 4.5 * u  # shins tip forward as the hips rise
    flex = 180.0 - knee
    lean = 6.0 - 4.0 * u + 34.0 * np.sin(np.pi * np.clip(u / 0.85, 0.0, 1.0))
    # Not upright: the hips stay bent at the top. hip angle = 180 - lean - (knee flexion - shank tilt).
    aim = tg.faults["not_upright"].fault if "not_upright" in tg.faults else 152.0
    stooped = np.maximum(180.0 - (flex - tilt) - aim - lean, 0.0)
    lean = lean + d.fault("not_upright") * smoothstep((u - 0.55) / 0.35) * stooped
    pose = BodyPose.standing(n, prop)
    set_pelvis(pose, chain_hip(np.zeros(n), np.full(n, prop.ankle_height), tilt, flex, prop))
    pose.trunk_lean = lean
    for side in ("left", "right"):  # arms crossed over the chest
        pose.limb(side).shoulder_flex = np.full(n, 35.0)
        pose.limb(side).elbow_flex = np.full(n, 120.0)
    return pose


register(
    Motion(
        "sit_to_stand",
        "side",
        top=SEATED_KNEE,
        script=_sit_to_stand,
        faults=(
            FaultSpec("not_upright", neutral=170.0, default=160.0, above=False, severity=0.8),
            FaultSpec("drops_into_chair", neutral=0.0, default=-250.0, above=False),
        ),
    )
)


# ---- seated knee extension (side view) -----------------------------------------------------


def _seated_knee_extension(d: Drive, tg: Targets, prop: Proportions) -> BodyPose:
    """Seated, thighs level on the seat, shins hanging; the leading leg straightens."""
    n = d.frames
    knee = primary_track(d, tg, rushed(d, "kicks", outward=True))
    ramp = fault_ramp(d.p)
    pose = BodyPose.standing(n, prop)
    pose.trunk_lean = lean_for_offset(tg.mix("leans_back", np.sin(np.radians(5.0)), d.fault("leans_back") * ramp))
    seat = prop.ankle_height + prop.shank
    pose.pelvis = np.stack([np.zeros(n), np.full(n, seat), np.zeros(n)], axis=1)
    lift = tg.mix("thigh_lifts", 0.0, d.fault("thigh_lifts") * ramp)
    for side, sign in SIDE_SIGN.items():
        moving = d.lead * sign > 0
        thigh = np.where(moving, 90.0 + lift, 90.0)
        shank = np.where(moving, thigh - (180.0 - knee), 0.0)
        leg_in_world(pose.limb(side), thigh, shank, pose.trunk_lean)
        pose.limb(side).shoulder_flex = np.full(n, 15.0)  # hands resting on the thighs
        pose.limb(side).elbow_flex = np.full(n, 60.0)
    return pose


register(
    Motion(
        "seated_knee_extension",
        "side",
        top=90.0,
        script=_seated_knee_extension,
        unilateral=True,
        faults=(
            FaultSpec("leans_back", neutral=float(np.sin(np.radians(5.0))), default=-0.1, above=False),
            FaultSpec("thigh_lifts", neutral=0.0, default=12.0),
            FaultSpec("kicks", neutral=0.0, default=250.0),
        ),
    )
)


# ---- standing knee flexion (side view, alternating) -----------------------------------------


def _standing_knee_flexion(d: Drive, tg: Targets, prop: Proportions) -> BodyPose:
    """Standing on one leg's worth of support; the leading leg's heel comes up behind."""
    n = d.frames
    knee = primary_track(d, tg)
    ramp = fault_ramp(d.p)
    pose = BodyPose.standing(n, prop)
    pose.trunk_lean = tg.mix("trunk_lean", 3.0, d.fault("trunk_lean") * ramp)
    free_legs(pose)
    thigh = tg.mix("thigh_forward", 3.0, d.fault("thigh_forward") * ramp)
    for side, sign in SIDE_SIGN.items():
        moving = d.lead * sign > 0
        leg_in_world(
            pose.limb(side),
            np.where(moving, thigh, 0.0),
            np.where(moving, thigh - (180.0 - knee), -2.0),
            pose.trunk_lean,
        )
        pose.limb(side).shoulder_flex = np.full(n, 30.0)  # a hand on a chair back
        pose.limb(side).elbow_flex = np.full(n, 25.0)
    return pose


register(
    Motion(
        "standing_knee_flexion",
        "side",
        top=178.0,
        script=_standing_knee_flexion,
        unilateral=True,
        faults=(
            FaultSpec("thigh_forward", neutral=0.0, default=20.0),
            FaultSpec("trunk_lean", neutral=0.0, default=15.0),
            FaultSpec("too_fast", neutral=0.0, default=1.2, above=False, kind="tempo"),
        ),
    )
)


# ---- standing hip abduction (front view, alternating) ---------------------------------------


def _standing_hip_abduction(d: Drive, tg: Targets, prop: Proportions) -> BodyPose:
    """The leading leg swings out to the side, knee straight; hiking tilts the pelvis about
    the stance hip, leaning tips the trunk over the stance leg."""
    n = d.frames
    raised = primary_track(d, tg)
    ramp = fault_ramp(d.p)
    pose = BodyPose.standing(n, prop)
    pose.trunk_lean = np.full(n, 1.0)
    free_legs(pose)
    pose.trunk_tilt = -d.lead * tg.mix("trunk_lean", 1.0, d.fault("trunk_lean") * ramp)
    tilt_pelvis(pose, d.lead * tg.mix("hip_hike", 0.5, d.fault("hip_hike") * ramp), -d.lead)
    for side, sign in SIDE_SIGN.items():
        limb = pose.limb(side)
        limb.hip_abd = np.where(d.lead * sign > 0, raised, 0.0)
        limb.shoulder_abd = np.full(n, 12.0)
    return pose


register(
    Motion(
        "standing_hip_abduction",
        "front",
        top=0.0,
        script=_standing_hip_abduction,
        unilateral=True,
        faults=(
            FaultSpec("trunk_lean", neutral=0.0, default=10.0),
            FaultSpec("hip_hike", neutral=0.0, default=7.0, severity=0.6),
            FaultSpec("too_fast", neutral=0.0, default=1.2, above=False, kind="tempo"),
        ),
    )
)


# ---- heel raises (side view) ----------------------------------------------------------------


def _heel_raise(d: Drive, tg: Targets, prop: Proportions) -> BodyPose:
    """Both feet pivot on the balls, lifting the ankles; the body rises with them. The primary
    measure is the ankle's rise in torso lengths, so the heel angle is solved from it."""
    n = d.frames
    rise = primary_track(d, tg) * prop.trunk
    ramp = fault_ramp(d.p)
    r = np.hypot(prop.ball, prop.ankle_height)
    heel = np.degrees(
        np.arcsin(np.clip((prop.ankle_height + rise) / r, -1.0, 1.0)) - np.arctan2(prop.ankle_height, prop.ball)
    )
    ankle = raised_ankle(prop.ball, heel, prop)
    knee = tg.mix("knees_bend", 176.0, d.fault("knees_bend") * ramp)
    pose = BodyPose.standing(n, prop)
    set_pelvis(pose, chain_hip(ankle[:, 0], ankle[:, 1], np.full(n, 1.5), 180.0 - knee, prop))
    pose.trunk_lean = tg.mix("lean_forward", 2.0, d.fault("lean_forward") * ramp)
    for side, sign in SIDE_SIGN.items():
        pose.limb(side).ankle = np.stack([ankle[:, 0], ankle[:, 1], np.full(n, sign * prop.hip_width / 2)], axis=1)
        pose.limb(side).shoulder_flex = np.full(n, 25.0)
        pose.limb(side).elbow_flex = np.full(n, 30.0)
    return pose


register(
    Motion(
        "heel_raise",
        "side",
        top=0.0,
        script=_heel_raise,
        faults=(
            FaultSpec("knees_bend", neutral=176.0, default=160.0, above=False),
            FaultSpec("lean_forward", neutral=0.0, default=15.0),
            FaultSpec("too_fast", neutral=0.0, default=1.0, above=False, kind="tempo"),
        ),
    )
)


# ---- wall sit (side view, hold) ---------------------------------------------------------------


def _wall_sit(d: Drive, tg: Targets, prop: Proportions) -> BodyPose:
    """Sliding down a wall: the pelvis lowers with the shins near vertical and the back upright."""
    n = d.frames
    knee = primary_track(d, tg)
    ramp = fault_ramp(d.p)
    travel = tg.mix("knees_forward", 0.04, d.fault("knees_forward") * ramp)
    pose = BodyPose.standing(n, prop)
    set_pelvis(
        pose,
        chain_hip(np.zeros(n), np.full(n, prop.ankle_height), shank_tilt_for_travel(travel, prop), 180.0 - knee, prop),
    )
    pose.trunk_lean = tg.mix("leans_forward", 3.0, d.fault("leans_forward") * ramp)
    for side in ("left", "right"):
        pose.limb(side).shoulder_flex = np.full(n, 5.0)
        pose.limb(side).elbow_flex = np.full(n, 10.0)
    return pose


register(
    Motion(
        "wall_sit",
        "side",
        top=176.0,
        script=_wall_sit,
        kind="hold",
        faults=(
            FaultSpec("knees_forward", neutral=0.0, default=0.25),
            FaultSpec("leans_forward", neutral=0.0, default=20.0),
        ),
    )
)


# ---- single-leg stance (front view, hold) -----------------------------------------------------


def _lift_height(knee_flex: np.ndarray, prop: Proportions) -> np.ndarray:
    """How far a free foot rises (body heights) with the knee bent and the hip following at 30 %."""
    hip = np.radians(0.3 * knee_flex)
    return prop.thigh * (1 - np.cos(hip)) + prop.shank * (1 - np.cos(hip - np.radians(knee_flex)))


def _single_leg_stance(d: Drive, tg: Targets, prop: Proportions) -> BodyPose:
    """The leading leg's foot comes off the floor, knee bent; the patient balances on the other.
    A pelvic drop lowers the lifted side about the stance hip; a lean tips over the stance leg."""
    n = d.frames
    lift = primary_track(d, tg) * prop.trunk
    ramp = fault_ramp(d.p)
    knee_flex = solve(lambda k: _lift_height(k, prop), 0.0, 130.0, lift)
    pose = BodyPose.standing(n, prop)
    pose.trunk_lean = np.full(n, 1.0)
    free_legs(pose)
    pose.trunk_tilt = -d.lead * tg.mix("trunk_lean", 1.0, d.fault("trunk_lean") * ramp)
    tilt_pelvis(pose, -d.lead * tg.mix("hip_drop", 0.5, d.fault("hip_drop") * ramp), -d.lead)
    for side, sign in SIDE_SIGN.items():
        lifted = d.lead * sign > 0
        thigh = np.where(lifted, 0.3 * knee_flex, 0.0)
        leg_in_world(pose.limb(side), thigh, np.where(lifted, thigh - knee_flex, -2.0), pose.trunk_lean)
        pose.limb(side).shoulder_abd = np.full(n, 15.0)  # arms a little out for balance
    return pose


register(
    Motion(
        "single_leg_stance",
        "front",
        top=0.0,
        script=_single_leg_stance,
        kind="hold",
        unilateral=True,
        faults=(
            FaultSpec("trunk_lean", neutral=0.0, default=10.0),
            FaultSpec("hip_drop", neutral=0.0, default=6.0, severity=0.7),
        ),
    )
)
