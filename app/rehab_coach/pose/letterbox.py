"""Letterboxing for YOLO-NAS Pose and decoding of its flat output.

Pure numpy/OpenCV so it can be tested without any model. The geometry is the one
super-gradients uses for its COCO pose processing: scale the longest side to the
model size S (one factor for both axes, linear interpolation), pad bottom and right
with grey 127, so a model coordinate maps back by dividing by that factor.

The exported graph (preprocessing and NMS inside) takes uint8 RGB [1, 3, S, S] and
returns [N, 57]: image index, x1, y1, x2, y2, score, then 17 x (x, y, conf).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from rehab_coach.keypoints.types import NUM_KEYPOINTS, Person

PAD_VALUE = 127
FLAT_COLUMNS = 6 + 3 * NUM_KEYPOINTS  # 57


@dataclass(frozen=True)
class Letterbox:
    """How one frame was fitted into the model's S x S input."""

    size: int
    scale: float
    src_width: int
    src_height: int

    @property
    def content_width(self) -> int:
        return round(self.src_width * self.scale)

    @property
    def content_height(self) -> int:
        return round(self.src_height * self.scale)

    @classmethod
    def fit(cls, width: int, height: int, size: int) -> Letterbox:
        if width <= 0 or height <= 0 or size <= 0:
            raise ValueError(f"cannot letterbox a {width}x{height} frame to {size}")
        return cls(size=size, scale=min(size / width, size / height), src_width=width, src_height=height)

    def to_model(self, xy: np.ndarray) -> np.ndarray:
        """Original-frame pixels -> model input pixels (..., 2)."""
        return np.asarray(xy, dtype=np.float64) * self.scale

    def to_frame(self, xy: np.ndarray) -> np.ndarray:
        """Model input pixels -> original-frame pixels (..., 2)."""
        return np.asarray(xy, dtype=np.float64) / self.scale


def letterbox_image(image: np.ndarray, size: int) -> tuple[np.ndarray, Letterbox]:
    """Resize the longest side to `size` and pad bottom/right to size x size (same channel order)."""
    height, width = image.shape[:2]
    box = Letterbox.fit(width, height, size)
    if box.scale != 1.0:
        image = cv2.resize(image, (box.content_width, box.content_height), interpolation=cv2.INTER_LINEAR)
    out = np.full((size, size, *image.shape[2:]), PAD_VALUE, dtype=image.dtype)
    out[: image.shape[0], : image.shape[1]] = image
    return out, box


def to_model_input(frame_bgr: np.ndarray, size: int) -> tuple[np.ndarray, Letterbox]:
    """BGR frame -> uint8 RGB NCHW [1, 3, size, size] and its letterbox."""
    boxed, box = letterbox_image(frame_bgr, size)
    nchw = np.ascontiguousarray(boxed[:, :, ::-1].transpose(2, 0, 1)[None])
    return nchw, box


@dataclass(frozen=True)
class DecodeThresholds:
    """The app's thresholds on top of the model's own (which are baked into the graph)."""

    min_score: float = 0.25
    max_people: int = 10


def decode_flat(
    output: np.ndarray, box: Letterbox, thresholds: DecodeThresholds = DecodeThresholds(), image_index: int = 0
) -> list[Person]:
    """Flat [N, 57] output in model pixels -> people in original-frame pixels, best first."""
    rows = (
        np.asarray(output, dtype=np.float64).reshape(-1, FLAT_COLUMNS)
        if np.size(output)
        else np.zeros((0, FLAT_COLUMNS))
    )
    rows = rows[(rows[:, 0] == image_index) & (rows[:, 5] >= thresholds.min_score)]
    rows = rows[np.argsort(-rows[:, 5], kind="stable")][: thresholds.max_people]
    bboxes = box.to_frame(rows[:, 1:5].reshape(-1, 2, 2)).reshape(-1, 4)
    keypoints = rows[:, 6:].reshape(-1, NUM_KEYPOINTS, 3).copy()
    keypoints[:, :, :2] = box.to_frame(keypoints[:, :, :2])
    return [Person(kp, bbox, score) for kp, bbox, score in zip(keypoints, bboxes, rows[:, 5], strict=True)]


def people_to_flat(people: list[Person]) -> np.ndarray:
    """The inverse layout (in whatever coordinates the people are): handy for tests and reports."""
    if not people:
        return np.zeros((0, FLAT_COLUMNS))
    return np.stack([np.concatenate([[0.0], p.bbox, [p.score], p.keypoints.reshape(-1)]) for p in people])
