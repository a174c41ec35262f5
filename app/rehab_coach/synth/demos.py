"""Demonstrations of a correct rep for the exercise cards: keyframes from the motion generator.

Generated when the app is built (`scripts/make_demos.py`, run by the wheel's build hook and the
app bundle build) and shipped as one small JSON file per exercise; a source checkout makes a
missing one on first use and keeps it with the user's data. The card draws the keyframes as a
stick figure seen from the camera's side, looping.
"""

from __future__ import annotations

import json
import logging
import math
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from rehab_coach.errors import InputError, RehabCoachError
from rehab_coach.pose.types import NUM_KEYPOINTS
from rehab_coach.synth.generator import generate

log = logging.getLogger(__name__)

FORMAT = 1
MAX_FRAMES = 90  # a hold's long still part is sampled more sparsely: the loop stays a few seconds
DEMO_FPS = 15.0

Point = tuple[float, float] | None  # None: the joint is not in view


class DemoClip(BaseModel):
    """One correct rep (or hold): 2-D COCO-17 keypoints per frame, in the generator's image pixels."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: int = FORMAT
    exercise: str
    view: str
    fps: float = Field(gt=0)
    width: int = Field(gt=0)
    height: int = Field(gt=0)
    frames: list[list[Point]] = Field(min_length=2)

    def points(self) -> np.ndarray:
        """(frames, 17, 2) with NaN where a joint is not in view."""
        return np.array([[p if p is not None else (math.nan, math.nan) for p in frame] for frame in self.frames],
                        dtype=np.float64)


def make_demo(exercise_id: str) -> DemoClip:
    """A clean, noise-free correct rep with a short stand before and after."""
    clip = generate(exercise_id, reps=1, seed=1, noise="none", stand_before=0.6, stand_after=0.8, fps=DEMO_FPS)
    keypoints = clip.clean[:, :, :2]
    step = max(1, math.ceil(len(keypoints) / MAX_FRAMES))
    frames = [[(round(float(x), 1), round(float(y), 1)) if math.isfinite(x) and math.isfinite(y) else None
               for x, y in frame] for frame in keypoints[::step]]
    return DemoClip(exercise=exercise_id, view=clip.view, fps=DEMO_FPS / step, width=clip.width, height=clip.height,
                    frames=frames)


def write_demo(clip: DemoClip, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{clip.exercise}.json"
    path.write_text(clip.model_dump_json(), encoding="utf-8")
    return path


def read_demo(path: Path) -> DemoClip:
    """Raises InputError naming the file and the problem."""
    try:
        clip = DemoClip.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: cannot read the demonstration: {exc}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(f"{path}: {where}: {first['msg']}") from None
    if any(len(frame) != NUM_KEYPOINTS for frame in clip.frames):
        raise InputError(f"{path}: frames: every frame needs {NUM_KEYPOINTS} keypoints")
    return clip


def load_demo(exercise_id: str, shipped: Path | None, cache: Path) -> DemoClip | None:
    """The shipped demonstration, else one made (once) into `cache`; None when the generator has no
    motion for this exercise (a clinic's own template)."""
    for folder in (shipped, cache):
        if folder is not None and (path := folder / f"{exercise_id}.json").is_file():
            try:
                return read_demo(path)
            except InputError as exc:
                log.warning("%s", exc)
    try:
        clip = make_demo(exercise_id)
    except (KeyError, ValueError, RehabCoachError) as exc:
        log.info("no demonstration for %s: %s", exercise_id, exc)
        return None
    try:
        write_demo(clip, cache)
    except OSError as exc:  # a read-only or full disk: show it anyway, make it again next time
        log.warning("demonstration for %s not cached: %s", exercise_id, exc)
    return clip
