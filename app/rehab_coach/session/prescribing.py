"""Faster prescribing: start a patient's program from another patient's (plain Python, no Qt).

The therapist's program editor lists the patients it can copy from (`copy_sources`: those with a
program; `matching`: found by name or code as the patient list finds them, ignoring case and accents) and
loads the chosen one's current program for this patient (`copied_program`) as an unsaved new
version. Starting from a named protocol is `rehab_coach.session.store.protocols`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from rehab_coach.engine.fault_words import readable
from rehab_coach.engine.templates import Library
from rehab_coach.i18n import day_text, translate
from rehab_coach.session.store import ItemSpec, PatientInfo, ProgramInfo, ProgramSpec, Store, weekdays_names
from rehab_coach.session.store.text import folded
from rehab_coach.session.store.views import WEEKDAY_NAMES

A_MONDAY = dt.date(2024, 1, 1)


@dataclass(frozen=True)
class CopySource:
    """A patient whose current program can be copied."""

    patient: PatientInfo
    program: ProgramInfo


def copy_sources(store: Store, exclude_patient_id: int | None) -> list[CopySource]:
    """Patients other than `exclude_patient_id` with an active program, by name (read once when the
    chooser opens; `matching` narrows them as the therapist types)."""
    sources = []
    for patient in store.list_patients():
        if patient.id == exclude_patient_id:
            continue
        program = store.active_program(patient.id)
        if program is not None and program.items:
            sources.append(CopySource(patient, program))
    return sources


def matching(sources: Sequence[CopySource], search: str) -> list[CopySource]:
    """Those whose code or name holds `search`, ignoring case and accents as the patient list's search does."""
    needle = folded(search.strip())
    return [s for s in sources if needle in folded(s.patient.code) or needle in folded(s.patient.display_name)]


def copied_program(source: ProgramInfo, start: dt.date) -> ProgramSpec:
    """The source program for another patient, starting on `start`: the same exercises, dosage,
    per-patient targets and other overrides, notes and days; an end date keeps the program's length;
    progression rules count again from the new start (the other patient's progress is theirs)."""
    end = start + (source.end_date - source.start_date) if source.end_date is not None else None
    items = [
        dataclasses.replace(item.as_spec(), progression=item.progression.model_copy(update={"since": None}))
        if item.progression is not None
        else item.as_spec()
        for item in source.items
    ]
    return ProgramSpec(items, source.weekdays, start, end, source.name, source.notes)


def program_summary(items: Sequence[ItemSpec], weekdays: int, library: Library, language: str) -> str:
    """What a program or protocol holds, in one line for a chooser: "Squat 3 × 12, Lunge 2 × 8 · Mon, Thu"."""
    exercises = translate(", ", language).join(
        translate("{0} {1} × {2}", language, _name(item.exercise_id, library, language), item.sets, item.reps)
        for item in items
    )
    days = translate(", ", language).join(
        day_text(A_MONDAY + dt.timedelta(days=WEEKDAY_NAMES.index(name)), language, "EEE")
        for name in weekdays_names(weekdays)
    )
    return f"{exercises} · {days}"


def progression_lines(items: Sequence[ItemSpec], library: Library, language: str) -> list[str]:
    """Each progression of a program or protocol in words: "Squat: +2 reps every week, up to 16 reps"."""
    return [
        translate("{0}: {1}", language, _name(item.exercise_id, library, language), item.progression.describe(language))
        for item in items
        if item.progression is not None
    ]


def _name(exercise_id: str, library: Library, language: str) -> str:
    template = library.templates.get(exercise_id)
    return template.name.get(language) if template is not None else readable(exercise_id)
