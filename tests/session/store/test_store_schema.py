"""Schema, migrations and choosing the database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert, inspect, text
from store_helpers import head_revision

from rehab_coach.session.store import Store, StoreError, open_store, resolve_url
from rehab_coach.session.store.db import migrate, normalise_url
from rehab_coach.session.store.tables import Base, Patient, Program, SessionRow


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


def test_the_scale_migration_merges_patients_whose_codes_differ_only_in_case(store_url: str) -> None:
    """A database from before the unique index may hold P-7 and p-7 (made by a race, or a synced session):
    the upgrade keeps the first stored, with every session and program of both, and says so."""
    old = Store(store_url, auto_migrate=False)
    migrate(old.engine, "0004")
    at = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    with old.engine.begin() as connection:
        for id_, code, name, notes in ((1, "P-7", "Ann", "left knee"), (2, "p-7", "p-7", "added by a synced session")):
            connection.execute(
                insert(Patient.__table__),
                {"id": id_, "code": code, "display_name": name, "notes": notes, "created_at": at, "updated_at": at},
            )
            connection.execute(
                insert(Program.__table__),
                {
                    "id": id_,
                    "patient_id": id_,
                    "weekdays": 127,
                    "start_date": at.date(),
                    "active": True,
                    "created_at": at,
                },
            )
            connection.execute(
                insert(SessionRow.__table__),
                {
                    "uid": f"00000000-0000-0000-0000-00000000000{id_}",
                    "patient_id": id_,
                    "exercise_id": "squat",
                    "status": "completed",
                    "started_at": at + dt.timedelta(days=id_),
                    "last_activity_at": at + dt.timedelta(days=id_),
                },
            )
        connection.execute(
            insert(Patient.__table__),
            {"id": 3, "code": "Q-1", "display_name": "Bob", "created_at": at, "updated_at": at},
        )
    old.close()

    store = open_store(store_url)  # upgrades to the head
    try:
        assert [(p.id, p.code, p.display_name) for p in store.list_patients()] == [(1, "P-7", "Ann"), (3, "Q-1", "Bob")]
        merged = store.patient("p-7")
        assert merged.id == 1 and merged.notes.startswith(
            "left knee\nMerged with patient p-7 (p-7): codes ignore case."
        )
        assert [s.uid[-1] for s in store.sessions_for(1)] == ["2", "1"]
        assert [(p.id, p.active) for p in store.program_history(1)] == [(1, False), (2, True)]
        with pytest.raises(StoreError, match="already exists"):
            store.add_patient("P-7", "Someone")
    finally:
        store.close()


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


def test_the_scale_migration_follows_protocols_and_goes_down_and_up_again(store_url: str) -> None:
    """0007_store_scale revises 0006_protocols: down to 0006 its indexes go (the plain patient index comes
    back) and 0005/0006's tables stay; up again they return, the data untouched."""
    from alembic import command
    from alembic.script import ScriptDirectory

    from rehab_coach.session.store.db import alembic_config, create_db_engine

    config = alembic_config()
    assert ScriptDirectory.from_config(config).get_revision("0007_store_scale").down_revision == "0006_protocols"
    store = open_store(store_url)
    store.add_patient("P-1", "Ann")
    store.close()
    engine = create_db_engine(store_url)

    def indexes() -> tuple[set[str], set[str]]:
        with engine.connect() as conn:
            schema = inspect(conn)
            return {i["name"] for i in schema.get_indexes("sessions")}, set(schema.get_table_names())

    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0006_protocols")
    sessions_indexes, tables = indexes()
    assert "ix_sessions_patient_id" in sessions_indexes and "ix_sessions_patient_started" not in sessions_indexes
    assert {"pain_flag_reviews", "protocols", "protocol_items"} <= tables
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0007_store_scale")
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0007_store_scale"
    sessions_indexes, _tables = indexes()
    assert "ix_sessions_patient_started" in sessions_indexes and "ix_sessions_patient_id" not in sessions_indexes
    engine.dispose()
    store = open_store(store_url)
    assert [p.code for p in store.list_patients()] == ["P-1"]
    with pytest.raises(StoreError, match="already exists"):
        store.add_patient("p-1", "Someone")  # the lower-case unique index is back
    store.close()
