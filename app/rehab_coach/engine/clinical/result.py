"""What a clinical test reports: its progress on every frame, and its result at the end.

`ClinicalResult` is the one result schema: the session hands it to the recorder, the journal keeps it
as JSON, the store keeps it beside the session (`clinical_results`), the exports read it back.
Times are seconds since the start signal ("Go").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from rehab_coach.engine.clinical.catalog import TestId, TestUnit

# Why a trial ended. Shown to people through `rehab_coach.session.clinical.words`, never as these keys.
EndReason = Literal[
    "five_stands",  # 5xSTS: seated after the fifth full stand
    "time_up",  # 30 s chair stand: the 30 seconds are over
    "seated",  # TUG: sitting in the chair again
    "foot_down",  # single-leg stance: the lifted foot touched down
    "support",  # single-leg stance: a hand reached out for support
    "ceiling",  # single-leg stance: held as long as the test asks
    "limit",  # still going at the test's time limit: not completed
    "stopped",  # ended from the screen before the test ended by itself
]
# Something a therapist should know about the trial; shown in words, never as these keys.
Flag = Literal[
    "arms_used",  # chair stands: a hand down at the thighs or the seat during a rise
    "left_view",  # the person was out of the camera's view for a while
    "turn_not_seen",  # TUG: the turn happened out of view, its phase is estimated
    "never_lifted",  # single-leg stance: no foot came off the floor
    "other_leg",  # single-leg stance: the patient stood on the other leg than asked
]
PhaseName = Literal["rise", "walk_out", "turn", "walk_back", "sit", "out_of_view"]


class TimedPhase(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: PhaseName
    start: float
    end: float

    @property
    def seconds(self) -> float:
        return self.end - self.start


class StandTimes(BaseModel):
    """One full stand of a chair-stand test: when it left the seat, was fully up, was seated again."""

    model_config = ConfigDict(frozen=True)

    rise: float
    up: float
    sit: float | None = None  # None: the test ended before the patient sat down again
    arms_used: bool = False


class ClinicalResult(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    test: TestId
    trial: int = Field(1, ge=1)
    value: float | None  # seconds or stands; None: not completed (see `ended_by`)
    unit: TestUnit
    completed: bool
    ended_by: EndReason
    side: Literal["left", "right"] | None = None  # single-leg stance: the leg stood on
    stands: int | None = None  # chair-stand tests: full stands counted
    secondary: dict[str, float] = Field(default_factory=dict)  # e.g. {"fifth_stand": 8.3}
    stand_times: list[StandTimes] = Field(default_factory=list)
    phases: list[TimedPhase] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)
    duration: float = 0.0  # seconds from Go to the end of the trial
    frames: int = 0  # frames the trial was measured on
    mean_fps: float | None = None


@dataclass(frozen=True)
class TrialProgress:
    """The test on the current frame, for the big number on the screen."""

    test: TestId
    trial: int
    started: bool  # the start signal was given
    elapsed: float  # seconds since Go (0 before)
    count: int  # chair stands so far
    held: float | None  # single-leg stance: seconds on one leg so far (None: no foot lifted yet)
    phase: PhaseName | None  # TUG: the phase now
    done: bool  # the trial ended by itself (see the result's `ended_by`)
