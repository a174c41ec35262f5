"""The one keypoint type that flows through the app.

COCO-17 order, pixel coordinates of the original frame, one confidence per joint.
A joint that was not seen has confidence 0 (its x, y may be NaN). Where the backend
also gives 3D positions (BlazePose's world landmarks: metres, origin between the hips),
`world` carries them as (17, 3) x, y, z; joint angles are then measured in 3D.

A frame's people travel as one `KeyPoints` (arrays over everyone: decoding, tracking, the
stream file, parity checks); `Person` is one of them, for the code that follows one patient.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import overload

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


def boxes_around(xy: np.ndarray, confidence: np.ndarray, min_conf: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Boxes (..., 4) around each person's visible joints (above `min_conf`, finite) and their mean confidence.

    `xy` is (..., 17, 2), `confidence` (..., 17). A person with no visible joint gets a zero box and score 0.
    """
    visible = (confidence > min_conf) & np.isfinite(xy).all(axis=-1)
    lo = np.where(visible[..., None], xy, np.inf).min(axis=-2)
    hi = np.where(visible[..., None], xy, -np.inf).max(axis=-2)
    seen = visible.any(axis=-1)
    boxes = np.where(seen[..., None], np.concatenate([lo, hi], axis=-1), 0.0)
    count = visible.sum(axis=-1)
    total = np.where(visible, confidence, 0.0).sum(axis=-1)
    scores = np.divide(total, count, out=np.zeros(np.shape(total)), where=count > 0)
    return boxes, scores


def _seen_world(world: np.ndarray, confidence: np.ndarray) -> np.ndarray:
    """3D positions as float64 with the joints that were not seen in 2D set to NaN (a new array)."""
    return np.where((confidence > 0)[..., None], np.asarray(world, dtype=np.float64), np.nan)


def _consistent_confidence(xy: np.ndarray, confidence: np.ndarray) -> np.ndarray:
    """A joint without a finite position was not seen, whatever the backend says: confidence 0 (a new array)."""
    conf = np.nan_to_num(np.asarray(confidence, dtype=np.float64), nan=0.0)
    return np.where(np.isfinite(xy).all(axis=-1), conf, 0.0)


@dataclass(frozen=True)
class Person:
    """One detected person: keypoints (17, 3) as x, y, conf; bbox x1, y1, x2, y2; score;
    optionally world (17, 3), metric 3D positions of the same joints.

    A joint whose x or y is not finite gets confidence 0; an unseen joint has no 3D position (NaN), and a
    world with no seen joint at all is None."""

    keypoints: np.ndarray
    bbox: np.ndarray
    score: float
    world: np.ndarray | None = None

    def __post_init__(self) -> None:
        kp = np.array(self.keypoints, dtype=np.float64).reshape(NUM_KEYPOINTS, 3)
        kp[:, 2] = _consistent_confidence(kp[:, :2], kp[:, 2])
        object.__setattr__(self, "keypoints", kp)
        object.__setattr__(self, "bbox", np.asarray(self.bbox, dtype=np.float64).reshape(4))
        object.__setattr__(self, "score", float(self.score))
        if self.world is not None:
            world = _seen_world(np.asarray(self.world).reshape(NUM_KEYPOINTS, 3), kp[:, 2])
            object.__setattr__(self, "world", world if np.isfinite(world).any() else None)

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
        bbox, mean_conf = boxes_around(kp[:, :2], kp[:, 2], min_conf)
        return cls(kp, bbox, float(mean_conf) if score is None else score, world)


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and np.array_equal(a, b, equal_nan=True)


def _checked(name: str, value: np.ndarray, expected: tuple[int, ...], pattern: str) -> np.ndarray:
    """`value` as float64, or a ValueError naming the field, the shape it needs and the one it has."""
    array = np.asarray(value, dtype=np.float64)
    if array.shape != expected:
        raise ValueError(
            f"KeyPoints.{name} must have shape {pattern}, here {expected} for the {expected[0]} people in xy; "
            f"got {array.shape}"
        )
    return array


@dataclass(frozen=True, eq=False)
class KeyPoints:
    """Everyone seen in one frame, as arrays (the batched form of `Person`, like supervision's `KeyPoints`).

    xy (n, 17, 2) pixels and confidence (n, 17), COCO-17 order; box (n, 4) x1, y1, x2, y2 and score (n,) per
    person; world (n, 17, 3) metres or None when the backend has no 3D. The invariants of `Person` hold row by
    row: a joint without a finite position has confidence 0 and an unseen joint has a NaN world position. A
    person without 3D in a frame where others have it is a row of NaN, and converts back to `world=None`.

    `keypoints[i]` is that person as a `Person`; a slice, boolean mask or index array gives a `KeyPoints`.
    """

    xy: np.ndarray
    confidence: np.ndarray
    box: np.ndarray
    score: np.ndarray
    world: np.ndarray | None = None

    def __post_init__(self) -> None:
        xy = np.asarray(self.xy, dtype=np.float64)
        if xy.ndim != 3 or xy.shape[1:] != (NUM_KEYPOINTS, 2):
            raise ValueError(f"KeyPoints.xy must have shape (n, {NUM_KEYPOINTS}, 2), got {xy.shape}")
        n = len(xy)
        confidence = _consistent_confidence(xy, _checked("confidence", self.confidence, (n, NUM_KEYPOINTS), "(n, 17)"))
        object.__setattr__(self, "xy", xy)
        object.__setattr__(self, "confidence", confidence)
        object.__setattr__(self, "box", _checked("box", self.box, (n, 4), "(n, 4)"))
        object.__setattr__(self, "score", _checked("score", self.score, (n,), "(n,)"))
        if self.world is not None:
            world = _checked("world", self.world, (n, NUM_KEYPOINTS, 3), "(n, 17, 3)")
            object.__setattr__(self, "world", _seen_world(world, confidence))

    @classmethod
    def empty(cls, with_world: bool = False) -> KeyPoints:
        """Nobody seen."""
        world = np.zeros((0, NUM_KEYPOINTS, 3)) if with_world else None
        return cls(np.zeros((0, NUM_KEYPOINTS, 2)), np.zeros((0, NUM_KEYPOINTS)), np.zeros((0, 4)), np.zeros(0), world)

    @classmethod
    def from_xyc(
        cls, keypoints: np.ndarray, box: np.ndarray, score: np.ndarray, world: np.ndarray | None = None
    ) -> KeyPoints:
        """From (n, 17, 3) x, y, confidence rows, the layout of `Person.keypoints` and of the model outputs."""
        kp = np.asarray(keypoints, dtype=np.float64)
        if kp.ndim != 3 or kp.shape[1:] != (NUM_KEYPOINTS, 3):
            raise ValueError(f"keypoints must have shape (n, {NUM_KEYPOINTS}, 3), got {kp.shape}")
        return cls(kp[:, :, :2], kp[:, :, 2], box, score, world)

    @classmethod
    def from_people(cls, people: Sequence[Person]) -> KeyPoints:
        if not people:
            return cls.empty()
        worlds = [p.world for p in people]
        world = None
        if any(w is not None for w in worlds):
            world = np.stack([np.full((NUM_KEYPOINTS, 3), np.nan) if w is None else w for w in worlds])
        return cls.from_xyc(
            np.stack([p.keypoints for p in people]),
            np.stack([p.bbox for p in people]),
            np.array([p.score for p in people], dtype=np.float64),
            world,
        )

    def people(self) -> list[Person]:
        return [self._person(i) for i in range(len(self))]

    @property
    def xyc(self) -> np.ndarray:
        """(n, 17, 3) x, y, confidence: the layout of `Person.keypoints`."""
        return np.concatenate([self.xy, self.confidence[:, :, None]], axis=2)

    @property
    def centers(self) -> np.ndarray:
        """(n, 2) box centres."""
        return (self.box[:, :2] + self.box[:, 2:]) / 2

    @property
    def areas(self) -> np.ndarray:
        """(n,) box areas; a box with its corners swapped has area 0."""
        return np.prod(np.clip(self.box[:, 2:] - self.box[:, :2], 0.0, None), axis=1)

    def __len__(self) -> int:
        return len(self.xy)

    def __iter__(self) -> Iterator[Person]:
        return (self._person(i) for i in range(len(self)))

    @overload
    def __getitem__(self, index: int | np.integer) -> Person: ...

    @overload
    def __getitem__(self, index: slice | np.ndarray | Sequence[int]) -> KeyPoints: ...

    def __getitem__(self, index: int | np.integer | slice | np.ndarray | Sequence[int]) -> Person | KeyPoints:
        if isinstance(index, (int, np.integer)) and not isinstance(index, (bool, np.bool_)):
            return self._person(range(len(self))[index])  # range raises the IndexError, negatives count back
        rows = index if isinstance(index, slice) else np.asarray(index)
        if isinstance(rows, np.ndarray):
            if rows.size == 0:
                rows = rows.astype(np.intp)  # [] is nobody, not a float array
            elif rows.dtype.kind not in "biu" or rows.ndim != 1:
                raise TypeError(
                    "a KeyPoints index is an int, a slice, a boolean mask or integer indices, "
                    f"not {rows.dtype} of shape {rows.shape}"
                )
        world = None if self.world is None else self.world[rows]
        return KeyPoints(self.xy[rows], self.confidence[rows], self.box[rows], self.score[rows], world)

    def _person(self, i: int) -> Person:
        world = None if self.world is None else self.world[i]
        return Person(self.xyc[i], self.box[i], float(self.score[i]), world)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, KeyPoints):
            return NotImplemented
        if self.world is None or other.world is None:
            if self.world is not other.world:
                return False
        elif not _same(self.world, other.world):
            return False
        return all(
            _same(a, b)
            for a, b in (
                (self.xy, other.xy),
                (self.confidence, other.confidence),
                (self.box, other.box),
                (self.score, other.score),
            )
        )

    __hash__ = None  # type: ignore[assignment]  # arrays inside: equal values, no stable hash


@dataclass(frozen=True, init=False)
class PoseFrame:
    """The pose result for one frame: time in seconds and everyone seen.

    `keypoints` holds everyone as arrays; `people` is the same people as `Person` objects, built once on
    first use. Build a frame from either: `PoseFrame(t, people=[...])` or `PoseFrame(t, keypoints=...)`.
    """

    t: float
    keypoints: KeyPoints
    width: int = 0
    height: int = 0
    _people: list[Person] | None = field(default=None, init=False, repr=False, compare=False)

    def __init__(
        self,
        t: float,
        people: Sequence[Person] | None = None,
        width: int = 0,
        height: int = 0,
        *,
        keypoints: KeyPoints | None = None,
    ) -> None:
        if people is not None and keypoints is not None:
            raise ValueError("a PoseFrame takes people or keypoints, not both")
        _people = None
        if people is not None:
            _people = list(people)
            keypoints = KeyPoints.from_people(_people)
        object.__setattr__(self, "t", t)
        object.__setattr__(self, "keypoints", KeyPoints.empty() if keypoints is None else keypoints)
        object.__setattr__(self, "width", width)
        object.__setattr__(self, "height", height)
        object.__setattr__(self, "_people", _people)

    @property
    def people(self) -> list[Person]:
        if self._people is None:
            object.__setattr__(self, "_people", self.keypoints.people())
        assert self._people is not None
        return self._people


def missing_keypoints() -> np.ndarray:
    """A (17, 3) array for a person whose joints were all missed."""
    kp = np.full((NUM_KEYPOINTS, 3), np.nan)
    kp[:, 2] = 0.0
    return kp
