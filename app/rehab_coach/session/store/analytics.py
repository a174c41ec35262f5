"""Adherence (sessions done against prescribed) and the patient's plan for today.

A prescribed session is one program item on one scheduled day. The program in force
on a day is the newest version whose start date is on or before it, so editing a
program never rewrites what was prescribed before the edit. An item with a progression
rule prescribes, on each day, the reps (or hold time) its rule has reached by then
(`prescribed_item`): the one answer the picker, the kiosk, the therapist screens,
`patients show` and the PDF all read.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Mapping

from rehab_coach.session.done import ItemProgress
from rehab_coach.session.progression import HOLD_SECONDS, ProgressionStatus, evaluate
from rehab_coach.session.store.store import Store
from rehab_coach.session.store.views import Adherence, ProgramInfo, ProgramItemInfo, SessionInfo, TodayItem, TodayPlan

DaySessions = Mapping[dt.date, list[SessionInfo]]


def local_day(moment: dt.datetime) -> dt.date:
    """The patient's calendar day (the machine's time zone) of a stored UTC time."""
    return moment.astimezone().date()


def program_on(programs: list[ProgramInfo], day: dt.date) -> ProgramInfo | None:
    candidates = [p for p in programs if p.start_date <= day and (p.end_date is None or day <= p.end_date)]
    return max(candidates, key=lambda p: p.id) if candidates else None


def adherence(store: Store, patient_id: int, start: dt.date, end: dt.date) -> Adherence:
    """Count per day: an item is done or partial as `rehab_coach.session.done` defines it
    (prescribed reps reached across the day's sessions, corrected counts winning)."""
    return adherence_of(store.program_history(patient_id), store.sessions_for(patient_id), start, end)


def adherence_of(programs: list[ProgramInfo], sessions: list[SessionInfo], start: dt.date, end: dt.date) -> Adherence:
    """`adherence` over a patient's programs and sessions already read (one read serves several periods)."""
    by_day_sessions = sessions_by_day(sessions)
    prescribed = done = partial = 0
    by_day: dict[dt.date, tuple[int, int]] = {}
    day = start
    while day <= end:
        program = program_on(programs, day)
        if program is not None and program.scheduled_on(day):
            day_sessions = by_day_sessions.get(day, [])
            items = [prescribed_item(item, program, by_day_sessions, day)[0] for item in program.items]
            states = [item_progress(item, day_sessions).state for item in items]
            prescribed += len(states)
            done += states.count("done")
            partial += states.count("partial")
            by_day[day] = (len(states), states.count("done"))
        day += dt.timedelta(days=1)
    return Adherence(start, end, prescribed, done, partial, by_day)


def today_plan(store: Store, patient_id: int, day: dt.date | None = None) -> TodayPlan:
    day = day or dt.date.today()
    program = store.active_program(patient_id)
    if program is None:
        return TodayPlan(day, False, [])
    by_day = sessions_by_day(store.sessions_for(patient_id))
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


def item_progress(item: ProgramItemInfo, day_sessions: list[SessionInfo]) -> ItemProgress:
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


def sessions_by_day(sessions: list[SessionInfo]) -> dict[dt.date, list[SessionInfo]]:
    days: dict[dt.date, list[SessionInfo]] = defaultdict(list)
    for s in sessions:
        days[local_day(s.started_at)].append(s)
    return days


def _next_day(program: ProgramInfo, day: dt.date) -> dt.date | None:
    for ahead in range(1, 8):
        candidate = day + dt.timedelta(days=ahead)
        if program.scheduled_on(candidate):
            return candidate
    return None
