"""Honest angles: which joint angles a human body can make, and where a reported angle comes from.

A camera that looks along the plane of a movement (a curl filmed from the front) squeezes the
limb's image, and the 2D interior angle can collapse to a few degrees no elbow can reach. The
counter may still use that signal (it rises and falls with the movement), but a number shown to a
patient or a therapist must be one the body can make: it comes from the image when the view suits
the exercise and the angle is plausible, else from the pose model's 3D world points, else it is
"not measurable from this view".

Anatomical ranges, as interior angles (180 = straight), keyed by the measure's middle joint. The
lower bounds are the published end of active flexion plus a margin for soft tissue, passive range
and keypoint placement:

- elbow: flexion 0-150 (AAOS: Greene & Heckman, *The Clinical Measurement of Joint Motion*, 1994),
  0-145 (US 38 CFR 4.71a, Plate I) -> interior at least 30-35; we allow 25.
- knee: flexion 0-135 (AAOS), 0-140 (38 CFR 4.71a, Plate II), about 150-160 passively or in a deep
  squat -> interior at least 20.
- hip (shoulder-hip-knee): hip flexion 0-120/125 (AAOS, 38 CFR 4.71a) plus lumbar flexion when the
  trunk folds onto the thigh -> interior at least 30.
- shoulder (hip-shoulder-elbow): flexion and abduction 0-180 (AAOS) -> the whole 0-180.

An interior angle never exceeds 180, so hyperextension needs no upper bound below it.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from rehab_coach.engine.measures import MeasurePlan, joint_angles
from rehab_coach.engine.templates import Measure, Template
from rehab_coach.engine.types import RepResult
from rehab_coach.i18n import N_


@dataclass(frozen=True)
class AngleRange:
    """The interior angles, in degrees, a joint can make."""

    low: float
    high: float = 180.0

    def holds(self, value: float) -> bool:
        return math.isfinite(value) and self.low <= value <= self.high


JOINT_RANGES: dict[str, AngleRange] = {
    "elbow": AngleRange(25.0),
    "knee": AngleRange(20.0),
    "hip": AngleRange(30.0),
    "shoulder": AngleRange(0.0),
}


def angle_range(measure: Measure) -> AngleRange | None:
    """The anatomical range of a joint-angle measure (by its middle joint), None for other measures."""
    if measure.type != "joint_angle" or len(measure.joints) != 3:
        return None
    middle = measure.joints[1].removeprefix("left_").removeprefix("right_").removeprefix("mid_")
    return JOINT_RANGES.get(middle)


class AngleSource(StrEnum):
    """Where a reported joint angle came from, or why there is none."""

    IMAGE = "image"  # the 2D angle: the view suits the exercise and the angle is plausible
    WORLD = "world"  # the pose model's 3D points: the view foreshortens it, or the 2D angle was impossible
    WRONG_VIEW = "wrong_view"  # not measurable from this view: foreshortened, and no plausible 3D angle
    IMPLAUSIBLE = "implausible"  # the image gave an impossible angle, and no plausible 3D angle

    @property
    def measured(self) -> bool:
        return self in (AngleSource.IMAGE, AngleSource.WORLD)


# Shown in place of an angle the view could not give (the core's catalogue; the screens' has the same words).
NOT_MEASURABLE = N_("not measurable from this view")  # English: translate with _

FORESHORTENED_SHARE = 0.5  # a rep seen mostly from the wrong side is foreshortened
REST_LOOKBACK_SECONDS = 1.0


def world_angles(plan: MeasurePlan, world: np.ndarray) -> np.ndarray:
    """The plan's outputs (M,) with its joint angles measured on the extended 3D points (20, 3), the
    other outputs NaN: the 3D reading of every angle, whether or not the counter uses 3D."""
    angle = plan.masks["angle"]
    out = np.full(len(plan.names), np.nan)
    a, b, c = (world[plan.idx[angle, k]] for k in range(3))
    out[angle] = joint_angles(a, b, c)
    return out


@dataclass
class AngleLog:
    """The 3D joint angles and the view's fit of the last few seconds, so a finished rep can be
    reported from them. The counter never reads it."""

    keep_seconds: float  # the longest rep, and the rest before it
    frames: deque[tuple[float, dict[str, float], bool]] = field(default_factory=deque)

    def add(self, t: float, world_values: dict[str, float], wrong_view: bool) -> None:
        measured = {name: value for name, value in world_values.items() if math.isfinite(value)}
        self.frames.append((t, measured, wrong_view))
        while self.frames and t - self.frames[0][0] > self.keep_seconds:
            self.frames.popleft()

    def during(self, start_t: float, end_t: float) -> RepAngles:
        """The rep's frames, with the second before it: the counter starts a rep once the joint has
        already moved a third of the way, so its rest is only seen before then."""
        inside = [wrong for t, _, wrong in self.frames if start_t <= t <= end_t]
        wrong_share = sum(inside) / len(inside) if inside else 0.0
        world = [values for t, values, _ in self.frames if start_t - REST_LOOKBACK_SECONDS <= t <= end_t]
        return RepAngles(world, wrong_share >= FORESHORTENED_SHARE)


@dataclass(frozen=True)
class RepAngles:
    """What the 3D points and the view said during one rep."""

    world: list[dict[str, float]]
    foreshortened: bool

    def world_series(self, name: str) -> np.ndarray:
        values = np.array([frame.get(name, math.nan) for frame in self.world], dtype=float)
        return values[np.isfinite(values)]


@dataclass(frozen=True)
class HonestSpan:
    """A rep's rest and extreme as reported, and where they came from (NaN: not measurable)."""

    rest: float
    extreme: float
    source: AngleSource


def honest_span(
    rest: float, extreme: float, limits: AngleRange, angles: RepAngles, name: str, direction: str
) -> HonestSpan:
    """The rep's rest and extreme from the image when honest, else both from the 3D points (the
    extreme their deepest value, the rest the other end of the rep), else not measurable."""
    if not angles.foreshortened and limits.holds(rest) and limits.holds(extreme):
        return HonestSpan(rest, extreme, AngleSource.IMAGE)
    series = angles.world_series(name)
    if series.size:
        deep, high = (series.min(), series.max()) if direction == "down" else (series.max(), series.min())
        if limits.holds(float(deep)) and limits.holds(float(high)):
            return HonestSpan(float(high), float(deep), AngleSource.WORLD)
    reason = AngleSource.WRONG_VIEW if angles.foreshortened else AngleSource.IMPLAUSIBLE
    return HonestSpan(math.nan, math.nan, reason)


def honest_peaks(
    low: float | None, high: float | None, limits: AngleRange, angles: RepAngles, name: str
) -> tuple[float | None, float | None, AngleSource]:
    """A measure's lowest and highest value during a rep, by the same rule as `honest_span`."""
    if not angles.foreshortened:
        if low is None or high is None:  # the joints were not seen: nothing to check or replace
            return low, high, AngleSource.IMAGE
        if limits.holds(low) and limits.holds(high):
            return low, high, AngleSource.IMAGE
    series = angles.world_series(name)
    if series.size and limits.holds(float(series.min())) and limits.holds(float(series.max())):
        return float(series.min()), float(series.max()), AngleSource.WORLD
    return None, None, AngleSource.WRONG_VIEW if angles.foreshortened else AngleSource.IMPLAUSIBLE


def checked_measures(template: Template) -> dict[str, AngleRange]:
    """The template's joint-angle measures with a known anatomical range."""
    ranges = {name: angle_range(m) for name, m in template.measures.items()}
    return {name: r for name, r in ranges.items() if r is not None}


def unmeasurable(source: str | None) -> bool:
    """An angle left out because the view could not give it (not merely unseen, nor a hold)."""
    return source in (AngleSource.WRONG_VIEW, AngleSource.IMPLAUSIBLE)


def session_unmeasurable(reps: Sequence[RepResult], measure: str) -> bool:
    """Complete reps were counted, but none had a measurable `measure`: say so rather than show nothing."""
    complete = [r for r in reps if r.complete]
    return (
        bool(complete)
        and not any(math.isfinite(r.extreme) for r in complete)
        and any(unmeasurable(r.angle_source.get(measure)) for r in complete)
    )
