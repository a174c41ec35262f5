"""Sets count complete reps only."""

from __future__ import annotations

from rehab_coach.engine.templates import Dosage
from rehab_coach.engine.types import RepResult
from rehab_coach.session.live.sets import SetProgress


def rep(index: int, complete: bool = True, quality: float = 90.0) -> RepResult:
    return RepResult(
        index=index,
        start_t=0,
        end_t=1,
        complete=complete,
        side=None,
        rom=60,
        extreme=95,
        start_value=170,
        quality=quality,
        quality_parts={},
        peaks={},
        faults=[],
    )


def test_sets_count_complete_reps_only() -> None:
    progress = SetProgress.from_dosage(Dosage(sets=2, reps=2, rest_seconds=30))
    assert progress.add(rep(1)) == "rep"
    assert progress.add(rep(2, complete=False)) == "rep"  # shown, never counted
    assert progress.add(rep(3)) == "set_done"
    assert (progress.done_in_set, progress.sets_completed, len(progress.current)) == (2, 1, 3)
    progress.next_set()
    assert (progress.set_index, progress.done_in_set, progress.last) == (2, 0, None)
    progress.add(rep(4))
    assert progress.add(rep(5)) == "all_done"
    assert progress.sets_completed == 2
