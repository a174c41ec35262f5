"""The published report schema (docs/report.schema.json) is what the models generate, and real reports obey it."""

from __future__ import annotations

import json
import math
from pathlib import Path

import jsonschema
import pytest

from rehab_coach.cli import main
from rehab_coach.engine.types import REP, RepResult
from rehab_coach.session.report import report_json_schema
from rehab_synth.generator import generate

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "report.schema.json"


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def test_published_schema_is_what_the_models_generate(schema: dict) -> None:
    assert schema == report_json_schema(), "run scripts/write_report_schema.py and commit docs/report.schema.json"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_replayed_report_validates(tmp_path: Path, schema: dict, capsys: pytest.CaptureFixture[str]) -> None:
    stream = tmp_path / "squat.jsonl"
    generate("squat", reps=3, seed=5, faults={1: ["trunk_lean"]}, partial_reps=[2], noise="medium").write(stream)
    out = tmp_path / "report.json"
    assert main(["replay", str(stream), "--exercise", "squat", "--json", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["reps"] and report["cues"]
    jsonschema.validate(report, schema, cls=jsonschema.Draft202012Validator)
    # and a hold exercise, whose reps carry held_seconds and no curve
    stream = tmp_path / "wall_sit.jsonl"
    generate("wall_sit", reps=1, seed=2).write(stream)
    assert main(["replay", str(stream), "--exercise", "wall_sit", "--json", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["reps"] and report["reps"][0]["held_seconds"] > 0
    jsonschema.validate(report, schema, cls=jsonschema.Draft202012Validator)


def test_schema_rejects_a_report_missing_a_stable_key(tmp_path: Path, schema: dict) -> None:
    stream = tmp_path / "squat.jsonl"
    generate("squat", reps=1, seed=1).write(stream)
    out = tmp_path / "report.json"
    assert main(["replay", str(stream), "--exercise", "squat", "--json", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    del report["reps"][0]["complete"]
    with pytest.raises(jsonschema.ValidationError, match="complete"):
        jsonschema.validate(report, schema, cls=jsonschema.Draft202012Validator)


def test_unmeasured_values_are_null_in_json_and_nan_again_when_read() -> None:
    rep = RepResult(
        1,
        0.0,
        2.0,
        False,
        None,
        math.nan,
        math.nan,
        170.0,
        40.0,
        {"rom": math.nan},
        {"knee_min": None},
        [],
        partial_reason="interrupted",
    )
    data = json.loads(REP.dump_json(rep))
    assert data["rom"] is None and data["quality_parts"] == {"rom": None} and data["duration"] == 2.0
    back = REP.validate_python(data)
    assert math.isnan(back.rom) and back.quality_parts["rom"] is None and back.start_value == 170.0
