"""Motion scripts: how the body moves through one rep of each exercise.

A script turns a `Drive` (per-frame rep progress, the planned extreme of the primary
measure, which faults are injected) into a `BodyPose`. It never hard-codes a template
threshold: `Targets` carries, for each fault, the value a faulty rep pushes its measure
to and the most a correct rep may use, both derived from the template's rule at
generation time, so the scripts follow template edits.

Adding an exercise: write `def _my_exercise(d, tg, prop) -> BodyPose` driving the
template's primary measure from `primary_track(d, tg)`, list its faults (rule ids of the
template) and `register(Motion(...))`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from rehab_synth.body import SIDE_SIGN, BodyPose, Limb, Proportions, View, chain_hip, ground_point


@dataclass(frozen=True)
class Drive:
    """What the timeline asks of the body, one value per frame."""

    t: np.ndarray
    p: np.ndarray  # rep progress: 0 at rest, 1 at the deepest point of the rep
    bottom: np.ndarray  # primary measure planned for the deepest point of the current rep
    lead: np.ndarray  # +1 where the left side leads the current rep (lunge step), -1 the right
    faults: Mapping[str, np.ndarray] = field(default_factory=dict)  # 1 inside reps that carry the fault

    @property
    def frames(self) -> int:
        return len(self.t)

    def fault(self, name: str) -> np.ndarray:
        return self.faults.get(name, np.zeros(self.frames))


@dataclass(frozen=True)
class FaultSpec:
    """A fault a script can act out. `rule` is the template rule id it must trip; `neutral`
    is its measure in good form (the threshold distance is measured from there); `default`
    is the threshold assumed when the template lacks the rule or it is not a simple comparison.
    A `depth` fault (shallow, or too deep) changes how far the rep goes instead of a body
    measure; a `tempo` fault (a `duration < N` rule) makes the rep faster than the limit."""

    rule: str
    neutral: float
    default: float
    above: bool = True  # the rule fires above the threshold
    kind: Literal["measure", "depth", "tempo"] = "measure"
    severity: float | None = None  # overrides the clip's severity, for measures noise hits harder


@dataclass(frozen=True)
class FaultTarget:
    threshold: float
    above: bool
    fault: float  # the value a faulty rep reaches
    safe: float  # the furthest a correct rep may go


@dataclass(frozen=True)
class Targets:
    """Template-derived aims for one clip."""

    top: float  # primary measure at rest
    faults: Mapping[str, FaultTarget]

    def good(self, rule: str, natural: np.ndarray | float) -> np.ndarray:
        """A natural value kept on the safe side of the rule's threshold."""
        t = self.faults.get(rule)
        natural = np.asarray(natural, dtype=float)
        if t is None:
            return natural
        return np.minimum(natural, t.safe) if t.above else np.maximum(natural, t.safe)

    def mix(self, rule: str, natural: np.ndarray | float, intensity: np.ndarray) -> np.ndarray:
        """Good form blended toward the fault value by intensity 0..1."""
        good = self.good(rule, natural)
        t = self.faults.get(rule)
        return good if t is None else good + intensity * (t.fault - good)


Script = Callable[[Drive, Targets, Proportions], BodyPose]


@dataclass(frozen=True)
class Motion:
    exercise_id: str
    view: View  # must match the template's view
    top: float  # the primary measure standing at rest, as this body shows it
    script: Script
    faults: tuple[FaultSpec, ...] = ()
    body_height: float = 0.7  # default share of the frame height
    kind: Literal["reps", "hold"] = "reps"
    unilateral: bool = False  # one limb moves per rep: `lead` picks it (the measured side unless alternating)

    def fault_spec(self, name: str) -> FaultSpec:
        for spec in self.faults:
            if spec.rule == name:
                return spec
        known = ", ".join(s.rule for s in self.faults) or "none"
        raise ValueError(f"unknown fault {name!r} for {self.exercise_id}; known: {known}")


MOTIONS: dict[str, Motion] = {}


def register(motion: Motion) -> Motion:
    MOTIONS[motion.exercise_id] = motion
    return motion


def get_motion(exercise_id: str) -> Motion:
    if exercise_id not in MOTIONS:
        raise ValueError(f"no motion script for {exercise_id!r}; available: {', '.join(sorted(MOTIONS))}")
    return MOTIONS[exercise_id]


# ---- shared shapes ------------------------------------------------------------------


def smoothstep(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3 - 2 * x)


def fault_ramp(p: np.ndarray, full_at: float = 0.6) -> np.ndarray:
    """A fault builds up over the first part of the descent and holds through the bottom,
    so it persists long enough for a rule's for_seconds."""
    return smoothstep(np.asarray(p) / full_at)


def primary_track(d: Drive, tg: Targets, progress: np.ndarray | None = None) -> np.ndarray:
    """The primary measure along the rep: from rest to the planned extreme."""
    q = d.p if progress is None else progress
    return tg.top + q * (d.bottom - tg.top)


def shank_tilt_for_travel(travel: np.ndarray, prop: Proportions) -> np.ndarray:
    """Shank tilt (deg) that puts the knee `travel` torso lengths ahead of the ankle."""
    return np.degrees(np.arcsin(np.clip(np.asarray(travel) * prop.trunk / prop.shank, -0.95, 0.95)))


def raised_ankle(ball_x: np.ndarray | float, heel_raise: np.ndarray, prop: Proportions) -> np.ndarray:
    """(X, Y) of an ankle whose foot pivots on the ball, heel raised by `heel_raise` degrees."""
    r = np.hypot(prop.ball, prop.ankle_height)
    a = np.radians(heel_raise) + np.arctan2(prop.ankle_height, prop.ball)
    return np.stack([np.asarray(ball_x) - r * np.cos(a), r * np.sin(a)], axis=-1)


def set_pelvis(pose: BodyPose, hip_xy: np.ndarray) -> None:
    pose.pelvis = np.stack([hip_xy[:, 0], hip_xy[:, 1], np.zeros(len(hip_xy))], axis=1)


def solve(
    f: Callable[[np.ndarray], np.ndarray], lo: float, hi: float, wanted: np.ndarray | float, iterations: int = 40
) -> np.ndarray:
    """Per-frame x in [lo, hi] with f(x) = wanted, for f increasing on [lo, hi] (vectorised
    bisection): inverts a pose's geometry when a script drives a measure it cannot set directly."""
    wanted = np.asarray(wanted, dtype=float)
    a, b = np.full(wanted.shape, lo, dtype=float), np.full(wanted.shape, hi, dtype=float)
    for _ in range(iterations):
        mid = (a + b) / 2
        below = f(mid) < wanted
        a, b = np.where(below, mid, a), np.where(below, b, mid)
    return (a + b) / 2


def rushed(d: Drive, rule: str, outward: bool) -> np.ndarray:
    """Rep progress with the movement away from rest (`outward`) or back to it squeezed into
    the middle 40 % of its time, in reps that carry `rule`: a kick, or a drop into a chair.
    Where the movement is slowest (rest, extreme) both curves meet, so the pose never jumps."""
    moving = np.gradient(d.p) > 0 if outward else np.gradient(d.p) < 0
    fast = smoothstep((d.p - 0.3) / 0.4)
    return np.where((d.fault(rule) > 0) & moving, fast, d.p)


def lean_for_offset(offset: np.ndarray) -> np.ndarray:
    """Forward trunk lean (deg) that puts the mid-shoulder `offset` torso lengths ahead of the mid-hip."""
    return np.degrees(np.arcsin(np.clip(offset, -0.95, 0.95)))


def free_legs(pose: BodyPose, knee_flex: float = 2.0) -> None:
    """Both legs hang from the pelvis (no grounded ankle), feet on the floor under the hips: for
    exercises that lift a leg. Their angles are then set per frame with `leg_in_world`."""
    prop, n = pose.prop, pose.frames
    height = prop.ankle_height + prop.thigh + prop.shank * np.cos(np.radians(knee_flex))
    pose.pelvis = np.stack([np.zeros(n), np.full(n, height), np.zeros(n)], axis=1)
    for side in ("left", "right"):
        leg_in_world(pose.limb(side), np.zeros(n), np.full(n, -knee_flex), pose.trunk_lean)


def leg_in_world(limb: Limb, thigh: np.ndarray, shank: np.ndarray, lean: np.ndarray) -> None:
    """A free leg by its segments' angles from straight down (forward positive), whatever the
    trunk does: the body model hangs free legs from a pelvis that follows the trunk's lean."""
    limb.ankle = None
    limb.hip_flex = np.asarray(thigh, dtype=float) + lean
    limb.knee_flex = np.asarray(thigh, dtype=float) - shank


def tilt_pelvis(pose: BodyPose, tilt: np.ndarray, stance: np.ndarray) -> None:
    """Frontal pelvic obliquity (the person's left hip up, deg) pivoting about the stance hip,
    whose height stays put: hiking or dropping the other side. `stance`: +1 left, -1 right."""
    pose.pelvis_tilt = tilt
    pose.pelvis = pose.pelvis.copy()
    pose.pelvis[:, 1] -= stance * pose.prop.hip_width / 2 * np.sin(np.radians(tilt))


# ---- squat (side view) --------------------------------------------------------------


def _squat(d: Drive, tg: Targets, prop: Proportions) -> BodyPose:
    n = d.frames
    knee = primary_track(d, tg)
    depth = np.clip((tg.top - knee) / (tg.top - 90.0), 0.0, 1.3)  # 1 at a thighs-near-parallel squat
    ramp = fault_ramp(d.p)
    # Hips go back and the chest comes forward with depth; the shins tilt a little.
    lean = tg.mix("trunk_lean", 2.0 + 28.0 * depth, d.fault("trunk_lean") * ramp)
    travel = tg.mix("knee_past_toes", 0.26 * depth, d.fault("knee_past_toes") * ramp)
    pose = BodyPose.standing(n, prop)
    set_pelvis(
        pose,
        chain_hip(np.zeros(n), np.full(n, prop.ankle_height), shank_tilt_for_travel(travel, prop), 180.0 - knee, prop),
    )
    pose.trunk_lean = lean
    for side in ("left", "right"):
        limb = pose.limb(side)
        limb.shoulder_flex = lean + 80.0 * np.minimum(depth, 1.0)  # arms reach forward to balance
        limb.elbow_flex = np.full(n, 10.0)
    return pose


register(
    Motion(
        "squat",
        "side",
        top=176.0,
        script=_squat,
        faults=(
            FaultSpec("shallow", neutral=176.0, default=100.0, kind="depth"),
            FaultSpec("trunk_lean", neutral=0.0, default=45.0),
            FaultSpec("knee_past_toes", neutral=0.0, default=0.45),
        ),
    )
)


# ---- forward lunge (side view) ------------------------------------------------------

STEP_SHARE = 0.3  # share of the progress spent stepping forward before lowering
HEEL_RAISE = 45.0  # rear heel at the bottom, degrees
LANDING_FLEX = 10.0  # front knee flexion as the foot lands


def _lunge(d: Drive, tg: Targets, prop: Proportions) -> BodyPose:
    n = d.frames
    q_step = smoothstep(d.p / STEP_SHARE)
    q_low = np.clip((d.p - STEP_SHARE) / (1 - STEP_SHARE), 0.0, 1.0)
    faulty_knee = d.fault("knee_past_toes")
    depth = np.clip((tg.top - d.bottom) / (tg.top - 90.0), 0.0, 1.3)
    lean = tg.mix("trunk_lean", 2.0 + 6.0 * q_low * depth, d.fault("trunk_lean") * fault_ramp(q_low))

    # At the bottom both knees reach the planned angle (the engine averages them for `both`):
    # the front leg sets the pelvis, the stride puts the rear ankle where the rear knee matches.
    bottom_flex = 180.0 - d.bottom
    tilt_bottom = shank_tilt_for_travel(tg.mix("knee_past_toes", 0.25 * depth, faulty_knee), prop)
    hip_bottom = chain_hip(np.zeros(n), np.full(n, prop.ankle_height), tilt_bottom, bottom_flex, prop)
    rear_bottom = raised_ankle(prop.ball, np.full(n, HEEL_RAISE), prop)
    reach = np.sqrt(prop.thigh**2 + prop.shank**2 - 2 * prop.thigh * prop.shank * np.cos(np.radians(d.bottom)))
    rise = hip_bottom[:, 1] - rear_bottom[:, 1]
    stride = rear_bottom[:, 0] + np.sqrt(np.maximum(reach**2 - rise**2, 0.0)) - hip_bottom[:, 0]

    # Landing: front leg nearly straight, pelvis a little behind the middle of the stance.
    tilt_land = -np.degrees(np.arcsin(np.clip(0.55 * stride / prop.leg, 0, 0.9))) + LANDING_FLEX / 2
    shape = q_low + faulty_knee * (fault_ramp(q_low) - q_low)  # a knee-forward lunge drives the shin early
    tilt = tilt_land + shape * (tilt_bottom - tilt_land)
    flex = LANDING_FLEX + q_low * (bottom_flex - LANDING_FLEX)
    front_x = stride * q_step
    lowering = chain_hip(front_x, np.full(n, prop.ankle_height), tilt, flex, prop)
    standing = chain_hip(np.zeros(n), np.full(n, prop.ankle_height), np.full(n, 1.5), np.full(n, 4.0), prop)
    landing = chain_hip(stride, np.full(n, prop.ankle_height), tilt_land, np.full(n, LANDING_FLEX), prop)
    stepping = standing + q_step[:, None] * (landing - standing)
    pose = BodyPose.standing(n, prop)
    set_pelvis(pose, np.where((q_low > 0)[:, None], lowering, stepping))
    pose.trunk_lean = lean

    # The front foot slides forward low (a high swing would bend its knee into the rep band).
    front = ground_point(front_x, 0.0, prop, lift=0.012 * np.sin(np.pi * q_step))
    rear_xy = raised_ankle(prop.ball, HEEL_RAISE * (0.3 * q_step + 0.7 * q_low), prop)
    rear = np.stack([rear_xy[:, 0], rear_xy[:, 1], np.zeros(n)], axis=1)
    for side, sign in SIDE_SIGN.items():
        leads = (d.lead * sign > 0)[:, None]
        ankle = np.where(leads, front, rear)
        ankle[:, 2] = sign * prop.hip_width / 2
        pose.limb(side).ankle = ankle
        pose.limb(side).elbow_flex = np.full(n, 12.0)
    return pose


register(
    Motion(
        "lunge",
        "side",
        top=176.0,
        script=_lunge,
        faults=(
            FaultSpec("shallow", neutral=176.0, default=105.0, kind="depth"),
            FaultSpec("trunk_lean", neutral=0.0, default=30.0),
            FaultSpec("knee_past_toes", neutral=0.0, default=0.45),
        ),
    )
)


# ---- shoulder abduction (front view) ------------------------------------------------


def _shoulder_abduction(d: Drive, tg: Targets, prop: Proportions) -> BodyPose:
    n = d.frames
    ramp = fault_ramp(d.p)
    raised = primary_track(d, tg)  # the mean of both arms, which is what `both` measures
    gap = tg.mix("uneven_arms", 0.0, d.fault("uneven_arms") * ramp)  # the right arm lags
    elbow = tg.mix("bent_elbows", 176.0, d.fault("bent_elbows") * ramp)
    pose = BodyPose.standing(n, prop, stance=0.2)
    pose.trunk_tilt = tg.mix("trunk_tilt", 0.0, d.fault("trunk_tilt") * ramp)
    pose.trunk_lean = np.full(n, 1.0)
    for side, sign in SIDE_SIGN.items():
        limb = pose.limb(side)
        limb.shoulder_flex = np.zeros(n)
        limb.shoulder_abd = raised + sign * gap / 2
        limb.elbow_flex = 180.0 - elbow
        limb.elbow_plane = "frontal"  # bent elbows show in a front view only if they fold in its plane
    return pose


register(
    Motion(
        "shoulder_abduction",
        "front",
        top=10.0,
        script=_shoulder_abduction,
        body_height=0.6,
        faults=(
            FaultSpec("bent_elbows", neutral=180.0, default=140.0, above=False),
            FaultSpec("trunk_tilt", neutral=0.0, default=12.0),
            # A difference of two angles carries the noise of both arms: push it further.
            FaultSpec("uneven_arms", neutral=0.0, default=25.0, severity=0.6),
        ),
    )
)
