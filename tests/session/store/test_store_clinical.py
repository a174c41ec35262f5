"""Clinical test results in the store: written with their session by the recorder (and replayed from a
journal without duplicates), read back for a patient, corrected with a reason beside the measured value;
the patient's optional birth year and sex; migration 0008 on an older database. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text

from rehab_coach.engine.clinical import ClinicalResult, StandTimes
from rehab_coach.session.store import SessionRecorder, Store, StoreError, open_store
from rehab_coach.session.store.clinical import (
    clinical_result,
    clinical_results,
    correct_clinical_result,
    session_results,
)
from rehab_coach.session.store.db import alembic_config, create_db_engine, migrate
from rehab_coach.session.store.journal import Journal, replay_pending
from rehab_coach.session.store.ops import RecordClinicalResult, StartSession


def five_times(value: float | None = 11.8) -> ClinicalResult:
    return ClinicalResult(
        test="five_times_sit_to_stand",
        value=value,
        unit="s",
        completed=value is not None,
        ended_by="five_stands" if value is not None else "stopped",
        stands=5,
        secondary={"fifth_stand": 11.1},
        stand_times=[StandTimes(rise=0.6, up=1.4, sit=2.2)],
        flags=["arms_used"],
        duration=12.0,
        frames=360,
        mean_fps=30.0,
    )


def stance(trial: int, side: str, value: float) -> ClinicalResult:
    return ClinicalResult(
        test="single_leg_stance_test",
        trial=trial,
        value=value,
        unit="s",
        completed=True,
        ended_by="foot_down",
        side=side,
    )


def record(store: Store, tmp_path: Path, code: str | None, test: str, *results: ClinicalResult) -> str:
    recorder = SessionRecorder(store, journal_folder=tmp_path / "journal", recover=False)
    uid = recorder.start_session(code, test)
    for result in results:
        recorder.record_clinical_result(result)
    recorder.finish_session({"clinical_test": test}, status="completed")
    return uid


def test_the_recorder_keeps_each_trial_with_its_session_under_the_test_id(store: Store, tmp_path: Path) -> None:
    patient = store.add_patient("P-1", "Ann", birth_year=1950, sex="female")
    uid = record(store, tmp_path, "P-1", "single_leg_stance_test", stance(1, "right", 21.5), stance(2, "left", 8.25))
    session = store.session(uid)
    assert session.exercise_id == "single_leg_stance_test" and session.status == "completed"
    assert session.reps_complete == 0  # a test never counts toward an exercise
    trials = session_results(store, uid)
    assert [(t.result.trial, t.result.side, t.value) for t in trials] == [(1, "right", 21.5), (2, "left", 8.25)]
    assert all(t.patient_id == patient.id and t.session_uid == uid for t in trials)
    stored = clinical_results(store, patient.id)[0].result
    assert stored == stance(1, "right", 21.5)


def test_results_read_back_in_full_oldest_first_by_test_and_period(store: Store, tmp_path: Path) -> None:
    patient = store.add_patient("P-1", "Ann")
    first = record(store, tmp_path, "P-1", "five_times_sit_to_stand", five_times(12.4))
    record(
        store,
        tmp_path,
        "P-1",
        "timed_up_and_go",
        ClinicalResult(test="timed_up_and_go", value=9.5, unit="s", completed=True, ended_by="seated"),
    )
    last = record(store, tmp_path, "P-1", "five_times_sit_to_stand", five_times(11.8))
    record(store, tmp_path, None, "five_times_sit_to_stand", five_times(20.0))  # a guest: nobody's
    results = clinical_results(store, patient.id, test_id="five_times_sit_to_stand")
    assert [r.session_uid for r in results] == [first, last]
    assert results[1].result == five_times(11.8)  # every field of the engine's result comes back
    assert len(clinical_results(store, patient.id)) == 3
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    assert clinical_results(store, patient.id, since=later) == []


def test_a_journal_replayed_twice_adds_each_trial_once(store: Store, tmp_path: Path) -> None:
    store.add_patient("P-1", "Ann")
    journal = Journal.for_session(tmp_path, "u-1")
    journal.append(StartSession(session="u-1", exercise_id="timed_up_and_go", patient_code="P-1"))
    journal.append(
        RecordClinicalResult(
            session="u-1",
            result=ClinicalResult(test="timed_up_and_go", value=10.2, unit="s", completed=True, ended_by="seated"),
        )
    )
    ops = journal.read()
    store.apply_ops(ops)
    store.apply_ops(ops)
    replay_pending(store, tmp_path)
    assert [r.value for r in session_results(store, "u-1")] == [10.2]


def test_a_correction_stays_beside_the_measured_value_and_the_newest_is_in_force(store: Store, tmp_path: Path) -> None:
    store.add_patient("P-1", "Ann")
    uid = record(store, tmp_path, "P-1", "five_times_sit_to_stand", five_times(11.8))
    [result] = session_results(store, uid)
    correct_clinical_result(store, result.id, 12.6, "the stopwatch from the same trial")
    second = correct_clinical_result(store, result.id, 12.4, "re-timed from the video")
    again = clinical_result(store, result.id)
    assert again.measured == 11.8 and again.value == 12.4
    assert [c.corrected_value for c in again.corrections] == [12.6, 12.4]
    assert second.original_value == 11.8 and second.reason == "re-timed from the video" and second.host


@pytest.mark.parametrize(
    ("test", "value", "reason", "message"),
    [
        ("five_times_sit_to_stand", 12.0, "  ", "say why"),
        ("five_times_sit_to_stand", -1.0, "typo", "a time is more than 0"),
        ("five_times_sit_to_stand", 9999.0, "typo", "at most 600"),
        ("chair_stand_30s", 12.5, "typo", "whole number"),
        ("chair_stand_30s", float("nan"), "typo", "is a number"),
    ],
)
def test_a_correction_that_cannot_be_is_refused_and_nothing_is_written(
    store: Store, tmp_path: Path, test: str, value: float, reason: str, message: str
) -> None:
    store.add_patient("P-1", "Ann")
    unit = "stands" if test == "chair_stand_30s" else "s"
    uid = record(
        store,
        tmp_path,
        "P-1",
        test,
        ClinicalResult(test=test, value=10.0, unit=unit, completed=True, ended_by="time_up"),
    )  # type: ignore[arg-type]
    [result] = session_results(store, uid)
    with pytest.raises(StoreError, match=message):
        correct_clinical_result(store, result.id, value, reason)
    assert clinical_result(store, result.id).corrections == []


def test_birth_year_and_sex_are_optional_checked_and_can_be_cleared(store: Store) -> None:
    patient = store.add_patient("P-1", "Ann", birth_year=1948, sex="female")
    assert (patient.birth_year, patient.sex) == (1948, "female")
    edited = store.update_patient(patient.id, notes="knee")
    assert (edited.birth_year, edited.sex) == (1948, "female")  # untouched unless given
    cleared = store.update_patient(patient.id, birth_year=None, sex=None)
    assert (cleared.birth_year, cleared.sex) == (None, None)
    for bad in ({"birth_year": 1850}, {"birth_year": dt.date.today().year + 1}, {"sex": "f"}):
        with pytest.raises(StoreError):
            store.update_patient(patient.id, **bad)  # type: ignore[arg-type]
    with pytest.raises(StoreError, match="birth year"):
        store.add_patient("P-2", "Bob", birth_year=True)  # type: ignore[arg-type]
    assert store.get_patient("P-2") is None


def test_a_0007_database_upgrades_with_its_patients_and_downgrades_again(store_url: str, tmp_path: Path) -> None:
    engine = create_db_engine(store_url)
    migrate(engine, "0007_store_scale")
    with engine.begin() as conn:
        assert "clinical_results" not in inspect(conn).get_table_names()
        conn.execute(
            text(
                "INSERT INTO patients (code, display_name, notes, archived, created_at, updated_at) "
                "VALUES ('P-1', 'Ann', '', :no, '2026-01-05 09:00:00', '2026-01-05 09:00:00')"
            ),
            {"no": False},
        )
    engine.dispose()
    store = open_store(store_url)
    try:
        patient = store.patient("P-1")
        assert (patient.display_name, patient.birth_year, patient.sex) == ("Ann", None, None)
        record(store, tmp_path, "P-1", "five_times_sit_to_stand", five_times())
    finally:
        store.close()
    engine = create_db_engine(store_url)
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0007_store_scale")
    with engine.connect() as conn:
        assert "clinical_results" not in inspect(conn).get_table_names()
        assert "birth_year" not in {c["name"] for c in inspect(conn).get_columns("patients")}
        assert conn.execute(text("SELECT display_name FROM patients")).scalar() == "Ann"
        # the patient's rows stay: the columns are dropped in place, not by copying `patients` (a cascade)
        assert conn.execute(text("SELECT count(*) FROM sessions")).scalar() == 1
    engine.dispose()
