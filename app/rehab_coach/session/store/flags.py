"""What a therapist should look at first: pain reported after exercising, missed sessions, falling quality.

Pain is flagged by the one rule of `rehab_coach.session.pain_rule` (7 or more, or 2 points or
more above the patient's previous answer); a flag stays **open** until a therapist marks it
reviewed, and a patient with an open flag is one that "Needs attention".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from rehab_coach.i18n import _
from rehab_coach.session.pain_rule import PAIN_HIGH, PAIN_RISE, PainFlag, pain_flags
from rehab_coach.session.store import overview_queries as reads
from rehab_coach.session.store.analytics import adherence_of, reading_from, sessions_needed_from
from rehab_coach.session.store.store import Store
from rehab_coach.session.store.views import Adherence, PatientInfo, ProgramInfo

__all__ = [
    "PAIN_HIGH",
    "PAIN_RISE",
    "PainFlag",
    "PatientOverview",
    "pain_flags",
    "patient_overview",
    "patient_overviews",
]

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
    """The rows of these patients, in their order: a few reads for all of them, then plain Python."""
    today = today or dt.date.today()
    ids = [p.id for p in patients]
    first_day = today - dt.timedelta(days=ADHERENCE_DAYS - 1)
    programs = reads.programs_by_patient(store, ids)
    recent = _sessions_needed(store, programs, ids, first_day, today)
    pains = reads.pain_to_show(store, ids)
    qualities = reads.newest_qualities(store, ids, 2 * QUALITY_WINDOW)
    last = reads.last_session_at(store, [p.id for p in patients if p.last_session_at is None])
    yesterday = today - dt.timedelta(days=1)
    overviews = []
    for patient in patients:
        sessions, history = recent.get(patient.id, []), programs.get(patient.id, [])
        pain = pains.get(patient.id, reads.PatientPain(None, []))
        month = adherence_of(history, sessions, first_day, today)
        week = month.within(today - dt.timedelta(days=MISSED_WINDOW_DAYS), yesterday)
        missed = week.prescribed - week.done - week.partial
        if missed < MISSED_AT_LEAST or 2 * missed < week.prescribed:
            missed = 0
        drop = quality_drop(qualities.get(patient.id, {}))
        others = []
        if missed:
            others.append(_("{0} missed this week", language).format(missed))
        if drop is not None:
            others.append(_("quality down {0}", language).format(f"{drop:.0f}"))
        flags = [open_pain_text(pain.open, language)] if pain.open else []
        overviews.append(
            PatientOverview(
                patient,
                patient.last_session_at or last.get(patient.id),
                month,
                pain.newest,
                missed,
                drop,
                flags + others,
                pain.open,
                others,
            )
        )
    return overviews


def _sessions_needed(
    store: Store, programs: dict[int, list[ProgramInfo]], ids: list[int], first_day: dt.date, today: dt.date
) -> dict[int, list[reads.SessionCount]]:
    """The sessions each patient's adherence needs: the window's, and for a patient with a progression rule
    in force, those since its rule counts from (a second read for those patients only)."""
    needed = {i: sessions_needed_from(programs.get(i, []), first_day, today) for i in ids}
    progressing = [i for i in ids if needed[i] < first_day]
    plain = [i for i in ids if needed[i] >= first_day]
    found = reads.counts_since(store, plain, reading_from(first_day)) if plain else {}
    if progressing:
        found.update(reads.counts_since(store, progressing, reading_from(min(needed[i] for i in progressing))))
    return found


def open_pain_text(open_flags: list[PainFlag], language: str | None = None) -> str:
    """The newest open flag in words, and how many older ones wait too."""
    text = open_flags[0].describe(language)
    if len(open_flags) > 1:
        text += " " + _("(+{0} earlier)", language).format(len(open_flags) - 1)
    return text


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
