"""Store fixtures: every store test runs on SQLite and on a real PostgreSQL server.

PostgreSQL comes from scripts/ci_postgres.sh (CI runs it); each test gets its own
schema on that server, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from store_helpers import Outage

from rehab_coach.session.store import Store

PG_ENV = "REHAB_COACH_TEST_PG_URL"
PG_SKIP = (
    f'{PG_ENV} is not set: start a local server with `eval "$(scripts/ci_postgres.sh start)"` '
    "(CI does this) to run the PostgreSQL variant"
)


@contextmanager
def _pg_schema() -> Iterator[str]:
    """A fresh schema on the test server, as a URL whose connections use it."""
    server = os.environ.get(PG_ENV)
    if not server:
        pytest.skip(PG_SKIP)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))  # a generated identifier, not user input
    separator = "&" if "?" in server else "?"
    try:
        yield f"{server}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    with _pg_schema() as url:
        yield url


@pytest.fixture
def pg_url() -> Iterator[str]:
    """PostgreSQL only, for what SQLite has no equivalent of (a network)."""
    with _pg_schema() as url:
        yield url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = Store(store_url, lock_timeout=0.5)
    opened.ready()
    yield opened
    opened.close()


@pytest.fixture
def outage(store: Store) -> Outage:
    return Outage(store)
