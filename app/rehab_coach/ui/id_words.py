"""Words for the ids a session keeps, shared by the patient's live panel and the therapist's tables:
an id itself ("shallow", "too_slow") never reaches a screen."""

from __future__ import annotations

from rehab_coach.engine.fault_words import readable
from rehab_coach.ui.strings import QT_TR_NOOP, tr

# Why a partial rep is partial.
PARTIAL_WORDS = {
    "shallow": QT_TR_NOOP("smaller than the other reps"),
    "below_minimum": QT_TR_NOOP("short of the minimum depth"),
    "too_fast": QT_TR_NOOP("too fast"),
    "too_slow": QT_TR_NOOP("too slow"),
    "interrupted": QT_TR_NOOP("interrupted"),
    "released": QT_TR_NOOP("released"),
}


def word(words: dict[str, str], key: str | None, language: str) -> str:
    """A stored id in words; an id without words (a newer version's) made readable, not shown raw."""
    return "-" if not key else tr(words[key], language) if key in words else readable(key)
