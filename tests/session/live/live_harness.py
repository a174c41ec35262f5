"""Test helpers: a live session without Qt: the real `LiveSession`, the real coach, frames pushed in on a simulated clock."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from rehab_coach.capture.sources import SourceSpec
from rehab_coach.engine.templates import load_template_by_id
from rehab_coach.keypoints.types import PoseFrame
from rehab_coach.session.live import events as ev
from rehab_coach.session.live.events import Recorder, SessionSettings
from rehab_coach.session.live.headless import HeadlessPipeline, SimulatedClock
from rehab_coach.session.live.lifecycle import LiveSession

REPLAY = SourceSpec("replay", "squats.jsonl")
CAMERA = SourceSpec("camera", 0)


@dataclass
class Harness:
    session: LiveSession
    pipeline: HeadlessPipeline
    clock: SimulatedClock
    events: list[ev.SessionEvent] = field(default_factory=list)

    def start(self, spec: SourceSpec = REPLAY, exercise: str = "squat", **overrides: Any) -> None:
        self.session.start(load_template_by_id(exercise, overrides or None), spec)

    def feed(self, frames: Iterable[PoseFrame]) -> int:
        """Frames in order, re-timed to follow the clock (a file resumed after a pause goes on from now).
        A paused file stops delivering (a camera goes on); returns how many frames went through."""
        fed, base = 0, None
        for frame in frames:
            base = self.clock.now - frame.t + 1 / 30 if base is None else base
            self.clock.now = frame.t + base
            self.session.tick()
            paused = self.pipeline.file_paused and not (self.pipeline.spec is not None and self.pipeline.spec.live)
            if paused or not self.session.takes_frames:
                break
            self.session.on_frame(self.pipeline.process(replace(frame, t=self.clock.now)))
            fed += 1
        return fed

    def wait(self, seconds: float, step: float = 0.1) -> None:
        """Let time pass with no frame (a silent source), ticking as the adapter's timer does."""
        end = self.clock.now + seconds
        while self.clock.now < end - 1e-9:
            self.clock.now = min(self.clock.now + step, end)
            self.session.tick()

    def of(self, kind: type) -> list[Any]:
        return [e for e in self.events if isinstance(e, kind)]

    def saved_uid(self) -> str:
        """The finished session's uid, once its recording was saved without error."""
        [finished] = self.of(ev.SessionFinished)
        assert finished.saving is not None
        saved = finished.saving.result(timeout=20)
        assert saved.uid is not None and not saved.error
        return str(saved.uid)

    @property
    def log(self) -> list[str]:
        return [e["kind"] for e in self.session.events]


def make_harness(recorder: Recorder | None = None, **settings: Any) -> Harness:
    clock = SimulatedClock(100.0)
    pipeline = HeadlessPipeline()
    settings = {"countdown": 0, "framing_check": False, **settings}
    session = LiveSession(pipeline, recorder, SessionSettings(**settings), clock=clock, wall_clock=clock)
    harness = Harness(session, pipeline, clock)
    session.subscribe(harness.events.append)
    return harness
