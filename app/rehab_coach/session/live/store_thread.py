"""Every database call of the live app, queued on one thread, so no screen ever waits for a disk or server."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from rehab_coach.engine.frame_rate import FrameRateSummary
from rehab_coach.engine.types import CueEvent, RepResult
from rehab_coach.i18n import _, ngettext

if TYPE_CHECKING:  # the store pulls in SQLAlchemy: imported on its own thread, when first used
    from rehab_coach.engine.clinical.result import ClinicalResult
    from rehab_coach.engine.templates import Template
    from rehab_coach.session.store import ProgramItemInfo, SessionRecorder, Store
    from rehab_coach.session.store.outbox import Waiting

log = logging.getLogger(__name__)
T = TypeVar("T")

SessionStatus = Literal["completed", "stopped"]


@dataclass(frozen=True)
class SaveResult:
    """Where a finished session ended up, in words for the summary screen (the patient's and the therapist's)."""

    uid: str | None
    offline: bool = False  # some of it waits in the local journal for the database to come back
    error: str = ""
    reps: int = 0  # reps the session recorded
    unsaved_reps: int = 0  # of those, reps neither in the database nor on this computer's disk: only in memory
    in_memory: bool = False  # something of the session (reps, its end) is only in the app's memory
    disk_full: bool = False  # why: the disk is full

    @property
    def in_database(self) -> bool:
        return self.uid is not None and not (self.error or self.offline or self.in_memory)

    def describe(self, language: str | None = None) -> str:
        if self.error:
            return _("Not saved: {0}", language).format(self.error)
        if self.in_memory:
            reason = (
                _("the disk is full", language)
                if self.disk_full
                else _("neither the database nor this computer's disk takes it", language)
            )
            if self.unsaved_reps:
                what = ngettext(
                    "{0} of {1} rep is not saved yet: {2}.",
                    "{0} of {1} reps are not saved yet: {2}.",
                    self.reps,
                    language,
                ).format(self.unsaved_reps, self.reps, reason)
            else:
                what = _("The end of this session is not saved yet: {0}.", language).format(reason)
            keep = _(
                "The app keeps what is not saved and saves it as soon as it can; please leave the app open "
                "and tell your therapist.",
                language,
            )
            return f"{what} {keep}"
        if self.offline:
            return _("Saved on this computer; it goes to the database as soon as the database is reachable", language)
        return _("Saved to the database", language)


@dataclass(frozen=True)
class CheckInSaved:
    """Where the patient's answers went: the journal (`offline`), only memory (a full disk), else the database."""

    offline: bool
    in_memory: bool
    previous_pain: int | None  # the answer before this one; None when pain was skipped or never answered


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

    Every write names its session (the uid `start_session` returns): a write for a session that
    is not the open one is refused, never recorded into another patient's session. Recording
    errors are logged and never raised to the caller: a broken database must not end a patient's
    session. `finish_session` says what became of it, `save_state` what became of it since (what
    waited on this computer or in memory reaches the database when it can: `sync_waiting`).
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
        self._errors: dict[str, str] = {}  # the first recording error of each session, by uid
        self._reps: dict[str, int] = {}  # reps queued for each session
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

    def _record(self, session: str, what: str, call: Callable[[SessionRecorder], object]) -> None:
        try:
            call(self.recorder)
        except Exception as exc:
            if session not in self._errors:
                log.exception("could not record %s of session %s", what, session)
                self._errors[session] = f"{type(exc).__name__}: {exc}"

    def _save_result(self, session: str) -> SaveResult:
        """What became of a session so far (on the store thread)."""
        error = self._errors.get(session, "")
        reps = self._reps.get(session, 0)
        try:
            waiting: Waiting = self.recorder.waiting(session)
        except Exception as exc:  # the recorder cannot even be made: the first error says why
            return SaveResult(session, error=error or f"{type(exc).__name__}: {exc}", reps=reps)
        return SaveResult(
            session,
            offline=waiting.journal_ops > 0,
            error=error,
            reps=reps,
            unsaved_reps=waiting.memory_reps,
            in_memory=waiting.memory_ops > 0,
            disk_full=waiting.disk_full,
        )

    # ---- queued from any thread -----------------------------------------------

    def call(self, fn: Callable[[Store], T]) -> Future[T]:
        """Run `fn(store)` on the store thread (screens' reads, the PIN check)."""
        return self._pool.submit(lambda: fn(self.store))

    def start_session(
        self,
        patient: str | None,
        template: Template | str,
        program_item: ProgramItemInfo | int | None = None,
        overrides: dict[str, Any] | None = None,
    ) -> str:
        """Queue a new session; returns its uid, which every later write for it names. `template`: the
        exercise's (or, for a clinical test, the test's id)."""
        uid = str(uuid.uuid4())

        def start(recorder: SessionRecorder) -> None:
            if recorder.session_uid is not None:  # the last one was never finished: close it, apart from this one
                recorder.finish_session(None, status="stopped")
            recorder.start_session(patient, template, program_item, overrides=overrides, uid=uid)

        self._submit(uid, "the session start", start)
        return uid

    def start_set(self, session: str, number: int) -> None:
        self._submit(session, f"set {number}", lambda r: r.start_set(number, session=session))

    def record_rep(self, session: str, rep: RepResult) -> None:
        self._reps[session] = self._reps.get(session, 0) + 1
        self._submit(session, f"rep {rep.index}", lambda r: r.record_rep(rep, session=session))

    def record_cue(self, session: str, cue: CueEvent) -> None:
        self._submit(session, f"cue {cue.id}", lambda r: r.record_cue(cue, session=session))

    def save_state(self, session: str) -> Future[SaveResult]:
        """What became of a finished session by now (the summary screen asks again while it waits)."""
        return self._pool.submit(lambda: self._save_result(session))

    def record_check_in(self, session: str, pain: int | None, effort: int | None) -> Future[CheckInSaved]:
        """The patient's answers after a session, written where the session is (database, journal or
        memory); the result says where, and the pain answer before this one (for the rise rule)."""

        def write() -> CheckInSaved:
            recorder = self.recorder
            offline = recorder.record_check_in(session, pain, effort)
            in_memory = recorder.waiting(session).memory_ops > 0
            # The answer before this one is only worth a query when pain was answered.
            return CheckInSaved(offline, in_memory, recorder.previous_pain(session) if pain is not None else None)

        return self._pool.submit(write)

    def record_clinical_result(self, session: str, result: ClinicalResult) -> None:
        self._submit(
            session, f"{result.test} trial {result.trial}", lambda r: r.record_clinical_result(result, session=session)
        )

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
        self,
        session: str,
        summary: dict[str, Any],
        status: SessionStatus,
        frame_rate: FrameRateSummary | None = None,
    ) -> Future[SaveResult]:
        due = time.monotonic() + self.delay
        fps_mean = frame_rate.mean_fps if frame_rate is not None else None
        fps_lowest = frame_rate.lowest_fps if frame_rate is not None else None

        def finish() -> SaveResult:
            _wait_until(due)
            self._record(
                session,
                "the session end",
                lambda r: r.finish_session(
                    summary, status=status, fps_mean=fps_mean, fps_lowest=fps_lowest, session=session
                ),
            )
            return self._save_result(session)

        return self._pool.submit(finish)

    def _submit(self, session: str, what: str, call: Callable[[SessionRecorder], object]) -> None:
        if self._closed:
            return
        due = time.monotonic() + self.delay

        def record() -> None:
            _wait_until(due)
            self._record(session, what, call)

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
        """Finish the queued calls (up to `timeout`), push what waits in memory a last time, then release
        the database. What the disk still refuses then is lost with the app: the log says what."""
        if self._closed:
            return True
        if self._recorder is not None:
            self._pool.submit(self._last_push)
        done = self.wait_idle(timeout)
        self._closed = True
        self._pool.shutdown(wait=done, cancel_futures=not done)
        if done and self._store is not None:
            self._store.close()
        return done

    def _last_push(self) -> None:
        recorder = self._recorder
        if recorder is None:
            return
        try:
            recorder.sync_waiting()
        except Exception as exc:
            log.warning("last push of waiting records failed: %s", exc)
        for session in recorder.sessions_in_memory():
            waiting = recorder.waiting(session)
            log.error(
                "session %s: %d record(s), %d of them reps, could not be saved (the disk refused them) "
                "and are lost when the app closes",
                session,
                waiting.memory_ops,
                waiting.memory_reps,
            )


def _wait_until(due: float) -> None:
    left = due - time.monotonic()
    if left > 0:
        time.sleep(left)
