"""Compact storage for a rep's angle curve.

A rep at 30 fps is 60-300 samples; we keep at most `MAX_POINTS`, always including
the first, last and extreme samples (the clinically relevant ones), and pack them as
little-endian float32 pairs (time since rep start, value): 8 bytes a point, so a rep
costs at most about 0.5 KiB.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

MAX_POINTS = 64
ENCODING = "f32le-tv"  # float32 little endian, (t - start_t, value) pairs
_DTYPE = np.dtype("<f4")


def downsample(curve: Sequence[tuple[float, float]], max_points: int = MAX_POINTS) -> list[tuple[float, float]]:
    """Evenly spaced samples plus the minimum and maximum; drops non-finite samples."""
    points = [(float(t), float(v)) for t, v in curve if math.isfinite(t) and math.isfinite(v)]
    if len(points) <= max_points:
        return points
    values = np.array([v for _, v in points])
    keep = set(np.linspace(0, len(points) - 1, max_points - 2).round().astype(int).tolist())
    keep |= {int(values.argmin()), int(values.argmax())}
    return [points[i] for i in sorted(keep)]


def pack(curve: Sequence[tuple[float, float]], start_t: float) -> bytes:
    arr = np.array([(t - start_t, v) for t, v in curve], dtype=_DTYPE).reshape(-1, 2)
    return arr.tobytes()


def unpack(data: bytes, start_t: float, encoding: str = ENCODING) -> list[tuple[float, float]]:
    if encoding != ENCODING:
        raise ValueError(f"unknown curve encoding {encoding!r}")
    arr = np.frombuffer(data, dtype=_DTYPE).reshape(-1, 2).astype(float)
    return [(round(start_t + t, 3), round(v, 2)) for t, v in arr.tolist()]
