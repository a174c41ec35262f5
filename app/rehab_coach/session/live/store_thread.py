"""Every database call of the live app, queued on one thread, so no screen ever waits for a disk or server."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from rehab_coach.engine.frame_rate import FrameRateSummary
from rehab_coach.engine.types import CueEvent, RepResult
from rehab_coach.i18n import _

if TYPE_CHECKING:  # the store pulls in SQLAlchemy: imported on its own thread, when first used
    from rehab_coach.engine.templates import Template
    from rehab_coach.session.store import ProgramItemInfo, SessionRecorder, Store

log = logging.getLogger(__name__)
T = TypeVar("T")

SessionStatus = Literal["completed", "stopped"]


@dataclass(frozen=True)
class SaveResult:
    """Where a finished session ended up, in words for the summary screen."""

    uid: str | None
    offline: bool = False  # in the local journal, waiting for the database to come back
    error: str = ""

    def describe(self, language: str | None = None) -> str:
        if self.error:
            return _("Not saved: {0}", language).format(self.error)
        if self.offline:
            return _("Saved on this computer; it goes to the database as soon as the database is reachable", language)
        return _("Saved to the database", language)


class StoreThread:
    """Every database call of the live app, in order, on one thread of its own.

    The recorder commits each rep and cue as it comes, so a crash loses at most the rep in
    progress. But a call blocks while a database server is unreachable (up to its connect
    timeout) or a SQLite file is locked: the GUI and the worker only ever queue calls here
    and never wait for them. Reads for the screens (`call`) queue behind the writes, so a
    screen that reads after a session always sees it.

    Each write runs `delay` seconds after it was queued. A write is some 10 ms of Python in
    SQLAlchemy, and while it runs the GUI thread waits for the GIL at each of its Qt calls;
    the moments that queue writes (a rep, a new set) are exactly those when the screen
    redraws the most, so the write waits until the screen has reacted. A crash then loses
    at most the rep in progress and the last `delay` seconds.

    Recording errors are logged and never raised to the caller: a broken database must not
    end a patient's session. `finish_session` says what became of it.
    """

    def __init__(
        self,
        url: str | Path | None = None,
        *,
        delay: float = 0.3,
        recorder_factory: Callable[[Store], SessionRecorder] | None = None,
    ) -> None:
        self.url = url
        self.delay = delay
        self._recorder_factory = recorder_factory
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rehab-coach store")
        self._store: Store | None = None
        self._recorder: SessionRecorder | None = None
        self._error = ""  # the first recording error of the current session
        self._closed = False

    # ---- on the store thread --------------------------------------------------

    @property
    def store(self) -> Store:
        if self._store is None:
            from rehab_coach.session.store import Store

            self._store = Store(self.url, lock_timeout=1.0)
        return self._store

    @property
    def recorder(self) -> SessionRecorder:
        if self._recorder is None:
            from rehab_coach.session.store import SessionRecorder

            factory = self._recorder_factory or SessionRecorder
            self._recorder = factory(self.store)  # syncs old journals, marks dead sessions interrupted
        return self._recorder

    def _record(self, what: str, call: Callable[[SessionRecorder], object]) -> None:
        try:
            call(self.recorder)
        except Exception as exc:
            if not self._error:
                log.exception("could not record %s", what)
                self._error = f"{type(exc).__name__}: {exc}"

    # ---- queued from any thread -----------------------------------------------

    def call(self, fn: Callable[[Store], T]) -> Future[T]:
        """Run `fn(store)` on the store thread (screens' reads, the PIN check)."""
        return self._pool.submit(lambda: fn(self.store))

    def start_session(
        self,
        patient: str | None,
        template: Template,
        program_item: ProgramItemInfo | int | None = None,
        overrides: dict[str, Any] | None = None,
    ) -> None:
        def start(recorder: SessionRecorder) -> None:
            self._error = ""
            if recorder.session_uid is not None:  # the last one never finished (its finish failed): close it
                recorder.finish_session(None, status="stopped")
            recorder.start_session(patient, template, program_item, overrides=overrides)

        self._submit("the session start", start)

    def start_set(self, number: int) -> None:
        self._submit(f"set {number}", lambda r: r.start_set(number))

    def record_rep(self, rep: RepResult) -> None:
        self._submit(f"rep {rep.index}", lambda r: r.record_rep(rep))

    def record_cue(self, cue: CueEvent) -> None:
        self._submit(f"cue {cue.id}", lambda r: r.record_cue(cue))

    def sync_waiting(self) -> None:
        """Queue a push of whatever waits in the local journal (see `SessionRecorder.sync_waiting`)."""
        if self._closed:
            return

        def sync() -> None:
            try:
                self.recorder.sync_waiting()
            except Exception as exc:  # a database that cannot even be opened: not this session's error
                log.warning("journal sync postponed: %s", exc)

        self._pool.submit(sync)

    def finish_session(
        self, summary: dict[str, Any], status: SessionStatus, frame_rate: FrameRateSummary | None = None
    ) -> Future[SaveResult]:
        due = time.monotonic() + self.delay
        fps_mean = frame_rate.mean_fps if frame_rate is not None else None
        fps_lowest = frame_rate.lowest_fps if frame_rate is not None else None

        def finish() -> SaveResult:
            _wait_until(due)
            uid = self._recorder.session_uid if self._recorder is not None else None
            self._record(
                "the session end",
                lambda r: r.finish_session(summary, status=status, fps_mean=fps_mean, fps_lowest=fps_lowest),
            )
            offline = self._recorder is not None and self._recorder.offline
            return SaveResult(uid, offline, self._error)

        return self._pool.submit(finish)

    def _submit(self, what: str, call: Callable[[SessionRecorder], object]) -> None:
        if self._closed:
            return
        due = time.monotonic() + self.delay

        def record() -> None:
            _wait_until(due)
            self._record(what, call)

        self._pool.submit(record)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until everything queued so far is done (tests, shutdown); False on timeout."""
        try:
            self._pool.submit(lambda: None).result(timeout)
        except TimeoutError:
            return False
        except RuntimeError:  # already shut down
            return True
        return True

    def close(self, timeout: float = 10.0) -> bool:
        """Finish the queued calls (up to `timeout`), then release the database."""
        if self._closed:
            return True
        done = self.wait_idle(timeout)
        self._closed = True
        self._pool.shutdown(wait=done, cancel_futures=not done)
        if done and self._store is not None:
            self._store.close()
        return done


def _wait_until(due: float) -> None:
    left = due - time.monotonic()
    if left > 0:
        time.sleep(left)
