"""Helpers shared by the store tests (imported by name: pytest puts this folder on sys.path)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, text

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


class TcpProxy:
    """A loopback TCP relay to the database server that can cut the network: `cut()` drops
    every open connection and refuses new ones, `restore()` listens again on the same port."""

    def __init__(self, target_host: str, target_port: int) -> None:
        import socket
        import threading

        self._socket, self._threading = socket, threading
        self.target = (target_host, target_port)
        self.port = 0
        self._open: list[Any] = []
        self._server: Any = None
        self.restore()

    def restore(self) -> None:
        server = self._socket.socket()
        server.setsockopt(self._socket.SOL_SOCKET, self._socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.port))
        server.listen(16)
        self.port = server.getsockname()[1]
        self._server = server
        self._threading.Thread(target=self._accept, args=(server,), daemon=True).start()

    def _accept(self, server: Any) -> None:
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return  # closed by cut()
            upstream = self._socket.create_connection(self.target, timeout=5)
            upstream.settimeout(None)
            self._open += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                self._threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: Any, sink: Any) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.close()
                except OSError:
                    pass

    def cut(self) -> None:
        try:
            self._server.shutdown(self._socket.SHUT_RDWR)  # wakes the accept() thread; close alone does not
        except OSError:
            pass
        self._server.close()
        for s in self._open:
            try:
                s.shutdown(self._socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass
        self._open.clear()


def head_revision() -> str:
    """The newest migration's revision id: what a fully migrated database records."""
    from alembic.script import ScriptDirectory

    from rehab_coach.session.store.db import alembic_config

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def add_patient_as_before(store: Store, code: str, name: str) -> int:
    """A patient written as a release before migration 0008 wrote one, in SQL: the app's `Patient` now
    has columns (birth year, sex) that an older database lacks. Returns its id."""
    with store.transaction() as db:
        db.execute(
            text(
                "INSERT INTO patients (code, display_name, notes, archived, created_at, updated_at) "
                "VALUES (:code, :name, '', :no, '2026-01-05 09:00:00', '2026-01-05 09:00:00')"
            ),
            {"code": code, "name": name, "no": False},
        )
        return int(db.execute(text("SELECT id FROM patients WHERE code = :code"), {"code": code}).scalar_one())
