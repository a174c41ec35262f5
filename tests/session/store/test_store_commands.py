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


@pytest.mark.parametrize(
    ("argv", "code", "says"),
    [
        # YAML that does not parse as a value: each was a traceback (exit 1)
        (["patients", "program", "P-1", "--item", "squat:3x10:primary.target=["], 3, "primary.target=[ is not a value"),
        (
            ["patients", "program", "P-1", "--item", "squat:3x10:primary.target={a"],
            3,
            "primary.target={a is not a value",
        ),
        (["patients", "program", "P-1", "--item", "squat:3x10:primary.target=*alias"], 3, "undefined alias"),
        (
            ["patients", "program", "P-1", "--item", "squat:3x10:primary.target=!!python/object/apply:os.system [id]"],
            3,
            "could not determine a constructor",
        ),
        # days the calendar or the clock cannot hold: tracebacks, or (-5) accepted
        (["patients", "show", "P-1", "--days", "99999999"], 2, "argument --days: 99999999 is out of range"),
        (["patients", "show", "P-1", "--days", "-5"], 2, "argument --days: -5 is out of range: give 1 to 3660 days"),
        (["patients", "show", "P-1", "--days", "0"], 2, "argument --days: 0 is out of range"),
        (["patients", "show", "P-1", "--days", "many"], 2, "'many' is not a whole number of days"),
        (["export", "P-1", "--csv", "OUT", "--since", "0001-01-01"], 2, "argument --since: 0001-01-01 is out of range"),
        (["export", "P-1", "--csv", "OUT", "--until", "9999-12-31"], 2, "argument --until: 9999-12-31 is out of range"),
        (["export", "P-1", "--csv", "OUT", "--since", "2024-02-30"], 2, "'2024-02-30' is not a day: use YYYY-MM-DD"),
        (["patients", "program", "P-1", "--item", "squat", "--start", "0001-01-01"], 2, "argument --start: 0001-01-01"),
        (["patients", "program", "P-1", "--item", "squat", "--end", "9999-12-31"], 2, "argument --end: 9999-12-31"),
    ],
)
def test_bad_arguments_are_one_line_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], code: int, says: str
) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    open_store(db).add_patient("P-1", "Ann Smith")
    argv = [str(tmp_path / "out.csv") if arg == "OUT" else arg for arg in argv]
    try:
        result, out, err = run(capsys, *argv, "--db", db)
    except SystemExit as exit_:  # argparse's own exit, after printing its one line
        result, err = exit_.code, capsys.readouterr().err
    assert result == code
    assert "Traceback" not in err and says in err
    assert len(err.strip().splitlines()) == 1, err
    assert not (tmp_path / "out.csv").exists()


def test_days_within_range_still_work(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    open_store(db).add_patient("P-1", "Ann Smith")
    code, out, _ = run(capsys, "patients", "show", "P-1", "--days", "3660", "--db", db)
    assert code == 0 and "adherence last 3660 days" in out
    csv = tmp_path / "all.csv"
    code, out, _ = run(
        capsys, "export", "P-1", "--csv", str(csv), "--since", "1971-01-01", "--until", "2999-12-31", "--db", db
    )
    assert code == 0 and csv.exists()
