"""Offline analysis: a video or a keypoint stream through the same session and engine as the live app.

The frames go through a `LiveSession` on a simulated clock (`session.headless`), in order and as fast
as the coach goes: one open-ended set, no countdown, no framing check and no raised-hand pause, so
every frame is coached.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from rehab_coach.capture.sources import SourceSpec
from rehab_coach.capture.video import VideoSource
from rehab_coach.engine.coach import Coach
from rehab_coach.engine.templates import Template, TemplateFile
from rehab_coach.keypoints.stream import KeypointStream
from rehab_coach.keypoints.types import PoseFrame
from rehab_coach.pose.backend import PoseBackend
from rehab_coach.session.live.events import SessionSettings
from rehab_coach.session.live.headless import HeadlessPipeline, SimulatedClock, replay
from rehab_coach.session.live.lifecycle import LiveSession
from rehab_coach.session.report import SourceInfo, build_report


@dataclass
class StageTimer:
    """Per-stage wall-clock samples in milliseconds."""

    samples: dict[str, list[float]] = field(default_factory=dict)

    def add(self, stage: str, seconds: float) -> None:
        self.samples.setdefault(stage, []).append(seconds * 1000.0)

    def medians(self) -> dict[str, float]:
        return {stage: round(float(np.median(v)), 2) for stage, v in self.samples.items() if v}


def pose_frames_from_video(video: VideoSource, backend: PoseBackend, timer: StageTimer) -> Iterator[PoseFrame]:
    frames = iter(video)
    while True:
        started = time.perf_counter()
        try:
            t, image = next(frames)
        except StopIteration:
            return
        decoded = time.perf_counter()
        pose = backend.infer(image, t)
        timer.add("decode", decoded - started)
        timer.add("pose", time.perf_counter() - decoded)
        yield pose


def run_session(
    coach: Coach, frames: Iterable[PoseFrame], timer: StageTimer, spec: SourceSpec | None = None
) -> LiveSession:
    """Every frame through a headless live session around `coach`; the coach holds the reps, the
    session its frame rate."""
    clock = SimulatedClock()
    pipeline = HeadlessPipeline(engine_seconds=lambda seconds: timer.add("engine", seconds))
    settings = SessionSettings(coach.language, countdown=0, framing_check=False, open_ended=True, raised_hand=False)
    session = LiveSession(pipeline, settings=settings, clock=clock)
    session.start(coach.template, spec or SourceSpec("replay", "frames"), coach=coach)
    replay(session, pipeline, clock, frames)
    return session


def run_engine(coach: Coach, frames: Iterable[PoseFrame], timer: StageTimer, spec: SourceSpec | None = None) -> Coach:
    """Every frame through a headless live session around `coach`; the coach holds the result."""
    run_session(coach, frames, timer, spec)
    return coach


def analyze_video(
    video: VideoSource,
    template: Template,
    backend: PoseBackend,
    language: str = "en",
    template_file: TemplateFile | None = None,
) -> dict[str, Any]:
    timer = StageTimer()
    frames = pose_frames_from_video(video, backend, timer)
    session = run_session(Coach(template, language), frames, timer, SourceSpec("video", video.path))
    source = SourceInfo(
        "video",
        str(video.path),
        video.width,
        video.height,
        video.fps,
        rotation=video.rotation,
        frame_count=video.frame_count,
        frames_timed_by_rate=video.frames_timed_by_rate,
        ended_early=video.ended_early,
    )
    damaged = video.ended_early_text()
    return _report(session, backend.full_description, source, timer, [damaged] if damaged else [], template_file)


def analyze_stream(
    path: Path, template: Template, language: str = "en", template_file: TemplateFile | None = None
) -> dict[str, Any]:
    stream = KeypointStream(path)
    timer = StageTimer()
    session = run_session(Coach(template, language), stream, timer, SourceSpec("replay", path))
    header = stream.header
    source = SourceInfo("keypoints", str(path), header.width, header.height, header.fps)
    return _report(session, "keypoint stream (replay)", source, timer, template_file=template_file)


def _report(
    session: LiveSession,
    backend: str,
    source: SourceInfo,
    timer: StageTimer,
    warnings: list[str] | None = None,
    template_file: TemplateFile | None = None,
) -> dict[str, Any]:
    assert session.coach is not None
    summary = session.frame_rate.summary()
    return build_report(session.coach, backend, source, timer.medians(), summary, warnings, template_file)
