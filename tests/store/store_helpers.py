"""Helpers shared by the store tests (imported by name: pytest puts this folder on sys.path)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from rehab_coach.session.store import Store


class Outage:
    """Makes the store's database unreachable (every new connection refused) until `up()`."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.is_down = False
        event.listen(store.engine, "do_connect", self._connect)

    def _connect(self, dialect: Any, _record: Any, _cargs: Any, _cparams: Any) -> None:
        if self.is_down:
            raise dialect.loaded_dbapi.OperationalError("simulated outage: connection refused")

    def down(self) -> None:
        self.is_down = True
        self.store.engine.dispose()  # pooled connections die with the server

    def up(self) -> None:
        self.is_down = False
