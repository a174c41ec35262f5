"""A patient's weeks at one glance: this week and the ones before, Monday to Sunday.

Per week:

- **sessions done / planned**: prescribed sessions (one per program item per scheduled day, the
  program version in force that day) and how many of them are done, as `session/done.py`
  defines it (docs/adherence.md). The current week counts its whole plan, days still to come
  included, so "2 / 6" on a Tuesday reads as "on the way".
- **reps done / prescribed**: over the same prescribed items, the reps counted on their days
  (a therapist's correction wins over the app's count) against sets × reps.
- **range of motion** of each exercise's primary measure: the mean excursion of the week's
  complete reps, and its change against the nearest earlier week with reps of that exercise.
- **pain flags** raised that week (session/pain_rule.py), reviewed or not.

Days are local calendar days of the session's start. Plain Python over what the store read
(`summarise_weeks`); `weekly_summary` reads one patient's sessions, programs and check-ins.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from rehab_coach.session.pain_rule import PainFlag, newest_first
from rehab_coach.session.store.analytics import item_progress, local_day, program_on, sessions_by_day
from rehab_coach.session.store.store import Store
from rehab_coach.session.store.views import ProgramInfo, SessionInfo

WEEKS_SHOWN = 6


@dataclass(frozen=True)
class WeekRom:
    exercise_id: str
    measure: str  # the exercise's primary measure, as its sessions stored it
    mean_rom: float  # mean excursion of the week's complete reps (the measure's unit)
    change: float | None  # against the nearest earlier week with reps of this exercise; None: none before
    sessions: int


@dataclass(frozen=True)
class WeekSummary:
    start: dt.date  # a Monday
    today: dt.date
    sessions_planned: int
    sessions_done: int
    sessions_partial: int
    reps_prescribed: int
    reps_done: int
    sessions_recorded: int  # every session that week, prescribed or not
    rom: list[WeekRom]
    pain_flags: list[PainFlag]  # newest first

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=6)

    @property
    def current(self) -> bool:
        return self.start <= self.today <= self.end

    @property
    def open_flags(self) -> int:
        return sum(1 for f in self.pain_flags if f.open)


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def summarise_weeks(
    programs: list[ProgramInfo],
    sessions: list[SessionInfo],
    flags: Mapping[int, PainFlag],
    today: dt.date,
    weeks: int = WEEKS_SHOWN,
) -> list[WeekSummary]:
    """The last `weeks` weeks, newest first; weeks before the first program and the first session are left out."""
    by_day = sessions_by_day(sessions)
    rom_by_week = _rom_by_week(sessions)
    flags_by_week: dict[dt.date, list[PainFlag]] = defaultdict(list)
    for flag in flags.values():
        flags_by_week[week_start(local_day(flag.started_at))].append(flag)
    earliest = min([p.start_date for p in programs] + [local_day(s.started_at) for s in sessions], default=today)
    summaries = []
    for back in range(weeks):
        start = week_start(today) - dt.timedelta(days=7 * back)
        if back and start + dt.timedelta(days=6) < earliest:
            break
        planned = done = partial = reps_prescribed = reps_done = recorded = 0
        for day in (start + dt.timedelta(days=d) for d in range(7)):
            day_sessions = by_day.get(day, [])
            recorded += len(day_sessions)
            program = program_on(programs, day)
            if program is None or not program.scheduled_on(day):
                continue
            for item in program.items:
                progress = item_progress(item, day_sessions)
                planned += 1
                done += progress.state == "done"
                partial += progress.state == "partial"
                reps_prescribed += progress.reps_prescribed
                reps_done += progress.reps_done
        summaries.append(
            WeekSummary(
                start,
                today,
                planned,
                done,
                partial,
                reps_prescribed,
                reps_done,
                recorded,
                _rom_changes(rom_by_week, start),
                newest_first(flags_by_week.get(start, [])),
            )
        )
    return summaries


def weekly_summary(
    store: Store, patient_id: int, today: dt.date | None = None, weeks: int = WEEKS_SHOWN
) -> list[WeekSummary]:
    return summarise_weeks(
        store.program_history(patient_id),
        store.sessions_for(patient_id),
        store.pain_flags_for(patient_id),
        today or dt.date.today(),
        weeks,
    )


# (exercise, measure) -> (mean excursion over the week's complete reps, sessions)
_WeekRoms = dict[tuple[str, str], tuple[float, int]]


def _rom_by_week(sessions: list[SessionInfo]) -> dict[dt.date, _WeekRoms]:
    """Each week's mean excursion per exercise, weighted by complete reps (a session of 2 reps weighs less)."""
    sums: dict[dt.date, dict[tuple[str, str], list[float]]] = defaultdict(dict)
    for s in sessions:
        if s.mean_rom is None or not s.reps_complete:
            continue
        key = (s.exercise_id, s.measure)
        total = sums[week_start(local_day(s.started_at))].setdefault(key, [0.0, 0.0, 0.0])
        total[0] += s.mean_rom * s.reps_complete
        total[1] += s.reps_complete
        total[2] += 1
    return {
        week: {key: (value / reps, int(count)) for key, (value, reps, count) in totals.items()}
        for week, totals in sums.items()
    }


def _rom_changes(rom_by_week: dict[dt.date, _WeekRoms], start: dt.date) -> list[WeekRom]:
    earlier_weeks = sorted((w for w in rom_by_week if w < start), reverse=True)
    out = []
    for (exercise_id, measure), (mean, count) in sorted(rom_by_week.get(start, {}).items()):
        before = next(
            (
                rom_by_week[w][(exercise_id, measure)][0]
                for w in earlier_weeks
                if (exercise_id, measure) in rom_by_week[w]
            ),
            None,
        )
        change = round(mean - before, 1) if before is not None else None
        out.append(WeekRom(exercise_id, measure, round(mean, 1), change, count))
    return out
