"""YOLO-NAS Pose letterboxing and flat-output decoding.

Fast: no model, no tools environment.
"""

from __future__ import annotations

import numpy as np
import pytest

from rehab_coach.keypoints.types import NUM_KEYPOINTS, KeyPoints, Person
from rehab_coach.pose.letterbox import (
    FLAT_COLUMNS,
    PAD_VALUE,
    DecodeThresholds,
    Letterbox,
    decode_flat,
    letterbox_image,
    to_flat,
    to_model_input,
)


def _frame(height: int, width: int) -> np.ndarray:
    """BGR frame with distinct channels and a white marker at a known spot."""
    img = np.zeros((height, width, 3), np.uint8)
    img[..., 0], img[..., 1], img[..., 2] = 10, 20, 30
    return img


@pytest.mark.parametrize(
    ("height", "width", "size", "content"),
    [
        (1920, 1080, 320, (320, 180)),
        (1080, 1920, 320, (180, 320)),
        (720, 1280, 640, (360, 640)),
        (500, 500, 416, (416, 416)),
    ],
)
def test_letterbox_portrait_and_landscape(height: int, width: int, size: int, content: tuple[int, int]) -> None:
    boxed, box = letterbox_image(_frame(height, width), size)
    assert boxed.shape == (size, size, 3)
    assert (box.content_height, box.content_width) == content
    ch, cw = content
    assert (boxed[:ch, :cw] == (10, 20, 30)).all()  # content top-left, same channel order
    assert (boxed[ch:] == PAD_VALUE).all() and (boxed[:, cw:] == PAD_VALUE).all()  # bottom/right grey padding
    assert box.scale == pytest.approx(size / max(height, width))


def test_letterbox_upscales_small_frames() -> None:
    boxed, box = letterbox_image(_frame(120, 160), 320)
    assert box.scale == 2.0 and (box.content_height, box.content_width) == (240, 320)
    assert (boxed[240:] == PAD_VALUE).all()


def test_model_input_is_uint8_rgb_nchw() -> None:
    nchw, box = to_model_input(_frame(1920, 1080), 320)
    assert nchw.shape == (1, 3, 320, 320) and nchw.dtype == np.uint8 and nchw.flags.c_contiguous
    assert tuple(nchw[0, :, 0, 0]) == (30, 20, 10)  # BGR (10, 20, 30) became RGB
    assert tuple(nchw[0, :, -1, -1]) == (PAD_VALUE,) * 3


@pytest.mark.parametrize(("height", "width"), [(1920, 1080), (1080, 1920)])
def test_marker_maps_back_to_original_pixels(height: int, width: int) -> None:
    """A bright square drawn in the frame is found at to_model(x) in the model input, and maps back."""
    img = _frame(height, width)
    x, y = int(width * 0.7), int(height * 0.3)
    img[y - 30 : y + 30, x - 30 : x + 30] = 255
    boxed, box = letterbox_image(img, 320)
    ys, xs = np.nonzero(boxed[..., 0] > 200)
    centre_model = np.array([xs.mean(), ys.mean()])
    np.testing.assert_allclose(centre_model, box.to_model([x - 0.5, y - 0.5]), atol=1.0)
    np.testing.assert_allclose(box.to_frame(centre_model), [x - 0.5, y - 0.5], atol=1.0 / box.scale)


def _row(
    score: float, kp_model: np.ndarray, bbox_model: tuple[float, float, float, float], image: int = 0
) -> np.ndarray:
    return np.concatenate([[image], bbox_model, [score], kp_model.reshape(-1)])


def test_decode_maps_to_frame_pixels_and_sorts() -> None:
    box = Letterbox.fit(1080, 1920, 320)  # portrait, scale 1/6
    kp = np.column_stack(
        [np.arange(NUM_KEYPOINTS) * 10.0, np.arange(NUM_KEYPOINTS) * 5.0, np.linspace(0.1, 0.9, NUM_KEYPOINTS)]
    )
    rows = np.stack([_row(0.6, kp, (10, 20, 100, 200)), _row(0.9, kp + 1, (11, 21, 101, 201))]).astype(np.float32)
    people = decode_flat(rows, box, DecodeThresholds(min_score=0.5))
    assert [round(p.score, 2) for p in people] == [0.9, 0.6]
    np.testing.assert_allclose(people.xy[1], kp[:, :2] * 6, rtol=1e-6)
    np.testing.assert_allclose(people.confidence[1], kp[:, 2], rtol=1e-6)
    np.testing.assert_allclose(people.box[1], [60, 120, 600, 1200], rtol=1e-6)
    assert all(isinstance(p, Person) for p in people)  # one person at a time, for the one-patient consumers
    np.testing.assert_allclose(people[1].bbox, people.box[1])


def test_decode_applies_thresholds_and_image_index() -> None:
    box = Letterbox.fit(640, 480, 640)
    kp = np.ones((NUM_KEYPOINTS, 3))
    rows = np.stack(
        [_row(s, kp, (0, 0, 1, 1), image=i) for s, i in ((0.2, 0), (0.7, 0), (0.8, 1), (0.95, 0), (0.5, 0))]
    )
    people = decode_flat(rows, box, DecodeThresholds(min_score=0.5, max_people=2))
    assert [p.score for p in people] == [0.95, 0.7]  # 0.8 belongs to image 1; capped at 2 people


def test_decode_empty_output() -> None:
    box = Letterbox.fit(640, 480, 320)
    assert decode_flat(np.zeros((0, FLAT_COLUMNS), np.float32), box) == KeyPoints.empty()
    assert decode_flat(np.zeros((0,), np.float32), box) == KeyPoints.empty()


def test_flat_round_trip() -> None:
    box = Letterbox.fit(1280, 720, 640)
    rng = np.random.default_rng(1)
    rows = np.column_stack([np.zeros(3), rng.uniform(0, 640, (3, 4)), [0.9, 0.8, 0.7], rng.uniform(0, 1, (3, 51))])
    flat = to_flat(decode_flat(rows, box, DecodeThresholds(0.0)))
    np.testing.assert_allclose(box.to_model(flat[:, 1:5].reshape(-1, 2)).reshape(-1, 4), rows[:, 1:5], rtol=1e-9)


def test_letterbox_rejects_empty_frames() -> None:
    with pytest.raises(ValueError):
        Letterbox.fit(0, 100, 320)
