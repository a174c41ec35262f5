"""The engine against synthetic clips of the exercise library: counts, faults, hold times.

    results = [run_case(c) for c in cases("squat", seeds=[0, 1], noises=["low", "medium"])]
    table = summarise(results)

Each case is one clip with exact ground truth: a set of correct reps with partial ones among
them, a set with each fault injected once between clean reps, or a stretch of standing
still. A detected rep is matched to the true rep it overlaps most; faults are scored per rep
(and per side in alternating exercises) against the faults that were injected.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from rehab_coach.engine.coach import Coach
from rehab_coach.engine.templates import Template, load_template_by_id
from rehab_coach.engine.types import RepResult
from rehab_synth.generator import SyntheticClip, generate, standing_still
from rehab_synth.motions import get_motion

CaseKind = Literal["reps", "faults", "still"]
HOLD_TOLERANCE_SECONDS = 0.5
MIN_SCORE = 0.9


@dataclass(frozen=True)
class Case:
    exercise: str
    kind: CaseKind
    seed: int
    noise: str


@dataclass
class Tally:
    """Per-fault confusion counts over reps."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Tally) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


@dataclass
class CaseResult:
    case: Case
    reps_expected: int
    reps_counted: int
    partial_expected: int
    partial_counted: int
    faults: dict[str, Tally] = field(default_factory=dict)
    hold_errors: list[float] = field(default_factory=list)  # |engine - truth| seconds per hold
    cues_at_rest: int = 0  # fault cues spoken while standing still: each one is a false alarm
    problems: list[str] = field(default_factory=list)  # what went wrong, for the report

    @property
    def counts_ok(self) -> bool:
        return (self.reps_expected, self.partial_expected) == (self.reps_counted, self.partial_counted)


def fault_names(exercise: str) -> list[str]:
    """The faults the generator can act out for an exercise: every rule of its template."""
    return [spec.rule for spec in get_motion(exercise).faults]


def cases(exercise: str, seeds: Sequence[int], noises: Sequence[str], still: bool = True) -> list[Case]:
    kinds: list[CaseKind] = ["reps", "faults", *(["still"] if still else [])]
    return [Case(exercise, kind, seed, noise) for seed in seeds for noise in noises for kind in kinds]


def make_clip(case: Case, template: Template | None = None) -> SyntheticClip:
    """Reps: five (three holds), the second and fourth partial (the second hold released early).
    Faults: a clean rep, one rep per fault, a clean rep; alternating exercises do each on both
    sides. Still: twelve seconds standing at rest."""
    template = template or load_template_by_id(case.exercise)
    options: dict[str, Any] = {"seed": case.seed, "noise": case.noise, "template": template}
    hold = template.kind == "hold"
    if case.kind == "still":
        return standing_still(12.0, case.exercise, **options)
    if case.kind == "reps":
        return generate(case.exercise, 3 if hold else 5, partial_reps=[1] if hold else [1, 3], **options)
    names = fault_names(case.exercise)
    per_side = 2 if template.side == "alternating" else 1
    faults = {1 + i: [name] for i, name in enumerate(n for n in names for _ in range(per_side))}
    return generate(case.exercise, len(faults) + 1 + per_side, faults=faults, **options)


def run_case(case: Case, template: Template | None = None) -> CaseResult:
    template = template or load_template_by_id(case.exercise)
    clip = make_clip(case, template)
    coach = Coach(template)
    for frame in clip.frames:
        coach.process(frame)
    coach.finish()
    result = CaseResult(case, clip.rep_count, coach.rep_count, clip.partial_count, coach.partial_count)
    if case.kind == "still":
        result.cues_at_rest = sum(1 for cue in coach.cue_log if cue.kind == "fault")
        result.problems += [
            f"fault cue {c.id!r} at {c.t:.1f}s while standing still" for c in coach.cue_log if c.kind == "fault"
        ]
    if not result.counts_ok:
        result.problems.append(
            f"counted {coach.rep_count}+{coach.partial_count} partial, expected {clip.rep_count}+{clip.partial_count}"
        )
    whole_rep = {r.id for r in template.rules if r.scope == "rep"}
    matches = match_reps(clip.reps, coach.reps)
    for name in (r.id for r in template.rules):
        result.faults[name] = Tally()
    for truth, rep in matches:
        _score(result, truth, rep, whole_rep, template)
    if template.kind == "hold":
        _time_holds(result, matches)
    return result


def match_reps(
    truth: Sequence[Mapping[str, Any]], reps: Sequence[RepResult]
) -> list[tuple[Mapping[str, Any] | None, RepResult | None]]:
    """Pairs of (true rep, detected rep) by largest time overlap (and the same side when the
    exercise counts sides); unmatched ones pair with None."""
    pairs: list[tuple[Mapping[str, Any] | None, RepResult | None]] = []
    free = list(reps)
    for true in truth:
        if true["start_t"] is None:
            continue
        best = max(free, key=lambda r: _overlap(true, r), default=None)
        if best is not None and _overlap(true, best) > 0 and (best.side is None or best.side == true["lead"]):
            free.remove(best)
            pairs.append((true, best))
        else:
            pairs.append((true, None))
    return pairs + [(None, r) for r in free]


def _overlap(true: Mapping[str, Any], rep: RepResult) -> float:
    return min(true["end_t"], rep.end_t) - max(true["start_t"], rep.start_t)


def _score(
    result: CaseResult, truth: Mapping[str, Any] | None, rep: RepResult | None, whole_rep: set[str], template: Template
) -> None:
    """A partial rep also carries the rep rules its shortfall trips on clean data (shallow,
    not upright at the top): stopping short is what they are for."""
    expected = set(truth["faults"]) if truth else set()
    if truth and truth["partial"] and template.kind == "reps":
        expected |= whole_rep & set(truth["expected_faults"])
    found = set(rep.faults) if rep else set()
    for name, tally in result.faults.items():
        tally.tp += name in expected and name in found
        tally.fp += name not in expected and name in found
        tally.fn += name in expected and name not in found
        if (name in expected) != (name in found):
            when = f"{truth['start_t']:.1f}s" if truth else f"{rep.start_t:.1f}s"  # type: ignore[union-attr]
            result.problems.append(f"{name} {'missed' if name in expected else 'false alarm'} at {when}")


def _time_holds(result: CaseResult, matches: Iterable[tuple[Mapping[str, Any] | None, RepResult | None]]) -> None:
    for truth, rep in matches:
        if truth is None or rep is None:
            continue
        error = abs((rep.held_seconds or 0.0) - truth["held_seconds"])
        result.hold_errors.append(error)
        if error > HOLD_TOLERANCE_SECONDS:
            result.problems.append(
                f"hold at {truth['start_t']:.1f}s timed {rep.held_seconds}s, truth {truth['held_seconds']}s"
            )


# ---- the table ---------------------------------------------------------------------------


@dataclass
class Row:
    """One exercise over all its cases."""

    exercise: str
    clips: int = 0
    reps_expected: int = 0
    reps_counted: int = 0
    partial_expected: int = 0
    partial_counted: int = 0
    wrong_counts: int = 0
    cues_at_rest: int = 0
    faults: dict[str, Tally] = field(default_factory=dict)
    hold_errors: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        scores = [s for t in self.faults.values() for s in (t.precision, t.recall) if s is not None]
        holds_ok = all(e <= HOLD_TOLERANCE_SECONDS for e in self.hold_errors)
        return self.wrong_counts == 0 and self.cues_at_rest == 0 and all(s >= MIN_SCORE for s in scores) and holds_ok


def summarise(results: Iterable[CaseResult]) -> list[Row]:
    rows: dict[str, Row] = {}
    for r in results:
        row = rows.setdefault(r.case.exercise, Row(r.case.exercise))
        row.clips += 1
        row.reps_expected += r.reps_expected
        row.reps_counted += r.reps_counted
        row.partial_expected += r.partial_expected
        row.partial_counted += r.partial_counted
        row.wrong_counts += not r.counts_ok
        row.cues_at_rest += r.cues_at_rest
        for name, tally in r.faults.items():
            row.faults.setdefault(name, Tally()).add(tally)
        row.hold_errors += r.hold_errors
        row.problems += [f"seed {r.case.seed} {r.case.noise} {r.case.kind}: {p}" for p in r.problems]
    return list(rows.values())


def _score_text(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.2f}"


def format_table(rows: Sequence[Row]) -> str:
    lines = [
        f"{'exercise':24} {'clips':>5} {'reps exp/got':>13} {'partial exp/got':>16} {'hold err max':>12} "
        f"{'cues at rest':>12}  faults (precision/recall, n injected)  ok"
    ]
    for row in rows:
        faults = ", ".join(
            f"{name} {_score_text(t.precision)}/{_score_text(t.recall)} n={t.tp + t.fn}"
            for name, t in row.faults.items()
        )
        hold = f"{max(row.hold_errors):.2f} s" if row.hold_errors else "-"
        lines.append(
            f"{row.exercise:24} {row.clips:5d} {row.reps_expected:>6}/{row.reps_counted:<6} "
            f"{row.partial_expected:>8}/{row.partial_counted:<7} {hold:>12} {row.cues_at_rest:>12}  {faults}  "
            f"{'yes' if row.ok else 'NO'}"
        )
    return "\n".join(lines)
