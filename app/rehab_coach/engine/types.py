"""What the engine hands to the rest of the app: per-frame updates, finished reps, cues."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable
from dataclasses import asdict, field
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    Field,
    TypeAdapter,
    WithJsonSchema,
    computed_field,
    field_serializer,
    field_validator,
)
from pydantic.dataclasses import dataclass

from rehab_coach.keypoints.types import Person


class Phase(StrEnum):
    """Where the patient is in the movement. A `StrEnum`: each member is its string, the name
    templates use in `rules[].phase`, so `phase == "top"` holds and JSON writes "top"."""

    ABSENT = "absent"  # not in view: nothing is judged
    TOP = "top"  # at rest between reps, or out of position in a hold
    DESCENT = "descent"
    BOTTOM = "bottom"  # at or past the target
    ASCENT = "ascent"
    HOLD = "hold"  # in position in a hold exercise


# The phases of a rep under way: the ones a template's "rep" phase stands for.
IN_REP_PHASES = frozenset({Phase.DESCENT, Phase.BOTTOM, Phase.ASCENT})

CueKind = Literal["fault", "visibility", "hold", "info"]


class RangeStatus(StrEnum):
    """The primary measure against the template's target, for the overlay colour (a `StrEnum` like `Phase`)."""

    IN_RANGE = "in_range"
    ALMOST = "almost"
    OUT_OF_RANGE = "out_of_range"
    UNKNOWN = "unknown"  # nothing to measure
    RESTING = "resting"  # between reps: not judged (the overlay sets it, the counter never does)


def _nan_if_missing(value: Any) -> Any:
    """JSON has no NaN: a stored or journaled `null` reads back as the NaN the engine wrote."""
    return math.nan if value is None else value


# A degree or second the engine measured; NaN (null in JSON) when the joints were out of view.
Measured = Annotated[
    float,
    BeforeValidator(_nan_if_missing),
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "null"}], "description": "null: could not be measured"}),
]


@dataclass
class RepResult:
    """One repetition (or one attempt that never reached the target: `complete=False`).

    The one rep schema: the JSON report, the journal's rep op, the store's `RepInfo` and the CSV
    row are all made from these fields (see docs/report-schema.md and docs/report.schema.json).
    """

    index: int
    start_t: Measured
    end_t: Measured
    complete: bool
    side: str | None
    rom: Measured
    extreme: Measured
    start_value: Measured
    quality: Measured
    quality_parts: dict[str, float | None]  # rom, tempo, form (holds: hold, form), each 0-1; null: not measured
    peaks: dict[str, float | None]
    faults: list[str]
    curve: list[tuple[float, float]] = field(default_factory=list)
    partial_reason: str = ""  # shallow, too_slow, interrupted, released (holds); too_fast in older sessions
    held_seconds: float | None = None
    # Joint-angle measure -> where its reported values came from: "image", "world" (3D points), or why
    # they are null: "wrong_view" (not measurable from this view), "implausible" (an impossible angle)
    angle_source: dict[str, str] = field(default_factory=dict)

    @field_validator("curve", mode="before")
    @classmethod
    def _no_curve(cls, value: Any) -> Any:
        return [] if value is None else value

    @computed_field  # type: ignore[prop-decorator]
    @property
    def duration(self) -> float:
        return self.end_t - self.start_t

    @field_serializer("duration")
    def _duration_ms(self, value: float) -> float:
        return round(value, 3)

    @field_serializer("curve")
    def _rounded_curve(self, curve: list[tuple[float, float]]) -> list[list[float]]:
        return [list(point) for point in rounded_curve(curve)]

    def to_json(self) -> dict[str, Any]:
        """The rep as the report writes it: `duration` added, the curve rounded."""
        data: dict[str, Any] = REP.dump_python(self)
        return data


REP: TypeAdapter[RepResult] = TypeAdapter(RepResult)


def rounded_curve(curve: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """A rep curve as it is kept (reports, the store): time to the millisecond, the value to 0.01."""
    return [(round(t, 3), round(v, 2)) for t, v in curve]


class CameraViewSummary(BaseModel):
    wanted: str  # the template's view
    seen: str  # the view seen most: side, oblique, front, rear or unknown
    fit: str  # ideal, usable, wrong, unknown
    shares: dict[str, float]  # view -> share of the frames
    # In a wrong view: the measure the count came from instead (the template's primary.by_view), or
    # None where there is none this session could use (a 3D measure with a pose model that gives no 3D).
    counted_from: str | None = None


class SessionSummary(BaseModel):
    """What a whole set of reps adds up to: the report's figures and the store's `SessionRow.summary`."""

    rep_count: int
    partial_reps: int
    average_quality: float | None  # mean quality of the complete reps
    best_extreme: float | None  # deepest (or highest) primary value of a complete rep
    # Where best_extreme came from ("image", "world"), or why it is null though reps were counted
    # ("wrong_view": not measurable from this view, "implausible"); None: no complete rep, or not an angle.
    best_extreme_source: str | None = None
    target: float | None = None
    ideal: float | None = None
    fault_counts: dict[str, int] = Field(default_factory=dict)  # fault id -> reps that showed it
    camera_view: CameraViewSummary | None = None


@dataclass(frozen=True)
class CueEvent:
    t: float
    kind: CueKind
    id: str
    text: str
    priority: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclasses.dataclass
class FrameUpdate:
    """The engine's view of one frame, everything the UI paints."""

    t: float
    person: Person | None
    visible: bool
    side: str | None
    measures: dict[str, float]
    primary_value: float | None
    primary_status: RangeStatus
    phase: Phase
    rep_count: int
    partial_count: int
    new_reps: list[RepResult] = field(default_factory=list)
    cue: CueEvent | None = None
    active_faults: list[str] = field(default_factory=list)
    hold_seconds: float | None = None
    missing_joints: list[str] = field(default_factory=list)
    view: str = "unknown"  # side, oblique, front, rear: how the patient stands to the camera
    view_fit: str = "unknown"  # ideal, usable, wrong: for this exercise
    visibility_hint: str = ""  # what is not seen, once out of view long enough to say so ("" otherwise)
