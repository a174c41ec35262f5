"""One clinical test trial from readings to result, and the coach that runs it live.

`TrialRun` wraps the test's tracker (`chair.py`, `tug.py`, `stance.py`): each reading from the
start signal on goes in, its progress (the big number) and, at the end, its `ClinicalResult` come out.
`replay_trial` runs the same over recorded readings, which is how the live session turns the
approximate start (the first frame after Go) into the exact one (`go_t`, from the frame's capture
time) once the trial is over: the same code, the same frames, the right clock.

`ClinicalCoach` is the exercise coach (smoothed joints, the tracked patient, the view) with a reading of
each frame kept and the trial's tracker run on the worker thread; its frame updates carry the
trial's progress (`ClinicalFrameUpdate.test`). The session starts a trial with `go(trial)` and stops it
with `pause()` (between the legs of a single-leg stance): plain attribute writes the worker reads on
its next frame.
"""

from __future__ import annotations

import dataclasses
import math
import threading
from collections import deque
from collections.abc import Sequence
from typing import Literal

from rehab_coach.engine.clinical.body import BodyReading, ScaleMemory, read_body
from rehab_coach.engine.clinical.catalog import ClinicalTest, clinical_test
from rehab_coach.engine.clinical.chair import ChairStandTracker
from rehab_coach.engine.clinical.result import ClinicalResult, EndReason, Flag, StandTimes, TrialProgress
from rehab_coach.engine.clinical.stance import StanceTracker
from rehab_coach.engine.clinical.tug import TugTracker
from rehab_coach.engine.coach import Coach
from rehab_coach.engine.templates import load_template_by_id
from rehab_coach.engine.types import FrameUpdate
from rehab_coach.keypoints.types import PoseFrame

FIVE = 5
UNSEEN_FLAG_SECONDS = 1.0  # out of view this long during a chair-stand or stance trial: flagged
KEEP_SECONDS = 180.0  # readings kept for the exact replay (longer than any test's limit)

Side = Literal["left", "right"]


class TrialRun:
    """The tracker of one trial and what it says."""

    def __init__(
        self,
        test: ClinicalTest,
        go_t: float,
        baseline: Sequence[BodyReading] = (),
        *,
        trial: int = 1,
        side_wanted: Side | None = None,
    ) -> None:
        self.test, self.go_t, self.trial, self.side_wanted = test, go_t, trial, side_wanted
        self.last_t = go_t
        self.frames = 0
        self._last_seen: float | None = None
        self.longest_unseen = 0.0
        self.chair: ChairStandTracker | None = None
        self.tug: TugTracker | None = None
        self.stance: StanceTracker | None = None
        if test.id in ("five_times_sit_to_stand", "chair_stand_30s"):
            self.chair = ChairStandTracker(go_t, list(baseline))
        elif test.id == "timed_up_and_go":
            self.tug = TugTracker(go_t, list(baseline))
        else:
            self.stance = StanceTracker(go_t, ceiling=test.ceiling_seconds or 30.0)

    # ---- frames --------------------------------------------------------------------------

    def update(self, reading: BodyReading) -> None:
        if self.done:
            return
        self.last_t, self.frames = reading.t, self.frames + 1
        if reading.present and math.isfinite(reading.hip_x):
            self._last_seen = reading.t
        elif self._last_seen is not None:
            self.longest_unseen = max(self.longest_unseen, reading.t - self._last_seen)
        if self.chair is not None:
            self.chair.update(reading)
        elif self.tug is not None:
            self.tug.update(reading)
        elif self.stance is not None:
            self.stance.update(reading)

    @property
    def elapsed(self) -> float:
        return max(self.last_t - self.go_t, 0.0)

    @property
    def ended_by(self) -> EndReason | None:
        """Why the trial is over by itself now (None: it goes on)."""
        if self.chair is not None:
            if self.test.id == "chair_stand_30s":
                return "time_up" if self.elapsed >= self.test.limit_seconds else None
            stands = self.chair.stands()
            if len(stands) >= FIVE and stands[FIVE - 1].sit is not None:
                return "five_stands"
        elif self.tug is not None and self.tug.done:
            return "seated"
        elif self.stance is not None and self.stance.ended_by is not None:
            return self.stance.ended_by
        return "limit" if self.elapsed >= self.test.limit_seconds else None

    @property
    def done(self) -> bool:
        return self.ended_by is not None

    def progress(self) -> TrialProgress:
        count = 0
        if self.chair is not None:
            limit = self.go_t + self.test.limit_seconds
            count = self.chair.count_at(limit) if self.test.id == "chair_stand_30s" else self.chair.count
        held = self.stance.held(self.last_t) if self.stance is not None else None
        return TrialProgress(
            test=self.test.id,
            trial=self.trial,
            started=True,
            elapsed=min(self.elapsed, self.test.limit_seconds),
            count=count,
            held=held,
            phase=self.tug.phase_now() if self.tug is not None else None,
            done=self.done,
        )

    # ---- the result ----------------------------------------------------------------------

    def result(self, *, stopped: bool = False) -> ClinicalResult:
        """The trial's result; `stopped`: ended from the screen before it was over (not completed)."""
        ended_by: EndReason = self.ended_by or ("stopped" if stopped else "limit")
        flags: list[Flag] = []
        fields: dict[str, object] = {}
        go = self.go_t
        if self.chair is not None:
            fields, completed = self._chair_result(ended_by, flags)
        elif self.tug is not None:
            end = self.tug.end_time()
            completed = end is not None
            phases, hidden = self.tug.phases()
            if hidden:
                flags.append("turn_not_seen")
            fields = {
                "value": round(end - go, 3) if end is not None else None,
                "phases": phases,
                "secondary": {"rise_start": round(self.tug.rise_time() - go, 3)}
                if self.tug.up_index is not None
                else {},
            }
        else:
            assert self.stance is not None
            completed, held = self.stance.lift_t is not None and ended_by != "stopped", self.stance.held(self.last_t)
            if self.stance.lift_t is None:
                flags.append("never_lifted")
            elif self.side_wanted is not None and self.stance.side != self.side_wanted:
                flags.append("other_leg")
            fields = {
                "value": round(held, 3) if completed and held is not None else None,
                "side": self.stance.side or self.side_wanted,
                "secondary": {"lift": round(self.stance.lift_t - go, 3)} if self.stance.lift_t is not None else {},
            }
        if self.test.id != "timed_up_and_go" and self.longest_unseen >= UNSEEN_FLAG_SECONDS:
            flags.append("left_view")
        duration = round(self.elapsed, 3)
        return ClinicalResult(
            test=self.test.id,
            trial=self.trial,
            unit=self.test.unit,
            completed=completed,
            ended_by=ended_by,
            flags=flags,
            duration=duration,
            frames=self.frames,
            mean_fps=round(self.frames / duration, 1) if duration > 0 else None,
            **fields,
        )

    def _chair_result(self, ended_by: EndReason, flags: list[Flag]) -> tuple[dict[str, object], bool]:
        assert self.chair is not None
        go = self.go_t
        stands = self.chair.stands()
        times = [
            StandTimes(
                rise=round(s.rise - go, 3),
                up=round(s.up - go, 3),
                sit=round(s.sit - go, 3) if s.sit is not None else None,
                arms_used=s.arms_used,
            )
            for s in stands
        ]
        if any(s.arms_used for s in stands):
            flags.append("arms_used")
        if self.test.id == "chair_stand_30s":
            count = self.chair.count_at(go + self.test.limit_seconds)
            completed = ended_by == "time_up"
            return {"value": float(count) if completed else None, "stands": count, "stand_times": times}, completed
        completed = ended_by == "five_stands"
        fifth = times[FIVE - 1] if len(times) >= FIVE else None
        value = fifth.sit if completed and fifth is not None else None
        secondary = {"fifth_stand": fifth.up} if fifth is not None else {}
        return {"value": value, "stands": len(stands), "stand_times": times, "secondary": secondary}, completed


def replay_trial(
    test: ClinicalTest | str,
    readings: Sequence[BodyReading],
    go_t: float,
    *,
    trial: int = 1,
    side_wanted: Side | None = None,
    until: float | None = None,
    stopped: bool = False,
) -> ClinicalResult:
    """A trial's result from recorded readings, the start signal at `go_t`; `until`: the last frame
    that belongs to the trial (a later trial's frames follow in the same recording)."""
    test = clinical_test(test) if isinstance(test, str) else test
    baseline = [r for r in readings if r.t < go_t]
    run = TrialRun(test, go_t, baseline, trial=trial, side_wanted=side_wanted)
    for reading in readings:
        if reading.t < go_t or (until is not None and reading.t > until):
            continue
        run.update(reading)
        if run.done:
            break
    return run.result(stopped=stopped and not run.done)


@dataclasses.dataclass
class ClinicalFrameUpdate(FrameUpdate):
    """A frame update with the trial's progress (None between trials)."""

    test: TrialProgress | None = None


class ClinicalCoach(Coach):
    """The coach of a clinical test: the exercise coach's joints and view, a reading of every frame,
    the running trial's tracker. Rep counting and cues are the coach's own and go unused."""

    def __init__(self, test: ClinicalTest | str, language: str = "en", **options: object) -> None:
        self.test = clinical_test(test) if isinstance(test, str) else test
        super().__init__(load_template_by_id(self.test.template), language, **options)  # type: ignore[arg-type]
        self.scale = ScaleMemory()
        self.readings: deque[BodyReading] = deque()
        self._readings_lock = threading.Lock()  # the worker appends while the session may replay
        self.run: TrialRun | None = None
        self._wanted: tuple[int, Side | None] | None = None  # (trial, side) asked for by the session
        self._running: tuple[int, Side | None] | None = None

    # ---- the session's controls (any thread) ---------------------------------------------

    def go(self, trial: int = 1, side: Side | None = None) -> None:
        """The start signal: the next frame starts the trial's clock."""
        self._wanted = (trial, side)

    def pause(self) -> None:
        """Between trials: frames are read, no trial runs."""
        self._wanted = None

    # ---- the worker's side ---------------------------------------------------------------

    def process(self, frame: PoseFrame) -> ClinicalFrameUpdate:
        update = super().process(frame)
        person = update.person
        reading = read_body(
            frame.t,
            self.measurer.smoothed if person is not None else None,
            person.confidence if person else None,
            self.scale,
        )
        with self._readings_lock:
            self.readings.append(reading)
            while self.readings and frame.t - self.readings[0].t > KEEP_SECONDS:
                self.readings.popleft()
        wanted = self._wanted
        if wanted != self._running:
            self._running = wanted
            self.run = None
            if wanted is not None:
                baseline = [r for r in self.readings if frame.t - r.t <= 2.0 and r is not reading]
                self.run = TrialRun(self.test, frame.t, baseline, trial=wanted[0], side_wanted=wanted[1])
        if self.run is not None:
            self.run.update(reading)
        progress = self.run.progress() if self.run is not None else None
        values = {f.name: getattr(update, f.name) for f in dataclasses.fields(FrameUpdate)}
        return ClinicalFrameUpdate(**values, test=progress)

    def trial_result(self, go_t: float | None = None, *, stopped: bool = False) -> ClinicalResult | None:
        """The running trial's result, replayed from its readings with the start signal at `go_t`
        (the exact time of Go on the frames' clock; default: the first frame after it)."""
        run = self.run
        if run is None:
            return None
        start = go_t if go_t is not None else run.go_t
        with self._readings_lock:
            readings = list(self.readings)
        return replay_trial(
            self.test,
            readings,
            start,
            trial=run.trial,
            side_wanted=run.side_wanted,
            until=run.last_t,
            stopped=stopped,
        )
