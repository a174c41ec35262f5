"""Numbers that must agree on the patient's screens (issue 19, defect 10): the Finish question
says the counter's number, and the summary calls a rep good only when its grade is good."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from rehab_coach.engine.quality import GOOD_QUALITY, quality_grade
from rehab_coach.engine.templates import load_template_by_id
from rehab_coach.engine.types import RepResult
from rehab_coach.session.live.patient_summary import patient_summary
from rehab_coach.session.live.sets import SetProgress, finish_question
from rehab_coach.session.store.demo import SQUAT, synthetic_rep


def _rep(index: int, quality: float, complete: bool = True) -> RepResult:
    return synthetic_rep(index, 3.0 * index, SQUAT, 100.0, 2.0, quality, [], complete=complete)


def test_the_finish_question_says_the_counters_number() -> None:
    progress = SetProgress(sets=3, reps=10, rest_seconds=30.0)
    for i in range(1, 11):
        progress.add(_rep(i, 85.0))
    progress.next_set()
    for i in range(1, 7):
        progress.add(_rep(i, 85.0))
    progress.add(_rep(7, 30.0, complete=False))  # a partial rep is shown but never counts
    assert progress.done_in_set == 6  # the big counter
    # It said "Reps done: 16" (every set's reps) under a counter showing 6.
    assert finish_question(progress, holds=False) == "Set 2 of 3: 6 of 10 reps done. Everything so far is saved."
    one_set = SetProgress(sets=1, reps=8, rest_seconds=0.0)
    one_set.add(_rep(1, 85.0))
    assert finish_question(one_set, holds=False) == "1 of 8 reps done. Everything so far is saved."
    assert finish_question(one_set, holds=True).startswith("1 of 8 holds done.")


def _outcome(reps: list[RepResult]) -> Any:
    coach = SimpleNamespace(template=load_template_by_id("squat"), reps=reps)
    complete = sum(1 for r in reps if r.complete)
    return SimpleNamespace(
        coach=coach,
        fault_texts=lambda language: [],
        sets_planned=1,
        sets_completed=0,
        reps_per_set=[complete],
        reps_planned=10,
    )


def test_one_threshold_for_good() -> None:
    assert quality_grade(GOOD_QUALITY, True) == "good"
    assert quality_grade(GOOD_QUALITY - 0.1, True) != "good"
    assert quality_grade(40.0, True) == "poor" and quality_grade(100.0, False) == "partial"


def test_the_summary_headline_never_calls_a_poor_rep_good() -> None:
    # "1 good reps. Well done!" was the headline over a 40/100 rep.
    assert patient_summary(_outcome([_rep(1, 40.0)]), "en").headline == "Reps done: 1."
    mixed = [_rep(1, 40.0), _rep(2, 90.0), _rep(3, 95.0)]
    assert patient_summary(_outcome(mixed), "en").headline == "3 reps done, 2 of them good."
    good = [_rep(1, 90.0), _rep(2, GOOD_QUALITY)]
    assert patient_summary(_outcome(good), "en").headline == "2 good reps. Well done!"
