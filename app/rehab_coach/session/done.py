"""What "done" means for a prescribed exercise: one definition for every screen, command and report.

A program item is **done** for a day when the complete reps counted that day, across all of
that day's sessions of its exercise, reach its prescribed sets x reps. A session's count is the
therapist's newest correction when there is one, else the app's count of complete reps. How a
session ended does not matter: two stopped sessions of 5 reps do a 1 x 10 prescription, and a
"completed" session whose count a therapist corrected down to 4 does not. The item is
**partial** when at least one rep counts but fewer than prescribed, else **not started**.

Plain Python on purpose (no store, no Qt): the store's adherence and today's plan, the kiosk,
the picker, the therapist screens and the PDF all ask here (docs/adherence.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, Protocol

ItemState = Literal["done", "partial", "not_started"]


class CountedSession(Protocol):
    """A stored session as far as "done" cares (the store's `SessionInfo` is one)."""

    @property
    def reps_complete(self) -> int: ...

    @property
    def corrected_reps(self) -> int | None: ...


def reps_counted(session: CountedSession) -> int:
    """A session's complete reps as they count: the therapist's correction wins over the app's count."""
    return session.corrected_reps if session.corrected_reps is not None else session.reps_complete


@dataclass(frozen=True)
class ItemProgress:
    """One prescribed item on one day: reps counted against reps prescribed."""

    reps_prescribed: int
    reps_done: int

    @classmethod
    def of(cls, sets: int, reps: int, sessions: Iterable[CountedSession]) -> ItemProgress:
        """The item's progress from that day's sessions of its exercise."""
        return cls(sets * reps, sum(reps_counted(s) for s in sessions))

    @property
    def state(self) -> ItemState:
        if self.reps_done >= max(self.reps_prescribed, 1):
            return "done"
        return "partial" if self.reps_done > 0 else "not_started"

    @property
    def done(self) -> bool:
        return self.state == "done"
