"""Exercise and fault names as people read them. Ids stay in the data (database, CSV headers,
FHIR codes); tables, charts and the PDF show names ("Shoulder abduction", "Trunk lean")."""

from __future__ import annotations

from functools import cache

from rehab_coach.engine.templates import Library, load_library


@cache
def _default_library() -> Library:
    return load_library()


def exercise_name(exercise_id: str, library: Library | None = None, language: str = "en") -> str:
    """The template's own name; an exercise no longer in the library is named from its id."""
    template = (library or _default_library()).templates.get(exercise_id)
    return template.name.get(language) if template is not None else readable(exercise_id)


def fault_name(fault_id: str) -> str:
    return readable(fault_id)


def readable(identifier: str) -> str:
    """`knee_past_toes` -> "Knee past toes"."""
    words = identifier.replace("_", " ").strip()
    return words[:1].upper() + words[1:]
