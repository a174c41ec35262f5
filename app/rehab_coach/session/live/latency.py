"""Frame rate and end-to-end latency (frame captured -> frame painted), plain Python."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field

import numpy as np


@dataclass
class PerfMeter:
    """Rolling numbers for the status bar, and totals for the session log."""

    window_seconds: float = 2.0
    painted: deque[tuple[float, float]] = field(default_factory=deque)  # (painted at, latency s), recent
    latencies_ms: list[float] = field(default_factory=list)  # every painted frame of the session
    infer_ms: list[float] = field(default_factory=list)
    first_paint: float | None = None
    last_paint: float | None = None

    def frame_painted(self, captured: float, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        latency = max(0.0, now - captured)
        self.painted.append((now, latency))
        self.latencies_ms.append(1000 * latency)
        self.first_paint = now if self.first_paint is None else self.first_paint
        self.last_paint = now
        while self.painted and now - self.painted[0][0] > self.window_seconds:
            self.painted.popleft()

    def frame_processed(self, infer_ms: float) -> None:
        self.infer_ms.append(infer_ms)

    def fps(self) -> float:
        if len(self.painted) < 2:
            return 0.0
        span = self.painted[-1][0] - self.painted[0][0]
        return (len(self.painted) - 1) / span if span > 0 else 0.0

    def latency_ms(self) -> float:
        """Mean capture-to-paint latency over the last `window_seconds`."""
        return 1000 * float(np.mean([lat for _, lat in self.painted])) if self.painted else 0.0

    def latency_p95_ms(self) -> float:
        """95th percentile capture-to-paint latency over the last `window_seconds`."""
        return 1000 * float(np.percentile([lat for _, lat in self.painted], 95)) if self.painted else 0.0

    def summary(self) -> dict[str, float | int]:
        """For the session file: how smooth the session really was."""
        lat = np.asarray(self.latencies_ms)
        frames = len(lat)
        span = (self.last_paint or 0.0) - (self.first_paint or 0.0)
        return {
            "frames_painted": frames,
            "fps": round((frames - 1) / span, 1) if frames > 1 and span > 0 else 0.0,
            "latency_ms_mean": round(float(lat.mean()), 1) if frames else 0.0,
            "latency_ms_p50": round(float(np.percentile(lat, 50)), 1) if frames else 0.0,
            "latency_ms_p95": round(float(np.percentile(lat, 95)), 1) if frames else 0.0,
            "pose_ms_mean": round(float(np.mean(self.infer_ms)), 1) if self.infer_ms else 0.0,
        }
