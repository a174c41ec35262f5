"""Faster prescribing: start a patient's program from another patient's (plain Python, no Qt).

The therapist's program editor lists the patients it can copy from (`copy_sources`: those with a
program, found by name or code as the patient list finds them, ignoring case and accents) and
loads the chosen one's current program for this patient (`copied_program`) as an unsaved new
version. Starting from a named protocol is `rehab_coach.session.store.protocols`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from rehab_coach.session.store import PatientInfo, ProgramInfo, ProgramSpec, Store


@dataclass(frozen=True)
class CopySource:
    """A patient whose current program can be copied."""

    patient: PatientInfo
    program: ProgramInfo


def copy_sources(store: Store, exclude_patient_id: int | None, search: str = "") -> list[CopySource]:
    """Patients other than `exclude_patient_id` with an active program, by name; `search` matches part
    of the code or name ignoring case and accents, as the patient list's search does."""
    sources = []
    for patient in store.list_patients(search):
        if patient.id == exclude_patient_id:
            continue
        program = store.active_program(patient.id)
        if program is not None and program.items:
            sources.append(CopySource(patient, program))
    return sources


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
