"""Does the exported ONNX model reproduce the PyTorch model? Pure numpy, testable on its own.

Both sides are people in original-frame pixels. Detections are paired greedily by their
largest keypoint/box coordinate difference (robust to two near-equal scores swapping
ranks); a pair counts when that difference is within `Tolerance.xy_px`.

A frame passes when both sides found nobody, or when the best torch detection has a
partner and at least `min_matched` of the larger side's detections are paired, with
scores and keypoint confidences within tolerance.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from rehab_coach.keypoints.types import NUM_KEYPOINTS, Person


@dataclass(frozen=True)
class Tolerance:
    xy_px: float = 0.1  # keypoints and boxes, original-frame pixels
    score: float = 1e-3  # detection score and keypoint confidence
    min_matched: float = 0.9  # share of detections that must pair up


@dataclass(frozen=True)
class Detections:
    """(n, 17, 3) keypoints, (n, 4) boxes, (n,) scores; sorted best first."""

    poses: np.ndarray
    bboxes: np.ndarray
    scores: np.ndarray

    @classmethod
    def of_people(cls, people: list[Person]) -> Detections:
        if not people:
            return cls(np.zeros((0, NUM_KEYPOINTS, 3)), np.zeros((0, 4)), np.zeros(0))
        return cls(
            np.stack([p.keypoints for p in people]),
            np.stack([p.bbox for p in people]),
            np.array([p.score for p in people]),
        )

    @classmethod
    def of_arrays(cls, poses: np.ndarray, bboxes: np.ndarray, scores: np.ndarray) -> Detections:
        order = np.argsort(-np.asarray(scores, dtype=np.float64), kind="stable")
        return cls(
            np.asarray(poses, np.float64).reshape(-1, NUM_KEYPOINTS, 3)[order],
            np.asarray(bboxes, np.float64).reshape(-1, 4)[order],
            np.asarray(scores, np.float64)[order],
        )

    def __len__(self) -> int:
        return len(self.scores)

    def coords(self) -> np.ndarray:
        """(n, 38): 17 keypoint x, y then the box."""
        return np.concatenate([self.poses[:, :, :2].reshape(len(self), -1), self.bboxes], axis=1)


@dataclass
class FrameParity:
    reference: int
    candidate: int
    matched: int
    top_matched: bool
    max_xy_px: float
    max_score: float
    max_conf: float

    def passes(self, tol: Tolerance) -> bool:
        if self.reference == 0 and self.candidate == 0:
            return True
        enough = self.matched >= math.ceil(tol.min_matched * max(self.reference, self.candidate))
        return self.top_matched and enough and self.max_score <= tol.score and self.max_conf <= tol.score


def compare(reference: Detections, candidate: Detections, tol: Tolerance = Tolerance()) -> FrameParity:
    if len(reference) == 0 or len(candidate) == 0:
        return FrameParity(len(reference), len(candidate), 0, len(reference) == 0, 0.0, 0.0, 0.0)
    diff = np.abs(reference.coords()[:, None, :] - candidate.coords()[None, :, :]).max(axis=2)
    pairs: list[tuple[int, int]] = []
    used_r: set[int] = set()
    used_c: set[int] = set()
    for flat in np.argsort(diff, axis=None, kind="stable"):
        r, c = divmod(int(flat), diff.shape[1])
        if diff[r, c] > tol.xy_px:
            break
        if r not in used_r and c not in used_c:
            pairs.append((r, c))
            used_r.add(r)
            used_c.add(c)
    if not pairs:
        return FrameParity(len(reference), len(candidate), 0, False, math.inf, math.inf, math.inf)
    r_idx, c_idx = np.array(pairs).T
    return FrameParity(
        reference=len(reference),
        candidate=len(candidate),
        matched=len(pairs),
        top_matched=0 in used_r,
        max_xy_px=float(diff[r_idx, c_idx].max()),
        max_score=float(np.abs(reference.scores[r_idx] - candidate.scores[c_idx]).max()),
        max_conf=float(np.abs(reference.poses[r_idx, :, 2] - candidate.poses[c_idx, :, 2]).max()),
    )


@dataclass
class SizeParity:
    size: int
    frames: list[FrameParity] = field(default_factory=list)

    def passes(self, tol: Tolerance) -> bool:
        return all(f.passes(tol) for f in self.frames)

    def summary(self) -> dict[str, Any]:
        finite = [f for f in self.frames if f.matched]
        worst = {k: max((getattr(f, k) for f in finite), default=0.0) for k in ("max_xy_px", "max_score", "max_conf")}
        return {
            "frames": len(self.frames),
            "torch_detections": sum(f.reference for f in self.frames),
            "onnx_detections": sum(f.candidate for f in self.frames),
            "matched": sum(f.matched for f in self.frames),
            **{k: float(f"{v:.3g}") for k, v in worst.items()},
        }


def report(results: list[SizeParity], tol: Tolerance, frames_from: str) -> dict[str, Any]:
    return {
        "passed": all(r.passes(tol) for r in results),
        "frames_from": frames_from,
        "tolerance": asdict(tol),
        "sizes": {str(r.size): r.summary() for r in results},
    }
