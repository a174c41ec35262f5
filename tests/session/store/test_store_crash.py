"""Crash safety: kill the recording process mid-session (SIGKILL, like a power cut to the app).

Every rep the process had finished recording must be in the database afterwards, and
the session must show up as interrupted, not lost.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import rehab_coach
from rehab_coach.session.store import SessionRecorder, Store

HERE = Path(__file__).resolve().parent
APP_DIR = Path(rehab_coach.__file__).resolve().parent.parent


def run_and_kill(url: str, journal: Path, offline_after: int, reps_before_kill: int) -> tuple[str, list[int]]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(APP_DIR), str(HERE), os.environ.get("PYTHONPATH", "")])}
    child = subprocess.Popen(
        [sys.executable, str(HERE / "crash_child.py"), url, str(journal), str(offline_after)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    uid, done = "", []
    try:
        for line in child.stdout:
            kind, value = line.split()
            if kind == "session":
                uid = value
            else:
                done.append(int(value))
            if len(done) >= reps_before_kill:
                break
        child.send_signal(signal.SIGKILL)  # mid-session, probably mid-rep
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    # what it reported after we stopped reading but before it died: those reps count too
    done += [int(line.split()[1]) for line in child.stdout.read().splitlines() if line.startswith("rep ")]
    return uid, done


@pytest.mark.parametrize("offline_after", [0, 6], ids=["online", "database-lost-midway"])
def test_killed_session_keeps_every_finished_rep(
    store: Store, store_url: str, tmp_path: Path, offline_after: int
) -> None:
    store.add_patient("P-001", "Ann")
    journal = tmp_path / "journal"
    uid, done = run_and_kill(store_url, journal, offline_after, reps_before_kill=12)

    before = store.session(uid)
    assert before.status == "in_progress"  # nobody has looked yet
    SessionRecorder(store, journal_folder=journal)  # what the app does on its next start
    detail = store.session_detail(uid)
    stored = [r.seq for r in detail.reps]
    assert detail.session.status == "interrupted"
    assert detail.session.ended_at is not None
    assert set(done) <= set(stored), "a rep the process had finished recording was lost"
    assert stored == list(range(1, len(stored) + 1))  # no duplicates, no holes
    assert len(stored) - len(done) <= 1  # at most the rep being written when it died
    assert list(journal.glob("*.jsonl")) == []


def test_a_live_session_of_another_process_is_left_alone(store: Store) -> None:
    recorder = SessionRecorder(store)
    uid = recorder.start_session(None, "squat")
    assert store.recover_interrupted() == []  # our own process is alive
    assert store.recover_interrupted(is_alive=lambda pid: False) == [uid]
