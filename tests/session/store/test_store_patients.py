"""Patients, programs, and text from users reaching SQL only as bound parameters."""

from __future__ import annotations

import datetime as dt
import random
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, insert
from sqlalchemy.exc import IntegrityError

from rehab_coach.engine.templates import load_template_by_id
from rehab_coach.session.store import ItemSpec, ProgramSpec, SessionRecorder, Store, StoreError, weekdays_mask
from rehab_coach.session.store.demo import SQUAT, session_ops, synthetic_rep
from rehab_coach.session.store.tables import Patient

HOSTILE = "Robert'); DROP TABLE patients; -- \" % _ \\"


def test_add_list_and_search_patients(store: Store) -> None:
    store.add_patient("P-001", "Ann Smith")
    store.add_patient("P-002", "Bob Jones", notes="left knee TKA")
    store.add_patient("X.9", "100% Sure_Name")
    assert [p.code for p in store.list_patients()] == ["X.9", "P-001", "P-002"]
    assert [p.code for p in store.list_patients("ann")] == ["P-001"]  # case-insensitive
    assert [p.code for p in store.list_patients("p-00")] == ["P-001", "P-002"]
    # % and _ are literal characters to the user, not wildcards
    assert [p.code for p in store.list_patients("%")] == ["X.9"]
    assert [p.code for p in store.list_patients("e_N")] == ["X.9"]
    assert store.list_patients("o_b") == []


def test_codes_are_unique_and_pseudonymous(store: Store) -> None:
    store.add_patient("P-001", "Ann")
    with pytest.raises(StoreError, match="already exists"):
        store.add_patient("P-001", "Other")
    for bad in ("", "Ann Smith", "a/b", "x" * 33, "P_1"):
        with pytest.raises(StoreError, match="patient code"):
            store.add_patient(bad, "Name")
    with pytest.raises(StoreError, match="display name"):
        store.add_patient("P-9", "  ")


def test_a_code_in_another_case_is_the_same_patient_when_recording_and_syncing(store: Store, tmp_path: Path) -> None:
    added = store.add_patient("P-0042", "Ann")
    recorder = SessionRecorder(store, journal_folder=tmp_path / "journal")
    live = recorder.start_session("p-0042", "squat")  # `gui --patient p-0042`
    recorder.record_rep(synthetic_rep(1, 0.0, SQUAT, 100.0, 2.0, 80.0, []))
    recorder.finish_session({"rep_count": 1})
    started = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    store.apply_ops(session_ops("p-0042", SQUAT, started, 0.5, random.Random(1), sets=1, reps=2))  # a synced journal
    assert [(p.id, p.code) for p in store.list_patients(include_archived=True)] == [(added.id, "P-0042")]
    assert store.session(live).patient_code == "P-0042"
    assert [s.patient_code for s in store.sessions_for(added.id)] == ["P-0042", "P-0042"]
    assert store.patient("p-0042").id == added.id
    with pytest.raises(StoreError, match="already exists"):
        store.add_patient("p-0042", "Someone else")


def test_the_database_refuses_a_code_that_differs_only_in_case(store: Store) -> None:
    store.add_patient("RACE-1", "Ann")
    at = dt.datetime.now(dt.UTC)
    row = {"code": "race-1", "display_name": "Bob", "notes": "", "archived": False, "created_at": at, "updated_at": at}
    with pytest.raises(IntegrityError), store.engine.begin() as connection:  # past add_patient's own check
        connection.execute(insert(Patient.__table__), row)
    assert [p.code for p in store.list_patients()] == ["RACE-1"]


def test_two_processes_adding_one_code_in_two_cases_at_once_make_one_patient(pg_url: str) -> None:
    """Both check that the code is free before either has written it (a barrier holds them there):
    the unique index refuses the second insert, and its caller gets the patient the first stored."""
    kiosks = [Store(pg_url), Store(pg_url)]
    kiosks[0].ready()
    both_checked = threading.Barrier(2, timeout=10)

    def after_the_check(_conn, _cursor, statement: str, *_args: Any) -> None:  # type: ignore[no-untyped-def]
        if statement.startswith("SELECT patients.code") and "lower(patients.code)" in statement:
            both_checked.wait()

    for kiosk in kiosks:
        event.listen(kiosk.engine, "after_cursor_execute", after_the_check)
    added: dict[str, list[int]] = {}
    for n in range(3):
        with ThreadPoolExecutor(2) as pool:
            calls = [
                pool.submit(k.add_patient, code, f"Patient {n}")
                for k, code in zip(kiosks, (f"RACE-{n}", f"race-{n}"), strict=True)
            ]
            added[f"race-{n}"] = [call.result(30).id for call in calls]
    for kiosk in kiosks:
        event.remove(kiosk.engine, "after_cursor_execute", after_the_check)
    codes = [p.code.lower() for p in kiosks[0].list_patients()]
    assert sorted(codes) == ["race-0", "race-1", "race-2"]  # no duplicate pair
    assert all(len(set(ids)) == 1 for ids in added.values())  # both callers got the one patient
    for kiosk in kiosks:
        kiosk.close()


def test_edit_and_archive(store: Store) -> None:
    patient = store.add_patient("P-001", "Ann")
    store.update_patient(patient.id, display_name="Ann B.", notes="moved")
    assert store.patient("P-001").display_name == "Ann B."
    store.update_patient(patient.id, archived=True)
    assert store.list_patients() == []
    assert [p.code for p in store.list_patients(include_archived=True)] == ["P-001"]


def test_program_versions_keep_history(store: Store) -> None:
    patient = store.add_patient("P-001", "Ann")
    first = store.save_program(
        patient.id,
        ProgramSpec([ItemSpec("squat", 3, 10)], weekdays_mask("mon,wed,fri"), start_date=dt.date(2026, 1, 5)),
    )
    second = store.save_program(
        patient.id,
        ProgramSpec(
            [ItemSpec("squat", 3, 12, {"primary.target": 95}), ItemSpec("lunge", 2, 8, notes="slowly")],
            weekdays_mask("tue,thu"),
            start_date=dt.date(2026, 2, 1),
            name="Phase 2",
        ),
    )
    active = store.active_program(patient.id)
    assert active is not None and active.id == second.id
    assert [(i.exercise_id, i.sets, i.reps, i.overrides) for i in active.items] == [
        ("squat", 3, 12, {"primary.target": 95}),
        ("lunge", 2, 8, {}),
    ]
    assert active.items[1].notes == "slowly"
    assert [p.active for p in store.program_history(patient.id)] == [False, True]
    assert store.program_history(patient.id)[0].id == first.id
    assert active.scheduled_on(dt.date(2026, 2, 3)) and not active.scheduled_on(dt.date(2026, 2, 4))
    assert not active.scheduled_on(dt.date(2026, 1, 27))  # before it started


def test_program_overrides_feed_the_template(store: Store) -> None:
    patient = store.add_patient("P-001", "Ann")
    program = store.save_program(patient.id, ProgramSpec([ItemSpec("squat", overrides={"primary.target": 100})]))
    template = load_template_by_id("squat", program.items[0].overrides)
    assert template.primary.target == 100


def test_program_needs_items_and_days(store: Store) -> None:
    patient = store.add_patient("P-001", "Ann")
    with pytest.raises(StoreError, match="at least one exercise"):
        store.save_program(patient.id, ProgramSpec([]))
    with pytest.raises(StoreError, match="day of the week"):
        store.save_program(patient.id, ProgramSpec([ItemSpec("squat")], weekdays=0))
    with pytest.raises(ValueError, match="unknown weekday"):
        weekdays_mask("mon,someday")


def test_user_text_only_reaches_sql_as_bound_parameters(store: Store) -> None:
    statements: list[str] = []

    def capture(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(store.engine, "before_cursor_execute", capture)
    patient = store.add_patient("P-666", HOSTILE)
    store.update_patient(patient.id, notes=HOSTILE)
    assert [p.display_name for p in store.list_patients(HOSTILE[:12])] == [HOSTILE]
    with pytest.raises(StoreError, match="is not an exercise id"):  # an id names a template, never SQL or a path
        store.save_program(patient.id, ProgramSpec([ItemSpec("squat'; --")]))
    store.save_program(patient.id, ProgramSpec([ItemSpec("squat", overrides={HOSTILE: HOSTILE})]))
    recorder = SessionRecorder(store, recover=False)
    recorder.start_session("P-666", 'squat"); DELETE FROM reps; --')
    recorder.record_rep(synthetic_rep(1, 0.0, SQUAT, 100.0, 2.0, 80.0, [HOSTILE]))
    recorder.finish_session({"note": HOSTILE})
    event.remove(store.engine, "before_cursor_execute", capture)

    assert statements and not any("Robert" in s or "DELETE FROM reps" in s or "squat'" in s for s in statements)
    assert store.patient("P-666").notes == HOSTILE
    detail = store.session_detail(store.sessions_for(patient.id)[0].id)
    assert detail.reps[0].faults == [HOSTILE] and detail.session.summary == {"note": HOSTILE}
    assert store.active_program(patient.id).items[0].overrides == {HOSTILE: HOSTILE}  # type: ignore[union-attr]


def test_template_override_is_checked_against_the_template() -> None:
    # The editor validates overrides by loading the template with them; a target on the
    # wrong side of the start threshold is refused there, before it reaches the store.
    from rehab_coach.errors import TemplateError

    with pytest.raises(TemplateError, match="thresholds"):
        load_template_by_id("squat", {"primary.target": 150})
    template = load_template_by_id("squat")
    assert template.primary.target == 110
