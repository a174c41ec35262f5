"""A data folder on a full disk, simulated (imported by name: pytest puts tests/ on sys.path).

The real disk is never filled: `FullDisk` makes the database's writes fail as SQLite's do on a
full disk (`database or disk is full`, raised by the driver and wrapped by SQLAlchemy) and the
journal's writes fail with ENOSPC, until `free()`.
"""

from __future__ import annotations

import errno
import sqlite3
from typing import Any

import pytest
from sqlalchemy import Engine, event

from rehab_coach.session.store.journal import Journal

_WRITES = ("INSERT", "UPDATE", "DELETE")


class FullDisk:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.full = False
        self.refused_journal_writes = 0
        self.refused_database_writes = 0
        real_append = Journal.append

        def append(journal: Journal, *args: Any, **kwargs: Any) -> None:
            if self.full:
                self.refused_journal_writes += 1
                raise OSError(errno.ENOSPC, "No space left on device", str(journal.path))
            real_append(journal, *args, **kwargs)

        monkeypatch.setattr(Journal, "append", append)

    def watch(self, engine: Engine) -> None:
        """Put this engine's database on the full disk (its writes fail while `full`)."""
        event.listen(engine, "do_execute", self._execute)
        event.listen(engine, "do_executemany", self._execute)

    def _execute(self, _cursor: Any, statement: str, _parameters: Any, _context: Any) -> bool:
        if self.full and statement.lstrip().upper().startswith(_WRITES):
            self.refused_database_writes += 1
            raise sqlite3.OperationalError("database or disk is full")
        return False  # not handled here: the driver runs it

    def fill(self) -> None:
        self.full = True

    def free(self) -> None:
        self.full = False
