"""The store's session query, and how a row becomes what the screens and exports read (views.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, Select, Subquery, case, func, select
from sqlalchemy.orm import selectinload

from rehab_coach.session.pain_rule import FlagReview
from rehab_coach.session.progression import stored_rule
from rehab_coach.session.store.tables import (
    CheckIn,
    CountCorrection,
    PainFlagReview,
    Patient,
    Program,
    ProgramItem,
    Rep,
    SessionRow,
)
from rehab_coach.session.store.views import CorrectionInfo, PatientInfo, ProgramInfo, ProgramItemInfo, SessionInfo


def aware_utc(value: dt.datetime | None) -> dt.datetime | None:
    # Aggregates (max) bypass the column type, so SQLite hands back a naive UTC datetime or a string.
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def patient_info(p: Patient, last: dt.datetime | None = None) -> PatientInfo:
    return PatientInfo(
        p.id, p.code, p.display_name, p.notes, p.archived, p.created_at, last, p.checkin_factor, p.birth_year, p.sex
    )


def programs_of(patient_id: int) -> Select[Any]:
    return select(Program).where(Program.patient_id == patient_id).options(selectinload(Program.items))


def item_info(i: ProgramItem) -> ProgramItemInfo:
    rule, problem = stored_rule(i.progression, f"program item {i.id}")
    return ProgramItemInfo(
        i.id, i.position, i.exercise_id, i.sets, i.reps, dict(i.overrides or {}), i.notes, rule, problem
    )


def program_info(p: Program) -> ProgramInfo:
    return ProgramInfo(
        p.id,
        p.patient_id,
        p.name,
        p.weekdays,
        p.start_date,
        p.end_date,
        p.active,
        [item_info(i) for i in p.items],
        p.notes,
    )


def correction_info(c: CountCorrection) -> CorrectionInfo:
    return CorrectionInfo(c.session_id, c.original_count, c.corrected_count, c.reason, c.host, c.corrected_at)


def flag_review(r: PainFlagReview) -> FlagReview:
    return FlagReview(r.session_id, r.reviewed_by, r.host, r.reviewed_at, r.note)


def session_query(
    *where: ColumnElement[bool],
) -> Select[
    tuple[SessionRow, str | None, int, int, float, float, float, float, float, int | None, int | None, int | None]
]:
    """The sessions that match `where` (conditions on `SessionRow`), each with its rep aggregates, check-in and count in force.

    The aggregates are computed for those sessions only (reps are filtered by session before they are
    grouped, reading the covering index `ix_reps_session_stats`), so one patient's sessions cost the
    same in a database of a thousand reps or of millions."""
    chosen = select(SessionRow.id).where(*where)
    done = Rep.complete.is_(True)
    stats = (
        select(
            Rep.session_id.label("sid"),
            func.sum(case((done, 1), else_=0)).label("complete"),
            func.sum(case((done, 0), else_=1)).label("partial"),
            func.avg(case((done, Rep.quality))).label("quality"),
            func.avg(case((done, Rep.rom))).label("rom"),
            func.max(case((done, Rep.rom))).label("rom_max"),
            func.min(case((done, Rep.extreme))).label("low"),
            func.max(case((done, Rep.extreme))).label("high"),
        )
        .where(Rep.session_id.in_(chosen))
        .group_by(Rep.session_id)
        .subquery()
    )
    corrections = newest_corrections(chosen)
    return (
        select(
            SessionRow,
            Patient.code,
            stats.c.complete,
            stats.c.partial,
            stats.c.quality,
            stats.c.rom,
            stats.c.rom_max,
            stats.c.low,
            stats.c.high,
            CheckIn.pain,
            CheckIn.effort,
            corrections.c.corrected_count,
        )
        .outerjoin(Patient, Patient.id == SessionRow.patient_id)
        .outerjoin(stats, stats.c.sid == SessionRow.id)
        .outerjoin(CheckIn, CheckIn.session_id == SessionRow.id)
        .outerjoin(corrections, corrections.c.session_id == SessionRow.id)
        .where(*where)
    )


def newest_corrections(chosen: Select[Any]) -> Subquery:
    """The count in force (the newest correction) of each of the `chosen` sessions that has one."""
    newest = (
        select(func.max(CountCorrection.id).label("cid"))
        .where(CountCorrection.session_id.in_(chosen))
        .group_by(CountCorrection.session_id)
    )
    return (
        select(CountCorrection.session_id, CountCorrection.corrected_count)
        .where(CountCorrection.id.in_(newest))
        .subquery()
    )


def session_info(
    s: SessionRow,
    code: str | None,
    complete: int | None,
    partial: int | None,
    quality: float | None,
    rom: float | None,
    rom_max: float | None,
    low: float | None,
    high: float | None,
    pain: int | None = None,
    effort: int | None = None,
    corrected: int | None = None,
) -> SessionInfo:
    best = low if s.direction == "down" else high
    return SessionInfo(
        s.id,
        s.uid,
        s.patient_id,
        code,
        s.exercise_id,
        s.program_item_id,
        s.status,
        s.started_at,
        s.ended_at,
        s.measure,
        s.direction,
        s.target,
        s.ideal,
        dict(s.overrides or {}),
        s.summary,
        int(complete or 0),
        int(partial or 0),
        _round(quality),
        _round(rom),
        _round(rom_max),
        _round(best),
        s.recording_path,
        pain,
        effort,
        corrected,
        fps_mean=s.fps_mean,
        fps_lowest=s.fps_lowest,
    )


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(float(value), digits)
