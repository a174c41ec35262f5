"""Leave-one-source-out: a score for clips whose source took no part in choosing the parameters.

The counter's parameters (`CountingParams`) were once set by looking at the development clips. To
say how well they carry over to people the method has never seen, each source repository is held
out in turn: the candidate that scores best on every *other* source is chosen, and only then run
on the held-out clips. A change that raises the in-sample score but not this one is tuning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from rehab_coach.engine.reps import DEFAULT_PARAMS, CountingParams
from rehab_coach.evaluation.scoring import ClipResult, Totals

# Each free share (and the turn's speed limit) of the counter, one step either side of its default.
STEPS: dict[str, tuple[Any, ...]] = {
    "start_share": (0.2, 0.4),
    "end_share": (0.06, 0.25),
    "min_move_share": (0.35, 0.65),
    "full_share": (0.6, 0.9),
    "turn_back_share": (0.55, 0.85),
    "turn_back_spans": (1.1, 2.0),
    "max_turn_speed": (4.0, 9.0),
}


def candidate_params() -> list[CountingParams]:
    """The defaults first (they win ties), then each share moved one step up or down on its own."""
    return [DEFAULT_PARAMS, *(replace(DEFAULT_PARAMS, **{name: v}) for name, vs in STEPS.items() for v in vs)]


def describe(params: CountingParams) -> str:
    """Only what differs from the defaults: "defaults" or "start_share=0.2, full_share=0.9"."""
    changed = [
        f"{f.name}={getattr(params, f.name):g}"
        for f in fields(params)
        if getattr(params, f.name) != getattr(DEFAULT_PARAMS, f.name)
    ]
    return ", ".join(changed) or "defaults"


def _training_score(results: Sequence[ClipResult], held_out: str) -> tuple[int, float]:
    """Clips within tolerance, then (for ties) minus the summed relative error, over other sources."""
    train = [r for r in results if r.source != held_out]
    right = sum(r.within(r.app_reps) for r in train)
    error = sum(abs(r.app_reps - r.reps) / max(r.reps, 1) for r in train)
    return right, -error


@dataclass
class LosoResult:
    clips: list[ClipResult]  # each clip as counted with the parameters chosen without its source
    chosen: dict[str, str]  # source -> the parameters chosen without it

    def summary(self) -> dict[str, Any]:
        return {
            "totals": asdict(Totals.of(self.clips, lambda r: r.app_reps)),
            "chosen": self.chosen,
            "clips": {r.file: r.app_reps for r in self.clips},
        }


def leave_one_source_out(runs: Sequence[tuple[CountingParams, Sequence[ClipResult]]]) -> LosoResult:
    """`runs`: each candidate with its results on every clip (the same clips, in the same order)."""
    if not runs:
        raise ValueError("no candidate parameters to choose from")
    first = runs[0][1]
    sources = list(dict.fromkeys(r.source for r in first))
    clips: list[ClipResult | None] = [None] * len(first)
    chosen = {}
    for source in sources:
        # max() keeps the first of equals: the defaults win a tie.
        params, results = max(runs, key=lambda run: _training_score(run[1], source))
        chosen[source] = describe(params)
        for i, result in enumerate(results):
            if result.source == source:
                clips[i] = result
    return LosoResult([c for c in clips if c is not None], chosen)
