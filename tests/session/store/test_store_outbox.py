"""A database that refuses writes while the disk refuses the journal too: each session keeps its own
records (memory, then journal, then database) and one session's records never go into another's."""

from __future__ import annotations

from pathlib import Path

import pytest
from store_helpers import Outage

from disk_faults import FullDisk
from rehab_coach.session.store import RecorderError, SessionRecorder, Store
from rehab_coach.session.store.demo import SQUAT, synthetic_rep


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def rep(i: int):  # type: ignore[no-untyped-def]
    return synthetic_rep(i, 3.0 * i, SQUAT, 100.0 - i, 2.0, 60.0 + i, [])


@pytest.fixture
def disk(monkeypatch: pytest.MonkeyPatch) -> FullDisk:
    return FullDisk(monkeypatch)


def test_records_the_disk_refuses_wait_in_memory_then_in_the_journal_then_reach_the_database(
    store: Store, outage: Outage, disk: FullDisk, tmp_path: Path
) -> None:
    folder = tmp_path / "journal"
    clock = Clock()
    recorder = SessionRecorder(store, journal_folder=folder, retry_seconds=5, clock=clock)
    outage.down()
    disk.fill()
    uid = recorder.start_session("P-1", "squat")  # cannot be created: kept in memory
    for i in (1, 2, 3):
        recorder.record_rep(rep(i))
    waiting = recorder.waiting(uid)
    assert (waiting.memory_reps, waiting.journal_ops, waiting.disk_full) == (3, 0, True)
    assert disk.refused_journal_writes == 1 and not list(folder.glob("*.jsonl"))

    disk.free()  # the disk takes the journal again, the database is still away
    clock.now = 6.0
    recorder.record_rep(rep(4))
    waiting = recorder.waiting(uid)
    assert (waiting.memory_ops, waiting.journal_reps) == (0, 4)  # nothing left only in memory

    outage.up()
    recorder.finish_session({"rep_count": 4})
    detail = store.session_detail(uid)
    assert detail.session.status == "completed" and [r.seq for r in detail.reps] == [1, 2, 3, 4]
    assert detail.session.patient_code == "P-1" and not recorder.waiting(uid).any
    assert not list(folder.glob("*.jsonl"))


def test_a_close_that_cannot_be_written_never_captures_the_next_session(
    store: Store, outage: Outage, disk: FullDisk, tmp_path: Path
) -> None:
    for code, name in (("A-1", "Ann"), ("B-2", "Bob")):
        store.add_patient(code, name)
    recorder = SessionRecorder(store, journal_folder=tmp_path / "journal")
    ann = recorder.start_session("A-1", "squat")
    recorder.record_rep(rep(1))
    outage.down()
    disk.fill()
    recorder.finish_session({"rep_count": 1}, status="stopped")
    assert recorder.session_uid is None and recorder.waiting(ann).memory_ops == 1  # closed; its end waits
    bob = recorder.start_session("B-2", "squat")
    for i in (1, 2):
        recorder.record_rep(rep(i), session=bob)
    outage.up()
    disk.free()
    recorder.finish_session({"rep_count": 2}, session=bob)

    ann_detail, bob_detail = store.session_detail(ann), store.session_detail(bob)
    assert (ann_detail.session.patient_code, ann_detail.session.status, len(ann_detail.reps)) == ("A-1", "stopped", 1)
    assert ann_detail.session.summary == {"rep_count": 1}
    assert (bob_detail.session.patient_code, bob_detail.session.status, len(bob_detail.reps)) == ("B-2", "completed", 2)
    assert bob_detail.session.summary == {"rep_count": 2}
    assert recorder.sessions_in_memory() == []


def test_a_write_for_a_session_that_is_not_open_is_refused(store: Store, tmp_path: Path) -> None:
    recorder = SessionRecorder(store, journal_folder=tmp_path / "journal")
    first = recorder.start_session(None, "squat")
    recorder.finish_session({})
    second = recorder.start_session(None, "squat")
    with pytest.raises(RecorderError, match="not open"):
        recorder.record_rep(rep(1), session=first)
    with pytest.raises(RecorderError, match="not open"):
        recorder.finish_session({}, session=first)
    recorder.record_rep(rep(1), session=second)
    recorder.finish_session({"rep_count": 1}, session=second)
    assert len(store.session_detail(first).reps) == 0 and len(store.session_detail(second).reps) == 1
