"""Exercise and fault names as people read them. Ids stay in the data (database, CSV headers,
FHIR codes); tables, charts and the PDF show names ("Shoulder abduction", "Trunk lean")."""

from __future__ import annotations

from functools import cache

from rehab_coach.engine import fault_words
from rehab_coach.engine.clinical import CLINICAL_TESTS
from rehab_coach.engine.fault_words import readable
from rehab_coach.engine.templates import Library, load_library
from rehab_coach.i18n import _


@cache
def _default_library() -> Library:
    return load_library()


def exercise_name(exercise_id: str, library: Library | None = None, language: str = "en") -> str:
    """The template's own name (a standard clinical test's, for its sessions); an exercise no longer in
    the library is named from its id."""
    if exercise_id in CLINICAL_TESTS:
        return _(CLINICAL_TESTS[exercise_id].name, language)
    template = (library or _default_library()).templates.get(exercise_id)
    return template.name.get(language) if template is not None else readable(exercise_id)


def fault_name(fault_id: str, exercise_id: str, library: Library | None = None, language: str = "en") -> str:
    """A fault named from the exercise that found it (`rehab_coach.engine.fault_words`)."""
    template = (library or _default_library()).templates.get(exercise_id)
    return fault_words.fault_name(fault_id, template, language)
