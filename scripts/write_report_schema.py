"""Regenerate docs/report.schema.json from the report models (run after changing a rep or report field).

    PYTHONPATH=app python scripts/write_report_schema.py

tests/session/test_report_schema.py fails while the published file differs from what the models generate.
"""

from __future__ import annotations

import json
from pathlib import Path

from rehab_coach.session.report import report_json_schema

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "docs" / "report.schema.json"


def schema_text() -> str:
    return json.dumps(report_json_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}")
