"""A raised hand held for a moment: the patient's way to pause or resume without walking to the keyboard.

A hand counts as raised when its wrist is clearly above the head while the other wrist is below
its shoulder: one arm up, the other down, which no standing or lying exercise position looks like
except the arm exercises themselves (see `may_pause`). The hand must stay up for `hold_seconds`;
a dropout shorter than `grace_seconds` (a blurred wrist) does not restart the wait. After a
gesture fires, the hand must come down before another one can.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rehab_coach.engine.templates import Template
from rehab_coach.keypoints.types import KEYPOINT_INDEX, Person

MIN_CONFIDENCE = 0.5
# How far above the top of the head the wrist must be, in torso lengths (shoulders to hips, which
# unlike the shoulder width does not shrink side-on): a hand resting on the head is not raised.
ABOVE_HEAD = 0.2
_HEAD = [KEYPOINT_INDEX[name] for name in ("nose", "left_eye", "right_eye", "left_ear", "right_ear")]
_HIPS = [KEYPOINT_INDEX["left_hip"], KEYPOINT_INDEX["right_hip"]]
_SIDES = {side: (KEYPOINT_INDEX[f"{side}_wrist"], KEYPOINT_INDEX[f"{side}_shoulder"]) for side in ("left", "right")}


def raised_hand(person: Person | None) -> str | None:
    """ "left" or "right" when exactly that hand is raised above the head and the other is down."""
    if person is None:
        return None
    xy, confidence = person.xy, person.confidence
    head = [j for j in _HEAD if confidence[j] >= MIN_CONFIDENCE]
    shoulders = [shoulder for _, shoulder in _SIDES.values()]
    if not head or min(confidence[shoulders + _HIPS]) < MIN_CONFIDENCE:
        return None
    torso = float(np.linalg.norm(xy[shoulders].mean(axis=0) - xy[_HIPS].mean(axis=0)))
    if not np.isfinite(torso) or torso <= 0:
        return None
    head_top = float(np.min(xy[head, 1]))  # image y grows downwards
    up, down = [], []
    for side, (wrist, shoulder) in _SIDES.items():
        if confidence[wrist] < MIN_CONFIDENCE:
            continue
        if xy[wrist, 1] < head_top - ABOVE_HEAD * torso:
            up.append(side)
        elif xy[wrist, 1] > xy[shoulder, 1]:
            down.append(side)
    return up[0] if len(up) == 1 and len(down) == 1 else None


def may_pause(template: Template) -> bool:
    """Whether a raised hand may pause this exercise while it runs.

    Arm exercises raise a hand by design, so during them the gesture only resumes a paused
    session; the large Pause button stays.
    """
    return template.region != "upper_limb"


@dataclass
class RaisedHandGesture:
    """Feed it the patient each frame; `update` is True once, on the frame the hold completes."""

    hold_seconds: float = 2.0
    grace_seconds: float = 0.3

    def __post_init__(self) -> None:
        self._since: float | None = None  # session time the hand went up
        self._last_up: float | None = None  # ... and when it was last seen up
        self._fired = False  # waiting for the hand to come down

    @property
    def progress(self) -> float:
        """0..1 of the hold at the last update: a screen can fill a ring while the patient waits."""
        if self._since is None or self._last_up is None or self._fired:
            return 0.0
        return min(1.0, (self._last_up - self._since) / self.hold_seconds)

    def reset(self) -> None:
        self._since = self._last_up = None
        self._fired = False

    def update(self, t: float, person: Person | None) -> bool:
        if raised_hand(person) is None:
            if self._last_up is not None and t - self._last_up <= self.grace_seconds:
                return False
            self._since = self._last_up = None
            self._fired = False
            return False
        if self._since is None:
            self._since = t
        self._last_up = t
        if self._fired or t - self._since < self.hold_seconds:
            return False
        self._fired = True
        return True
