"""Sets and reps of a guided session (plain Python: the Qt pages only display it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from rehab_coach.engine.templates import Dosage
from rehab_coach.engine.types import RepResult
from rehab_coach.i18n import ngettext, translate
from rehab_coach.session.store.views import ProgramItemInfo

Progress = Literal["rep", "set_done", "all_done"]


@dataclass
class SetProgress:
    """Counts complete reps against the dosage; partial reps are shown but never count."""

    sets: int
    reps: int
    rest_seconds: float
    set_index: int = 1  # 1-based
    per_set: list[list[RepResult]] = field(default_factory=lambda: [[]])

    @classmethod
    def from_dosage(cls, dosage: Dosage) -> SetProgress:
        return cls(sets=dosage.sets, reps=dosage.reps, rest_seconds=dosage.rest_seconds)

    @property
    def current(self) -> list[RepResult]:
        return self.per_set[-1]

    @property
    def done_in_set(self) -> int:
        return sum(1 for r in self.current if r.complete)

    @property
    def sets_completed(self) -> int:
        finished = self.set_index - 1
        return finished + (1 if self.done_in_set >= self.reps else 0)

    @property
    def last(self) -> RepResult | None:
        return self.current[-1] if self.current else None

    def add(self, rep: RepResult) -> Progress:
        self.current.append(rep)
        if self.done_in_set < self.reps:
            return "rep"
        return "all_done" if self.set_index >= self.sets else "set_done"

    def next_set(self) -> None:
        if self.set_index < self.sets:
            self.set_index += 1
            self.per_set.append([])


def finish_question(progress: SetProgress, holds: bool, language: str = "en") -> str:
    """What the Finish question says is done: the counter's own number (this set's complete reps),
    so the question and the counter behind it never disagree."""
    done, planned = progress.done_in_set, progress.reps
    if holds:
        count = translate("{0} of {1} holds done.", language, done, planned)
    else:
        count = translate("{0} of {1} reps done.", language, done, planned)
    if progress.sets > 1:
        count = translate("Set {0} of {1}: {2}", language, progress.set_index, progress.sets, count)
    return count + " " + translate("Everything so far is saved.", language)


def sets_text(sets: int, reps: int, language: str = "en") -> str:
    return (
        translate("{0} set × {1}", language, sets, reps)
        if sets == 1
        else translate("{0} sets × {1}", language, sets, reps)
    )


def sets_of_reps_text(sets: int, reps: int, language: str = "en") -> str:
    """ "1 set of 8" / "3 sets of 8": the plural from the catalogue, as each language forms it."""
    return ngettext("{0} set of {1}", "{0} sets of {1}", sets, language).format(sets, reps)


def program_overrides(item: ProgramItemInfo) -> dict[str, Any]:
    """The template overrides of a program item: its sets and reps, then the therapist's own
    overrides (which win, e.g. a `dosage.rest_seconds` or a `primary.target`)."""
    return {"dosage.sets": item.sets, "dosage.reps": item.reps, **item.overrides}
