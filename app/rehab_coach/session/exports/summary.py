"""Per-exercise figures of a patient record: what the PDF report and the review screens summarise."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from rehab_coach.engine.clinical import is_clinical_test
from rehab_coach.session.exports.record import PatientRecord
from rehab_coach.session.store.views import SessionDetail


@dataclass(frozen=True)
class ExerciseSummary:
    exercise_id: str
    sessions: int
    complete_reps: int  # as counted: corrections win (rehab_coach.session.done)
    partial_reps: int
    first_quality: float | None  # mean quality of the first session with complete reps
    last_quality: float | None
    first_rom: float | None  # mean excursion (degrees) of the first such session
    last_rom: float | None
    best_angle: float | None  # the deepest / highest angle reached in any complete rep
    target: float | None
    top_faults: list[tuple[str, int]]


def exercise_summaries(record: PatientRecord) -> list[ExerciseSummary]:
    by_exercise: dict[str, list[SessionDetail]] = {}
    for detail in record.sessions:
        if is_clinical_test(detail.session.exercise_id):
            continue  # a standard test is no exercise: its trials are reported on their own
        by_exercise.setdefault(detail.session.exercise_id, []).append(detail)
    return [_summary(exercise_id, details) for exercise_id, details in by_exercise.items()]


def _summary(exercise_id: str, details: list[SessionDetail]) -> ExerciseSummary:
    rated = [d.session for d in details if d.session.reps_complete]
    faults = Counter(f for d in details for r in d.reps for f in r.faults)
    angles = [r.extreme for d in details for r in d.reps if r.complete and math.isfinite(r.extreme)]
    direction = details[-1].session.direction
    best = (min(angles) if direction == "down" else max(angles)) if angles else None
    return ExerciseSummary(
        exercise_id,
        len(details),
        sum(d.session.reps_counted for d in details),  # a therapist's correction counts
        sum(d.session.reps_partial for d in details),
        rated[0].mean_quality if rated else None,
        rated[-1].mean_quality if rated else None,
        rated[0].mean_rom if rated else None,
        rated[-1].mean_rom if rated else None,
        round(best, 1) if best is not None else None,
        details[-1].session.target,
        faults.most_common(3),
    )
