"""What a therapist should look at first: pain reported after exercising, missed sessions, falling quality.

Pain is flagged when the patient reports 7 or more on the 0-10 scale, or 2 points or more
above their previous answer (any exercise: it is the patient's pain, not the exercise's).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from rehab_coach.i18n import _
from rehab_coach.session.store.analytics import adherence
from rehab_coach.session.store.store import Store
from rehab_coach.session.store.views import Adherence, PatientInfo, SessionInfo

PAIN_HIGH = 7  # NRS: 7-10 is severe pain
PAIN_RISE = 2  # a rise of 2 points is the usual minimal clinically important difference
MISSED_WINDOW_DAYS = 7
MISSED_AT_LEAST = 2  # ... and at least half of what was prescribed in that window
QUALITY_WINDOW = 3  # sessions compared: the last three against the three before
QUALITY_DROP = 10.0  # points on the 0-100 quality score
ADHERENCE_DAYS = 28


@dataclass(frozen=True)
class PainFlag:
    session_id: int
    started_at: dt.datetime
    exercise_id: str
    pain: int
    previous: int | None  # the answer before, if any

    @property
    def high(self) -> bool:
        return self.pain >= PAIN_HIGH

    @property
    def risen(self) -> bool:
        return self.previous is not None and self.pain - self.previous >= PAIN_RISE

    def describe(self, language: str | None = None) -> str:
        parts = []
        if self.high:
            parts.append(_("pain {0}/10", language).format(self.pain))
        if self.risen:
            parts.append(_("pain up {0}→{1}", language).format(self.previous, self.pain))
        return _(", ", language).join(parts)


def pain_flags(sessions: list[SessionInfo]) -> dict[int, PainFlag]:
    """Flagged sessions by id, for sessions of one patient (in any order)."""
    flags: dict[int, PainFlag] = {}
    previous: int | None = None
    for s in sorted(sessions, key=lambda s: (s.started_at, s.id)):
        if s.pain is None:
            continue
        flag = PainFlag(s.id, s.started_at, s.exercise_id, s.pain, previous)
        if flag.high or flag.risen:
            flags[s.id] = flag
        previous = s.pain
    return flags


@dataclass(frozen=True)
class PatientOverview:
    """One row of the therapist's patient list."""

    patient: PatientInfo
    last_session_at: dt.datetime | None
    adherence: Adherence
    pain: PainFlag | None = None  # the newest answer, when it is flagged
    missed: int = 0  # prescribed sessions not done in the last week (today not counted)
    quality_drop: float | None = None  # how far the mean quality fell, when it did
    flags: list[str] = field(default_factory=list)  # the above in words, most urgent first

    @property
    def adherence_text(self) -> str:
        ratio = self.adherence.ratio
        return "–" if ratio is None else f"{100 * ratio:.0f} %"


def patient_overview(
    store: Store, patient: PatientInfo, today: dt.date | None = None, language: str | None = None
) -> PatientOverview:
    """The list row; `flags` in `language` (default: the one set with rehab_coach.i18n.set_language)."""
    today = today or dt.date.today()
    sessions = store.sessions_for(patient.id)
    newest_rated = next((s for s in sessions if s.pain is not None), None)  # sessions come newest first
    flagged = pain_flags(sessions)
    pain = flagged.get(newest_rated.id) if newest_rated is not None else None
    yesterday = today - dt.timedelta(days=1)
    week = adherence(store, patient.id, today - dt.timedelta(days=MISSED_WINDOW_DAYS), yesterday)
    missed = week.prescribed - week.done - week.partial
    if missed < MISSED_AT_LEAST or 2 * missed < week.prescribed:
        missed = 0
    drop = _quality_drop(sessions)
    flags = [pain.describe(language)] if pain else []
    if missed:
        flags.append(_("{0} missed this week", language).format(missed))
    if drop is not None:
        flags.append(_("quality down {0}", language).format(f"{drop:.0f}"))
    return PatientOverview(
        patient,
        patient.last_session_at or (sessions[0].started_at if sessions else None),
        adherence(store, patient.id, today - dt.timedelta(days=ADHERENCE_DAYS - 1), today),
        pain,
        missed,
        drop,
        flags,
    )


def _quality_drop(sessions: list[SessionInfo]) -> float | None:
    """The largest fall of mean quality, per exercise (scores of different exercises do not compare)."""
    drops = []
    for exercise_id in {s.exercise_id for s in sessions}:
        rated = [s.mean_quality for s in sessions if s.exercise_id == exercise_id and s.mean_quality is not None]
        if len(rated) < 2 * QUALITY_WINDOW:  # newest first
            continue
        recent = sum(rated[:QUALITY_WINDOW]) / QUALITY_WINDOW
        before = sum(rated[QUALITY_WINDOW : 2 * QUALITY_WINDOW]) / QUALITY_WINDOW
        drops.append(before - recent)
    worst = max(drops, default=0.0)
    return round(worst, 1) if worst >= QUALITY_DROP else None
