"""The skeleton overlay's geometry: keypoints mapped into the painted picture, arcs in Qt's angle convention."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF

from rehab_coach.keypoints.types import Person
from rehab_coach.ui.widgets.skeleton import _direction, to_view


def test_keypoints_map_into_the_painted_rectangle() -> None:
    kp = np.zeros((17, 3))
    kp[0] = (320, 240, 0.9)
    kp[1] = (10, 10, 0.1)  # too unsure to draw
    points = to_view(Person.from_keypoints(kp), (640, 480), QRectF(100, 50, 320, 240))
    assert points[0] == QPointF(260, 170) and points[1] is None


def test_arc_angles_follow_qt_conventions() -> None:
    origin = QPointF(0, 0)
    assert _direction(origin, QPointF(10, 0)) == 0
    assert _direction(origin, QPointF(0, -10)) == 90  # screen up is counter-clockwise
    assert math.isclose(abs(_direction(origin, QPointF(-10, 0))), 180)
