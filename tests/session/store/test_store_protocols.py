"""Named protocols in the store: saved from a program, listed, renamed, deleted, a patient's program
started from one; names compared as people read them; migration 0006 on an older database."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic import command
from sqlalchemy import inspect, text
from store_helpers import add_patient_as_before

from rehab_coach.session.progression import ProgressionRule
from rehab_coach.session.store import (
    ItemSpec,
    ProgramSpec,
    Store,
    StoreError,
    delete_protocol,
    get_protocol,
    list_protocols,
    open_store,
    program_from_protocol,
    rename_protocol,
    save_protocol,
    weekdays_mask,
)
from rehab_coach.session.store.db import alembic_config, create_db_engine, migrate

START = dt.date(2026, 12, 1)
RULE = ProgressionRule(step=2, pain_ceiling=4, maximum=16, since=dt.date(2026, 11, 2))


def tka() -> ProgramSpec:
    return ProgramSpec(
        [
            ItemSpec("squat", 3, 10, {"primary.target": 100.0}, "slowly", RULE),
            ItemSpec("lunge", 2, 8),
        ],
        weekdays_mask("mon,wed,fri"),
        START,
        name="Ann's program",
        notes="after TKA",
    )


def test_a_protocol_keeps_the_program_without_its_dates(store: Store) -> None:
    saved = save_protocol(store, "  TKA   weeks 0-2 ", tka())
    assert saved.name == "TKA weeks 0-2"  # spaces tidied
    again = get_protocol(store, "tka weeks 0-2")
    assert again.id == saved.id and again.weekdays == weekdays_mask("mon,wed,fri") and again.notes == "after TKA"
    squat, lunge = again.items
    assert (squat.exercise_id, squat.sets, squat.reps, squat.overrides, squat.notes) == (
        "squat",
        3,
        10,
        {"primary.target": 100.0},
        "slowly",
    )
    assert squat.progression == RULE.model_copy(update={"since": None})  # counts from each patient's start
    assert lunge.progression is None


def test_a_patients_program_starts_from_a_protocol(store: Store) -> None:
    save_protocol(store, "TKA weeks 0-2", tka())
    patient = store.add_patient("P-1", "Ann")
    program = store.save_program(patient.id, program_from_protocol(get_protocol(store, "TKA weeks 0-2"), START))
    assert program.name == "TKA weeks 0-2" and program.start_date == START and program.end_date is None
    assert [(i.exercise_id, i.reps, i.overrides) for i in program.items] == [
        ("squat", 10, {"primary.target": 100.0}),
        ("lunge", 8, {}),
    ]
    assert program.items[0].progression is not None and program.items[0].progression.since == START


def test_names_clash_whatever_their_case_accents_or_spacing(store: Store) -> None:
    save_protocol(store, "Épaule semaine 1", tka())
    with pytest.raises(StoreError, match="a protocol named 'Épaule semaine 1' already exists"):
        save_protocol(store, "epaule  SEMAINE 1", tka())
    replaced = save_protocol(store, "epaule semaine 1", ProgramSpec([ItemSpec("lunge", 1, 5)]), replace=True)
    assert [p.name for p in list_protocols(store)] == ["epaule semaine 1"]
    assert [i.exercise_id for i in replaced.items] == ["lunge"]


def test_list_rename_and_delete(store: Store) -> None:
    for name in ("Shoulder week 1", "ACL phase 2", "Ankle"):
        save_protocol(store, name, tka())
    assert [p.name for p in list_protocols(store)] == ["ACL phase 2", "Ankle", "Shoulder week 1"]
    assert [p.name for p in list_protocols(store, "SHOULDER")] == ["Shoulder week 1"]
    with pytest.raises(StoreError, match="'Ankle' already exists"):
        rename_protocol(store, "ACL phase 2", "ankle")
    renamed = rename_protocol(store, "ACL phase 2", "ACL phase 3")
    assert renamed.name == "ACL phase 3" and len(renamed.items) == 2
    assert rename_protocol(store, "ankle", "ANKLE").name == "ANKLE"  # its own name in other letters
    assert delete_protocol(store, "shoulder week 1") == "Shoulder week 1"
    assert [p.name for p in list_protocols(store)] == ["ACL phase 3", "ANKLE"]
    with pytest.raises(StoreError, match="no protocol named 'Shoulder week 1'"):
        delete_protocol(store, "Shoulder week 1")


def test_deleting_a_protocol_leaves_programs_started_from_it(store: Store) -> None:
    save_protocol(store, "Knee", tka())
    patient = store.add_patient("P-1", "Ann")
    store.save_program(patient.id, program_from_protocol(get_protocol(store, "Knee"), START))
    delete_protocol(store, "Knee")
    program = store.active_program(patient.id)
    assert program is not None and [i.exercise_id for i in program.items] == ["squat", "lunge"]


@pytest.mark.parametrize(
    ("name", "spec", "message"),
    [
        ("", tka(), "1-200 characters"),
        ("x" * 201, tka(), "1-200 characters"),
        ("Empty", ProgramSpec([]), "at least one exercise"),
        ("No days", ProgramSpec([ItemSpec("squat")], weekdays=0), "at least one day"),
        ("Bad id", ProgramSpec([ItemSpec("Squat!")]), "not an exercise id"),
        ("Stuck", ProgramSpec([ItemSpec("squat", 1, 16, progression=RULE)]), r"maximum \(16\) must be above"),
    ],
)
def test_a_protocol_that_cannot_be_kept_is_refused_with_the_reason(
    store: Store, name: str, spec: ProgramSpec, message: str
) -> None:
    with pytest.raises(StoreError, match=message):
        save_protocol(store, name, spec)
    assert list_protocols(store) == []


def test_a_0004_database_upgrades_with_its_programs_and_downgrades_again(store_url: str) -> None:
    engine = create_db_engine(store_url)
    migrate(engine, "0004")
    with engine.begin() as conn:
        assert "protocols" not in inspect(conn).get_table_names()
    engine.dispose()
    old = Store(store_url, auto_migrate=False)
    old._migrated = True  # write with the 0004 schema, as the previous release did
    patient_id = add_patient_as_before(old, "P-1", "Ann")
    with old.transaction() as db:
        db.execute(
            text(
                "INSERT INTO programs (patient_id, name, weekdays, start_date, active, notes, created_at) "
                "VALUES (:p, 'Old', 127, '2026-01-05', :yes, '', '2026-01-05 09:00:00')"
            ),
            {"p": patient_id, "yes": True},
        )
        program_id = db.execute(text("SELECT id FROM programs")).scalar()
        db.execute(
            text(
                "INSERT INTO program_items (program_id, position, exercise_id, sets, reps, overrides, notes) "
                "VALUES (:p, 0, 'squat', 2, 8, '{}', '')"
            ),
            {"p": program_id},
        )
    old.close()

    store = open_store(store_url)
    try:
        program = store.active_program(patient_id)
        assert program is not None and program.items[0].reps == 8 and program.items[0].progression is None
        save_protocol(store, "Kept", program.as_spec())
    finally:
        store.close()

    engine = create_db_engine(store_url)
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0004")
    with engine.connect() as conn:
        assert "protocols" not in inspect(conn).get_table_names()
        assert "progression" not in {c["name"] for c in inspect(conn).get_columns("program_items")}
        assert conn.execute(text("SELECT reps FROM program_items")).scalar() == 8
    engine.dispose()
