"""Offline analysis runs the live session's code: the counts are the plain coach loop's, frame for frame."""

from __future__ import annotations

from dataclasses import replace

from rehab_coach.engine.coach import Coach
from rehab_coach.engine.templates import load_template_by_id
from rehab_coach.keypoints.types import KeyPoints, PoseFrame
from rehab_coach.session.analysis import StageTimer, run_engine
from rehab_synth import generate


def frames_with_a_gap() -> list[PoseFrame]:
    """Eight squats (more than the dosage of 3) with two seconds of nobody in the middle."""
    clip = generate("squat", reps=8, seed=5, noise="low")
    middle = clip.frames[len(clip.frames) // 2].t
    return [replace(f, keypoints=KeyPoints.empty()) if middle <= f.t < middle + 2.0 else f for f in clip.frames]


def test_analysis_through_the_session_counts_what_the_plain_coach_loop_counts() -> None:
    template = load_template_by_id("squat", {"dosage.sets": 1, "dosage.reps": 3})
    frames = frames_with_a_gap()
    plain = Coach(template)
    for frame in frames:
        plain.process(frame)
    plain.finish()
    timer = StageTimer()
    session = run_engine(Coach(template), frames, timer)
    assert session.frames == plain.frames == len(frames)  # every frame coached: no countdown, no pause, no rest
    assert session.rep_count > template.dosage.reps  # one open-ended set: the dosage does not stop it
    assert [(r.index, r.complete, r.start_t, r.end_t, r.faults) for r in session.reps] == [
        (r.index, r.complete, r.start_t, r.end_t, r.faults) for r in plain.reps
    ]
    assert [(c.t, c.id) for c in session.cue_log] == [(c.t, c.id) for c in plain.cue_log]
    assert len(timer.samples["engine"]) == len(frames)
