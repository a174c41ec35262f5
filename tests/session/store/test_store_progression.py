"""A progression rule stored with its program item moves the prescription every reader sees: today's
plan (the picker, the kiosk, the therapist's today panel), the kiosk's list and adherence, from the
stored sessions, check-ins and count corrections; every day is given, no clock is read."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from rehab_coach.session.kiosk_day import todays_patients
from rehab_coach.session.live.sets import program_overrides
from rehab_coach.session.progression import ProgressionRule
from rehab_coach.session.store import ItemSpec, ProgramSpec, Store, StoreError, adherence, today_plan
from rehab_coach.session.store.demo import SQUAT, session_ops

START = dt.date(2026, 11, 30)  # a Monday
RULE = ProgressionRule(step=2, pain_ceiling=4, maximum=16)


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def squats(store: Store, on: dt.date, reps: int, pain: int | None = None, hour: int = 10) -> str:
    """A squat session of `reps` complete reps at `hour` local time on `on`, with its check-in."""
    started = dt.datetime.combine(on, dt.time(hour)).astimezone(dt.UTC)
    ops = session_ops("P-1", SQUAT, started, 0.5, random.Random(on.toordinal() + hour), sets=1, reps=reps)
    store.apply_ops(ops)
    uid = ops[0].session
    if pain is not None:
        store.record_check_in(uid, pain, None)
    return uid


@pytest.fixture
def patient_id(store: Store) -> int:
    patient = store.add_patient("P-1", "Ann")
    store.save_program(patient.id, ProgramSpec([ItemSpec("squat", 1, 10, progression=RULE)], start_date=START))
    return patient.id


def test_the_rule_counts_from_the_programs_start_and_moves_todays_reps(store: Store, patient_id: int) -> None:
    program = store.active_program(patient_id)
    assert program is not None and program.items[0].progression == RULE.model_copy(update={"since": START})
    squats(store, day(2), 10, pain=2)
    plan = today_plan(store, patient_id, day(7))
    squat = plan.items[0]
    assert squat.item.reps == 12 and squat.reps_prescribed == 12 and squat.item.id == program.items[0].id
    assert squat.progression is not None and squat.progression.reason("en") == "12 reps: +2 since 30 Nov, pain under 4"
    assert program_overrides(squat.item)["dosage.reps"] == 12  # what the live session coaches
    assert today_plan(store, patient_id, day(6)).items[0].item.reps == 10  # the step lands on the Monday


def test_pain_at_the_ceiling_holds_it_and_the_therapist_sees_why(store: Store, patient_id: int) -> None:
    squats(store, day(1), 10, pain=5)
    squat = today_plan(store, patient_id, day(7)).items[0]
    assert squat.item.reps == 10 and squat.progression is not None
    assert squat.progression.reason("en") == "10 reps: held: pain 5 on 1 Dec (ceiling 4)"


def test_a_corrected_count_decides_and_adherence_uses_the_reps_of_each_day(store: Store, patient_id: int) -> None:
    uid = squats(store, day(1), 10)
    store.correct_count(uid, 7, "two reps were half squats, one was a stand-up")
    assert today_plan(store, patient_id, day(7)).items[0].item.reps == 10  # 7 of 10: not done, held
    squats(store, day(3), 10)
    assert today_plan(store, patient_id, day(7)).items[0].item.reps == 12
    squats(store, day(8), 10)  # 10 of the 12 in force that week: partial, though it would have done week 1
    record = adherence(store, patient_id, day(7), day(8))
    assert (record.prescribed, record.done, record.partial) == (2, 0, 1)
    entry = next(e for e in todays_patients(store, day(8)) if e.code == "P-1")
    assert (entry.exercises, entry.done) == (1, 0)


def test_editing_the_program_keeps_the_progression_going(store: Store, patient_id: int) -> None:
    squats(store, day(2), 10)
    program = store.active_program(patient_id)
    assert program is not None
    store.save_program(patient_id, program.as_spec())  # a new version, e.g. other notes
    assert today_plan(store, patient_id, day(7)).items[0].item.reps == 12


def test_a_hold_time_progression_moves_the_hold_override(store: Store) -> None:
    patient = store.add_patient("P-2", "Ben")
    rule = ProgressionRule(step=5, unit="seconds", every=3, period="days", maximum=40)
    with pytest.raises(StoreError, match="needs the exercise's own hold time"):
        store.save_program(patient.id, ProgramSpec([ItemSpec("wall_sit", 1, 3, progression=rule)], start_date=START))
    spec = ProgramSpec([ItemSpec("wall_sit", 1, 3, {"hold.seconds": 20.0}, progression=rule)], start_date=START)
    store.save_program(patient.id, spec)
    item = today_plan(store, patient.id, day(2)).items[0].item
    assert item.overrides["hold.seconds"] == 20.0 and item.reps == 3


def test_a_rule_that_could_never_move_is_refused(store: Store) -> None:
    patient = store.add_patient("P-3", "Cy")
    with pytest.raises(StoreError, match=r"squat: the progression's maximum \(16\) must be above where it starts"):
        store.save_program(patient.id, ProgramSpec([ItemSpec("squat", 1, 16, progression=RULE)]))
    assert store.active_program(patient.id) is None


def test_a_damaged_rule_in_the_database_leaves_the_dosage_and_says_why(store: Store, patient_id: int) -> None:
    from sqlalchemy import update

    from rehab_coach.session.store.tables import ProgramItem

    with store.transaction() as db:
        db.execute(update(ProgramItem).values(progression={"step": -1, "maximum": 16}))
    program = store.active_program(patient_id)
    assert program is not None and program.items[0].progression is None
    assert "progression step: Input should be greater than or equal to 1" in program.items[0].progression_problem
    assert today_plan(store, patient_id, day(14)).items[0].item.reps == 10


def test_gui_patient_and_exercise_starts_with_todays_reps(store: Store, store_url: str) -> None:
    """`rehab-coach gui --patient P-4 --exercise squat` coaches what the picker shows today."""
    import argparse

    from rehab_coach.commands.gui import chosen_patient

    patient = store.add_patient("P-4", "Di")
    week_ago = dt.date.today() - dt.timedelta(days=7)
    store.save_program(patient.id, ProgramSpec([ItemSpec("squat", 1, 10, progression=RULE)], start_date=week_ago))
    started = dt.datetime.combine(week_ago + dt.timedelta(days=1), dt.time(10)).astimezone(dt.UTC)
    store.apply_ops(session_ops("P-4", SQUAT, started, 0.5, random.Random(4), sets=1, reps=10))
    code, item = chosen_patient(argparse.Namespace(patient="p-4", exercise="squat", db=store_url))
    assert code == "P-4"  # the code as stored, whatever its case on the command line
    assert item is not None and item.reps == 12 and program_overrides(item)["dosage.reps"] == 12
