"""The counting half of the coach: reps (one counter, or one per limb), a lone limb's reps, holds.

It reads the measurer's values and says what ended on each frame; `coach.py` grades each rep
and hold, checks the rules and picks the cue.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

from rehab_coach.engine.holds import HoldSpan, HoldTimer
from rehab_coach.engine.measurer import Measured, Measurer
from rehab_coach.engine.reps import CountingParams, RepCounter, RepSpan, State
from rehab_coach.engine.templates import Rule, Template
from rehab_coach.engine.types import Phase, RangeStatus

LONE_LIMB_MIN_SEEN = 0.5  # mean confidence of the other limb's joints for its lone rep to count


@dataclass
class RepRecorder:
    """Everything gathered while one rep (or hold) is in progress."""

    series: dict[str, list[float]] = field(default_factory=dict)
    curve: list[tuple[float, float]] = field(default_factory=list)
    faults: list[Rule] = field(default_factory=list)

    def add(self, t: float, values: dict[str, float], primary: float) -> None:
        for name, value in values.items():
            self.series.setdefault(name, []).append(value)
        self.curve.append((t, primary))


@dataclass(frozen=True)
class EndedRep:
    span: RepSpan
    track: str | None  # the limb counted on its own (alternating, a lone limb), else None
    recorder: RepRecorder


@dataclass(frozen=True)
class EndedHold:
    span: HoldSpan
    recorder: RepRecorder


@dataclass
class Counted:
    """What one frame's counting found, in order."""

    reps: list[EndedRep] = field(default_factory=list)
    hold: EndedHold | None = None
    new_period: bool = False  # a rep or hold started or ended: each rule may fire once more
    hold_lost: bool = False  # the patient left the hold position during an attempt


class Counting:
    def __init__(self, template: Template, measurer: Measurer, params: CountingParams) -> None:
        self.template, self.measurer, self.params = template, measurer, params
        alternating = template.side == "alternating"
        track_names = ("left", "right") if alternating else (None,)
        shared_range: deque[float] = deque(maxlen=params.range_memory)  # both limbs: one patient's range
        self.counters = {
            name: RepCounter(template.primary, template.rep, params=params, amplitudes=shared_range)
            for name in track_names
        }
        self.recorders: dict[str | None, RepRecorder | None] = {name: None for name in track_names}
        # Alternating: the side whose rep is in progress (else the last one); rules read its values.
        self.track: str | None = "left" if alternating else None
        self._sided = [name for name, m in template.measures.items() if m.sided]
        # `auto` follows the better-seen side; these count each side on its own as well, so a movement
        # of the other limb alone (alternating single-arm curls) is not lost.
        one_sided = (
            template.side == "auto" and template.kind == "reps" and template.measures[template.primary.measure].sided
        )
        self.lone_counters = (
            {s: RepCounter(template.primary, template.rep, params=params) for s in ("left", "right")}
            if one_sided
            else {}
        )
        self._lone_seen = {s: [0.0, 0] for s in self.lone_counters}
        self._followed_range = {s: [math.inf, -math.inf] for s in self.lone_counters}
        self._main_busy: deque[list[float]] = deque(maxlen=8)  # [start, end] of the followed side's reps
        self.hold = HoldTimer(template) if template.kind == "hold" else None
        self.hold_recorder: RepRecorder | None = None

    @property
    def in_rep(self) -> bool:
        return any(c.state is State.IN_REP for c in self.counters.values())

    @property
    def active_counter(self) -> RepCounter:
        return self.counters[self.track]

    @property
    def hold_seconds(self) -> float | None:
        """Seconds held in the attempt under way; None when none is."""
        return self.hold.held if self.hold and self.hold.start_t is not None else None

    def phase(self, visible: bool) -> Phase:
        if not visible:
            return Phase.ABSENT
        if self.hold is not None:
            return Phase.HOLD if self.hold.in_position else Phase.TOP
        return self.active_counter.phase

    def status(self, primary: float | None) -> RangeStatus:
        return self.active_counter.status(primary)

    def update(self, measured: Measured, t: float) -> Counted:
        """Count one measured frame. An alternating template's bare sided values (`knee`) are set, in
        place, to the moving limb's."""
        counted = Counted()
        if self.hold is not None:
            self._hold(measured, t, counted)
            return counted
        self._count(measured.values, t, measured.visible, counted)
        if self.lone_counters:
            self._count_lone_limb(measured, t, counted)
        return counted

    def add_fault(self, rule: Rule) -> None:
        """A rule fired: the reps and the hold under way bear it."""
        for track, recorder in self.recorders.items():
            if recorder is not None and self.counters[track].state is State.IN_REP:
                recorder.faults.append(rule)
        if self.hold_recorder is not None:
            self.hold_recorder.faults.append(rule)

    def close(self, t: float) -> Counted:
        """End of the session: a rep or hold still in progress ends (partial)."""
        counted = Counted()
        for track, counter in self.counters.items():
            span = counter.close(t) if self.hold is None else None
            if span is not None:
                counted.reps.append(EndedRep(span, track, self.recorders[track] or RepRecorder()))
        if self.hold is not None and (held := self.hold.close(t)):
            counted.hold = EndedHold(held, self.hold_recorder or RepRecorder())
            self.hold_recorder = None
        return counted

    # ---- reps ----------------------------------------------------------------

    def _count(self, values: dict[str, float], t: float, visible: bool, counted: Counted) -> None:
        spans: dict[str | None, RepSpan | None] = {}
        for track, counter in self.counters.items():
            was_in_rep = counter.state is State.IN_REP
            spans[track] = counter.update(self.measurer.counted_value(track, values) if visible else math.nan, t)
            if counter.state is State.IN_REP and not was_in_rep:
                self.recorders[track] = RepRecorder()
                counted.new_period = True
                self.measurer.lock_patient()
                if self.counters[self.track].state is not State.IN_REP:
                    self.track = track
        self._resolve_track(values)
        for track, counter in self.counters.items():
            recorder = self.recorders[track]
            if recorder is not None and counter.state is State.IN_REP:
                recorder.add(t, values, self.measurer.primary_for(track, values) if visible else math.nan)
            if (span := spans[track]) is not None:
                counted.reps.append(EndedRep(span, track, recorder or RepRecorder()))
                self.recorders[track] = None
                counted.new_period = True

    def _count_lone_limb(self, measured: Measured, t: float, counted: Counted) -> None:
        """A rep of the limb `auto` is not following counts when that limb was seen well and the
        followed limb stayed at rest all along: one arm curling while the other hangs still."""
        values, person, followed = measured.values, measured.person, measured.side
        main, busy = self.counters[None], self._main_busy
        if main.state is State.IN_REP and (not busy or busy[-1][0] != main.start_t):
            busy.append([main.start_t, math.inf])  # open until the followed limb is back at rest
        elif main.state is not State.IN_REP and busy and busy[-1][1] == math.inf:
            busy[-1][1] = t
        sides = self.measurer.sides
        seen = sides.visibility(person.confidence) if person is not None else {"left": 0.0, "right": 0.0}
        followed_value = self.measurer.primary_for(followed, values) if followed in self.lone_counters else math.nan
        for side, counter in self.lone_counters.items():
            value = self.measurer.primary_for(side, values) if person is not None else math.nan
            span = counter.update(value, t)
            if counter.state is State.IN_REP and math.isfinite(value):  # how well it was seen while seen at all
                self._lone_seen[side][0] += seen[side]
                self._lone_seen[side][1] += 1
                low, high = self._followed_range[side]
                if math.isfinite(followed_value):
                    self._followed_range[side] = [min(low, followed_value), max(high, followed_value)]
            if span is None:
                continue
            total, n = self._lone_seen[side]
            low, high = self._followed_range[side]
            self._lone_seen[side], self._followed_range[side] = [0.0, 0], [math.inf, -math.inf]
            still = high - low < self.params.min_move_share * counter.span  # the followed limb did not move meanwhile
            alone = still and not any(start < span.end_t and end > span.start_t for start, end in busy)
            if span.complete and side != followed and alone and n and total / n >= LONE_LIMB_MIN_SEEN:
                counted.reps.append(EndedRep(span, side, RepRecorder()))

    def _resolve_track(self, values: dict[str, float]) -> None:
        """Alternating: a bare sided name (`knee`, `knee_vel`) reads the moving side, not the
        mean of both, so one rule serves either leg."""
        if self.track is None:
            return
        for name in self._sided:
            values[name] = values.get(f"{name}_{self.track}", math.nan)
            values[f"{name}_vel"] = values.get(f"{name}_{self.track}_vel", math.nan)

    # ---- holds ---------------------------------------------------------------

    def _hold(self, measured: Measured, t: float, counted: Counted) -> None:
        assert self.hold is not None
        was_holding = self.hold.start_t is not None
        span = self.hold.update(measured.values if measured.visible else None, t)
        holding = self.hold.start_t is not None
        if holding and not was_holding:
            self.hold_recorder = RepRecorder()
            counted.new_period = True
        counted.hold_lost = self.hold.lost and holding
        if was_holding and not holding:  # ended: reported, or too short to be an attempt
            if span is not None:
                counted.hold = EndedHold(span, self.hold_recorder or RepRecorder())
            self.hold_recorder = None
            counted.new_period = True
