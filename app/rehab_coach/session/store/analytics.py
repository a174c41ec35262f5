"""Adherence (sessions done against prescribed) and the patient's plan for today.

A prescribed session is one program item on one scheduled day. The program in force
on a day is the newest version whose start date is on or before it, so editing a
program never rewrites what was prescribed before the edit. An item with a progression
rule prescribes, on each day, the reps (or hold time) its rule has reached by then
(`prescribed_item`): the one answer the picker, the kiosk, the therapist screens,
`patients show` and the PDF all read.

Both read only the sessions they need: those of their days, and, for an item with a
progression rule in force then, those since the day its rule counts from (`sessions_needed_from`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Protocol, TypeVar

from rehab_coach.session.done import ItemProgress, reps_counted
from rehab_coach.session.progression import HOLD_SECONDS, ProgressionStatus, ProgressSession, evaluate
from rehab_coach.session.store.store import Store
from rehab_coach.session.store.views import Adherence, ProgramInfo, ProgramItemInfo, SessionInfo, TodayItem, TodayPlan


class DatedCount(ProgressSession, Protocol):
    """A session as adherence and progression read it: its day, its exercise, its counted reps and the
    pain answered after it (`SessionInfo` is one; the patient list reads a lighter row)."""

    @property
    def started_at(self) -> dt.datetime: ...

    @property
    def exercise_id(self) -> str: ...


Dated = TypeVar("Dated", bound=DatedCount)
DaySessions = Mapping[dt.date, Sequence[DatedCount]]


def local_day(moment: dt.datetime) -> dt.date:
    """The patient's calendar day (the machine's time zone) of a stored UTC time."""
    return moment.astimezone().date()


def program_on(programs: Sequence[ProgramInfo], day: dt.date) -> ProgramInfo | None:
    candidates = [p for p in programs if p.start_date <= day and (p.end_date is None or day <= p.end_date)]
    return max(candidates, key=lambda p: p.id) if candidates else None


def in_force(programs: Sequence[ProgramInfo], start: dt.date, end: dt.date) -> list[ProgramInfo]:
    """The program versions in force on some day from `start` to `end`."""
    return [p for p in programs if p.start_date <= end and (p.end_date is None or start <= p.end_date)]


def sessions_needed_from(programs: Sequence[ProgramInfo], start: dt.date, end: dt.date) -> dt.date:
    """The first day whose sessions adherence from `start` to `end` needs: `start`, or the day an item's
    progression rule counts from, when an item with a rule is in force in the period."""
    first = start
    for program in in_force(programs, start, end):
        for item in program.items:
            if item.progression is not None:
                first = min(first, item.progression.since or program.start_date)
    return first


def reading_from(day: dt.date) -> dt.datetime:
    """The moment to read sessions from for local days from `day` on: a day's margin for time zones."""
    return dt.datetime.combine(day - dt.timedelta(days=1), dt.time()).astimezone()


def adherence(store: Store, patient_id: int, start: dt.date, end: dt.date) -> Adherence:
    """Count per day: an item is done or partial as `rehab_coach.session.done` defines it
    (prescribed reps reached across the day's sessions, corrected counts winning)."""
    programs = store.program_history(patient_id)
    since = reading_from(sessions_needed_from(programs, start, end))
    return adherence_of(programs, store.sessions_for(patient_id, since=since), start, end)


def adherence_of(
    programs: Sequence[ProgramInfo], sessions: Sequence[DatedCount], start: dt.date, end: dt.date
) -> Adherence:
    """`adherence` over one patient's program versions and sessions already read (at least those from
    `sessions_needed_from`; one read serves several periods)."""
    by_day_sessions: dict[dt.date, list[DatedCount]] = defaultdict(list)
    counted: dict[tuple[dt.date, str], int] = defaultdict(int)  # reps counted per day and exercise
    for session in sessions:
        day = local_day(session.started_at)
        by_day_sessions[day].append(session)
        counted[day, session.exercise_id] += reps_counted(session)
    by_day: dict[dt.date, tuple[int, int]] = {}
    partial_by_day: dict[dt.date, int] = {}
    # The patient list asks this for every patient: the versions in force are looked up by date range once,
    # and only a version with a progression rule has its items worked out day by day.
    versions = in_force(programs, start, end)
    progressing = {p.id for p in versions if any(item.progression is not None for item in p.items)}
    for offset in range((end - start).days + 1):
        day = start + dt.timedelta(days=offset)
        program = versions[0] if len(versions) == 1 else program_on(versions, day)
        if program is None or not program.scheduled_on(day):
            continue
        items = (
            [prescribed_item(item, program, by_day_sessions, day)[0] for item in program.items]
            if program.id in progressing
            else program.items
        )
        states = [ItemProgress(i.sets * i.reps, counted.get((day, i.exercise_id), 0)).state for i in items]
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
    since = reading_from(sessions_needed_from([program], day, day))
    by_day = sessions_by_day(store.sessions_for(patient_id, since=since))
    sessions = by_day.get(day, [])
    items = []
    for stored in program.items:
        item, status = prescribed_item(stored, program, by_day, day)
        items.append(_today_item(item, [s for s in sessions if s.exercise_id == item.exercise_id], status))
    scheduled = program.scheduled_on(day)
    return TodayPlan(day, scheduled, items, None if scheduled else _next_day(program, day))


def prescribed_item(
    item: ProgramItemInfo, program: ProgramInfo, by_day: DaySessions, day: dt.date
) -> tuple[ProgramItemInfo, ProgressionStatus | None]:
    """The item as prescribed on `day`: its reps, or its hold time, moved on by its progression rule
    (from the sessions of its exercise before that day), and where the progression stands."""
    rule = item.progression
    if rule is None:
        return item, None
    exercise_days = {d: [s for s in ss if s.exercise_id == item.exercise_id] for d, ss in by_day.items()}
    hold = item.overrides.get(HOLD_SECONDS)
    base = item.reps if rule.unit == "reps" else round(float(hold)) if isinstance(hold, int | float) else None
    if base is None:  # a rule in seconds without a hold time: the store refuses it, an old row may hold one
        return item, None
    status = evaluate(
        rule,
        since=rule.since or program.start_date,
        base=base,
        sets=item.sets,
        reps=item.reps,
        days=exercise_days,
        day=day,
    )
    if rule.unit == "reps":
        return dataclasses.replace(item, reps=status.value), status
    return dataclasses.replace(item, overrides={**item.overrides, HOLD_SECONDS: float(status.value)}), status


def item_progress(item: ProgramItemInfo, day_sessions: Sequence[DatedCount]) -> ItemProgress:
    return ItemProgress.of(item.sets, item.reps, (s for s in day_sessions if s.exercise_id == item.exercise_id))


def _today_item(item: ProgramItemInfo, sessions: list[SessionInfo], status: ProgressionStatus | None) -> TodayItem:
    progress = item_progress(item, sessions)
    rated = [s.mean_quality for s in sessions if s.mean_quality is not None]
    return TodayItem(
        item,
        progress.reps_done,
        min(item.sets, progress.reps_done // max(item.reps, 1)),
        len(sessions),
        rated[0] if rated else None,
        status,
    )


def sessions_by_day(sessions: Sequence[Dated]) -> dict[dt.date, list[Dated]]:
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
