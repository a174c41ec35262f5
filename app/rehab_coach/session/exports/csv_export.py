"""CSV export: one row per rep, the columns documented in docs/exports.md.

Floats are written with Python's shortest exact repr and times as ISO 8601 UTC, so
`read_reps_csv` gives back exactly what was written (the round-trip test relies on it).
Dicts (quality parts, peaks) are JSON in one cell; faults are `|`-separated rule ids.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, model_validator

from rehab_coach.paths import replace_private
from rehab_coach.session.exports.record import PatientRecord
from rehab_coach.session.store.views import RepInfo, SessionInfo


class CsvRep(BaseModel):
    """One CSV row: the session it belongs to, then a stored rep (`RepInfo`, itself a `RepResult`) under
    the column names of docs/exports.md. Cells are text; validation turns them back into these types."""

    model_config = ConfigDict(frozen=True)

    patient_code: str
    session_uid: str
    session_started_at: AwareDatetime
    session_status: str
    exercise_id: str
    measure: str
    direction: str
    target: float | None
    set_number: int | None
    rep_seq: int
    rep_index: int
    side: str | None
    complete: bool
    partial_reason: str
    start_t: float
    end_t: float
    duration_s: float
    rom_deg: float
    extreme_deg: float
    start_value_deg: float
    quality: float
    quality_parts: dict[str, float | None]
    peaks: dict[str, float | None]
    faults: list[str]
    held_seconds: float | None

    @classmethod
    def of(cls, patient_code: str, session: SessionInfo, rep: RepInfo) -> CsvRep:
        fields = {column: getattr(rep, name) for column, name in REP_COLUMNS.items()}
        fields["duration_s"] = round(rep.duration, 3)
        return cls(
            patient_code=patient_code,
            session_uid=session.uid,
            session_started_at=session.started_at,
            session_status=session.status,
            exercise_id=session.exercise_id,
            measure=session.measure,
            direction=session.direction,
            target=session.target,
            **fields,
        )

    @model_validator(mode="before")
    @classmethod
    def _from_cells(cls, data: Any) -> Any:
        """A row read back from the file: empty cells are None, dicts JSON, faults `|`-separated."""
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            return data
        cells: dict[str, Any] = {name: (None if text == "" else text) for name, text in data.items()}
        for name in ("quality_parts", "peaks"):
            cells[name] = json.loads(data[name])
        cells["faults"] = data["faults"].split("|") if data["faults"] else []
        cells["partial_reason"] = data["partial_reason"]
        cells["measure"], cells["direction"] = data["measure"], data["direction"]
        return cells


# CSV column -> the `RepInfo` field it holds (the remaining columns describe the session).
REP_COLUMNS = {
    "set_number": "set_number",
    "rep_seq": "seq",
    "rep_index": "index",
    "side": "side",
    "complete": "complete",
    "partial_reason": "partial_reason",
    "start_t": "start_t",
    "end_t": "end_t",
    "rom_deg": "rom",
    "extreme_deg": "extreme",
    "start_value_deg": "start_value",
    "quality": "quality",
    "quality_parts": "quality_parts",
    "peaks": "peaks",
    "faults": "faults",
    "held_seconds": "held_seconds",
}
CSV_COLUMNS = tuple(CsvRep.model_fields)


def rows(record: PatientRecord) -> list[CsvRep]:
    return [CsvRep.of(record.patient.code, detail.session, rep) for detail in record.sessions for rep in detail.reps]


def write_reps_csv(record: PatientRecord, path: Path | str) -> int:
    """Write the rows; returns how many reps were written."""
    data = rows(record)
    with replace_private(path, "w", newline="", encoding="utf-8") as handle:  # patient data: 0600, whole or not at all
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for rep in data:
            writer.writerow([_cell(getattr(rep, name)) for name in CSV_COLUMNS])
    return len(data)


def read_reps_csv(path: Path | str) -> list[CsvRep]:
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = set(CSV_COLUMNS) - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path}: not a rep CSV, missing columns {sorted(missing)}")
        return [CsvRep.model_validate({name: row[name] for name in CSV_COLUMNS}) for row in reader]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, allow_nan=False)
    if isinstance(value, list):
        return _cell("|".join(value))
    if isinstance(value, float):
        return repr(value)
    text = str(value)
    # A spreadsheet would run a cell starting like a formula; ids never do, so only hostile text changes.
    return "'" + text if text.startswith(_FORMULA_STARTS) and not isinstance(value, int) else text


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
