"""Offline analysis: a video or a keypoint stream through the same engine as the live app."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from rehab_coach.capture.video import VideoSource
from rehab_coach.engine.coach import Coach
from rehab_coach.engine.templates import Template
from rehab_coach.keypoints.stream import KeypointStream
from rehab_coach.keypoints.types import PoseFrame
from rehab_coach.pose.backend import PoseBackend
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


def run_engine(coach: Coach, frames: Iterable[PoseFrame], timer: StageTimer) -> Coach:
    for frame in frames:
        started = time.perf_counter()
        coach.process(frame)
        timer.add("engine", time.perf_counter() - started)
    coach.finish()
    return coach


def analyze_video(video: VideoSource, template: Template, backend: PoseBackend, language: str = "en") -> dict[str, Any]:
    timer = StageTimer()
    coach = run_engine(Coach(template, language), pose_frames_from_video(video, backend, timer), timer)
    source = SourceInfo("video", str(video.path), video.width, video.height, video.fps)
    return build_report(coach, backend.full_description, source, timer.medians())


def analyze_stream(path: Path, template: Template, language: str = "en") -> dict[str, Any]:
    stream = KeypointStream(path)
    timer = StageTimer()
    coach = run_engine(Coach(template, language), stream, timer)
    header = stream.header
    source = SourceInfo("keypoints", str(path), header.width, header.height, header.fps)
    return build_report(coach, "keypoint stream (replay)", source, timer.medians())
