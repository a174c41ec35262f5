"""Parity matching of an imported checkpoint against its reference outputs: identical and swapped ranks pass; a shift, a missing person or other scores fail."""

from __future__ import annotations

import numpy as np
import pytest

from rehab_coach.checkpoint_import.parity import Tolerance, best_first, compare
from rehab_coach.keypoints.types import NUM_KEYPOINTS, KeyPoints


def _detections(n: int, seed: int = 0) -> KeyPoints:
    rng = np.random.default_rng(seed)
    xy, confidence = rng.uniform(0, 1000, (n, NUM_KEYPOINTS, 2)), rng.uniform(0, 1, (n, NUM_KEYPOINTS))
    return best_first(KeyPoints(xy, confidence, rng.uniform(0, 1000, (n, 4)), np.linspace(0.5, 0.9, n)))


def _moved(ref: KeyPoints, dx: float = 0.0, dy: float = 0.0, score: float = 0.0) -> KeyPoints:
    return KeyPoints(ref.xy + np.array([dx, dy]), ref.confidence, ref.box, ref.score + score)


def test_parity_identical_and_swapped_ranks_pass() -> None:
    ref = _detections(5)
    assert compare(ref, ref).passes(Tolerance())
    order = [1, 0, 2, 3, 4]  # two near-equal scores swapped ranks; coordinates off by 0.01 px
    swapped = _moved(ref[order], 0.01, 0.01)
    result = compare(ref, swapped)
    assert result.matched == 5 and result.max_xy_px == pytest.approx(0.01)
    assert result.passes(Tolerance())


def test_parity_fails_on_shift_missing_people_or_scores() -> None:
    ref, tol = _detections(5), Tolerance(xy_px=0.1)
    assert not compare(ref, _moved(ref, dx=0.5), tol).passes(tol)
    assert not compare(ref, ref[1:], tol).passes(tol)  # top one lost
    assert not compare(ref, _moved(ref, score=0.01), tol).passes(tol)
    empty = KeyPoints.empty()
    assert compare(empty, empty, tol).passes(tol)
    assert not compare(ref, empty, tol).passes(tol) and not compare(empty, ref, tol).passes(tol)
