"""Adherence (sessions done against prescribed) and the patient's plan for today.

A prescribed session is one program item on one scheduled day. The program in force
on a day is the newest version whose start date is on or before it, so editing a
program never rewrites what was prescribed before the edit.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Protocol, TypeVar

from rehab_coach.session.done import CountedSession, ItemProgress, reps_counted
from rehab_coach.session.store.store import Store
from rehab_coach.session.store.views import Adherence, ProgramInfo, ProgramItemInfo, SessionInfo, TodayItem, TodayPlan


def local_day(moment: dt.datetime) -> dt.date:
    """The patient's calendar day (the machine's time zone) of a stored UTC time."""
    return moment.astimezone().date()


def program_on(programs: Sequence[ProgramInfo], day: dt.date) -> ProgramInfo | None:
    candidates = [p for p in programs if p.start_date <= day and (p.end_date is None or day <= p.end_date)]
    return max(candidates, key=lambda p: p.id) if candidates else None


def adherence(store: Store, patient_id: int, start: dt.date, end: dt.date) -> Adherence:
    """Count per day: an item is done or partial as `rehab_coach.session.done` defines it
    (prescribed reps reached across the day's sessions, corrected counts winning)."""
    since = dt.datetime.combine(start - dt.timedelta(days=1), dt.time()).astimezone()  # a day's margin: time zones
    return adherence_of(store.program_history(patient_id), store.sessions_for(patient_id, since=since), start, end)


class DatedCount(CountedSession, Protocol):
    """A session as adherence reads it: its day, its exercise and its counted reps (`SessionInfo` is one)."""

    @property
    def started_at(self) -> dt.datetime: ...

    @property
    def exercise_id(self) -> str: ...


def adherence_of(
    programs: list[ProgramInfo], sessions: Sequence[DatedCount], start: dt.date, end: dt.date
) -> Adherence:
    """`adherence` from one patient's program versions and sessions (at least those of the period)."""
    counted: dict[tuple[dt.date, str], int] = defaultdict(int)  # reps counted per day and exercise
    for session in sessions:
        counted[local_day(session.started_at), session.exercise_id] += reps_counted(session)
    by_day: dict[dt.date, tuple[int, int]] = {}
    partial_by_day: dict[dt.date, int] = {}
    # The patient list asks this for every patient: the versions in force are looked up by date range once.
    versions = [p for p in programs if p.start_date <= end and (p.end_date is None or start <= p.end_date)]
    for offset in range((end - start).days + 1):
        day = start + dt.timedelta(days=offset)
        program = versions[0] if len(versions) == 1 else program_on(versions, day)
        if program is None or not program.scheduled_on(day):
            continue
        states = [ItemProgress(i.sets * i.reps, counted.get((day, i.exercise_id), 0)).state for i in program.items]
        by_day[day] = (len(states), states.count("done"))
        if "partial" in states:
            partial_by_day[day] = states.count("partial")
    prescribed = sum(items for items, _done in by_day.values())
    done = sum(finished for _items, finished in by_day.values())
    return Adherence(start, end, prescribed, done, sum(partial_by_day.values()), by_day, partial_by_day)


def today_plan(store: Store, patient_id: int, day: dt.date | None = None) -> TodayPlan:
    day = day or dt.date.today()
    program = store.active_program(patient_id)
    if program is None:
        return TodayPlan(day, False, [])
    since = dt.datetime.combine(day - dt.timedelta(days=1), dt.time()).astimezone()  # a day's margin: time zones
    sessions = _sessions_by_day(store.sessions_for(patient_id, since=since)).get(day, [])
    items = [_today_item(item, [s for s in sessions if s.exercise_id == item.exercise_id]) for item in program.items]
    scheduled = program.scheduled_on(day)
    return TodayPlan(day, scheduled, items, None if scheduled else _next_day(program, day))


def _item_progress(item: ProgramItemInfo, day_sessions: Sequence[DatedCount]) -> ItemProgress:
    return ItemProgress.of(item.sets, item.reps, (s for s in day_sessions if s.exercise_id == item.exercise_id))


def _today_item(item: ProgramItemInfo, sessions: list[SessionInfo]) -> TodayItem:
    progress = _item_progress(item, sessions)
    rated = [s.mean_quality for s in sessions if s.mean_quality is not None]
    return TodayItem(
        item,
        progress.reps_done,
        min(item.sets, progress.reps_done // max(item.reps, 1)),
        len(sessions),
        rated[0] if rated else None,
    )


Dated = TypeVar("Dated", bound=DatedCount)


def _sessions_by_day(sessions: Sequence[Dated]) -> dict[dt.date, list[Dated]]:
    days: dict[dt.date, list[Dated]] = defaultdict(list)
    for s in sessions:
        days[local_day(s.started_at)].append(s)
    return days


def _next_day(program: ProgramInfo, day: dt.date) -> dt.date | None:
    for ahead in range(1, 8):
        candidate = day + dt.timedelta(days=ahead)
        if program.scheduled_on(candidate):
            return candidate
    return None
