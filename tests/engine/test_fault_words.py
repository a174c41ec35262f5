"""A fault is named from the exercise that found it: squat and glute bridge share the rule id
`shallow` with different cues, and the engine's own faults have words of their own."""

from __future__ import annotations

import re

from rehab_coach.engine.fault_words import fault_cue, fault_name
from rehab_coach.engine.feedback import SHORT_OF_TARGET, TOO_FAST
from rehab_coach.engine.templates import load_library
from rehab_coach.reports.names import fault_name as report_fault_name

SNAKE_CASE = re.compile(r"\b[a-z]+_[a-z_]+\b")


def test_a_shared_rule_id_takes_the_cue_of_its_own_exercise() -> None:
    library = load_library()
    squat, bridge = library.templates["squat"], library.templates["glute_bridge"]
    squat_cue = next(r.cue for r in squat.rules if r.id == "shallow")
    bridge_cue = next(r.cue for r in bridge.rules if r.id == "shallow")
    assert squat_cue.get("zh") != bridge_cue.get("zh")  # the case the bug hid
    assert fault_name("shallow", squat, "zh") == squat_cue.get("zh")
    assert fault_name("shallow", bridge, "zh") == bridge_cue.get("zh")
    assert report_fault_name("shallow", "squat", library, "zh") == squat_cue.get("zh")
    assert report_fault_name("shallow", "glute_bridge", library, "zh") == bridge_cue.get("zh")
    assert fault_cue("shallow", squat, "en") == squat_cue.get("en")


def test_the_engines_own_faults_are_words_in_both_languages() -> None:
    squat = load_library().templates["squat"]
    for fault in (SHORT_OF_TARGET, TOO_FAST):
        for language in ("en", "zh"):
            for words in (fault_name(fault, squat, language), fault_cue(fault, squat, language)):
                assert not SNAKE_CASE.search(words), words
    assert fault_cue(SHORT_OF_TARGET, squat, "en") == "Try to move a little further"
    assert fault_name("knee_past_toes", None, "en") == "Knee past toes"  # an exercise no longer in the library
