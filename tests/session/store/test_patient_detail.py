"""What each tab of the therapist's patient detail reads in one call, on SQLite and PostgreSQL: the
same as the separate reads it replaces, so the tabs need nothing more while they paint."""

from __future__ import annotations

import datetime as dt

from rehab_coach.session.clinical.demo import seed_clinical_demo
from rehab_coach.session.period import period_bounds
from rehab_coach.session.progression import ProgressionRule
from rehab_coach.session.store import (
    ItemSpec,
    ProgramSpec,
    Store,
    adherence,
    patient_progress,
    today_plan,
    weekdays_mask,
)
from rehab_coach.session.store.clinical import clinical_results
from rehab_coach.session.store.demo import seed_demo
from rehab_coach.session.store.patient_detail import (
    adherence_over,
    read_clinical,
    read_program,
    read_session_rows,
    read_today,
    read_trends,
)


def test_the_sessions_of_a_period_with_the_newest_in_detail(store: Store) -> None:
    demo = seed_demo(store, days=21)
    everything = store.sessions_for(demo.id)
    rows = read_session_rows(store, demo.id, period_bounds("all"))
    assert rows.patient_id == demo.id and rows.sessions == everything
    assert rows.flags == store.pain_flags_for(demo.id)
    assert rows.shown == store.session_detail(everything[0].id) and rows.shown_row == 0
    assert not rows.older
    week = read_session_rows(store, demo.id, period_bounds("7d"))
    bounds = period_bounds("7d")
    assert 0 < len(week.sessions) < len(everything) and all(bounds.contains(s.started_at) for s in week.sessions)


def test_the_session_in_detail_stays_while_it_is_listed(store: Store) -> None:
    demo = seed_demo(store, days=21)
    everything = store.sessions_for(demo.id)
    oldest = everything[-1]
    kept = read_session_rows(store, demo.id, period_bounds("all"), shown=oldest.id)
    assert kept.shown is not None and kept.shown.session.id == oldest.id and kept.shown_row == len(everything) - 1
    # Not in the last 7 days: the newest of the period instead.
    week = read_session_rows(store, demo.id, period_bounds("7d"), shown=oldest.id)
    assert week.shown is not None and week.shown.session.id == week.sessions[0].id and week.shown_row == 0


def test_no_sessions_in_the_period_says_whether_older_ones_exist(store: Store) -> None:
    demo = seed_demo(store, days=21, today=dt.date.today() - dt.timedelta(days=40))
    month = read_session_rows(store, demo.id, period_bounds("30d"))
    assert month.sessions == [] and month.shown is None and month.shown_row is None and month.older
    nobody = store.add_patient("P-2", "Nobody yet")
    empty = read_session_rows(store, nobody.id, period_bounds("30d"))
    assert empty.sessions == [] and empty.shown is None and not empty.older


def test_the_program_with_where_its_progressions_stand_today(store: Store) -> None:
    ana = store.add_patient("P-1", "Ana")
    assert read_program(store, ana.id).program is None and read_program(store, ana.id).today is None
    store.save_program(ana.id, ProgramSpec([ItemSpec("squat", 3, 12)], weekdays_mask("mon,wed,fri")))
    plain = read_program(store, ana.id)
    assert plain.program == store.active_program(ana.id) and plain.today is None  # no rule: no plan read
    rule = ProgressionRule(step=2, maximum=16)
    store.save_program(
        ana.id,
        ProgramSpec([ItemSpec("squat", 3, 12, progression=rule)], start_date=dt.date.today() - dt.timedelta(days=14)),
    )
    growing = read_program(store, ana.id)
    assert growing.program == store.active_program(ana.id)
    assert growing.today == today_plan(store, ana.id) and growing.today.items[0].progression is not None


def test_the_trends_and_the_adherence_over_the_chosen_days(store: Store) -> None:
    demo = seed_demo(store, days=21)
    view = read_trends(store, demo.id, 14)
    assert view.points == store.trends(demo.id)
    today = dt.date.today()
    assert view.adherence == adherence(store, demo.id, today - dt.timedelta(days=13), today)
    assert adherence_over(store, demo.id, 7) == adherence(store, demo.id, today - dt.timedelta(days=6), today)


def test_the_patients_own_view_keeps_the_figures_of_the_planned_exercises(store: Store) -> None:
    demo = seed_demo(store, days=21)
    monday = dt.date.today() + dt.timedelta(days=(7 - dt.date.today().weekday()) % 7)
    view = read_today(store, demo.id, monday)
    assert view.plan == today_plan(store, demo.id, monday)
    assert view.progress == patient_progress(store, demo.id, monday)
    planned = {entry.item.exercise_id for entry in view.plan.items}
    assert planned and set(view.trends) == planned
    for exercise_id, points in view.trends.items():
        assert points == store.trends(demo.id, exercise_id)
    nobody = store.add_patient("P-2", "Nobody yet")
    assert read_today(store, nobody.id).trends == {}


def test_the_standard_tests_with_the_patient_they_are_read_for(store: Store) -> None:
    ann = store.add_patient("P-1", "Ann", birth_year=1950, sex="female")
    seed_clinical_demo(store, "P-1", weeks=2)
    view = read_clinical(store, ann.id)
    assert view.patient == store.patient(ann.id) and view.patient.birth_year == 1950
    assert view.results == clinical_results(store, ann.id) and view.results
