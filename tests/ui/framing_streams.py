"""Synthetic squat streams filmed from one view after another, for the framing check's window tests."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from rehab_coach.keypoints.stream import StreamHeader, write_stream
from rehab_synth import generate


def clip_stream(path: Path, *parts: tuple[str, int]) -> Path:
    """Squats filmed from each (view, reps) part in turn, one continuous clock."""
    frames, offset, header = [], 0.0, None
    for view, reps in parts:
        clip = generate("squat", reps=reps, view=view, seed=3)
        header = header or StreamHeader(clip.width, clip.height, clip.fps)
        frames += [replace(f, t=f.t + offset) for f in clip.frames]
        offset = frames[-1].t + 1 / clip.fps
    assert header is not None
    write_stream(path, header, frames)
    return path
