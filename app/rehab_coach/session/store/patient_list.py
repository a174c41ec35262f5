"""The therapist's patient list as a model: the "Needs attention" filter and the sort orders.

- **Needs attention**: patients with a pain flag nobody has reviewed yet
  (`rehab_coach.session.pain_rule`). Marking the flag reviewed takes the patient off it.
- **Sort by name**: display name (ignoring case and accents), then code.
- **Sort by flags**: the newest open pain flag first; then patients with other flags (missed
  sessions, falling quality), more flags first; then everyone else by name.
- **Sort by adherence**: the lowest share of prescribed sessions done (4 weeks) first; patients
  without a program last; ties by name.

Plain Python over `PatientOverview` rows (no Qt): the screen only paints the result. The screen
reads the list off its thread (`read_patient_list`) and shows only the newest read's answer
(`LatestRead`): a result for an older keystroke of the search is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from rehab_coach.session.store.flags import PatientOverview, patient_overviews
from rehab_coach.session.store.text import folded

if TYPE_CHECKING:
    from rehab_coach.session.store.store import Store

PatientSort = Literal["name", "flags", "adherence"]
PATIENT_SORTS: tuple[PatientSort, ...] = ("name", "flags", "adherence")


def _name(row: PatientOverview) -> tuple[str, str]:
    return folded(row.patient.display_name), folded(row.patient.code)


def _by_flags(row: PatientOverview) -> tuple[Any, ...]:
    newest = row.newest_open_flag
    # Newest first: negate the time as seconds (an aware datetime cannot be negated).
    stamp = -newest.started_at.timestamp() if newest is not None else 0.0
    return (newest is None, stamp, not row.other_flags, -len(row.other_flags), *_name(row))


def _by_adherence(row: PatientOverview) -> tuple[Any, ...]:
    ratio = row.adherence.ratio
    return (ratio is None, ratio if ratio is not None else 0.0, *_name(row))


SORT_KEYS: dict[PatientSort, Callable[[PatientOverview], Any]] = {
    "name": _name,
    "flags": _by_flags,
    "adherence": _by_adherence,
}


def arrange(
    rows: Iterable[PatientOverview], *, needs_attention: bool = False, sort: PatientSort = "name"
) -> list[PatientOverview]:
    """The rows to show, in order."""
    if sort not in SORT_KEYS:
        raise ValueError(f"unknown sort {sort!r}: choose one of {', '.join(PATIENT_SORTS)}")
    shown = [r for r in rows if r.needs_attention] if needs_attention else list(rows)
    return sorted(shown, key=SORT_KEYS[sort])


def attention_count(rows: Iterable[PatientOverview]) -> int:
    return sum(1 for r in rows if r.needs_attention)


@dataclass(frozen=True)
class PatientListRequest:
    """What the list shows: read on a worker thread (`read_patient_list`), arranged in plain Python."""

    search: str = ""
    include_archived: bool = False
    needs_attention: bool = False
    sort: PatientSort = "name"
    language: str | None = None


@dataclass(frozen=True)
class PatientListPage:
    """Every patient read (`everyone`), the rows to show in order, and how many patients need
    attention whatever the filter."""

    everyone: list[PatientOverview]
    rows: list[PatientOverview]
    attention: int


def arranged(everyone: list[PatientOverview], *, needs_attention: bool, sort: PatientSort) -> PatientListPage:
    """The page for rows already read: "Needs attention" and the sort need no read of their own."""
    return PatientListPage(
        everyone, arrange(everyone, needs_attention=needs_attention, sort=sort), attention_count(everyone)
    )


def read_patient_list(store: Store, request: PatientListRequest) -> PatientListPage:
    """One batched read (`patient_overviews`, filtered by the search in it), then the filter and the sort."""
    everyone = patient_overviews(
        store, request.search, include_archived=request.include_archived, language=request.language
    )
    return arranged(everyone, needs_attention=request.needs_attention, sort=request.sort)


class LatestRead:
    """Reads started one after another (a keystroke each, a patient chosen); only the newest one's
    answer counts.

    `begin` hands out a ticket; `finish(ticket)` says whether its answer is still the one to show
    (an older keystroke's is stale and dropped). `loading` while the newest has not answered.
    `cancel`: what is on its way no longer counts (the screen was filled from elsewhere).
    """

    def __init__(self) -> None:
        self._newest = 0
        self._answered = 0

    def begin(self) -> int:
        self._newest += 1
        return self._newest

    def finish(self, ticket: int) -> bool:
        if ticket != self._newest:
            return False
        self._answered = ticket
        return True

    def cancel(self) -> None:
        self._newest += 1
        self._answered = self._newest

    @property
    def loading(self) -> bool:
        return self._answered != self._newest
