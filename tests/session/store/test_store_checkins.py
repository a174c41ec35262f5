"""Pain and effort check-ins, the pain flags they raise (list, FHIR), and therapists' audited
rep-count corrections; the 0001 -> 0002 migration keeps existing sessions."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from store_helpers import head_revision

from rehab_coach.session.exports import collect, fhir_bundle
from rehab_coach.session.exports.fhir import EFFORT_LOINC, LOINC, PAIN_LOINC
from rehab_coach.session.store import Store, StoreError, open_store, pain_flags, patient_overview
from rehab_coach.session.store.db import migrate
from rehab_coach.session.store.demo import seed_demo

TODAY = dt.date(2026, 3, 20)


def fhir_bundle_model():  # type: ignore[no-untyped-def]
    pytest.importorskip("fhir.resources", reason="validating FHIR needs the fhir.resources test dependency")
    from fhir.resources.R4B.bundle import Bundle

    return Bundle


def oldest_first(store: Store, code: str = "DEMO-01") -> list:  # type: ignore[type-arg]
    return list(reversed(store.sessions_for(store.patient(code).id)))


def test_check_in_is_stored_with_the_session_and_can_be_skipped(store: Store) -> None:
    seed_demo(store, days=7, today=TODAY)
    first, second, third = oldest_first(store)[:3]
    answer = store.record_check_in(first.uid, 3, 5)
    assert (answer.session_id, answer.pain, answer.effort) == (first.id, 3, 5)
    store.record_check_in(second.id, None, 4)  # pain skipped
    store.record_check_in(second.id, 2, 4)  # answered again: replaces, never a second row
    assert [(s.pain, s.effort) for s in oldest_first(store)[:3]] == [(3, 5), (2, 4), (None, None)]
    assert store.session(first.uid).pain == 3 and store.session_detail(third.id).session.effort is None
    for bad in (11, -1, 2.5, True, "7"):
        with pytest.raises(StoreError, match="whole number from 0 to 10"):
            store.record_check_in(third.id, bad, None)  # type: ignore[arg-type]
    with pytest.raises(StoreError, match="no session"):
        store.record_check_in("no-such-uid", 1, 1)


def test_pain_flags_high_or_rising_and_the_patient_list_overview(store: Store) -> None:
    seed_demo(store, days=14, today=TODAY)
    sessions = oldest_first(store)
    answers = [(2, 3), (3, 4), (5, 5), (5, 5), (8, 7), (6, 6)]  # 3 -> 5 rises by 2, then 8 is severe
    for session, (pain, effort) in zip(sessions[: len(answers)], answers, strict=True):  # the oldest ones answered
        store.record_check_in(session.id, pain, effort)
    flags = pain_flags(store.sessions_for(store.patient("DEMO-01").id))
    assert {sessions.index(next(s for s in sessions if s.id == i)): f.describe() for i, f in flags.items()} == {
        2: "pain up 3→5",
        4: "pain 8/10, pain up 5→8",
    }

    # 6 after 8 is neither severe nor a rise, but the flags before it wait for a therapist: the list
    # shows the newest of them, and how many older ones wait too.
    overview = patient_overview(store, store.patient("DEMO-01"), today=TODAY)
    assert overview.pain is None  # the newest answer itself is not flagged
    assert [sessions.index(next(s for s in sessions if s.id == f.session_id)) for f in overview.open_flags] == [4, 2]
    assert overview.needs_attention and overview.flags[0] == "pain 8/10, pain up 5→8 (+1 earlier)"
    store.review_pain_flags([f.session_id for f in overview.open_flags], "AB")
    overview = patient_overview(store, store.patient("DEMO-01"), today=TODAY)
    assert not overview.needs_attention and not any("pain" in f for f in overview.flags)
    newest = sessions[len(answers)]
    store.record_check_in(newest.id, 7, 8)
    overview = patient_overview(store, store.patient("DEMO-01"), today=TODAY)
    assert overview.pain is not None and overview.pain.session_id == newest.id
    assert overview.flags[0] == "pain 7/10" and overview.open_flags == [overview.pain]
    assert overview.last_session_at == sessions[-1].started_at
    assert overview.adherence.prescribed > 0 and overview.adherence_text.endswith("%")


def test_pain_observations_in_fhir_with_loinc_and_flag_interpretation(store: Store) -> None:
    seed_demo(store, days=7, today=TODAY)
    first, second = oldest_first(store)[:2]
    store.record_check_in(first.id, 4, 5)
    store.record_check_in(second.id, 7, None)  # effort skipped
    bundle = fhir_bundle(collect(store, "DEMO-01"))
    fhir_bundle_model().model_validate(json.loads(json.dumps(bundle)))
    surveys = {
        e["resource"]["id"]: e["resource"]
        for e in bundle["entry"]
        if e["resource"].get("category", [{}])[0].get("coding", [{}])[0].get("code") == "survey"
    }
    assert set(surveys) == {f"pain-{first.uid}", f"effort-{first.uid}", f"pain-{second.uid}"}
    pain = surveys[f"pain-{second.uid}"]
    assert pain["code"]["coding"] == [{"system": LOINC, "code": PAIN_LOINC[0], "display": PAIN_LOINC[1]}]
    assert PAIN_LOINC[0] == "72514-3" and EFFORT_LOINC[0] == "82289-0"
    assert pain["valueInteger"] == 7 and pain["subject"]["identifier"]["value"] == "DEMO-01"
    codes = [c["code"] for c in pain["interpretation"][0]["coding"]]
    assert codes == ["H", "U"] and pain["interpretation"][0]["text"] == "pain 7/10, pain up 4→7"
    assert "interpretation" not in surveys[f"pain-{first.uid}"]
    assert surveys[f"effort-{first.uid}"]["code"]["coding"][0]["code"] == "82289-0"
    assert surveys[f"effort-{first.uid}"]["valueInteger"] == 5


def test_count_correction_keeps_the_original_and_every_correction(store: Store) -> None:
    seed_demo(store, days=7, today=TODAY)
    session = oldest_first(store)[0]
    recorded = session.reps_complete
    assert recorded == 16 and session.corrected_reps is None and session.reps_counted == 16
    with pytest.raises(StoreError, match="say why"):
        store.correct_count(session.id, 14, "   ")
    with pytest.raises(StoreError, match="whole number"):
        store.correct_count(session.id, -2, "miscounted")
    first = store.correct_count(session.uid, 14, "two reps were the patient adjusting the chair")
    second = store.correct_count(session.id, 15, "video review: one of those was a real rep")
    assert (first.original_count, first.corrected_count, second.original_count) == (16, 14, 16)
    assert first.host and first.corrected_at <= second.corrected_at

    info = store.session(session.id)
    assert (info.reps_complete, info.corrected_reps, info.reps_counted) == (16, 15, 15)  # the original stays
    detail = store.session_detail(session.id)
    assert [(c.corrected_count, c.reason) for c in detail.corrections] == [
        (14, "two reps were the patient adjusting the chair"),
        (15, "video review: one of those was a real rep"),
    ]
    assert sum(r.complete for r in detail.reps) == 16  # recorded reps untouched

    bundle = fhir_bundle(collect(store, "DEMO-01"))
    rom = next(e["resource"] for e in bundle["entry"] if e["resource"]["id"] == f"rom-{session.uid}")
    components = {c["code"]["text"]: c.get("valueInteger") for c in rom["component"]}
    assert components["Complete repetitions"] == 16
    assert components["Complete repetitions, corrected by the therapist"] == 15
    assert any("corrected from 16 (as recorded) to 15: video review" in n["text"] for n in rom["note"])


def test_search_ignores_case_and_accents(store: Store) -> None:
    for code, name in (("P-1", "María García"), ("P-2", "Zoë Ødegaard"), ("P-3", "Bob Jones"), ("GAR-9", "Ann Lee")):
        store.add_patient(code, name)
    assert [p.code for p in store.list_patients("garcia")] == ["P-1"]
    assert [p.code for p in store.list_patients("GARCÍA")] == ["P-1"]
    assert [p.code for p in store.list_patients("zoe odeg")] == ["P-2"]
    assert [p.code for p in store.list_patients("gar")] == ["GAR-9", "P-1"]  # the code matches too
    assert [p.code for p in store.list_patients("50%")] == []


def test_upgrading_a_0001_database_keeps_its_sessions(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    migrate(engine, "0001")
    with engine.connect() as conn:
        assert "check_ins" not in inspect(conn).get_table_names()
    engine.dispose()
    old = Store(url, auto_migrate=False)
    old._migrated = True  # use the 0001 schema as an older release would
    with old.transaction() as db:
        db.execute(
            text(
                "INSERT INTO patients (code, display_name, notes, archived, created_at, updated_at) "
                "VALUES ('P-1', 'Old', '', 0, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
            )
        )
    old.close()
    store = open_store(url)
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
        assert {"check_ins", "count_corrections"} <= set(inspect(conn).get_table_names())
    assert [p.code for p in store.list_patients()] == ["P-1"]
    store.close()
