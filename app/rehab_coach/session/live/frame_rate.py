"""The effective frame rate of a live session: frames that reached the engine per second.

On a slow computer the worker does not see every frame (the newest wins, the others are
dropped), so the engine counts from fewer frames than the camera gives. This meter measures what
the engine got, in seconds of the frames' own timestamps (never the wall clock, so a headless run
on a simulated clock measures the same): over a sliding window of a few seconds, and over the
whole session. Only stretches of coaching count: a pause or a rest is no slow frame.

It also says when the windowed rate stays below what the engine needs (`MIN_COUNTING_FPS`) for a
few seconds, once per episode, and when it has stayed back above it as long.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from enum import StrEnum

from rehab_coach.engine.frame_rate import MIN_COUNTING_FPS, WINDOW_SECONDS, FrameRateSummary

PERSIST_SECONDS = 3.0  # how long the windowed rate must stay low (or back up) before the session says so


class RateChange(StrEnum):
    TOO_SLOW = "too_slow"
    RECOVERED = "recovered"


@dataclass
class FrameRateMeter:
    needed_fps: float = MIN_COUNTING_FPS
    window_seconds: float = WINDOW_SECONDS
    persist_seconds: float = PERSIST_SECONDS
    too_slow: bool = False  # in a slow episode (said once; said again only after a recovery)
    lowest_fps: float | None = None
    _window: deque[float] = field(default_factory=deque)  # recent frame times of the current stretch
    _stretch_start: float | None = None
    _intervals: int = 0  # frame-to-frame steps over all stretches
    _seconds: float = 0.0  # and the time they cover
    _since: float | None = None  # when the windowed rate crossed the line it is now on

    def frame(self, t: float) -> RateChange | None:
        """A frame that went through the engine, at its timestamp; says when the session became too slow or recovered."""
        if self._window and t <= self._window[-1]:
            self.interrupt()  # time went back (another source): a new stretch, never a negative step
        if self._window:
            self._intervals += 1
            self._seconds += t - self._window[-1]
        else:
            self._stretch_start = t
        self._window.append(t)
        # Keep the newest frame at or before the window's start: the window then spans at least
        # `window_seconds` once the stretch does, even when frames come seconds apart.
        while len(self._window) > 1 and self._window[1] <= t - self.window_seconds:
            self._window.popleft()
        rate = self.windowed_fps()
        if rate is None:
            return None
        self.lowest_fps = rate if self.lowest_fps is None else min(self.lowest_fps, rate)
        return self._watch(rate, t)

    def interrupt(self) -> None:
        """Coaching stopped (pause, rest, a restart): the next frame starts a new stretch, its gap uncounted.
        A slow episode goes on: it ends only when the rate has been back up for `persist_seconds`."""
        self._window.clear()
        self._stretch_start = None
        self._since = None

    def windowed_fps(self) -> float | None:
        """Frames per second over the last window; None until the current stretch fills one."""
        if self._stretch_start is None or len(self._window) < 2:
            return None
        span = self._window[-1] - self._window[0]
        if self._window[-1] - self._stretch_start < self.window_seconds - 1e-9:
            return None
        return (len(self._window) - 1) / span

    def mean_fps(self) -> float | None:
        return self._intervals / self._seconds if self._seconds > 0 else None

    def summary(self) -> FrameRateSummary:
        mean = self.mean_fps()
        return FrameRateSummary(
            mean_fps=round(mean, 1) if mean is not None else None,
            lowest_fps=round(self.lowest_fps, 1) if self.lowest_fps is not None else None,
            window_seconds=self.window_seconds,
            needed_fps=self.needed_fps,
        )

    def _watch(self, rate: float, t: float) -> RateChange | None:
        crossed = (rate < self.needed_fps) != self.too_slow  # on the other side of the line than the episode says
        if not crossed:
            self._since = None
            return None
        if self._since is None:
            self._since = t
        if t - self._since < self.persist_seconds - 1e-9:
            return None
        self.too_slow, self._since = not self.too_slow, None
        return RateChange.TOO_SLOW if self.too_slow else RateChange.RECOVERED
