"""Frames shrunk for the screen: the size of the view, the picture of one area resize."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from rehab_coach.session.live.screen_frames import display_image


@pytest.mark.parametrize(
    ("limit", "grey_levels"),
    [((394, 700), 1.0), ((1280, 720), 1.0), ((540, 960), 1.0), ((1000, 1500), 1.0), ((100, 100), 3.0)],
)
def test_display_image_fits_the_view_and_looks_like_area_averaging(
    lunge_video: Path, limit: tuple[int, int], grey_levels: float
) -> None:
    """The fast two-step shrink gives the size and (within a grey level on average; a few for a thumbnail)
    the picture of one area resize."""
    cap = cv2.VideoCapture(str(lunge_video))
    ok, frame = cap.read()
    cap.release()
    assert ok and frame.shape == (1920, 1080, 3)
    shown = display_image(frame, limit)
    scale = min(1.0, limit[0] / 1080, limit[1] / 1920)
    assert (shown.shape[1], shown.shape[0]) == (round(1080 * scale), round(1920 * scale))
    reference = cv2.resize(frame, (shown.shape[1], shown.shape[0]), interpolation=cv2.INTER_AREA)
    assert np.abs(shown.astype(int) - reference).mean() < grey_levels
