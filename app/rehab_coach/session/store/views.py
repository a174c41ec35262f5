"""Plain, detached records the store hands out: screens and exports never hold ORM objects,
so nothing lazy-loads from a closed database session behind their back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pydantic.dataclasses import dataclass as pydantic_dataclass

from rehab_coach.engine.types import RepResult
from rehab_coach.session import done as done_rule
from rehab_coach.session.progression import ProgressionRule, ProgressionStatus

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EVERY_DAY = 0b1111111


def weekdays_mask(names: list[str] | tuple[str, ...] | str) -> int:
    """`"mon,wed,fri"` or `["mon", "wed"]` -> bit mask (bit 0 = Monday)."""
    items = names.split(",") if isinstance(names, str) else list(names)
    mask = 0
    for name in (n.strip().lower()[:3] for n in items if n.strip()):
        if name not in WEEKDAY_NAMES:
            raise ValueError(f"unknown weekday {name!r}; use {', '.join(WEEKDAY_NAMES)}")
        mask |= 1 << WEEKDAY_NAMES.index(name)
    return mask


def weekdays_names(mask: int) -> list[str]:
    return [name for i, name in enumerate(WEEKDAY_NAMES) if mask & (1 << i)]


@dataclass(frozen=True)
class PatientInfo:
    id: int
    code: str
    display_name: str
    notes: str = ""
    archived: bool = False
    created_at: dt.datetime | None = None
    last_session_at: dt.datetime | None = None
    checkin_factor: str | None = None  # the kiosk asks for it after the name: "birth_year", "pin" or None
    birth_year: int | None = None  # optional: a clinical test's result is read against norms by age
    sex: str | None = None  # optional: "female" or "male", for norms that differ by sex

    def label(self, max_name: int = 28) -> str:
        """Name and code for a narrow place ("Alexandra Kon…Papadopoulos [P-0042]"): the code always
        whole, where it tells two patients apart; a name longer than `max_name` characters loses its
        middle, never its start or its end."""
        return f"{elide_middle(self.display_name, max_name)} [{self.code}]"

    @property
    def short_name(self) -> str:
        """First name and the initial of the last ("Alice S."): what a kiosk shows in a waiting room."""
        words = self.display_name.split()
        if len(words) < 2:
            return self.display_name
        return f"{words[0]} {words[-1][:1]}."


def elide_middle(text: str, limit: int) -> str:
    """`text` cut to `limit` characters by an ellipsis in its middle."""
    text = " ".join(text.split())
    if len(text) <= limit or limit < 3:
        return text
    head = limit // 2
    tail = limit - 1 - head
    return f"{text[:head].rstrip()}…{text[len(text) - tail :].lstrip()}"


@dataclass(frozen=True)
class ItemSpec:
    """One exercise of a program as the therapist enters it."""

    exercise_id: str
    sets: int = 3
    reps: int = 10
    overrides: dict[str, Any] = field(default_factory=dict)
    notes: str = ""
    progression: ProgressionRule | None = None  # reps or hold time growing over the weeks


@dataclass(frozen=True)
class ProgramSpec:
    items: list[ItemSpec]
    weekdays: int = EVERY_DAY
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    name: str = ""
    notes: str = ""


@dataclass(frozen=True)
class ProgramItemInfo:
    id: int
    position: int
    exercise_id: str
    sets: int
    reps: int
    overrides: dict[str, Any]
    notes: str = ""
    progression: ProgressionRule | None = None
    progression_problem: str = ""  # a stored rule that cannot be read: what is wrong with it

    def as_spec(self) -> ItemSpec:
        return ItemSpec(self.exercise_id, self.sets, self.reps, dict(self.overrides), self.notes, self.progression)


@dataclass(frozen=True)
class ProgramInfo:
    id: int
    patient_id: int
    name: str
    weekdays: int
    start_date: dt.date
    end_date: dt.date | None
    active: bool
    items: list[ProgramItemInfo]
    notes: str = ""

    def scheduled_on(self, day: dt.date) -> bool:
        in_range = self.start_date <= day and (self.end_date is None or day <= self.end_date)
        return in_range and bool(self.weekdays & (1 << day.weekday()))

    def as_spec(self) -> ProgramSpec:
        items = [i.as_spec() for i in self.items]
        return ProgramSpec(items, self.weekdays, self.start_date, self.end_date, self.name, self.notes)


@dataclass(frozen=True)
class SessionInfo:
    id: int
    uid: str
    patient_id: int | None
    patient_code: str | None
    exercise_id: str
    program_item_id: int | None
    status: str
    started_at: dt.datetime
    ended_at: dt.datetime | None
    measure: str
    direction: str
    target: float | None
    ideal: float | None
    overrides: dict[str, Any]
    summary: dict[str, Any] | None
    reps_complete: int = 0
    reps_partial: int = 0
    mean_quality: float | None = None
    mean_rom: float | None = None
    max_rom: float | None = None
    best_extreme: float | None = None
    recording_path: str | None = None
    pain: int | None = None  # the patient's check-in after the exercise (NRS 0-10), None: not asked or skipped
    effort: int | None = None  # Borg CR10, 0-10
    corrected_reps: int | None = None  # the therapist's newest count correction, if any
    fps_mean: float | None = None  # frames through the engine per second, whole session (None: not measured)
    fps_lowest: float | None = None  # and in its slowest few seconds

    @property
    def reps_counted(self) -> int:
        """Complete reps as they count: the therapist's correction when there is one, else as recorded."""
        return done_rule.reps_counted(self)


@dataclass(frozen=True)
class PainAnswerInfo:
    """A session's pain answer, as the pain rule reads it (session/pain_rule.py)."""

    id: int  # the session's
    started_at: dt.datetime
    exercise_id: str
    pain: int | None


@pydantic_dataclass(kw_only=True)
class RepInfo(RepResult):
    """A stored rep: the engine's `RepResult` (curve as stored, downsampled) and where it sits in the session."""

    seq: int  # across the session's sets, from 1
    set_number: int | None


@dataclass(frozen=True)
class CueInfo:
    seq: int
    t: float
    kind: str
    cue_id: str
    text: str
    priority: int


@dataclass(frozen=True)
class CheckInInfo:
    session_id: int
    pain: int | None
    effort: int | None
    recorded_at: dt.datetime


@dataclass(frozen=True)
class CorrectionInfo:
    """One correction of a session's rep count; the original count stays beside it."""

    session_id: int
    original_count: int
    corrected_count: int
    reason: str
    host: str
    corrected_at: dt.datetime


@dataclass(frozen=True)
class SessionDetail:
    session: SessionInfo
    reps: list[RepInfo]
    cues: list[CueInfo]
    corrections: list[CorrectionInfo] = field(default_factory=list)  # oldest first


@dataclass(frozen=True)
class TrendPoint:
    """One session's figures for the trend plots."""

    session_id: int
    started_at: dt.datetime
    exercise_id: str
    status: str
    reps_complete: int
    mean_rom: float | None
    max_rom: float | None
    best_extreme: float | None
    mean_quality: float | None


@dataclass(frozen=True)
class Adherence:
    """Sessions done against sessions prescribed (one per program item per scheduled day); done and
    partial as `rehab_coach.session.done` defines them."""

    start: dt.date
    end: dt.date
    prescribed: int
    done: int
    partial: int
    by_day: dict[dt.date, tuple[int, int]] = field(default_factory=dict)  # day -> (prescribed, done)
    partial_by_day: dict[dt.date, int] = field(default_factory=dict)  # day -> partial items, when any

    @property
    def ratio(self) -> float | None:
        return self.done / self.prescribed if self.prescribed else None

    def within(self, start: dt.date, end: dt.date) -> Adherence:
        """The same counts over the days of this period from `start` to `end` (both included)."""
        days = {day: counts for day, counts in self.by_day.items() if start <= day <= end}
        partial = {day: n for day, n in self.partial_by_day.items() if start <= day <= end}
        return Adherence(
            max(start, self.start),
            min(end, self.end),
            sum(prescribed for prescribed, _done in days.values()),
            sum(done for _prescribed, done in days.values()),
            sum(partial.values()),
            days,
            partial,
        )


@dataclass(frozen=True)
class TodayItem:
    """What the patient's own view shows for one exercise of today's program. `item` is the
    prescription in force today: the stored item with its progression applied (reps, or the hold
    time); `progression` says how it got there."""

    item: ProgramItemInfo
    reps_done: int  # counted today across sessions, corrections winning (rehab_coach.session.done)
    sets_done: int
    sessions_today: int
    last_quality: float | None
    progression: ProgressionStatus | None = None

    @property
    def reps_prescribed(self) -> int:
        return self.item.sets * self.item.reps

    @property
    def progress(self) -> done_rule.ItemProgress:
        return done_rule.ItemProgress(self.reps_prescribed, self.reps_done)

    @property
    def done(self) -> bool:
        return self.progress.done


@dataclass(frozen=True)
class ProtocolInfo:
    """A named program to start patients from ("TKA weeks 0-2"): its exercises with their dosage,
    overrides and progression rules (without a start day), and its days of the week."""

    id: int
    name: str
    weekdays: int
    items: list[ItemSpec]
    notes: str = ""
    updated_at: dt.datetime | None = None


@dataclass(frozen=True)
class TodayPlan:
    day: dt.date
    scheduled: bool
    items: list[TodayItem]
    next_day: dt.date | None = None  # the next scheduled day when today is a rest day
