"""What a therapist should look at first: pain reported after exercising, missed sessions, falling quality.

Pain is flagged when the patient reports 7 or more on the 0-10 scale, or 2 points or more
above their previous answer (any exercise: it is the patient's pain, not the exercise's).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from rehab_coach.i18n import _
from rehab_coach.session.store import overview_queries as reads
from rehab_coach.session.store.analytics import adherence_of
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


def patient_overviews(
    store: Store,
    search: str = "",
    *,
    include_archived: bool = False,
    today: dt.date | None = None,
    language: str | None = None,
) -> list[PatientOverview]:
    """The therapist's patient list (`Store.list_patients(search)`), every row in a few queries for all of
    them (`overview_queries.py`); `flags` in `language` (default: the one set with rehab_coach.i18n)."""
    return overviews_of(store, store.list_patients(search, include_archived=include_archived), today, language)


def patient_overview(
    store: Store, patient: PatientInfo, today: dt.date | None = None, language: str | None = None
) -> PatientOverview:
    """One row of the list."""
    return overviews_of(store, [patient], today, language)[0]


def overviews_of(
    store: Store, patients: list[PatientInfo], today: dt.date | None = None, language: str | None = None
) -> list[PatientOverview]:
    """The rows of these patients, in their order: five reads for all of them, then plain Python."""
    today = today or dt.date.today()
    ids = [p.id for p in patients]
    first_day = today - dt.timedelta(days=ADHERENCE_DAYS - 1)
    since = dt.datetime.combine(first_day - dt.timedelta(days=1), dt.time()).astimezone()  # a day's margin: time zones
    recent = reads.counts_since(store, ids, since)
    programs = reads.programs_by_patient(store, ids)
    answers = reads.newest_pain_answers(store, ids)
    qualities = reads.newest_qualities(store, ids, 2 * QUALITY_WINDOW)
    last = reads.last_session_at(store, [p.id for p in patients if p.last_session_at is None])
    yesterday = today - dt.timedelta(days=1)
    overviews = []
    for patient in patients:
        sessions, history = recent.get(patient.id, []), programs.get(patient.id, [])
        pain = _newest_pain_flag(answers.get(patient.id, []))
        month = adherence_of(history, sessions, first_day, today)
        week = month.within(today - dt.timedelta(days=MISSED_WINDOW_DAYS), yesterday)
        missed = week.prescribed - week.done - week.partial
        if missed < MISSED_AT_LEAST or 2 * missed < week.prescribed:
            missed = 0
        drop = quality_drop(qualities.get(patient.id, {}))
        flags = [pain.describe(language)] if pain else []
        if missed:
            flags.append(_("{0} missed this week", language).format(missed))
        if drop is not None:
            flags.append(_("quality down {0}", language).format(f"{drop:.0f}"))
        overviews.append(
            PatientOverview(
                patient,
                patient.last_session_at or last.get(patient.id),
                month,
                pain,
                missed,
                drop,
                flags,
            )
        )
    return overviews


def _newest_pain_flag(answers: list[reads.PainAnswer]) -> PainFlag | None:
    """The flag of the newest answer (answers newest first, as `overview_queries.newest_pain_answers` gives them)."""
    if not answers:
        return None
    newest = answers[0]
    previous = answers[1].pain if len(answers) > 1 else None
    flag = PainFlag(newest.session_id, newest.started_at, newest.exercise_id, newest.pain, previous)
    return flag if flag.high or flag.risen else None


def quality_drop(qualities: dict[str, list[float]]) -> float | None:
    """The largest fall of mean quality, per exercise (scores of different exercises do not compare), from
    each exercise's rated sessions' mean quality, newest first."""
    drops = []
    for rated in qualities.values():
        if len(rated) < 2 * QUALITY_WINDOW:
            continue
        recent = sum(rated[:QUALITY_WINDOW]) / QUALITY_WINDOW
        before = sum(rated[QUALITY_WINDOW : 2 * QUALITY_WINDOW]) / QUALITY_WINDOW
        drops.append(before - recent)
    worst = max(drops, default=0.0)
    return round(worst, 1) if worst >= QUALITY_DROP else None
