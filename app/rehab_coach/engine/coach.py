"""The coaching engine: one pose frame in, one `FrameUpdate` out.

patient -> smoothed keypoints -> measures -> side  (measurer.py)
        -> rep counters, a lone limb, holds        (counting.py)
        -> rules -> each rep graded -> cues        (here)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from rehab_coach.engine.anatomy import AngleSource, HonestSpan, RepAngles, checked_measures, honest_peaks, honest_span
from rehab_coach.engine.counting import Counted, Counting, RepRecorder
from rehab_coach.engine.cues import CueScheduler
from rehab_coach.engine.fault_words import fault_cue
from rehab_coach.engine.feedback import (
    SHORT_OF_TARGET,
    SHORT_OF_TARGET_PENALTY,
    TOO_FAST,
    correction_fits,
    rep_verdict,
)
from rehab_coach.engine.filters import FilterConfig
from rehab_coach.engine.framing import side_to_turn, turn_words
from rehab_coach.engine.holds import HoldSpan
from rehab_coach.engine.measurer import Measurer
from rehab_coach.engine.quality import rep_quality
from rehab_coach.engine.reps import DEFAULT_PARAMS, CountingParams, RepSpan
from rehab_coach.engine.rules import RuleEngine
from rehab_coach.engine.templates import Template
from rehab_coach.engine.types import CameraViewSummary, CueEvent, FrameUpdate, Phase, RepResult, SessionSummary
from rehab_coach.engine.view import View, fit
from rehab_coach.engine.visibility import VisibilityWatch
from rehab_coach.keypoints.types import Person, PoseFrame

VISIBILITY_PRIORITY = 9
VIEW_PRIORITY, VIEW_DELAY_SECONDS = 7, 2.0
HOLD_LOST_PRIORITY = 8


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
        self.measurer = Measurer(template, filter_config, select_person, world_angles)
        self.counting = Counting(template, self.measurer, counting)
        # Reported angles must be ones a body can make: each rep's values are checked against the
        # joint's anatomical range and the view, with the 3D angles of its frames to fall back on.
        self.angle_ranges = checked_measures(template)
        self.rules = RuleEngine(template)
        self.cues = CueScheduler()
        self._wrong_view_since: float | None = None
        self.reps: list[RepResult] = []
        self.cue_log: list[CueEvent] = []
        self.frames = self.frames_with_person = self.frames_with_depth = 0
        self.first_t: float | None = None
        self.last_t = 0.0
        joints_cue = template.visibility_cue.get(language) if template.visibility_cue else None
        self.visibility = VisibilityWatch(language, joints_cue)

    # ---- per frame -----------------------------------------------------------

    def process(self, frame: PoseFrame) -> FrameUpdate:
        t = frame.t
        self.first_t = t if self.first_t is None else self.first_t
        dt = t - self.last_t if self.frames else 1 / 30
        self.frames += 1
        self.last_t = t
        measured = self.measurer.measure(frame, dt, between_reps=not self.counting.in_rep)
        person, values, visible = measured.person, measured.values, measured.visible
        self.frames_with_person += person is not None
        self.frames_with_depth += person is not None and person.world is not None
        new_reps = self._grade(self.counting.update(measured, t), t)
        phase = self.counting.phase(visible)
        self._check_rules(values, phase, t)
        out_of_view = self.visibility.update(t, person is not None, measured.missing)
        if out_of_view is not None:
            self.cues.offer(t, "visibility", out_of_view.cue_id, out_of_view.cue, VISIBILITY_PRIORITY)
        self._view_cue(visible, t, person)
        cue = self.cues.emit(t)
        if cue:
            self.cue_log.append(cue)
        primary = values.get(self.measurer.primary_measure()) if visible else None
        track = self.counting.track
        return FrameUpdate(
            t=t,
            person=person,
            visible=visible,
            side=track if track is not None else measured.side,
            measures=values,
            primary_value=primary if primary is not None and math.isfinite(primary) else None,
            primary_status=self.counting.status(primary),
            phase=phase,
            rep_count=self.rep_count,
            partial_count=self.partial_count,
            new_reps=new_reps,
            cue=cue,
            active_faults=self.rules.active(),
            hold_seconds=self.counting.hold_seconds,
            missing_joints=measured.missing,
            view=self.measurer.view.current,
            view_fit=self.view_fit,
            visibility_hint=out_of_view.hint if out_of_view is not None else "",
        )

    @property
    def view_fit(self) -> str:
        return self.measurer.view_fit

    def view_summary(self) -> str:
        """The camera view seen most over the session."""
        return self.measurer.view.most_seen()

    # ---- each rep and hold graded ----------------------------------------------

    def _grade(self, counted: Counted, t: float) -> list[RepResult]:
        """What the counting found this frame, as results: a new period for the rules, the hold cue,
        each ended rep and hold graded."""
        if counted.new_period:
            self.rules.new_period()
        if counted.hold_lost:
            self.cues.offer(t, "hold", "hold_lost", self.template.hold.cue.get(self.language), HOLD_LOST_PRIORITY)  # type: ignore[union-attr]
        results = [self._rep_result(ended.span, ended.track, ended.recorder) for ended in counted.reps]
        if counted.hold is not None:
            results.append(self._hold_result(counted.hold.span, counted.hold.recorder))
        return results

    def _rep_result(self, span: RepSpan, track: str | None, recorder: RepRecorder) -> RepResult:
        duration = span.end_t - span.start_t
        rep_faults = self.rules.rep_end(recorder.series, duration)
        faults = list(dict.fromkeys(r.id for r in [*recorder.faults, *rep_faults]))
        if span.complete and span.too_fast and TOO_FAST not in faults:  # the template's tempo rule may name it
            faults.append(TOO_FAST)
        if span.complete and not span.reached_target:
            faults.append(SHORT_OF_TARGET)
        penalties = [self.rules.rules[f].penalty if f in self.rules.rules else SHORT_OF_TARGET_PENALTY for f in faults]
        angles = self.measurer.angle_log.during(span.start_t, span.end_t)
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

    def _hold_result(self, span: HoldSpan, recorder: RepRecorder) -> RepResult:
        goal = self.template.hold.seconds  # type: ignore[union-attr]
        faults = list(dict.fromkeys(r.id for r in recorder.faults))
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

    # ---- faults and cues -----------------------------------------------------

    def _check_rules(self, values: dict[str, float], phase: Phase, t: float) -> None:
        if phase == Phase.ABSENT:
            return
        for rule in self.rules.frame(values, phase, t):
            self.counting.add_fault(rule)
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
        closed = self.counting.close(self.last_t)
        finished = [self._rep_result(ended.span, ended.track, ended.recorder) for ended in closed.reps]
        if closed.hold is not None:
            finished.append(self._hold_result(closed.hold.span, closed.hold.recorder))
        return finished

    def _best_source(self, complete: list[RepResult]) -> str | None:
        """Where the best extreme came from, or, when no rep's could be measured, why."""
        primary = self.template.primary
        if self.counting.hold is not None or primary.measure not in self.angle_ranges or not complete:
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
        seen = self.measurer.view.most_seen()
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
                wanted=self.template.view,
                seen=seen,
                fit=fit(self.template.view, seen),
                shares=self.measurer.view.shares(),
                counted_from=self._counted_from(seen),
            ),
        )

    def _counted_from(self, view: View) -> str | None:
        """The measure a wrong view counted from instead of the primary, if the session could measure it:
        a measure in 3D needs a pose model that gives 3D points (for most of the frames with the patient)."""
        instead = self.template.primary.measure_in(view)
        if instead == self.template.primary.measure or fit(self.template.view, view) != "wrong":
            return None
        in_depth = self.template.measures[instead].space == "world"
        return None if in_depth and 2 * self.frames_with_depth < self.frames_with_person else instead


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
