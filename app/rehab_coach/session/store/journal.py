"""A local append-only journal of recorder ops, used while the database is unreachable or locked.

One file per session, `<session uid>.<pid>.jsonl` under `<data dir>/journal/`, one JSON
op (`ops.py`) per line, fsynced after each line: the session's ops, then the patient's check-in
answers when they came while the session (or the database) was offline. A crash can at worst
leave a torn last line, which replay ignores. Replay is idempotent (see `writes.py`): a journal
that was synced but not yet deleted when the app died adds nothing the second time.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from rehab_coach.paths import private_dir, user_data_dir
from rehab_coach.session.store.liveness import pid_alive
from rehab_coach.session.store.ops import Op, RawOp, op_json
from rehab_coach.session.store.store import Store

log = logging.getLogger(__name__)

# Sessions being recorded in this process: their journals belong to a live recorder.
ACTIVE_SESSIONS: set[str] = set()


def journal_dir() -> Path:
    return private_dir(user_data_dir() / "journal")


class Journal:
    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def for_session(cls, folder: Path, session_uid: str) -> Journal:
        return cls(folder / f"{session_uid}.{os.getpid()}.jsonl")

    @property
    def session_uid(self) -> str:
        return self.path.name.split(".")[0]

    @property
    def owner_pid(self) -> int:
        parts = self.path.name.split(".")
        return int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else 0

    def exists(self) -> bool:
        return self.path.exists()

    def append(self, *ops: Op | RawOp) -> None:
        """Append ops and fsync; all or none: a write the disk refuses (full) is cut off again, so a
        later retry appends whole lines, never after a torn one. Raises the OSError."""
        private_dir(self.path.parent)
        data = "".join(op_json(op) + "\n" for op in ops).encode("utf-8")
        # 0600: the ops carry patient codes and session data.
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            size = os.fstat(fd).st_size
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
                os.fsync(fd)
            except OSError:
                _cut(fd, size)
                if size == 0:
                    self.clear()  # a journal that never held an op: none is waiting
                raise
        finally:
            os.close(fd)

    def read(self) -> list[RawOp]:
        """The ops as written, parsed JSON; the store checks each against the op models when it applies them,
        so a journal written by an older version replays as long as its ops still mean the same."""
        if not self.path.exists():
            return []
        ops = []
        lines = self.path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            try:
                ops.append(json.loads(line))
            except json.JSONDecodeError:
                if number == len(lines):
                    log.warning("%s: ignoring a torn last line (the app stopped while writing it)", self.path)
                else:
                    log.error("%s:%d: unreadable journal line skipped", self.path, number)
        return ops

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


def _cut(fd: int, size: int) -> None:
    try:
        os.ftruncate(fd, size)  # needs no free space
    except OSError:
        log.error("could not cut a partly written journal line; replay skips it")


def pending(folder: Path) -> list[Journal]:
    """Journals that no live recorder is writing: left by a crash or by a session that ended offline."""
    found = []
    for path in sorted(folder.glob("*.jsonl")):
        journal = Journal(path)
        if journal.session_uid in ACTIVE_SESSIONS:
            continue
        if journal.owner_pid != os.getpid() and pid_alive(journal.owner_pid):
            continue  # another app instance on this machine is still recording it
        found.append(journal)
    return found


def replay_pending(store: Store, folder: Path | None = None) -> int:
    """Push every orphaned journal into the store; returns how many were synced.

    Stops at the first database error: it is still down, try again later.
    """
    synced = 0
    for journal in pending(folder or journal_dir()):
        ops = journal.read()
        try:
            if ops:
                store.apply_ops(ops)
        except SQLAlchemyError as exc:
            log.info("journal replay postponed, database unavailable: %s", exc.__class__.__name__)
            break
        journal.clear()
        synced += 1
    return synced
