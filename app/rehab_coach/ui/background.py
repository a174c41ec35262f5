"""Results of store-thread calls, handed back to the GUI thread, and the therapist screens' reads.

`StoreThread` runs database work on its own thread and returns futures; the screens
must never wait on one. `Results.watch(future, on_result)` calls `on_result` on the GUI
thread once the future is done, through a queued signal.

`NewestRead` is how a therapist screen reads what it shows (the patient list, a patient's
program, sessions, weeks, trends, tests): on a worker thread of its own, one read after another,
and only the newest read's answer is shown (`LatestRead`), so a slow read for the patient chosen
before never overwrites the one chosen now.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from rehab_coach.session.store import LatestRead

log = logging.getLogger(__name__)

T = TypeVar("T")


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


class NewestRead(QObject):
    """A screen's reads on a worker thread of its own; only the newest one's answer is handed back.

    `read(read, show, failed)` runs `read()` on the worker (a read waits for the one before) and calls
    `show(answer)` or `failed(error)` on the GUI thread, unless a newer read was started (or
    `cancel`led) meanwhile. `loading` while the newest read has not answered."""

    def __init__(self, parent: QObject, name: str) -> None:
        super().__init__(parent)
        self.reads = LatestRead()
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        worker = self._worker
        self.destroyed.connect(lambda *_: worker.shutdown(wait=False, cancel_futures=True))
        self._answers = Results(self)

    def read(self, read: Callable[[], T], show: Callable[[T], None], failed: Callable[[BaseException], None]) -> None:
        ticket = self.reads.begin()
        self._answers.watch(
            self._worker.submit(read),
            lambda answer: show(answer) if self.reads.finish(ticket) else None,
            lambda error: failed(error) if self.reads.finish(ticket) else None,
        )

    def cancel(self) -> None:
        """The screen was filled from elsewhere: no answer on its way is shown."""
        self.reads.cancel()

    @property
    def loading(self) -> bool:
        return self.reads.loading
