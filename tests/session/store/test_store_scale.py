"""The store at scale, without timing anything: one patient's queries read only that patient's rows
(SQLite's query plans), and the patient list's batched query says what the per-patient reads say."""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path
from typing import Any

from sqlalchemy import event

from rehab_coach.session.pain_rule import newest_first
from rehab_coach.session.progression import ProgressionRule
from rehab_coach.session.store import (
    ItemSpec,
    PatientOverview,
    ProgramSpec,
    SessionRecorder,
    Store,
    adherence,
    patient_overview,
    patient_overviews,
    patient_progress,
    today_plan,
)
from rehab_coach.session.store.analytics import adherence_of
from rehab_coach.session.store.demo import SQUAT, seed_demo, session_ops, synthetic_rep
from rehab_coach.session.store.flags import MISSED_AT_LEAST, MISSED_WINDOW_DAYS, QUALITY_DROP, QUALITY_WINDOW

TODAY = dt.date(2026, 3, 20)
WHOLE_TABLE = re.compile(r"\bSCAN (reps|rep_series|cue_events|count_corrections|check_ins)\b")


def seeded(store: Store) -> None:
    """Three patients with weeks of sessions, one without any, one whose progression rule counts from
    before the list's four weeks; pain answers (flags open and reviewed) and a falling quality."""
    for n, code in enumerate(("A-1", "B-2", "C-3")):
        seed_demo(store, code=code, name=f"Patient {code}", days=21 + 7 * n, today=TODAY, seed=n)
    store.add_patient("D-4", "Never exercised")
    a = store.sessions_for(store.patient("A-1").id)  # newest first
    store.record_check_in(a[5].id, 7, 4)  # severe: flagged, left open
    store.record_check_in(a[3].id, 3, 4)
    store.record_check_in(a[1].id, 6, 5)  # up by 3: flagged
    b = store.sessions_for(store.patient("B-2").id)
    store.record_check_in(b[2].id, 9, 8)  # severe, reviewed below
    store.record_check_in(b[0].id, 8, 7)  # severe
    store.review_pain_flags([b[2].id], "AB")
    progressing(store)
    rng = random.Random(9)
    for hour in (13, 15, 17):  # three poor squat sessions today after weeks of good ones
        started = dt.datetime.combine(TODAY, dt.time(hour)).astimezone(dt.UTC)
        store.apply_ops(session_ops("C-3", SQUAT, started, 0.0, rng))
    recorder = SessionRecorder(store, recover=False)  # then a squat session with no complete rep: not rated
    recorder.start_session("C-3", "squat")
    recorder.record_rep(synthetic_rep(1, 0.0, SQUAT, 150.0, 1.0, 20.0, [], complete=False))
    recorder.finish_session({"rep_count": 0}, status="stopped")


def progressing(store: Store) -> None:
    """E-5: +2 squats a week from six weeks ago, done every week until this one, short of it now.

    With the weeks before the list's four weeks, this week prescribes 20 and 19 is partial; without
    them two steps would be held (not done) and 19 would be done."""
    patient = store.add_patient("E-5", "Progressing")
    rule = ProgressionRule(step=2, maximum=30)
    first = TODAY - dt.timedelta(days=42)
    store.save_program(patient.id, ProgramSpec([ItemSpec("squat", 1, 10, progression=rule)], start_date=first))
    rng = random.Random(5)
    days = [(back, 30) for back in (42, 35, 28, 21, 14)] + [(back, 19) for back in range(6, 0, -1)]
    for back, reps in days:
        started = dt.datetime.combine(TODAY - dt.timedelta(days=back), dt.time(10)).astimezone(dt.UTC)
        store.apply_ops(session_ops("E-5", SQUAT, started, 0.5, rng, sets=1, reps=reps))


def plans(store: Store, calls: list[Any]) -> list[str]:
    """SQLite's plan of every SELECT the calls sent."""
    sent: list[tuple[str, Any]] = []

    def record(_conn, _cursor, statement: str, parameters: Any, *_args: Any) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            sent.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        for call in calls:
            call()
    finally:
        event.remove(store.engine, "before_cursor_execute", record)
    assert sent
    with store.engine.connect() as connection:
        return [
            str(row[-1])
            for statement, parameters in sent
            for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
        ]


def test_one_patients_queries_never_read_the_whole_reps_table(tmp_path: Path) -> None:
    store = Store(tmp_path / "scale.db")
    seeded(store)
    patient = store.patient("A-1")
    newest = store.sessions_for(patient.id, limit=1)[0]
    steps = plans(
        store,
        [
            lambda: store.sessions_for(patient.id),
            lambda: store.session_detail(newest.uid),
            lambda: store.trends(patient.id),
            lambda: adherence(store, patient.id, TODAY - dt.timedelta(days=27), TODAY),
            lambda: today_plan(store, patient.id, TODAY),
            lambda: patient_progress(store, patient.id, TODAY),
            lambda: patient_overview(store, patient, TODAY),
            lambda: patient_overviews(store, "A-1", today=TODAY),
        ],
    )
    assert [step for step in steps if WHOLE_TABLE.search(step)] == []
    assert any("ix_reps_session_stats" in step for step in steps)  # the aggregates read the covering index
    store.close()


def reference_overview(store: Store, code: str) -> tuple[Any, ...]:
    """The list row as the per-patient reads (all of the patient's sessions) give it."""
    patient = store.patient(code)
    sessions = store.sessions_for(patient.id)
    programs = store.program_history(patient.id)
    rated = next((s for s in sessions if s.pain is not None), None)
    flags = store.pain_flags_for(patient.id)
    pain = flags.get(rated.id) if rated else None
    open_flags = newest_first(f for f in flags.values() if f.open)
    week = adherence_of(programs, sessions, TODAY - dt.timedelta(days=MISSED_WINDOW_DAYS), TODAY - dt.timedelta(days=1))
    missed = week.prescribed - week.done - week.partial
    missed = 0 if missed < MISSED_AT_LEAST or 2 * missed < week.prescribed else missed
    drops = []
    for exercise_id in {s.exercise_id for s in sessions}:
        scores = [s.mean_quality for s in sessions if s.exercise_id == exercise_id and s.mean_quality is not None]
        if len(scores) >= 2 * QUALITY_WINDOW:
            drops.append(sum(scores[QUALITY_WINDOW : 2 * QUALITY_WINDOW]) / 3 - sum(scores[:QUALITY_WINDOW]) / 3)
    drop = round(max(drops), 1) if drops and max(drops) >= QUALITY_DROP else None
    month = adherence_of(programs, sessions, TODAY - dt.timedelta(days=27), TODAY)
    assert month == adherence(store, patient.id, TODAY - dt.timedelta(days=27), TODAY)
    last = sessions[0].started_at if sessions else None
    return (code, last, month, pain, open_flags, missed, drop)


def shown(overview: PatientOverview) -> tuple[Any, ...]:
    o = overview
    return (o.patient.code, o.last_session_at, o.adherence, o.pain, o.open_flags, o.missed, o.quality_drop)


def test_the_batched_patient_list_says_what_each_patients_own_reads_say(store: Store) -> None:
    seeded(store)
    listed = patient_overviews(store, today=TODAY)
    assert [o.patient.code for o in listed] == ["D-4", "A-1", "B-2", "C-3", "E-5"]  # by name, as list_patients
    assert [shown(o) for o in listed] == [reference_overview(store, o.patient.code) for o in listed]
    rows = {o.patient.code: o for o in listed}
    flagged = {code: o.flags for code, o in rows.items()}
    assert flagged["A-1"][0] == "pain up 3→6 (+1 earlier)" and flagged["B-2"][0] == "pain 8/10"
    assert flagged["D-4"] == [] and [o.patient.code for o in listed if o.needs_attention] == ["A-1", "B-2"]
    assert rows["B-2"].pain is not None and rows["B-2"].pain.open and len(rows["B-2"].open_flags) == 1
    assert any(flag.startswith("quality down") for flag in flagged["C-3"])
    assert [o.patient.code for o in patient_overviews(store, "b-2", today=TODAY)] == ["B-2"]
    # One row on its own (its PatientInfo without the list's last-session time) is the same row.
    assert shown(patient_overview(store, store.patient("C-3"), TODAY)) == shown(rows["C-3"])


def test_the_patient_list_reads_what_a_progression_rule_counts_from(store: Store) -> None:
    """E-5's rule counts from six weeks ago: the list reads those weeks too, and this week's 19 squats
    fall short of the 20 prescribed (read from the four weeks alone, 16 would be prescribed)."""
    seeded(store)
    patient = store.patient("E-5")
    row = patient_overview(store, patient, TODAY)
    window = [s for s in store.sessions_for(patient.id) if (TODAY - s.started_at.astimezone().date()).days <= 27]
    short = adherence_of(store.program_history(patient.id), window, TODAY - dt.timedelta(days=27), TODAY)
    last_week = [TODAY - dt.timedelta(days=back) for back in range(6, 0, -1)]
    assert [row.adherence.by_day[d][1] for d in last_week] == [0] * 6
    assert [row.adherence.partial_by_day.get(d) for d in last_week] == [1] * 6
    assert [short.by_day[d][1] for d in last_week] == [1] * 6
    squat = today_plan(store, patient.id, TODAY).items[0]  # 19 of 20 all week: today's step is held
    assert squat.item.reps == 20 and squat.progression is not None and squat.progression.outcome == "held_not_done"
