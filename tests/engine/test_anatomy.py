"""Honest angles: no reported joint angle outside the joint's anatomical range (engine/anatomy.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from rehab_coach.engine.anatomy import (
    JOINT_RANGES,
    AngleSource,
    RepAngles,
    angle_range,
    checked_measures,
    honest_peaks,
    honest_span,
)
from rehab_coach.engine.coach import Coach
from rehab_coach.engine.templates import load_template_by_id
from rehab_coach.session.report import SourceInfo, build_report, human_summary
from rehab_synth import generate


def _run(clip, exercise: str = "elbow_flexion") -> Coach:
    coach = Coach(load_template_by_id(exercise))
    for frame in clip.frames:
        coach.process(frame)
    coach.finish()
    return coach


def _reported_angles(coach: Coach) -> list[tuple[str, float]]:
    """Every joint angle a report of this session would show: rest, extreme and peaks of each rep."""
    template, out = coach.template, []
    for rep in coach.reps:
        if template.primary.measure in checked_measures(template):
            out += [(template.primary.measure, rep.extreme), (template.primary.measure, rep.start_value)]
        for name in checked_measures(template):
            out += [(name, v) for k, v in rep.peaks.items() if k.rsplit("_", 1)[0] == name and v is not None]
    return [(name, v) for name, v in out if math.isfinite(v)]


def _all_plausible(coach: Coach) -> bool:
    ranges = checked_measures(coach.template)
    return all(ranges[name].holds(value) for name, value in _reported_angles(coach))


def test_anatomical_ranges_follow_the_published_norms():
    # Elbow flexion ends near 145-150 degrees (AAOS), so the interior angle never falls below ~30.
    elbow, knee, hip, shoulder = (JOINT_RANGES[j] for j in ("elbow", "knee", "hip", "shoulder"))
    assert not elbow.holds(1.0) and not elbow.holds(20.0) and elbow.holds(35.0) and elbow.holds(180.0)
    assert not knee.holds(10.0) and knee.holds(25.0)
    assert not hip.holds(20.0) and hip.holds(45.0)
    assert shoulder.holds(0.0) and shoulder.holds(180.0)
    assert not elbow.holds(math.nan) and not elbow.holds(181.0)


def test_each_joint_angle_measure_is_checked_by_its_middle_joint():
    curl, push_up, hinge = (load_template_by_id(e) for e in ("elbow_flexion", "push_up", "hip_hinge"))
    assert checked_measures(curl) == {"elbow": JOINT_RANGES["elbow"], "upper_arm": JOINT_RANGES["shoulder"]}
    assert angle_range(push_up.measures["body_line"]) == JOINT_RANGES["hip"]  # shoulder-hip-ankle
    assert angle_range(hinge.measures["trunk_lean"]) is None  # a segment angle: no joint to bound it


def test_an_impossible_image_angle_is_replaced_by_a_plausible_3d_one_or_by_nothing():
    elbow = JOINT_RANGES["elbow"]
    no_3d = RepAngles(world=[], foreshortened=False)
    assert honest_span(170.0, 60.0, elbow, no_3d, "elbow", "down").source is AngleSource.IMAGE
    nothing = honest_span(170.0, 4.0, elbow, no_3d, "elbow", "down")
    assert nothing.source is AngleSource.IMPLAUSIBLE and math.isnan(nothing.extreme) and math.isnan(nothing.rest)
    in_3d = RepAngles(world=[{"elbow": v} for v in (168.0, 120.0, 55.0, 110.0, 171.0)], foreshortened=False)
    measured = honest_span(170.0, 4.0, elbow, in_3d, "elbow", "down")
    assert (measured.rest, measured.extreme, measured.source) == (171.0, 55.0, AngleSource.WORLD)
    # Foreshortened: even a plausible-looking image angle is not trusted.
    turned = RepAngles(world=[], foreshortened=True)
    assert honest_span(170.0, 60.0, elbow, turned, "elbow", "down").source is AngleSource.WRONG_VIEW
    assert honest_peaks(4.0, 170.0, elbow, turned, "elbow") == (None, None, AngleSource.WRONG_VIEW)
    assert honest_peaks(None, None, elbow, no_3d, "elbow") == (None, None, AngleSource.IMAGE)  # unseen: nothing to fix
    # 3D points that are impossible too are no better than the image.
    wild = RepAngles(world=[{"elbow": 170.0}, {"elbow": 8.0}], foreshortened=True)
    assert math.isnan(honest_span(170.0, 60.0, elbow, wild, "elbow", "down").extreme)


def test_a_front_view_curl_counts_on_2d_but_reports_no_impossible_elbow():
    clip = generate("elbow_flexion", reps=3, seed=2, noise="low", view="front")
    coach = _run(clip)
    assert (coach.rep_count, coach.partial_count) == (3, 0)  # the count still follows the 2D signal
    # Seen from the front the forearm points at the camera: the 2D elbow collapses to a few degrees.
    assert min(v for rep in coach.reps for _, v in rep.curve) < JOINT_RANGES["elbow"].low
    assert _all_plausible(coach)
    assert all(math.isnan(r.extreme) and r.angle_source["elbow"] == "wrong_view" for r in coach.reps)
    assert all(r.quality_parts["rom"] is None and r.quality > 0 for r in coach.reps)
    summary = coach.session_summary()
    assert (summary.best_extreme, summary.best_extreme_source) == (None, "wrong_view")
    report = build_report(coach, "synthetic", SourceInfo("keypoints", None, 640, 480, 30.0))
    assert report["best_extreme"] is None and report["reps"][0]["extreme"] != report["reps"][0]["extreme"]  # NaN
    text = human_summary(report)
    assert "best elbow not measurable from this view" in text and "°," not in text.split("target")[1]


def test_with_3d_points_a_front_view_curl_reports_its_angles_from_3d():
    clip = generate("elbow_flexion", reps=3, seed=2, noise="low", view="front", world_noise=0.005)
    coach = _run(clip)
    assert (coach.rep_count, coach.partial_count) == (3, 0)
    assert _all_plausible(coach)
    assert all(r.angle_source == {"elbow": "world", "upper_arm": "world"} for r in coach.reps)
    # The synthetic curl bends the elbow to about 50 degrees and straightens it to about 175.
    assert all(40 < r.extreme < 65 and 160 < r.start_value <= 180 for r in coach.reps)
    summary = coach.session_summary()
    assert summary.best_extreme_source == "world" and summary.best_extreme == min(r.extreme for r in coach.reps)
    assert "(3D)" in human_summary(build_report(coach, "synthetic", SourceInfo("keypoints", None, 640, 480, 30.0)))


def test_a_side_view_curl_reports_the_image_angles_it_counted():
    clip = generate("elbow_flexion", reps=3, seed=2, noise="low", world_noise=0.005)
    coach = _run(clip)
    assert coach.rep_count == 3 and _all_plausible(coach)
    assert all(r.angle_source["elbow"] == "image" for r in coach.reps)
    # Measured in the image, the extreme is the counted curve's deepest value.
    assert [r.extreme for r in coach.reps] == pytest.approx([min(v for _, v in r.curve) for r in coach.reps], abs=0.1)


def test_a_hold_reports_no_angle_rather_than_zero_degrees():
    coach = _run(generate("wall_sit", reps=1, seed=1, noise="low"), "wall_sit")
    assert coach.reps and all(math.isnan(r.extreme) for r in coach.reps)
    assert coach.session_summary().best_extreme is None
    assert np.isfinite([r.held_seconds for r in coach.reps]).all()
