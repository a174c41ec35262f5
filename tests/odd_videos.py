"""Videos as they come from phones and broken copies, made at test time from tests/data's licensed clips
or from drawn frames: stored sideways with a display rotation, at a variable frame rate, cut short."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from mp4_boxes import cut_after_frames, media_timescale, with_frame_durations, with_rotation

NTSC_FPS = 30000 / 1001  # the curl clip's rate
# The clockwise turn that undoes a display rotation: what a phone did to the upright picture.
_TURN_BACK = {90: cv2.ROTATE_90_COUNTERCLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_CLOCKWISE}


def write_video(path: Path, frames: int, size: tuple[int, int] = (64, 48), fps: float = 25.0) -> Path:
    """A small MJPG AVI; frames=0 gives a well-formed file with nothing to decode."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, size)
    assert writer.isOpened()
    for i in range(frames):
        writer.write(np.full((size[1], size[0], 3), (i * 37) % 256, np.uint8))
    writer.release()
    return path


def curl_frames(data_dir: Path, count: int) -> list[np.ndarray]:
    """The first `count` frames of the MIT-licensed curl clip (tests/data/curls_front_8reps.mp4)."""
    cap = cv2.VideoCapture(str(data_dir / "curls_front_8reps.mp4"))
    frames = []
    while len(frames) < count:
        ok, frame = cap.read()
        assert ok
        frames.append(frame)
    cap.release()
    return frames


def encode(path: Path, frames: list[np.ndarray], fps: float = NTSC_FPS) -> Path:
    """An MPEG-4 (mp4v) file of the frames at a constant rate."""
    height, width = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (width, height))
    assert writer.isOpened()
    for frame in frames:
        writer.write(frame)
    writer.release()
    return path


def as_phone_stores_it(path: Path, frames: list[np.ndarray], rotation: int = 90) -> Path:
    """The upright frames stored turned back by `rotation` degrees (the sensor's way), with a display
    matrix saying to turn them `rotation` degrees clockwise: 90 is a phone held upright."""
    stored = encode(path.with_suffix(".stored.mp4"), [cv2.rotate(f, _TURN_BACK[rotation]) for f in frames])
    path.write_bytes(with_rotation(stored.read_bytes(), rotation))
    return path


def with_dropped_frames(path: Path, frames: list[np.ndarray], keep: list[int], fps: float = NTSC_FPS) -> Path:
    """A variable-frame-rate clip: only the frames `keep`, each lasting until the next kept one, so
    every frame keeps its time in the original."""
    plain = encode(path.with_suffix(".cfr.mp4"), [frames[i] for i in keep])
    scale = media_timescale(plain.read_bytes())
    gaps = [b - a for a, b in zip(keep, keep[1:], strict=False)] + [1]
    path.write_bytes(with_frame_durations(plain.read_bytes(), [round(g * scale / fps) for g in gaps]))
    return path


def cut_short(path: Path, source: Path, frames: int) -> Path:
    """`source` as a copy that stopped after `frames` frames while its index lists them all."""
    path.write_bytes(cut_after_frames(source.read_bytes(), frames))
    return path
