"""A fault in words, always from the exercise that found it: two templates may use one rule id
(squat and glute bridge both have `shallow`) with different cues.

Ids stay in the data (database, CSV headers, FHIR codes); people read a name (tables, the PDF) or
the cue they heard (the patient's summary)."""

from __future__ import annotations

from rehab_coach.engine.feedback import SHORT_OF_TARGET, SHORT_OF_TARGET_CUE, TOO_FAST, TOO_SLOW
from rehab_coach.engine.templates import Template
from rehab_coach.i18n import N_, SOURCE_LANGUAGE, gettext

# Faults the engine finds itself (no template rule): a name for the therapist, advice for the patient.
ENGINE_FAULT_NAMES = {SHORT_OF_TARGET: N_("Short of target"), TOO_FAST: N_("Too fast"), TOO_SLOW: N_("Too slow")}
ENGINE_FAULT_ADVICE = {
    SHORT_OF_TARGET: SHORT_OF_TARGET_CUE,
    TOO_FAST: N_("Take your time: move slowly and with control."),
    TOO_SLOW: N_("Keep each rep flowing: don't stop halfway."),
}


def fault_name(fault_id: str, template: Template | None, language: str = "en") -> str:
    """In English the id made readable; in another language the words of the exercise's own cue for
    it (a template's rule has no name of its own, and its cue is what the patient heard)."""
    if fault_id in ENGINE_FAULT_NAMES:
        return gettext(ENGINE_FAULT_NAMES[fault_id], language)
    if language != SOURCE_LANGUAGE:
        cue = _rule_cue(fault_id, template, language)
        if cue is not None:
            return cue
    return readable(fault_id)


def fault_cue(fault_id: str, template: Template | None, language: str = "en") -> str:
    """The sentence the patient heard (or is advised) for a fault, never its id."""
    if fault_id in ENGINE_FAULT_ADVICE:
        return gettext(ENGINE_FAULT_ADVICE[fault_id], language)
    cue = _rule_cue(fault_id, template, language)
    return cue if cue is not None else readable(fault_id)


def _rule_cue(fault_id: str, template: Template | None, language: str) -> str | None:
    rule = next((r for r in template.rules if r.id == fault_id), None) if template is not None else None
    return rule.cue.get(language) if rule is not None else None


def readable(identifier: str) -> str:
    """`knee_past_toes` -> "Knee past toes"."""
    words = identifier.replace("_", " ").strip()
    return words[:1].upper() + words[1:]
