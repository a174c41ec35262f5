"""The Qt binding the app pins (pyproject.toml): one that leaks references to None is refused here."""

from __future__ import annotations

import sys

from PySide6.QtCore import QPointF


def test_void_qt_calls_keep_the_reference_count_of_none() -> None:
    """PySide6 6.12 on Python 3.11 dropped a reference to None on every void call, and a live screen
    aborted within seconds ("none_dealloc"); pyproject pins PySide6 below 6.12. A binding with that
    leak fails here (1,000 calls: a clear drop, far from freeing None)."""
    point = QPointF()
    point.setX(1.0)  # warm up: the first call may create cached objects
    before = sys.getrefcount(None)
    for _ in range(1000):
        point.setX(1.0)
        point.setY(2.0)
    assert abs(sys.getrefcount(None) - before) < 50
