"""A program item's progression rule: its reps (or hold time) grow while the patient keeps up and
pain stays low, e.g. "+2 reps every week while pain stays under 4, up to 16".

The rule is data (a pydantic model stored with the program item). `evaluate` turns it into the
value in force on a given day, from the sessions of the item's exercise, day by day: their counts
as `rehab_coach.session.done` counts them (a therapist's correction wins) and the pain the patient
reported after each. Plain Python, no store and no clock: the store's today plan and adherence call
it with the day (docs/programs.md).

Every `every` days or weeks from `since`, one step is added when, in the period just ended:
- no check-in of the exercise reported pain at or above `pain_ceiling` (the progression holds), and
- the item was done (its sets x reps in force reached) on at least one day (it holds otherwise).
The value never passes `maximum`. Pain at the ceiling in the period still running holds the next
step already, and the reason says so.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from rehab_coach.errors import first_problem
from rehab_coach.i18n import day_text, ngettext, translate
from rehab_coach.session.done import CountedSession, ItemProgress

log = logging.getLogger(__name__)

Unit = Literal["reps", "seconds"]  # seconds: the hold time of a hold exercise
Period = Literal["days", "weeks"]
Outcome = Literal["waiting", "progressed", "held_pain", "held_not_done", "at_maximum"]

MAX_REPS = 100  # what a program item may prescribe (the editor's and the command line's limit)
MAX_HOLD_SECONDS = 600
HOLD_SECONDS = "hold.seconds"  # the item override a progression in seconds moves


class ProgressionRule(BaseModel):
    """How a program item's reps (or hold seconds) grow. `since` is the day the periods count from:
    set when the program is saved (its start date unless given); None in a protocol."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    step: int = Field(ge=1, le=50, description="reps, or seconds of hold, added at each step")
    unit: Unit = "reps"
    every: int = Field(default=1, ge=1, le=52)
    period: Period = "weeks"
    pain_ceiling: int | None = Field(
        default=None, ge=1, le=10, description="pain (NRS 0-10) at or above this holds the progression"
    )
    maximum: int = Field(ge=1, description="the value the progression stops at")
    since: dt.date | None = None

    @model_validator(mode="after")
    def _maximum_within_limits(self) -> ProgressionRule:
        limit = MAX_REPS if self.unit == "reps" else MAX_HOLD_SECONDS
        if self.maximum > limit:
            raise ValueError(f"maximum {self.maximum} is more than {limit} {self.unit}")
        return self

    @property
    def period_days(self) -> int:
        return self.every * (7 if self.period == "weeks" else 1)

    def stored(self) -> dict[str, Any]:
        """The JSON kept in the database."""
        return self.model_dump(mode="json")

    def describe(self, language: str | None = None) -> str:
        """The rule in words: "+2 reps every week while pain stays under 4, up to 16"."""
        if self.period == "weeks":
            every = (
                translate("week", language)
                if self.every == 1
                else ngettext("{0} week", "{0} weeks", self.every, language).format(self.every)
            )
        else:
            every = (
                translate("day", language)
                if self.every == 1
                else ngettext("{0} day", "{0} days", self.every, language).format(self.every)
            )
        if self.unit == "reps":
            text = ngettext("+{0} rep every {1}", "+{0} reps every {1}", self.step, language).format(self.step, every)
            cap = translate(", up to {0} reps", language, self.maximum)
        else:
            text = translate("+{0} s of hold every {1}", language, self.step, every)
            cap = translate(", up to {0} s", language, self.maximum)
        if self.pain_ceiling is not None:
            text += translate(" while pain stays under {0}", language, self.pain_ceiling)
        return text + cap


def stored_rule(raw: object, where: str) -> tuple[ProgressionRule | None, str]:
    """A rule read back from the database, and what is wrong with it ("" when nothing): a damaged
    rule is left out (the item keeps its own dosage) and named, never a crash of the screens."""
    if raw is None:
        return None, ""
    try:
        return ProgressionRule.model_validate(raw), ""
    except ValidationError as exc:
        field, what = first_problem(exc, "progression")
        problem = f"{where}, progression {field}: {what}"
        log.warning("ignoring an unreadable progression rule: %s", problem)
        return None, problem


class ProgressSession(CountedSession, Protocol):
    """A stored session as the progression reads it (the store's `SessionInfo` is one)."""

    @property
    def pain(self) -> int | None: ...


@dataclass(frozen=True)
class ProgressionStatus:
    """Where an item's progression stands on one day, and why."""

    rule: ProgressionRule
    since: dt.date
    base: int  # the item's own reps or hold seconds
    value: int  # in force on the day
    outcome: Outcome  # of the newest step (or the one pending, when pain already holds it)
    next_step: dt.date | None  # the next day a step may be added; None at the maximum
    pain: int | None = None  # held_pain: the pain that holds it
    pain_day: dt.date | None = None
    missed: tuple[dt.date, dt.date] | None = None  # held_not_done: the period without a done day

    @property
    def added(self) -> int:
        return self.value - self.base

    def value_text(self, language: str | None = None) -> str:
        if self.rule.unit == "seconds":
            return translate("hold {0} s", language, self.value)
        return ngettext("{0} rep", "{0} reps", self.value, language).format(self.value)

    def reason(self, language: str | None = None) -> str:
        """For the therapist: "12 reps: +2 since 1 Dec, pain under 4"."""
        lang = language
        added = (
            translate("+{0} since {1}", lang, self.added, day_text(self.since, lang))
            if self.rule.unit == "reps"
            else translate("+{0} s since {1}", lang, self.added, day_text(self.since, lang))
        )
        if self.outcome == "waiting":
            detail = translate("first step on {0}", lang, day_text(self.next_step, lang)) if self.next_step else ""
        elif self.outcome == "at_maximum":
            detail = translate("{0}, the maximum", lang, added)
        elif self.outcome == "held_pain":
            held = translate(
                "held: pain {0} on {1} (ceiling {2})",
                lang,
                self.pain,
                day_text(self.pain_day, lang) if self.pain_day else "",
                self.rule.pain_ceiling,
            )
            detail = translate("{0}; {1}", lang, added, held) if self.added else held
        elif self.outcome == "held_not_done" and self.missed is not None:
            held = translate(
                "held: not done from {0} to {1}", lang, day_text(self.missed[0], lang), day_text(self.missed[1], lang)
            )
            detail = translate("{0}; {1}", lang, added, held) if self.added else held
        elif self.rule.pain_ceiling is not None:
            detail = translate("{0}, pain under {1}", lang, added, self.rule.pain_ceiling)
        else:
            detail = added
        return translate("{0}: {1}", lang, self.value_text(lang), detail) if detail else self.value_text(lang)


def evaluate(
    rule: ProgressionRule,
    *,
    since: dt.date,
    base: int,
    sets: int,
    reps: int,
    days: Mapping[dt.date, Sequence[ProgressSession]],
    day: dt.date,
) -> ProgressionStatus:
    """The value in force on `day`. `base` is the item's reps (or hold seconds for a rule in
    seconds), `sets` x `reps` its prescription, `days` the sessions of its exercise by local day.
    A step lands on the first day of a period and is decided by the period before it, so the
    value never changes during a day."""
    period = dt.timedelta(days=rule.period_days)
    value = base
    outcome: Outcome = "waiting"
    pain: tuple[int, dt.date] | None = None
    missed: tuple[dt.date, dt.date] | None = None
    boundary = since + period
    while boundary <= day and value < rule.maximum:
        window = (boundary - period, boundary - dt.timedelta(days=1))
        pain = _pain_at_ceiling(rule, days, *window)
        target_reps = value if rule.unit == "reps" else reps
        if pain is not None:
            outcome = "held_pain"
        elif not _done_on_a_day(days, sets, target_reps, *window):
            outcome, missed = "held_not_done", window
        else:
            value = min(value + rule.step, rule.maximum)
            outcome = "progressed"
        boundary += period
    if value >= rule.maximum:
        return ProgressionStatus(rule, since, base, value, "at_maximum", None)
    running = _pain_at_ceiling(rule, days, max(since, boundary - period), day)
    if running is not None:  # the step to come is held already
        pain, outcome = running, "held_pain"
    held_by_pain = pain if outcome == "held_pain" else None
    return ProgressionStatus(
        rule,
        since,
        base,
        value,
        outcome,
        boundary,
        held_by_pain[0] if held_by_pain else None,
        held_by_pain[1] if held_by_pain else None,
        missed if outcome == "held_not_done" else None,
    )


def _days_from(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def _pain_at_ceiling(
    rule: ProgressionRule, days: Mapping[dt.date, Sequence[ProgressSession]], first: dt.date, last: dt.date
) -> tuple[int, dt.date] | None:
    """The newest day from `first` to `last` whose check-ins reached the ceiling, with its highest pain."""
    if rule.pain_ceiling is None:
        return None
    for day in reversed(_days_from(first, last)):
        reported = [s.pain for s in days.get(day, ()) if s.pain is not None and s.pain >= rule.pain_ceiling]
        if reported:
            return max(reported), day
    return None


def _done_on_a_day(
    days: Mapping[dt.date, Sequence[ProgressSession]], sets: int, reps: int, first: dt.date, last: dt.date
) -> bool:
    return any(ItemProgress.of(sets, reps, days[d]).done for d in _days_from(first, last) if d in days)
