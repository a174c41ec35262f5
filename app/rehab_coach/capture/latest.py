"""A single-slot "latest wins" mailbox between threads.

The capture thread puts every frame; the slower consumer (pose worker, GUI) only
ever gets the newest one, so nothing queues up and latency stays one frame.
"""

from __future__ import annotations

import threading
import time
from typing import Generic, TypeVar

T = TypeVar("T")


class LatestSlot(Generic[T]):
    """`put` overwrites the slot; `get` waits for an item, returns it and empties the slot.

    `dropped` counts items overwritten before anyone got them. After `close()`,
    `get` returns None at once and `put` is ignored (lets a worker thread exit).
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._item: T | None = None
        self._full = False
        self._closed = False
        self.dropped = 0
        self.delivered = 0

    def put(self, item: T) -> None:
        with self._cond:
            if self._closed:
                return
            if self._full:
                self.dropped += 1
            self._item, self._full = item, True
            self._cond.notify_all()

    def get(self, timeout: float | None = None) -> T | None:
        """The newest item, or None on timeout or once closed."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while not self._full and not self._closed:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return None
                self._cond.wait(remaining)
            if not self._full:
                return None
            item, self._item, self._full = self._item, None, False
            self.delivered += 1
            return item

    def close(self) -> None:
        with self._cond:
            self._closed = True
            if self._full:
                self.dropped += 1  # never delivered: keeps delivered + dropped == put count
            self._item, self._full = None, False
            self._cond.notify_all()

    @property
    def closed(self) -> bool:
        return self._closed
