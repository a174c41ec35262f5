"""The measuring half of the coach: one pose frame in, the patient and every measure out.

patient tracker -> smoothed keypoints -> measures (2D, and 3D where the backend gives them) -> side

`counting.py` counts from these values; `coach.py` joins the two and grades what they find.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from rehab_coach.engine.anatomy import REST_LOOKBACK_SECONDS, AngleLog, world_angles
from rehab_coach.engine.filters import FilterConfig, KeypointSmoother, OneEuroFilter, torso_length
from rehab_coach.engine.measures import (
    POINT_INDEX,
    MeasurePlan,
    RollingLow,
    axis_positions,
    compute,
    extended_points,
    facing_sign,
    segment_lengths,
)
from rehab_coach.engine.sides import SideChooser, bare_values
from rehab_coach.engine.templates import Template
from rehab_coach.engine.tracking import PatientTracker
from rehab_coach.engine.view import ViewTracker, fit
from rehab_coach.keypoints.types import Person, PoseFrame

VELOCITY_HALF_LIFE_SECONDS = 1 / 30  # a measure's rate forgets half of its past each 30 fps frame
WORLD_FILTER = FilterConfig(beta=2.0)  # the One Euro speed term in metres/s rather than pixels/s
_POINT_NAMES = {i: n for n, i in POINT_INDEX.items()}


@dataclass(frozen=True)
class Measured:
    """One frame measured: the patient (None: nobody), each measure by name (NaN: not seen), the
    side measured, and the joints the primary measure needs that are not seen."""

    person: Person | None
    values: dict[str, float]
    side: str
    missing: list[str]

    @property
    def visible(self) -> bool:
        """The patient is there with every joint the count needs."""
        return self.person is not None and not self.missing


class Measurer:
    def __init__(
        self,
        template: Template,
        filter_config: FilterConfig | None = None,
        select_person: Callable[[PoseFrame], Person | None] | None = None,
        world_angles: bool = False,
    ) -> None:
        self.template = template
        self.filter_config = filter_config or FilterConfig()
        # Our own tracker is told when the first rep starts, so it stops looking for a better candidate.
        self.tracker: PatientTracker | None = None
        if select_person is None:
            self.tracker = PatientTracker()
            select_person = self.tracker.select
        self.select_person = select_person
        self.plan = MeasurePlan.for_template(template)
        moved = self.plan.displacements
        self.baseline = RollingLow(np.array(self.plan.windows)[moved]) if moved.size else None
        tilted = self.plan.tilts  # a segment's longest lately is the low of its negated length
        self.longest = RollingLow(np.array(self.plan.windows)[tilted]) if tilted.size else None
        self.smoother = KeypointSmoother(self.filter_config)
        # Joint angles from the backend's 3D points. Off by default: on the real dev set BlazePose's
        # world points shrank the range of far legs and lost lunges that 2D counted (docs/accuracy.md).
        self.world_angles = world_angles
        self.world_smoother = OneEuroFilter((17, 3), WORLD_FILTER)
        # The 3D angles of recent frames, for the reported angles to fall back on (see anatomy.py).
        self.angle_log = AngleLog(keep_seconds=template.rep.max_seconds + REST_LOOKBACK_SECONDS + 1.0)
        self.sides = SideChooser(template, self.plan)
        sided = [name for name, m in template.measures.items() if m.sided]
        self._rate_names = [*self.plan.names, *(n for n in sided if n not in self.plan.names)]
        self.required = self._required_points()
        self._xy = np.full((17, 2), np.nan)  # this frame's smoothed joints and measured side
        self.side = "left"
        self.t = 0.0  # this frame's time
        self._limb_gap = 0.0  # left minus right primary value when last both seen (`both` templates)
        self.view = ViewTracker()
        self._unseen = {v: self.plan.unseen_in(v) for v in ("side", "oblique", "front", "rear", "unknown")}
        self.facing = 1.0
        self._previous: dict[str, float] = {}
        self._velocity: dict[str, float] = {}

    @property
    def smoothed(self) -> np.ndarray:
        """This frame's smoothed joints (17, 2), in pixels; NaN where not seen."""
        return self._xy

    def lock_patient(self) -> None:
        """A rep started: our own tracker stops looking for a better candidate."""
        if self.tracker is not None:
            self.tracker.lock()

    @property
    def view_fit(self) -> str:
        return fit(self.template.view, self.view.current)

    def measure(self, frame: PoseFrame, dt: float, between_reps: bool) -> Measured:
        """The patient in `frame` measured; `dt` is the time since the last frame. The side to
        measure may change only `between_reps`."""
        person = self.select_person(frame)
        values, side, missing = self._measure(person, frame.t, dt, between_reps)
        return Measured(person, values, side, missing)

    def _measure(
        self, person: Person | None, t: float, dt: float, between_reps: bool
    ) -> tuple[dict[str, float], str, list[str]]:
        self.t = t
        xy = self._xy = self.smoother(person.keypoints if person is not None else None, t)
        points = extended_points(xy)
        torso = torso_length(xy)
        torso = torso if math.isfinite(torso) and torso > 0 else self.smoother.scale
        self.facing = facing_sign(points, self.facing)
        confidence = person.confidence if person is not None else np.zeros(17)
        side = self.side = self.sides.update(confidence, t, between_reps=between_reps)
        low = self.baseline.update(t, axis_positions(self.plan, points, self.facing)) if self.baseline else None
        longest = -self.longest.update(t, -segment_lengths(self.plan, points)) if self.longest else None
        world = self._world(person, xy, dt)
        raw = compute(self.plan, points, torso, self.facing, low, world, longest, all_in_world=self.world_angles)
        raw[self._unseen[self.view.update(xy if person is not None else None, t)]] = np.nan
        values = bare_values(self.plan, raw, side)
        in_3d = bare_values(self.plan, world_angles(self.plan, world), side) if world is not None else {}
        self.angle_log.add(t, in_3d, self.view_fit == "wrong")
        self._add_velocities(values, dt)
        return values, side, self._missing_joints(points, side)

    def _world(self, person: Person | None, xy: np.ndarray, dt: float) -> np.ndarray | None:
        """Smoothed 3D points where the backend gives them, missing wherever the 2D joint is; the
        counter measures with them only when `world_angles` is on, the reported angles may always."""
        if person is None or person.world is None:
            self.world_smoother.reset()
            return None
        world = self.world_smoother(np.where(np.isfinite(xy).all(axis=1)[:, None], person.world, np.nan), dt)
        return extended_points(np.where(np.isfinite(xy).all(axis=1)[:, None], world, np.nan))

    def _add_velocities(self, values: dict[str, float], dt: float) -> None:
        """Per-second rate of every measure, lightly smoothed (values are already filtered).
        Each side has its own, so an alternating exercise's `_vel` never jumps when the side changes."""
        for name in self._rate_names:
            now, before = values.get(name, math.nan), self._previous.get(name, math.nan)
            raw = (now - before) / dt if math.isfinite(now) and math.isfinite(before) and dt > 0 else math.nan
            old = self._velocity.get(name, math.nan)
            keep = 0.5 ** (dt / VELOCITY_HALF_LIFE_SECONDS) if dt > 0 else 1.0  # by time, so any frame rate
            self._velocity[name] = (
                raw if not math.isfinite(old) else (old if not math.isfinite(raw) else keep * old + (1 - keep) * raw)
            )
            values[f"{name}_vel"] = self._velocity[name]
            self._previous[name] = now

    def _missing_joints(self, points: np.ndarray, side: str) -> list[str]:
        """Joints the primary measure needs that are not seen. Both limbs move together (`both`) or
        each in turn (`alternating`): one whole limb is enough, as in a side view, where the far
        leg hides behind the near one."""
        choices = [side] if side in ("left", "right") else ["left", "right"] if self._limbs_apart else ["both"]
        unseen = [[i for i in self.required[c] if not np.isfinite(points[i]).all()] for c in choices]
        return [_POINT_NAMES[i] for i in min(unseen, key=len)]

    @property
    def _limbs_apart(self) -> bool:
        """The primary measure has a value per limb, and the template counts both limbs."""
        return (
            self.template.side in ("both", "alternating")
            and self.template.measures[self.template.primary.measure].sided
        )

    def _required_points(self) -> dict[str, list[int]]:
        """Points the primary measure needs, per side choice; missing ones trigger the visibility cue."""
        primary = self.template.primary.measure
        if not self.template.measures[primary].sided:
            pts = self.plan.joints_of(primary)
            return {"left": pts, "right": pts, "both": pts}
        left, right = self.plan.joints_of(f"{primary}_left"), self.plan.joints_of(f"{primary}_right")
        both = left + right if self.template.side in ("both", "alternating") else left
        return {"left": left, "right": right, "both": sorted(set(both))}

    # ---- what the counters read ------------------------------------------------

    def counted_value(self, track: str | None, values: dict[str, float]) -> float:
        """The primary value the counter of `track` sees this frame: missing while one of its joints
        is only bridged over a dropout (a coasting joint can bend or straighten an angle no one made)."""
        if track is None and self.side == "both" and self._limbs_apart:
            return self._both_limbs(values)
        joints = self.required[track or (self.side if self.side in ("left", "right") else "both")]
        return self.primary_for(track, values) if self._fresh(joints) else math.nan

    def _both_limbs(self, values: dict[str, float]) -> float:
        """The mean of both limbs; while one is hidden (the far leg in a side view), the seen one
        shifted by the last difference between them, so the count's signal does not jump when a
        limb disappears or comes back."""
        name = self.primary_measure()
        left, right = (
            values.get(f"{name}_{s}", math.nan) if self._fresh(self.required[s]) else math.nan
            for s in ("left", "right")
        )
        if math.isfinite(left) and math.isfinite(right):
            self._limb_gap = left - right
            return (left + right) / 2
        if math.isfinite(left):
            return left - self._limb_gap / 2
        if math.isfinite(right):
            return right + self._limb_gap / 2
        return math.nan

    def _fresh(self, joints: list[int]) -> bool:
        """None of these joints is only bridged over a dropout."""
        fresh = self.smoother.last_seen_t == self.t
        return not any(j < len(fresh) and not fresh[j] and np.isfinite(self._xy[j]).all() for j in joints)

    def primary_measure(self) -> str:
        """The primary measure, or the one the template counts from in the view the camera has now."""
        return self.template.primary.measure_in(self.view.current)

    def primary_for(self, track: str | None, values: dict[str, float]) -> float:
        """The primary measure's value, of one limb when `track` names it."""
        name = self.primary_measure()
        return values.get(f"{name}_{track}" if track else name, math.nan)
