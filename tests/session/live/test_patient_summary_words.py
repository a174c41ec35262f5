"""The patient's words that depend on a number: plurals from the catalogue ("1 set of 8", never
"1 sets of 8") and the advice after a severe pain answer."""

from __future__ import annotations

from rehab_coach.session.live.patient_summary import pain_advice
from rehab_coach.session.live.sets import sets_of_reps_text


def test_one_set_is_singular_in_english_and_chinese_has_one_form() -> None:
    assert sets_of_reps_text(1, 8, "en") == "1 set of 8"
    assert sets_of_reps_text(3, 8, "en") == "3 sets of 8"
    assert sets_of_reps_text(1, 8, "zh") == "1 组，每组 8 次"
    assert sets_of_reps_text(3, 8, "zh") == "3 组，每组 8 次"


def test_severe_pain_is_answered_with_what_to_do() -> None:
    for pain in (7, 10):
        advice = pain_advice(pain, "en")
        assert "stop the exercise that hurts" in advice and "therapist" in advice
        assert "停止" in pain_advice(pain, "zh") and "治疗师" in pain_advice(pain, "zh")
    assert pain_advice(6, "en") == pain_advice(None, "en") == ""  # below severe: the thanks alone
