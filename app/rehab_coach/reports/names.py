"""Exercise and fault names as people read them. Ids stay in the data (database, CSV headers,
FHIR codes); tables, charts and the PDF show names ("Shoulder abduction", "Trunk lean")."""

from __future__ import annotations

from functools import cache

from rehab_coach.engine.templates import Library, load_library
from rehab_coach.i18n import N_, SOURCE_LANGUAGE, gettext


@cache
def _default_library() -> Library:
    return load_library()


def exercise_name(exercise_id: str, library: Library | None = None, language: str = "en") -> str:
    """The template's own name; an exercise no longer in the library is named from its id."""
    template = (library or _default_library()).templates.get(exercise_id)
    return template.name.get(language) if template is not None else readable(exercise_id)


# Faults the engine itself finds (not a template's rule).
ENGINE_FAULTS = {"short_of_target": N_("Short of target"), "too_fast": N_("Too fast")}


def fault_name(fault_id: str, library: Library | None = None, language: str = "en") -> str:
    """In English the id made readable; in another language the words of the fault's cue (a template's
    rule has no name of its own, and its cue is what the patient heard)."""
    if fault_id in ENGINE_FAULTS:
        return gettext(ENGINE_FAULTS[fault_id], language)
    if language != SOURCE_LANGUAGE:
        for template in (library or _default_library()).templates.values():
            rule = next((r for r in template.rules if r.id == fault_id), None)
            if rule is not None:
                return rule.cue.get(language)
    return readable(fault_id)


def readable(identifier: str) -> str:
    """`knee_past_toes` -> "Knee past toes"."""
    words = identifier.replace("_", " ").strip()
    return words[:1].upper() + words[1:]
