"""What each tab of the therapist's patient detail shows, read in one call (Qt-free).

The therapist screens never read the store on the GUI thread: each tab hands one of these reads
to a worker thread (`ui/background.NewestRead`) and only paints the answer. Each read gathers
everything its tab needs, so the tab never goes back to the store while it paints.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rehab_coach.session.period import PeriodBounds
from rehab_coach.session.store.analytics import adherence, today_plan
from rehab_coach.session.store.clinical import ClinicalResultInfo, clinical_results
from rehab_coach.session.store.flags import PainFlag
from rehab_coach.session.store.progress import PatientProgress, patient_progress
from rehab_coach.session.store.views import (
    Adherence,
    PatientInfo,
    ProgramInfo,
    SessionDetail,
    SessionInfo,
    TodayPlan,
    TrendPoint,
)

if TYPE_CHECKING:
    from rehab_coach.session.store.store import Store


@dataclass(frozen=True)
class ProgramView:
    """The Program tab: the program in force and, when an item has a progression rule, today's plan
    (where each rule stands today)."""

    program: ProgramInfo | None
    today: TodayPlan | None


def read_program(store: Store, patient_id: int) -> ProgramView:
    program = store.active_program(patient_id)
    has_rule = program is not None and any(item.progression is not None for item in program.items)
    return ProgramView(program, today_plan(store, patient_id) if has_rule else None)


@dataclass(frozen=True)
class SessionRows:
    """The Sessions tab: the sessions of a period (newest first), every pain flag of the patient (a
    rise needs the answer before the period), and the session to show in detail."""

    patient_id: int
    sessions: list[SessionInfo]
    flags: dict[int, PainFlag]
    shown: SessionDetail | None  # the one asked for when still listed, else the newest; None: no sessions
    older: bool  # none in the period, but some before it

    @property
    def shown_row(self) -> int | None:
        if self.shown is None:
            return None
        return next(row for row, session in enumerate(self.sessions) if session.id == self.shown.session.id)


def read_session_rows(store: Store, patient_id: int, bounds: PeriodBounds, shown: int | None = None) -> SessionRows:
    """The sessions in `bounds`; `shown` (a session id) stays the one in detail while it is listed."""
    sessions = store.sessions_for(patient_id, since=bounds.since, until=bounds.until)
    ids = [session.id for session in sessions]
    chosen = shown if shown in ids else (ids[0] if ids else None)
    older = not sessions and bounds.since is not None and bool(store.sessions_for(patient_id, limit=1))
    return SessionRows(
        patient_id,
        sessions,
        store.pain_flags_for(patient_id),
        store.session_detail(chosen) if chosen is not None else None,
        older,
    )


@dataclass(frozen=True)
class TrendsView:
    """The Progress tab: every session's figures (oldest first; a choice of exercise only filters
    them) and the adherence over the chosen number of days up to today."""

    points: list[TrendPoint]
    adherence: Adherence


def adherence_over(store: Store, patient_id: int, days: int, end: dt.date | None = None) -> Adherence:
    """The adherence over the last `days` days, `end` (today) included."""
    end = end or dt.date.today()
    return adherence(store, patient_id, end - dt.timedelta(days=days - 1), end)


def read_trends(store: Store, patient_id: int, adherence_days: int) -> TrendsView:
    return TrendsView(store.trends(patient_id), adherence_over(store, patient_id, adherence_days))


@dataclass(frozen=True)
class TodayView:
    """The patient's own view: today's plan, the last weeks' progress, and each planned exercise's
    session figures (oldest first)."""

    plan: TodayPlan
    progress: PatientProgress
    trends: dict[str, list[TrendPoint]]


def read_today(store: Store, patient_id: int, day: dt.date | None = None) -> TodayView:
    plan = today_plan(store, patient_id, day)
    planned = {entry.item.exercise_id for entry in plan.items}
    trends: dict[str, list[TrendPoint]] = defaultdict(list)
    for point in store.trends(patient_id) if planned else []:
        if point.exercise_id in planned:
            trends[point.exercise_id].append(point)
    return TodayView(plan, patient_progress(store, patient_id, day), dict(trends))


@dataclass(frozen=True)
class ClinicalView:
    """The Tests tab: the patient (the norms depend on age and sex) and every standard test result."""

    patient: PatientInfo
    results: list[ClinicalResultInfo]


def read_clinical(store: Store, patient_id: int) -> ClinicalView:
    return ClinicalView(store.patient(patient_id), clinical_results(store, patient_id))
