"""Chair stands timed from the thigh drop (`body.py`): the five-times sit-to-stand and the 30-second test.

Levels follow the patient. Seated is what the thigh drop reads while they sit (before the start
signal, and again after each sit-down); standing is the peak of their own full stands (before the
first one, a typical `DEFAULT_RANGE` above seated). Between the two, in shares of that range:

- a stand **counts** once the drop passes `FULL_SHARE` and, where the knee is seen, the knee has
  opened past `FULL_KNEE` (the thigh is most of the way up long before the knee is straight: a
  patient who only gets halfway up is no stand);
- **halfway up** is `HALF_SHARE`: at the 30-second mark a stand past it counts (Rikli and Jones);
- **back on the seat** is below `SEATED_SHARE` for `SEATED_SECONDS`.

The times reported are read back once a stand is over, from the frames around it: **up** is the
first moment the knee is within 5 % of its opening for that stand (the knee straightens last; the
thigh drop, where the knee is not seen), **seated** the moment the thigh drop falls to within
`CONTACT_SHARE` of the seated level (the hips stop going down: the seat), **rise** the last moment
before a stand that the drop was still at the seated level. Each is interpolated between frames,
so a slow computer's 10 frames a second do not round the time to a tenth.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from rehab_coach.engine.clinical.body import BodyReading

DEFAULT_RANGE = 0.55  # thigh drop from seated to standing before a stand was seen (measured: 0.6-0.85)
FULL_SHARE = 0.75
FULL_KNEE = 145.0  # degrees: standing, even with a knee that will not straighten (measured: 158-171)
HALF_SHARE = 0.5
SEATED_SHARE = 0.25
SEATED_SECONDS = 0.25
CONTACT_SHARE = 0.15
SEAT_OFF_SHARE = 0.25  # of the rise from its low to standing: the hips have left the seat
LOOK_BACK_SECONDS = 1.5  # a rise from the seated low to halfway up takes less than this
UP_SHARE = 0.9
ARMS_SECONDS = 0.2  # a hand this long at the thighs or seat during a rise: the arms helped
ARMS_BEFORE = 0.3  # ... counting from this long before the rise (the push starts as the trunk leans)
BASELINE_SECONDS = 1.0

ChairState = Literal["seated", "rising", "up", "lowering"]


@dataclass
class _Sample:
    t: float
    drop: float
    knee: float
    hands_low: bool | None


@dataclass
class _Stand:
    rise_index: int  # first sample of the stand (crossed halfway up)
    counted_t: float  # when the drop passed FULL_SHARE
    peak_index: int
    knee: float = -math.inf  # the most the knee opened so far (NaN-free)
    top_end_index: int | None = None  # the last sample still up (the knee may straighten after the thighs)
    sit_index: int | None = None  # first sample of the seated confirmation


@dataclass
class ChairStand:
    number: int
    rise: float
    up: float
    sit: float | None
    arms_used: bool


@dataclass
class ChairStandTracker:
    """Feed it each reading from the start signal on; `baseline` are the readings just before it."""

    go_t: float
    baseline: list[BodyReading] = field(default_factory=list)
    state: ChairState = "seated"
    samples: list[_Sample] = field(default_factory=list)
    _stands: list[_Stand] = field(default_factory=list)
    _seated: list[float] = field(default_factory=list)  # the drop while seated lately
    _low_since: float | None = None
    last_seen_t: float | None = None
    unseen_seconds: float = 0.0  # the longest time the thighs were not seen

    def __post_init__(self) -> None:
        lows = [r.thigh_drop for r in self.baseline if self.go_t - r.t <= BASELINE_SECONDS and _finite(r.thigh_drop)]
        self._seated = lows[-30:]

    # ---- levels --------------------------------------------------------------------------

    @property
    def seated_level(self) -> float:
        if self._seated:
            return float(np.median(self._seated))
        first = [s.drop for s in self.samples[:10] if _finite(s.drop)]
        return float(np.median(first)) if first else 0.0

    @property
    def stand_level(self) -> float:
        peaks = [self.samples[s.peak_index].drop for s in self._stands[-3:]]
        return float(np.median(peaks)) if peaks else self.seated_level + DEFAULT_RANGE

    def _share(self, drop: float) -> float:
        span = max(self.stand_level - self.seated_level, 0.2)
        return (drop - self.seated_level) / span

    # ---- frames --------------------------------------------------------------------------

    def update(self, reading: BodyReading) -> None:
        sample = _Sample(reading.t, reading.thigh_drop, reading.knee, reading.hands_low)
        self.samples.append(sample)
        if not _finite(sample.drop):
            if self.last_seen_t is not None:
                self.unseen_seconds = max(self.unseen_seconds, reading.t - self.last_seen_t)
            return
        self.last_seen_t = reading.t
        share = self._share(sample.drop)
        index = len(self.samples) - 1
        if self.state == "seated":
            if share >= HALF_SHARE:
                self.state = "rising"
                self._stands.append(_Stand(index, math.inf, index))
                self._after_half(share, sample, index)
            elif share < SEATED_SHARE:
                self._seated = [*self._seated[-29:], sample.drop]
        elif self.state == "rising":
            self._after_half(share, sample, index)
        elif self.state == "up":
            stand = self._stands[-1]
            if sample.drop > self.samples[stand.peak_index].drop:
                stand.peak_index = index
            if share < FULL_SHARE:
                self.state = "lowering"
                stand.top_end_index = index - 1
        if self.state == "lowering":
            self._lowering(share, sample, index)

    def _after_half(self, share: float, sample: _Sample, index: int) -> None:
        stand = self._stands[-1]
        if sample.drop > self.samples[stand.peak_index].drop:
            stand.peak_index = index
        if _finite(sample.knee):
            stand.knee = max(stand.knee, sample.knee)
        knee_open = stand.knee >= FULL_KNEE or not math.isfinite(stand.knee)
        if share >= FULL_SHARE and knee_open:
            stand.counted_t = sample.t
            self.state = "up"
        elif share < SEATED_SHARE:  # sat back down without getting up: no stand
            self._stands.pop()
            self.state = "seated"

    def _lowering(self, share: float, sample: _Sample, index: int) -> None:
        stand = self._stands[-1]
        if share >= FULL_SHARE:  # up again without sitting: the same stand goes on
            self.state, self._low_since = "up", None
            return
        if share >= SEATED_SHARE:
            self._low_since = None
            return
        self._low_since = sample.t if self._low_since is None else self._low_since
        if sample.t - self._low_since >= SEATED_SECONDS:
            stand.sit_index = next(
                i for i in range(stand.peak_index, index + 1) if self.samples[i].t >= self._low_since
            )
            self._seated = [s.drop for s in self.samples[stand.sit_index : index + 1] if _finite(s.drop)]
            self.state, self._low_since = "seated", None

    # ---- what it says --------------------------------------------------------------------

    @property
    def count(self) -> int:
        """Full stands so far."""
        return sum(1 for s in self._stands if math.isfinite(s.counted_t))

    def count_at(self, limit: float) -> int:
        """Full stands by `limit` (an absolute time), and the one under way if it was past halfway up then."""
        counted = sum(1 for s in self._stands if s.counted_t <= limit)
        before = [s for s in self.samples if s.t <= limit and _finite(s.drop)]
        if before and self._stands:
            last = self._stands[-1]
            under_way = self.samples[last.rise_index].t <= limit < last.counted_t
            if under_way and self._share(before[-1].drop) >= HALF_SHARE:
                counted += 1
        return counted

    @property
    def seated(self) -> bool:
        return self.state == "seated"

    def stands(self) -> list[ChairStand]:
        """The counted stands with their times (absolute), refined from the frames around each."""
        out = []
        for number, stand in enumerate((s for s in self._stands if math.isfinite(s.counted_t)), start=1):
            out.append(
                ChairStand(
                    number,
                    self._rise_time(stand),
                    self._up_time(stand),
                    self._sit_time(stand),
                    self._arms_used(stand),
                )
            )
        return out

    def _rise_time(self, stand: _Stand) -> float:
        """The hips leaving the seat: a quarter of the way from the low before the stand to its peak."""
        low = self._rise_index(stand)
        level = self.samples[low].drop + SEAT_OFF_SHARE * (self.samples[stand.peak_index].drop - self.samples[low].drop)
        for i in range(low + 1, stand.peak_index + 1):
            if _finite(self.samples[i].drop) and self.samples[i].drop >= level:
                return _crossing(self.samples, i - 1, i, level, "drop")
        return self.samples[stand.rise_index].t

    def _up_time(self, stand: _Stand) -> float:
        first = self._rise_index(stand)
        last = stand.top_end_index if stand.top_end_index is not None else len(self.samples) - 1
        window = self.samples[first : last + 1]
        knees = [s.knee for s in window if _finite(s.knee)]
        if len(knees) >= 0.8 * len(window) and len(knees) >= 2:
            seated_knee = next((s.knee for s in window if _finite(s.knee)), math.nan)
            peak_knee = max(knees)
            level = seated_knee + UP_SHARE * (peak_knee - seated_knee)
            key = "knee"
        else:
            level = self.seated_level + UP_SHARE * (self.samples[stand.peak_index].drop - self.seated_level)
            key = "drop"
        for i in range(first, last + 1):
            value = getattr(self.samples[i], key)
            if _finite(value) and value >= level:
                return _crossing(self.samples, i - 1, i, level, key) if i > first else self.samples[i].t
        return self.samples[last].t

    def _rise_index(self, stand: _Stand) -> int:
        """The seated low before the stand: the lowest thigh drop of the `LOOK_BACK_SECONDS` before
        it was halfway up."""
        half_t = self.samples[stand.rise_index].t
        candidates = [
            i
            for i in range(stand.rise_index, -1, -1)
            if half_t - self.samples[i].t <= LOOK_BACK_SECONDS and _finite(self.samples[i].drop)
        ]
        return min(candidates, key=lambda i: self.samples[i].drop) if candidates else stand.rise_index

    def _sit_time(self, stand: _Stand) -> float | None:
        if stand.sit_index is None:
            return None
        settled = [s.drop for s in self.samples[stand.sit_index :] if _finite(s.drop)][:15]
        low = float(np.median(settled)) if settled else self.seated_level
        level = low + CONTACT_SHARE * (self.samples[stand.peak_index].drop - low)
        for i in range(stand.peak_index, len(self.samples)):
            drop = self.samples[i].drop
            if _finite(drop) and drop <= level:
                return _crossing(self.samples, i - 1, i, level, "drop") if i > stand.peak_index else self.samples[i].t
        return self.samples[stand.sit_index].t

    def _arms_used(self, stand: _Stand) -> bool:
        start = self.samples[self._rise_index(stand)].t - ARMS_BEFORE
        end = self._up_time(stand)
        window = [s for s in self.samples if start <= s.t <= end]
        low = 0.0
        for previous, current in zip(window, window[1:], strict=False):
            if previous.hands_low:
                low += current.t - previous.t
        return low >= ARMS_SECONDS


def _finite(value: float) -> bool:
    return value is not None and math.isfinite(value)


def _crossing(samples: list[_Sample], before: int, after: int, level: float, key: str) -> float:
    """The time `key` crossed `level` between two samples, linearly interpolated (the later one's time
    when either is missing)."""
    if before < 0 or after >= len(samples):
        return samples[min(max(after, 0), len(samples) - 1)].t
    a, b = samples[before], samples[after]
    va, vb = getattr(a, key), getattr(b, key)
    if not (_finite(va) and _finite(vb)) or va == vb:
        return b.t
    share = min(max((level - va) / (vb - va), 0.0), 1.0)
    return a.t + share * (b.t - a.t)
