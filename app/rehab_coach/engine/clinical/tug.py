"""The Timed Up and Go found from the body's motion: up from the chair, away, turn, back, down again.

The chair is where the patient sat before the start signal (the mid-hip in the picture and the
torso's length there). Seated and standing are told apart by the thigh drop (`body.py`), which
reads the same from the side, from the front and turned part way, so walking toward or across the
camera both work. The trial ends when the patient is seated **at the chair** again (the hips back
near where they were, at the size they were) after having stood and walked away: the seat
contact is the first moment the thigh drop is back within `SIT_SHARE` of the seated level, and
the patient has to stay down for `SEATED_SECONDS` for it to count. Someone else in the picture
meanwhile (an examiner walking through) is not seated at the chair, so they cannot end it.

The phases in between are read from how far the hips are from the chair ("excursion", in the
torso lengths measured at the chair; walking toward the camera counts by how much bigger the body
grows): rise until up, walk out until the excursion levels off near its farthest, the turn there,
walk back until the thigh drop starts to fall for the sit, then the sit. A turn made out of view
(the patient leaves the picture at the far end) is the time they were out of it, and is flagged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from rehab_coach.engine.clinical.body import BodyReading
from rehab_coach.engine.clinical.result import PhaseName, TimedPhase

DEFAULT_RANGE = 0.55  # thigh drop from seated to standing (before the patient is seen standing)
UP_SHARE = 0.6  # standing: the drop past this share of the range
SIT_SHARE = 0.25  # seated: back under this share
SEATED_SECONDS = 0.5
SEAT_OFF_SHARE = 0.25  # of the rise from its low to standing: the hips have left the seat
LOOK_BACK_SECONDS = 1.5  # a rise from the seated low to standing takes less than this
MIN_UP_SECONDS = 1.5  # up at least this long before a sit can end the test
MIN_EXCURSION = 2.0  # torso lengths (about a metre) away from the chair before a sit can end the test
AT_CHAIR = 1.0  # torso lengths at the chair: the hips this near the chair's place are at the chair
DEPTH_WEIGHT = 3.0  # torso lengths of excursion per e-fold of size (walking toward the camera)
TURN_SHARE = 0.85  # the turn: the excursion within this share of its farthest
FAR_SHARE = 0.7  # out of view from and back into view at this share of the farthest: turned out of view
UP_LEVEL = 0.9  # the rise ends at this share of the way from seated to the walking thigh drop
SIT_START_SHARE = 0.8  # the sit begins where the drop last fell below this share of the range
BASELINE_SECONDS = 1.0
OUT_OF_VIEW_SECONDS = 0.5  # unseen this long is a phase of its own (left the picture)


@dataclass
class _Chair:
    x: float
    y: float
    scale: float
    seated: float  # thigh drop seated


@dataclass
class TugTracker:
    go_t: float
    baseline: list[BodyReading] = field(default_factory=list)
    readings: list[BodyReading] = field(default_factory=list)
    chair: _Chair | None = None
    up_index: int | None = None
    end_index: int | None = None
    _low_since: int | None = None
    _stand_peak: float = -math.inf
    _farthest: float = 0.0  # the largest excursion since up, and when
    _farthest_t: float | None = None

    def __post_init__(self) -> None:
        recent = [r for r in self.baseline if self.go_t - r.t <= BASELINE_SECONDS and r.present]
        self._learn_chair(recent)

    def _learn_chair(self, seated: list[BodyReading]) -> None:
        usable = [
            r for r in seated if math.isfinite(r.thigh_drop) and math.isfinite(r.hip_x) and math.isfinite(r.scale)
        ]
        if len(usable) < 3:
            return
        self.chair = _Chair(
            float(np.median([r.hip_x for r in usable])),
            float(np.median([r.hip_y for r in usable])),
            float(np.median([r.scale for r in usable])),
            float(np.median([r.thigh_drop for r in usable])),
        )

    # ---- levels --------------------------------------------------------------------------

    @property
    def _range(self) -> float:
        seated = self.chair.seated if self.chair else 0.0
        if math.isfinite(self._stand_peak) and self._stand_peak - seated > 0.3:
            return min(self._stand_peak - seated, 1.2)
        return DEFAULT_RANGE

    def share(self, reading: BodyReading) -> float:
        seated = self.chair.seated if self.chair else 0.0
        return (reading.thigh_drop - seated) / self._range

    def excursion(self, reading: BodyReading) -> float:
        """How far the hips are from the chair, in torso lengths at the chair (NaN: not seen)."""
        if self.chair is None or not (math.isfinite(reading.hip_x) and math.isfinite(reading.scale)):
            return math.nan
        across = math.hypot(reading.hip_x - self.chair.x, reading.hip_y - self.chair.y) / self.chair.scale
        toward = DEPTH_WEIGHT * abs(math.log(reading.scale / self.chair.scale))
        return max(across, toward)

    def _at_chair(self, reading: BodyReading) -> bool:
        """The hips where they were on the chair (in the picture: someone nearer the camera in line
        with the chair has them lower, someone farther higher)."""
        if self.chair is None:
            return True
        return math.hypot(reading.hip_x - self.chair.x, reading.hip_y - self.chair.y) / self.chair.scale <= AT_CHAIR

    # ---- frames --------------------------------------------------------------------------

    @property
    def done(self) -> bool:
        return self.end_index is not None

    def update(self, reading: BodyReading) -> None:
        if self.done:
            return
        self.readings.append(reading)
        index = len(self.readings) - 1
        if self.chair is None:
            if reading.t - self.go_t < 0.4:
                return
            self._learn_chair(self.readings[:index])  # no baseline before Go: the first moments after it
        if not (reading.present and math.isfinite(reading.thigh_drop)):
            return
        share = self.share(reading)
        if self.up_index is None:
            if share >= UP_SHARE:
                self.up_index = index
            return
        if share >= UP_SHARE:
            self._stand_peak = max(self._stand_peak, reading.thigh_drop)
        away = self.excursion(reading)
        if math.isfinite(away) and away > self._farthest:
            self._farthest, self._farthest_t = away, reading.t
        up_long_enough = reading.t - self.readings[self.up_index].t >= MIN_UP_SECONDS
        walked = self._farthest >= MIN_EXCURSION
        if share <= SIT_SHARE and up_long_enough and walked and self._at_chair(reading):
            self._low_since = index if self._low_since is None else self._low_since
            if reading.t - self.readings[self._low_since].t >= SEATED_SECONDS:
                self.end_index = self._low_since
        else:
            self._low_since = None

    # ---- what it says --------------------------------------------------------------------

    def end_time(self) -> float | None:
        """The seat contact (absolute time): the drop's crossing of SIT_SHARE, interpolated."""
        if self.end_index is None:
            return None
        i = self.end_index
        level = (self.chair.seated if self.chair else 0.0) + SIT_SHARE * self._range
        previous = next((j for j in range(i - 1, -1, -1) if math.isfinite(self.readings[j].thigh_drop)), None)
        if previous is None:
            return self.readings[i].t
        return _crossing(self.readings[previous], self.readings[i], level)

    def phase_now(self) -> PhaseName | None:
        if self.up_index is None:
            return "rise"
        if self.done:
            return "sit"
        last = self.readings[-1]
        if not last.present:
            return "out_of_view"
        here = self.excursion(last)
        if not math.isfinite(here) or self._farthest < MIN_EXCURSION:
            return "walk_out"
        if here >= TURN_SHARE * self._farthest:
            return "turn"
        return "walk_back" if self._farthest_t is not None and self._farthest_t < last.t else "walk_out"

    def rise_time(self) -> float:
        """When the hips left the seat (absolute): a quarter of the way from the seated low just before
        the rise (the lowest thigh drop of the `LOOK_BACK_SECONDS` before standing) up to standing."""
        if self.up_index is None:
            return self.go_t
        up = self.readings[self.up_index]
        seen = [
            r
            for r in self.readings[: self.up_index + 1]
            if math.isfinite(r.thigh_drop) and up.t - r.t <= LOOK_BACK_SECONDS
        ]
        low = min(range(len(seen)), key=lambda i: seen[i].thigh_drop)
        level = seen[low].thigh_drop + SEAT_OFF_SHARE * (up.thigh_drop - seen[low].thigh_drop)
        for a, b in zip(seen[low:], seen[low + 1 :], strict=False):
            if b.thigh_drop >= level:
                return _crossing(a, b, level)
        return up.t

    def phases(self) -> tuple[list[TimedPhase], bool]:
        """The phases in seconds since Go, and whether the turn was out of view (estimated)."""
        end = self.end_time()
        if self.up_index is None or end is None:
            return [], False
        go = self.go_t
        seated = self.chair.seated if self.chair else 0.0
        level = seated + SIT_START_SHARE * self._range
        sit_start = self.readings[self.up_index].t
        for r in self.readings[self.up_index : self.end_index]:
            if math.isfinite(r.thigh_drop) and r.thigh_drop >= level:
                sit_start = r.t
        up_t = self._up_time(seated, sit_start)
        gaps = self._unseen_spans(up_t, sit_start)
        turn_start, turn_end, hidden = self._turn(up_t, sit_start, gaps)
        spans: list[tuple[PhaseName, float, float]] = [
            ("rise", go, up_t),
            ("walk_out", up_t, turn_start),
            ("turn", turn_start, turn_end),
            ("walk_back", turn_end, sit_start),
            ("sit", sit_start, end),
        ]
        phases = [TimedPhase(name=n, start=round(a - go, 3), end=round(b - go, 3)) for n, a, b in spans if b >= a]
        phases += [
            TimedPhase(name="out_of_view", start=round(a - go, 3), end=round(b - go, 3))
            for a, b in gaps
            if not (hidden and a <= turn_start <= b)
        ]
        return sorted(phases, key=lambda p: p.start), hidden

    def _up_time(self, seated: float, sit_start: float) -> float:
        """The end of the rise: the thigh drop most of the way up to where it stays while walking."""
        assert self.up_index is not None
        walking = [
            r.thigh_drop for r in self.readings[self.up_index :] if r.t <= sit_start and math.isfinite(r.thigh_drop)
        ]
        level = seated + UP_LEVEL * (float(np.median(walking)) - seated) if walking else math.inf
        for r in self.readings[self.up_index :]:
            if math.isfinite(r.thigh_drop) and r.thigh_drop >= level:
                return r.t
        return self.readings[self.up_index].t

    def _unseen_spans(self, start: float, end: float) -> list[tuple[float, float]]:
        spans, gap_start, last_seen = [], None, start
        for r in self.readings:
            if not start <= r.t <= end:
                continue
            if r.present and math.isfinite(r.hip_x):
                if gap_start is not None and r.t - gap_start >= OUT_OF_VIEW_SECONDS:
                    spans.append((last_seen, r.t))
                gap_start, last_seen = None, r.t
            elif gap_start is None:
                gap_start = r.t
        return spans

    def _turn(self, start: float, end: float, gaps: list[tuple[float, float]]) -> tuple[float, float, bool]:
        """The turn: where the excursion stays near its farthest; or, when the patient left the picture
        at the far end (an unseen spell after being most of the way out), that spell."""
        seen = [(r.t, v) for r in self.readings if start <= r.t <= end and math.isfinite(v := self.excursion(r))]
        if not seen:
            return start, end, True
        peak_t, peak = max(seen, key=lambda tv: tv[1])
        for a, b in gaps:  # out at the far end and back in there: the turn was in that gap
            before = [v for t, v in seen if t <= a]
            after = [v for t, v in seen if t >= b]
            if before and after and min(before[-1], after[0]) >= FAR_SHARE * peak:
                return a, b, True
        first = last = peak_t
        for t, v in reversed([tv for tv in seen if tv[0] <= peak_t]):
            if v < TURN_SHARE * peak:
                break
            first = t
        for t, v in (tv for tv in seen if tv[0] >= peak_t):
            if v < TURN_SHARE * peak:
                break
            last = t
        return first, last, False


def _crossing(a: BodyReading, b: BodyReading, level: float) -> float:
    va, vb = a.thigh_drop, b.thigh_drop
    if not (math.isfinite(va) and math.isfinite(vb)) or va == vb:
        return b.t
    share = min(max((level - va) / (vb - va), 0.0), 1.0)
    return a.t + share * (b.t - a.t)
