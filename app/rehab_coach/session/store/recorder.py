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
database is unreachable or locked, calls go to a local journal instead (the session
carries on) and the journal is pushed, without duplicates, once the database answers.
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
from rehab_coach.engine.types import CueEvent, RepResult, SessionSummary
from rehab_coach.session.store import series
from rehab_coach.session.store.convert import jsonable
from rehab_coach.session.store.db import StoreError
from rehab_coach.session.store.journal import ACTIVE_SESSIONS, Journal, journal_dir, pending, replay_pending
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
        self._journal: Journal | None = None
        self._retry_at = 0.0
        self.session_uid: str | None = None
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
    ) -> str:
        """Open a session and return its id (a UUID string, valid before the database has seen it).

        `patient` is the pseudonymous code (None for a guest); `exercise` the template in use
        (preferred: its target and direction are kept with the session) or just its id.
        """
        with self._lock:
            if self.session_uid is not None:
                raise RecorderError("finish the current session before starting another")
            self._replay_left_journals()
            uid = str(uuid.uuid4())
            item_id = program_item.id if isinstance(program_item, ProgramItemInfo) else program_item
            if overrides is None and isinstance(program_item, ProgramItemInfo):
                overrides = program_item.overrides
            self.session_uid, self.set_number, self._rep_seq, self._cue_seq = uid, 0, 0, 0
            self._journal = Journal.for_session(self.journal_folder, uid)
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

    def start_set(self, number: int | None = None) -> int:
        with self._lock:
            self._require_session()
            self.set_number = number if number is not None else self.set_number + 1
            self._submit(StartSet(session=self._uid, number=self.set_number))
            return self.set_number

    def record_rep(self, rep: RepResult) -> None:
        with self._lock:
            self._require_session()
            if self.set_number == 0:
                self.start_set()
            self._rep_seq += 1
            curve = [(round(t, 3), round(v, 2)) for t, v in series.downsample(rep.curve)]
            self._submit(RecordRep(session=self._uid, seq=self._rep_seq, set=self.set_number, rep=rep, curve=curve))

    def record_cue(self, cue: CueEvent) -> None:
        with self._lock:
            self._require_session()
            self._cue_seq += 1
            self._submit(
                RecordCue(
                    session=self._uid,
                    seq=self._cue_seq,
                    t=cue.t,
                    kind=cue.kind,
                    cue_id=cue.id,
                    text=cue.text,
                    priority=cue.priority,
                )
            )

    def record_clinical_result(self, result: ClinicalResult) -> None:
        """One trial of a standard clinical test, kept with this session (before `finish_session`)."""
        with self._lock:
            self._require_session()
            self._submit(RecordClinicalResult(session=self._uid, result=result))

    def record_video(self, path: str | Path) -> None:
        """Note the video file of this session. Call it only when the user turned recording on."""
        with self._lock:
            self._require_session()
            self._submit(Recording(session=self._uid, path=str(path)))

    def finish_session(
        self,
        summary: SessionSummary | dict[str, Any] | None = None,
        *,
        status: str = "completed",
        fps_mean: float | None = None,
        fps_lowest: float | None = None,
    ) -> None:
        """Close the session ("completed", or "stopped" when the user ended it early), with the frame
        rate the engine got (whole session, lowest few-second window; None: not measured)."""
        if status not in FINAL_STATUSES:
            raise RecorderError(f"status must be one of {FINAL_STATUSES}")
        with self._lock:
            self._require_session()
            if isinstance(summary, SessionSummary):
                summary = summary.model_dump()
            finish = Finish(
                session=self._uid,
                status=status,
                summary=jsonable(summary),
                fps_mean=fps_mean,
                fps_lowest=fps_lowest,
            )
            self._submit(finish, force_sync=True)
            ACTIVE_SESSIONS.discard(self.session_uid or "")
            self.session_uid = None

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
            journal = Journal.for_session(self.journal_folder, session_uid)
            if journal.exists():
                journal.append(op)
                if self.clock() >= self._retry_at:
                    self._push(journal)
                return journal.exists()
            try:
                self.store.record_check_in(session_uid, pain, effort)
            except SQLAlchemyError as exc:
                log.warning("database unavailable (%s): check-in kept in the local journal", exc.__class__.__name__)
                journal.append(op)
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
        """True while ops wait in the journal for the database to come back."""
        return self._journal is not None and self._journal.exists()

    @property
    def pending_ops(self) -> int:
        return len(self._journal.read()) if self.offline and self._journal else 0

    def sync(self) -> bool:
        """Push this session's journal now; True when nothing is left waiting."""
        with self._lock:
            if not self.offline or self._journal is None:
                return True
            return self._push(self._journal)

    def sync_waiting(self) -> int:
        """Push every journal waiting for the database (sessions that ended offline, answers given
        offline, this session's own); returns how many still wait. The app calls it now and then, so
        what was kept on this computer reaches the therapist without another session being started."""
        with self._lock:
            if self.offline and self._journal is not None:
                self._push(self._journal)
            self._replay_left_journals()
            waiting = {journal.path for journal in pending(self.journal_folder)}
            if self.offline and self._journal is not None:
                waiting.add(self._journal.path)  # this session's, still being written
            return len(waiting)

    def recover(self) -> None:
        """Sync journals left by earlier runs, then mark sessions whose app died as interrupted."""
        try:
            replay_pending(self.store, self.journal_folder)
            self.store.recover_interrupted()
        except SQLAlchemyError as exc:
            log.warning("cannot reach the database to recover old sessions: %s", exc.__class__.__name__)

    # ---- internals ------------------------------------------------------------------

    def _replay_left_journals(self) -> None:
        try:
            replay_pending(self.store, self.journal_folder)
        except SQLAlchemyError:
            pass  # still down: the journals wait for the next try

    def _push(self, journal: Journal) -> bool:
        try:
            self.store.apply_ops(journal.read())
        except SQLAlchemyError as exc:
            self._retry_at = self.clock() + self.retry_seconds
            log.info("database still unavailable (%s); keeping the journal", exc.__class__.__name__)
            return False
        journal.clear()
        log.info("database back: session journal synced")
        return True

    def _require_session(self) -> None:
        if self.session_uid is None:
            raise RecorderError("start_session first")

    @property
    def _uid(self) -> str:
        assert self.session_uid is not None
        return self.session_uid

    def _submit(self, op: Op, *, force_sync: bool = False) -> None:
        assert self._journal is not None
        if self.offline:
            # Keep order: once anything waits in the journal, everything after it does too.
            self._journal.append(op)
            if force_sync or self.clock() >= self._retry_at:
                self.sync()
            return
        try:
            self.store.apply_ops([op])
        except SQLAlchemyError as exc:
            log.warning("database unavailable (%s): recording to the local journal", exc.__class__.__name__)
            self._journal.append(op)
            self._retry_at = self.clock() + self.retry_seconds


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
