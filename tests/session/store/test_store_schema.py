"""Schema, migrations and choosing the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from store_helpers import head_revision

from rehab_coach.session.store import Store, StoreError, open_store, resolve_url
from rehab_coach.session.store.db import normalise_url
from rehab_coach.session.store.tables import Base


def test_migrations_build_exactly_the_models(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_migrating_again_is_a_no_op(store_url: str) -> None:
    first = open_store(store_url)
    first.add_patient("P-1", "Someone")
    first.close()
    second = open_store(store_url)
    assert [p.code for p in second.list_patients()] == ["P-1"]
    with second.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
        assert "rep_series" in inspect(conn).get_table_names()
    second.close()


def test_sqlite_uses_wal_and_full_sync(tmp_path: Path) -> None:
    store = open_store(tmp_path / "x.db")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    store.close()


def test_default_database_is_sqlite_in_the_data_dir(user_data_dir: Path) -> None:
    assert resolve_url() == f"sqlite:///{user_data_dir / 'rehab-coach.db'}"
    store = open_store()
    assert Path(store.url.database or "").parent == user_data_dir
    store.close()


def test_url_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "storage.toml").write_text('[database]\nurl = "postgresql://clinic/rehab"\n')
    assert resolve_url() == "postgresql://clinic/rehab"
    monkeypatch.setenv("REHAB_COACH_DB_URL", "sqlite:////tmp/env.db")
    assert resolve_url() == "sqlite:////tmp/env.db"
    assert resolve_url("sqlite:////tmp/flag.db") == "sqlite:////tmp/flag.db"


def test_postgres_urls_use_psycopg3_and_others_are_refused() -> None:
    assert normalise_url("postgresql://u:p@h/db").drivername == "postgresql+psycopg"
    with pytest.raises(StoreError, match="unsupported database"):
        normalise_url("mysql://u:p@h/db")


def test_unreachable_server_gives_a_clear_error() -> None:
    with pytest.raises(StoreError, match=r"cannot open the database postgresql\+psycopg://u:\*\*\*@127.0.0.1:9/x"):
        open_store("postgresql://u:secret@127.0.0.1:9/x")
