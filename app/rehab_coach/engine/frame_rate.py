"""The frame rate the engine needs (below it, reps may be missed or miscounted) and the one a
session's engine got, as its report and the store keep it (session/live/frame_rate.py measures it)."""

from __future__ import annotations

from dataclasses import dataclass

# Frames per second the rep counter needs to count reliably. It comes from the thinned-stream
# measurements in docs/accuracy.md: real clips thinned to 15, 10 and 8 fps still counted as at
# the full rate; below 8 fps a quick rep's turn can fall between two frames.
MIN_COUNTING_FPS = 8.0
WINDOW_SECONDS = 3.0  # the sliding window: long enough to smooth a hiccup, short enough to see a slow spell


@dataclass(frozen=True)
class FrameRateSummary:
    """Frames per second that reached the engine: over the whole session and in its slowest window
    of `window_seconds`; null where the session was too short to tell. Below `needed_fps` the rep
    counter may miss reps."""

    mean_fps: float | None  # the whole session's coached time
    lowest_fps: float | None  # the lowest full window
    window_seconds: float = WINDOW_SECONDS
    needed_fps: float = MIN_COUNTING_FPS
