"""The framing check before a set: is the body in view, standing the right way to the camera?

Plain data in, plain data out: the UI draws the guide and the words, this decides them. It reads
raw pose (no coach runs during the check, so nothing is counted) and keeps its own view tracker.
"Go" is a fitting frame held for `GO_SECONDS`, so a patient walking through the right pose on
their way does not start the set.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from rehab_coach.engine.measures import POINT_INDEX, extended_points
from rehab_coach.engine.view import View, ViewFit, ViewTracker, fit
from rehab_coach.keypoints.types import Person

FramingStatus = Literal["no_person", "joints_missing", "wrong_view", "reading_view", "ready"]
GO_SECONDS = 1.0
MIN_CONFIDENCE = 0.35  # the coach's own gate (FilterConfig.min_confidence): below it a joint is missing
_POINT_NAMES = {i: n for n, i in POINT_INDEX.items()}


@dataclass(frozen=True)
class FramingState:
    """What the check shows now."""

    status: FramingStatus
    wanted_view: str  # "side": side-on to the camera; "front": facing it (or the back to it)
    view: View
    view_fit: ViewFit
    missing_joints: list[str] = field(default_factory=list)
    hold_progress: float = 0.0  # 0..1 of the go hold
    go: bool = False  # ready, and held long enough: the set may start

    @property
    def ready(self) -> bool:
        return self.status == "ready"

    @property
    def turned_part_way(self) -> bool:
        """Ready, but only usable: turned part way. Measures still read; a note says how to do better."""
        return self.ready and self.view_fit == "usable"


def missing_joints(person: Person | None, required: Sequence[int], min_confidence: float = MIN_CONFIDENCE) -> list[str]:
    """Names of the required points (COCO joints and their midpoints) not seen in this pose."""
    if person is None:
        return [_POINT_NAMES[i] for i in required]
    kp = person.keypoints
    xy = np.where((kp[:, 2] >= min_confidence)[:, None] & np.isfinite(kp[:, :2]), kp[:, :2], np.nan)
    points = extended_points(xy)
    return [_POINT_NAMES[i] for i in required if not np.isfinite(points[i]).all()]


class FramingCheck:
    """Feed it each frame's person; it says what is missing and when to go.

    `required` is the coach's points per side choice ("left", "right", "both"); `side` the
    template's side: with "auto" (or one named side) either whole side will do.
    """

    def __init__(
        self, wanted_view: str, required: dict[str, list[int]], side: str = "auto", go_seconds: float = GO_SECONDS
    ) -> None:
        self.wanted_view, self.required, self.side, self.go_seconds = wanted_view, required, side, go_seconds
        self.tracker = ViewTracker()
        self._ready_since: float | None = None
        self.state = FramingState("no_person", wanted_view, "unknown", "unknown")

    def reset(self) -> None:
        self.tracker = ViewTracker()
        self._ready_since = None
        self.state = FramingState("no_person", self.wanted_view, "unknown", "unknown")

    def _missing(self, person: Person | None) -> list[str]:
        if self.side in ("both", "alternating"):
            return missing_joints(person, self.required["both"])
        # One side is followed: whichever is seen whole will do; otherwise name what the better one lacks.
        choices = [self.side] if self.side in ("left", "right") else ["left", "right"]
        return min((missing_joints(person, self.required[s]) for s in choices), key=len)

    def observe(self, person: Person | None, t: float) -> FramingState:
        keypoints = None
        if person is not None:
            kp = person.keypoints
            keypoints = np.where((kp[:, 2] >= MIN_CONFIDENCE)[:, None], kp[:, :2], np.nan)
        view = self.tracker.update(keypoints, t)
        view_fit = fit(self.wanted_view, view)
        missing = self._missing(person)
        if person is None:
            status: FramingStatus = "no_person"
        elif missing:
            status = "joints_missing"
        elif view_fit == "wrong":
            status = "wrong_view"
        elif view_fit == "unknown":
            status = "reading_view"
        else:
            status = "ready"
        if status != "ready":
            self._ready_since = None
            progress = 0.0
        else:
            self._ready_since = t if self._ready_since is None else self._ready_since
            progress = 1.0 if self.go_seconds <= 0 else min(1.0, (t - self._ready_since) / self.go_seconds)
        self.state = FramingState(
            status, self.wanted_view, view, view_fit, missing if person is not None else [], progress, progress >= 1.0
        )
        return self.state
