import math

import pytest

from rehab_coach.engine.expressions import ExpressionError, compile_expression

NAMES = {"knee", "knee_left", "knee_right", "trunk"}


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("knee < 100", {"knee": 90}, True),
        ("knee < 100", {"knee": 110}, False),
        ("knee < 100 and trunk > 45", {"knee": 90, "trunk": 50}, True),
        ("knee < 100 and not trunk > 45", {"knee": 90, "trunk": 50}, False),
        ("knee > 170 or trunk > 45", {"knee": 90, "trunk": 50}, True),
        ("abs(knee_left - knee_right) > 15", {"knee_left": 90, "knee_right": 120}, True),
        ("max(knee_left, knee_right) - min(knee_left, knee_right) >= 30", {"knee_left": 90, "knee_right": 120}, True),
        ("80 < knee < 100", {"knee": 90}, True),
        ("80 < knee < 100", {"knee": 100}, False),
        ("-knee * 2 / 4 == -45", {"knee": 90}, True),
        ("(knee + 10) * 2 > 200", {"knee": 95}, True),
    ],
)
def test_frame_expressions_evaluate(text, values, expected):
    assert compile_expression(text, NAMES).test(values) is expected


def test_missing_measure_makes_comparisons_false():
    rule = compile_expression("knee < 100", NAMES)
    assert rule.test({"knee": math.nan}) is False
    assert rule.test({}) is False
    assert compile_expression("abs(knee) > 1", NAMES).test({"knee": math.nan}) is False


def test_rep_aggregates():
    rule = compile_expression("rep_min(knee) > 100 or duration < 1", NAMES, "rep")
    assert rule.test({"knee": [170, 120, 165], "duration": 2.0}) is True
    assert rule.test({"knee": [170, 90, 165], "duration": 2.0}) is False
    assert compile_expression("rep_range(knee) > 60", NAMES, "rep").test({"knee": [170, 100, 160]}) is True
    assert compile_expression("rep_mean(trunk) > 10", NAMES, "rep").test({"trunk": [math.nan, math.nan]}) is False


def test_names_lists_what_the_rule_reads():
    assert compile_expression("abs(knee_left - knee_right) > 15", NAMES).names == {"knee_left", "knee_right"}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("kne < 100", "unknown name 'kne'"),
        ("knee <", "ends too early"),
        ("knee", "must be a condition"),
        ("knee + (trunk > 1) > 2", "arithmetic needs a number"),
        ("knee > 1 and 3", "'and' needs a bool"),
        ("__import__('os') > 1", "unexpected character"),
        ("knee.real > 1", "unexpected character"),
        ("open(knee) > 1", "unknown function 'open'"),
        ("abs(knee, trunk) > 1", "abs() takes one argument"),
        ("min(knee) > 1", "two or more arguments"),
        ("rep_min(knee) > 1", "only allowed in rep rules"),
        ("knee > 1)", "unexpected ')'"),
        ("(knee > 1", "expected ')'"),
    ],
)
def test_errors_are_reported_at_compile_time(text, problem):
    with pytest.raises(ExpressionError) as info:
        compile_expression(text, NAMES)
    assert problem in str(info.value)


def test_bare_measure_in_rep_rule_needs_an_aggregate():
    with pytest.raises(ExpressionError, match="needs an aggregate"):
        compile_expression("knee > 100", NAMES, "rep")


# ---- the rule language stays safe: hostile texts fail at compile time ---------------------


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("knee.__class__ > 1", "unexpected character"),  # no attribute access
        ("__class__ > 1", "unknown name '__class__'"),  # dunder names are just unknown names
        ("__builtins__ > 1", "unknown name '__builtins__'"),
        ("import os", "unknown name 'import'"),
        ("__import__ > 1", "unknown name '__import__'"),
        ("eval(knee) > 1", "unknown function 'eval'"),
        ("getattr(knee, knee) > 1", "unknown function 'getattr'"),
        ("(lambda: 1) > 0", "unexpected character"),
        ("knee ** 2 > 1", "expected a number, a name or '('"),  # no power operator
        ("9 ** 9 ** 9 > 1", "expected a number, a name or '('"),
        ("1e999 > knee", "unexpected 'e999'"),  # no exponent notation either
        ("1" + "0" * 400 + " > knee", "longer than 400 characters"),
        ("1" + "0" * 320 + " > knee", "number too large"),
        ("knee[0] > 1", "unexpected character"),
        ("'knee' > 1", "unexpected character"),
        ("knee > 1; knee < 2", "unexpected character"),
        ("knee = 1", "unexpected character"),
        ("knee > ٣", "unexpected character"),  # digits of other scripts are not numbers here
        ("and > 1", "needs a condition before it"),
        ("(" * 30 + "knee" + ")" * 30 + " > 1", "nested more than 24 levels"),
        ("not " * 30 + "knee > 1", "nested more than 24 levels"),
        ("-" * 30 + "knee > 1", "nested more than 24 levels"),
        ("abs(" * 30 + "knee" + ")" * 30 + " > 1", "nested more than 24 levels"),
        (" or ".join(["knee > 1"] * 60), "longer than 400 characters"),
    ],
)
def test_hostile_rules_are_rejected_at_compile_time(text, problem):
    with pytest.raises(ExpressionError) as info:
        compile_expression(text, NAMES)
    assert problem in str(info.value)


def test_nesting_within_the_limit_compiles():
    assert compile_expression("(" * 20 + "knee" + ")" * 20 + " > 1", NAMES).test({"knee": 2})


def test_division_by_zero_is_a_missing_value_not_a_warning(recwarn):
    rule = compile_expression("knee / (trunk - trunk) > 1", NAMES)
    assert rule.test({"knee": 90, "trunk": 5}) is False
    # Unknown (not false) stays unknown through `not`: the rule does not fire (issue 11).
    assert compile_expression("not knee / 0 > 1", NAMES).test({"knee": 90}) is False
    assert compile_expression("not knee / 0 > 1", NAMES).truth({"knee": 90}) is None
    assert not recwarn.list


@pytest.mark.parametrize(
    "text",
    [
        "not knee > 100",
        "knee != 90",
        "not knee == 90",
        "not (knee > 100 or trunk > 5)",
        "knee > 100 or not trunk > 0",
        "not not not knee > 1",
        "0 < knee < 200 or knee != 3",
    ],
)
def test_an_unseen_joint_never_fires_a_rule_through_not_or_not_equal(text):
    rule = compile_expression(text, NAMES)
    assert rule.truth({"knee": math.nan, "trunk": 1.0}) is None
    assert rule.test({"knee": math.nan, "trunk": 1.0}) is False


def test_not_rep_max_of_an_unseen_measure_is_unknown():
    rule = compile_expression("not rep_max(trunk) > 0", NAMES, "rep")
    assert rule.test({"trunk": [math.nan, math.nan]}) is False and rule.truth({"trunk": [math.nan]}) is None
    assert rule.test({"trunk": [-1.0, -2.0]}) is True


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("knee > 1 and trunk > 1", {"knee": math.nan, "trunk": 0.0}, False),  # false and unknown is false
        ("knee > 1 and trunk > 1", {"knee": math.nan, "trunk": 5.0}, None),
        ("knee > 1 or trunk > 1", {"knee": math.nan, "trunk": 5.0}, True),  # true or unknown is true
        ("knee > 1 or trunk > 1", {"knee": math.nan, "trunk": 0.0}, None),
        ("0 < trunk < knee", {"knee": math.nan, "trunk": -1.0}, False),
        ("0 < trunk < knee", {"knee": math.nan, "trunk": 1.0}, None),
    ],
)
def test_and_or_follow_kleene_logic(text, values, expected):
    assert compile_expression(text, NAMES).truth(values) is expected


def test_constants_are_folded_and_are_not_measures():
    rule = compile_expression("knee < limit - 5", NAMES, constants={"limit": 100})
    assert rule.test({"knee": 90}) is True and rule.test({"knee": 96}) is False
    assert rule.names == {"knee"}
    with pytest.raises(ExpressionError, match="unknown name 'limit'"):
        compile_expression("knee < limit", NAMES)
