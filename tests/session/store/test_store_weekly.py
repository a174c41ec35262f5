"""The weekly summary (session/store/weekly.py): sessions and reps done against the program's plan,
week by week, with the one meaning of done (a therapist's correction counting), the range of motion of
each exercise and its change, and the pain flags of each week. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid

from rehab_coach.session.store import ItemSpec, ProgramSpec, Store, weekdays_mask, weekly_summary
from rehab_coach.session.store.demo import ABDUCTION, SQUAT, DemoExercise, synthetic_rep
from rehab_coach.session.store.ops import Finish, Op, RecordRep, StartSession, StartSet

MONDAY = dt.date(2026, 3, 2)
TODAY = dt.date(2026, 3, 18)  # the Wednesday of the third week


def session(store: Store, exercise: DemoExercise, day: dt.date, reps: int, rom: float, pain: int | None = None) -> int:
    """A finished session at 10:00 local time on `day`: `reps` complete reps of excursion `rom`."""
    uid = str(uuid.uuid4())
    started = dt.datetime.combine(day, dt.time(10)).astimezone(dt.UTC)
    extreme = exercise.rest - rom if exercise.direction == "down" else exercise.rest + rom
    ops: list[Op] = [
        StartSession(
            session=uid,
            at=started,
            patient_code="P-1",
            exercise_id=exercise.exercise_id,
            measure=exercise.measure,
            direction=exercise.direction,
            target=exercise.target,
            ideal=exercise.ideal,
            host="test",
            pid=0,
            app_version="test",
        ),
        StartSet(session=uid, at=started, number=1),
    ]
    for i in range(1, reps + 1):
        rep = synthetic_rep(i, 3.0 * i, exercise, extreme, 2.5, 80.0, [])
        ops.append(RecordRep(session=uid, at=started + dt.timedelta(seconds=3 * i), seq=i, set=1, rep=rep, curve=[]))
    ops.append(Finish(session=uid, at=started + dt.timedelta(minutes=5), status="completed", summary=None))
    store.apply_ops(ops)
    session_id = store.session(uid).id
    if pain is not None:
        store.record_check_in(session_id, pain, None)
    return session_id


def test_weeks_count_the_plan_the_corrected_reps_the_range_and_the_flags(store: Store) -> None:
    patient = store.add_patient("P-1", "Ann")
    store.save_program(
        patient.id,
        ProgramSpec(
            [ItemSpec("squat", 1, 8), ItemSpec("shoulder_abduction", 1, 8)],
            weekdays_mask("mon,wed,fri"),
            start_date=MONDAY,
        ),
    )
    day = MONDAY
    # Week 1: Monday squats done and abductions half done, Wednesday squats done, Friday nothing.
    session(store, SQUAT, day, 8, 40.0, pain=3)
    session(store, ABDUCTION, day, 4, 80.0)
    session(store, SQUAT, day + dt.timedelta(days=2), 8, 44.0)
    # Week 2: Monday's squats corrected down to 5 (partial), extra squats on Tuesday (not a
    # scheduled day: recorded, not counted), Wednesday both done, pain 8 after the abductions.
    corrected = session(store, SQUAT, day + dt.timedelta(days=7), 8, 50.0)
    store.correct_count(corrected, 5, "three reps were the patient sitting down")
    session(store, SQUAT, day + dt.timedelta(days=8), 8, 60.0)
    session(store, SQUAT, day + dt.timedelta(days=9), 8, 70.0)
    flagged = session(store, ABDUCTION, day + dt.timedelta(days=9), 8, 90.0, pain=8)
    # Week 3 (this one): Monday's squats.
    session(store, SQUAT, day + dt.timedelta(days=14), 8, 72.0)

    this, last, first = weekly_summary(store, patient.id, TODAY)  # six asked; none before the program
    assert [w.start for w in (this, last, first)] == [dt.date(2026, 3, 16), dt.date(2026, 3, 9), MONDAY]
    assert this.current and not last.current and first.end == dt.date(2026, 3, 8)

    counts = [
        (w.sessions_done, w.sessions_partial, w.sessions_planned, w.reps_done, w.reps_prescribed, w.sessions_recorded)
        for w in (this, last, first)
    ]
    assert counts == [(1, 0, 6, 8, 48, 1), (2, 1, 6, 21, 48, 4), (2, 1, 6, 20, 48, 3)]

    def roms(week):  # type: ignore[no-untyped-def]
        return {r.exercise_id: (r.mean_rom, r.change, r.sessions) for r in week.rom}

    assert roms(first) == {"squat": (42.0, None, 2), "shoulder_abduction": (80.0, None, 1)}
    assert roms(last) == {"squat": (60.0, 18.0, 3), "shoulder_abduction": (90.0, 10.0, 1)}
    assert roms(this) == {"squat": (72.0, 12.0, 1)}  # against last week; no abduction this week

    assert [f.session_id for f in last.pain_flags] == [flagged] and last.open_flags == 1
    assert first.pain_flags == [] and this.pain_flags == []
    store.review_pain_flags([flagged], "AB")
    reviewed = weekly_summary(store, patient.id, TODAY)[1]
    assert reviewed.open_flags == 0 and reviewed.pain_flags[0].review is not None  # still listed, reviewed


def test_a_patient_without_a_program_shows_this_week_with_nothing_planned(store: Store) -> None:
    patient = store.add_patient("P-1", "Ann")
    [week] = weekly_summary(store, patient.id, TODAY)
    assert (week.start, week.sessions_planned, week.reps_prescribed, week.rom, week.pain_flags) == (
        dt.date(2026, 3, 16),
        0,
        0,
        [],
        [],
    )
    session(store, SQUAT, TODAY, 6, 30.0)
    [week] = weekly_summary(store, patient.id, TODAY)
    assert (week.sessions_recorded, week.sessions_done, week.rom[0].mean_rom) == (1, 0, 30.0)
