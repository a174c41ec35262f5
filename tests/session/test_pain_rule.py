"""The pain rule (session/pain_rule.py): high at 7, risen by 2 over the patient's previous answer,
skipped answers ignored, reviews carried; and the patient's advice in both languages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from rehab_coach.session.live.patient_summary import pain_advice
from rehab_coach.session.pain_rule import FlagReview, has_risen, is_flagged, is_high, newest_first, pain_flags

MONDAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Answer:
    id: int
    started_at: dt.datetime
    exercise_id: str
    pain: int | None


def answers(*pains: int | None, exercise: str = "squat") -> list[Answer]:
    """One answer a day, oldest first, ids 1.."""
    return [Answer(i + 1, MONDAY + dt.timedelta(days=i), exercise, p) for i, p in enumerate(pains)]


@pytest.mark.parametrize(
    ("pain", "previous", "high", "risen"),
    [
        (6, None, False, False),
        (7, None, True, False),  # severe starts at 7
        (10, 10, True, False),
        (5, 3, False, True),  # exactly 2 up
        (4, 3, False, False),  # 1 up: within the scale's noise
        (2, 6, False, False),  # falling pain is good news
        (9, 2, True, True),
        (None, 3, False, False),  # skipped
    ],
)
def test_high_and_risen(pain: int | None, previous: int | None, high: bool, risen: bool) -> None:
    assert (is_high(pain), has_risen(pain, previous), is_flagged(pain, previous)) == (high, risen, high or risen)


def test_flags_compare_with_the_previous_answer_whatever_the_exercise_and_skip_unanswered() -> None:
    history = answers(2, None, 4, 3, 8, 6)
    history[3] = Answer(4, history[3].started_at, "shoulder_abduction", 3)  # another exercise still counts
    flags = pain_flags(reversed(history))  # any order in, oldest-first rule
    assert {i: (f.pain, f.previous, f.high, f.risen) for i, f in flags.items()} == {
        3: (4, 2, False, True),  # 2 -> (skipped) -> 4: the skipped answer neither flags nor resets
        5: (8, 3, True, True),
    }
    assert flags[5].describe() == "pain 8/10, pain up 3→8" and flags[3].describe() == "pain up 2→4"
    assert flags[5].describe("zh") == "疼痛 8/10、疼痛上升 3→8"
    assert all(f.open for f in flags.values())


def test_same_start_time_is_ordered_by_session_id() -> None:
    same = MONDAY
    flags = pain_flags([Answer(2, same, "squat", 6), Answer(1, same, "squat", 3)])
    assert list(flags) == [2] and flags[2].previous == 3


def test_reviews_travel_with_their_flag_and_newest_first_orders_by_start() -> None:
    review = FlagReview(5, "AB", "clinic-pc", MONDAY + dt.timedelta(days=9), "called, squats paused")
    flags = pain_flags(answers(2, 4, 1, 1, 8), {5: review, 1: review})
    assert flags[5].review == review and not flags[5].open
    assert flags[2].review is None and flags[2].open
    assert 1 not in flags  # a review of an unflagged answer does not make a flag
    assert [f.session_id for f in newest_first(flags.values())] == [5, 2]


def test_the_patients_advice_says_what_to_do_for_either_rule_in_both_languages() -> None:
    high = pain_advice(8, "en")
    risen = pain_advice(5, "en", previous=3)
    assert high.startswith("Your pain is high") and "stop the exercise that hurts" in high
    assert risen.startswith("Your pain is up from 3 to 5") and "contact your therapist" in risen
    assert pain_advice(8, "en", previous=2) == high  # high says it all
    assert pain_advice(4, "en", previous=3) == pain_advice(6, "en") == pain_advice(None, "en", 1) == ""
    zh = pain_advice(5, "zh", previous=3)
    assert "3" in zh and "5" in zh and "停止" in zh and "治疗师" in zh
