"""`rehab-coach patients ...` and `rehab-coach export ...` (CSV/FHIR; the PDF is in tests/ui)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from rehab_coach.cli import main
from rehab_coach.session.store import open_store


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_patients_commands(store_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    db = ("--db", store_url)
    assert run(capsys, "patients", "add", "P-1", "Ann Smith", *db)[0] == 0
    assert run(capsys, "patients", "add", "P-2", "Bob Jones", "--notes", "TKA left", *db)[0] == 0
    code, _, err = run(capsys, "patients", "add", "P-1", "Again", *db)
    assert code == 2 and "already exists" in err
    out = run(capsys, "patients", "list", "--search", "bob", *db)[1]
    assert "P-2" in out and "P-1" not in out

    code, out, _ = run(
        capsys,
        "patients",
        "program",
        "P-1",
        "--item",
        "squat:3x12:primary.target=95",
        "--item",
        "lunge:2x8",
        "--days",
        "mon,thu",
        *db,
    )
    assert code == 0 and "2 exercise(s)" in out
    program = open_store(store_url).active_program(open_store(store_url).patient("P-1").id)
    assert program is not None and program.items[0].overrides == {"primary.target": 95}
    code, _, err = run(capsys, "patients", "program", "P-1", "--item", "squat:3x12:primary.target=170", *db)
    assert code == 5 and "thresholds" in err
    code, _, err = run(capsys, "patients", "program", "P-1", "--item", "jumping_jacks", *db)
    assert code == 5 and "unknown exercise" in err
    code, _, err = run(capsys, "patients", "program", "P-1", "--item", "squat", "--days", "someday", *db)
    assert code == 3 and "--days" in err

    out = run(capsys, "patients", "show", "P-1", *db)[1]
    assert "squat" in out and "3x12  primary.target=95" in out and "mon,thu" in out and "adherence" in out

    monkeypatch.setattr("sys.stdin", io.StringIO("13579\n"))
    assert run(capsys, "patients", "set-pin", "--stdin", *db)[0] == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("24680\n00000\n"))
    code, _, err = run(capsys, "patients", "set-pin", "--stdin", *db)
    assert code == 3 and "current PIN is wrong" in err
    monkeypatch.setattr("sys.stdin", io.StringIO("24680\n13579\n"))
    assert run(capsys, "patients", "set-pin", "--stdin", *db)[0] == 0
    assert open_store(store_url).check_pin("24680").ok


def test_demo_sync_and_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ("--db", str(tmp_path / "c.db"))
    assert run(capsys, "patients", "demo", *db)[0] == 0
    assert run(capsys, "patients", "sync", *db)[0] == 0
    code, out, _ = run(
        capsys,
        "export",
        "DEMO-01",
        *db,
        "--csv",
        str(tmp_path / "a.csv"),
        "--fhir",
        str(tmp_path / "a.json"),
        "--since",
        "2000-01-01",
    )
    assert code == 0 and "reps" in out and "observations" in out
    assert json.loads((tmp_path / "a.json").read_text())["resourceType"] == "Bundle"
    code, _, err = run(capsys, "export", "DEMO-01", *db, "--csv", str(tmp_path / "b.csv"), "--until", "2000-01-01")
    assert code == 0 and (tmp_path / "b.csv").read_text().count("\n") == 1  # header only
