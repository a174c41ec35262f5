"""The exercise card's stick figure fits its card, head included (issue 19, defect 12d)."""

from __future__ import annotations

import numpy as np
import pytest

from rehab_coach.engine.demos import figure_layout
from rehab_synth.demos import make_demo

NOSE = 0


@pytest.mark.parametrize("exercise", ["squat", "lunge", "sit_to_stand", "shoulder_flexion", "push_up"])
@pytest.mark.parametrize("size", [(220, 220), (320, 320), (450, 440), (600, 300), (250, 600)])
def test_every_frame_and_the_head_stay_inside_the_card(exercise: str, size: tuple[int, int]) -> None:
    width, height = size
    points = make_demo(exercise).points()
    layout = figure_layout(points, width, height)
    screen = points * layout.scale + np.array(layout.offset)
    seen = np.isfinite(screen).all(axis=-1)
    caps = layout.line_width / 2
    xs, ys = screen[..., 0][seen], screen[..., 1][seen]
    assert xs.min() - caps >= 0 and xs.max() + caps <= width and ys.min() - caps >= 0 and ys.max() + caps <= height
    head = screen[:, NOSE][seen[:, NOSE]]
    reach = layout.head_radius + layout.line_width / 2  # the circle and its pen
    assert (head[:, 1] - reach).min() >= 0, "the head is cut off at the top"
    assert (head[:, 0] - reach).min() >= 0 and (head[:, 0] + reach).max() <= width
    # Not shrunk for it more than the room the head needs: the figure fills the card one way.
    assert max((xs.max() - xs.min()) / width, (ys.max() - ys.min()) / height) > 0.5
