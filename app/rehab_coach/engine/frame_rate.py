"""The frame rate the engine needs: below it, reps may be missed or miscounted."""

from __future__ import annotations

# Frames per second the rep counter needs to count reliably. It comes from the thinned-stream
# measurements in docs/accuracy.md: real clips thinned to 15, 10 and 8 fps still counted as at
# the full rate; below 8 fps a quick rep's turn can fall between two frames.
MIN_COUNTING_FPS = 8.0
