"""Each clip's keypoint stream is computed once per video and backend, then replayed from disk,
so a change to the engine re-runs a whole manifest in seconds."""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from rehab_coach.capture.video import VideoSource
from rehab_coach.engine.tracking import PatientTracker
from rehab_coach.keypoints.stream import KeypointStream, KeypointStreamWriter, StreamHeader
from rehab_coach.keypoints.types import PoseFrame
from rehab_coach.pose.backend import PoseBackend

log = logging.getLogger(__name__)
CACHE_FORMAT = 3  # bump when what is written changes (2: 3D world points; 3: upright frames, container times)


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def cache_key(video: Path, backend_description: str) -> str:
    text = f"{CACHE_FORMAT}|{file_digest(video)}|{backend_description}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def write_patient_stream(video: Path, backend: PoseBackend, out: Path) -> None:
    """The tracked patient of every frame (an empty frame when nobody is seen), written atomically."""
    source = VideoSource(video)
    tracker = PatientTracker()
    partial = out.with_suffix(f".{os.getpid()}.part")
    reset = getattr(backend, "reset", None)
    if callable(reset):
        reset()  # a tracking backend must not carry the last clip's person into this one
    try:
        with open(partial, "w", encoding="utf-8") as fh:
            writer = KeypointStreamWriter(fh, StreamHeader(source.width, source.height, source.fps))
            for t, image in source:
                frame = backend.infer(image, t)
                patient = tracker.select(frame)
                writer.write(
                    PoseFrame(t=frame.t, people=[patient] if patient else [], width=frame.width, height=frame.height)
                )
        if damaged := source.ended_early_text():
            log.warning("%s", damaged)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)


def cached_stream(video: Path, backend: PoseBackend, cache: Path) -> KeypointStream:
    cache.mkdir(parents=True, exist_ok=True)
    out = cache / f"{video.stem}-{cache_key(video, backend.description)}.jsonl"
    if not out.is_file():
        log.warning("%s: running %s (cached for later runs)", video.name, backend.description)
        write_patient_stream(video, backend, out)
    return KeypointStream(out)
