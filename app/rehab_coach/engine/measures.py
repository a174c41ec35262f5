"""Vectorised body measures from smoothed keypoints.

Angles are interior angles from arccos of a normalised dot product, so they stay in
0-180 degrees whichever way the person faces: nothing flips by 180 or wraps past 360.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from rehab_coach.engine.filters import midpoint
from rehab_coach.engine.templates import SIDED_JOINTS, Measure, Template
from rehab_coach.keypoints.types import KEYPOINT_INDEX, NUM_KEYPOINTS

# Virtual points appended after the 17 COCO joints: midpoints of left/right pairs.
_MIDPOINTS = {
    "mid_shoulder": ("left_shoulder", "right_shoulder"),
    "mid_hip": ("left_hip", "right_hip"),
    "mid_ankle": ("left_ankle", "right_ankle"),
}
POINT_INDEX: dict[str, int] = {**KEYPOINT_INDEX, **{name: NUM_KEYPOINTS + i for i, name in enumerate(_MIDPOINTS)}}
SIDES = ("left", "right")


_PAIRS = np.array([[KEYPOINT_INDEX[a], KEYPOINT_INDEX[b]] for a, b in _MIDPOINTS.values()])


def extended_points(xy: np.ndarray) -> np.ndarray:
    """(17, D) -> (20, D) with midpoints; a midpoint of one missing joint is the other joint."""
    return np.vstack([xy, midpoint(xy[_PAIRS[:, 0]], xy[_PAIRS[:, 1]])])


class _quiet:
    """Silence numpy's 'mean of empty slice' warning: all-NaN midpoints are expected."""

    def __enter__(self) -> None:
        import warnings

        self._ctx = warnings.catch_warnings()
        self._ctx.__enter__()
        warnings.simplefilter("ignore", RuntimeWarning)

    def __exit__(self, *exc: Any) -> None:
        self._ctx.__exit__(*exc)


def resolve_joint(name: str, side: str) -> str:
    return f"{side}_{name}" if name in SIDED_JOINTS else name


def joint_angles(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Interior angle at b for (N, 2) point arrays, degrees in [0, 180]; NaN where a point is missing."""
    u, v = a - b, c - b
    norms = np.linalg.norm(u, axis=-1) * np.linalg.norm(v, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = np.einsum("...i,...i->...", u, v) / norms
    return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))


def segment_angles(a: np.ndarray, b: np.ndarray, reference: str) -> np.ndarray:
    """Angle of a->b against image-up (0-180) or against the horizontal line (0-90)."""
    d = b - a
    up_angle = np.degrees(np.arctan2(np.abs(d[..., 0]), -d[..., 1]))
    if reference == "vertical":
        return up_angle
    return np.abs(90.0 - up_angle)


def facing_sign(points: np.ndarray, previous: float = 1.0) -> float:
    """+1 when the person faces image +x, from the nose against the ears (or shoulders)."""
    nose = points[POINT_INDEX["nose"]]
    ears = midpoint(points[POINT_INDEX["left_ear"]], points[POINT_INDEX["right_ear"]])
    anchor = ears if np.isfinite(ears).all() else points[POINT_INDEX["mid_shoulder"]]
    dx = nose[0] - anchor[0]
    if not np.isfinite(dx) or abs(dx) < 2.0:
        return previous
    return float(np.sign(dx))


@dataclass(frozen=True)
class MeasurePlan:
    """Index arrays so every measure of a template is computed in a few numpy calls."""

    names: list[str]  # output names, e.g. knee_left, knee_right, trunk_lean
    base: list[str]  # template measure name for each output
    kinds: list[str]
    idx: np.ndarray  # (M, 3) point indices; 2-point measures repeat the last index
    references: list[str]
    axes: list[str]
    windows: list[float]  # displacement baselines, seconds (unused for other kinds)
    seen_from: list[frozenset[str]]  # camera views each output means something in
    counts: list[int]  # joints each output reads
    spaces: list[str]  # joint angles: "image" or "world" (the backend's 3D points where it gives them)

    @classmethod
    def for_template(cls, template: Template) -> MeasurePlan:
        names: list[str] = []
        base: list[str] = []
        kinds: list[str] = []
        refs: list[str] = []
        axes: list[str] = []
        idx: list[list[int]] = []
        windows: list[float] = []
        views: list[frozenset[str]] = []
        counts: list[int] = []
        spaces: list[str] = []
        for key, measure in template.measures.items():
            for suffix, side in _variants(measure):
                joints = [POINT_INDEX[resolve_joint(j, side)] for j in measure.joints]
                names.append(f"{key}{suffix}")
                base.append(key)
                kinds.append(measure.type)
                idx.append(joints + [joints[-1]] * (3 - len(joints)))
                refs.append(measure.reference)
                axes.append(measure.direction)
                windows.append(measure.window_seconds)
                views.append(measure.seen_from)
                counts.append(len(joints))
                spaces.append(measure.space)
        return cls(names, base, kinds, np.array(idx, dtype=int), refs, axes, windows, views, counts, spaces)

    def unseen_in(self, view: str) -> np.ndarray:
        """Outputs that mean nothing in this camera view (none while the view is unknown)."""
        return np.array([view != "unknown" and view not in seen for seen in self.seen_from], dtype=bool)

    def joints_of(self, name: str) -> list[int]:
        i = self.names.index(name)
        return [int(j) for j in self.idx[i, : self.counts[i]]]

    @cached_property
    def displacements(self) -> np.ndarray:
        """Indices of the displacement outputs, which need a `RollingLow` baseline."""
        return np.flatnonzero(np.array(self.kinds) == "displacement")

    @cached_property
    def tilts(self) -> np.ndarray:
        """Indices of the tilt outputs, which need the segment's own longest length as reference."""
        return np.flatnonzero(np.array(self.kinds) == "tilt")

    @cached_property
    def masks(self) -> dict[str, np.ndarray]:
        """Which outputs each formula of `compute` fills, worked out once rather than per frame."""
        kinds, refs, axes = np.array(self.kinds), np.array(self.references), np.array(self.axes)
        offset, dist = kinds == "offset", kinds == "distance"
        return {
            "angle": kinds == "joint_angle",
            "world": (kinds == "joint_angle") & (np.array(self.spaces) == "world"),
            "vertical": (kinds == "segment_angle") & (refs == "vertical"),
            "horizontal": (kinds == "segment_angle") & (refs == "horizontal"),
            "forward": offset & (axes == "forward"),
            "x": offset & (axes == "x"),
            "y": offset & (axes == "y"),
            "distance": dist & (axes == ""),
            "distance_x": dist & np.isin(axes, ["x", "forward"]),
            "distance_y": dist & (axes == "y"),
        }


def _variants(measure: Measure) -> list[tuple[str, str]]:
    return [("_left", "left"), ("_right", "right")] if measure.sided else [("", "left")]


def axis_positions(plan: MeasurePlan, points: np.ndarray, facing: float) -> np.ndarray:
    """Pixel position of each displacement's joint along its axis, up and forward positive."""
    sel = plan.displacements
    p = points[plan.idx[sel, 0]]
    relative = np.array(plan.counts)[sel] == 2
    p[relative] = points[plan.idx[sel, 1][relative]] - points[plan.idx[sel, 0][relative]]
    axes = np.array(plan.axes)[sel]
    return np.where(axes == "y", -p[:, 1], np.where(axes == "forward", facing * p[:, 0], p[:, 0]))


def segment_lengths(plan: MeasurePlan, points: np.ndarray) -> np.ndarray:
    """Pixel length of each tilt's segment a->b."""
    sel = plan.tilts
    return np.linalg.norm(points[plan.idx[sel, 1]] - points[plan.idx[sel, 0]], axis=-1)


def tilts(lengths: np.ndarray, longest: np.ndarray) -> np.ndarray:
    """Degrees out of the image plane, from a segment's length against its own longest (across the image)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.degrees(np.arccos(np.clip(lengths / longest, 0.0, 1.0)))


LOW_PERCENTILE = 10.0  # not the minimum: one outlier the filters let through would shift it for a whole window


@dataclass
class RollingLow:
    """A low value (the 10th percentile) of each signal over its own trailing window of
    seconds, NaN ignored: the rest position a displacement is measured from. It needs no
    calibration step and follows a patient who shifts their stance once the window has
    passed; it assumes the patient spends at least a tenth of the window at rest."""

    windows: np.ndarray  # (K,) seconds
    times: deque[float] = field(default_factory=deque)
    values: deque[np.ndarray] = field(default_factory=deque)

    def update(self, t: float, values: np.ndarray) -> np.ndarray:
        self.times.append(t)
        self.values.append(values)
        while self.times and t - self.times[0] > self.windows.max():
            self.times.popleft()
            self.values.popleft()
        stack = np.array(self.values)
        recent = (t - np.array(self.times))[:, None] <= self.windows[None, :]
        stack = np.where(recent, stack, np.nan)
        with _quiet():
            return np.nanpercentile(stack, LOW_PERCENTILE, axis=0)


def compute(
    plan: MeasurePlan,
    points: np.ndarray,
    torso: float,
    facing: float,
    low: np.ndarray | None = None,
    world: np.ndarray | None = None,
    longest: np.ndarray | None = None,
    all_in_world: bool = False,
) -> np.ndarray:
    """All measure values (M,) for one frame of extended points (20, 2). `low`: the baseline
    of each displacement (from `RollingLow` over `axis_positions`), in the same order.
    `world`: extended 3D points (20, 3), when the backend gives them: the joint angles of `world`
    space (every joint angle with `all_in_world`) are then measured in 3D, which a camera at an angle
    to the movement does not shrink. `longest`: each tilt's segment at its longest lately (from
    `RollingLow` over the negated `segment_lengths`)."""
    m = plan.masks
    a, b, c = (points[plan.idx[:, k]] for k in range(3))
    out = np.full(len(plan.names), np.nan)
    out[m["angle"]] = joint_angles(a[m["angle"]], b[m["angle"]], c[m["angle"]])
    in_world = m["angle"] if all_in_world else m["world"]
    if world is not None and in_world.any():
        a3, b3, c3 = (world[plan.idx[in_world, k]] for k in range(3))
        in_3d = joint_angles(a3, b3, c3)
        out[in_world] = np.where(np.isfinite(in_3d), in_3d, out[in_world])
    for ref in ("vertical", "horizontal"):
        out[m[ref]] = segment_angles(a[m[ref]], b[m[ref]], ref)
    d = (b - a) / torso if torso > 0 else np.full_like(b, np.nan)
    out[m["forward"]] = d[m["forward"], 0] * facing
    out[m["x"]] = d[m["x"], 0]
    out[m["y"]] = -d[m["y"], 1]
    out[m["distance"]] = np.hypot(d[m["distance"], 0], d[m["distance"], 1])
    out[m["distance_x"]] = np.abs(d[m["distance_x"], 0])
    out[m["distance_y"]] = np.abs(d[m["distance_y"], 1])
    if plan.tilts.size and longest is not None:
        out[plan.tilts] = tilts(segment_lengths(plan, points), longest)
    moved = plan.displacements
    if moved.size and low is not None and torso > 0:
        out[moved] = (axis_positions(plan, points, facing) - low) / torso
    return out
