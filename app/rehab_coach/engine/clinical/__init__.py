"""Standard clinical tests timed by the camera: five-times sit-to-stand, 30-second chair stand,
Timed Up and Go and single-leg stance (docs/clinical-tests.md)."""

from rehab_coach.engine.clinical.body import BodyReading, ScaleMemory, read_body
from rehab_coach.engine.clinical.catalog import (
    CLINICAL_TESTS,
    TEST_IDS,
    ClinicalTest,
    TestId,
    clinical_test,
    is_clinical_test,
)
from rehab_coach.engine.clinical.result import ClinicalResult, StandTimes, TimedPhase, TrialProgress
from rehab_coach.engine.clinical.runner import ClinicalCoach, ClinicalFrameUpdate, TrialRun, replay_trial

__all__ = [
    "CLINICAL_TESTS",
    "TEST_IDS",
    "BodyReading",
    "ClinicalTest",
    "ScaleMemory",
    "StandTimes",
    "ClinicalCoach",
    "ClinicalFrameUpdate",
    "TestId",
    "TrialProgress",
    "ClinicalResult",
    "TimedPhase",
    "TrialRun",
    "clinical_test",
    "is_clinical_test",
    "read_body",
    "replay_trial",
]
