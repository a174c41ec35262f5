"""The recorder's writes as idempotent operations.

Every change the live flow makes is one JSON-able dict (an "op") with its own identity
(session uid + sequence number). The same `apply_op` runs when the database is up and
when a journal is replayed later, so a replay after a partial sync adds nothing twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from rehab_coach.session.store import series
from rehab_coach.session.store.models import (
    CueRecord,
    ExerciseSet,
    Patient,
    ProgramItem,
    Rep,
    RepSeries,
    Session,
)

log = logging.getLogger(__name__)

Op = dict[str, Any]


class OpError(ValueError):
    """An op that can never apply (names an unknown session): dropped, never retried forever."""


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).isoformat()


def parse_stamp(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).astimezone(dt.timezone.utc)


def jsonable(value: Any) -> Any:
    """JSON the databases accept: plain floats (numpy scalars converted), NaN/inf as null."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return int(value)
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return number if math.isfinite(number) else None


def finite(value: Any, default: float = 0.0) -> float:
    number = float(value) if value is not None else math.nan
    return number if math.isfinite(number) else default


def apply_op(db: DbSession, op: Op) -> None:
    handler = _HANDLERS.get(op.get("op", ""))
    if handler is None:
        raise OpError(f"unknown op {op.get('op')!r}")
    handler(db, op)


def _cache(db: DbSession, name: str) -> dict[Any, Any]:
    """Per-transaction lookups, so replaying a journal of hundreds of ops is not a query storm."""
    return db.info.setdefault(f"rehab_coach_{name}", {})  # type: ignore[no-any-return]


def _session(db: DbSession, op: Op) -> Session:
    sessions = _cache(db, "sessions")
    found = sessions.get(op["session"]) or db.scalar(select(Session).where(Session.uid == op["session"]))
    if found is None:
        raise OpError(f"session {op['session']} is not in the database")
    sessions[op["session"]] = found
    at = parse_stamp(op["at"])
    if at > found.last_activity_at:
        found.last_activity_at = at
    return found


def _patient_id(db: DbSession, code: str | None, at: dt.datetime) -> int | None:
    if not code:
        return None
    patient_id = db.scalar(select(Patient.id).where(Patient.code == code))
    if patient_id is not None:
        return patient_id
    # The kiosk picked this patient, so it existed somewhere; losing the session would be
    # worse than re-creating the code, which the therapist sees in the list and can fix.
    log.warning("session for unknown patient code %r: adding the patient", code)
    patient = Patient(code=code, display_name=code, notes="added by a synced session", archived=False,
                      created_at=at, updated_at=at)
    db.add(patient)
    db.flush()
    return patient.id


def _start_session(db: DbSession, op: Op) -> None:
    if db.scalar(select(Session.id).where(Session.uid == op["session"])) is not None:
        return
    at = parse_stamp(op["at"])
    item_id = op.get("program_item_id")
    if item_id is not None and db.get(ProgramItem, item_id) is None:
        item_id = None
    db.add(Session(
        uid=op["session"], patient_id=_patient_id(db, op.get("patient_code"), at), program_item_id=item_id,
        exercise_id=op["exercise_id"], measure=op.get("measure", ""), direction=op.get("direction", ""),
        target=op.get("target"), ideal=op.get("ideal"), overrides=jsonable(op.get("overrides") or {}),
        status="in_progress", started_at=at, last_activity_at=at, host=op.get("host", ""), pid=op.get("pid", 0),
        app_version=op.get("app_version", ""),
    ))
    db.flush()  # give it an id now: the ops after it look it up by uid


def _set_id(db: DbSession, session: Session, number: int, at: dt.datetime) -> int:
    sets = _cache(db, "sets")
    key = (session.id, number)
    if key not in sets:
        found = db.scalar(select(ExerciseSet.id).where(ExerciseSet.session_id == session.id,
                                                       ExerciseSet.number == number))
        if found is None:
            row = ExerciseSet(session_id=session.id, number=number, started_at=at)
            db.add(row)
            db.flush()
            found = row.id
        sets[key] = found
    return sets[key]  # type: ignore[no-any-return]


def _seen(db: DbSession, table: type[Rep] | type[CueRecord], session: Session, seq: int) -> bool:
    """Was this rep (or cue) written already? Loads the session's sequence numbers once."""
    cache = _cache(db, table.__tablename__)
    if session.id not in cache:
        cache[session.id] = set(db.scalars(select(table.seq).where(table.session_id == session.id)))
    if seq in cache[session.id]:
        return True
    cache[session.id].add(seq)
    return False


def _start_set(db: DbSession, op: Op) -> None:
    session = _session(db, op)
    _set_id(db, session, int(op["number"]), parse_stamp(op["at"]))


def _rep(db: DbSession, op: Op) -> None:
    session = _session(db, op)
    if _seen(db, Rep, session, int(op["seq"])):
        return
    at = parse_stamp(op["at"])
    data = op["rep"]
    set_id = _set_id(db, session, int(op["set"]), at) if op.get("set") is not None else None
    rep = Rep(
        session_id=session.id, set_id=set_id, seq=int(op["seq"]), rep_index=int(data["index"]),
        complete=bool(data["complete"]), partial_reason=str(data.get("partial_reason") or ""), side=data.get("side"),
        start_t=finite(data["start_t"]), end_t=finite(data["end_t"]), rom=finite(data["rom"]),
        extreme=finite(data["extreme"]), start_value=finite(data["start_value"]), quality=finite(data["quality"]),
        quality_parts=jsonable(data.get("quality_parts") or {}), peaks=jsonable(data.get("peaks") or {}),
        faults=[str(f) for f in data.get("faults") or []], held_seconds=data.get("held_seconds"), recorded_at=at,
    )
    curve = [(float(t), float(v)) for t, v in op.get("curve") or []]
    if curve:
        rep.series = RepSeries(measure=session.measure, encoding=series.ENCODING, points=len(curve),
                               data=series.pack(curve, rep.start_t))
    db.add(rep)


def _cue(db: DbSession, op: Op) -> None:
    session = _session(db, op)
    if _seen(db, CueRecord, session, int(op["seq"])):
        return
    db.add(CueRecord(session_id=session.id, seq=int(op["seq"]), t=finite(op["t"]), kind=str(op["kind"])[:16],
                     cue_id=str(op["cue_id"])[:64], text=str(op["text"])[:500], priority=int(op["priority"])))


def _finish(db: DbSession, op: Op) -> None:
    session = _session(db, op)
    session.status = op.get("status", "completed")
    session.ended_at = parse_stamp(op["at"])
    session.summary = jsonable(op.get("summary"))


def _recording(db: DbSession, op: Op) -> None:
    _session(db, op).recording_path = str(op["path"])


_HANDLERS = {
    "start_session": _start_session,
    "start_set": _start_set,
    "rep": _rep,
    "cue": _cue,
    "finish": _finish,
    "recording": _recording,
}
