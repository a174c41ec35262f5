"""The threaded live pipeline (session/live/pipeline.py) on real threads, real sources and the real coach.

Every wait below has a safety deadline of a minute: it only stops a broken pipeline from hanging the
run. No test passes or fails on how fast anything went: each waits for the event it needs (the end
of the stream, the stop), however long a busy computer takes to get there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from rehab_coach.capture.pacing import Timeline
from rehab_coach.capture.sources import FrameSource, SourceSpec, open_source
from rehab_coach.engine.coach import Coach
from rehab_coach.engine.templates import load_template_by_id
from rehab_coach.errors import RehabCoachError
from rehab_coach.keypoints.types import PoseFrame
from rehab_coach.pose.backend import PoseBackend
from rehab_coach.session.live.pipeline import ThreadedPipeline
from rehab_coach.session.live.step import LiveResult

SAFETY_DEADLINE = 60.0  # seconds: a hang guard only, far beyond the few seconds a stream takes here


class Recorder:
    """A `PipelineListener` that writes everything down; with `eager`, it takes each frame at once."""

    def __init__(self, eager: bool = True) -> None:
        self.pipeline: ThreadedPipeline | None = None
        self.eager = eager
        self.frames: list[LiveResult] = []
        self.pictures: list[object] = []
        self.picture_threads: set[str] = set()
        self.statuses: list[tuple[str, str]] = []
        self.failures: list[str] = []
        self.crashes: list[str] = []
        self.backends: list[str] = []
        self.calls: list[str] = []  # the order of the reports, by name
        self.first_frame, self.ended, self.stopped = threading.Event(), threading.Event(), threading.Event()
        self.error = threading.Event()

    def picture(self, result: LiveResult) -> object:
        self.picture_threads.add(threading.current_thread().name)
        return None if result.image is None else result.image.shape

    def on_frame(self, result: LiveResult, picture: object) -> None:
        self.calls.append("frame")
        self.frames.append(result)
        self.pictures.append(picture)
        self.first_frame.set()
        if self.eager and self.pipeline is not None:
            self.pipeline.frame_shown()

    def on_source_status(self, state: str, message: str) -> None:
        self.calls.append(f"status {state}")
        self.statuses.append((state, message))
        if state == "error":
            self.error.set()

    def on_failed(self, message: str) -> None:
        self.calls.append("failed")
        self.failures.append(message)

    def on_crashed(self, message: str) -> None:
        self.calls.append("crashed")
        self.crashes.append(message)

    def on_stream_ended(self) -> None:
        self.calls.append("ended")
        self.ended.set()

    def on_backend(self, description: str) -> None:
        self.calls.append("backend")
        self.backends.append(description)

    def on_stopped(self) -> None:
        self.calls.append("stopped")
        self.stopped.set()


def wait(event: threading.Event) -> None:
    assert event.wait(SAFETY_DEADLINE), "the pipeline hung"


def no_model() -> PoseBackend:
    raise AssertionError("a keypoint replay must never load a pose model")


def coached(listener: Recorder, opener: Callable[[SourceSpec], FrameSource] = open_source) -> ThreadedPipeline:
    pipeline = ThreadedPipeline(listener, no_model, opener)
    listener.pipeline = pipeline
    return pipeline


def go(pipeline: ThreadedPipeline, spec: SourceSpec, coach: Coach, timeline: Timeline) -> None:
    """Start as the session does once the countdown is over: coaching on, the file running."""
    pipeline.start(spec, coach, timeline)
    pipeline.set_coaching(True)
    pipeline.pause_file(False)


def stop(pipeline: ThreadedPipeline, listener: Recorder) -> None:
    pipeline.stop()
    wait(listener.stopped)
    assert pipeline.join(SAFETY_DEADLINE) and not pipeline.is_running()
    pipeline.release()


@pytest.fixture
def squats(squat_stream: Callable[..., Path]) -> SourceSpec:
    """Two squats, the first with a trunk lean (a cue), replayed at twice real time."""
    return SourceSpec("replay", squat_stream(reps=2, lead_in=0.5, pause=0.5, faults={1: ["trunk_lean"]}), speed=2.0)


def test_a_replay_is_coached_on_the_pipeline_thread_and_every_rep_reaches_the_consumer(squats: SourceSpec) -> None:
    listener, coach = Recorder(), Coach(load_template_by_id("squat"))
    pipeline = coached(listener)
    go(pipeline, squats, coach, Timeline())
    wait(listener.ended)
    stop(pipeline, listener)

    assert coach.reps, "the coach counted no rep: nothing to check the hand-off with"
    assert [r.index for f in listener.frames for r in f.new_reps] == [r.index for r in coach.reps]
    assert [c.id for f in listener.frames for c in f.cues] == [c.id for c in coach.cue_log]
    assert listener.backends == ["keypoint replay (no model)"]
    assert listener.calls[0] == "backend" and listener.calls[-1] == "stopped"
    assert "ended" in listener.calls and "status ended" in listener.calls
    assert listener.picture_threads == {f"live pipeline {squats.describe()}"}
    assert all(f.image is None for f in listener.frames)  # keypoints: nothing to paint but the skeleton


def test_a_slow_consumer_gets_the_newest_frame_with_every_rep_and_cue_of_the_frames_it_missed(
    squats: SourceSpec,
) -> None:
    listener, coach = Recorder(eager=False), Coach(load_template_by_id("squat"))
    pipeline = coached(listener)
    go(pipeline, squats, coach, Timeline())
    wait(listener.first_frame)
    wait(listener.ended)  # the whole stream went through while the consumer held the first frame
    assert len(listener.frames) == 1
    pipeline.frame_shown()  # ready at last: the one frame waiting comes, carrying all the others' events
    assert len(listener.frames) == 2
    pipeline.frame_shown()  # nothing else waits
    assert len(listener.frames) == 2
    stop(pipeline, listener)

    first, newest = listener.frames
    assert newest.t == max(t for t, _ in newest.samples)  # the newest frame, not an old one
    assert len(coach.reps) == 2
    assert [r.index for f in listener.frames for r in f.new_reps] == [r.index for r in coach.reps]
    assert [c.id for f in listener.frames for c in f.cues] == [c.id for c in coach.cue_log] and coach.cue_log
    seen = first.coached_times + newest.coached_times  # every frame the coach saw, once, in order
    assert len(seen) == coach.frames and seen == sorted(seen) and len(set(seen)) == len(seen)


def test_a_restart_goes_on_with_the_sessions_clock(squats: SourceSpec) -> None:
    listener, coach, timeline = Recorder(), Coach(load_template_by_id("squat")), Timeline()
    pipeline = coached(listener)
    go(pipeline, squats, coach, timeline)
    wait(listener.ended)
    stop(pipeline, listener)
    first_run = [f.t for f in listener.frames]

    listener.ended.clear()
    listener.stopped.clear()
    go(pipeline, squats, coach, timeline)  # the same coach and timeline, as after a crash
    wait(listener.ended)
    stop(pipeline, listener)
    second_run = [f.t for f in listener.frames][len(first_run) :]

    assert first_run and second_run
    assert second_run[0] > first_run[-1]  # the same file from its start: the clock still goes on
    times = first_run + second_run
    assert times == sorted(times) and len(set(times)) == len(times)
    assert len(coach.reps) == 4  # both runs' reps on the one coach


def test_a_source_that_cannot_be_opened_says_which_and_why(tmp_path: Path) -> None:
    listener = Recorder()
    pipeline = coached(listener)
    missing = SourceSpec("video", str(tmp_path / "session-video.mp4"))
    go(pipeline, missing, Coach(load_template_by_id("squat")), Timeline())
    wait(listener.error)
    stop(pipeline, listener)

    [(state, message)] = listener.statuses
    assert state == "error" and "session-video.mp4" in message
    assert not listener.frames and not listener.crashes and listener.calls[-1] == "stopped"


def test_a_pose_model_that_cannot_load_stops_the_pipeline_with_its_reason(lunge_video: Path) -> None:
    listener = Recorder()

    def no_model_installed() -> PoseBackend:
        raise RehabCoachError("no pose model is installed")

    pipeline = ThreadedPipeline(listener, no_model_installed)
    go(pipeline, SourceSpec("video", str(lunge_video)), Coach(load_template_by_id("lunge")), Timeline())
    wait(listener.stopped)

    assert listener.failures == ["no pose model is installed"]
    assert not listener.crashes and not listener.frames and listener.calls[-1] == "stopped"
    assert not pipeline.is_running() and not pipeline.stop()


class FakeModel(PoseBackend):
    name = "fake"

    def infer(self, frame_bgr: np.ndarray, t: float) -> PoseFrame:
        return PoseFrame(t=t, people=[], width=frame_bgr.shape[1], height=frame_bgr.shape[0])


def test_real_footage_reaches_the_consumer_shrunk_to_the_view_with_its_picture_made_on_the_pipeline_thread(
    lunge_video: Path,
) -> None:
    listener = Recorder()
    pipeline = ThreadedPipeline(listener, FakeModel)
    listener.pipeline = pipeline
    pipeline.set_display_size(270, 480)
    spec = SourceSpec("video", str(lunge_video), speed=4.0)
    go(pipeline, spec, Coach(load_template_by_id("lunge")), Timeline())
    wait(listener.ended)
    stop(pipeline, listener)

    assert listener.frames and listener.backends == ["fake"]
    assert all(f.frame_size == (1080, 1920) for f in listener.frames)  # keypoints stay in the source's pixels
    assert set(listener.pictures) == {(480, 270, 3)}
    assert listener.picture_threads == {f"live pipeline {spec.describe()}"}


def test_a_crash_in_the_step_is_reported_and_the_stop_comes_last(squat_stream: Callable[..., Path]) -> None:
    listener = Recorder()

    class Broken:
        """A replay whose frames hold neither an image nor keypoints, as a source bug would."""

        fps = 30.0

        def __init__(self, spec: SourceSpec) -> None:
            self.t = 0.0

        def read(self) -> tuple[float, object]:
            self.t += 1 / 30
            return self.t, None

        def close(self) -> None:
            pass

    pipeline = coached(listener, Broken)  # type: ignore[arg-type]
    go(pipeline, SourceSpec("replay", squat_stream()), Coach(load_template_by_id("squat")), Timeline())
    wait(listener.stopped)

    [crash] = listener.crashes
    assert crash.startswith("ValueError: ") and "neither an image nor keypoints" in crash
    assert listener.calls[-2:] == ["crashed", "stopped"]
