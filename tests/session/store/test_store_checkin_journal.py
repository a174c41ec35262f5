"""The patient's pain and effort answers when the database is away: kept in the session's local journal,
replayed after the session's own ops (once, however often the journal is replayed), and flagged to the
therapist once synced. Runs on SQLite and on a real PostgreSQL server (the `store` fixture)."""

from __future__ import annotations

import datetime as dt
import json
import stat
from pathlib import Path

import pytest
from sqlalchemy import text
from store_helpers import Outage

from rehab_coach.session.exports import collect, fhir_bundle
from rehab_coach.session.live.headless import SimulatedClock
from rehab_coach.session.store import SessionRecorder, Store, StoreError, patient_overview
from rehab_coach.session.store.demo import SQUAT, synthetic_rep
from rehab_coach.session.store.journal import replay_pending
from rehab_coach.session.store.ops import RecordCheckIn

OLD_JOURNAL = Path(__file__).parent / "data" / "journal_v1_offline_session.jsonl"
OLD_UID = "536a85db-243e-4cc0-8a0b-e3da6d10412f"


def rep(i: int):  # type: ignore[no-untyped-def]
    return synthetic_rep(i, 3.0 * i, SQUAT, 100.0 - i, 2.0, 60.0 + i, [])


def squat_session(recorder: SessionRecorder, patient: str = "P-001", reps: int = 2) -> str:
    uid = recorder.start_session(patient, "squat")
    for i in range(1, reps + 1):
        recorder.record_rep(rep(i))
    recorder.finish_session({"rep_count": reps})
    return uid


def journal_lines(folder: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for path in sorted(folder.glob("*.jsonl")) for line in path.read_text().splitlines()]


def check_in_rows(store: Store) -> int:
    with store.reading() as db:
        return int(db.scalar(text("SELECT count(*) FROM check_ins")) or 0)


def pain_flags_of(store: Store, code: str = "P-001") -> list[str]:
    return [f for f in patient_overview(store, store.patient(code)).flags if "pain" in f]


def test_answers_after_an_offline_session_wait_in_its_journal_and_sync_after_it(
    store: Store, outage: Outage, tmp_path: Path
) -> None:
    folder = tmp_path / "journal"
    store.add_patient("P-001", "Ann")
    earlier = squat_session(SessionRecorder(store, journal_folder=folder))
    store.record_check_in(earlier, 3, 4)
    outage.down()
    recorder = SessionRecorder(store, journal_folder=folder, clock=SimulatedClock())
    uid = squat_session(recorder)
    assert recorder.offline
    assert recorder.record_check_in(uid, 8, 6) is True  # True: kept on this computer

    [journal] = folder.glob("*.jsonl")
    assert stat.S_IMODE(journal.stat().st_mode) == 0o600  # it names the patient and their pain
    ops = journal_lines(folder)
    assert [op["op"] for op in ops] == ["start_session", "start_set", "rep", "rep", "finish", "check_in"]
    assert (ops[-1]["session"], ops[-1]["pain"], ops[-1]["effort"]) == (uid, 8, 6)
    saved = journal.read_bytes()

    outage.up()
    SessionRecorder(store, journal_folder=folder)  # the app opens again: old journals are replayed first
    assert list(folder.glob("*.jsonl")) == []
    session = store.session(uid)
    assert (session.status, session.pain, session.effort) == ("completed", 8, 6)
    assert pain_flags_of(store) == ["pain 8/10, pain up 3→8"]  # the therapist's patient list
    [pain] = [
        e["resource"] for e in fhir_bundle(collect(store, "P-001"))["entry"] if e["resource"]["id"] == f"pain-{uid}"
    ]
    assert pain["valueInteger"] == 8 and pain["interpretation"][0]["text"] == "pain 8/10, pain up 3→8"

    # A crash between syncing and deleting the journal: replaying it again adds nothing and fails nothing.
    journal.write_bytes(saved)
    assert replay_pending(store, folder) == 1
    assert check_in_rows(store) == 2 and store.session(uid).pain == 8
    assert len(store.session_detail(uid).reps) == 2


def test_answers_while_the_session_journal_waits_sync_with_it_once_the_database_is_back(
    store: Store, outage: Outage, tmp_path: Path, clock: SimulatedClock
) -> None:
    store.add_patient("P-001", "Ann")
    recorder = SessionRecorder(store, journal_folder=tmp_path / "journal", retry_seconds=5, clock=clock)
    outage.down()
    uid = squat_session(recorder)
    outage.up()
    clock.now = 10.0  # time to retry: the check-in pushes the whole journal, the session first
    assert recorder.record_check_in(uid, 2, 3) is False
    assert not recorder.offline and list((tmp_path / "journal").glob("*.jsonl")) == []
    assert (store.session(uid).pain, store.session(uid).effort) == (2, 3)


def test_database_gone_only_when_the_patient_answers(store: Store, outage: Outage, tmp_path: Path) -> None:
    folder = tmp_path / "journal"
    store.add_patient("P-001", "Ann")
    recorder = SessionRecorder(store, journal_folder=folder, clock=SimulatedClock())
    uid = squat_session(recorder)
    assert not recorder.offline  # the session itself is in the database
    outage.down()
    assert recorder.record_check_in(uid, 7, None) is True  # effort skipped
    assert [op["op"] for op in journal_lines(folder)] == ["check_in"]
    [journal] = folder.glob("*.jsonl")
    assert stat.S_IMODE(journal.stat().st_mode) == 0o600

    outage.up()
    assert recorder.sync()  # the recorder's own sync pushes it too
    assert list(folder.glob("*.jsonl")) == []
    assert (store.session(uid).pain, store.session(uid).effort) == (7, None)
    assert pain_flags_of(store) == ["pain 7/10"]


def test_answers_online_go_straight_to_the_database(store: Store, tmp_path: Path) -> None:
    recorder = SessionRecorder(store, journal_folder=tmp_path / "journal")
    uid = squat_session(recorder, patient="P-002")
    assert recorder.record_check_in(uid, 1, 2) is False
    assert not (tmp_path / "journal").exists() or list((tmp_path / "journal").glob("*.jsonl")) == []
    assert store.session(uid).pain == 1


def test_answers_out_of_range_or_for_an_unknown_session_are_refused_and_not_journaled(
    store: Store, outage: Outage, tmp_path: Path
) -> None:
    folder = tmp_path / "journal"
    recorder = SessionRecorder(store, journal_folder=folder, clock=SimulatedClock())
    outage.down()
    uid = squat_session(recorder)
    for pain in (11, -1, True, 2.5):
        with pytest.raises(StoreError, match="pain is a whole number from 0 to 10"):
            recorder.record_check_in(uid, pain, 3)  # type: ignore[arg-type]
    assert "check_in" not in [op["op"] for op in journal_lines(folder)]
    outage.up()
    with pytest.raises(StoreError, match="no session"):
        recorder.record_check_in("not-a-session-of-ours", 4, 4)
    assert [path.name.split(".")[0] for path in folder.glob("*.jsonl")] == [uid]


def test_of_two_answers_for_one_session_the_later_one_wins(store: Store, tmp_path: Path) -> None:
    uid = squat_session(SessionRecorder(store, journal_folder=tmp_path / "journal"))
    store.record_check_in(uid, 4, 4)  # answered online just now
    answered = store.session_detail(uid).session
    earlier = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    store.apply_ops([RecordCheckIn(session=uid, at=earlier, pain=9, effort=9)])  # an older journaled answer
    assert (store.session(uid).pain, store.session(uid).effort) == (answered.pain, answered.effort) == (4, 4)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    store.apply_ops([RecordCheckIn(session=uid, at=later, pain=6, effort=None)])
    store.apply_ops([RecordCheckIn(session=uid, at=later, pain=6, effort=None)])  # replayed: the same
    assert (store.session(uid).pain, store.session(uid).effort) == (6, None) and check_in_rows(store) == 1


def test_a_journal_written_before_check_ins_replays_and_one_with_them_added_too(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "journal"
    folder.mkdir()
    journal = folder / f"{OLD_UID}.999999999.jsonl"  # its app is long gone
    journal.write_bytes(OLD_JOURNAL.read_bytes())
    assert replay_pending(store, folder) == 1
    assert store.session(OLD_UID).pain is None and check_in_rows(store) == 0

    answer = {"op": "check_in", "session": OLD_UID, "at": "2026-11-29T21:48:00+00:00", "pain": 5, "effort": 7}
    journal.write_text(OLD_JOURNAL.read_text() + json.dumps(answer) + "\n")
    assert replay_pending(store, folder) == 1
    session = store.session(OLD_UID)
    assert (session.pain, session.effort, session.status) == (5, 7, "stopped")
    assert len(store.session_detail(OLD_UID).reps) == 3


def test_a_malformed_check_in_line_is_dropped_with_what_is_wrong(
    store: Store, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    uid = squat_session(SessionRecorder(store, journal_folder=tmp_path / "journal"), patient="P-003")
    store.apply_ops([{"op": "check_in", "session": uid, "at": "2026-11-29T21:48:00+00:00", "pain": 12}])
    assert "malformed check_in op: pain: Input should be less than or equal to 10" in caplog.text
    store.apply_ops([{"op": "check_in", "session": uid, "at": "2026-11-29T21:48:00+00:00", "pain": True}])
    assert "malformed check_in op: pain: Input should be a valid integer" in caplog.text
    assert store.session(uid).pain is None


def test_what_waits_in_the_journal_reaches_the_database_while_the_app_sits_idle(
    store: Store, outage: Outage, tmp_path: Path
) -> None:
    """No new session, no restart: the app's periodic sync pushes an offline session and its answers."""
    folder = tmp_path / "journal"
    store.add_patient("P-001", "Ann")
    recorder = SessionRecorder(store, journal_folder=folder, clock=SimulatedClock())
    outage.down()
    uid = squat_session(recorder)
    recorder.record_check_in(uid, 9, 5)
    assert recorder.sync_waiting() == 1  # still down: it waits, nothing is lost
    assert len(list(folder.glob("*.jsonl"))) == 1

    outage.up()
    assert recorder.sync_waiting() == 0
    assert list(folder.glob("*.jsonl")) == []
    assert (store.session(uid).status, store.session(uid).pain) == ("completed", 9)
    assert pain_flags_of(store) == ["pain 9/10"]
    assert recorder.sync_waiting() == 0  # nothing left: a no-op
