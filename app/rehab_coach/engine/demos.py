"""Demonstrations of a correct rep for the exercise cards: looping keyframes, one small JSON file per exercise.

They are made from the development motion generator when the app is built (`scripts/make_demos.py`,
run by the wheel's build hook, the app bundle build and `scripts/setup.sh`) and only read here: the
shipped app never generates motion. An exercise without one (a clinic's own template) shows its card
without a demonstration. The card draws the keyframes as a stick figure seen from the camera's side.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from rehab_coach.errors import InputError, first_problem
from rehab_coach.keypoints.types import NUM_KEYPOINTS

log = logging.getLogger(__name__)

FORMAT = 1

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
        return np.array(
            [[p if p is not None else (math.nan, math.nan) for p in frame] for frame in self.frames], dtype=np.float64
        )


@dataclass(frozen=True)
class FigureLayout:
    """Where the card draws a clip: screen = point * scale + offset, with its line width and head radius."""

    scale: float
    offset: tuple[float, float]
    line_width: float
    head_radius: float


FIGURE_MARGIN = 16.0  # pixels between the figure and the card's edge
HEAD_LINES = 3.0  # the head's radius in line widths


def figure_layout(points: np.ndarray, width: float, height: float, margin: float = FIGURE_MARGIN) -> FigureLayout:
    """Fit every frame of a clip's (frames, 17, 2) points in a `width` x `height` card, centred. The
    head is a circle round the nose and the bones have round caps: both reach past the points, so
    the fit leaves them room on every side (the head was cut off at the top of the card)."""
    line = max(3.0, min(width, height) / 45)
    head = HEAD_LINES * line
    pad = margin + head + line  # the circle's radius plus its own pen, and the caps
    finite = points[np.isfinite(points).all(axis=-1)]
    if not finite.size:
        return FigureLayout(1.0, (width / 2, height / 2), line, head)
    low, high = finite.min(axis=0), finite.max(axis=0)
    span_x, span_y = max(1.0, float(high[0] - low[0])), max(1.0, float(high[1] - low[1]))
    scale = max(0.0, min((width - 2 * pad) / span_x, (height - 2 * pad) / span_y))
    centre_x, centre_y = float(low[0] + high[0]) / 2, float(low[1] + high[1]) / 2
    return FigureLayout(scale, (width / 2 - centre_x * scale, height / 2 - centre_y * scale), line, head)


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
        where, problem = first_problem(exc, "the file")
        raise InputError(f"{path}: {where}: {problem}") from None
    if any(len(frame) != NUM_KEYPOINTS for frame in clip.frames):
        raise InputError(f"{path}: frames: every frame needs {NUM_KEYPOINTS} keypoints")
    return clip


def load_demo(exercise_id: str, *folders: Path | None) -> DemoClip | None:
    """The first readable demonstration of this exercise in `folders` (None entries are skipped);
    None when there is none. A damaged file is logged and passed over."""
    for folder in folders:
        if folder is not None and (path := folder / f"{exercise_id}.json").is_file():
            try:
                return read_demo(path)
            except InputError as exc:
                log.warning("%s", exc)
    return None
