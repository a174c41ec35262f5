"""The rep state machine: two thresholds (hysteresis), a target, duration limits.

Values are folded so that a rep always moves the primary measure *down*:
    rest (>= end)  --drops below start-->  in rep  --rises to >= end-->  rest
The gap between `start` and `end` absorbs jitter: crossing `start` back and forth
never starts a second rep. A rep that never reached `target` ends as partial.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum

from rehab_coach.engine.templates import Primary, RepLimits


class State(Enum):
    WAIT_REST = "wait_rest"  # not yet seen at rest (start of session, after an aborted rep)
    REST = "rest"
    IN_REP = "in_rep"


@dataclass
class RepSpan:
    """A finished movement: what the counter saw, before faults and quality are attached."""

    start_t: float
    end_t: float
    complete: bool
    rest_value: float
    extreme: float
    reason: str = ""  # why a partial rep is partial: "shallow", "too_slow", "interrupted"


@dataclass
class RepCounter:
    primary: Primary
    limits: RepLimits
    max_missing_seconds: float = 1.0
    state: State = State.WAIT_REST
    phase: str = "top"
    start_t: float = 0.0
    rest_value: float = math.nan
    extreme: float = math.inf
    reached: bool = False
    last_rest_t: float = 0.0
    last_valid_t: float = -math.inf
    reach_frames: int = 2  # the target must hold for this many samples: one noisy frame is no rep
    _below_target: int = 0
    completed: int = 0
    partial: int = 0
    discarded: int = 0  # reps cut off by an absence: neither complete nor partial
    history: list[RepSpan] = field(default_factory=list)

    def fold(self, value: float) -> float:
        return value if self.primary.direction == "down" else -value

    def unfold(self, value: float) -> float:
        return self.fold(value)

    @property
    def _start(self) -> float:
        return self.fold(self.primary.start)

    @property
    def _end(self) -> float:
        return self.fold(self.primary.end)

    @property
    def _target(self) -> float:
        return self.fold(self.primary.target)

    def update(self, value: float, t: float) -> RepSpan | None:
        """Feed one sample (NaN when unseen); returns a finished rep or partial rep, if any."""
        if not math.isfinite(value):
            return self._missing(t)
        self.last_valid_t = t
        v = self.fold(value)
        if self.state is not State.IN_REP:
            return self._at_rest(v, t)
        return self._in_rep(v, t)

    def _missing(self, t: float) -> RepSpan | None:
        if t - self.last_valid_t <= self.max_missing_seconds:
            return None
        if self.state is State.IN_REP:
            # The person left (or the joints vanished) mid-rep: a fragment whose end nobody saw
            # measures nothing, so it is dropped rather than reported as a partial rep.
            self.discarded += 1
        self.state, self.phase = State.WAIT_REST, "top"  # after an absence, see the patient at rest first
        return None

    def _at_rest(self, v: float, t: float) -> RepSpan | None:
        if v >= self._end:
            fresh = self.state is not State.REST
            self.rest_value = v if fresh else max(self.rest_value, v)
            self.state, self.phase, self.last_rest_t = State.REST, "top", t
        elif self.state is State.REST and v < self._start:
            self.state, self.phase = State.IN_REP, "descent"
            self.start_t, self.extreme, self.reached, self._below_target = self.last_rest_t, v, False, 0
            self._note_target(v)
        return None

    def _note_target(self, v: float) -> None:
        self._below_target = self._below_target + 1 if v <= self._target else 0
        self.reached |= self._below_target >= self.reach_frames

    def _in_rep(self, v: float, t: float) -> RepSpan | None:
        self.extreme = min(self.extreme, v)
        self._note_target(v)
        if v >= self._end:
            return self._finish(v, t)
        if t - self.start_t > self.limits.max_seconds:
            if self.extreme > self._start - 0.25 * (self._start - self._target):
                self.state, self.phase = State.WAIT_REST, "top"  # lingering near the band, not an attempt
                return None
            return self._abort(t, "too_slow")
        if self.reached and v <= self._target:
            self.phase = "bottom"
        elif v > self.extreme + self.primary.ascent_margin:
            self.phase = "ascent"
        else:
            self.phase = "descent"
        return None

    def _finish(self, v: float, t: float) -> RepSpan | None:
        self.state, self.phase = State.REST, "top"
        self.last_rest_t, rest, self.rest_value = t, self.rest_value, v  # the next rep's rest starts here
        too_fast = t - self.start_t < self.limits.min_seconds
        if too_fast and not self.reached:
            return None  # a twitch through the band, not a movement
        complete = self.reached and not too_fast
        reason = "" if complete else ("too_fast" if too_fast else "shallow")
        return self._record(RepSpan(self.start_t, t, complete, self.unfold(rest), self.unfold(self.extreme), reason))

    def _abort(self, t: float, reason: str) -> RepSpan:
        self.state, self.phase = State.WAIT_REST, "top"
        return self._record(RepSpan(self.start_t, t, False, self.unfold(self.rest_value), self.unfold(self.extreme), reason))

    def _record(self, span: RepSpan) -> RepSpan:
        if span.complete:
            self.completed += 1
        else:
            self.partial += 1
        self.history.append(span)
        return span

    def close(self, t: float) -> RepSpan | None:
        """End of session: a rep still in progress is reported as interrupted (partial)."""
        if self.state is State.IN_REP and t - self.start_t >= self.limits.min_seconds:
            return self._abort(t, "interrupted")
        return None

    def status(self, value: float | None) -> str:
        """in_range / almost / out_of_range of a live value against the target, for the overlay colour."""
        if value is None or not math.isfinite(value):
            return "unknown"
        v = self.fold(value)
        if v <= self._target:
            return "in_range"
        if v < self._start:
            return "almost"
        return "out_of_range"
