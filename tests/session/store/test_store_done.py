"""One meaning of "done" (rehab_coach.session.done) in everything that reads the store: today's
plan (the picker and the therapist's today panel), the kiosk's list, adherence and `patients show`.

Issue 19, defect 7: after two stopped squat sessions of 5 reps each, the kiosk said "1 of 2
done", the picker "done today" and `patients show` "adherence 0/2, 1 partial"; a therapist's
corrected count was not used in "5 of 10 reps done today"."""

from __future__ import annotations

import datetime as dt

import pytest

from rehab_coach.cli import main
from rehab_coach.engine.templates import load_template_by_id
from rehab_coach.session.kiosk_day import todays_patients
from rehab_coach.session.store import (
    ItemSpec,
    PatientInfo,
    ProgramSpec,
    SessionRecorder,
    Store,
    adherence,
    today_plan,
    weekdays_mask,
)
from rehab_coach.session.store.demo import SQUAT, synthetic_rep

EVERY_DAY = "mon,tue,wed,thu,fri,sat,sun"


def _patient_with_squats_and_raises(store: Store) -> PatientInfo:
    """1 x 10 squats and 1 x 10 shoulder raises every day."""
    patient = store.add_patient("P-7", "Dana Done")
    spec = ProgramSpec([ItemSpec("squat", 1, 10), ItemSpec("shoulder_abduction", 1, 10)], weekdays_mask(EVERY_DAY))
    store.save_program(patient.id, spec)
    return patient


def _squat_session(store: Store, reps: int, status: str) -> str:
    recorder = SessionRecorder(store)
    uid = recorder.start_session("P-7", load_template_by_id("squat"), None)
    for i in range(1, reps + 1):
        recorder.record_rep(synthetic_rep(i, 3.0 * i, SQUAT, 100.0, 2.0, 85.0, []))
    recorder.finish_session({}, status=status)
    return uid


def _everything_that_says_done(store: Store, patient: PatientInfo, capsys: pytest.CaptureFixture[str], url: str):
    today = dt.date.today()
    squat = today_plan(store, patient.id, today).items[0]
    kiosk = next(e for e in todays_patients(store, today) if e.code == "P-7")
    record = adherence(store, patient.id, today, today)
    assert main(["patients", "show", "P-7", "--days", "1", "--db", url]) == 0
    return squat, kiosk, record, capsys.readouterr().out


def test_two_stopped_sessions_that_reach_the_prescription_are_done_everywhere(
    store: Store, store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    patient = _patient_with_squats_and_raises(store)
    _squat_session(store, 5, "stopped")
    _squat_session(store, 5, "stopped")

    squat, kiosk, record, shown = _everything_that_says_done(store, patient, capsys, store_url)
    assert squat.reps_done == 10 and squat.done  # the picker's "done today"
    assert (kiosk.exercises, kiosk.done) == (2, 1) and "1 of 2 done" in kiosk.label(False)
    assert (record.prescribed, record.done, record.partial) == (2, 1, 0)  # was 0/2, 1 partial
    assert "adherence today: 1/2 (50 %), 0 partial" in shown


def test_a_completed_session_short_of_the_prescription_is_partial_everywhere(
    store: Store, store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    patient = _patient_with_squats_and_raises(store)
    _squat_session(store, 6, "completed")

    squat, kiosk, record, _shown = _everything_that_says_done(store, patient, capsys, store_url)
    assert squat.reps_done == 6 and not squat.done
    assert kiosk.done == 0
    assert (record.done, record.partial) == (0, 1)  # "completed" alone used to be done


def test_the_therapists_correction_is_the_count_everywhere(
    store: Store, store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    patient = _patient_with_squats_and_raises(store)
    uid = _squat_session(store, 10, "completed")
    store.correct_count(uid, 5, "five were the patient shifting on the chair")

    squat, kiosk, record, shown = _everything_that_says_done(store, patient, capsys, store_url)
    assert squat.reps_done == 5 and not squat.done  # "5 of 10 reps done today", not 10
    assert kiosk.done == 0
    assert (record.done, record.partial) == (0, 1)
    assert "5 reps (recorded 10)" in shown

    store.correct_count(uid, 10, "video review: they were real reps after all")
    squat, kiosk, record, shown = _everything_that_says_done(store, patient, capsys, store_url)
    assert squat.done and kiosk.done == 1 and record.done == 1
    assert "10 reps (recorded 10)" in shown
