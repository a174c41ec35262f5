"""A measure's unit follows it to every axis: degrees for angles, torso lengths for the rest."""

from __future__ import annotations

from rehab_coach.engine.templates import load_template_by_id
from rehab_coach.engine.units import primary_units, session_units


def test_a_heel_raise_reads_in_torso_lengths_and_a_squat_in_degrees() -> None:
    heel = session_units("heel_raise", "ankle_rise")
    assert not heel.angle and "torso length" in heel.axis_label and "torso length" in heel.excursion_label
    squat = session_units("squat", None)  # no stored measure: the template's primary
    assert squat.angle and squat.axis_label.endswith("(°)") and squat.excursion_label == "excursion (deg)"
    assert "躯干长度" in session_units("heel_raise", "ankle_rise", "zh").excursion_label


def test_the_axis_range_stays_on_the_scale_of_the_thresholds() -> None:
    """The heel-raise plot ran from -100 to 300 beside lines labelled 0.04-0.18."""
    primary = load_template_by_id("heel_raise").primary
    low, high = primary_units(load_template_by_id("heel_raise")).axis_range([primary.end, primary.target])
    assert -0.2 < low < primary.end and primary.target < high < 0.5
    low, high = primary_units(load_template_by_id("squat")).axis_range([90.0, 160.0])
    assert (low, high) == (65.0, 187.5)


def test_an_exercise_no_longer_in_the_library_reads_as_an_angle() -> None:
    assert session_units("retired_exercise", "knee").angle
