"""What the engine hands to the rest of the app: per-frame updates, finished reps, cues."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from rehab_coach.pose.types import Person

Phase = Literal["absent", "top", "descent", "bottom", "ascent", "hold"]
CueKind = Literal["fault", "visibility", "hold", "info"]
RangeStatus = Literal["in_range", "almost", "out_of_range", "unknown", "resting"]


@dataclass
class RepResult:
    """One repetition (or one attempt that never reached the target: `complete=False`)."""

    index: int
    start_t: float
    end_t: float
    complete: bool
    side: str | None
    rom: float
    extreme: float
    start_value: float
    quality: float
    quality_parts: dict[str, float]
    peaks: dict[str, float | None]
    faults: list[str]
    curve: list[tuple[float, float]] = field(default_factory=list)
    partial_reason: str = ""  # shallow, too_fast, too_slow, interrupted, released (holds)
    held_seconds: float | None = None

    @property
    def duration(self) -> float:
        return self.end_t - self.start_t

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["duration"] = round(self.duration, 3)
        data["curve"] = [[round(t, 3), round(v, 2)] for t, v in self.curve]
        return data


@dataclass(frozen=True)
class CueEvent:
    t: float
    kind: CueKind
    id: str
    text: str
    priority: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
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
