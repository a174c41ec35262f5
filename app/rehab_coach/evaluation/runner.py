"""Run the app's engine and the naive counter over every clip of a manifest."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rehab_coach.engine.coach import Coach
from rehab_coach.engine.reps import DEFAULT_PARAMS, CountingParams
from rehab_coach.engine.templates import load_template_by_id
from rehab_coach.evaluation.manifest import Clip
from rehab_coach.evaluation.naive import naive_count
from rehab_coach.evaluation.scoring import ClipResult
from rehab_coach.keypoints.types import PoseFrame
from rehab_coach.session.analysis import StageTimer, run_engine


def evaluate_clip(
    clip: Clip,
    frames: Iterable[PoseFrame],
    world_angles: bool = False,
    counting: CountingParams = DEFAULT_PARAMS,
) -> ClipResult:
    frames = list(frames)
    template = load_template_by_id(clip.exercise)
    coach = run_engine(Coach(template, world_angles=world_angles, counting=counting), frames, StageTimer())
    complete = [rep for rep in coach.reps if rep.complete]
    faults = {
        fault: {"truth": sorted(indices), "app": [i for i, rep in enumerate(complete, start=1) if fault in rep.faults]}
        for fault, indices in clip.faults.items()
    }
    return ClipResult(
        file=Path(clip.file).name,
        exercise=clip.exercise,
        view=clip.view,
        reps=clip.reps,
        partial_reps=clip.partial_reps,
        app_reps=coach.rep_count,
        app_partial=coach.partial_count,
        naive_reps=naive_count(template, frames),
        naive_right=naive_count(template, frames, "right"),
        detected_view=coach.view_summary(),
        faults=faults,
        source=clip.source,
        frames=len(frames),
        frames_with_person=coach.frames_with_person,
    )
