"""Synthetic exercise clips: keypoint streams with exact ground truth.

    clip = generate("squat", reps=5, seed=1, faults={2: ["trunk_lean"]}, partial_reps=[4])
    clip.write("squat.jsonl"); clip.reps  # when each rep starts and ends, which faults it carries

`compose` strings segments together (nobody in view, walking in, standing, reps, walking
out) and can add a bystander. The motion is planned from the exercise template: the
primary measure's thresholds set rep depth, each rule's threshold sets how far a fault
goes and how far good form stays away from it.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np

from rehab_coach.engine.templates import Template, load_template_by_id
from rehab_coach.keypoints.stream import StreamHeader, write_stream
from rehab_coach.keypoints.types import Person, PoseFrame
from rehab_synth.body import SIDE_SIGN, BodyPose, Camera, Facing, Proportions, View, base_confidence, joints_3d
from rehab_synth.geometry import finite_or_none, hold_mask, measures, rep_window, rule_hits, rule_threshold
from rehab_synth.motions import Drive, FaultTarget, Motion, Targets, get_motion
from rehab_synth.noise import NoiseConfig, apply_noise, noise_config

log = logging.getLogger(__name__)

MIN_JOINT_CONF = 0.3  # a joint below this does not help a detector see the person
MIN_DETECTED_JOINTS = 4
PARTIAL_SHARE = 0.45  # how far a partial rep goes, as a share of a whole one


# ---- segments -----------------------------------------------------------------------


@dataclass(frozen=True)
class Stand:
    """Standing still at rest (sway comes from the noise)."""

    seconds: float = 2.0


@dataclass(frozen=True)
class Absent:
    """Nobody in view."""

    seconds: float = 2.0


@dataclass(frozen=True)
class Walk:
    """Walking into the exercise spot from off-frame, or away out of the frame.
    `edge` defaults to behind the person coming in and ahead of them going out."""

    seconds: float = 2.0
    direction: Literal["in", "out"] = "in"
    edge: Literal["left", "right"] | None = None


@dataclass(frozen=True)
class Reps:
    """A set of reps. Rep indices in `faults` and `partial` count from 0 within this set.

    tempo: seconds moving per rep (down + up), split by `down_share`; `pause_bottom` at the
    extreme (default 0.3 s; for hold exercises the hold: its prescribed time plus a second,
    half of it for a `partial` hold, released early); `rest` standing between reps. depth: share
    of the way from rest to the template's goal, or `target`: the primary measure's value at
    the extreme. `lead`: which leg steps first in stepping exercises. `variation` scales the
    small random differences between reps (tempo +-5 %, depth +-1.5 % of the range).
    """

    count: int = 5
    tempo: float = 2.5
    depth: float = 1.0
    target: float | None = None
    faults: Mapping[int, Sequence[str] | str] = field(default_factory=dict)
    partial: Sequence[int] = ()
    rest: float = 1.0
    down_share: float = 0.5
    pause_bottom: float | None = None
    lead: Literal["alternate", "left", "right"] = "alternate"
    variation: float = 1.0


Segment = Stand | Absent | Walk | Reps


@dataclass(frozen=True)
class Bystander:
    """Someone else in view, further back (smaller, feet higher in the image), facing the camera."""

    x: float = 0.88  # share of the frame width
    height: float = 0.45  # body height, share of the frame height
    floor: float = 0.78  # feet, share of the frame height
    start: float = 0.0
    end: float | None = None
    first: bool = True  # listed before the patient, so nothing may rely on order
    waves: bool = True  # raises an arm now and then, to look busy to a tracker


# ---- the clip -----------------------------------------------------------------------


@dataclass
class SyntheticClip:
    exercise_id: str
    view: View
    fps: float
    width: int
    height: int
    frames: list[PoseFrame]
    reps: list[dict[str, Any]]  # ground truth, see `_rep_truth`
    hold_intervals: list[tuple[float, float]]
    clean: np.ndarray  # (T, 17, 3) the patient's keypoints before noise; NaN where absent
    clean_world: np.ndarray  # (T, 17, 3) the same joints in 3D (body units, y up); NaN where absent
    measures: dict[str, np.ndarray]  # the template's measures on `clean`
    camera: Camera
    seed: int

    @property
    def t(self) -> np.ndarray:
        return np.array([f.t for f in self.frames])

    @property
    def duration(self) -> float:
        return len(self.frames) / self.fps

    @property
    def rep_count(self) -> int:
        return sum(1 for r in self.reps if r["complete"])

    @property
    def partial_count(self) -> int:
        return sum(1 for r in self.reps if not r["complete"] and r["start_t"] is not None)

    def header(self) -> StreamHeader:
        return StreamHeader(self.width, self.height, self.fps)

    def write(self, path: Path | str) -> Path:
        """Write the clip as a JSONL keypoint stream (see rehab_coach/keypoints/stream.py)."""
        path = Path(path)
        write_stream(path, self.header(), self.frames)
        return path

    def ground_truth(self) -> dict[str, Any]:
        return {
            "exercise": self.exercise_id,
            "view": self.view,
            "fps": self.fps,
            "seed": self.seed,
            "frames": len(self.frames),
            "duration": round(self.duration, 3),
            "rep_count": self.rep_count,
            "partial_count": self.partial_count,
            "reps": self.reps,
            "hold_intervals": [[round(a, 3), round(b, 3)] for a, b in self.hold_intervals],
        }


# ---- public API ---------------------------------------------------------------------


def generate(
    exercise_id: str,
    reps: int = 5,
    *,
    fps: float = 30.0,
    seed: int = 0,
    tempo: float = 2.5,
    depth: float = 1.0,
    target: float | None = None,
    faults: Mapping[int, Sequence[str] | str] | None = None,
    partial_reps: Sequence[int] = (),
    stand_before: float = 2.0,
    stand_after: float = 2.0,
    rest: float = 1.0,
    pause_bottom: float | None = None,
    lead: Literal["alternate", "left", "right"] = "alternate",
    variation: float = 1.0,
    **options: Any,
) -> SyntheticClip:
    """Stand, do `reps` reps, stand. `options` go to `compose` (noise, view, facing, width,
    height, body_height, bystander, template, severity, margin)."""
    rep_set = Reps(
        reps,
        tempo,
        depth,
        target,
        faults or {},
        tuple(partial_reps),
        rest,
        pause_bottom=pause_bottom,
        lead=lead,
        variation=variation,
    )
    return compose(exercise_id, [Stand(stand_before), rep_set, Stand(stand_after)], fps=fps, seed=seed, **options)


def standing_still(seconds: float = 5.0, exercise_id: str = "squat", **options: Any) -> SyntheticClip:
    """A person standing at rest in the exercise's view: no reps may be counted."""
    return compose(exercise_id, [Stand(seconds)], **options)


def compose(
    exercise_id: str,
    segments: Sequence[Segment],
    *,
    fps: float = 30.0,
    seed: int = 0,
    noise: NoiseConfig | str | None = "medium",
    view: View | None = None,
    facing: Facing = "right",
    width: int = 1280,
    height: int = 720,
    body_height: float | None = None,
    bystander: Bystander | None = None,
    template: Template | None = None,
    motion: Motion | None = None,
    severity: float = 0.35,
    margin: float = 0.25,
    yaw: float | None = None,
    world_noise: float | None = None,
) -> SyntheticClip:
    """Build a clip from segments. severity: how far past a rule's threshold a fault goes,
    margin: how far inside it good form stays, both as shares of the distance from the
    measure's neutral value to the threshold. yaw: degrees the patient is turned away from the
    exercise's view (default 10 side-on, 0 facing; real patients stand 30-60 degrees off as
    often as not; for a side view facing right, negative turns the chest toward the camera). world_noise: when set, each person also carries 3D points
    (as BlazePose's world landmarks) with this standard deviation, in body heights."""
    template = template or load_template_by_id(exercise_id)
    motion = motion or get_motion(exercise_id)  # a motion of one's own (not registered), or the exercise's
    view = view or template.view
    if motion.view != template.view:
        log.warning(
            "%s: motion script is for a %s view, the template for a %s view", exercise_id, motion.view, template.view
        )
    plan_rng, noise_rng, crowd_rng, detect_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(4)
    )
    targets = build_targets(motion, template, severity, margin)
    camera = Camera(view, facing, yaw=yaw if yaw is not None else (10.0 if view == "side" else 0.0))
    if motion.unilateral and template.side != "alternating":
        # One limb moves: the one the template measures, or in `auto` the one nearer the camera.
        side = template.side if template.side in ("left", "right") else camera.near_side or "left"
        segments = [replace(seg, lead=side) if isinstance(seg, Reps) else seg for seg in segments]
    timeline = _Timeline.build(segments, fps, _DepthPlanner(template, motion), camera, plan_rng)
    pose = motion.script(timeline.drive(), targets, Proportions())
    _add_gait(pose, timeline.gait)
    j3 = joints_3d(pose)
    camera, spot = _fit_camera(
        camera, j3[timeline.present & np.isnan(timeline.gait)], width, height, body_height or motion.body_height
    )
    xy = camera.project(j3)
    xy[..., 0] += _walk_shift(timeline.walk, spot, width)[:, None]
    clean = np.concatenate([xy, np.broadcast_to(base_confidence(camera), xy.shape[:2])[..., None]], axis=-1)
    clean[~timeline.present] = np.nan
    clean[~timeline.present, :, 2] = 0.0

    values = measures(clean, template, _bare_side(template, camera, timeline.lead), fps, view)
    if template.kind == "hold":
        truth = [_hold_truth(plan, timeline, values, template, hold_mask(values, template)) for plan in timeline.plans]
        holds = [(r["start_t"], r["end_t"]) for r in truth if r["start_t"] is not None]
    else:
        truth = [_rep_truth(plan, timeline, values, template) for plan in timeline.plans]
        holds = []

    noisy = apply_noise(clean, timeline.t, noise_config(noise), noise_rng)
    patient = _detections(noisy, clean, timeline.present, camera.scale, width, height, detect_rng)
    world = np.where(timeline.present[:, None, None], j3, np.nan)
    if world_noise is not None:
        noisy_world = world + noise_rng.normal(0.0, world_noise, world.shape)
        patient = [replace(p, world=noisy_world[i]) if p is not None else None for i, p in enumerate(patient)]
    others = _bystander_people(bystander, timeline.t, noise_config(noise), width, height, crowd_rng)
    frames = []
    for i, t in enumerate(timeline.t):
        people = [p for p in (patient[i],) if p is not None]
        if others[i] is not None:
            people = [others[i], *people] if bystander and bystander.first else [*people, others[i]]
        frames.append(PoseFrame(t=round(float(t), 6), people=people, width=width, height=height))
    return SyntheticClip(
        exercise_id, view, fps, width, height, frames, truth, holds, clean, world, values, camera, seed
    )


# ---- template-derived targets -------------------------------------------------------


def build_targets(motion: Motion, template: Template, severity: float, margin: float) -> Targets:
    """Per fault: its threshold (from the template rule when it is a simple comparison), the
    value a faulty rep reaches and the furthest a correct rep may go."""
    rules = {r.id: r for r in template.rules}
    faults: dict[str, FaultTarget] = {}
    for spec in motion.faults:
        if spec.kind in ("depth", "tempo"):
            continue
        found = rule_threshold(rules[spec.rule], template.params) if spec.rule in rules else None
        if found is None:
            log.info(
                "%s: no simple threshold for %s in the template; using %s", motion.exercise_id, spec.rule, spec.default
            )
        value, above = (found.value, found.above) if found else (spec.default, spec.above)
        distance = abs(value - spec.neutral) or abs(value) or 1.0
        sign = 1.0 if above else -1.0
        push = severity if spec.severity is None else spec.severity
        faults[spec.rule] = FaultTarget(value, above, value + sign * push * distance, value - sign * margin * distance)
    return Targets(motion.top, faults)


SHALLOW_AT = 0.7  # a shallow rep's extreme, as a share of the way from the depth rule's limit to the target
OVERSHOOT = 0.12  # a too-deep rep goes this share of the rest-to-limit range past the limit
TEMPO_FAULT_SHARE = 0.7  # a too-fast rep lasts this share of the duration rule's limit
HOLD_EXTRA = 1.0  # seconds a complete hold stays in position after the prescribed time
HOLD_PARTIAL_SHARE = 0.5  # a released hold lasts this share of the prescribed time


class _DepthPlanner:
    """The primary measure's planned extreme for each kind of rep, and the timing of faulty
    (too fast) reps and of holds."""

    def __init__(self, template: Template, motion: Motion) -> None:
        pr = template.primary
        self.motion = motion
        self.sign = -1.0 if pr.direction == "down" else 1.0  # the way the primary moves in a rep
        self.top, self.start, self.target = motion.top, pr.start, pr.target
        self.range = abs(pr.goal - motion.top)
        self.hold_seconds = template.hold.seconds if template.hold else None
        rules = {r.id: r for r in template.rules}
        self.depth: dict[str, float] = {}  # depth fault -> the extreme a faulty rep reaches
        self.tempo: dict[str, float] = {}  # tempo fault -> the duration limit of its rule
        goal = pr.goal
        for spec in motion.faults:
            if spec.kind not in ("depth", "tempo"):
                continue
            found = rule_threshold(rules[spec.rule], template.params) if spec.rule in rules else None
            limit = found.value if found else spec.default
            if spec.kind == "tempo":
                self.tempo[spec.rule] = limit
                continue
            above = found.above if found else spec.above
            if above == (self.sign > 0):  # the rule fires beyond the limit: too deep, too high
                # A correct rep stops clearly short of it: 10 % of the range.
                clear = limit - self.sign * 0.1 * abs(limit - motion.top)
                goal = clear if self.sign * (goal - clear) > 0 else goal
                self.depth[spec.rule] = limit + self.sign * OVERSHOOT * abs(limit - motion.top)
                continue
            # A correct rep passes the depth rule clearly: 10 % of the range beyond it.
            clear = limit + self.sign * 0.1 * abs(limit - motion.top)
            goal = clear if self.sign * (clear - goal) > 0 else goal
            if self.sign * (pr.target - limit) < 0:  # reaching the target still leaves it shallow
                # Nearer the target than the limit: noise pulls a rep's extreme deeper, which
                # helps it reach the target but could carry it past the limit.
                self.depth[spec.rule] = limit + SHALLOW_AT * (pr.target - limit)
            else:
                self.depth[spec.rule] = (limit + pr.start) / 2
        self.goal = goal

    def bottom(self, depth: float, target: float | None, faults: Sequence[str], partial: bool, jitter: float) -> float:
        if partial and self.hold_seconds is None:
            # A real partial rep is a clearly smaller movement than the patient's own reps (a half
            # rep, a rep cut by the clip's edge), not a value between the template's thresholds.
            return self.top + PARTIAL_SHARE * (self.goal - self.top) + jitter
        for name in faults:
            if name in self.depth:
                return self.depth[name] + jitter
        if target is not None:
            return target
        return self.top + depth * (self.goal - self.top) + jitter

    def pause(self, pause: float | None, partial: bool) -> float:
        if self.hold_seconds is None:
            return 0.3 if pause is None else pause
        if partial:
            return HOLD_PARTIAL_SHARE * self.hold_seconds
        return self.hold_seconds + HOLD_EXTRA if pause is None else pause

    def timing(self, down: float, pause: float, up: float, faults: Sequence[str]) -> tuple[float, float, float]:
        """A too-fast rep squeezes down, pause and up into a share of its rule's limit."""
        limits = [self.tempo[f] for f in faults if f in self.tempo]
        if not limits:
            return down, pause, up
        squeeze = TEMPO_FAULT_SHARE * min(limits) / (down + pause + up)
        return down * squeeze, pause * squeeze, up * squeeze


# ---- timeline -----------------------------------------------------------------------


@dataclass
class _RepPlan:
    index: int
    start: float
    bottom_start: float
    bottom_end: float
    end: float
    bottom: float
    faults: tuple[str, ...]
    partial: bool
    lead: float


def _ease(u: np.ndarray) -> np.ndarray:
    return (1 - np.cos(np.pi * np.clip(u, 0.0, 1.0))) / 2


@dataclass
class _Timeline:
    t: np.ndarray
    p: np.ndarray
    bottom: np.ndarray
    lead: np.ndarray
    faults: dict[str, np.ndarray]
    present: np.ndarray
    walk: np.ndarray  # 0 at the spot, -1/+1 fully off the left/right edge
    gait: np.ndarray  # walking phase in radians, NaN when not walking
    plans: list[_RepPlan]

    @classmethod
    def build(
        cls, segments: Sequence[Segment], fps: float, planner: _DepthPlanner, camera: Camera, rng: np.random.Generator
    ) -> _Timeline:
        spans, plans, t0 = [], [], 0.0
        for seg in segments:
            if isinstance(seg, Reps):
                seg_plans = _plan_reps(seg, t0, len(plans), planner, rng)
                plans += seg_plans
                end = seg_plans[-1].end if seg_plans else t0
                spans.append((seg, t0, end))
                t0 = end
            else:
                spans.append((seg, t0, t0 + seg.seconds))
                t0 += seg.seconds
        t = np.arange(int(round(t0 * fps))) / fps
        tl = cls(
            t,
            np.zeros_like(t),
            np.full_like(t, planner.top),
            np.ones_like(t),
            {},
            np.ones(t.shape, bool),
            np.zeros_like(t),
            np.full_like(t, np.nan),
            plans,
        )
        for seg, a, b in spans:
            tl._fill(seg, (t >= a) & (t < b), a, b, camera)
        for plan in plans:
            tl._fill_rep(plan)
        return tl

    def _fill(self, seg: Segment, sel: np.ndarray, a: float, b: float, camera: Camera) -> None:
        if isinstance(seg, Absent):
            self.present[sel] = False
        elif isinstance(seg, Walk):
            ahead = 1.0 if camera.facing == "right" or camera.view == "front" else -1.0
            edge = {"left": -1.0, "right": 1.0}[seg.edge] if seg.edge else (-ahead if seg.direction == "in" else ahead)
            u = (self.t[sel] - a) / max(b - a, 1e-9)
            self.walk[sel] = edge * ((1 - u) if seg.direction == "in" else u)
            self.gait[sel] = 2 * np.pi * 0.9 * (self.t[sel] - a)

    def _fill_rep(self, plan: _RepPlan) -> None:
        t = self.t
        sel = (t >= plan.start) & (t < plan.end)
        down = _ease((t - plan.start) / max(plan.bottom_start - plan.start, 1e-9))
        up = _ease((plan.end - t) / max(plan.end - plan.bottom_end, 1e-9))
        self.p[sel] = np.where(t[sel] < plan.bottom_start, down[sel], np.where(t[sel] <= plan.bottom_end, 1.0, up[sel]))
        self.bottom[sel] = plan.bottom
        self.lead[(t >= plan.start) & (t < plan.end + 0.5)] = plan.lead
        for name in plan.faults:
            self.faults.setdefault(name, np.zeros_like(t))[sel] = 1.0

    def drive(self) -> Drive:
        return Drive(self.t, self.p, self.bottom, self.lead, self.faults)


def _plan_reps(
    seg: Reps, t0: float, first_index: int, planner: _DepthPlanner, rng: np.random.Generator
) -> list[_RepPlan]:
    plans, t = [], t0
    for k in range(seg.count):
        names = seg.faults.get(k, ())
        names = (names,) if isinstance(names, str) else tuple(names)
        for name in names:
            planner.motion.fault_spec(name)  # unknown names fail here, listing the known ones
        stretch = 1 + seg.variation * 0.05 * float(np.clip(rng.normal(), -2, 2))
        jitter = seg.variation * 0.015 * planner.range * float(rng.uniform(-1, 1))
        down, up = seg.tempo * seg.down_share * stretch, seg.tempo * (1 - seg.down_share) * stretch
        pause = planner.pause(seg.pause_bottom, k in seg.partial)
        down, pause, up = planner.timing(down, pause, up, names)
        bottom = planner.bottom(seg.depth, seg.target, names, k in seg.partial, jitter)
        lead = {"left": 1.0, "right": -1.0}.get(seg.lead, 1.0 if k % 2 == 0 else -1.0)
        plan = _RepPlan(
            first_index + k, t, t + down, t + down + pause, t + down + pause + up, bottom, names, k in seg.partial, lead
        )
        plans.append(plan)
        t = plan.end + (seg.rest if k < seg.count - 1 else 0.0)
    return plans


def _add_gait(pose: BodyPose, phase: np.ndarray) -> None:
    """Steps while walking: grounded feet swing forward and back, arms counter-swing."""
    walking = np.isfinite(phase)
    if not walking.any():
        return
    for side, sign in SIDE_SIGN.items():
        own = np.nan_to_num(phase) + (0.0 if sign > 0 else np.pi)
        swing = np.where(walking, np.sin(own), 0.0)
        limb = pose.limb(side)
        if limb.ankle is not None:
            limb.ankle = limb.ankle.copy()
            limb.ankle[:, 0] += 0.12 * swing
            limb.ankle[:, 1] += 0.04 * np.where(walking, np.maximum(np.cos(own), 0.0), 0.0)
        else:
            limb.hip_flex = limb.hip_flex + 20.0 * swing
        limb.shoulder_flex = limb.shoulder_flex - 15.0 * swing


# ---- camera and detections ----------------------------------------------------------

HEAD_TOP = 0.07  # top of the head above the eyes, body heights
FIT_SHARE = 0.94  # the motion's extent fills at most this share of the frame


def _fit_camera(
    camera: Camera, j3: np.ndarray, width: int, height: int, body_height: float
) -> tuple[Camera, tuple[float, float]]:
    """Scale and place the body so everything it does at the spot stays in frame."""
    unit = (
        Camera(camera.view, camera.facing, camera.yaw, 1.0, (0.0, 0.0)).project(j3) if len(j3) else np.zeros((1, 1, 2))
    )
    x0, x1 = float(unit[..., 0].min()) - 0.05, float(unit[..., 0].max()) + 0.05
    y0, y1 = float(unit[..., 1].min()) - HEAD_TOP, max(float(unit[..., 1].max()), 0.0) + 0.02
    scale = min(body_height * height, FIT_SHARE * height / (y1 - y0), FIT_SHARE * width / (x1 - x0))
    if scale < body_height * height:
        log.info("body scaled to %.2f of the frame height so the whole motion fits", scale / height)
    origin = (width / 2 - scale * (x0 + x1) / 2, height / 2 - scale * (y0 + y1) / 2)
    fitted = Camera(camera.view, camera.facing, camera.yaw, scale, origin)
    return fitted, (origin[0] + scale * x0, origin[0] + scale * x1)


def _walk_shift(walk: np.ndarray, spot: tuple[float, float], width: int) -> np.ndarray:
    """Pixels to shift the body so that walk = -1/+1 puts it just beyond the left/right edge."""
    return np.where(walk < 0, walk * (spot[1] + 30.0), walk * (width - spot[0] + 30.0))


def _bare_side(template: Template, camera: Camera, lead: np.ndarray) -> np.ndarray | str:
    if template.side == "both":
        return "both"
    if template.side == "alternating":
        return np.where(lead > 0, "left", "right")
    if template.side in ("left", "right"):
        return template.side
    return camera.near_side or "left"


def _in_frame(xy: np.ndarray, width: int, height: int) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return (xy[..., 0] >= 0) & (xy[..., 0] < width) & (xy[..., 1] >= 0) & (xy[..., 1] < height)


def _detections(
    noisy: np.ndarray,
    clean: np.ndarray,
    present: np.ndarray,
    scale: float,
    width: int,
    height: int,
    rng: np.random.Generator,
) -> list[Person | None]:
    """One Person per frame where a detector would find the body; joints outside the frame
    are missing (NaN, confidence 0); the box is the detector's, around the true body."""
    kp = noisy.copy()
    outside = ~_in_frame(kp[..., :2], width, height)
    kp[outside] = np.nan
    kp[outside, 2] = 0.0
    seen = (kp[..., 2] >= MIN_JOINT_CONF) & np.isfinite(kp[..., 0])
    inside = _in_frame(clean[..., :2], width, height)
    scores = np.clip(0.9 + rng.normal(0, 0.03, size=len(kp)), 0.5, 0.99)
    people: list[Person | None] = []
    for i in range(len(kp)):
        if not present[i] or seen[i].sum() < MIN_DETECTED_JOINTS or not inside[i].any():
            people.append(None)
            continue
        pts = clean[i, inside[i], :2]
        lo = pts.min(axis=0) - np.array([0.04, HEAD_TOP + 0.02]) * scale
        hi = pts.max(axis=0) + np.array([0.04, 0.03]) * scale
        box = np.clip(np.concatenate([lo, hi]), 0, [width, height, width, height])
        people.append(Person(kp[i], box, float(scores[i])))
    return people


def _bystander_people(
    spec: Bystander | None, t: np.ndarray, cfg: NoiseConfig, width: int, height: int, rng: np.random.Generator
) -> list[Person | None]:
    if spec is None:
        return [None] * len(t)
    pose = BodyPose.standing(len(t), stance=0.2)
    if spec.waves:
        pose.left.shoulder_abd = 8.0 + 80.0 * np.maximum(np.sin(2 * np.pi * 0.2 * t), 0.0) ** 2
    camera = Camera("front", scale=spec.height * height, origin=(spec.x * width, spec.floor * height))
    xy = camera.project(joints_3d(pose))
    clean = np.concatenate([xy, np.broadcast_to(base_confidence(camera), xy.shape[:2])[..., None] * 0.95], axis=-1)
    noisy = apply_noise(clean, t, cfg.scaled(spec.height / 0.7), rng)
    active = (t >= spec.start) & (t < (spec.end if spec.end is not None else math.inf))
    return _detections(noisy, clean, active, camera.scale, width, height, rng)


# ---- ground truth -------------------------------------------------------------------


def _rep_truth(plan: _RepPlan, tl: _Timeline, values: dict[str, np.ndarray], template: Template) -> dict[str, Any]:
    """One rep as the engine should see it. start_t/end_t: when the clean primary leaves and
    regains the rest band (the engine's rep span), None if it never crosses `start`;
    expected_faults: the template rules the clean keypoints trip, which should equal the
    injected `faults`."""
    fps = 1.0 / (tl.t[1] - tl.t[0]) if len(tl.t) > 1 else 30.0
    primary = values[template.primary.measure]
    lo = int(np.searchsorted(tl.t, plan.start))
    following = [p.start for p in tl.plans if p.start > plan.start]
    hi = int(np.searchsorted(tl.t, following[0])) if following else len(tl.t)
    window = rep_window(primary, template.primary, lo, hi)
    extreme_fn = np.nanmin if template.primary.direction == "down" else np.nanmax
    extreme = float(extreme_fn(primary[lo:hi])) if hi > lo else math.nan
    sign = 1.0 if template.primary.direction == "down" else -1.0
    complete = window is not None and sign * (extreme - template.primary.target) <= 0
    expected = rule_hits(values, template, window, fps) if window else []
    injected = list(plan.faults)
    if set(expected) != set(injected) and not (plan.partial and set(injected) <= set(expected)):
        log.warning(
            "%s rep %d: injected faults %s but the clean keypoints trip %s",
            template.id,
            plan.index,
            injected or "none",
            expected or "none",
        )
    return {
        "index": plan.index,
        "start_t": round(float(tl.t[window[0]]), 3) if window else None,
        "end_t": round(float(tl.t[window[1]]), 3) if window else None,
        "move_start_t": round(plan.start, 3),
        "bottom_t": round((plan.bottom_start + plan.bottom_end) / 2, 3),
        "move_end_t": round(plan.end, 3),
        "complete": bool(complete),
        "partial": plan.partial,
        "extreme": finite_or_none(extreme),
        "planned_extreme": round(plan.bottom, 2),
        "lead": "left" if plan.lead > 0 else "right",
        "faults": injected,
        "expected_faults": expected,
    }


def _hold_truth(
    plan: _RepPlan, tl: _Timeline, values: dict[str, np.ndarray], template: Template, in_position: np.ndarray
) -> dict[str, Any]:
    """One hold as the engine should time it: from the first frame in position to the
    prescribed time (complete) or to the last frame in position (released)."""
    assert template.hold is not None
    fps = 1.0 / (tl.t[1] - tl.t[0]) if len(tl.t) > 1 else 30.0
    lo, hi = int(np.searchsorted(tl.t, plan.start)), int(np.searchsorted(tl.t, plan.end + 0.5))
    inside = np.flatnonzero(in_position[lo:hi])
    base = {
        "index": plan.index,
        "move_start_t": round(plan.start, 3),
        "move_end_t": round(plan.end, 3),
        "bottom_t": round((plan.bottom_start + plan.bottom_end) / 2, 3),
        "partial": plan.partial,
        "lead": "left" if plan.lead > 0 else "right",
        "faults": list(plan.faults),
        "extreme": None,
        "planned_extreme": round(plan.bottom, 2),
    }
    if inside.size == 0:
        return {**base, "start_t": None, "end_t": None, "complete": False, "held_seconds": 0.0, "expected_faults": []}
    first, last = lo + int(inside[0]), lo + int(inside[-1])
    held = min((last - first) / fps, template.hold.seconds)
    end = first + int(math.ceil(held * fps - 1e-6))
    phase = np.where(in_position[first : end + 1], "hold", "top")
    expected = rule_hits(values, template, (first, end), fps, phase)
    if set(expected) != set(plan.faults):
        log.warning(
            "%s hold %d: injected faults %s but the clean keypoints trip %s",
            template.id,
            plan.index,
            list(plan.faults) or "none",
            expected or "none",
        )
    return {
        **base,
        "start_t": round(float(tl.t[first]), 3),
        "end_t": round(float(tl.t[end]), 3),
        "complete": bool(held >= template.hold.seconds - 1e-6),
        "held_seconds": round(held, 3),
        "expected_faults": expected,
    }
