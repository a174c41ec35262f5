"""The rep state machine: two thresholds (hysteresis), a target, duration limits, and the
patient's own rest and range.

Values are folded so that a rep always moves the primary measure *down*:
    rest  --drops below the start line-->  in rep  --comes back up to the end line-->  rest
The gap between the start and end lines absorbs jitter: crossing the start line back and
forth never starts a second rep.

Real people rarely match a template's absolute numbers: an arm seen obliquely never looks
straight, a patient may never fully stand between fast reps. So the lines follow the
patient: rest is the level they were last seen at (not the template's `end`), and a rep is
a movement as large as their own recent reps. The template's absolute `target` judges the
depth (quality, cues, and `short_of_target`), it does not decide whether a movement happened.
"""

from __future__ import annotations

import math
import statistics
from collections import deque
from dataclasses import dataclass, field
from enum import Enum

from rehab_coach.engine.templates import Primary, RepLimits
from rehab_coach.engine.types import Phase, RangeStatus


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
    # Why a partial rep is partial: "shallow" (smaller than the patient's own reps), "below_minimum" (a whole
    # movement short of the target where the therapist set a minimum depth), "too_slow", "interrupted".
    reason: str = ""
    reached_target: bool = True  # False: a whole movement that fell short of the template's target
    too_fast: bool = False  # a whole movement quicker than the template's min_seconds: counted, and a fault


@dataclass(frozen=True)
class CountingParams:
    """The counter's free parameters, as shares of the template's span (|end - target|, the movement
    it expects from rest) or as seconds; never as frames, so a slow computer counts the same.
    `evaluation/loso.py` chooses among a few of these without the clips it scores (docs/accuracy.md)."""

    start_share: float = 0.3  # a rep starts this far below the patient's rest ...
    end_share: float = 0.12  # ... and ends back within this share of the rep's size from that rest
    min_move_share: float = 0.5  # a smaller movement is fidgeting: not even a partial rep
    full_share: float = 0.75  # a movement this large against the patient's typical recent rep is a whole rep
    range_memory: int = 4  # recent whole reps that set the patient's own range
    close_return_share: float = 0.5  # at the end of a session, past halfway back up finishes the rep
    steady_share: float = 0.1  # standing ready: this still ...
    steady_seconds: float = 0.5  # ... this long, well above the target
    reach_seconds: float = 0.03  # the target must hold this long: one noisy sample is no rep
    # Quick reps that never quite reach rest between them: a movement back up by this share of its
    # size that then turns down again (by `start_share` of the span) is a finished rep. Judged on the
    # shape of the movement, not on one sample near rest, so a slow computer that misses the brief
    # top between two reps still counts both.
    turn_back_share: float = 0.7
    # ... or by this many of the template's spans, however large the rep looked: the rest it left may read too
    # high (a displacement whose baseline drifted, a zoom), and nobody bounces a whole movement at the bottom.
    turn_back_spans: float = 1.5
    # ... made by the patient: a rise back up faster than this many spans a second (a whole squat's rise in
    # a sixth of a second) is a keypoint glitch at the bottom of one rep, not the top between two.
    max_turn_speed: float = 6.0


DEFAULT_PARAMS = CountingParams()


@dataclass
class RepCounter:
    primary: Primary
    limits: RepLimits
    max_missing_seconds: float = 1.0
    state: State = State.WAIT_REST
    phase: Phase = Phase.TOP
    start_t: float = 0.0
    rest_value: float = math.nan
    extreme: float = math.inf
    reached: bool = False
    last_rest_t: float = 0.0
    last_valid_t: float = -math.inf
    params: CountingParams = DEFAULT_PARAMS
    _below_target_since: float = math.nan  # when the value last went past the target (NaN: not past it)
    _low: float = math.inf  # lowest value while waiting for rest: a rise from it is a return to rest
    _high: float = -math.inf  # highest value while waiting for rest, and when: a fall from it starts a rep
    _high_t: float = 0.0
    _steady_value: float = math.nan
    last_value: float = math.nan  # folded
    _steady_since: float = 0.0
    completed: int = 0
    partial: int = 0
    discarded: int = 0  # reps cut off by an absence whose end nobody saw: neither complete nor partial
    _unseen_mid_rep: bool = False
    _rebound: float = -math.inf  # highest value since the rep's lowest point, and when
    _rebound_t: float = 0.0
    _extreme_t: float = 0.0
    history: list[RepSpan] = field(default_factory=list)
    # Sizes of the patient's recent whole reps. Counters of one exercise may share it: an alternating
    # exercise's two limbs have one patient's range, so the first rep of the second limb is judged too.
    amplitudes: deque[float] = field(default_factory=deque)
    # The last whole rep's deepest point and size, until the level it came back to is known (see _settle_size).
    _unsettled: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        if self.amplitudes.maxlen is None:
            self.amplitudes = deque(self.amplitudes, maxlen=self.params.range_memory)

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

    @property
    def span(self) -> float:
        """The movement the template expects from rest to target (folded units, positive)."""
        return self._end - self._target

    def start_line(self) -> float:
        return min(self._start, self.rest_value - self.params.start_share * self.span)

    def end_line(self) -> float:
        size = max(self.span, self.rest_value - self.extreme)
        return min(self._end, self.rest_value - self.params.end_share * size)

    def full_size(self) -> float:
        """How large a movement must be to count as a whole rep for this patient: against their own
        recent movements (a patient whose range is limited, or a view that shrinks it, still counts):
        the median of them, so one unusually deep rep does not make the next ordinary one partial.
        Before there are any, their range is unknown: a whole cycle that is more than a fidget is a rep,
        however far it is from the template's target (that is a depth fault, not a partial rep)."""
        p = self.params
        if self.amplitudes:
            return max(p.full_share * statistics.median(self.amplitudes), p.min_move_share * self.span)
        return p.min_move_share * self.span

    def update(self, value: float, t: float) -> RepSpan | None:
        """Feed one sample (NaN when unseen); returns a finished rep or partial rep, if any."""
        if not math.isfinite(value):
            return self._missing(t)
        self.last_valid_t = t
        v = self.last_value = self.fold(value)
        if self.state is not State.IN_REP:
            return self._at_rest(v, t)
        return self._in_rep(v, t)

    def _missing(self, t: float) -> RepSpan | None:
        if t - self.last_valid_t <= self.max_missing_seconds:
            return None
        if self.state is State.IN_REP:
            # The joints vanished mid-rep (the patient stepped out, the camera zoomed in): the rep
            # waits. If they come back still in the movement it goes on; if back at rest, nobody saw
            # how it ended and the fragment is dropped rather than reported as a partial rep.
            self._unseen_mid_rep = True
            return None
        # After an absence, see the patient at rest first; the last rest seen stays the high point, so a
        # patient who comes back deep in a movement (its descent unseen) is in a rep that must still complete.
        high, high_t = (self.rest_value, self.last_rest_t) if self.state is State.REST else (self._high, self._high_t)
        self._wait()
        self._high, self._high_t = high, high_t
        return None

    def _wait(self) -> None:
        self._unsettled = None  # the rest the patient comes back to may be seen from elsewhere
        self.state, self.phase, self._low, self._high = State.WAIT_REST, Phase.TOP, math.inf, -math.inf

    def _at_rest(self, v: float, t: float) -> RepSpan | None:
        if self.state is State.WAIT_REST:
            p = self.params
            self._low = min(self._low, v)
            if not abs(v - self._steady_value) <= p.steady_share * self.span:
                self._steady_value, self._steady_since = v, t
            ready = t - self._steady_since >= p.steady_seconds and v >= self._target + p.min_move_share * self.span
            # At rest: the template's rest line, a whole rise from the lowest point (a clip or a return
            # that starts mid-rep), or standing ready: the patient's rest need not reach the template's line.
            if v >= self._end or v - self._low >= p.min_move_share * self.span or ready:
                self.state, self.phase, self.last_rest_t, self.rest_value = State.REST, Phase.TOP, t, v
                return None
            # A descent from the highest point seen while waiting: the patient was at their own rest
            # (short of the template's line) and started at once, as a clip that begins mid-set does.
            # It is a rep only if it completes a whole cycle, by the same rules as any other. Nobody rests
            # beyond the target: a high point there (deep in a movement, a picture after a cut) starts nothing.
            if v > self._high:
                self._high, self._high_t = v, t
            elif self._high > self._target and v < min(self._start, self._high - p.start_share * self.span):
                self.state, self.rest_value, self.last_rest_t = State.REST, self._high, self._high_t
                return self._at_rest(v, t)
            return None
        if v >= self.rest_value - self.params.end_share * self.span:
            self.last_rest_t = t
        self.rest_value = max(self.rest_value, v)
        if v < self.start_line():
            self._settle_size()
            self.state, self.phase = State.IN_REP, Phase.DESCENT
            self.start_t, self.extreme, self.reached = self.last_rest_t, v, False
            self._rebound, self._rebound_t, self._extreme_t = v, t, t
            self._below_target_since = math.nan
            self._note_target(v, t)
        return None

    def _note_target(self, v: float, t: float) -> None:
        if v > self._target:
            self._below_target_since = math.nan
            return
        if not math.isfinite(self._below_target_since):
            self._below_target_since = t
        self.reached |= t - self._below_target_since >= self.params.reach_seconds

    def _in_rep(self, v: float, t: float) -> RepSpan | None:
        if self._unseen_mid_rep:
            self._unseen_mid_rep = False
            if v >= self.end_line():
                self.discarded += 1
                self.state, self.phase, self.last_rest_t, self.rest_value = State.REST, Phase.TOP, t, v
                return None
        if v > self._rebound:
            self._rebound, self._rebound_t = v, t
        self._note_target(v, t)
        if v >= self.end_line():
            return self._finish(v, t)
        # Judged before a new low replaces the rep's bottom: a sparse stream may fall from the top between
        # two reps to below the first one's bottom in a single sample.
        if self._turned_back(v):
            return self._turn(v, t)
        if v < self.extreme:
            self.extreme, self._rebound, self._rebound_t, self._extreme_t = v, v, t, t
        if t - self.start_t > self.limits.max_seconds:
            if self.start_line() - self.extreme < 0.25 * self.span:
                self._wait()  # lingering near the band, not an attempt
                return None
            return self._abort(t, "too_slow")
        if self.reached and v <= self._target:
            self.phase = Phase.BOTTOM
        elif v > self.extreme + self.primary.ascent_margin:
            self.phase = Phase.ASCENT
        else:
            self.phase = Phase.DESCENT
        return None

    def _turned_back(self, v: float) -> bool:
        size, rise, p = self.rest_value - self.extreme, self._rebound - self.extreme, self.params
        return (
            size >= p.min_move_share * self.span
            and rise >= min(p.turn_back_share * size, p.turn_back_spans * self.span)
            and self._rebound - v >= p.start_share * self.span
            and rise <= p.max_turn_speed * self.span * (self._rebound_t - self._extreme_t)
        )

    def _turn(self, v: float, t: float) -> RepSpan | None:
        """Finish the rep at its top between reps, then start the next one from there; the patient's
        rest stays where it was (the top between quick reps is not their rest)."""
        rest = self.rest_value
        span = self._finish(self._rebound, self._rebound_t)
        self.rest_value = max(rest, self.rest_value)
        self._at_rest(v, t)
        return span

    def _finish(self, v: float, t: float) -> RepSpan | None:
        self.state, self.phase = State.REST, Phase.TOP
        self.last_rest_t, rest, self.rest_value = t, self.rest_value, v  # the next rep's rest starts here
        size = rest - self.extreme
        duration = t - self.start_t
        too_fast = duration < self.limits.min_seconds
        if (too_fast and not self.reached) or size < self.params.min_move_share * self.span:
            return None  # a twitch through the band, a step while walking in, or a fidget: not a movement
        whole = self.reached or size >= self.full_size()
        # A completed movement is a rep however quick (its speed is a fault); only the therapist's
        # minimum depth (short_of_target: partial) makes a whole movement short of the target partial.
        complete = whole and (self.reached or self.limits.short_of_target == "rep")
        reason = "" if complete else "below_minimum" if whole else "shallow"
        if whole:
            self.amplitudes.append(size)
            self._unsettled = (self.extreme, size)
        span = RepSpan(
            self.start_t, t, complete, self.unfold(rest), self.unfold(self.extreme), reason, self.reached, too_fast
        )
        return self._record(span)

    def _settle_size(self) -> None:
        """A rep's size is its smaller side, as a peak's prominence is: from its deepest point up to the lower of
        the rest it left and the rest it came back to, known once the next rep starts from there. A brief dip past
        rest just before a rep (a sway, a keypoint glitch) then does not make it look larger than the patient's
        other reps, and their next ones partial. A rep that turned back between quick reps keeps its size (the top
        between them is no rest), and so does one whose entry another limb's rep has since followed."""
        if self._unsettled is not None and self.amplitudes and self.amplitudes[-1] == self._unsettled[1]:
            self.amplitudes[-1] = min(self._unsettled[1], self.rest_value - self._unsettled[0])
        self._unsettled = None

    def _abort(self, t: float, reason: str) -> RepSpan:
        self._wait()
        span = RepSpan(
            self.start_t, t, False, self.unfold(self.rest_value), self.unfold(self.extreme), reason, self.reached
        )
        return self._record(span)

    def _record(self, span: RepSpan) -> RepSpan:
        if span.complete:
            self.completed += 1
        else:
            self.partial += 1
        self.history.append(span)
        return span

    def close(self, t: float) -> RepSpan | None:
        """End of session: a rep still in progress is reported as interrupted (partial), unless the
        patient was nearly back at rest (a recording that stops on the last frames of the return)."""
        if self.state is not State.IN_REP or t - self.start_t < self.limits.min_seconds:
            return None
        if self._unseen_mid_rep:
            self.discarded += 1  # the session ended while the patient was out of view
            self._wait()
            return None
        size = self.rest_value - self.extreme
        if math.isfinite(self.last_value) and self.last_value - self.extreme >= self.params.close_return_share * size:
            return self._finish(self.last_value, t)
        return self._abort(t, "interrupted")

    def status(self, value: float | None) -> RangeStatus:
        """in_range / almost / out_of_range of a live value against the target, for the overlay colour."""
        if value is None or not math.isfinite(value):
            return RangeStatus.UNKNOWN
        v = self.fold(value)
        if v <= self._target:
            return RangeStatus.IN_RANGE
        if v < self._start:
            return RangeStatus.ALMOST
        return RangeStatus.OUT_OF_RANGE
