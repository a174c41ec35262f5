"""Numbers that must agree on the patient's screens (issue 19, defect 10): the Finish question
says the counter's number, and the summary calls a rep good only when its grade is good."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace
from typing import Any

from rehab_coach.engine.fault_words import fault_cue
from rehab_coach.engine.quality import GOOD_QUALITY, quality_grade, rep_quality
from rehab_coach.engine.templates import load_template_by_id
from rehab_coach.engine.types import RepResult
from rehab_coach.session.live.patient_summary import patient_summary
from rehab_coach.session.live.sets import SetProgress, finish_question
from rehab_coach.session.store.demo import SQUAT, synthetic_rep

SQUAT_TEMPLATE = load_template_by_id("squat")


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
    coach = SimpleNamespace(template=SQUAT_TEMPLATE, reps=reps)
    complete = sum(1 for r in reps if r.complete)
    faults: dict[str, int] = {}
    for rep in reps:
        for fault in rep.faults:
            faults[fault] = faults.get(fault, 0) + 1
    return SimpleNamespace(
        coach=coach,
        fault_texts=lambda language: [(fault_cue(f, SQUAT_TEMPLATE, language), n) for f, n in faults.items()],
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


def _scored(index: int, extreme: float, duration: float, faults: list[str], penalties: list[float]) -> RepResult:
    """A squat rep scored by the real formula (rest 170)."""
    quality, parts = rep_quality(SQUAT_TEMPLATE, 170.0, extreme, duration, penalties)
    rep = _rep(index, quality)
    return replace(rep, quality_parts=parts, faults=faults, end_t=rep.start_t + duration, extreme=extreme)


def test_the_summary_words_follow_each_reps_verdict() -> None:
    # Two reps that reached the target (110) with no fault, scored fair and poor: their depth short
    # of the ideal and a hurried tempo cost them. "Every rep was done well" and "Nothing in
    # particular: keep it up!" stood beside them.
    reps = [_scored(1, 108.0, 0.4, [], []), _scored(2, 109.0, 0.3, [], [])]
    assert [quality_grade(r.quality, True) for r in reps] == ["fair", "fair"]
    words = patient_summary(_outcome(reps), "en")
    assert words.headline == "Reps done: 2."
    assert words.went_well == "You completed 2 reps."
    assert words.work_on == "“Take your time: move slowly and with control.” (reminded 2 times)"
    one = patient_summary(_outcome([_scored(1, 140.0, 3.0, [], [])]), "en")
    assert (one.went_well, one.work_on) == ("You completed 1 rep.", "“Try to move a little further”")
    # Good reps with nothing to correct are praised; a good rep's fault is still the thing to work on.
    good = [_scored(1, 90.0, 3.0, [], []), _scored(2, 100.0, 3.0, ["shallow"], [0.2])]
    words = patient_summary(_outcome(good), "en")
    assert words.headline == "2 good reps. Well done!"
    assert words.went_well == "1 of 2 reps needed no correction."
