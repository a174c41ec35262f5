"""The standard clinical tests the camera can time: what each measures, from which view, when it ends.

Plain data: the trackers (`chair.py`, `tug.py`, `stance.py`) time a test, the session runs it, the
screens say it. Words are English source text, translated where shown (`rehab_coach.i18n`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rehab_coach.i18n import N_

TestId = Literal["five_times_sit_to_stand", "chair_stand_30s", "timed_up_and_go", "single_leg_stance_test"]
TestUnit = Literal["s", "stands"]
TEST_IDS: tuple[TestId, ...] = (
    "five_times_sit_to_stand",
    "chair_stand_30s",
    "timed_up_and_go",
    "single_leg_stance_test",
)


@dataclass(frozen=True)
class ClinicalTest:
    """One standard test. `template` names the exercise template whose measures, demonstration and
    view the test borrows (its counting is not used: each test has its own tracker)."""

    id: TestId
    name: str
    short_name: str
    template: str
    view: Literal["side", "front"]
    unit: TestUnit
    instructions: str
    camera: str
    convention: str  # what the number is, in one sentence the result page and docs show
    lower_is_better: bool
    limit_seconds: float  # a test still running this long after the start signal is ended (not completed)
    trials: int = 1  # single-leg stance: one per leg
    ceiling_seconds: float | None = None  # single-leg stance: the test ends there, complete


FIVE_TIMES_SIT_TO_STAND = ClinicalTest(
    id="five_times_sit_to_stand",
    name=N_("Five-times sit-to-stand"),
    short_name=N_("5× sit-to-stand"),
    template="sit_to_stand",
    view="side",
    unit="s",
    instructions=N_(
        "Sit in the middle of a firm chair without arm rests, feet flat on the floor, arms crossed over "
        "your chest. When you hear Go, stand up fully and sit down again five times, as quickly as you "
        "safely can. Keep your arms crossed."
    ),
    camera=N_("Camera to your side at seat height, 2-3 m away, you and the chair fully in view."),
    convention=N_(
        "Seconds from Go until you sit back down after the fifth full stand (the time of the fifth "
        "stand itself is kept beside it)."
    ),
    lower_is_better=True,
    limit_seconds=60.0,
)

CHAIR_STAND_30S = ClinicalTest(
    id="chair_stand_30s",
    name=N_("30-second chair stand"),
    short_name=N_("30 s chair stand"),
    template="sit_to_stand",
    view="side",
    unit="stands",
    instructions=N_(
        "Sit in the middle of a firm chair without arm rests, feet flat on the floor, arms crossed over "
        "your chest. When you hear Go, stand up fully and sit down again as many times as you can in "
        "30 seconds. Keep your arms crossed."
    ),
    camera=N_("Camera to your side at seat height, 2-3 m away, you and the chair fully in view."),
    convention=N_("Full stands in 30 seconds; a stand more than halfway up when the time is up counts."),
    lower_is_better=False,
    limit_seconds=30.0,
)

TIMED_UP_AND_GO = ClinicalTest(
    id="timed_up_and_go",
    name=N_("Timed Up and Go"),
    short_name=N_("Timed Up and Go"),
    template="sit_to_stand",
    view="side",
    unit="s",
    instructions=N_(
        "Sit in a chair with your back against it. When you hear Go, stand up, walk at your normal pace "
        "to the mark 3 metres away, turn around, walk back and sit down again. Use your walking aid if "
        "you normally do."
    ),
    camera=N_(
        "Camera to the side of the walk, 3-4 m away, so the chair and as much of the 3 m path as possible are in view."
    ),
    convention=N_("Seconds from Go until you are sitting in the chair again."),
    lower_is_better=True,
    limit_seconds=120.0,
)

SINGLE_LEG_STANCE_TEST = ClinicalTest(
    id="single_leg_stance_test",
    name=N_("Single-leg stance"),
    short_name=N_("Single-leg stance"),
    template="single_leg_stance",
    view="front",
    unit="s",
    instructions=N_(
        "Stand facing the camera with your arms crossed over your chest, a chair beside you for safety. "
        "When you hear Go, lift one foot off the floor and balance on the other leg, eyes open, as long "
        "as you can. The test ends when the foot touches down, you reach for support, or after 30 seconds. "
        "Then the other leg."
    ),
    camera=N_("Face the camera at hip height, 2-3 m away, with your whole body in view."),
    convention=N_(
        "Seconds on one leg, eyes open, until the lifted foot touches down or a hand reaches for "
        "support, up to 30 seconds; each leg."
    ),
    lower_is_better=False,
    limit_seconds=40.0,
    trials=2,
    ceiling_seconds=30.0,
)

CLINICAL_TESTS: dict[str, ClinicalTest] = {
    test.id: test for test in (FIVE_TIMES_SIT_TO_STAND, CHAIR_STAND_30S, TIMED_UP_AND_GO, SINGLE_LEG_STANCE_TEST)
}


def clinical_test(test_id: str) -> ClinicalTest:
    """The test with this id; KeyError names the known ones."""
    try:
        return CLINICAL_TESTS[test_id]
    except KeyError:
        raise KeyError(f"unknown clinical test {test_id!r}; known: {', '.join(CLINICAL_TESTS)}") from None


def is_clinical_test(exercise_id: str) -> bool:
    """A session of a standard test is stored under the test's id where an exercise's would be."""
    return exercise_id in CLINICAL_TESTS
