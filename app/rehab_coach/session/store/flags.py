"""What a therapist should look at first: pain reported after exercising, missed sessions, falling quality.

Pain is flagged by the one rule of `rehab_coach.session.pain_rule` (7 or more, or 2 points or
more above the patient's previous answer); a flag stays **open** until a therapist marks it
reviewed, and a patient with an open flag is one that "Needs attention".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from rehab_coach.i18n import _
from rehab_coach.session.pain_rule import PAIN_HIGH, PAIN_RISE, PainFlag, newest_first, pain_flags
from rehab_coach.session.store.analytics import adherence_of
from rehab_coach.session.store.store import Store
from rehab_coach.session.store.views import Adherence, PatientInfo, SessionInfo

__all__ = ["PAIN_HIGH", "PAIN_RISE", "PainFlag", "PatientOverview", "pain_flags", "patient_overview"]

MISSED_WINDOW_DAYS = 7
MISSED_AT_LEAST = 2  # ... and at least half of what was prescribed in that window
QUALITY_WINDOW = 3  # sessions compared: the last three against the three before
QUALITY_DROP = 10.0  # points on the 0-100 quality score
ADHERENCE_DAYS = 28


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
    open_flags: list[PainFlag] = field(default_factory=list)  # pain flags nobody reviewed yet, newest first
    other_flags: list[str] = field(default_factory=list)  # `flags` but the pain: missed sessions, quality

    @property
    def adherence_text(self) -> str:
        ratio = self.adherence.ratio
        return "–" if ratio is None else f"{100 * ratio:.0f} %"

    @property
    def needs_attention(self) -> bool:
        return bool(self.open_flags)

    @property
    def newest_open_flag(self) -> PainFlag | None:
        return self.open_flags[0] if self.open_flags else None


def patient_overview(
    store: Store, patient: PatientInfo, today: dt.date | None = None, language: str | None = None
) -> PatientOverview:
    """The list row; `flags` in `language` (default: the one set with rehab_coach.i18n.set_language).
    Reads the patient's own sessions, programs and check-ins once each."""
    today = today or dt.date.today()
    sessions = store.sessions_for(patient.id)
    programs = store.program_history(patient.id)
    flagged = store.pain_flags_for(patient.id)
    newest_rated = next((s for s in sessions if s.pain is not None), None)  # sessions come newest first
    pain = flagged.get(newest_rated.id) if newest_rated is not None else None
    open_flags = newest_first(f for f in flagged.values() if f.open)
    yesterday = today - dt.timedelta(days=1)
    week = adherence_of(programs, sessions, today - dt.timedelta(days=MISSED_WINDOW_DAYS), yesterday)
    missed = week.prescribed - week.done - week.partial
    if missed < MISSED_AT_LEAST or 2 * missed < week.prescribed:
        missed = 0
    drop = _quality_drop(sessions)
    others = []
    if missed:
        others.append(_("{0} missed this week", language).format(missed))
    if drop is not None:
        others.append(_("quality down {0}", language).format(f"{drop:.0f}"))
    flags = [open_pain_text(open_flags, language)] if open_flags else []
    return PatientOverview(
        patient,
        patient.last_session_at or (sessions[0].started_at if sessions else None),
        adherence_of(programs, sessions, today - dt.timedelta(days=ADHERENCE_DAYS - 1), today),
        pain,
        missed,
        drop,
        flags + others,
        open_flags,
        others,
    )


def open_pain_text(open_flags: list[PainFlag], language: str | None = None) -> str:
    """The newest open flag in words, and how many older ones wait too."""
    text = open_flags[0].describe(language)
    if len(open_flags) > 1:
        text += " " + _("(+{0} earlier)", language).format(len(open_flags) - 1)
    return text


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
