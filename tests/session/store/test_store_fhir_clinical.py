"""The clinical tests in the FHIR export: one Observation per trial, LOINC where it has the test (TUG
89423-8, 30 s chair stand 66247-8), our code system always, the norm as a reference range, a correction
kept beside the measured value; the bundle validates. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from test_store_exports import fhir_bundle_model

from rehab_coach.session.clinical.demo import seed_clinical_demo
from rehab_coach.session.exports import collect, fhir_bundle
from rehab_coach.session.exports.fhir_clinical import CLINICAL_TEST_SYSTEM
from rehab_coach.session.store import Store
from rehab_coach.session.store.clinical import clinical_results, correct_clinical_result

TODAY = dt.date(2026, 3, 20)


def observations(bundle: dict, system: str = CLINICAL_TEST_SYSTEM) -> list[dict]:
    return [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Observation"
        and any(c["system"] == system for c in e["resource"]["code"]["coding"])
    ]


def test_each_trial_is_an_observation_coded_in_loinc_where_it_can_be(store: Store) -> None:
    patient = store.add_patient("P-1", "Ann Confidential", birth_year=1952, sex="female")
    seed_clinical_demo(store, "P-1", TODAY, weeks=2)
    bundle = fhir_bundle(collect(store, patient.code))
    fhir_bundle_model().model_validate(bundle)
    found = observations(bundle)
    assert len(found) == 2 * 5  # a TUG, a 5xSTS, a 30 s chair stand and two legs of single-leg stance a week
    by_test: dict[str, list[dict]] = {}
    for o in found:
        local = next(c["code"] for c in o["code"]["coding"] if c["system"] == CLINICAL_TEST_SYSTEM)
        by_test.setdefault(local, []).append(o)
    tug = by_test["timed_up_and_go"][-1]
    assert tug["code"]["coding"][0] == {
        "system": "http://loinc.org",
        "code": "89423-8",
        "display": "Time to rise from chair, walk 10 feet and back, and return to sitting [TUG]",
    }
    assert tug["valueQuantity"] == {"value": 10.7, "unit": "s", "system": "http://unitsofmeasure.org", "code": "s"}
    # Born 1952: 74 in 2026, Bohannon's 70-79: mean 9.2 s, interval 8.2-10.2: 10.7 s is above it.
    [reference] = tug["referenceRange"]
    assert reference["high"]["value"] == 10.2 and reference["age"]["low"]["value"] == 70
    assert tug["interpretation"][0]["coding"][0]["code"] == "H"
    assert any("CDC STEADI cut-off" in n["text"] for n in tug["note"])
    assert {c["code"]["text"] for c in tug["component"]} >= {"Rise", "Turn", "Sit down"}
    stands = by_test["chair_stand_30s"][0]
    assert stands["code"]["coding"][0]["code"] == "66247-8" and stands["valueQuantity"]["code"] == "{#}/(30.s)"
    assert any("Arms used" in n["text"] for n in stands["note"])
    legs = by_test["single_leg_stance_test"]
    assert {o["bodySite"]["text"] for o in legs} == {"stance leg: right", "stance leg: left"}
    assert all(
        c["system"] == CLINICAL_TEST_SYSTEM for o in by_test["five_times_sit_to_stand"] for c in o["code"]["coding"]
    )
    assert "Ann Confidential" not in json.dumps(bundle)


def test_a_corrected_result_says_the_measured_value_who_and_why(store: Store) -> None:
    patient = store.add_patient("P-1", "Ann")
    seed_clinical_demo(store, "P-1", TODAY, weeks=1)
    tug = next(r for r in clinical_results(store, patient.id) if r.test_id == "timed_up_and_go")
    correct_clinical_result(store, tug.id, 11.5, "stopwatch from the same trial")
    [observation] = [
        o
        for o in observations(fhir_bundle(collect(store, patient.code)))
        if o["code"]["coding"][0]["code"] == "89423-8"
    ]
    assert observation["status"] == "corrected" and observation["valueQuantity"]["value"] == 11.5
    measured = next(c for c in observation["component"] if c["code"]["text"] == "Measured by the app")
    assert measured["valueQuantity"]["value"] == tug.measured
    assert any("stopwatch from the same trial" in n["text"] and n.get("time") for n in observation["note"])
    assert "referenceRange" not in observation  # no birth year: no norm


def test_an_unfinished_trial_has_no_value_and_says_why(store: Store) -> None:
    from rehab_coach.engine.clinical import ClinicalResult
    from rehab_coach.session.store.ops import Finish, RecordClinicalResult, StartSession

    store.add_patient("P-1", "Ann")
    stopped = ClinicalResult(test="timed_up_and_go", value=None, unit="s", completed=False, ended_by="stopped")
    store.apply_ops(
        [
            StartSession(session="s-1", exercise_id="timed_up_and_go", patient_code="P-1"),
            RecordClinicalResult(session="s-1", result=stopped),
            Finish(session="s-1", status="stopped"),
        ]
    )
    bundle = fhir_bundle(collect(store, "P-1"))
    fhir_bundle_model().model_validate(bundle)
    [observation] = observations(bundle)
    assert "valueQuantity" not in observation
    assert observation["dataAbsentReason"]["text"] == "Stopped before the end"


@pytest.mark.parametrize("weeks", [3])
def test_a_period_export_keeps_only_its_trials(store: Store, weeks: int) -> None:
    store.add_patient("P-1", "Ann")
    seed_clinical_demo(store, "P-1", TODAY, weeks=weeks)
    since = dt.datetime.combine(TODAY - dt.timedelta(days=3), dt.time()).astimezone(dt.UTC)
    assert len(observations(fhir_bundle(collect(store, "P-1", since=since)))) == 5
