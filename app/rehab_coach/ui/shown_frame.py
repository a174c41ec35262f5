"""A processed frame ready to paint: what the live worker hands the screen."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QImage

from rehab_coach.session.live.step import LiveResult


@dataclass(frozen=True)
class ShownFrame:
    """The live step's result and its picture, already a QImage (None while replaying keypoints)."""

    result: LiveResult
    image: QImage | None
