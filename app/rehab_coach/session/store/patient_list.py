"""The therapist's patient list as a model: the "Needs attention" filter and the sort orders.

- **Needs attention**: patients with a pain flag nobody has reviewed yet
  (`rehab_coach.session.pain_rule`). Marking the flag reviewed takes the patient off it.
- **Sort by name**: display name (ignoring case and accents), then code.
- **Sort by flags**: the newest open pain flag first; then patients with other flags (missed
  sessions, falling quality), more flags first; then everyone else by name.
- **Sort by adherence**: the lowest share of prescribed sessions done (4 weeks) first; patients
  without a program last; ties by name.

Plain Python over `PatientOverview` rows (no Qt): the screen only paints the result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Literal

from rehab_coach.session.store.flags import PatientOverview
from rehab_coach.session.store.text import folded

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
