"""Session time and file pacing: the session clock never goes back, files play at camera speed."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Timeline:
    """Session time that never goes backwards across loops, reconnects and source switches.

    The coach measures rep durations and cue gaps from frame times, so a video that starts
    again at 0 s must continue the session clock instead of rewinding it.
    """

    step: float = 1 / 30
    offset: float = 0.0
    last: float | None = None
    _rebase: bool = False

    def new_source(self, fps: float) -> None:
        self.step = 1 / fps if fps > 0 else self.step
        self._rebase = True

    def stamp(self, t: float) -> float:
        if self.last is not None and (self._rebase or self.offset + t <= self.last):
            self.offset = self.last + self.step - t
        self._rebase = False
        self.last = self.offset + t
        return self.last


class Pacer:
    """Releases file frames at their media time (divided by `speed`), like a camera would."""

    def __init__(self, speed: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.speed = speed if speed > 0 else 1.0
        self.clock = clock
        self._origin: tuple[float, float] | None = None  # (wall, media)

    def rebase(self) -> None:
        """Forget the schedule (after a pause), so the next frame goes out at once."""
        self._origin = None

    def delay(self, t: float) -> float:
        """Seconds to wait before frame time `t` is due."""
        now = self.clock()
        if self._origin is None:
            self._origin = (now, t)
            return 0.0
        due = self._origin[0] + (t - self._origin[1]) / self.speed
        if now - due > 0.25:
            self._origin = (now, t)  # fell behind (slow decode): go on from here rather than burst
        return max(0.0, due - now)
