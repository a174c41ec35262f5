"""The effective frame rate is stored with its session: written at the end, through the journal, and
an older database (schema 0002) upgrades with its sessions kept and their rate unknown."""

from __future__ import annotations

import math
from pathlib import Path

from sqlalchemy import inspect, text
from store_helpers import Outage, head_revision

from rehab_coach.session.store import SessionRecorder, Store, open_store
from rehab_coach.session.store.db import create_db_engine, migrate


def test_a_finished_session_keeps_its_frame_rate(store: Store) -> None:
    recorder = SessionRecorder(store)
    uid = recorder.start_session(None, "squat")
    recorder.finish_session({"rep_count": 0}, fps_mean=11.9, fps_lowest=6.4)
    session = store.session_detail(uid).session
    assert (session.fps_mean, session.fps_lowest) == (11.9, 6.4)


def test_a_session_without_a_measured_rate_stores_none(store: Store) -> None:
    recorder = SessionRecorder(store)
    uid = recorder.start_session(None, "squat")
    recorder.finish_session({"rep_count": 0})
    session = store.session_detail(uid).session
    assert (session.fps_mean, session.fps_lowest) == (None, None)


def test_the_rate_travels_through_the_journal_while_the_database_is_away(
    store: Store, outage: Outage, tmp_path: Path
) -> None:
    folder = tmp_path / "journal"
    outage.down()
    recorder = SessionRecorder(store, journal_folder=folder)
    uid = recorder.start_session(None, "squat")
    recorder.finish_session({"rep_count": 0}, fps_mean=9.5, fps_lowest=4.8)
    outage.up()
    SessionRecorder(store, journal_folder=folder)  # the next recorder pushes the journal
    session = store.session_detail(uid).session
    assert (session.status, session.fps_mean, session.fps_lowest) == ("completed", 9.5, 4.8)


def test_a_rate_that_is_no_number_is_stored_as_unknown_not_refused(store: Store) -> None:
    """Python's json reads `Infinity` and `NaN` from a hand-edited journal line: the session still ends."""
    uid = "00000000-0000-4000-8000-00000000f00d"
    at = "2026-01-01T00:00:00+00:00"
    store.apply_ops(
        [
            {"op": "start_session", "session": uid, "at": at, "exercise_id": "squat"},
            {"op": "finish", "session": uid, "at": at, "fps_mean": math.inf, "fps_lowest": math.nan},
        ]
    )
    session = store.session_detail(uid).session
    assert (session.status, session.fps_mean, session.fps_lowest) == ("completed", None, None)


def test_upgrading_a_0002_database_keeps_its_sessions_with_an_unknown_rate(store_url: str) -> None:
    engine = create_db_engine(store_url)
    migrate(engine, "0002")
    with engine.begin() as conn:
        assert "fps_mean" not in {c["name"] for c in inspect(conn).get_columns("sessions")}
        conn.execute(
            text(
                "INSERT INTO sessions (uid, exercise_id, measure, direction, overrides, status, started_at, "
                "ended_at, last_activity_at, host, pid, app_version) VALUES ('old-session', 'squat', 'knee', "
                "'down', '{}', 'completed', '2026-01-01 10:00:00', '2026-01-01 10:05:00', "
                "'2026-01-01 10:05:00', 'clinic-pc', 1, '0.9')"
            )
        )
    engine.dispose()

    store = open_store(store_url)
    try:
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
        old = store.session_detail("old-session").session
        assert (old.exercise_id, old.status, old.fps_mean, old.fps_lowest) == ("squat", "completed", None, None)
        recorder = SessionRecorder(store)  # and a new session stores its rate
        uid = recorder.start_session(None, "squat")
        recorder.finish_session(None, fps_mean=30.0, fps_lowest=27.5)
        assert store.session_detail(uid).session.fps_lowest == 27.5
    finally:
        store.close()
