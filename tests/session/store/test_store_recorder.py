"""The live flow's writes (SessionRecorder) and what the therapist screens read back."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from rehab_coach.engine.templates import load_template_by_id
from rehab_coach.engine.types import CueEvent
from rehab_coach.session.store import (
    ItemSpec,
    ProgramSpec,
    RecorderError,
    SessionRecorder,
    Store,
    adherence,
    today_plan,
    weekdays_mask,
)
from rehab_coach.session.store.demo import ABDUCTION, SQUAT, seed_demo, synthetic_rep
from rehab_coach.session.store.series import MAX_POINTS, downsample, pack, unpack


def test_a_session_round_trips_every_rep_metric(store: Store) -> None:
    patient = store.add_patient("P-001", "Ann")
    program = store.save_program(patient.id, ProgramSpec([ItemSpec("squat", 2, 3, {"primary.target": 100})]))
    template = load_template_by_id("squat", program.items[0].overrides)
    recorder = SessionRecorder(store)
    uid = recorder.start_session("P-001", template, program.items[0])
    reps = [synthetic_rep(i, 3.0 * i, SQUAT, 95.0 + i, 2.5, 70.0 + i, ["trunk_lean"] if i == 2 else []) for i in (1, 2)]
    reps.append(synthetic_rep(3, 9.0, SQUAT, 140.0, 1.0, 30.0, [], complete=False))
    for rep in reps:
        recorder.record_rep(rep)
    recorder.record_cue(CueEvent(5.1, "fault", "trunk_lean", "Keep your chest up", 3))
    assert recorder.start_set() == 2
    reps.append(synthetic_rep(1, 20.0, SQUAT, 99.0, 2.0, 90.0, []))
    recorder.record_rep(reps[-1])
    recorder.finish_session({"rep_count": 3, "average_quality": 77.3})

    detail = store.session_detail(uid)
    s = detail.session
    assert (s.status, s.patient_code, s.exercise_id, s.program_item_id) == (
        "completed",
        "P-001",
        "squat",
        program.items[0].id,
    )
    assert (s.measure, s.direction, s.target, s.ideal) == ("knee", "down", 100.0, 90.0)
    assert s.overrides == {"primary.target": 100} and s.summary == {"rep_count": 3, "average_quality": 77.3}
    assert (s.reps_complete, s.reps_partial, s.best_extreme) == (3, 1, 96.0)
    assert s.ended_at is not None and s.ended_at >= s.started_at
    assert [(r.seq, r.set_number, r.index) for r in detail.reps] == [(1, 1, 1), (2, 1, 2), (3, 1, 3), (4, 2, 1)]
    for stored, original in zip(detail.reps, reps, strict=True):
        assert (stored.complete, stored.rom, stored.extreme, stored.start_value, stored.quality) == (
            original.complete,
            original.rom,
            original.extreme,
            original.start_value,
            original.quality,
        )
        assert (stored.quality_parts, stored.peaks, stored.faults, stored.partial_reason) == (
            original.quality_parts,
            original.peaks,
            original.faults,
            original.partial_reason,
        )
        assert stored.start_t == original.start_t and stored.end_t == original.end_t
        # the curve is downsampled but keeps its ends and its extreme
        assert len(stored.curve) <= MAX_POINTS
        assert stored.curve[0][0] == pytest.approx(original.curve[0][0], abs=1e-3)
        assert min(v for _, v in stored.curve) == pytest.approx(min(v for _, v in original.curve), abs=0.01)
    assert [(c.cue_id, c.text, c.priority) for c in detail.cues] == [("trunk_lean", "Keep your chest up", 3)]


def test_hold_reps_and_guest_sessions(store: Store) -> None:
    recorder = SessionRecorder(store)
    uid = recorder.start_session(None, "plank")
    rep = synthetic_rep(1, 0.0, SQUAT, 100.0, 1.0, 100.0, [])
    rep.held_seconds, rep.curve = 30.0, []
    recorder.record_rep(rep)
    recorder.finish_session(None, status="stopped")
    detail = store.session_detail(uid)
    assert detail.session.patient_id is None and detail.session.status == "stopped"
    assert detail.reps[0].held_seconds == 30.0 and detail.reps[0].curve == []
    assert [s.uid for s in store.sessions_for(None)] == [uid]


def test_recorder_refuses_calls_out_of_order(store: Store) -> None:
    recorder = SessionRecorder(store)
    with pytest.raises(RecorderError):
        recorder.record_rep(synthetic_rep(1, 0.0, SQUAT, 100.0, 1.0, 100.0, []))
    recorder.start_session(None, "squat")
    with pytest.raises(RecorderError):
        recorder.start_session(None, "squat")
    with pytest.raises(RecorderError):
        recorder.finish_session({}, status="interrupted")


def test_curve_packing_is_compact_and_keeps_extremes() -> None:
    curve = [(10 + k / 30, 170 - 80 * math.sin(math.pi * k / 299)) for k in range(300)]
    curve[10] = (curve[10][0], math.nan)
    small = downsample(curve)
    assert len(small) <= MAX_POINTS
    assert min(v for _, v in small) == min(v for _, v in curve if math.isfinite(v))
    data = pack(small, 10.0)
    assert len(data) == 8 * len(small)
    back = unpack(data, 10.0)
    assert back[0] == (10.0, 170.0) and back[-1][0] == pytest.approx(small[-1][0], abs=1e-3)


def test_trends_adherence_and_today(store: Store) -> None:
    today = dt.date(2026, 3, 20)  # a Friday
    patient = seed_demo(store, days=14, today=today)
    points = store.trends(patient.id, "squat")
    assert len(points) == 6 and [p.exercise_id for p in points] == ["squat"] * 6
    assert points[-1].mean_rom > points[0].mean_rom  # the demo patient improves
    assert points[-1].mean_quality > points[0].mean_quality
    assert any(p.status == "interrupted" for p in points)

    record = adherence(store, patient.id, today - dt.timedelta(days=14), today - dt.timedelta(days=1))
    assert (record.prescribed, record.done, record.partial) == (12, 10, 1)
    assert record.ratio == pytest.approx(10 / 12)

    plan = today_plan(store, patient.id, today)
    assert plan.scheduled and [i.item.exercise_id for i in plan.items] == ["squat", "shoulder_abduction"]
    assert all(i.reps_done == 0 and not i.done for i in plan.items)
    rest_day = today_plan(store, patient.id, today + dt.timedelta(days=1))
    assert not rest_day.scheduled and rest_day.next_day == today + dt.timedelta(days=3)


def test_today_counts_reps_done(store: Store) -> None:
    patient = store.add_patient("P-001", "Ann")
    program = store.save_program(
        patient.id, ProgramSpec([ItemSpec("shoulder_abduction", 1, 2)], weekdays_mask("mon,tue,wed,thu,fri,sat,sun"))
    )
    recorder = SessionRecorder(store)
    recorder.start_session("P-001", load_template_by_id("shoulder_abduction"), program.items[0])
    for i in (1, 2):
        recorder.record_rep(synthetic_rep(i, 3.0 * i, ABDUCTION, 120.0, 2.0, 80.0, []))
    recorder.finish_session({})
    plan = today_plan(store, patient.id)
    assert plan.items[0].reps_done == 2 and plan.items[0].sets_done == 1 and plan.items[0].done
    assert plan.items[0].last_quality == 80.0


def test_live_flow_with_the_real_engine(store: Store) -> None:
    """What the desktop app will do: the coach's reps and cues go to the store as they happen."""
    from rehab_coach.engine.coach import Coach
    from rehab_synth import generate

    store.add_patient("P-001", "Ann")
    template = load_template_by_id("squat")
    clip = generate("squat", reps=4, seed=3, faults={2: ["trunk_lean"]})
    coach = Coach(template)
    recorder = SessionRecorder(store)
    uid = recorder.start_session("P-001", template)
    for frame in clip.frames:
        update = coach.process(frame)
        for rep in update.new_reps:
            recorder.record_rep(rep)
        if update.cue:
            recorder.record_cue(update.cue)
    for rep in coach.finish():
        recorder.record_rep(rep)
    recorder.finish_session(coach.summary())

    detail = store.session_detail(uid)
    assert len(detail.reps) == len(coach.reps) and detail.session.reps_complete == coach.rep_count >= 3
    for stored, rep in zip(detail.reps, coach.reps, strict=True):
        assert (stored.index, stored.complete, stored.extreme, stored.quality, stored.faults) == (
            rep.index,
            rep.complete,
            rep.extreme,
            rep.quality,
            rep.faults,
        )
        assert len(stored.curve) == min(len(rep.curve), 64)
    assert [c.cue_id for c in detail.cues] == [c.id for c in coach.cue_log]
    assert detail.session.summary == coach.summary()
