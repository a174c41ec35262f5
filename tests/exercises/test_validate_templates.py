"""`rehab-coach exercises validate`: every shipped template passes; each broken one fails
with the expected file, line, field and problem, and none stops the others being checked."""

from pathlib import Path

import pytest
import yaml

from rehab_coach.cli import main
from rehab_coach.paths import exercises_dir

BROKEN = Path(__file__).resolve().parent / "broken"
EXPECTED: dict[str, str] = yaml.safe_load((BROKEN / "expected.yaml").read_text(encoding="utf-8"))


def test_every_shipped_template_validates(capsys):
    shipped = sorted(exercises_dir().glob("*.yaml"))
    assert len(shipped) >= 12
    assert main(["exercises", "validate", *map(str, shipped)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == len(shipped) and all(line.startswith("ok") for line in out)


def test_every_broken_file_has_an_expectation():
    assert {p.stem for p in BROKEN.glob("*.yaml") if p.stem != "expected"} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_broken_template_reports_file_line_field_and_problem(name, capsys):
    assert main(["exercises", "validate", str(BROKEN / f"{name}.yaml")]) == 5
    captured = capsys.readouterr()
    assert captured.out.startswith("INVALID ")
    assert EXPECTED[name] in captured.out
    assert "Traceback" not in captured.err


def test_all_broken_files_at_once_are_each_reported(capsys):
    files = sorted(p for p in BROKEN.glob("*.yaml") if p.stem != "expected")
    good = exercises_dir() / "squat.yaml"
    assert main(["exercises", "validate", str(good), *map(str, files)]) == 5
    captured = capsys.readouterr()
    assert captured.out.count("INVALID ") == len(files) and captured.out.count("ok ") == 1
    assert f"{len(files)} of {len(files) + 1} template(s) invalid" in captured.err
