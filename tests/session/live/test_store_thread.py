"""The live app's store thread on a data folder whose disk fills up: the real `LiveSession`, coach,
`StoreThread`, recorder and SQLite file, with the full disk simulated (`disk_faults.FullDisk`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from live_harness import REPLAY, Harness, make_harness

from disk_faults import FullDisk
from rehab_coach.engine.templates import load_template_by_id
from rehab_coach.keypoints.types import PoseFrame
from rehab_coach.session.live import events as ev
from rehab_coach.session.live.store_thread import CheckInSaved, SaveResult, StoreThread
from rehab_coach.session.store import SessionRecorder, Store
from rehab_synth.squat_stream import SquatPlan, squat_frames


def squats(reps: int) -> list[PoseFrame]:
    return squat_frames(SquatPlan(reps=reps))


@pytest.fixture
def writer(tmp_path: Path) -> StoreThread:
    journals = tmp_path / "journal"
    thread = StoreThread(
        tmp_path / "sessions.db",
        delay=0.0,
        recorder_factory=lambda store: SessionRecorder(store, journal_folder=journals),
    )
    yield thread  # type: ignore[misc]
    thread.close()


@pytest.fixture
def disk(writer: StoreThread, monkeypatch: pytest.MonkeyPatch) -> FullDisk:
    full_disk = FullDisk(monkeypatch)
    full_disk.watch(writer.call(lambda store: store.engine).result(10))
    return full_disk


def start(writer: StoreThread, patient: str | None, reps: int) -> Harness:
    h = make_harness(recorder=writer)
    template = load_template_by_id("squat", {"dosage.sets": 1, "dosage.reps": reps})
    h.session.start(template, REPLAY, patient=patient)
    return h


def saved(h: Harness) -> SaveResult:
    [finished] = h.of(ev.SessionFinished)
    assert finished.saving is not None
    return finished.saving.result(20)


def test_a_full_disk_never_puts_one_patients_reps_into_another_patients_session(
    writer: StoreThread, disk: FullDisk, tmp_path: Path
) -> None:
    for code, name in (("A-1", "Ann"), ("B-2", "Bob")):
        writer.call(lambda store, code=code, name=name: store.add_patient(code, name)).result(10)
    ann = start(writer, "A-1", reps=10)
    ann.feed(squats(2))
    writer.wait_idle(10)
    disk.fill()  # Ann's session exists with her 2 reps; her end cannot be written
    ann.session.finish()
    ann_saved = saved(ann)
    assert ann_saved.uid and not ann_saved.in_database and "not saved yet" in ann_saved.describe()

    bob = start(writer, "B-2", reps=4)  # cannot be created: the disk is still full
    frames = squats(4)
    fed = bob.feed(frames[: len(frames) // 2])
    writer.wait_idle(10)
    disk.free()  # space is freed during Bob's session
    bob.feed(frames[fed:])  # his last rep ends the session
    bob_saved = saved(bob)

    assert bob_saved.uid != ann_saved.uid and bob_saved.in_database and not bob_saved.error
    assert bob_saved.describe() == "Saved to the database"
    store = Store(tmp_path / "sessions.db")
    try:
        [ann_session] = store.sessions_for(store.patient("A-1").id)
        [bob_session] = store.sessions_for(store.patient("B-2").id)
    finally:
        store.close()
    assert ann_session.uid == ann_saved.uid and bob_session.uid == bob_saved.uid
    assert ann_session.reps_complete == 2 and ann_session.status == "stopped"
    assert ann_session.summary is not None and ann_session.summary["rep_count"] == 2
    assert bob_session.reps_complete == 4 and bob_session.status == "completed"
    assert bob_session.summary is not None and bob_session.summary["rep_count"] == 4


def test_reps_the_disk_refused_are_kept_said_and_saved_once_space_returns(
    writer: StoreThread, disk: FullDisk, tmp_path: Path
) -> None:
    h = start(writer, None, reps=8)
    frames = squats(8)
    fed = h.feed(frames[: len(frames) // 2])
    writer.wait_idle(10)
    stored_before = h.session.coach.summary()["rep_count"] if h.session.coach else 0
    disk.fill()  # the database write and the journal both fail from here
    h.feed(frames[fed:])
    result = saved(h)
    unsaved = 8 - stored_before
    assert (result.reps, result.unsaved_reps) == (8, unsaved) and not result.in_database
    words = result.describe()
    assert f"{unsaved} of 8 reps" in words and "not saved yet" in words

    disk.free()
    writer.sync_waiting()  # the app's periodic push
    later = writer.save_state(result.uid).result(10)  # type: ignore[arg-type]
    assert later.in_database and later.unsaved_reps == 0 and later.describe() == "Saved to the database"
    store = Store(tmp_path / "sessions.db")
    try:
        session = store.session(str(result.uid))
    finally:
        store.close()
    assert (session.reps_complete, session.status) == (8, "completed")
    assert not list((tmp_path / "journal").glob("*.jsonl"))


def test_check_ins_are_written_on_the_store_thread_and_say_where_they_went(
    writer: StoreThread, disk: FullDisk, tmp_path: Path
) -> None:
    writer.call(lambda store: store.add_patient("C-3", "Cy")).result(10)
    uids = []
    for _ in range(2):
        h = start(writer, "C-3", reps=1)
        h.feed(squats(1))
        uids.append(str(saved(h).uid))
    first, second = uids

    assert writer.record_check_in(first, 3, 4).result(10) == CheckInSaved(False, False, None)
    # The second answer knows the first (the pain-rise rule), and is in the database at once.
    assert writer.record_check_in(second, 7, None).result(10) == CheckInSaved(False, False, 3)
    disk.fill()
    # Neither the database nor the journal takes it: only memory holds it (the read still works).
    assert writer.record_check_in(second, 8, 6).result(10) == CheckInSaved(True, True, 3)
    disk.free()
    writer.sync_waiting()
    writer.wait_idle(10)
    store = Store(tmp_path / "sessions.db")
    try:
        assert [(store.session(uid).pain, store.session(uid).effort) for uid in uids] == [(3, 4), (8, 6)]
    finally:
        store.close()
