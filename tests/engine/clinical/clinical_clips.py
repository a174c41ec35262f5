"""Synthetic clinical-test clips through the test's coach: the readings a trial is timed from."""

from __future__ import annotations

from rehab_coach.engine.clinical import BodyReading, ClinicalCoach, ClinicalResult, replay_trial
from rehab_synth.clinical import ClinicalClip


def readings(clip: ClinicalClip, test: str) -> list[BodyReading]:
    coach = ClinicalCoach(test)
    for frame in clip.frames:
        coach.process(frame)
    return list(coach.readings)


def result(clip: ClinicalClip, test: str, **options: object) -> ClinicalResult:
    return replay_trial(test, readings(clip, test), clip.go_t, **options)  # type: ignore[arg-type]
