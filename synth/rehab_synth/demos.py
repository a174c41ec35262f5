"""Make the exercise cards' demonstrations (`rehab_coach.engine.demos`) from the motion generator."""

from __future__ import annotations

import math

from rehab_coach.engine.demos import DemoClip
from rehab_synth.generator import generate

MAX_FRAMES = 90  # a hold's long still part is sampled more sparsely: the loop stays a few seconds
DEMO_FPS = 15.0


def make_demo(exercise_id: str) -> DemoClip:
    """A clean, noise-free correct rep with a short stand before and after."""
    clip = generate(exercise_id, reps=1, seed=1, noise="none", stand_before=0.6, stand_after=0.8, fps=DEMO_FPS)
    keypoints = clip.clean[:, :, :2]
    step = max(1, math.ceil(len(keypoints) / MAX_FRAMES))
    frames = [
        [(round(float(x), 1), round(float(y), 1)) if math.isfinite(x) and math.isfinite(y) else None for x, y in frame]
        for frame in keypoints[::step]
    ]
    return DemoClip(
        exercise=exercise_id, view=clip.view, fps=DEMO_FPS / step, width=clip.width, height=clip.height, frames=frames
    )
