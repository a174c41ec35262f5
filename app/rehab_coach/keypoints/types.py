"""The one keypoint type that flows through the app.

COCO-17 order, pixel coordinates of the original frame, one confidence per joint.
A joint that was not seen has confidence 0 (its x, y may be NaN). Where the backend
also gives 3D positions (BlazePose's world landmarks: metres, origin between the hips),
`world` carries them as (17, 3) x, y, z; joint angles are then measured in 3D.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

COCO_KEYPOINTS: tuple[str, ...] = (
    "nose",
    "left_eye",
    "right_eye",
    "left_ear",
    "right_ear",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
)
KEYPOINT_INDEX: dict[str, int] = {name: i for i, name in enumerate(COCO_KEYPOINTS)}
NUM_KEYPOINTS = len(COCO_KEYPOINTS)

# Bones drawn for the skeleton overlay, as pairs of COCO indices.
SKELETON: tuple[tuple[int, int], ...] = (
    (5, 7),
    (7, 9),
    (6, 8),
    (8, 10),
    (5, 6),
    (5, 11),
    (6, 12),
    (11, 12),
    (11, 13),
    (13, 15),
    (12, 14),
    (14, 16),
    (0, 1),
    (0, 2),
    (1, 3),
    (2, 4),
)


@dataclass(frozen=True)
class Person:
    """One detected person: keypoints (17, 3) as x, y, conf; bbox x1, y1, x2, y2; score;
    optionally world (17, 3), metric 3D positions of the same joints."""

    keypoints: np.ndarray
    bbox: np.ndarray
    score: float
    world: np.ndarray | None = None

    def __post_init__(self) -> None:
        kp = np.asarray(self.keypoints, dtype=np.float64).reshape(NUM_KEYPOINTS, 3)
        object.__setattr__(self, "keypoints", kp)
        object.__setattr__(self, "bbox", np.asarray(self.bbox, dtype=np.float64).reshape(4))
        object.__setattr__(self, "score", float(self.score))
        if self.world is not None:
            world = np.asarray(self.world, dtype=np.float64).reshape(NUM_KEYPOINTS, 3).copy()
            world[kp[:, 2] <= 0] = np.nan  # a joint that was not seen has no 3D position either
            object.__setattr__(self, "world", world)

    @property
    def xy(self) -> np.ndarray:
        return self.keypoints[:, :2]

    @property
    def confidence(self) -> np.ndarray:
        return self.keypoints[:, 2]

    @property
    def area(self) -> float:
        x1, y1, x2, y2 = self.bbox
        return max(0.0, x2 - x1) * max(0.0, y2 - y1)

    @property
    def center(self) -> np.ndarray:
        return np.array([(self.bbox[0] + self.bbox[2]) / 2, (self.bbox[1] + self.bbox[3]) / 2])

    @classmethod
    def from_keypoints(
        cls, keypoints: np.ndarray, score: float | None = None, min_conf: float = 0.05, world: np.ndarray | None = None
    ) -> Person:
        """Build a person whose bbox encloses its visible keypoints."""
        kp = np.asarray(keypoints, dtype=np.float64).reshape(NUM_KEYPOINTS, 3)
        visible = (kp[:, 2] > min_conf) & np.isfinite(kp[:, :2]).all(axis=1)
        if visible.any():
            pts = kp[visible, :2]
            bbox = np.concatenate([pts.min(axis=0), pts.max(axis=0)])
        else:
            bbox = np.zeros(4)
        if score is None:
            score = float(kp[visible, 2].mean()) if visible.any() else 0.0
        return cls(kp, bbox, score, world)


@dataclass(frozen=True)
class PoseFrame:
    """The pose result for one frame: time in seconds and everyone seen."""

    t: float
    people: list[Person] = field(default_factory=list)
    width: int = 0
    height: int = 0


def missing_keypoints() -> np.ndarray:
    """A (17, 3) array for a person whose joints were all missed."""
    kp = np.full((NUM_KEYPOINTS, 3), np.nan)
    kp[:, 2] = 0.0
    return kp
