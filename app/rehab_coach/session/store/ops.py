"""The recorder's operations as typed models: what the live flow writes, journals and replays.

Each op names its session (`session`, the uid) and when it happened (`at`); the `op` field tells
the kinds apart (a pydantic discriminated union). A rep op carries the engine's own `RepResult`,
without its curve: the curve travels beside it, downsampled. Old journals (plain dicts written
before these models) read back unchanged: the field names and JSON shapes are the same.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_serializer,
)

from rehab_coach.engine.clinical.result import ClinicalResult
from rehab_coach.engine.types import REP, RepResult

RawOp = dict[str, Any]  # one journal line as parsed JSON, not yet checked


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


Stamp = Annotated[AwareDatetime, AfterValidator(_utc)]


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class _Op(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    session: str  # the session uid, made by the recorder before the database has seen it
    at: Stamp = Field(default_factory=now_utc)

    @field_serializer("at")
    def _iso(self, at: dt.datetime) -> str:
        return at.isoformat()


class StartSession(_Op):
    op: Literal["start_session"] = "start_session"
    exercise_id: str
    patient_code: str | None = None  # pseudonymous; None for a guest
    program_item_id: int | None = None
    measure: str = ""
    direction: str = ""
    target: float | None = None
    ideal: float | None = None
    overrides: dict[str, Any] = Field(default_factory=dict)
    host: str = ""
    pid: int = 0
    app_version: str = ""


class StartSet(_Op):
    op: Literal["start_set"] = "start_set"
    number: int


class RecordRep(_Op):
    op: Literal["rep"] = "rep"
    seq: int  # counts reps across the session's sets: the dedup key
    set: int | None = None
    rep: RepResult
    curve: list[tuple[float, float]] = Field(default_factory=list)  # downsampled primary measure

    @field_serializer("rep")
    def _rep_without_curve(self, rep: RepResult) -> dict[str, Any]:
        data: dict[str, Any] = REP.dump_python(rep, exclude={"curve", "duration"})
        return data


class RecordCue(_Op):
    op: Literal["cue"] = "cue"
    seq: int
    t: float
    kind: str
    cue_id: str
    text: str
    priority: int


class Finish(_Op):
    op: Literal["finish"] = "finish"
    status: str = "completed"
    summary: dict[str, Any] | None = None  # a `SessionSummary` as a dict (older journals: any dict)
    # Frames through the engine per second: the whole session, and its lowest window (older journals: none).
    fps_mean: float | None = None
    fps_lowest: float | None = None


class Recording(_Op):
    op: Literal["recording"] = "recording"
    path: str


Answer = Annotated[int, Field(ge=0, le=10, strict=True)]  # strict: true is not a 1


class RecordCheckIn(_Op):
    """The patient's answers after the exercise (pain NRS 0-10, effort Borg CR10 0-10; None: skipped).
    Journaled after its session's ops; of two answers for one session the later (`at`) wins."""

    op: Literal["check_in"] = "check_in"
    pain: Answer | None = None
    effort: Answer | None = None


class RecordClinicalResult(_Op):
    """One trial of a standard clinical test (its trial number is the dedup key), before the session's finish."""

    op: Literal["clinical_result"] = "clinical_result"
    result: ClinicalResult


OP_MODELS = (StartSession, StartSet, RecordRep, RecordCue, Finish, Recording, RecordCheckIn, RecordClinicalResult)
Op = Annotated[
    StartSession | StartSet | RecordRep | RecordCue | Finish | Recording | RecordCheckIn | RecordClinicalResult,
    Field(discriminator="op"),
]
OP: TypeAdapter[Op] = TypeAdapter(Op)
OP_KINDS = tuple(model.model_fields["op"].default for model in OP_MODELS)


class OpError(ValueError):
    """An op that can never apply (unknown kind, malformed, names an unknown session): dropped, never retried."""


def parse_op(op: Op | RawOp) -> Op:
    if not isinstance(op, dict):
        return op
    if op.get("op") not in OP_KINDS:
        raise OpError(f"unknown op {op.get('op')!r}")
    try:
        return OP.validate_python(op)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'][1:])) or 'op'}: {e['msg']}" for e in exc.errors())
        raise OpError(f"malformed {op['op']} op: {problems}") from None


def op_json(op: Op | RawOp) -> str:
    """One journal line: strict JSON (a NaN the engine could not measure becomes null)."""
    if isinstance(op, dict):
        return json.dumps(op, separators=(",", ":"), allow_nan=False)
    return OP.dump_json(op).decode("utf-8")
