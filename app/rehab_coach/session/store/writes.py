"""The recorder's writes as idempotent operations.

Every change the live flow makes is one typed op (`ops.py`) with its own identity
(session uid + sequence number). The same `apply_op` runs when the database is up and
when a journal is replayed later, so a replay after a partial sync adds nothing twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession

from rehab_coach.session.store import series
from rehab_coach.session.store.convert import finite, jsonable, measured, rep_row
from rehab_coach.session.store.ops import (
    Finish,
    Op,
    OpError,
    RawOp,
    RecordCheckIn,
    RecordClinicalResult,
    RecordCue,
    Recording,
    RecordRep,
    StartSession,
    StartSet,
    parse_op,
)
from rehab_coach.session.store.tables import (
    CheckIn,
    ClinicalResultRow,
    CueRecord,
    ExerciseSet,
    Patient,
    ProgramItem,
    Rep,
    RepSeries,
    SessionRow,
)

log = logging.getLogger(__name__)


def apply_op(db: DbSession, op: Op | RawOp) -> None:
    """Apply one op, typed or as read from a journal; raises `OpError` for one that can never apply."""
    op = parse_op(op)
    _HANDLERS[type(op)](db, op)  # type: ignore[operator]


def _cache(db: DbSession, name: str) -> dict[Any, Any]:
    """Per-transaction lookups, so replaying a journal of hundreds of ops is not a query storm."""
    return db.info.setdefault(f"rehab_coach_{name}", {})


def _session(db: DbSession, op: Op, *, activity: bool = True) -> SessionRow:
    sessions = _cache(db, "sessions")
    found = sessions.get(op.session) or db.scalar(select(SessionRow).where(SessionRow.uid == op.session))
    if found is None:
        raise OpError(f"session {op.session} is not in the database")
    sessions[op.session] = found
    if activity and op.at > found.last_activity_at:
        found.last_activity_at = op.at
    return found


def _patient_id(db: DbSession, code: str | None, at: dt.datetime) -> int | None:
    if not code:
        return None
    # Codes ignore case: "p-0042" is the patient stored as "P-0042".
    patient_id = db.scalar(select(Patient.id).where(func.lower(Patient.code) == code.lower()).order_by(Patient.id))
    if patient_id is not None:
        return patient_id
    # The kiosk picked this patient, so it existed somewhere; losing the session would be
    # worse than re-creating the code, which the therapist sees in the list and can fix.
    log.warning("session for unknown patient code %r: adding the patient", code)
    patient = Patient(
        code=code, display_name=code, notes="added by a synced session", archived=False, created_at=at, updated_at=at
    )
    db.add(patient)
    db.flush()
    return patient.id


def _start_session(db: DbSession, op: StartSession) -> None:
    if db.scalar(select(SessionRow.id).where(SessionRow.uid == op.session)) is not None:
        return
    item_id = op.program_item_id
    if item_id is not None and db.get(ProgramItem, item_id) is None:
        item_id = None
    db.add(
        SessionRow(
            uid=op.session,
            patient_id=_patient_id(db, op.patient_code, op.at),
            program_item_id=item_id,
            exercise_id=op.exercise_id,
            measure=op.measure,
            direction=op.direction,
            target=op.target,
            ideal=op.ideal,
            overrides=jsonable(op.overrides),
            status="in_progress",
            started_at=op.at,
            last_activity_at=op.at,
            host=op.host,
            pid=op.pid,
            app_version=op.app_version,
        )
    )
    db.flush()  # give it an id now: the ops after it look it up by uid


def _set_id(db: DbSession, session: SessionRow, number: int, at: dt.datetime) -> int:
    sets = _cache(db, "sets")
    key = (session.id, number)
    if key not in sets:
        found = db.scalar(
            select(ExerciseSet.id).where(ExerciseSet.session_id == session.id, ExerciseSet.number == number)
        )
        if found is None:
            row = ExerciseSet(session_id=session.id, number=number, started_at=at)
            db.add(row)
            db.flush()
            found = row.id
        sets[key] = found
    return sets[key]


def _seen(db: DbSession, table: type[Rep] | type[CueRecord], session: SessionRow, seq: int) -> bool:
    """Was this rep (or cue) written already? Loads the session's sequence numbers once."""
    cache = _cache(db, table.__tablename__)
    if session.id not in cache:
        cache[session.id] = set(db.scalars(select(table.seq).where(table.session_id == session.id)))
    if seq in cache[session.id]:
        return True
    cache[session.id].add(seq)
    return False


def _start_set(db: DbSession, op: StartSet) -> None:
    _set_id(db, _session(db, op), op.number, op.at)


def _rep(db: DbSession, op: RecordRep) -> None:
    session = _session(db, op)
    if _seen(db, Rep, session, op.seq):
        return
    set_id = _set_id(db, session, op.set, op.at) if op.set is not None else None
    rep = rep_row(op.rep, session_id=session.id, set_id=set_id, seq=op.seq, recorded_at=op.at)
    if op.curve:
        rep.series = RepSeries(
            measure=session.measure,
            encoding=series.ENCODING,
            points=len(op.curve),
            data=series.pack(op.curve, rep.start_t),
        )
    db.add(rep)


def _cue(db: DbSession, op: RecordCue) -> None:
    session = _session(db, op)
    if _seen(db, CueRecord, session, op.seq):
        return
    db.add(
        CueRecord(
            session_id=session.id,
            seq=op.seq,
            t=finite(op.t),
            kind=op.kind[:16],
            cue_id=op.cue_id[:64],
            text=op.text[:500],
            priority=op.priority,
        )
    )


def _finish(db: DbSession, op: Finish) -> None:
    session = _session(db, op)
    session.status = op.status
    session.ended_at = op.at
    session.summary = jsonable(op.summary)
    # A rate that is no number (a hand-edited journal) is stored as unknown, never refused with its session.
    session.fps_mean = _rate(op.fps_mean)
    session.fps_lowest = _rate(op.fps_lowest)


def _rate(fps: float | None) -> float | None:
    return fps if fps is not None and math.isfinite(fps) else None


def _recording(db: DbSession, op: Recording) -> None:
    _session(db, op).recording_path = op.path


def _check_in(db: DbSession, op: RecordCheckIn) -> None:
    # Answered after the session ended: not session activity (the database path does not count it either).
    session = _session(db, op, activity=False)
    row = db.scalar(select(CheckIn).where(CheckIn.session_id == session.id))
    if row is None:
        db.add(CheckIn(session_id=session.id, pain=op.pain, effort=op.effort, recorded_at=op.at))
    elif row.recorded_at < op.at:
        # The later answer wins, as when answering again online; replaying the same op changes nothing.
        row.pain, row.effort, row.recorded_at = op.pain, op.effort, op.at


def _clinical_result(db: DbSession, op: RecordClinicalResult) -> None:
    session = _session(db, op)
    result = op.result
    found = db.scalar(
        select(ClinicalResultRow.id).where(
            ClinicalResultRow.session_id == session.id, ClinicalResultRow.trial == result.trial
        )
    )
    if found is not None:  # replayed: written already
        return
    db.add(
        ClinicalResultRow(
            session_id=session.id,
            trial=result.trial,
            test_id=result.test,
            side=result.side,
            value=measured(result.value),
            unit=result.unit,
            completed=result.completed,
            ended_by=result.ended_by,
            detail=result.model_dump(mode="json"),
            recorded_at=op.at,
        )
    )
    db.flush()


_HANDLERS = {
    StartSession: _start_session,
    StartSet: _start_set,
    RecordRep: _rep,
    RecordCue: _cue,
    Finish: _finish,
    Recording: _recording,
    RecordCheckIn: _check_in,
    RecordClinicalResult: _clinical_result,
}
