"""`rehab-coach protocols ...` and progression rules through `rehab-coach patients program --item`."""

from __future__ import annotations

import datetime as dt

import pytest

from rehab_coach.cli import main
from rehab_coach.session.progression import ProgressionRule
from rehab_coach.session.store import open_store


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_progression_from_the_command_line(store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    db = ("--db", store_url)
    run(capsys, "patients", "add", "P-1", "Ann", *db)
    item = "squat:3x10:primary.target=95:+2/1w,pain<4,max=16"
    assert (
        run(capsys, "patients", "program", "P-1", "--item", item, "--item", "wall_sit:1x3:+5s/3d,max=60", *db)[0] == 0
    )
    store = open_store(store_url)
    program = store.active_program(store.patient("P-1").id)
    assert program is not None
    squat, wall_sit = program.items
    assert squat.progression == ProgressionRule(
        step=2, every=1, period="weeks", pain_ceiling=4, maximum=16, since=dt.date.today()
    )
    assert squat.overrides == {"primary.target": 95}
    assert wall_sit.progression is not None and wall_sit.progression.unit == "seconds"
    assert wall_sit.overrides["hold.seconds"] > 0  # the template's hold time, to grow from
    store.close()

    out = run(capsys, "patients", "show", "P-1", *db)[1]
    assert "progression: +2 reps every week while pain stays under 4, up to 16 reps" in out
    assert "today: 10 reps: first step on" in out

    for bad, message in [
        ("squat:3x10:+2/1w", "needs its maximum"),
        ("squat:3x10:+2/1y,max=16", "a progression is +STEP/EVERY"),
        ("squat:3x10:+2/1w,speed=3,max=16", "unknown progression option 'speed=3'"),
        ("squat:3x10:+2/1w,max=500", "more than 100 reps"),
        ("squat:3x10:+5s/1w,max=60", "not a hold exercise"),
        ("squat:3x16:+2/1w,max=16", "maximum (16) must be above"),
    ]:
        code, _, err = run(capsys, "patients", "program", "P-1", "--item", bad, *db)
        assert code != 0 and message in err, (bad, err)
        assert "Traceback" not in err


def test_protocols_save_list_show_apply_rename_delete(store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    db = ("--db", store_url)
    run(capsys, "patients", "add", "P-1", "Ann", *db)
    run(capsys, "patients", "add", "P-2", "Ben", *db)
    run(
        capsys,
        "patients",
        "program",
        "P-1",
        "--item",
        "squat:3x12:primary.target=95:+2/1w,max=16",
        "--days",
        "mon,thu",
        *db,
    )

    code, out, _ = run(capsys, "protocols", "save", "TKA weeks 0-2", "--from-patient", "P-1", *db)
    assert code == 0 and "saved protocol 'TKA weeks 0-2': 1 exercise(s)" in out
    code, _, err = run(capsys, "protocols", "save", "tka WEEKS 0-2", "--item", "lunge:2x8", *db)
    assert code == 2 and "a protocol named 'TKA weeks 0-2' already exists" in err
    assert run(capsys, "protocols", "save", "Lunges", "--item", "lunge:2x8", "--days", "tue", *db)[0] == 0

    out = run(capsys, "protocols", "list", *db)[1].splitlines()
    assert [line.split("  ")[0] for line in out] == ["Lunges", "TKA weeks 0-2"]
    assert "mon,thu" in out[1] and "squat" in out[1]
    out = run(capsys, "protocols", "show", "tka weeks 0-2", *db)[1]
    assert "squat" in out and "3x12  primary.target=95" in out and "+2 reps every week, up to 16 reps" in out

    code, out, _ = run(capsys, "protocols", "apply", "TKA weeks 0-2", "P-2", "--start", "2026-12-07", *db)
    assert code == 0 and "saved program version 1 for P-2" in out
    store = open_store(store_url)
    program = store.active_program(store.patient("P-2").id)
    assert program is not None and program.start_date == dt.date(2026, 12, 7) and program.name == "TKA weeks 0-2"
    assert program.items[0].progression is not None and program.items[0].progression.since == dt.date(2026, 12, 7)
    store.close()

    assert "renamed to 'TKA phase 1'" in run(capsys, "protocols", "rename", "TKA weeks 0-2", "TKA phase 1", *db)[1]
    code, _, err = run(capsys, "protocols", "rename", "Lunges", "tka phase 1", *db)
    assert code == 2 and "already exists" in err
    assert "deleted protocol 'Lunges'" in run(capsys, "protocols", "delete", "lunges", *db)[1]
    code, _, err = run(capsys, "protocols", "show", "Lunges", *db)
    assert code == 2 and "no protocol named 'Lunges'" in err
    code, _, err = run(capsys, "protocols", "save", "Empty", "--from-patient", "P-3", *db)
    assert code == 2 and "no patient" in err
