"""What a patient's prescription adds to an exercise's instructions, in their words: the therapist's
notes for it, and the minimum depth where the therapist set one, so that a rep counted as partial
for falling short of it is no surprise."""

from __future__ import annotations

from rehab_coach.engine.templates import Template
from rehab_coach.i18n import translate


def prescription_notes(template: Template, notes: str, language: str) -> str:
    """The therapist's notes, then a line for each rule of the prescription that changes how reps
    count; empty when there is nothing to add."""
    lines = [notes.strip()] if notes.strip() else []
    if template.kind == "reps" and template.rep.short_of_target == "partial":
        lines.append(
            translate(
                "Your therapist has set a minimum depth: a rep counts when it reaches the target; "
                "one that stops short counts as partial.",
                language,
            )
        )
    return "\n\n".join(lines)
