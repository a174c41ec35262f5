"""CSV and FHIR exports of a patient's record."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from rehab_coach.session.exports import CSV_COLUMNS, collect, fhir_bundle, read_reps_csv, write_fhir, write_reps_csv
from rehab_coach.session.exports.csv_export import rows
from rehab_coach.session.exports.fhir import LOINC, ROM_CODES
from rehab_coach.session.store import SessionRecorder, Store
from rehab_coach.session.store.demo import SQUAT, seed_demo, synthetic_rep

TODAY = dt.date(2026, 3, 20)


def fhir_bundle_model():  # type: ignore[no-untyped-def]
    """The fhir.resources R4B Bundle model (Bundle, Patient and Observation have the R4 shape)."""
    pytest.importorskip("fhir.resources", reason="validating FHIR needs the fhir.resources test dependency")
    from fhir.resources.R4B.bundle import Bundle

    return Bundle


@pytest.fixture
def record(store: Store):  # type: ignore[no-untyped-def]
    patient = seed_demo(store, days=14, today=TODAY, name="Ann Confidential")
    return collect(store, patient.code)


def test_csv_round_trips(record, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "reps.csv"
    count = write_reps_csv(record, path)
    assert count == sum(len(s.reps) for s in record.sessions) > 100
    back = read_reps_csv(path)
    assert back == rows(record)
    assert path.read_text(encoding="utf-8").splitlines()[0].split(",") == list(CSV_COLUMNS)
    assert "Ann Confidential" not in path.read_text(encoding="utf-8")  # pseudonymous
    first = back[0]
    assert first.patient_code == "DEMO-01" and first.exercise_id == "squat" and first.set_number == 1
    assert first.session_started_at.tzinfo is not None


def test_csv_date_range(store: Store, tmp_path: Path) -> None:
    patient = seed_demo(store, days=14, today=TODAY)
    since = dt.datetime.combine(TODAY - dt.timedelta(days=3), dt.time()).astimezone(dt.UTC)
    recent = collect(store, patient.code, since=since)
    assert {s.session.started_at.date() for s in recent.sessions} == {dt.date(2026, 3, 18)}


def test_csv_refuses_other_files(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="missing columns"):
        read_reps_csv(path)


def test_fhir_bundle_validates_and_uses_loinc(record, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bundle = write_fhir(record, tmp_path / "bundle.json")
    parsed = fhir_bundle_model().model_validate(json.loads((tmp_path / "bundle.json").read_text(encoding="utf-8")))
    assert parsed.type == "collection"
    resources = [e["resource"] for e in bundle["entry"]]
    patient = resources[0]
    assert patient == {
        "resourceType": "Patient",
        "id": "DEMO-01",
        "active": True,
        "identifier": [{"system": "urn:rehab-coach:patient-code", "value": "DEMO-01"}],
    }
    assert "Ann Confidential" not in json.dumps(bundle)
    observations = resources[1:]
    assert len(observations) == len(record.sessions)
    for obs in observations:
        assert obs["subject"]["reference"] == bundle["entry"][0]["fullUrl"]
        assert obs["subject"]["identifier"]["value"] == "DEMO-01"
        assert obs["valueQuantity"]["system"] == "http://unitsofmeasure.org" and obs["valueQuantity"]["code"] == "deg"
    loinc = {c["code"] for o in observations for c in o["code"]["coding"] if c["system"] == LOINC}
    assert loinc == {ROM_CODES["knee"].loinc, ROM_CODES["abduction"].loinc}
    squat = next(o for o in observations if o["code"]["coding"][0]["code"] == ROM_CODES["knee"].loinc)
    session = next(s for s in record.sessions if squat["id"] == f"rom-{s.session.uid}")
    best = min(r.extreme for r in session.reps if r.complete)
    assert squat["valueQuantity"]["value"] == round(180 - best, 1)  # knee flexion from the knee angle
    assert any("interrupted" in o.get("note", [{}])[0].get("text", "") for o in observations)


def test_fhir_splits_sides_and_falls_back_to_local_codes(store: Store) -> None:
    store.add_patient("P-7", "Lee")
    recorder = SessionRecorder(store)
    recorder.start_session("P-7", "lunge")
    for i, side in enumerate(("left", "right", "left"), 1):
        rep = synthetic_rep(i, 3.0 * i, SQUAT, 100.0 + i, 2.0, 80.0, [])
        rep.side = side
        recorder.record_rep(rep)
    recorder.finish_session({})
    bundle = fhir_bundle(collect(store, "P-7"))
    assert [e["resource"] for e in bundle["entry"][1:]] == []  # no measure/direction known: no ROM claim

    from rehab_coach.engine.templates import load_template_by_id

    recorder.start_session("P-7", load_template_by_id("lunge"))
    for i, side in enumerate(("left", "right", "left"), 1):
        rep = synthetic_rep(i, 3.0 * i, SQUAT, 100.0 + i, 2.0, 80.0, [])
        rep.side = side
        recorder.record_rep(rep)
    recorder.finish_session({})
    bundle = fhir_bundle(collect(store, "P-7"))
    fhir_bundle_model().model_validate(bundle)
    sides = {e["resource"]["bodySite"]["text"]: e["resource"]["code"]["coding"][0]["code"] for e in bundle["entry"][1:]}
    assert sides == {"left knee": ROM_CODES["knee"].loinc_left, "right knee": ROM_CODES["knee"].loinc_right}


def test_csv_cells_never_start_like_a_formula() -> None:
    from rehab_coach.session.exports.csv_export import _cell

    assert [_cell(v) for v in ("=HYPERLINK(1)", ["@x", "a"], "squat", -3, -2.5)] == [
        "'=HYPERLINK(1)",
        "'@x|a",
        "squat",
        "-3",
        "-2.5",
    ]
