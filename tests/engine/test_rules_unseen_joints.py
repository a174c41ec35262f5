"""A rule about a joint the camera cannot see never fires (issue 11, defect 4): the rule engine
over a real template whose rules use `not`, `!=` and `not rep_max(...)`."""

import math

import yaml

from rehab_coach.engine.rules import RuleEngine
from rehab_coach.engine.templates import parse_template
from rehab_coach.paths import exercises_dir


def _template_with(rules):
    data = yaml.safe_load((exercises_dir() / "squat.yaml").read_text(encoding="utf-8"))
    data["rules"] = rules
    return parse_template(yaml.safe_dump(data), "squat.yaml")


def test_frame_and_rep_rules_on_a_missing_measure_never_fire():
    template = _template_with(
        [
            {"id": "not_deep", "when": "not knee < 100", "phase": "rep", "for_seconds": 0, "cue": "Go deeper"},
            {"id": "not_ninety", "when": "knee != 90", "phase": "rep", "for_seconds": 0, "cue": "Stop at ninety"},
            {"id": "no_peak", "when": "not rep_max(knee) > 0", "scope": "rep", "cue": "Move the knee"},
        ]
    )
    engine = RuleEngine(template)
    unseen = {name: math.nan for name in template.measure_names()}
    for i in range(30):
        assert engine.frame(unseen, "descent", i / 30) == []
    assert engine.rep_end({"knee": [math.nan] * 30}, 2.0) == []

    seen = {**unseen, "knee": 120.0}
    assert {r.id for r in engine.frame(seen, "descent", 1.1)} == {"not_deep", "not_ninety"}  # seen, they do fire
    assert [r.id for r in engine.rep_end({"knee": [-5.0, -3.0]}, 2.0)] == ["no_peak"]
