"""Pain flags in the store: computed from the check-ins (the rule of session/pain_rule.py), reviewed by a
therapist with who, where, when and a note (migration 0005_pain_flags), the previous answer the
patient's advice compares with, the period exports judged on the whole history, and the patient
list's queries reading one patient's rows only. Runs on SQLite and on PostgreSQL (the `store` fixture)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, inspect, text
from store_helpers import Outage, add_patient_as_before, head_revision

from rehab_coach.session.exports import collect, fhir_bundle
from rehab_coach.session.store import SessionRecorder, Store, StoreError, open_store, patient_overview
from rehab_coach.session.store.db import create_db_engine, migrate
from rehab_coach.session.store.demo import ABDUCTION, SQUAT, DemoExercise, session_ops
from rehab_coach.session.store.liveness import host_name

DAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)  # a Monday


def add_session(store: Store, code: str, days: float, exercise: DemoExercise = SQUAT, reps: int = 4) -> int:
    """A finished session `days` after DAY; returns its id."""
    ops = session_ops(
        code, exercise, DAY + dt.timedelta(days=days), 0.5, random.Random(f"{code}@{days}"), sets=1, reps=reps
    )
    store.apply_ops(ops)
    return store.session(ops[0].session).id


def answered(store: Store, code: str, *pains: int | None, known: bool = False) -> list[int]:
    """One session a day with these pain answers (None: skipped); their ids, oldest first. `known`: the
    patient is in the database already (not looked up)."""
    if not known and store.get_patient(code) is None:
        store.add_patient(code, code)
    ids = []
    for day, pain in enumerate(pains):
        session_id = add_session(store, code, day, SQUAT if day % 2 == 0 else ABDUCTION)
        if pain is not None:
            store.record_check_in(session_id, pain, None)
        ids.append(session_id)
    return ids


def test_flags_come_from_the_check_ins_and_the_previous_answer_of_any_exercise(store: Store) -> None:
    ids = answered(store, "P-1", 2, None, 4, 3, 8, 6)
    flags = store.pain_flags_for(store.patient("P-1").id)
    assert {i: f.describe() for i, f in flags.items()} == {ids[2]: "pain up 2→4", ids[4]: "pain 8/10, pain up 3→8"}
    assert flags[ids[2]].exercise_id == "squat" and flags[ids[4]].started_at == DAY + dt.timedelta(days=4)
    assert all(f.open for f in flags.values())
    assert [store.previous_pain(i) for i in ids] == [None, 2, 2, 4, 3, 8]  # a skipped answer is no answer
    answered(store, "P-2", 9)
    assert store.pain_flags_for(store.patient("P-1").id) == flags  # another patient's pain is not compared


def test_a_review_keeps_who_where_when_and_why_and_takes_the_patient_off_needs_attention(store: Store) -> None:
    ids = answered(store, "P-1", 3, 7, 9)
    patient = store.patient("P-1")
    assert [f.session_id for f in patient_overview(store, patient).open_flags] == [ids[2], ids[1]]
    with pytest.raises(StoreError, match="say who reviewed"):
        store.review_pain_flags([ids[1]], "   ")
    with pytest.raises(StoreError, match="at most 100 characters"):
        store.review_pain_flags([ids[1]], "x" * 101)
    with pytest.raises(StoreError, match=f"session {ids[0]} has no pain flag"):
        store.review_pain_flags([ids[1], ids[0]], "AB")  # refused whole: nothing is half saved
    assert all(f.open for f in store.pain_flags_for(patient.id).values())

    before = dt.datetime.now(dt.UTC)
    [review] = store.review_pain_flags([ids[1]], "  Dr Ana Bell ", " called her: squats paused ")
    assert (review.session_id, review.reviewed_by, review.note, review.host) == (
        ids[1],
        "Dr Ana Bell",
        "called her: squats paused",
        host_name(),
    )
    assert before <= review.reviewed_at <= dt.datetime.now(dt.UTC)
    overview = patient_overview(store, patient)
    assert [f.session_id for f in overview.open_flags] == [ids[2]] and overview.needs_attention

    # A second review of the same flag keeps the first (the record says who saw it first).
    reviews = store.review_pain_flags([ids[1], ids[2]], "CD")
    assert [(r.session_id, r.reviewed_by) for r in reviews] == [(ids[1], "Dr Ana Bell"), (ids[2], "CD")]
    overview = patient_overview(store, patient)
    assert not overview.needs_attention and not any("pain" in f for f in overview.flags)
    kept = store.pain_flags_for(patient.id)
    assert set(kept) == {ids[1], ids[2]} and kept[ids[1]].review == review  # reviewed flags stay in the record


def test_a_period_export_judges_the_rise_on_the_whole_history_and_says_who_reviewed(store: Store) -> None:
    ids = answered(store, "P-1", 3, 5)  # the rise is at the first session of the period below
    store.review_pain_flags([ids[1]], "AB", "checked in person")
    record = collect(store, "P-1", since=DAY + dt.timedelta(days=1), until=DAY + dt.timedelta(days=2))
    assert [d.session.id for d in record.sessions] == [ids[1]]
    assert record.pain_flags[ids[1]].describe() == "pain up 3→5" and record.pain_flags[ids[1]].review is not None
    [pain] = [e["resource"] for e in fhir_bundle(record)["entry"] if e["resource"]["id"].startswith("pain-")]
    assert pain["interpretation"][0]["text"] == "pain up 3→5"


def test_the_recorder_gives_the_previous_answer_or_none_when_the_database_cannot_say(
    store: Store, tmp_path: Path
) -> None:
    store.add_patient("P-1", "Ann")
    earlier = add_session(store, "P-1", 0)
    store.record_check_in(earlier, 3, None)
    recorder = SessionRecorder(store, journal_folder=tmp_path / "journal")
    uid = recorder.start_session("P-1", "squat")
    recorder.finish_session(None)
    assert recorder.previous_pain(uid) == 3
    anonymous = recorder.start_session(None, "squat")
    recorder.finish_session(None)
    assert recorder.previous_pain(anonymous) is None  # nobody's history to compare with
    outage = Outage(store)
    outage.down()
    assert recorder.previous_pain(uid) is None  # only the high rule then; the rise shows once synced
    outage.up()


def statements_while(store: Store, call) -> list[tuple[str, Any]]:  # type: ignore[no-untyped-def]
    seen: list[tuple[str, Any]] = []

    def record(_conn, _cursor, statement, params, _context, _many):  # type: ignore[no-untyped-def]
        seen.append((statement, params))

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        call()
    finally:
        event.remove(store.engine, "before_cursor_execute", record)
    return seen


def test_the_patient_list_reads_each_patients_own_rows_only(tmp_path: Path) -> None:
    """On SQLite, the plan of every statement the list's row makes: the reps table is only ever searched
    through an index, never scanned whole; the flags read no reps at all."""
    store = open_store(tmp_path / "plans.db")
    answered(store, "P-1", 3, 8)
    answered(store, "P-2", 1, 2, 6)
    patient = store.patient("P-1")
    seen = statements_while(store, lambda: patient_overview(store, patient))
    reads_reps = [(s, params) for s, params in seen if " reps" in s]
    assert reads_reps
    flags_sql = statements_while(store, lambda: store.pain_flags_for(patient.id))
    assert flags_sql and not any(" reps" in s for s, _params in flags_sql)
    with store.engine.connect() as conn:
        details = [
            row[-1] for s, params in reads_reps for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + s, params)
        ]
    assert any("reps USING" in d and "INDEX" in d for d in details), details
    assert not [d for d in details if d.startswith("SCAN reps")], details
    store.close()


def test_upgrading_a_0004_database_keeps_its_check_ins_and_flags_them(store_url: str) -> None:
    engine = create_db_engine(store_url)
    migrate(engine, "0004")
    with engine.begin() as conn:
        assert "pain_flag_reviews" not in inspect(conn).get_table_names()
    engine.dispose()
    old = Store(store_url)
    old._migrated = True  # the 0004 schema, as the release before wrote it
    add_patient_as_before(old, "P-1", "P-1")
    ids = answered(old, "P-1", 2, 7, known=True)
    old.close()

    store = open_store(store_url)
    try:
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
        flags = store.pain_flags_for(store.patient("P-1").id)
        assert list(flags) == [ids[1]] and flags[ids[1]].open
        store.review_pain_flags([ids[1]], "AB")
        assert not store.pain_flags_for(store.patient("P-1").id)[ids[1]].open
    finally:
        store.close()
