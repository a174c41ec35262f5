"""What the recorder could not write to the database yet, session by session.

An op goes to the database when it can. When the database refuses it (unreachable, locked, or its
disk full), the op waits in its session's journal file; when the disk refuses the journal too
(full), it waits in memory, behind what the journal holds. Order is kept per session: once anything
of a session waits, its later ops wait behind it. A push sends the journal's ops, then those in
memory, in one transaction. While the database still refuses, what waits in memory moves into the
journal as soon as the disk takes it, so memory (lost if the app dies) is only ever the last resort.
"""

from __future__ import annotations

import errno
import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from rehab_coach.session.store.journal import Journal
from rehab_coach.session.store.ops import Op, RawOp
from rehab_coach.session.store.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Waiting:
    """What of one session is not in the database yet."""

    journal_ops: int = 0  # on this computer's disk (survives the app)
    journal_reps: int = 0
    memory_ops: int = 0  # only in the app's memory: the disk refused them too
    memory_reps: int = 0
    disk_full: bool = False  # the disk refused the journal for lack of space (else: another disk error)

    @property
    def any(self) -> bool:
        return bool(self.journal_ops or self.memory_ops)


class Outbox:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._memory: dict[str, list[Op]] = {}
        self._disk_errors: dict[str, OSError] = {}

    def journal(self, session_uid: str) -> Journal:
        return Journal.for_session(self.folder, session_uid)

    def waits(self, session_uid: str) -> bool:
        return bool(self._memory.get(session_uid)) or self.journal(session_uid).exists()

    def in_memory(self) -> list[str]:
        """Sessions with ops only in memory, oldest first."""
        return list(self._memory)

    def keep(self, op: Op) -> None:
        """Keep an op the database did not take: behind its session's waiting ops."""
        memory = self._memory.get(op.session)
        if memory:
            memory.append(op)
            return
        try:
            self.journal(op.session).append(op)
        except OSError as exc:
            log.error(
                "the disk refuses the journal too (%s): session %s keeps its records in memory until it can write them",
                exc.strerror or exc,
                op.session,
            )
            self._memory[op.session] = [op]
            self._disk_errors[op.session] = exc

    def push(self, store: Store, session_uid: str) -> bool:
        """Everything of this session that waits, into the database in one transaction; True when nothing waits
        any more. While the database refuses, ops in memory move into the journal if the disk now takes them."""
        journal = self.journal(session_uid)
        memory = self._memory.get(session_uid, [])
        ops: list[Op | RawOp] = [*journal.read(), *memory]
        if not ops:
            journal.clear()
            return True
        try:
            store.apply_ops(ops)
        except SQLAlchemyError as exc:
            log.info("database still unavailable (%s); session %s keeps waiting", exc.__class__.__name__, session_uid)
            self._to_journal(session_uid)
            return False
        journal.clear()
        self._memory.pop(session_uid, None)
        self._disk_errors.pop(session_uid, None)
        log.info("session %s: %d waiting record(s) written to the database", session_uid, len(ops))
        return True

    def state(self, session_uid: str) -> Waiting:
        journal = self.journal(session_uid)
        journaled = journal.read() if journal.exists() else []
        memory = self._memory.get(session_uid, [])
        error = self._disk_errors.get(session_uid)
        return Waiting(
            journal_ops=len(journaled),
            journal_reps=sum(1 for op in journaled if op.get("op") == "rep"),
            memory_ops=len(memory),
            memory_reps=sum(1 for op in memory if op.op == "rep"),
            disk_full=error is not None and error.errno == errno.ENOSPC,
        )

    def _to_journal(self, session_uid: str) -> None:
        memory = self._memory.get(session_uid)
        if not memory:
            return
        try:
            self.journal(session_uid).append(*memory)
        except OSError as exc:
            self._disk_errors[session_uid] = exc
            return
        log.info("session %s: %d record(s) moved from memory to the journal", session_uid, len(memory))
        del self._memory[session_uid]
        self._disk_errors.pop(session_uid, None)
