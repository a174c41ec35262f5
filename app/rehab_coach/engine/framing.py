"""The framing check before a set: is the body in view, standing the right way to the camera?

Plain data in, plain data out: the UI draws the guide and the words, this decides them. It reads
raw pose (no coach runs during the check, so nothing is counted) and keeps its own view tracker.
"Go" is a fitting frame held for `GO_SECONDS`, so a patient walking through the right pose on
their way does not start the set. Standing the wrong way for a side view, it says which side to turn
to the camera (`side_to_turn`), read from the body.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from rehab_coach.engine.measures import POINT_INDEX, extended_points
from rehab_coach.engine.view import View, ViewFit, ViewTracker, fit
from rehab_coach.i18n import N_, gettext
from rehab_coach.keypoints.types import KEYPOINT_INDEX, Person

FramingStatus = Literal["no_person", "joints_missing", "wrong_view", "reading_view", "ready"]
TurnSide = Literal["left", "right"]
TURN_WORDS = {
    "left": N_("Turn your left side to the camera"),
    "right": N_("Turn your right side to the camera"),
    "front": N_("Face the camera"),
}
FACE_TURN_SHARE = 0.15  # the nose this share of the shoulder width off their middle: the face is turned
SEEN_BETTER_BY = 0.1  # mean confidence by which one side must be seen better than the other
_SIDE_JOINTS = ("ear", "shoulder", "elbow", "wrist", "hip", "knee", "ankle")
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
    turn_side: TurnSide | None = None  # a side view: the side of the body to turn to the camera

    @property
    def ready(self) -> bool:
        return self.status == "ready"

    @property
    def turned_part_way(self) -> bool:
        """Ready, but only usable: turned part way. Measures still read; a note says how to do better."""
        return self.ready and self.view_fit == "usable"


def side_to_turn(person: Person | None, exercise_side: str) -> TurnSide:
    """Which side of the body to turn to the camera for a side view. The exercise's own side when it
    names one; otherwise the side the shorter turn shows. A face turned toward the image's right
    means the patient is turning to their left, which brings their right side to the camera (seen
    from behind, a face toward the image's right is a turn to their right: the same right side);
    with the face square on, the side already seen better; else the left."""
    if exercise_side in ("left", "right"):
        return exercise_side  # type: ignore[return-value]
    if person is None:
        return "left"
    kp = person.keypoints
    seen = (kp[:, 2] >= MIN_CONFIDENCE) & np.isfinite(kp[:, :2]).all(axis=1)
    nose, shoulders = KEYPOINT_INDEX["nose"], [KEYPOINT_INDEX["left_shoulder"], KEYPOINT_INDEX["right_shoulder"]]
    if seen[nose] and seen[shoulders].all():
        width = abs(float(kp[shoulders[0], 0] - kp[shoulders[1], 0]))
        offset = float(kp[nose, 0] - kp[shoulders, 0].mean())
        if width > 0 and abs(offset) >= FACE_TURN_SHARE * width:
            return "right" if offset > 0 else "left"
    mean = {
        side: float(np.mean([kp[KEYPOINT_INDEX[f"{side}_{joint}"], 2] for joint in _SIDE_JOINTS]))
        for side in ("left", "right")
    }
    return "right" if mean["right"] > mean["left"] + SEEN_BETTER_BY else "left"


def turn_words(wanted_view: str, side: TurnSide | None, language: str) -> str:
    """How to stand to the camera, in words: which side to turn to it, or to face it."""
    key = "front" if wanted_view != "side" else (side or "left")
    return gettext(TURN_WORDS[key], language)


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
        turn = side_to_turn(person, self.side) if self.wanted_view == "side" else None
        self.state = FramingState(
            status,
            self.wanted_view,
            view,
            view_fit,
            missing if person is not None else [],
            progress,
            progress >= 1.0,
            turn,
        )
        return self.state
