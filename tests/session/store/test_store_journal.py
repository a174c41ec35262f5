"""Database unreachable or locked: the session goes on in a local journal and syncs without duplicates."""

from __future__ import annotations

import logging
import math
import sqlite3
from pathlib import Path

import pytest
from store_helpers import Outage

from rehab_coach.engine.types import CueEvent
from rehab_coach.session.live.headless import SimulatedClock
from rehab_coach.session.store import SessionRecorder, Store
from rehab_coach.session.store.demo import SQUAT, synthetic_rep
from rehab_coach.session.store.journal import Journal, replay_pending


def rep(i: int):  # type: ignore[no-untyped-def]
    return synthetic_rep(i, 3.0 * i, SQUAT, 100.0 - i, 2.0, 60.0 + i, [])


def seqs(store: Store, uid: str) -> list[int]:
    return [r.seq for r in store.session_detail(uid).reps]


def test_outage_mid_session_is_journaled_then_synced_once(
    store: Store, outage: Outage, tmp_path: Path, clock: SimulatedClock
) -> None:
    store.add_patient("P-001", "Ann")
    recorder = SessionRecorder(store, journal_folder=tmp_path / "journal", retry_seconds=5, clock=clock)
    uid = recorder.start_session("P-001", "squat")
    recorder.record_rep(rep(1))
    outage.down()
    recorder.record_rep(rep(2))
    recorder.record_cue(CueEvent(7.0, "fault", "trunk_lean", "Chest up", 3))
    recorder.record_rep(rep(3))
    assert recorder.offline and recorder.pending_ops == 3
    outage.up()
    clock.now = 2.0  # not yet time to retry: the op waits in the journal, in order
    recorder.record_rep(rep(4))
    assert recorder.pending_ops == 4 and seqs(store, uid) == [1]
    clock.now = 6.0
    recorder.record_rep(rep(5))
    assert not recorder.offline
    assert seqs(store, uid) == [1, 2, 3, 4, 5]
    # replaying the same ops again (a journal synced but not deleted before a crash) adds nothing
    journal = Journal(tmp_path / "again.1.jsonl")
    for i in (2, 3):
        journal.append(
            {
                "op": "rep",
                "session": uid,
                "at": "2026-01-01T00:00:00+00:00",
                "seq": i,
                "set": 1,
                "rep": {**rep(i).to_json(), "curve": None},
                "curve": [],
            }
        )
    store.apply_ops(journal.read())
    assert seqs(store, uid) == [1, 2, 3, 4, 5]
    recorder.finish_session({"rep_count": 5})
    detail = store.session_detail(uid)
    assert detail.session.status == "completed" and len(detail.cues) == 1


def test_session_started_offline_and_finished_offline_syncs_later(store: Store, outage: Outage, tmp_path: Path) -> None:
    folder = tmp_path / "journal"
    outage.down()
    recorder = SessionRecorder(store, journal_folder=folder)  # recovery fails quietly while down
    uid = recorder.start_session("P-NEW", "squat")
    for i in (1, 2, 3):
        recorder.record_rep(rep(i))
    recorder.finish_session({"rep_count": 3})
    assert len(list(folder.glob("*.jsonl"))) == 1
    outage.up()
    # the next session (or app start) pushes the orphaned journal first
    later = SessionRecorder(store, journal_folder=folder)
    assert list(folder.glob("*.jsonl")) == []
    detail = store.session_detail(uid)
    assert detail.session.status == "completed" and [r.seq for r in detail.reps] == [1, 2, 3]
    # a session for a code the database never saw keeps its patient
    assert store.patient("P-NEW").notes == "added by a synced session"
    assert later.sync()


def test_locked_sqlite_database(tmp_path: Path, clock: SimulatedClock) -> None:
    path = tmp_path / "locked.db"
    store = Store(path, lock_timeout=0.2)
    store.add_patient("P-001", "Ann")
    recorder = SessionRecorder(store, journal_folder=tmp_path / "journal", clock=clock)
    uid = recorder.start_session("P-001", "squat")
    recorder.record_rep(rep(1))
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # e.g. a backup tool or another app holding the write lock
    recorder.record_rep(rep(2))
    recorder.record_rep(rep(3))
    assert recorder.offline
    other.execute("COMMIT")
    other.close()
    clock.now = 10.0
    recorder.finish_session({"rep_count": 3})
    assert not recorder.offline
    assert seqs(store, uid) == [1, 2, 3]
    store.close()


def test_torn_last_line_is_ignored(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "journal"
    recorder = SessionRecorder(store, journal_folder=folder)
    uid = recorder.start_session(None, "squat")
    recorder.record_rep(rep(1))
    journal = Journal(folder / f"{uid}.999999999.jsonl")  # a dead process's journal
    journal.append(
        {
            "op": "rep",
            "session": uid,
            "at": "2026-01-01T00:00:00+00:00",
            "seq": 2,
            "set": 1,
            "rep": rep(2).to_json(),
            "curve": [],
        }
    )
    with open(journal.path, "a", encoding="utf-8") as handle:
        handle.write('{"op": "rep", "session": "')  # power cut while writing
    recorder.finish_session({})
    assert replay_pending(store, folder) == 1
    assert seqs(store, uid) == [1, 2]


@pytest.mark.parametrize(
    ("bad", "said"),
    [("unknown-session", "session nope is not in the database"), ("bogus-op", "unknown op 'teleport'")],
)
def test_ops_that_can_never_apply_are_dropped_not_retried(
    store: Store, bad: str, said: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A journal op the store can never apply is logged and dropped: the ops around it are saved, the
    journal is synced and gone, and the next replay has nothing left to retry."""
    folder = tmp_path / "journal"
    recorder = SessionRecorder(store, journal_folder=folder)
    uid = recorder.start_session(None, "squat")
    recorder.record_rep(rep(1))
    journal = Journal(folder / f"{uid}.999999999.jsonl")  # a dead process's journal
    at = "2026-01-01T00:00:00+00:00"
    for seq, session, kind in [
        (2, uid, "rep"),
        (9, "nope", "rep" if bad == "unknown-session" else "teleport"),
        (3, uid, "rep"),
    ]:
        journal.append(
            {"op": kind, "session": session, "at": at, "seq": seq, "set": 1, "rep": rep(seq).to_json(), "curve": []}
        )
    recorder.finish_session({})
    with caplog.at_level(logging.ERROR, logger="rehab_coach.session.store.store"):
        assert replay_pending(store, folder) == 1
    assert seqs(store, uid) == [1, 2, 3]  # the ops before and after it applied
    assert [r.getMessage() for r in caplog.records] == [f"dropping a session op that cannot apply: {said}"]
    assert list(folder.glob("*.jsonl")) == []  # synced: nothing kept to try again
    assert replay_pending(store, folder) == 0 and seqs(store, uid) == [1, 2, 3]


def test_postgres_network_outage_through_a_real_tcp_cut(pg_url: str, tmp_path: Path, clock: SimulatedClock) -> None:
    """Not simulated in the driver: the TCP connections to PostgreSQL really die and are refused."""
    from sqlalchemy import make_url
    from store_helpers import TcpProxy

    url = make_url(pg_url)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    store = Store(url.set(host="127.0.0.1", port=proxy.port))
    store.add_patient("P-001", "Ann")
    recorder = SessionRecorder(store, journal_folder=tmp_path / "journal", retry_seconds=1, clock=clock)
    uid = recorder.start_session("P-001", "squat")
    recorder.record_rep(rep(1))
    proxy.cut()
    recorder.record_rep(rep(2))
    clock.now = 2.0
    recorder.record_rep(rep(3))  # retried, still down: stays in the journal
    assert recorder.offline and recorder.pending_ops == 2
    proxy.restore()
    clock.now = 4.0
    recorder.finish_session({"rep_count": 3})
    assert not recorder.offline
    assert seqs(store, uid) == [1, 2, 3] and store.session(uid).status == "completed"
    store.close()
    proxy.cut()


OLD_JOURNAL = Path(__file__).parent / "data" / "journal_v1_offline_session.jsonl"
OLD_UID = "536a85db-243e-4cc0-8a0b-e3da6d10412f"


def test_journal_written_before_the_typed_ops_still_replays(store: Store, tmp_path: Path) -> None:
    """A journal left on disk by the version that wrote ops as plain dicts: an offline session with two sets,
    a cue, a rep the engine could not measure (NaN written as null), a recording and an early stop."""
    folder = tmp_path / "journal"
    folder.mkdir()
    (folder / f"{OLD_UID}.999999999.jsonl").write_bytes(OLD_JOURNAL.read_bytes())  # its app is long gone
    assert replay_pending(store, folder) == 1
    assert list(folder.glob("*.jsonl")) == []
    detail = store.session_detail(OLD_UID)
    session = detail.session
    assert (session.patient_code, session.exercise_id, session.status) == ("P-0042", "squat", "stopped")
    assert session.recording_path == "/home/someone/videos/session.mp4"
    assert session.summary == {"rep_count": 2, "partial_reps": 1, "average_quality": 71.2, "best_extreme": 95.0}
    assert [(r.seq, r.set_number, r.complete) for r in detail.reps] == [(1, 1, True), (2, 2, True), (3, 2, False)]
    first, second, unmeasured = detail.reps
    assert (first.rom, first.extreme, first.quality, first.duration) == (75.0, 95.0, 80.0, 2.0)
    assert second.faults == ["trunk_lean"] and second.quality_parts == {"rom": 0.725, "tempo": 0.9, "form": 0.7}
    assert len(first.curve) == 61 and first.curve[0] == (1.0, 170.0) and first.curve[30] == (2.0, 95.0)
    # null in the journal: stored as null (never a made-up 0 degrees), read back as NaN; parts and peaks keep theirs
    assert math.isnan(unmeasured.rom) and math.isnan(unmeasured.extreme)
    assert (unmeasured.side, unmeasured.partial_reason) == ("left", "interrupted")
    assert unmeasured.quality_parts["rom"] is None and unmeasured.peaks == {"knee_min": None, "knee_max": 171.0}
    assert [(c.cue_id, c.text, c.t) for c in detail.cues] == [("trunk_lean", "Chest up", 4.2)]
    # replaying it once more adds nothing
    (folder / f"{OLD_UID}.999999999.jsonl").write_bytes(OLD_JOURNAL.read_bytes())
    assert replay_pending(store, folder) == 1
    assert len(store.session_detail(OLD_UID).reps) == 3


def test_a_malformed_op_is_dropped_with_what_is_wrong(store: Store, caplog: pytest.LogCaptureFixture) -> None:
    recorder = SessionRecorder(store, recover=False, journal_folder=None)
    uid = recorder.start_session(None, "squat")
    bad = {
        "op": "rep",
        "session": uid,
        "at": "2026-01-01T00:00:00+00:00",
        "seq": "first",
        "set": 1,
        "rep": rep(1).to_json(),
        "curve": [],
    }
    store.apply_ops([bad, {"op": "start_set", "session": uid, "at": "2026-01-01T00:00:00", "number": 2}])
    assert "malformed rep op: seq:" in caplog.text
    assert "malformed start_set op: at:" in caplog.text  # a stamp without its time zone
    assert store.session_detail(uid).reps == []
    recorder.finish_session({})
