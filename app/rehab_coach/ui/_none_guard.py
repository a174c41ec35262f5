"""Work around PySide6 6.12 on Python 3.11: every call of a void Qt method drops a reference to None.

The 6.12 bindings treat None (and, on some paths, True and False) as immortal, which
they are on Python 3.12+, but on 3.11 each `painter.setPen(...)`, `widget.update()` and
so on lowers None's reference count by one. A live screen makes thousands of such calls
a second, so within seconds Python aborts with "none_dealloc: deallocating None"
(or "bool_dealloc" at exit). PySide6 6.11 does not have the bug.

When the leak is detected, the reference counts of these singletons are set as high as
Python 3.12 sets them (they are static objects and never really freed, so nothing
else changes).
"""

from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger(__name__)

# Far more than any session can drain (2**60 calls), far from overflowing a Py_ssize_t.
_PLENTY = 1 << 60
_PROBE_CALLS = 64


def none_leaks_per_call() -> float:
    """References to None lost per void call of the installed PySide6 (0 when healthy)."""
    from PySide6.QtCore import QPointF

    point = QPointF()
    point.setX(0.0)
    before = sys.getrefcount(None)
    for _ in range(_PROBE_CALLS):
        point.setX(0.0)
    return max(0, before - sys.getrefcount(None)) / _PROBE_CALLS


def guard_none() -> bool:
    """Make the singletons' reference counts unreachable if the bindings leak it; True when applied."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False  # None is immortal there
    if none_leaks_per_call() < 0.5:
        return False
    # In CPython 3.11 ob_refcnt is the first field of every object, at the object's address.
    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value = _PLENTY
    log.info("PySide6 leaks references to None on Python 3.11; None, True and False pinned immortal")
    return True
