"""Results of store-thread calls, handed back to the GUI thread.

`StoreThread` runs database work on its own thread and returns futures; the screens
must never wait on one. `Results.watch(future, on_result)` calls `on_result` on the GUI
thread once the future is done, through a queued signal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)


class Results(QObject):
    _done = Signal(object, object, object)  # future, on_result, on_error

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._done.connect(self._deliver)
        self.pending = 0

    def watch(
        self,
        future: Future[Any],
        on_result: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.pending += 1
        future.add_done_callback(lambda done: self._emit(done, on_result, on_error))

    def _emit(self, future: Future[Any], on_result: object, on_error: object) -> None:
        try:
            self._done.emit(future, on_result, on_error)  # from the store thread: queued to ours
        except RuntimeError:  # the window (and this object) is already gone: nobody to tell
            pass

    def _deliver(
        self, future: Future[Any], on_result: Callable[[Any], None], on_error: Callable[[BaseException], None] | None
    ) -> None:
        self.pending -= 1
        if future.cancelled():
            return
        error = future.exception()
        if error is None:
            on_result(future.result())
        elif on_error is not None:
            on_error(error)
        else:
            log.error("a database call failed: %s", error, exc_info=error)
