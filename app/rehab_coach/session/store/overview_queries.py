"""The reads behind the therapist's patient list: a few queries for all its rows, never several per patient.

Each takes the patients' ids and answers for all of them at once, reading only what the list shows:
the sessions of the adherence window (only their day, exercise, counted reps and pain answer), the
programs, each patient's newest pain answer and open pain flags, and the mean quality of each
exercise's newest rated sessions.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select

from rehab_coach.session.pain_rule import PAIN_HIGH, PAIN_RISE, FlagReview, PainFlag, is_flagged
from rehab_coach.session.progression import stored_rule
from rehab_coach.session.store.queries import aware_utc
from rehab_coach.session.store.store import Store
from rehab_coach.session.store.tables import (
    CheckIn,
    CountCorrection,
    PainFlagReview,
    Program,
    ProgramItem,
    Rep,
    SessionRow,
)
from rehab_coach.session.store.views import ProgramInfo, ProgramItemInfo

CHUNK = 5000  # ids per query: well under SQLite's and PostgreSQL's limits on bound parameters


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])


class SessionCount(NamedTuple):  # a tuple: the list makes tens of thousands
    """A session as far as adherence and progression care (see `rehab_coach.session.done` and
    `rehab_coach.session.progression`), without the rest of its row."""

    started_at: dt.datetime
    exercise_id: str
    reps_complete: int
    corrected_reps: int | None
    pain: int | None


def counts_since(store: Store, patient_ids: Sequence[int], since: dt.datetime) -> dict[int, list[SessionCount]]:
    """Each patient's sessions started at or after `since`, with their complete reps, the count in force
    and the pain answered after them."""
    found: dict[int, list[SessionCount]] = defaultdict(list)
    with store.reading() as db:
        for ids in _chunks(patient_ids):
            # Correlated counts: each reads its own session's entries in the covering index, nothing else.
            complete = (
                select(func.count()).where(Rep.session_id == SessionRow.id, Rep.complete.is_(True)).scalar_subquery()
            )
            corrected = (
                select(CountCorrection.corrected_count)
                .where(CountCorrection.session_id == SessionRow.id)
                .order_by(CountCorrection.id.desc())
                .limit(1)
                .scalar_subquery()
            )
            query = (
                select(
                    SessionRow.patient_id,
                    SessionRow.started_at,
                    SessionRow.exercise_id,
                    complete,
                    corrected,
                    CheckIn.pain,
                )
                .outerjoin(CheckIn, CheckIn.session_id == SessionRow.id)
                .where(SessionRow.patient_id.in_(ids), SessionRow.started_at >= since)
            )
            for patient_id, started_at, exercise_id, reps, corrected, pain in db.execute(query).all():
                found[patient_id].append(SessionCount(started_at, exercise_id, int(reps or 0), corrected, pain))
    return found


def last_session_at(store: Store, patient_ids: Sequence[int]) -> dict[int, dt.datetime]:
    """When each patient last started a session (patients without one are left out)."""
    found: dict[int, dt.datetime] = {}
    with store.reading() as db:
        for ids in _chunks(patient_ids):
            query = (
                select(SessionRow.patient_id, func.max(SessionRow.started_at))
                .where(SessionRow.patient_id.in_(ids))
                .group_by(SessionRow.patient_id)
            )
            for patient_id, last in db.execute(query).all():
                moment = aware_utc(last)
                if patient_id is not None and moment is not None:
                    found[patient_id] = moment
    return found


def programs_by_patient(store: Store, patient_ids: Sequence[int]) -> dict[int, list[ProgramInfo]]:
    """Every program version of each patient, oldest first (as `Store.program_history`); read as plain rows,
    two queries for all patients."""
    found: dict[int, list[ProgramInfo]] = defaultdict(list)
    with store.reading() as db:
        for ids in _chunks(patient_ids):
            theirs = Program.patient_id.in_(ids)
            items: dict[int, list[ProgramItemInfo]] = defaultdict(list)
            item_rows = db.execute(
                select(
                    ProgramItem.program_id,
                    ProgramItem.id,
                    ProgramItem.position,
                    ProgramItem.exercise_id,
                    ProgramItem.sets,
                    ProgramItem.reps,
                    ProgramItem.overrides,
                    ProgramItem.notes,
                    ProgramItem.progression,
                )
                .where(ProgramItem.program_id.in_(select(Program.id).where(theirs)))
                .order_by(ProgramItem.program_id, ProgramItem.position)
            )
            for program_id, *item in item_rows:
                item_id, position, exercise_id, sets, reps, overrides, notes, progression = item
                rule, problem = stored_rule(progression, f"program item {item_id}")
                items[program_id].append(
                    ProgramItemInfo(
                        item_id, position, exercise_id, sets, reps, dict(overrides or {}), notes, rule, problem
                    )
                )
            program_rows = db.execute(
                select(
                    Program.id,
                    Program.patient_id,
                    Program.name,
                    Program.weekdays,
                    Program.start_date,
                    Program.end_date,
                    Program.active,
                    Program.notes,
                )
                .where(theirs)
                .order_by(Program.id)
            )
            for program_id, patient_id, name, weekdays, start, end, active, notes in program_rows:
                found[patient_id].append(
                    ProgramInfo(program_id, patient_id, name, weekdays, start, end, active, items[program_id], notes)
                )
    return found


class PatientPain(NamedTuple):
    newest: PainFlag | None  # the flag of the patient's newest pain answer, when it is flagged (reviewed or not)
    open: list[PainFlag]  # flags nobody has reviewed yet, newest first


def pain_to_show(store: Store, patient_ids: Sequence[int]) -> dict[int, PatientPain]:
    """Each patient's newest pain answer's flag and open flags (session/pain_rule.py), as
    `Store.pain_flags_for` gives them, without reading every answer into Python.

    The database pairs each answer with the patient's previous one (in the rule's order: start time,
    then id) and sends only the newest answer and the unreviewed answers that the rule's thresholds
    could flag; `pain_rule.is_flagged` then decides, so the rule itself stays in one place."""
    oldest_first = (SessionRow.started_at, SessionRow.id)
    review_columns = (PainFlagReview.reviewed_by, PainFlagReview.host, PainFlagReview.reviewed_at, PainFlagReview.note)
    found: dict[int, PatientPain] = {}
    with store.reading() as db:
        for ids in _chunks(patient_ids):
            # One window, one sort: the answer before (lag) and whether one comes after (lead).
            answered = (
                select(
                    SessionRow.patient_id,
                    SessionRow.id,
                    SessionRow.started_at,
                    SessionRow.exercise_id,
                    CheckIn.pain,
                    func.lag(CheckIn.pain)
                    .over(partition_by=SessionRow.patient_id, order_by=oldest_first)
                    .label("prev"),
                    func.lead(SessionRow.id)
                    .over(partition_by=SessionRow.patient_id, order_by=oldest_first)
                    .label("next_id"),
                )
                .join(CheckIn, CheckIn.session_id == SessionRow.id)
                .where(SessionRow.patient_id.in_(ids), CheckIn.pain.is_not(None))
                .subquery()
            )
            a = answered.c
            newest = a.next_id.is_(None)
            may_flag = or_(a.pain >= PAIN_HIGH, a.pain - a.prev >= PAIN_RISE)
            query = (
                select(a.patient_id, a.id, a.started_at, a.exercise_id, a.pain, a.prev, newest, *review_columns)
                .outerjoin(PainFlagReview, PainFlagReview.session_id == a.id)
                .where(or_(newest, and_(may_flag, PainFlagReview.id.is_(None))))
                .order_by(a.patient_id, a.started_at.desc(), a.id.desc())
            )
            for patient_id, session_id, started_at, exercise_id, pain, previous, last, *review in db.execute(query):
                if not is_flagged(pain, previous):
                    continue
                reviewed = FlagReview(session_id, *review) if review[0] is not None else None
                flag = PainFlag(session_id, started_at, exercise_id, pain, previous, reviewed)
                shown = found.setdefault(patient_id, PatientPain(None, []))
                if last:
                    shown = found[patient_id] = shown._replace(newest=flag)
                if flag.open:
                    shown.open.append(flag)
    return found


def newest_qualities(store: Store, patient_ids: Sequence[int], count: int) -> dict[int, dict[str, list[float]]]:
    """The mean quality of the `count` newest rated sessions (with a complete rep) of each patient's exercises,
    newest first, rounded as `SessionInfo.mean_quality`.

    First from each exercise's `count` newest sessions, rated or not (a read of the sessions' index and of
    their reps' covering index); only where some of those were not rated and older sessions exist, again
    among the rated sessions alone."""
    found, short = _qualities(store, patient_ids, count, rated_only=False)
    if short:
        exact, _ = _qualities(store, sorted(short), count, rated_only=True)
        found.update({patient_id: exact.get(patient_id, {}) for patient_id in short})
    return found


def _qualities(
    store: Store, patient_ids: Sequence[int], count: int, *, rated_only: bool
) -> tuple[dict[int, dict[str, list[float]]], set[int]]:
    done = Rep.complete.is_(True)
    newest_first = (SessionRow.started_at.desc(), SessionRow.id.desc())
    exercise = (SessionRow.patient_id, SessionRow.exercise_id)
    found: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    short: set[int] = set()  # patients with an exercise whose newest sessions held too few rated ones
    with store.reading() as db:
        for ids in _chunks(patient_ids):
            where: list[ColumnElement[bool]] = [SessionRow.patient_id.in_(ids)]
            if rated_only:
                where.append(exists().where(Rep.session_id == SessionRow.id, done))
            ranked = (
                select(
                    SessionRow.id,
                    SessionRow.patient_id,
                    SessionRow.exercise_id,
                    func.row_number().over(partition_by=exercise, order_by=newest_first).label("rank"),
                )
                .where(*where)
                .subquery()
            )
            # One row more than asked for: its presence says that older sessions exist (its quality is not read).
            quality = select(func.avg(Rep.quality)).where(Rep.session_id == ranked.c.id, done).scalar_subquery()
            query = (
                select(
                    ranked.c.patient_id, ranked.c.exercise_id, ranked.c.rank, case((ranked.c.rank <= count, quality))
                )
                .where(ranked.c.rank <= count + 1)
                .order_by(ranked.c.patient_id, ranked.c.exercise_id, ranked.c.rank)
            )
            older: set[tuple[int, str]] = set()
            for patient_id, exercise_id, rank, mean in db.execute(query).all():
                if rank > count:
                    older.add((patient_id, exercise_id))
                elif mean is not None:
                    found[patient_id][exercise_id].append(round(float(mean), 1))
            short |= {patient_id for patient_id, exercise_id in older if len(found[patient_id][exercise_id]) < count}
    return found, short
