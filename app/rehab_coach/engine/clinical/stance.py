"""Single-leg stance timed from the feet: from the moment one foot leaves the floor until it touches
down again, a hand reaches out for support, or the ceiling is reached.

`foot_lift` (`body.py`) is the height between the ankles in torso lengths, seen from the front. A
foot is **up** once the lift passes `LIFT` for `LIFT_SECONDS`; the time starts where the lift first
passed `LIFT_START` on the way (the foot left the floor). It is **down** once the lift is under
`DOWN` for `DOWN_SECONDS`, and the time stops where it first went under. A hand more than `REACH`
torso lengths out from the body's midline for `REACH_SECONDS` (grabbing the chair, arms flung out to
catch the balance: in the published protocol the arms stay crossed) stops the time where it first
went out. The leg stood on is the lower foot's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

from rehab_coach.engine.clinical.body import BodyReading
from rehab_coach.engine.clinical.result import EndReason

LIFT = 0.12
LIFT_START = 0.025
LIFT_SECONDS = 0.2
DOWN = 0.05
DOWN_SECONDS = 0.15
REACH = 0.9
REACH_SECONDS = 0.25

Side = Literal["left", "right"]


@dataclass
class StanceTracker:
    go_t: float
    ceiling: float = 30.0
    readings: list[BodyReading] = field(default_factory=list)
    lift_t: float | None = None
    side: Side | None = None  # the leg stood on
    end_t: float | None = None
    ended_by: EndReason | None = None
    _up_since: float | None = None
    _down_since: float | None = None
    _out_since: float | None = None

    @property
    def done(self) -> bool:
        return self.end_t is not None

    def held(self, now: float) -> float | None:
        """Seconds on one leg at `now` (or at the end), None before a foot came up."""
        if self.lift_t is None:
            return None
        end = self.end_t if self.end_t is not None else now
        return min(max(end - self.lift_t, 0.0), self.ceiling)

    def update(self, reading: BodyReading) -> None:
        if self.done:
            return
        self.readings.append(reading)
        lift = abs(reading.foot_lift) if math.isfinite(reading.foot_lift) else math.nan
        if self.lift_t is None:
            self._watch_lift(reading, lift)
            return
        if reading.t - self.lift_t >= self.ceiling:
            self._end(self.lift_t + self.ceiling, "ceiling")
            return
        if math.isfinite(lift) and lift < DOWN:
            self._down_since = reading.t if self._down_since is None else self._down_since
            if reading.t - self._down_since >= DOWN_SECONDS:
                self._end(self._first_below(self._down_since), "foot_down")
                return
        else:
            self._down_since = None
        out = reading.hand_out
        if math.isfinite(out) and out >= REACH:
            self._out_since = reading.t if self._out_since is None else self._out_since
            if reading.t - self._out_since >= REACH_SECONDS:
                self._end(self._out_since, "support")
        else:
            self._out_since = None

    def _watch_lift(self, reading: BodyReading, lift: float) -> None:
        if not (math.isfinite(lift) and lift >= LIFT):
            self._up_since = None
            return
        self._up_since = reading.t if self._up_since is None else self._up_since
        if reading.t - self._up_since < LIFT_SECONDS:
            return
        self.lift_t = max(self._left_floor(), self.go_t)
        self.side = "left" if reading.foot_lift > 0 else "right"  # > 0: the right foot is the higher one

    def _left_floor(self) -> float:
        """The moment the lift first passed LIFT_START before it came up: interpolated between frames."""
        for i in range(len(self.readings) - 1, 0, -1):
            before, after = self.readings[i - 1], self.readings[i]
            lift = abs(before.foot_lift)
            if math.isfinite(lift) and lift < LIFT_START:
                return _crossing(before, after, LIFT_START)
        return self.readings[0].t

    def _first_below(self, since: float) -> float:
        """The moment the lift first went under DOWN in the spell that began at `since`, interpolated."""
        for i, reading in enumerate(self.readings):
            if reading.t >= since and i > 0:
                return _crossing(self.readings[i - 1], reading, DOWN)
        return since

    def _end(self, t: float, reason: EndReason) -> None:
        self.end_t, self.ended_by = t, reason


def _crossing(a: BodyReading, b: BodyReading, level: float) -> float:
    va, vb = abs(a.foot_lift), abs(b.foot_lift)
    if not (math.isfinite(va) and math.isfinite(vb)) or va == vb:
        return b.t
    share = min(max((level - va) / (vb - va), 0.0), 1.0)
    return a.t + share * (b.t - a.t)
