"""`SessionRecorder`: the live flow's only way to write a session (Qt-free).

    recorder = SessionRecorder(store)
    uid = recorder.start_session("P-0042", template, program_item)
    recorder.start_set()                      # optional; the first rep opens set 1
    for update in updates:                    # coach.process(frame)
        for rep in update.new_reps: recorder.record_rep(rep)
        if update.cue: recorder.record_cue(update.cue)
    recorder.finish_session(coach.summary())
    recorder.record_check_in(uid, pain, effort)  # the patient's answers; True: kept in the journal

Every call commits at once, so a crash or power cut loses at most the rep in progress;
a session whose app died is later marked "interrupted" by `recover()`. When the
database is unreachable, locked or on a full disk, calls go to a local journal instead (the
session carries on), and to memory when the disk refuses the journal too (`outbox.py`); what
waits is pushed, without duplicates, once the database answers. Every write names its session
(the uid `start_session` returns, or gives back) and a session ends when `finish_session` is
called, whether or not its end could be written: one session's records never go into another.
A call can block for up to the connect timeout (3 s) when a server vanishes; after that
the recorder retries at most every `retry_seconds`.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from rehab_coach import __version__
from rehab_coach.engine.clinical.result import ClinicalResult
from rehab_coach.engine.templates import Template
from rehab_coach.engine.types import CueEvent, RepResult, SessionSummary, rounded_curve
from rehab_coach.session.store import series
from rehab_coach.session.store.convert import jsonable
from rehab_coach.session.store.db import StoreError
from rehab_coach.session.store.journal import ACTIVE_SESSIONS, journal_dir, pending, replay_pending
from rehab_coach.session.store.liveness import host_name
from rehab_coach.session.store.ops import (
    Finish,
    Op,
    RecordCheckIn,
    RecordClinicalResult,
    RecordCue,
    Recording,
    RecordRep,
    StartSession,
    StartSet,
)
from rehab_coach.session.store.outbox import Outbox, Waiting
from rehab_coach.session.store.store import Store, check_answers
from rehab_coach.session.store.views import ProgramItemInfo

log = logging.getLogger(__name__)

FINAL_STATUSES = ("completed", "stopped")


class RecorderError(RuntimeError):
    """The recorder was used out of order (a rep before start_session, ...)."""


class SessionRecorder:
    def __init__(
        self,
        store: Store,
        *,
        journal_folder: Path | None = None,
        retry_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
        recover: bool = True,
    ) -> None:
        self.store = store
        self.journal_folder = journal_folder or journal_dir()
        self.retry_seconds = retry_seconds
        self.clock = clock
        self._lock = threading.RLock()
        self._outbox = Outbox(self.journal_folder)
        self._retry_at = 0.0
        self.session_uid: str | None = None
        self._last_uid: str | None = None  # the session open now, or the one that ended last
        self.set_number = 0
        self._rep_seq = self._cue_seq = 0
        if recover:
            self.recover()

    # ---- the live flow -----------------------------------------------------------

    def start_session(
        self,
        patient: str | None,
        exercise: str | Template,
        program_item: int | ProgramItemInfo | None = None,
        *,
        overrides: dict[str, Any] | None = None,
        uid: str | None = None,
    ) -> str:
        """Open a session and return its id (a UUID string, valid before the database has seen it;
        `uid` gives it, for a caller that names the session before this runs).

        `patient` is the pseudonymous code (None for a guest); `exercise` the template in use
        (preferred: its target and direction are kept with the session) or just its id.
        """
        uid = str(uuid.UUID(uid)) if uid is not None else str(uuid.uuid4())
        with self._lock:
            if self.session_uid is not None:
                raise RecorderError("finish the current session before starting another")
            self._replay_left_journals()
            item_id = program_item.id if isinstance(program_item, ProgramItemInfo) else program_item
            if overrides is None and isinstance(program_item, ProgramItemInfo):
                overrides = program_item.overrides
            self.session_uid, self.set_number, self._rep_seq, self._cue_seq = uid, 0, 0, 0
            self._last_uid = uid
            ACTIVE_SESSIONS.add(uid)
            self._submit(
                StartSession(
                    session=uid,
                    patient_code=patient,
                    program_item_id=item_id,
                    overrides=jsonable(overrides or {}),
                    host=host_name(),
                    pid=os.getpid(),
                    app_version=__version__,
                    **_template_fields(exercise),
                )
            )
            return uid

    # `session` (optional): the uid the caller means. A write for any other session than the open one
    # is refused (RecorderError), never recorded into the open one.

    def start_set(self, number: int | None = None, *, session: str | None = None) -> int:
        with self._lock:
            uid = self._open(session)
            self.set_number = number if number is not None else self.set_number + 1
            self._submit(StartSet(session=uid, number=self.set_number))
            return self.set_number

    def record_rep(self, rep: RepResult, *, session: str | None = None) -> None:
        with self._lock:
            uid = self._open(session)
            if self.set_number == 0:
                self.start_set()
            self._rep_seq += 1
            curve = rounded_curve(series.downsample(rep.curve))
            self._submit(RecordRep(session=uid, seq=self._rep_seq, set=self.set_number, rep=rep, curve=curve))

    def record_cue(self, cue: CueEvent, *, session: str | None = None) -> None:
        with self._lock:
            uid = self._open(session)
            self._cue_seq += 1
            self._submit(
                RecordCue(
                    session=uid,
                    seq=self._cue_seq,
                    t=cue.t,
                    kind=cue.kind,
                    cue_id=cue.id,
                    text=cue.text,
                    priority=cue.priority,
                )
            )

    def record_clinical_result(self, result: ClinicalResult, *, session: str | None = None) -> None:
        """One trial of a standard clinical test, kept with this session (before `finish_session`)."""
        with self._lock:
            self._submit(RecordClinicalResult(session=self._open(session), result=result))

    def record_video(self, path: str | Path, *, session: str | None = None) -> None:
        """Note the video file of this session. Call it only when the user turned recording on."""
        with self._lock:
            self._submit(Recording(session=self._open(session), path=str(path)))

    def finish_session(
        self,
        summary: SessionSummary | dict[str, Any] | None = None,
        *,
        status: str = "completed",
        fps_mean: float | None = None,
        fps_lowest: float | None = None,
        session: str | None = None,
    ) -> None:
        """Close the session ("completed", or "stopped" when the user ended it early), with the frame
        rate the engine got (whole session, lowest few-second window; None: not measured).

        The session is closed here whatever becomes of the write: when the database and the disk refuse
        its end, the end waits with the session's other records, and the next session starts apart."""
        if status not in FINAL_STATUSES:
            raise RecorderError(f"status must be one of {FINAL_STATUSES}")
        with self._lock:
            uid = self._open(session)
            if isinstance(summary, SessionSummary):
                summary = summary.model_dump()
            finish = Finish(
                session=uid,
                status=status,
                summary=jsonable(summary),
                fps_mean=fps_mean,
                fps_lowest=fps_lowest,
            )
            self.session_uid = None
            ACTIVE_SESSIONS.discard(uid)
            self._submit(finish, force_sync=True)

    def record_check_in(self, session_uid: str, pain: int | None, effort: int | None) -> bool:
        """The patient's answers after a session this recorder wrote; True when they wait in the local journal.

        They follow their session: behind its ops in its journal while those have not reached the database
        (replay applies them in order), else straight to the database, else, when the database does not
        answer, into a journal of their own. Raises `StoreError` for an answer out of range, or for a
        session the database does not know.
        """
        check_answers(pain, effort)  # before anything is written, with the database's own words
        op = RecordCheckIn(session=session_uid, pain=pain, effort=effort)
        with self._lock:
            if self._outbox.waits(session_uid):
                self._outbox.keep(op)
                if self.clock() >= self._retry_at:
                    self._push_waiting(session_uid)
                return self._outbox.waits(session_uid)
            try:
                self.store.record_check_in(session_uid, pain, effort)
            except SQLAlchemyError as exc:
                log.warning("database unavailable (%s): check-in kept on this computer", exc.__class__.__name__)
                self._outbox.keep(op)
                self._retry_at = self.clock() + self.retry_seconds
                return True
            return False

    def previous_pain(self, session_uid: str) -> int | None:
        """The patient's pain answer before this session, for the rise rule (session/pain_rule.py);
        None when there is none, or the database cannot say (away, or the session still waits in
        the journal): then only a high answer is flagged on the spot, and the rise is flagged once
        the journal is synced."""
        try:
            return self.store.previous_pain(session_uid)
        except (SQLAlchemyError, StoreError) as exc:
            log.info("no previous pain answer to compare with: %s", exc.__class__.__name__)
            return None

    # ---- state and recovery -------------------------------------------------------

    @property
    def offline(self) -> bool:
        """True while records of the open (or last) session wait on this computer for the database."""
        return self._last_uid is not None and self._outbox.waits(self._last_uid)

    @property
    def pending_ops(self) -> int:
        if self._last_uid is None:
            return 0
        waiting = self._outbox.state(self._last_uid)
        return waiting.journal_ops + waiting.memory_ops

    def waiting(self, session_uid: str) -> Waiting:
        """What of this session is not in the database yet: in the journal, and only in memory."""
        with self._lock:
            return self._outbox.state(session_uid)

    def sessions_in_memory(self) -> list[str]:
        """Sessions with records only in memory (the database and the disk refused them), oldest first."""
        with self._lock:
            return self._outbox.in_memory()

    def sync(self) -> bool:
        """Push what waits of the open (or last) session now; True when nothing of it is left waiting."""
        with self._lock:
            if self._last_uid is None or not self._outbox.waits(self._last_uid):
                return True
            return self._push_waiting(self._last_uid)

    def sync_waiting(self) -> int:
        """Push everything waiting for the database (sessions that ended offline or on a full disk, answers
        given offline, this session's own); returns how many sessions still wait. The app calls it now and
        then, so what was kept on this computer reaches the therapist without another session being started."""
        with self._lock:
            self._push_waiting(self._last_uid)
            self._replay_left_journals()
            waiting = {journal.session_uid for journal in pending(self.journal_folder)}
            waiting.update(self._outbox.in_memory())
            if self._last_uid is not None and self._outbox.waits(self._last_uid):
                waiting.add(self._last_uid)  # this session's, still being written
            return len(waiting)

    def recover(self) -> None:
        """Sync journals left by earlier runs, then mark sessions whose app died as interrupted."""
        try:
            replay_pending(self.store, self.journal_folder)
            self.store.recover_interrupted()
        except (SQLAlchemyError, OSError) as exc:
            log.warning("cannot reach the database to recover old sessions: %s", exc.__class__.__name__)

    # ---- internals ------------------------------------------------------------------

    def _replay_left_journals(self) -> None:
        try:
            replay_pending(self.store, self.journal_folder)
        except (SQLAlchemyError, OSError):
            pass  # still down: the journals wait for the next try

    def _open(self, session: str | None) -> str:
        """The open session's uid; refuses a write meant for another session, or with none open."""
        if self.session_uid is None:
            raise RecorderError("start_session first" if session is None else f"session {session} is not open")
        if session is not None and session != self.session_uid:
            raise RecorderError(f"session {session} is not open (session {self.session_uid} is): not recorded")
        return self.session_uid

    def _push_waiting(self, also: str | None = None) -> bool:
        """Push the sessions whose records wait in memory and `also` (its journal too), oldest first; stops
        at the first the database refuses. True when all went."""
        sessions = dict.fromkeys([*self._outbox.in_memory(), *([also] if also else [])])
        for uid in sessions:
            if self._outbox.waits(uid) and not self._outbox.push(self.store, uid):
                self._retry_at = self.clock() + self.retry_seconds
                return False
        return True

    def _submit(self, op: Op, *, force_sync: bool = False) -> None:
        if self._outbox.waits(op.session):
            # Keep order: once anything of a session waits, everything after it does too.
            self._outbox.keep(op)
            if force_sync or self.clock() >= self._retry_at:
                self._push_waiting(op.session)
            return
        try:
            self.store.apply_ops([op])
        except SQLAlchemyError as exc:
            log.warning("database unavailable (%s): recording to the local journal", exc.__class__.__name__)
            self._outbox.keep(op)
            self._retry_at = self.clock() + self.retry_seconds
            return
        if self._outbox.in_memory() and self.clock() >= self._retry_at:
            self._push_waiting()  # the database takes writes again: what an earlier session kept in memory follows


def _template_fields(exercise: str | Template) -> dict[str, Any]:
    if isinstance(exercise, str):
        return {"exercise_id": exercise}
    primary = exercise.primary
    return {
        "exercise_id": exercise.id,
        "measure": primary.measure,
        "direction": primary.direction,
        "target": primary.target,
        "ideal": primary.ideal,
    }
