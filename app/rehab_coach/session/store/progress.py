"""The patient's own progress: a calendar of the last weeks (sessions done against prescribed),
the streak of days done in a row, and how range of motion and quality moved per exercise."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from rehab_coach.session.store.analytics import adherence
from rehab_coach.session.store.store import Store

DayState = Literal["done", "partial", "missed", "rest", "today", "future"]


@dataclass(frozen=True)
class DayMark:
    day: dt.date
    prescribed: int
    done: int
    today: dt.date

    @property
    def state(self) -> DayState:
        if self.day > self.today:
            return "future"
        if not self.prescribed:
            return "rest"
        if self.done >= self.prescribed:
            return "done"
        if self.day == self.today:
            return "today"  # still time to do it: not missed
        return "partial" if self.done else "missed"


@dataclass(frozen=True)
class ExerciseTrend:
    exercise_id: str
    sessions: int
    first_rom: float | None
    last_rom: float | None
    first_quality: float | None
    last_quality: float | None


@dataclass(frozen=True)
class PatientProgress:
    days: list[DayMark]  # whole weeks, Monday first, ending with the week of `today`
    streak: int  # exercise days done in a row (rest days do not break it)
    trends: list[ExerciseTrend]

    @property
    def done_days(self) -> int:
        return sum(1 for d in self.days if d.state == "done")

    @property
    def exercise_days(self) -> int:
        return sum(1 for d in self.days if d.prescribed and d.day <= d.today)


def patient_progress(store: Store, patient_id: int, today: dt.date | None = None, weeks: int = 4) -> PatientProgress:
    today = today or dt.date.today()
    start = today - dt.timedelta(days=today.weekday() + 7 * (weeks - 1))
    end = start + dt.timedelta(days=7 * weeks - 1)
    counts = adherence(store, patient_id, start, end).by_day
    days = [
        DayMark(day, *counts.get(day, (0, 0)), today=today)
        for day in (start + dt.timedelta(days=i) for i in range(7 * weeks))
    ]
    return PatientProgress(days, _streak(store, patient_id, today), _trends(store, patient_id))


def _streak(store: Store, patient_id: int, today: dt.date, horizon_days: int = 365) -> int:
    counts = adherence(store, patient_id, today - dt.timedelta(days=horizon_days), today).by_day
    streak = 0
    day = today
    while day >= today - dt.timedelta(days=horizon_days):
        prescribed, done = counts.get(day, (0, 0))
        if prescribed:
            if done >= prescribed:
                streak += 1
            elif day != today:  # today may still be done later
                break
        day -= dt.timedelta(days=1)
    return streak


def _trends(store: Store, patient_id: int) -> list[ExerciseTrend]:
    by_exercise: dict[str, list[Any]] = {}
    for point in store.trends(patient_id):
        if point.reps_complete:
            by_exercise.setdefault(point.exercise_id, []).append(point)
    return [
        ExerciseTrend(
            exercise_id,
            len(points),
            points[0].mean_rom,
            points[-1].mean_rom,
            points[0].mean_quality,
            points[-1].mean_quality,
        )
        for exercise_id, points in sorted(by_exercise.items())
    ]
