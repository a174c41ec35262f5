"""The coaching engine: one pose frame in, one `FrameUpdate` out.

patient -> smoothed keypoints -> measures -> side -> rep counter -> rules -> cues
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from rehab_coach.engine.anatomy import (
    REST_LOOKBACK_SECONDS,
    AngleLog,
    AngleSource,
    HonestSpan,
    RepAngles,
    checked_measures,
    honest_peaks,
    honest_span,
    world_angles,
)
from rehab_coach.engine.cues import CueScheduler
from rehab_coach.engine.fault_words import fault_cue
from rehab_coach.engine.feedback import (
    SHORT_OF_TARGET,
    SHORT_OF_TARGET_PENALTY,
    TOO_FAST,
    correction_fits,
    rep_verdict,
)
from rehab_coach.engine.filters import FilterConfig, KeypointSmoother, OneEuroFilter, torso_length
from rehab_coach.engine.framing import side_to_turn, turn_words
from rehab_coach.engine.holds import HoldSpan, HoldTimer
from rehab_coach.engine.measures import (
    POINT_INDEX,
    MeasurePlan,
    RollingLow,
    axis_positions,
    compute,
    extended_points,
    facing_sign,
    segment_lengths,
)
from rehab_coach.engine.quality import rep_quality
from rehab_coach.engine.reps import DEFAULT_PARAMS, CountingParams, RepCounter, RepSpan, State
from rehab_coach.engine.rules import RuleEngine
from rehab_coach.engine.sides import SideChooser, bare_values
from rehab_coach.engine.templates import Rule, Template
from rehab_coach.engine.tracking import PatientTracker
from rehab_coach.engine.types import CameraViewSummary, CueEvent, FrameUpdate, Phase, RepResult, SessionSummary
from rehab_coach.engine.view import ViewTracker, fit
from rehab_coach.engine.visibility import VisibilityWatch
from rehab_coach.keypoints.types import Person, PoseFrame

VISIBILITY_PRIORITY = 9
LONE_LIMB_MIN_SEEN = 0.5  # mean confidence of the other limb's joints for its lone rep to count
VIEW_PRIORITY, VIEW_DELAY_SECONDS = 7, 2.0
VELOCITY_HALF_LIFE_SECONDS = 1 / 30  # a measure's rate forgets half of its past each 30 fps frame
WORLD_FILTER = FilterConfig(beta=2.0)  # the One Euro speed term in metres/s rather than pixels/s
_POINT_NAMES = {i: n for n, i in POINT_INDEX.items()}


@dataclass
class _RepRecorder:
    """Everything gathered while one rep is in progress."""

    series: dict[str, list[float]] = field(default_factory=dict)
    curve: list[tuple[float, float]] = field(default_factory=list)
    faults: list[Rule] = field(default_factory=list)

    def add(self, t: float, values: dict[str, float], primary: float) -> None:
        for name, value in values.items():
            self.series.setdefault(name, []).append(value)
        self.curve.append((t, primary))


class Coach:
    def __init__(
        self,
        template: Template,
        language: str = "en",
        filter_config: FilterConfig | None = None,
        select_person: Callable[[PoseFrame], Person | None] | None = None,
        world_angles: bool = False,
        counting: CountingParams = DEFAULT_PARAMS,
    ) -> None:
        self.template, self.language = template, language
        self.counting = counting
        self.filter_config = filter_config or FilterConfig()
        # Our own tracker is told when the first rep starts, so it stops looking for a better candidate.
        self.tracker: PatientTracker | None = None
        if select_person is None:
            self.tracker = PatientTracker()
            select_person = self.tracker.select
        self.select_person = select_person
        self.plan = MeasurePlan.for_template(template)
        moved = self.plan.displacements
        self.baseline = RollingLow(np.array(self.plan.windows)[moved]) if moved.size else None
        tilted = self.plan.tilts  # a segment's longest lately is the low of its negated length
        self.longest = RollingLow(np.array(self.plan.windows)[tilted]) if tilted.size else None
        self.smoother = KeypointSmoother(self.filter_config)
        # Joint angles from the backend's 3D points. Off by default: on the real dev set BlazePose's
        # world points shrank the range of far legs and lost lunges that 2D counted (docs/accuracy.md).
        self.world_angles = world_angles
        self.world_smoother = OneEuroFilter((17, 3), WORLD_FILTER)
        # Reported angles must be ones a body can make: each rep's values are checked against the
        # joint's anatomical range and the view, with the 3D angles of its frames to fall back on.
        self.angle_ranges = checked_measures(template)
        self.angle_log = AngleLog(keep_seconds=template.rep.max_seconds + REST_LOOKBACK_SECONDS + 1.0)
        self.sides = SideChooser(template, self.plan)
        alternating = template.side == "alternating"
        track_names = ("left", "right") if alternating else (None,)
        shared_range: deque[float] = deque(maxlen=counting.range_memory)  # both limbs: one patient's range
        self.counters = {
            name: RepCounter(template.primary, template.rep, params=counting, amplitudes=shared_range)
            for name in track_names
        }
        self.recorders: dict[str | None, _RepRecorder | None] = {name: None for name in track_names}
        # Alternating: the side whose rep is in progress (else the last one); rules read its values.
        self.track: str | None = "left" if alternating else None
        self._sided = [name for name, m in template.measures.items() if m.sided]
        self._rate_names = [*self.plan.names, *(n for n in self._sided if n not in self.plan.names)]
        # `auto` follows the better-seen side; these count each side on its own as well, so a movement
        # of the other limb alone (alternating single-arm curls) is not lost.
        one_sided = (
            template.side == "auto" and template.kind == "reps" and template.measures[template.primary.measure].sided
        )
        self.lone_counters = (
            {s: RepCounter(template.primary, template.rep, params=counting) for s in ("left", "right")}
            if one_sided
            else {}
        )
        self._lone_seen = {s: [0.0, 0] for s in self.lone_counters}
        self._followed_range = {s: [math.inf, -math.inf] for s in self.lone_counters}
        self._main_busy: deque[list[float]] = deque(maxlen=8)  # [start, end] of the followed side's reps
        self.hold = HoldTimer(template) if template.kind == "hold" else None
        self.hold_recorder: _RepRecorder | None = None
        self.rules = RuleEngine(template)
        self.cues = CueScheduler()
        self.required = self._required_points()
        self._xy = np.full((17, 2), np.nan)  # this frame's smoothed joints and measured side
        self._side = "left"
        self._limb_gap = 0.0  # left minus right primary value when last both seen (`both` templates)
        self.view = ViewTracker()
        self._unseen = {v: self.plan.unseen_in(v) for v in ("side", "oblique", "front", "rear", "unknown")}
        self._wrong_view_since: float | None = None
        self.reps: list[RepResult] = []
        self.cue_log: list[CueEvent] = []
        self.frames = self.frames_with_person = 0
        self.first_t: float | None = None
        self.last_t = 0.0
        self.facing = 1.0
        self._previous: dict[str, float] = {}
        self._velocity: dict[str, float] = {}
        joints_cue = template.visibility_cue.get(language) if template.visibility_cue else None
        self.visibility = VisibilityWatch(language, joints_cue)

    # ---- per frame -----------------------------------------------------------

    def process(self, frame: PoseFrame) -> FrameUpdate:
        t = frame.t
        self.first_t = t if self.first_t is None else self.first_t
        dt = t - self.last_t if self.frames else 1 / 30
        self.frames += 1
        self.last_t = t
        person = self.select_person(frame)
        self.frames_with_person += person is not None
        values, side, missing = self._measure(person, t, dt)
        visible = person is not None and not missing
        new_reps = self._count(values, t, visible) if self.hold is None else self._hold(values, t, visible)
        if self.lone_counters:
            new_reps += self._count_lone_limb(values, person, side, t)
        phase = self._phase(visible)
        self._check_rules(values, phase, t)
        out_of_view = self.visibility.update(t, person is not None, missing)
        if out_of_view is not None:
            self.cues.offer(t, "visibility", out_of_view.cue_id, out_of_view.cue, VISIBILITY_PRIORITY)
        self._view_cue(visible, t, person)
        cue = self.cues.emit(t)
        if cue:
            self.cue_log.append(cue)
        primary = values.get(self._primary_measure()) if visible else None
        counter = self._active_counter()
        return FrameUpdate(
            t=t,
            person=person,
            visible=visible,
            side=self.track if self.track is not None else side,
            measures=values,
            primary_value=primary if primary is not None and math.isfinite(primary) else None,
            primary_status=counter.status(primary),
            phase=phase,
            rep_count=self.rep_count,
            partial_count=self.partial_count,
            new_reps=new_reps,
            cue=cue,
            active_faults=self.rules.active(),
            hold_seconds=self.hold.held if self.hold and self.hold.start_t is not None else None,
            missing_joints=missing,
            view=self.view.current,
            view_fit=self.view_fit,
            visibility_hint=out_of_view.hint if out_of_view is not None else "",
        )

    @property
    def view_fit(self) -> str:
        return fit(self.template.view, self.view.current)

    def view_summary(self) -> str:
        """The camera view seen most over the session."""
        return self.view.most_seen()

    def _measure(self, person: Person | None, t: float, dt: float) -> tuple[dict[str, float], str, list[str]]:
        xy = self._xy = self.smoother(person.keypoints if person is not None else None, t)
        points = extended_points(xy)
        torso = torso_length(xy)
        torso = torso if math.isfinite(torso) and torso > 0 else self.smoother.scale
        self.facing = facing_sign(points, self.facing)
        confidence = person.confidence if person is not None else np.zeros(17)
        in_rep = any(c.state is State.IN_REP for c in self.counters.values())
        side = self._side = self.sides.update(confidence, t, between_reps=not in_rep)
        low = self.baseline.update(t, axis_positions(self.plan, points, self.facing)) if self.baseline else None
        longest = -self.longest.update(t, -segment_lengths(self.plan, points)) if self.longest else None
        world = self._world(person, xy, dt)
        raw = compute(self.plan, points, torso, self.facing, low, world, longest, all_in_world=self.world_angles)
        raw[self._unseen[self.view.update(xy if person is not None else None, t)]] = np.nan
        values = bare_values(self.plan, raw, side)
        in_3d = bare_values(self.plan, world_angles(self.plan, world), side) if world is not None else {}
        self.angle_log.add(t, in_3d, self.view_fit == "wrong")
        self._add_velocities(values, dt)
        return values, side, self._missing_joints(points, side)

    def _world(self, person: Person | None, xy: np.ndarray, dt: float) -> np.ndarray | None:
        """Smoothed 3D points where the backend gives them, missing wherever the 2D joint is; the
        counter measures with them only when `world_angles` is on, the reported angles may always."""
        if person is None or person.world is None:
            self.world_smoother.reset()
            return None
        world = self.world_smoother(np.where(np.isfinite(xy).all(axis=1)[:, None], person.world, np.nan), dt)
        return extended_points(np.where(np.isfinite(xy).all(axis=1)[:, None], world, np.nan))

    def _add_velocities(self, values: dict[str, float], dt: float) -> None:
        """Per-second rate of every measure, lightly smoothed (values are already filtered).
        Each side has its own, so an alternating exercise's `_vel` never jumps when the side changes."""
        for name in self._rate_names:
            now, before = values.get(name, math.nan), self._previous.get(name, math.nan)
            raw = (now - before) / dt if math.isfinite(now) and math.isfinite(before) and dt > 0 else math.nan
            old = self._velocity.get(name, math.nan)
            keep = 0.5 ** (dt / VELOCITY_HALF_LIFE_SECONDS) if dt > 0 else 1.0  # by time, so any frame rate
            self._velocity[name] = (
                raw if not math.isfinite(old) else (old if not math.isfinite(raw) else keep * old + (1 - keep) * raw)
            )
            values[f"{name}_vel"] = self._velocity[name]
            self._previous[name] = now

    def _missing_joints(self, points: np.ndarray, side: str) -> list[str]:
        """Joints the primary measure needs that are not seen. Both limbs move together (`both`) or
        each in turn (`alternating`): one whole limb is enough, as in a side view, where the far
        leg hides behind the near one."""
        choices = [side] if side in ("left", "right") else ["left", "right"] if self._limbs_apart else ["both"]
        unseen = [[i for i in self.required[c] if not np.isfinite(points[i]).all()] for c in choices]
        return [_POINT_NAMES[i] for i in min(unseen, key=len)]

    @property
    def _limbs_apart(self) -> bool:
        """The primary measure has a value per limb, and the template counts both limbs."""
        return (
            self.template.side in ("both", "alternating")
            and self.template.measures[self.template.primary.measure].sided
        )

    def _required_points(self) -> dict[str, list[int]]:
        """Points the primary measure needs, per side choice; missing ones trigger the visibility cue."""
        primary = self.template.primary.measure
        if not self.template.measures[primary].sided:
            pts = self.plan.joints_of(primary)
            return {"left": pts, "right": pts, "both": pts}
        left, right = self.plan.joints_of(f"{primary}_left"), self.plan.joints_of(f"{primary}_right")
        both = left + right if self.template.side in ("both", "alternating") else left
        return {"left": left, "right": right, "both": sorted(set(both))}

    # ---- reps ----------------------------------------------------------------

    def _counted_value(self, track: str | None, values: dict[str, float]) -> float:
        """The primary value the counter sees: missing while one of its joints is only bridged
        over a dropout (a coasting joint can bend or straighten an angle no one made)."""
        if track is None and self._side == "both" and self._limbs_apart:
            return self._both_limbs(values)
        joints = self.required[track or (self._side if self._side in ("left", "right") else "both")]
        return self._primary_for(track, values) if self._fresh(joints) else math.nan

    def _both_limbs(self, values: dict[str, float]) -> float:
        """The mean of both limbs; while one is hidden (the far leg in a side view), the seen one
        shifted by the last difference between them, so the count's signal does not jump when a
        limb disappears or comes back."""
        name = self._primary_measure()
        left, right = (
            values.get(f"{name}_{s}", math.nan) if self._fresh(self.required[s]) else math.nan
            for s in ("left", "right")
        )
        if math.isfinite(left) and math.isfinite(right):
            self._limb_gap = left - right
            return (left + right) / 2
        if math.isfinite(left):
            return left - self._limb_gap / 2
        if math.isfinite(right):
            return right + self._limb_gap / 2
        return math.nan

    def _fresh(self, joints: list[int]) -> bool:
        """None of these joints is only bridged over a dropout."""
        fresh = self.smoother.last_seen_t == self.last_t
        return not any(j < len(fresh) and not fresh[j] and np.isfinite(self._xy[j]).all() for j in joints)

    def _primary_measure(self) -> str:
        """The primary measure, or the one the template counts from in the view the camera has now."""
        return self.template.primary.measure_in(self.view.current)

    def _primary_for(self, track: str | None, values: dict[str, float]) -> float:
        name = self._primary_measure()
        return values.get(f"{name}_{track}" if track else name, math.nan)

    def _count(self, values: dict[str, float], t: float, visible: bool) -> list[RepResult]:
        spans: dict[str | None, RepSpan | None] = {}
        for track, counter in self.counters.items():
            was_in_rep = counter.state is State.IN_REP
            spans[track] = counter.update(self._counted_value(track, values) if visible else math.nan, t)
            if counter.state is State.IN_REP and not was_in_rep:
                self.recorders[track] = _RepRecorder()
                self.rules.new_period()
                if self.tracker is not None:
                    self.tracker.lock()
                if self.counters[self.track].state is not State.IN_REP:
                    self.track = track
        self._resolve_track(values)
        finished = []
        for track, counter in self.counters.items():
            recorder = self.recorders[track]
            if recorder is not None and counter.state is State.IN_REP:
                recorder.add(t, values, self._primary_for(track, values) if visible else math.nan)
            if (span := spans[track]) is not None:
                finished.append(self._rep_result(span, track, recorder or _RepRecorder()))
                self.recorders[track] = None
                self.rules.new_period()
        return finished

    def _count_lone_limb(
        self, values: dict[str, float], person: Person | None, followed: str, t: float
    ) -> list[RepResult]:
        """A rep of the limb `auto` is not following counts when that limb was seen well and the
        followed limb stayed at rest all along: one arm curling while the other hangs still."""
        main, busy = self.counters[None], self._main_busy
        if main.state is State.IN_REP and (not busy or busy[-1][0] != main.start_t):
            busy.append([main.start_t, math.inf])  # open until the followed limb is back at rest
        elif main.state is not State.IN_REP and busy and busy[-1][1] == math.inf:
            busy[-1][1] = t
        seen = self.sides.visibility(person.confidence) if person is not None else {"left": 0.0, "right": 0.0}
        finished = []
        followed_value = self._primary_for(followed, values) if followed in self.lone_counters else math.nan
        for side, counter in self.lone_counters.items():
            span = counter.update(self._primary_for(side, values) if person is not None else math.nan, t)
            if counter.state is State.IN_REP:
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
            still = high - low < self.counting.min_move_share * counter.span  # the followed limb did not move meanwhile
            alone = still and not any(start < span.end_t and end > span.start_t for start, end in busy)
            if span.complete and side != followed and alone and n and total / n >= LONE_LIMB_MIN_SEEN:
                finished.append(self._rep_result(span, side, _RepRecorder()))
        return finished

    def _resolve_track(self, values: dict[str, float]) -> None:
        """Alternating: a bare sided name (`knee`, `knee_vel`) reads the moving side, not the
        mean of both, so one rule serves either leg."""
        if self.track is None:
            return
        for name in self._sided:
            values[name] = values.get(f"{name}_{self.track}", math.nan)
            values[f"{name}_vel"] = values.get(f"{name}_{self.track}_vel", math.nan)

    def _rep_result(self, span: RepSpan, track: str | None, recorder: _RepRecorder) -> RepResult:
        duration = span.end_t - span.start_t
        rep_faults = self.rules.rep_end(recorder.series, duration)
        faults = list(dict.fromkeys(r.id for r in [*recorder.faults, *rep_faults]))
        if span.complete and span.too_fast and TOO_FAST not in faults:  # the template's tempo rule may name it
            faults.append(TOO_FAST)
        if span.complete and not span.reached_target:
            faults.append(SHORT_OF_TARGET)
        penalties = [self.rules.rules[f].penalty if f in self.rules.rules else SHORT_OF_TARGET_PENALTY for f in faults]
        angles = self.angle_log.during(span.start_t, span.end_t)
        honest, sources = self._honest_span(span, track, angles)
        quality, parts = rep_quality(self.template, honest.rest, honest.extreme, duration, penalties)
        peaks = _peaks(recorder.series, self.template.report)
        sources |= self._honest_peaks(peaks, track, angles)
        result = RepResult(
            index=len(self.reps) + 1,
            start_t=round(span.start_t, 3),
            end_t=round(span.end_t, 3),
            complete=span.complete,
            side=track,
            rom=round(abs(honest.rest - honest.extreme), 1),
            extreme=round(honest.extreme, 1),
            start_value=round(honest.rest, 1),
            quality=quality,
            quality_parts=parts,
            peaks=peaks,
            faults=faults,
            angle_source=sources,
            curve=recorder.curve,
            partial_reason=span.reason,
        )
        self.reps.append(result)
        self._correct(result)
        return result

    def _correct(self, rep: RepResult) -> None:
        """The cue after a rep comes from its verdict: one correction for a rep below good, none for
        a good one; a waiting correction the rep no longer bears out is dropped."""
        verdict = rep_verdict(rep, self.template)
        self.cues.withdraw(lambda cue: not correction_fits(cue, verdict))
        if verdict.correction is not None:
            text = fault_cue(verdict.correction, self.template, self.language)
            self.cues.offer(rep.end_t, "fault", verdict.correction, text, verdict.priority)

    def _honest_span(self, span: RepSpan, track: str | None, angles: RepAngles) -> tuple[HonestSpan, dict[str, str]]:
        """The rep's rest and extreme as reported: never an angle the joint cannot make (see anatomy.py)."""
        primary = self.template.primary
        limits = self.angle_ranges.get(primary.measure)
        if limits is None:  # not a joint angle: nothing to check
            return HonestSpan(span.rest_value, span.extreme, AngleSource.IMAGE), {}
        name = f"{primary.measure}_{track}" if track else primary.measure
        honest = honest_span(span.rest_value, span.extreme, limits, angles, name, primary.direction)
        return honest, {primary.measure: honest.source.value}

    def _honest_peaks(self, peaks: dict[str, float | None], track: str | None, angles: RepAngles) -> dict[str, str]:
        """Replace, in place, the reported joint angles' peaks the joint cannot make or the view
        foreshortens (3D values, or None); returns where each came from."""
        sources: dict[str, str] = {}
        for name in self.template.report:
            if (limits := self.angle_ranges.get(name)) is None:
                continue
            sided = track is not None and self.template.measures[name].sided
            low, high, source = honest_peaks(
                peaks[f"{name}_min"], peaks[f"{name}_max"], limits, angles, f"{name}_{track}" if sided else name
            )
            peaks[f"{name}_min"] = round(low, 2) if low is not None else None
            peaks[f"{name}_max"] = round(high, 2) if high is not None else None
            sources.setdefault(name, source.value)
        return sources

    def _hold(self, values: dict[str, float], t: float, visible: bool) -> list[RepResult]:
        assert self.hold is not None
        was_holding = self.hold.start_t is not None
        span = self.hold.update(values if visible else None, t)
        holding = self.hold.start_t is not None
        if holding and not was_holding:
            self.hold_recorder = _RepRecorder()
            self.rules.new_period()
        if self.hold.lost and holding:
            self.cues.offer(t, "hold", "hold_lost", self.template.hold.cue.get(self.language), 8)  # type: ignore[union-attr]
        if was_holding and not holding:  # ended: reported, or too short to be an attempt
            result = [self._hold_result(span)] if span else []
            self.hold_recorder = None
            self.rules.new_period()
            return result
        return []

    def _hold_result(self, span: HoldSpan) -> RepResult:
        goal = self.template.hold.seconds  # type: ignore[union-attr]
        faults = list(dict.fromkeys(r.id for r in (self.hold_recorder or _RepRecorder()).faults))
        share = min(1.0, span.held_seconds / goal)
        form = max(0.0, 1.0 - sum(self.rules.rules[f].penalty for f in faults))
        quality = round(100 * share * form, 1)  # time in position, reduced by the faults seen during the hold
        result = RepResult(
            index=len(self.reps) + 1,
            start_t=round(span.start_t, 3),
            end_t=round(span.end_t, 3),
            complete=span.complete,
            side=None,
            rom=math.nan,  # a hold is timed, not an angle reached: none to report (0 would be no angle a body makes)
            extreme=math.nan,
            start_value=math.nan,
            quality=quality,
            quality_parts={"hold": round(share, 3), "form": round(form, 3)},
            peaks={},
            faults=faults,
            curve=[],
            partial_reason="" if span.complete else "released",
            held_seconds=span.held_seconds,
        )
        self.reps.append(result)
        self._correct(result)
        return result

    def _active_counter(self) -> RepCounter:
        return self.counters[self.track]

    def _phase(self, visible: bool) -> Phase:
        if not visible:
            return Phase.ABSENT
        if self.hold is not None:
            return Phase.HOLD if self.hold.in_position else Phase.TOP
        return self._active_counter().phase

    # ---- faults and cues -----------------------------------------------------

    def _check_rules(self, values: dict[str, float], phase: Phase, t: float) -> None:
        if phase == Phase.ABSENT:
            return
        for rule in self.rules.frame(values, phase, t):
            for track, recorder in self.recorders.items():
                if recorder is not None and self.counters[track].state is State.IN_REP:
                    recorder.faults.append(rule)
            if self.hold_recorder is not None:
                self.hold_recorder.faults.append(rule)
            self.cues.offer(t, "fault", rule.id, rule.cue.get(self.language), rule.priority)

    def _view_cue(self, visible: bool, t: float, person: Person | None) -> None:
        """Tell the patient how to stand when the camera sees the exercise from the wrong side: for a
        side view, which side of the body to turn to it."""
        if not visible or self.view_fit != "wrong":
            self._wrong_view_since = None
            return
        self._wrong_view_since = t if self._wrong_view_since is None else self._wrong_view_since
        if t - self._wrong_view_since >= VIEW_DELAY_SECONDS:
            side = side_to_turn(person, self.template.side) if self.template.view == "side" else None
            text = turn_words(self.template.view, side, self.language)
            self.cues.offer(t, "visibility", "wrong_view", text, VIEW_PRIORITY)

    # ---- results -------------------------------------------------------------

    @property
    def rep_count(self) -> int:
        return sum(1 for r in self.reps if r.complete)

    @property
    def partial_count(self) -> int:
        return sum(1 for r in self.reps if not r.complete)

    def finish(self) -> list[RepResult]:
        """End of the session: close a rep or hold still in progress (it counts as partial)."""
        finished = []
        for track, counter in self.counters.items():
            span = counter.close(self.last_t) if self.hold is None else None
            if span is not None:
                finished.append(self._rep_result(span, track, self.recorders[track] or _RepRecorder()))
        if self.hold is not None and (held := self.hold.close(self.last_t)):
            finished.append(self._hold_result(held))
            self.hold_recorder = None
        return finished

    def _best_source(self, complete: list[RepResult]) -> str | None:
        """Where the best extreme came from, or, when no rep's could be measured, why."""
        primary = self.template.primary
        if self.hold is not None or primary.measure not in self.angle_ranges or not complete:
            return None
        sources = [r.angle_source.get(primary.measure, AngleSource.IMAGE.value) for r in complete]
        best = _best(self.template, [r.extreme for r in complete if math.isfinite(r.extreme)])
        if best is None:
            return max(set(sources), key=sources.count)
        return next(s for r, s in zip(complete, sources, strict=True) if r.extreme == best)

    def summary(self) -> dict[str, Any]:
        """`session_summary()` as the plain dict the store keeps and the report embeds."""
        return self.session_summary().model_dump()

    def session_summary(self) -> SessionSummary:
        complete = [r for r in self.reps if r.complete]
        faults: dict[str, int] = {}
        for rep in self.reps:
            for f in rep.faults:
                faults[f] = faults.get(f, 0) + 1
        seen = self.view.most_seen()
        return SessionSummary(
            rep_count=self.rep_count,
            partial_reps=self.partial_count,
            average_quality=round(float(np.mean([r.quality for r in complete])), 1) if complete else None,
            best_extreme=_best(self.template, [r.extreme for r in complete if math.isfinite(r.extreme)]),
            best_extreme_source=self._best_source(complete),
            target=self.template.primary.target,
            ideal=self.template.primary.goal,
            fault_counts=dict(sorted(faults.items(), key=lambda kv: -kv[1])),
            camera_view=CameraViewSummary(
                wanted=self.template.view, seen=seen, fit=fit(self.template.view, seen), shares=self.view.shares()
            ),
        )


def _peaks(series: dict[str, list[float]], names: list[str]) -> dict[str, float | None]:
    """Lowest and highest value of each reported measure during the rep: `knee_min`, `knee_max`."""
    peaks: dict[str, float | None] = {}
    for name in names:
        arr = np.asarray(series.get(name, []), dtype=float)
        ok = arr[np.isfinite(arr)]
        peaks[f"{name}_min"] = round(float(ok.min()), 2) if ok.size else None
        peaks[f"{name}_max"] = round(float(ok.max()), 2) if ok.size else None
    return peaks


def _best(template: Template, extremes: list[float]) -> float | None:
    if not extremes:
        return None
    return min(extremes) if template.primary.direction == "down" else max(extremes)
