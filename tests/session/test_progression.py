"""Progression rules (rehab_coach.session.progression): the value in force on a day, from the
sessions and check-ins of the item's exercise, with every date given (no clock)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from pydantic import ValidationError

from rehab_coach.session.progression import ProgressionRule, evaluate, stored_rule

MONDAY = dt.date(2026, 11, 30)  # the rule's first day; steps land on the following Mondays


@dataclass(frozen=True)
class Done:
    """A stored session as the progression reads it."""

    reps_complete: int
    corrected_reps: int | None = None
    pain: int | None = None


def week(n: int, day: int = 0) -> dt.date:
    return MONDAY + dt.timedelta(weeks=n, days=day)


RULE = ProgressionRule(step=2, every=1, period="weeks", pain_ceiling=4, maximum=16, since=MONDAY)


def status_on(day: dt.date, days: dict[dt.date, list[Done]], rule: ProgressionRule = RULE, base: int = 10):
    return evaluate(rule, since=MONDAY, base=base, sets=1, reps=base, days=days, day=day)


def test_a_week_done_without_pain_adds_a_step_on_the_next_monday() -> None:
    days = {week(0, 1): [Done(10, pain=2)]}
    assert status_on(week(0, 6), days).value == 10  # the week is still running
    monday = status_on(week(1), days)
    assert (monday.value, monday.outcome, monday.added) == (12, "progressed", 2)
    assert monday.reason("en") == "12 reps: +2 since 30 Nov, pain under 4"
    assert monday.next_step == week(2)


def test_each_week_counts_against_the_reps_in_force_that_week() -> None:
    days = {week(0, 2): [Done(10)], week(1, 2): [Done(10)]}  # week 1 asked 12: 10 is not done
    status = status_on(week(2), days)
    assert (status.value, status.outcome, status.missed) == (12, "held_not_done", (week(1), week(1, 6)))
    assert status.reason("en") == "12 reps: +2 since 30 Nov; held: not done from 7 Dec to 13 Dec"
    days[week(1, 4)] = [Done(12)]
    assert status_on(week(2), days).value == 14


def test_pain_at_the_ceiling_holds_the_progression_and_says_so() -> None:
    days = {week(0, 1): [Done(10, pain=5)], week(0, 3): [Done(10, pain=1)]}
    status = status_on(week(1), days)
    assert (status.value, status.outcome, status.pain, status.pain_day) == (10, "held_pain", 5, week(0, 1))
    assert status.reason("en") == "10 reps: held: pain 5 on 1 Dec (ceiling 4)"
    below = {week(0, 1): [Done(10, pain=3)]}  # "under 4": 3 lets it progress
    assert status_on(week(1), below).value == 12


def test_pain_in_the_week_running_holds_the_coming_step_already() -> None:
    days = {week(0, 1): [Done(10)], week(1, 2): [Done(12, pain=6)]}
    status = status_on(week(1, 3), days)
    assert (status.value, status.outcome, status.pain) == (12, "held_pain", 6)
    assert status.reason("en") == "12 reps: +2 since 30 Nov; held: pain 6 on 9 Dec (ceiling 4)"


def test_the_therapists_corrected_count_decides_whether_a_week_was_done() -> None:
    corrected_down = {week(0, 1): [Done(10, corrected_reps=6)]}
    assert status_on(week(1), corrected_down).outcome == "held_not_done"
    corrected_up = {week(0, 1): [Done(6, corrected_reps=10)]}
    assert status_on(week(1), corrected_up).value == 12
    two_sessions = {week(0, 1): [Done(5), Done(5)]}  # a day's sessions add up, as "done" says
    assert status_on(week(1), two_sessions).value == 12


def test_the_value_stops_at_the_maximum() -> None:
    days = {week(n, 1): [Done(20)] for n in range(6)}
    status = status_on(week(6), days)
    assert (status.value, status.outcome, status.next_step) == (16, "at_maximum", None)
    assert status.reason("en") == "16 reps: +6 since 30 Nov, the maximum"
    odd = ProgressionRule(step=4, maximum=15, since=MONDAY)  # a step past the maximum stops at it
    assert status_on(week(2), days, odd).value == 15


def test_before_the_first_step_the_reason_says_when_it_comes() -> None:
    status = status_on(week(0, 3), {})
    assert (status.value, status.outcome, status.next_step) == (10, "waiting", week(1))
    assert status.reason("en") == "10 reps: first step on 7 Dec"
    assert status_on(MONDAY - dt.timedelta(days=3), {}).value == 10  # before the rule starts


def test_every_n_days_and_holds_in_seconds() -> None:
    rule = ProgressionRule(step=5, unit="seconds", every=3, period="days", maximum=40, since=MONDAY)
    days = {MONDAY + dt.timedelta(days=d): [Done(3)] for d in range(9)}
    status = evaluate(rule, since=MONDAY, base=20, sets=1, reps=3, days=days, day=MONDAY + dt.timedelta(days=9))
    assert status.value == 35 and status.reason("en") == "hold 35 s: +15 s since 30 Nov"
    assert rule.describe("en") == "+5 s of hold every 3 days, up to 40 s"


def test_rules_in_words_in_english_and_chinese() -> None:
    assert RULE.describe("en") == "+2 reps every week while pain stays under 4, up to 16 reps"
    assert ProgressionRule(step=1, every=2, maximum=12).describe("en") == "+1 rep every 2 weeks, up to 12 reps"
    chinese = RULE.describe("zh")
    assert "2" in chinese and "4" in chinese and "16" in chinese and "every" not in chinese
    assert "pain" not in status_on(week(1), {week(0, 1): [Done(10)]}).reason("zh")


def test_a_rule_is_validated_data() -> None:
    with pytest.raises(ValidationError, match="step"):
        ProgressionRule(step=0, maximum=10)
    with pytest.raises(ValidationError, match="more than 100 reps"):
        ProgressionRule(step=2, maximum=150)
    with pytest.raises(ValidationError, match="extra"):
        ProgressionRule.model_validate({"step": 2, "maximum": 12, "speed": 3})
    rule = ProgressionRule.model_validate(RULE.stored())  # the stored JSON reads back the same
    assert rule == RULE


def test_a_damaged_stored_rule_is_named_and_left_out() -> None:
    rule, problem = stored_rule({"step": "two", "maximum": 12}, "program item 7")
    assert rule is None and problem.startswith("program item 7, progression step:")
    assert stored_rule(None, "program item 7") == (None, "")
