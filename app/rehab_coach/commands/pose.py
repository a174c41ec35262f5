"""`rehab-coach pose VIDEO -o out.jsonl`: run a pose backend over a video and write a keypoint stream."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from rehab_coach.capture.video import VideoSource
from rehab_coach.engine.tracking import PatientTracker
from rehab_coach.errors import RehabCoachError
from rehab_coach.keypoints.stream import KeypointStreamWriter, StreamHeader
from rehab_coach.keypoints.types import PoseFrame
from rehab_coach.paths import open_private
from rehab_coach.pose.backend import PoseBackend, add_backend_arguments, backend_options, create_backend

log = logging.getLogger(__name__)


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "pose",
        help="extract COCO-17 keypoints from a video into a JSONL stream",
        description="Run a pose backend over a video and write one JSON line per frame.",
    )
    parser.add_argument("video", type=Path, help="input video file")
    parser.add_argument("-o", "--output", type=Path, required=True, help="keypoint stream to write (.jsonl)")
    add_backend_arguments(parser)
    parser.add_argument("--all-people", action="store_true", help="write everyone seen, not only the tracked patient")
    parser.add_argument("--max-frames", type=_non_negative_int, default=None, help="stop after this many frames")
    parser.set_defaults(func=run)


@dataclass
class PoseRunStats:
    frames: int = 0
    frames_with_person: int = 0
    infer_seconds: float = 0.0

    @property
    def ms_per_frame(self) -> float:
        return 1000.0 * self.infer_seconds / self.frames if self.frames else 0.0


def extract(
    source: VideoSource, backend: PoseBackend, writer: KeypointStreamWriter, *, all_people: bool = False
) -> PoseRunStats:
    """Run `backend` over every frame of `source`, writing each frame as soon as it is done."""
    tracker = PatientTracker()
    stats = PoseRunStats()
    for t, image in source:
        start = time.perf_counter()
        frame = backend.infer(image, t)
        stats.infer_seconds += time.perf_counter() - start
        if not all_people:
            # Keep the frame line even when the patient is missing: the stream has one line per video frame.
            patient = tracker.select(frame)
            frame = PoseFrame(t=frame.t, people=[patient] if patient else [], width=frame.width, height=frame.height)
        writer.write(frame)
        stats.frames += 1
        stats.frames_with_person += bool(frame.people)
        if stats.frames % 100 == 0:
            log.info("%d frames, %.1f ms/frame", stats.frames, stats.ms_per_frame)
    return stats


def _open_output(path: Path) -> IO[str]:
    try:
        return open_private(path, "w", encoding="utf-8")  # a patient's movements: 0600
    except OSError as exc:
        raise RehabCoachError(f"{path}: cannot write the keypoint stream ({exc.strerror or exc})") from None


def run(args: argparse.Namespace) -> int:
    # Check the input before loading a model: a typo in the path should fail in milliseconds.
    source = VideoSource(args.video, max_frames=args.max_frames)
    header = StreamHeader(width=source.width, height=source.height, fps=source.fps)
    with create_backend(args.backend, **backend_options(args)) as backend, _open_output(args.output) as fh:
        stats = extract(source, backend, KeypointStreamWriter(fh, header), all_people=args.all_people)
        description = backend.description
    if damaged := source.ended_early_text():
        print(f"rehab-coach: warning: {damaged}", file=sys.stderr)
    print(
        f"{args.video.name}: {stats.frames} frames, {stats.frames_with_person} with a person, "
        f"{description}, {stats.ms_per_frame:.1f} ms/frame -> {args.output}"
    )
    return 0
