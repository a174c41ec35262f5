"""A clinical test run live on a simulated clock: the countdown's frames are the baseline, Go starts the
clock, the test ends itself, a single-leg stance stops between legs, Finish keeps a stopped trial, the
camera never pauses it, and the recorder gets the session under the test's id with each trial."""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

import pytest

from rehab_coach.capture.sources import SourceSpec
from rehab_coach.engine.clinical import ClinicalResult, replay_trial
from rehab_coach.keypoints.types import PoseFrame
from rehab_coach.session.clinical import ClinicalFinished, ClinicalSession, TrialEnded, TrialShown, TrialStarted
from rehab_coach.session.live.events import SessionSettings, SessionState
from rehab_coach.session.live.headless import HeadlessPipeline, SimulatedClock
from rehab_coach.session.live.store_thread import SaveResult
from rehab_synth.clinical import chair_stands, single_leg_stance, timed_up_and_go

CAMERA = SourceSpec("camera", 0)  # a camera streams through the countdown (a file would wait)


@dataclass
class FakeRecorder:
    calls: list[tuple[str, Any]] = field(default_factory=list)

    def start_session(self, patient: str | None, template: Any, program_item: Any = None, overrides: Any = None) -> str:
        self.calls.append(("start", (patient, template)))
        return "uid-1"

    def record_clinical_result(self, session: str, result: ClinicalResult) -> None:
        assert session == "uid-1"
        self.calls.append(("result", result))

    def finish_session(
        self, session: str, summary: dict[str, Any], status: str, frame_rate: Any = None
    ) -> Future[SaveResult]:
        assert session == "uid-1"
        self.calls.append(("finish", (summary, status)))
        done: Future[SaveResult] = Future()
        done.set_result(SaveResult("uid-1"))
        return done


@dataclass
class Run:
    session: ClinicalSession
    pipeline: HeadlessPipeline
    clock: SimulatedClock
    recorder: FakeRecorder
    events: list[Any] = field(default_factory=list)

    def feed(self, frames: list[PoseFrame]) -> None:
        for frame in frames:
            self.clock.now = max(self.clock.now, frame.t)
            self.session.tick()
            if not self.session.takes_frames or self.session.state == SessionState.RESTING:
                return
            self.session.on_frame(self.pipeline.process(frame))

    def of(self, kind: type) -> list[Any]:
        return [e for e in self.events if isinstance(e, kind)]


def start(test: str, go_t: float, countdown: int = 1) -> Run:
    clock = SimulatedClock(go_t - countdown)
    pipeline = HeadlessPipeline()
    recorder = FakeRecorder()
    settings = SessionSettings(countdown=countdown, framing_check=False)
    session = ClinicalSession(pipeline, recorder, settings, clock=clock, wall_clock=clock)
    run = Run(session, pipeline, clock, recorder)
    session.subscribe(run.events.append)
    session.start_test(test, CAMERA, patient="P-1")
    return run


def test_five_times_sit_to_stand_ends_itself_and_is_recorded_under_the_test_id() -> None:
    clip = chair_stands(5, seed=1)
    run = start("five_times_sit_to_stand", clip.go_t)
    run.feed(clip.frames)
    assert run.session.state == SessionState.DONE
    [finished] = run.of(ClinicalFinished)
    [result] = finished.results
    assert result.completed and result.ended_by == "five_stands"
    # Go was given on the simulated clock at go_t: the trial is timed from there, as a replay from go_t is.
    coach = run.session.clinical_coach
    assert result == replay_trial(
        "five_times_sit_to_stand", list(coach.readings), clip.go_t, until=coach.run.last_t if coach.run else None
    )
    assert result.value == pytest.approx(clip.truth["stands"][4]["sit"] - clip.go_t, abs=0.25)
    shown = [e.progress.count for e in run.of(TrialShown)]
    assert shown[0] == 0 and shown[-1] == 5 and shown == sorted(shown)
    calls = run.recorder.calls
    assert calls[0] == ("start", ("P-1", "five_times_sit_to_stand"))
    assert calls[1] == ("result", result)
    assert calls[2][0] == "finish" and calls[2][1][1] == "completed"
    assert (
        calls[2][1][0]["clinical_test"] == "five_times_sit_to_stand"
        and calls[2][1][0]["results"][0]["value"] == result.value
    )
    assert finished.outcome.status == "completed"


def test_the_countdown_frames_are_the_baseline_and_frames_after_go_the_trial() -> None:
    clip = timed_up_and_go(seed=1)
    run = start("timed_up_and_go", clip.go_t, countdown=2)
    run.feed(clip.frames)
    [finished] = run.of(ClinicalFinished)
    [result] = finished.results
    assert result.completed and result.value == pytest.approx(clip.truth["tug_seconds"], abs=0.3)
    # The patient left the chair's spot and turned: nothing paused the clock.
    assert "away" not in [e["kind"] for e in run.session.events] and "turned" not in [
        e["kind"] for e in run.session.events
    ]


def test_single_leg_stance_stops_between_legs_until_the_next_trial() -> None:
    right = single_leg_stance(hold=5.0, seed=1, stand_leg="right", stand_after=1.0)
    left = single_leg_stance(hold=4.0, seed=2, stand_leg="left", stand_before=2.0)
    run = start("single_leg_stance_test", right.go_t)
    [first] = run.of(TrialStarted)
    assert (first.trial, first.trials, first.side) == (1, 2, "right")
    run.feed(right.frames)
    assert run.session.state == SessionState.RESTING
    [ended] = run.of(TrialEnded)
    assert ended.result.side == "right" and ended.next_side == "left"
    assert ended.result.value == pytest.approx(right.truth["down"] - right.truth["lift"], abs=0.25)
    offset = run.clock.now + 1.0
    second_frames = [PoseFrame(t=f.t + offset, people=f.people, width=f.width, height=f.height) for f in left.frames]
    run.clock.now = second_frames[0].t - 1.0
    run.session.next_trial()
    assert run.of(TrialStarted)[-1].side == "left"
    run.feed(second_frames)
    [finished] = run.of(ClinicalFinished)
    assert [(r.trial, r.side, r.completed) for r in finished.results] == [(1, "right", True), (2, "left", True)]
    assert finished.results[1].value == pytest.approx(left.truth["down"] - left.truth["lift"], abs=0.25)
    assert [c[0] for c in run.recorder.calls] == ["start", "result", "result", "finish"]


def test_finish_during_a_trial_keeps_it_stopped_and_not_completed() -> None:
    clip = chair_stands(5, seed=3)
    run = start("five_times_sit_to_stand", clip.go_t)
    run.feed([f for f in clip.frames if f.t < clip.truth["stands"][2]["rise"]])
    run.session.finish()
    [finished] = run.of(ClinicalFinished)
    [result] = finished.results
    assert result.ended_by == "stopped" and not result.completed and result.value is None and result.stands == 2
    assert finished.outcome.status == "stopped"
    assert run.recorder.calls[-1][1][1] == "stopped"


def test_pause_stops_a_timed_trial_rather_than_pausing_its_clock() -> None:
    clip = timed_up_and_go(seed=4)
    run = start("timed_up_and_go", clip.go_t)
    run.feed([f for f in clip.frames if f.t < clip.truth["turn"][0]])
    run.session.toggle_pause()
    [finished] = run.of(ClinicalFinished)
    assert finished.results[0].ended_by == "stopped"


def test_the_coachs_reps_and_cues_are_not_part_of_a_test() -> None:
    clip = chair_stands(5, seed=1)
    run = start("chair_stand_30s", clip.go_t)
    run.feed(clip.frames)
    from rehab_coach.session.live import events as ev

    assert run.of(ev.RepCounted) == [] and run.of(ev.CueShown) == []
