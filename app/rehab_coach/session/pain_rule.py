"""When a pain answer needs the therapist: the one rule for the patient's advice, the therapist's
list, the session table, the PDF and the FHIR export.

After each exercise session the patient answers "pain right now" on the 0-10 numeric rating
scale (NRS). An answer is **flagged** when

- it is **high**: 7 or more (NRS 7-10 is severe pain), or
- it has **risen**: 2 points or more above the patient's **previous answer**, the newest pain
  answer of the same patient from a session that started earlier (any exercise: it is the
  patient's pain, and the exercise just done is the one that raised it). Sessions are ordered by
  start time, then by id; a skipped answer is no answer, so it neither flags nor resets anything.
  A first answer has no previous one and can only be high.

A flagged answer tells the patient to stop the exercise that hurts and to contact the therapist
(`rehab_coach.session.live.patient_summary.pain_advice`), and puts the patient under "Needs
attention" in the therapist's list until a therapist marks the flag reviewed.

Plain Python on purpose (no store, no Qt), like `done.py`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from rehab_coach.i18n import _

PAIN_HIGH = 7  # NRS: 7-10 is severe pain
PAIN_RISE = 2  # a rise of 2 points is the usual minimal clinically important difference


def is_high(pain: int | None) -> bool:
    return pain is not None and pain >= PAIN_HIGH


def has_risen(pain: int | None, previous: int | None) -> bool:
    return pain is not None and previous is not None and pain - previous >= PAIN_RISE


def is_flagged(pain: int | None, previous: int | None) -> bool:
    """The rule itself: high, or risen over the previous answer."""
    return is_high(pain) or has_risen(pain, previous)


class PainAnswer(Protocol):
    """A session's pain answer as far as the rule cares (the store's `SessionInfo` is one)."""

    @property
    def id(self) -> int: ...

    @property
    def started_at(self) -> dt.datetime: ...

    @property
    def exercise_id(self) -> str: ...

    @property
    def pain(self) -> int | None: ...


@dataclass(frozen=True)
class FlagReview:
    """A therapist saw the flag: who (their name or initials as typed), on which computer, when, and why."""

    session_id: int
    reviewed_by: str
    host: str
    reviewed_at: dt.datetime
    note: str = ""


@dataclass(frozen=True)
class PainFlag:
    session_id: int
    started_at: dt.datetime
    exercise_id: str
    pain: int
    previous: int | None  # the patient's answer before, if any
    review: FlagReview | None = None  # None: nobody has reviewed it yet

    @property
    def high(self) -> bool:
        return is_high(self.pain)

    @property
    def risen(self) -> bool:
        return has_risen(self.pain, self.previous)

    @property
    def open(self) -> bool:
        """Still waiting for a therapist: what "Needs attention" lists."""
        return self.review is None

    def describe(self, language: str | None = None) -> str:
        """What was flagged, in words: "pain 8/10, pain up 3→8"."""
        parts = []
        if self.high:
            parts.append(_("pain {0}/10", language).format(self.pain))
        if self.risen:
            parts.append(_("pain up {0}→{1}", language).format(self.previous, self.pain))
        return _(", ", language).join(parts)


def pain_flags(answers: Iterable[PainAnswer], reviews: Mapping[int, FlagReview] | None = None) -> dict[int, PainFlag]:
    """Flagged sessions by id, from the sessions of one patient (in any order). The rise is measured
    against the previous answer among `answers`: give the patient's whole history, not a period of it."""
    reviews = reviews or {}
    flags: dict[int, PainFlag] = {}
    previous: int | None = None
    for answer in sorted(answers, key=lambda a: (a.started_at, a.id)):
        if answer.pain is None:
            continue
        if is_flagged(answer.pain, previous):
            flags[answer.id] = PainFlag(
                answer.id, answer.started_at, answer.exercise_id, answer.pain, previous, reviews.get(answer.id)
            )
        previous = answer.pain
    return flags


def newest_first(flags: Iterable[PainFlag]) -> list[PainFlag]:
    return sorted(flags, key=lambda f: (f.started_at, f.session_id), reverse=True)
