"""A live session without threads or a screen: frames pushed in order, time from the frames.

`HeadlessPipeline` is the `Pipeline` port for a run in one thread: no capture loop, no thread; the
caller hands it each frame and it runs the same `LiveStep` as the app's `ThreadedPipeline`, on a
simulated clock (the frame's own time stamps it). `replay`
drives a `LiveSession` over a list of pose frames on a `SimulatedClock`, as fast as the coach goes:
offline analysis and the evaluation harness count reps with the same session code as the app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rehab_coach.capture.loop import SourceItem
from rehab_coach.capture.pacing import Timeline
from rehab_coach.capture.sources import SourceSpec
from rehab_coach.engine.coach import Coach
from rehab_coach.keypoints.types import PoseFrame
from rehab_coach.pose.backend import PoseBackend
from rehab_coach.session.live.lifecycle import LiveSession
from rehab_coach.session.live.step import LiveResult, LiveStep

COUNTDOWN_STEP = 0.1  # seconds of simulated time per tick while a paused file waits for the countdown


@dataclass
class SimulatedClock:
    """A clock that only moves when told: `clock.now = t`, or `advance(seconds)`."""

    now: float = 0.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> float:
        self.now += seconds
        return self.now


class HeadlessPipeline:
    """The frame pipeline in the caller's thread: `process(frame)` is one `LiveStep`, as on the pipeline thread.

    `engine_seconds` (if given) receives the time each coach call took, for the analysis report.
    """

    def __init__(self, engine_seconds: Callable[[float], None] | None = None) -> None:
        self.coach: Coach | None = None
        self.step: LiveStep | None = None
        self._now = 0.0  # the step's clock: the time of the frame it is on
        self.spec: SourceSpec | None = None
        self.timeline: Timeline | None = None
        self.coaching = False
        self.file_paused = True
        self.running = False
        self.starts = 0  # workers started: 1, plus one per restart
        self.switches: list[SourceSpec] = []  # switch_source calls (reopened or other sources)
        self.engine_seconds = engine_seconds

    # ---- the Pipeline port ---------------------------------------------------------

    def start(self, spec: SourceSpec, coach: Coach, timeline: Timeline) -> None:
        self.spec, self.coach, self.timeline = spec, coach, timeline
        self.step = LiveStep(coach, _no_pose_model, clock=lambda: self._now)
        self.coaching, self.file_paused, self.running = False, True, True
        self.starts += 1

    def stop(self) -> bool:
        self.running = False
        return False  # nothing runs on its own: the session goes on at once

    def release(self) -> None:
        self.running = False

    def set_coaching(self, on: bool) -> None:
        self.coaching = on

    def pause_file(self, paused: bool) -> None:
        self.file_paused = paused

    def switch_source(self, spec: SourceSpec) -> None:
        self.spec = spec
        self.switches.append(spec)

    def is_running(self) -> bool:
        return self.running

    @property
    def dropped(self) -> int:
        return 0  # every frame is processed, in order

    # ---- frames ----------------------------------------------------------------------

    def process(self, frame: PoseFrame) -> LiveResult:
        """One frame through the coach while coaching (else only the patient is picked, for the framing check)."""
        if self.step is None:
            raise RuntimeError("the pipeline was not started")
        # Files and streams bring their own time, in order: nothing to re-stamp.
        self._now = frame.t
        result = self.step(SourceItem(t=frame.t, captured=frame.t, pose=frame), self.coaching)
        if self.engine_seconds is not None and result.update is not None:
            self.engine_seconds(result.engine_ms / 1000)
        return result


def _no_pose_model() -> PoseBackend:
    raise RuntimeError("a headless run takes keypoints: it has no pose model")


def replay(
    session: LiveSession, pipeline: HeadlessPipeline, clock: SimulatedClock, frames: Iterable[PoseFrame]
) -> None:
    """Every frame through the session in order, the clock at each frame's time; then the end of the stream.

    A paused file waits (the countdown runs on simulated time); a session that rests or is paused
    at the end of a set waits for a user who is not there, so the replay stops and finishes it.
    """
    for frame in frames:
        clock.now = max(clock.now, frame.t)
        session.tick()
        while pipeline.file_paused and session.state == "countdown":
            clock.advance(COUNTDOWN_STEP)
            session.tick()
        if not session.takes_frames or pipeline.file_paused:
            break
        session.on_frame(pipeline.process(frame))
    session.on_stream_ended()
    session.finish()
