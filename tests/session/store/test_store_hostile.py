"""The store and its commands under bad conditions: damaged or read-only databases, other local
users, hostile names, pipes that close, lockouts and exports to paths that cannot be written."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from rehab_coach.cli import main
from rehab_coach.session.store import ItemSpec, ProgramSpec, SessionRecorder, Store, StoreError, open_store
from rehab_coach.session.store.db import DamagedDatabase
from rehab_coach.session.store.journal import Journal, journal_dir, pending

REPO = Path(__file__).resolve().parents[3]
AS_ROOT = os.geteuid() == 0


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def _demo_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    db = tmp_path / "clinic.db"
    assert run(capsys, "patients", "demo", "--db", str(db))[0] == 0
    return db


def _damage(db: Path) -> None:
    """Overwrite pages in the middle of the file with garbage, as a failing disk would."""
    with sqlite3.connect(db) as connection:  # everything into the main file first
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = db.stat().st_size
    page = 4096
    with open(db, "r+b") as handle:
        for start in range(size // 3 // page * page, 2 * size // 3, page * 3):
            handle.seek(start)
            handle.write(os.urandom(page))


# ---- 8. a damaged database ---------------------------------------------------------------


def test_a_damaged_database_is_refused_on_open_and_the_recorder_keeps_to_the_journal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _demo_db(tmp_path, capsys)
    before = db.read_bytes()
    _damage(db)
    damaged = db.read_bytes()
    for argv in (
        ("patients", "show", "DEMO-01"),
        ("patients", "list"),
        ("export", "DEMO-01", "--csv", str(tmp_path / "x.csv")),
    ):
        code, _, err = run(capsys, *argv, "--db", str(db))
        assert code == 2 and "is damaged" in err and "restore it from a backup" in err, err
    assert not (tmp_path / "x.csv").exists()

    store = Store(db)
    with pytest.raises(DamagedDatabase):
        store.ready()
    recorder = SessionRecorder(store)
    recorder.start_session("DEMO-01", "squat")
    recorder.finish_session({"note": "recorded while the database was damaged"})
    assert recorder.offline and len(pending(journal_dir())) == 1  # kept, not lost
    assert db.read_bytes() == damaged  # nothing written into the malformed file
    assert before != damaged


# ---- 9. a read-only database ---------------------------------------------------------------


def _read_only_url(db: Path) -> str:
    return f"sqlite:///file:{db}?mode=ro&uri=true"


def test_a_read_only_database_gives_one_line_and_sync_does_not_claim_success(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    db = _demo_db(tmp_path, capsys)
    code, _, err = run(capsys, "patients", "add", "P-9", "Ann", "--db", _read_only_url(db))
    assert code == 2 and "cannot be written" in err and "readonly database" in err
    assert len(err.strip().splitlines()) == 1

    recorder = SessionRecorder(Store(_read_only_url(db)), recover=False)
    recorder.start_session("DEMO-01", "squat")
    recorder.finish_session({})
    assert recorder.offline
    recorder._journal = None  # the app has ended; its journal is an orphan now
    code, out, err = run(capsys, "patients", "sync", "--db", _read_only_url(db))
    assert code == 2 and "synced" not in out and "still wait" in err and "nothing was lost" in err
    assert len(pending(journal_dir())) == 1
    code, out, _ = run(capsys, "patients", "sync", "--db", str(db))
    assert code == 0 and out.startswith("1 pending session(s) synced") and not pending(journal_dir())
    assert not (tmp_path / "file:").exists()  # a `file:` URI is not a folder to create


# ---- 11. privacy ---------------------------------------------------------------------------


def test_data_folder_database_wal_and_journal_are_private(user_data_dir: Path, tmp_path: Path) -> None:
    old_umask = os.umask(0o022)
    try:
        store = open_store()  # the default: SQLite in the data folder
        store.add_patient("P-1", "Ann Smith")
        recorder = SessionRecorder(store, recover=False)
        uid = recorder.start_session("P-1", "squat")
        Journal.for_session(recorder.journal_folder, uid).append({"op": "note"})
        files = [p for p in user_data_dir.rglob("*") if p.is_file()]
        names = {p.name for p in files}
        assert {"rehab-coach.db", "rehab-coach.db-wal"} <= names and any(n.endswith(".jsonl") for n in names)
        for path in [user_data_dir, *[p for p in user_data_dir.rglob("*") if p.is_dir()]]:
            assert stat.S_IMODE(path.stat().st_mode) == 0o700, path
        for path in files:
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        recorder.finish_session({})
        store.close()
    finally:
        os.umask(old_umask)


def test_an_older_open_data_folder_and_database_are_tightened(user_data_dir: Path) -> None:
    user_data_dir.mkdir(mode=0o755)
    os.chmod(user_data_dir, 0o755)
    db = user_data_dir / "rehab-coach.db"
    open_store().close()
    os.chmod(db, 0o644)
    os.chmod(user_data_dir, 0o755)
    open_store().close()
    assert stat.S_IMODE(user_data_dir.stat().st_mode) == 0o700 and stat.S_IMODE(db.stat().st_mode) == 0o600


# ---- 14. smaller ones ------------------------------------------------------------------------


def test_names_with_control_characters_are_shown_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ("--db", str(tmp_path / "c.db"))
    assert run(capsys, "patients", "add", "P-1", "Ann\x1b[2J\x1b]0;pwned\x07\nP-2 Fake Line", *db)[0] == 0
    for argv in (("patients", "list"), ("patients", "show", "P-1")):
        out = run(capsys, *argv, *db)[1]
        assert "\x1b" not in out and "\x07" not in out and "\\x1b[2J" in out
        assert not any(line.startswith("P-2") for line in out.splitlines())


def test_show_into_a_pipe_closed_early_ends_quietly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _demo_db(tmp_path, capsys)
    env = {**os.environ, "PYTHONPATH": str(REPO / "app")}
    for reader in ("head -n 1", "true"):  # `true` never reads: the first write already finds the pipe closed
        shell = f"{sys.executable} -m rehab_coach patients show DEMO-01 --db {db} --days 3650 | {reader}"
        result = subprocess.run(["bash", "-c", shell], env=env, capture_output=True, text=True, timeout=120)
        assert result.stdout.startswith("DEMO-01") or reader == "true"
        assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr, result.stderr


def test_the_right_pin_during_a_lockout_is_told_about_the_lockout(
    store: Store, store_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store.set_pin("2468")
    while store.check_pin("1111").locked_until is None:
        pass
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("1357\n2468\n"))
    code, _, err = run(capsys, "patients", "set-pin", "--stdin", "--db", store_url)
    assert code == 3 and "locked after too many wrong tries: try again in" in err and "wrong" not in err.split(":")[-1]
    assert "the current PIN is wrong" not in err


def test_patient_codes_ignore_case(store: Store) -> None:
    store.add_patient("P-1", "Ann")
    with pytest.raises(StoreError, match="'P-1' already exists"):
        store.add_patient("p-1", "Someone else")
    assert store.patient("p-1").code == "P-1"


def test_a_program_cannot_end_before_it_starts(
    store: Store, store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    patient = store.add_patient("P-1", "Ann")
    with pytest.raises(StoreError, match="cannot end"):
        store.save_program(
            patient.id, ProgramSpec([ItemSpec("squat")], start_date=dt.date(2026, 3, 1), end_date=dt.date(2026, 2, 1))
        )
    code, _, err = run(
        capsys,
        "patients",
        "program",
        "P-1",
        "--item",
        "squat",
        "--start",
        "2026-03-01",
        "--end",
        "2026-02-01",
        "--db",
        store_url,
    )
    assert code == 2 and "cannot end (2026-02-01) before it starts (2026-03-01)" in err
    assert store.active_program(patient.id) is None


# ---- 3. exports to paths that cannot be written ----------------------------------------------


@pytest.mark.parametrize("kind", ["--csv", "--fhir", "--pdf"])
def test_an_export_to_a_path_it_cannot_write_fails_clearly(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _demo_db(tmp_path, capsys)
    cases = {tmp_path / "missing" / "x.out": "does not exist", tmp_path: "is a folder"}
    if not AS_ROOT:  # root writes into read-only folders anyway
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        cases[locked / "x.out"] = "cannot write in the folder"
    for target, problem in cases.items():
        code, out, err = run(capsys, "export", "DEMO-01", "--db", str(db), kind, str(target))
        assert code == 2 and problem in err and "report with" not in out and "reps" not in out, (target, err)
        assert len(err.strip().splitlines()) == 1


def test_a_pdf_that_the_disk_refuses_is_an_error_not_a_success(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Past the path checks (a full disk, a device that refuses writes): the write itself fails."""
    db = _demo_db(tmp_path, capsys)
    # In a child process: painting the PDF creates a QGuiApplication, which must not outlive this test.
    env = {**os.environ, "PYTHONPATH": str(REPO / "app"), "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "rehab_coach", "export", "DEMO-01", "--db", str(db), "--pdf", "/dev/full"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2 and "report with" not in result.stdout
    assert "/dev/full: not written: No space left on device" in result.stderr and "Traceback" not in result.stderr
