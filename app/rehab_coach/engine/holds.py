"""Isometric holds: time spent in the target position, tolerant of brief wobbles."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rehab_coach.engine.templates import Template


@dataclass
class HoldSpan:
    start_t: float
    end_t: float
    held_seconds: float
    complete: bool


UNSEEN_SECONDS = 1.0  # the measured joints out of view this long ends an attempt (as for reps)


class HoldTimer:
    """Counts seconds while the hold condition is true; a loss shorter than `grace_seconds`
    pauses the clock, a longer one ends the attempt. After an attempt ends the patient must
    leave the position before the next one starts: staying put after a completed hold is
    not a second, interrupted hold. Frames where the joints are not seen (`values` None)
    are no evidence either way: they pause the clock, and only a gap longer than
    UNSEEN_SECONDS ends the attempt, so a detector dropout does not cut a 30 s hold short."""

    def __init__(self, template: Template) -> None:
        assert template.hold is not None
        self.hold = template.hold
        self.condition = template.expression(self.hold.when, "frame")
        self.start_t: float | None = None
        self.last_true_t = 0.0
        self.held = 0.0
        self.last_t: float | None = None
        self.lost = False  # position lost during an attempt (for a cue)
        self.armed = True  # out of position since the last attempt
        self.last_seen_t = 0.0

    @property
    def in_position(self) -> bool:
        return self.start_t is not None and not self.lost

    def update(self, values: Mapping[str, float] | None, t: float) -> HoldSpan | None:
        dt = 0.0 if self.last_t is None else t - self.last_t
        self.last_t = t
        if values is None:
            if self.start_t is not None and t - max(self.last_true_t, self.last_seen_t) > UNSEEN_SECONDS:
                return self._end(self.last_true_t, complete=False)
            return None
        self.last_seen_t = t
        ok = self.condition.test(values)
        if self.start_t is None:
            if ok and self.armed:
                self.start_t, self.last_true_t, self.held, self.lost = t, t, 0.0, False
            self.armed = self.armed or not ok
            return None
        if ok:
            self.held += dt
            self.last_true_t, self.lost = t, False
            if self.held >= self.hold.seconds:
                return self._end(t, complete=True)
            return None
        self.lost = True
        if t - self.last_true_t > self.hold.grace_seconds:
            return self._end(self.last_true_t, complete=False)
        return None  # a brief wobble pauses the clock without ending the attempt

    def _end(self, t: float, complete: bool) -> HoldSpan | None:
        """The finished attempt; None when it was too short to be one (passing through)."""
        span = HoldSpan(self.start_t or t, t, round(min(self.held, self.hold.seconds), 3), complete)
        self.start_t, self.held, self.armed, self.lost = None, 0.0, False, False
        return span if complete or span.held_seconds >= self.hold.min_seconds else None

    def close(self, t: float) -> HoldSpan | None:
        return self._end(t, complete=False) if self.start_t is not None else None
