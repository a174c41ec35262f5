"""When a running set pauses by itself, and when it goes on: out of view, back in view, turned the wrong way.

Plain timing on the frames' own clock; the live session decides what a pause looks like.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from rehab_coach.engine.types import FrameUpdate

AWAY_SECONDS = 1.0  # nobody, or not the joints the exercise needs, in view this long: the session pauses itself
RETURN_SECONDS = 1.0  # ... and goes on once the person has been back in full view this long
WRONG_VIEW_SECONDS = 1.0  # standing the wrong way to the camera this long pauses scoring

SelfPause = Literal["away", "turned"]


@dataclass
class PresenceWatch:
    unseen_since: float | None = None  # session time the person was last lost from view
    back_since: float | None = None  # ... and when they were seen again, while away
    wrong_view_since: float | None = None  # session time the view stopped fitting the exercise

    def restart(self, *, wrong_view_ok: bool = False) -> None:
        """The set (re)starts. A skipped view check lets a wrong view through: the patient's or therapist's call."""
        self.unseen_since = self.back_since = None
        self.wrong_view_since = math.inf if wrong_view_ok else None

    def while_running(self, update: FrameUpdate, *, check_view: bool) -> SelfPause | None:
        """Whether this frame pauses the running set: out of view, or turned the wrong way, long enough."""
        if update.visible:
            self.unseen_since = None
            return "turned" if check_view and self._turned(update) else None
        self.unseen_since = update.t if self.unseen_since is None else self.unseen_since
        if update.t - self.unseen_since < AWAY_SECONDS:
            return None
        self.back_since = None
        return "away"

    def while_away(self, update: FrameUpdate) -> bool:
        """Whether the person has been back in full view long enough for the set to go on."""
        if not update.visible:
            self.back_since = None
            return False
        self.back_since = update.t if self.back_since is None else self.back_since
        return update.t - self.back_since >= RETURN_SECONDS

    def _turned(self, update: FrameUpdate) -> bool:
        if update.view_fit != "wrong":
            self.wrong_view_since = None
            return False
        self.wrong_view_since = update.t if self.wrong_view_since is None else self.wrong_view_since
        return update.t - self.wrong_view_since >= WRONG_VIEW_SECONDS
