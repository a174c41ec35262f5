"""The live flow on the database: the store thread, a patient's program item, and a database that
blocks or is down (the GUI keeps running, the session goes to the journal and syncs later)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from disk_faults import FullDisk
from rehab_coach.capture.sources import SourceSpec
from rehab_coach.engine.coach import Coach
from rehab_coach.engine.templates import load_template_by_id
from rehab_coach.session.live.sets import program_overrides
from rehab_coach.session.live.store_thread import SaveResult, StoreThread
from rehab_coach.session.store import ItemSpec, ProgramSpec, SessionRecorder, Store
from rehab_coach.session.store.journal import journal_dir
from rehab_coach.ui.app import build_window
from rehab_coach.ui.options import LaunchOptions
from rehab_synth.squat_stream import SquatPlan, squat_frames
from saved_sessions import stored_sessions


def coached_squats(reps: int = 2):  # type: ignore[no-untyped-def]
    coach = Coach(load_template_by_id("squat"))
    found, cues = [], []
    for frame in squat_frames(SquatPlan(reps=reps, faults={1: ["trunk_lean"]})):
        update = coach.process(frame)
        found += update.new_reps
        cues += [update.cue] if update.cue else []
    return coach, found, cues


def test_store_thread_records_each_call_in_order_off_the_calling_thread(user_data_dir: Path) -> None:
    coach, reps, cues = coached_squats()
    writer = StoreThread(delay=0.0)
    threads: set[str] = set()
    original = SessionRecorder.record_rep

    def record_rep(self, rep, **named):  # type: ignore[no-untyped-def]
        threads.add(threading.current_thread().name)
        original(self, rep, **named)

    SessionRecorder.record_rep = record_rep  # type: ignore[method-assign]
    try:
        uid = writer.start_session(None, coach.template)
        writer.start_set(uid, 1)
        for cue in cues:
            writer.record_cue(uid, cue)
        writer.record_rep(uid, reps[0])
        writer.start_set(uid, 2)
        writer.record_rep(uid, reps[1])
        result = writer.finish_session(uid, {"rep_count": 2}, "completed").result(10)
    finally:
        SessionRecorder.record_rep = original  # type: ignore[method-assign]
    assert threads and threading.current_thread().name not in threads
    assert result.uid == uid and result.in_database and result.describe() == "Saved to the database"
    [detail] = stored_sessions(user_data_dir)
    assert [r.set_number for r in detail.reps] == [1, 2] and detail.session.status == "completed"
    assert [c.cue_id for c in detail.cues] == [c.id for c in cues] and detail.session.measure == "knee"
    assert writer.call(lambda store: store.session(result.uid).summary).result(5) == {"rep_count": 2}
    assert writer.close()


def test_a_recording_error_never_reaches_the_caller(user_data_dir: Path) -> None:
    coach, reps, _ = coached_squats(1)
    writer = StoreThread(delay=0.0)
    writer.record_rep("3b0ad3bc-4ed6-4d6b-9a1c-5ef0bb1e1a5e", reps[0])  # no such session: refused, quietly
    uid = writer.start_session(None, coach.template)
    writer.record_rep(uid, reps[0])
    result = writer.finish_session(uid, {}, "stopped").result(10)
    assert result.error == "" and result.uid == uid  # the error before the session is not this session's
    writer.close()
    assert "Not saved" in SaveResult(None, error="disk full").describe()


def test_a_program_item_and_its_overrides_are_recorded(
    qtbot,
    squat_stream: Callable[..., Path],  # type: ignore[no-untyped-def]
    user_data_dir: Path,
) -> None:
    store = Store(user_data_dir / "rehab-coach.db")
    patient = store.add_patient("P-042", "Dana Lee")
    item = store.save_program(
        patient.id, ProgramSpec([ItemSpec("squat", sets=1, reps=2, overrides={"dosage.rest_seconds": 5})])
    ).items[0]
    store.close()
    assert program_overrides(item) == {"dosage.sets": 1, "dosage.reps": 2, "dosage.rest_seconds": 5}
    window = build_window(
        LaunchOptions(source=SourceSpec("replay", squat_stream(reps=3), speed=3.0), audio=False, countdown=0)
    )
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.picker.patient_box.count() == 2, timeout=5000)  # read on the store thread
    window.picker.patient_box.setCurrentIndex(1)
    qtbot.waitUntil(lambda: "Program: 1 set × 2" in window.picker.list.item(0).text(), timeout=5000)
    window.picker.list.setCurrentRow(0)
    window.picker.activate_current()
    assert window.template is not None and window.template.dosage.reps == 2
    window.start_session()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.summary, timeout=10000)
    qtbot.waitUntil(lambda: window.summary.outcome.saved is not None, timeout=5000)
    [detail] = stored_sessions(user_data_dir)
    session = detail.session
    assert (session.patient_code, session.program_item_id, session.status) == ("P-042", item.id, "completed")
    assert session.overrides == program_overrides(item) and sum(r.complete for r in detail.reps) == 2


def test_a_database_that_hangs_then_fails_never_stalls_the_gui_and_syncs_later(  # type: ignore[no-untyped-def]
    qtbot, stall_watch, squat_stream: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, user_data_dir: Path
) -> None:
    # Every write waits 1.5 s and fails, like a server that went away: the recorder journals.
    real_apply = Store.apply_ops
    down = threading.Event()
    down.set()

    def apply_ops(self, ops):  # type: ignore[no-untyped-def]
        if down.is_set():
            time.sleep(1.5)
            raise OperationalError("INSERT", {}, ConnectionError("server closed the connection"))
        return real_apply(self, ops)

    monkeypatch.setattr(Store, "apply_ops", apply_ops)
    window = build_window(
        LaunchOptions(
            source=SourceSpec("replay", squat_stream(reps=2), speed=3.0),
            exercise="squat",
            countdown=0,
            audio=False,
            overrides={"dosage.sets": 1, "dosage.reps": 2},
        )
    )
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.live.video.frames_painted >= 3, timeout=5000)
    stall_watch.start()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.summary, timeout=15000)
    stall_watch.stop()
    qtbot.waitUntil(lambda: window.summary.outcome.saved is not None, timeout=15000)
    assert window.summary.outcome.saved.offline and "Saved on this computer" in window.summary.details.text()
    assert list((user_data_dir / "journal").glob("*.jsonl"))
    # A write on the GUI thread would freeze it for the whole 1.5 s hang: a bound well under that
    # catches it without failing on a busy machine's scheduling noise.
    stall_watch.check(400)

    down.clear()  # the server is back: the next recorder (or `patients sync`) pushes the journal
    window.store.close()
    SessionRecorder(Store(user_data_dir / "rehab-coach.db"))
    [detail] = stored_sessions(user_data_dir)
    assert detail.session.status == "completed" and sum(r.complete for r in detail.reps) == 2
    assert not list((user_data_dir / "journal").glob("*.jsonl"))


def test_the_store_thread_pushes_a_waiting_journal_between_sessions(user_data_dir: Path) -> None:
    """A session kept on this computer (here one a crashed run left) reaches the database on the next
    periodic sync, without a new session or a restart."""
    writer = StoreThread(delay=0.0)
    writer.sync_waiting()  # the recorder opens: nothing waits yet
    writer.wait_idle(10)
    left = Path(__file__).parents[1] / "session" / "store" / "data" / "journal_v1_offline_session.jsonl"
    uid = "536a85db-243e-4cc0-8a0b-e3da6d10412f"
    (journal_dir() / f"{uid}.999999999.jsonl").write_bytes(left.read_bytes())  # a pid no process has
    assert writer.call(lambda store: [s.uid for s in store.sessions_for(None)]).result(10) == []
    writer.sync_waiting()
    assert writer.call(lambda store: store.session(uid).status).result(10) == "stopped"  # as the journal says
    assert list(journal_dir().glob("*.jsonl")) == []
    assert writer.close()


def test_the_summary_says_what_a_full_disk_kept_from_saving_and_when_it_is_saved(  # type: ignore[no-untyped-def]
    qtbot, squat_stream: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, user_data_dir: Path
) -> None:
    window = build_window(
        LaunchOptions(
            source=SourceSpec("replay", squat_stream(reps=2), speed=3.0),
            exercise="squat",
            countdown=0,
            audio=False,
            overrides={"dosage.sets": 1, "dosage.reps": 2},
        )
    )
    qtbot.addWidget(window)
    disk = FullDisk(monkeypatch)
    disk.watch(window.store.call(lambda store: (store.ready(), store.engine)[1]).result(10))
    disk.fill()  # before the first rep: none can be written, not even to the journal
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.summary, timeout=15000)
    qtbot.waitUntil(lambda: window.summary.outcome.saved is not None, timeout=15000)
    words = window.summary.saved_text.text()
    assert "2 of 2 reps are not saved yet: the disk is full." in words and "tell your therapist" in words
    assert all(not detail.reps for detail in stored_sessions(user_data_dir)) and disk.refused_journal_writes

    disk.free()
    window.controller.sync_waiting()  # what the app does every 30 s
    qtbot.waitUntil(lambda: window.summary.saved_text.text() == "Saved to the database", timeout=10000)
    [detail] = stored_sessions(user_data_dir)
    assert detail.session.status == "completed" and sum(r.complete for r in detail.reps) == 2
