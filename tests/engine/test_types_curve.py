"""The engine's shared types (engine/types.py): the rep curve's one rounding."""

from __future__ import annotations

from rehab_coach.engine.types import RepResult, rounded_curve


def test_a_rep_curve_is_rounded_one_way_for_the_report_and_the_store() -> None:
    curve = [(10.123456, 88.8888), (10.456789, 91.2345)]
    assert rounded_curve(curve) == [(10.123, 88.89), (10.457, 91.23)]
    rep = RepResult(1, 10.1, 10.5, True, None, 50, 90, 170, 70.0, {}, {}, [], curve=curve)
    reported = rep.to_json()["curve"]
    assert reported == [[10.123, 88.89], [10.457, 91.23]]
    assert rep.curve == curve  # only what is written is rounded, never the rep the session holds
