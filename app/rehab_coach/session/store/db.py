"""Which database, how to connect to it, and bringing its schema up to date.

SQLite in the user's data directory is the default (one kiosk, nothing to install).
A clinic whose kiosks and therapists share one PostgreSQL server gives its URL with
`--db`, the REHAB_COACH_DB_URL variable or `storage.toml` in the config directory:

    [database]
    url = "postgresql://rehab:secret@db.clinic.local/rehab"
"""

from __future__ import annotations

import logging
import os
import tomllib
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DatabaseError, SQLAlchemyError

from rehab_coach.errors import RehabCoachError
from rehab_coach.paths import private_dir, user_config_dir, user_data_dir

log = logging.getLogger(__name__)

DB_FILE = "rehab-coach.db"
SETTINGS_FILE = "storage.toml"
URL_ENV = "REHAB_COACH_DB_URL"
CONNECT_TIMEOUT_SECONDS = 3  # a dead server must not freeze a live session for long
_MIGRATIONS = Path(__file__).resolve().parent / "migrations"
READ_ONLY_OPTION = "rehab_coach_read_only"
_PG_MIGRATION_LOCK = 0x52454841  # advisory lock key, so two kiosks never migrate at once


class StoreError(RehabCoachError):
    """The database URL is wrong or the database cannot be opened."""


class DamagedDatabase(SQLAlchemyError):
    """SQLite's integrity check failed. A SQLAlchemyError, so the recorder treats the database
    as unavailable and keeps recording to its journal instead of writing into the damaged file."""


UNREADABLE = ("malformed", "not a database")  # SQLite's words for a file it cannot read as a database


def check_integrity(engine: Engine) -> None:
    """Refuse a SQLite file whose pages are damaged before anything reads or writes it."""
    if engine.dialect.name != "sqlite":
        return  # PostgreSQL checks its own pages
    try:
        with engine.connect() as connection:
            rows = [str(row[0]) for row in connection.exec_driver_sql("PRAGMA quick_check(5)")]
    except DatabaseError as exc:
        # Damage in the schema's own pages stops the check before it starts (a bigger schema spans more pages).
        reason = str(exc.orig)
        if not any(word in reason for word in UNREADABLE):
            raise
        rows = [reason]
    if rows != ["ok"]:
        lines = "\n".join(rows).splitlines()  # one row can hold several lines
        detail = next((line for line in lines if line.strip() and not line.startswith("***")), "no answer")
        raise DamagedDatabase(
            f"the database file {engine.url.database} is damaged ({detail}); nothing is written "
            "to it: restore it from a backup (sessions recorded meanwhile wait in the journal)"
        )


def default_url() -> str:
    return f"sqlite:///{user_data_dir() / DB_FILE}"


def settings_url() -> str | None:
    path = user_config_dir() / SETTINGS_FILE
    if not path.is_file():
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise StoreError(f"{path}: cannot read storage settings: {exc}") from None
    url = data.get("database", {}).get("url")
    return str(url) if url else None


def resolve_url(explicit: str | Path | None = None) -> str | Path:
    """--db first, then REHAB_COACH_DB_URL, then storage.toml, then SQLite in the data dir."""
    return explicit or os.environ.get(URL_ENV) or settings_url() or default_url()


def normalise_url(url: str | Path | URL) -> URL:
    """Accept plain `postgresql://` (we ship psycopg 3) and bare file paths for SQLite."""
    if isinstance(url, Path) or (isinstance(url, str) and "://" not in url):
        url = f"sqlite:///{Path(url).expanduser().resolve()}"
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(f"unsupported database {parsed.get_backend_name()!r}: use SQLite or PostgreSQL")
    return parsed


def describe(url: URL) -> str:
    """The URL without its password, for messages and logs."""
    return url.render_as_string(hide_password=True)


def create_db_engine(url: str | Path | URL, *, lock_timeout: float = 5.0, **kwargs: Any) -> Engine:
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, lock_timeout, **kwargs)
    connect_args = {"connect_timeout": CONNECT_TIMEOUT_SECONDS}
    # pool_pre_ping: a kiosk's pooled connection may have died with the server overnight.
    return create_engine(parsed, connect_args=connect_args, pool_pre_ping=True, **kwargs)


def _sqlite_engine(url: URL, lock_timeout: float, **kwargs: Any) -> Engine:
    # A `file:` URI (uri=true, e.g. mode=ro) is SQLite's to open as given: no path of ours to create.
    if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
        _private_database_file(Path(url.database))
    engine = create_engine(url, connect_args={"timeout": lock_timeout}, **kwargs)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin: the
        # module's own implicit BEGIN breaks savepoints (each RELEASE would commit).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # WAL: readers (the therapist screens) never block the recorder, and a crash
        # leaves the file consistent. synchronous=FULL makes each committed rep survive
        # a power cut too, not only a crash of the app.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        # Writers take the write lock up front (IMMEDIATE) so the busy timeout applies;
        # a deferred writer could fail at once when its read lock cannot be upgraded.
        reading = connection.get_execution_options().get(READ_ONLY_OPTION, False)
        connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")

    return engine


def _private_database_file(path: Path) -> None:
    """Create the SQLite file 0600 before SQLite does (it would use 0644); its -wal and -shm files
    take the database file's mode. An older, wider file of ours is tightened."""
    folder = path.parent
    if folder.exists():
        folder_is_ours = folder.stat().st_uid == os.getuid()
    else:
        private_dir(folder)
        folder_is_ours = True
    try:
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    except OSError:
        return  # a read-only file or folder: SQLite reports it when it is written
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            info = file.stat()
            if folder_is_ours and info.st_uid == os.getuid() and info.st_mode & 0o077:
                file.chmod(0o600)
        except OSError:
            continue


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to `revision` (creating it on an empty database)."""
    config = alembic_config()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
