"""CSV export: one row per rep, the columns documented in docs/exports.md.

Floats are written with Python's shortest exact repr and times as ISO 8601 UTC, so
`read_reps_csv` gives back exactly what was written (the round-trip test relies on it).
Dicts (quality parts, peaks) are JSON in one cell; faults are `|`-separated rule ids.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from rehab_coach.session.exports.record import PatientRecord


@dataclass(frozen=True)
class CsvRep:
    patient_code: str
    session_uid: str
    session_started_at: dt.datetime
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
    quality_parts: dict[str, float]
    peaks: dict[str, float | None]
    faults: list[str]
    held_seconds: float | None


CSV_COLUMNS = tuple(f.name for f in fields(CsvRep))


def rows(record: PatientRecord) -> list[CsvRep]:
    out = []
    for detail in record.sessions:
        s = detail.session
        for r in detail.reps:
            out.append(CsvRep(
                record.patient.code, s.uid, s.started_at, s.status, s.exercise_id, s.measure, s.direction, s.target,
                r.set_number, r.seq, r.index, r.side, r.complete, r.partial_reason, r.start_t, r.end_t,
                round(r.end_t - r.start_t, 3), r.rom, r.extreme, r.start_value, r.quality, r.quality_parts, r.peaks,
                r.faults, r.held_seconds,
            ))
    return out


def write_reps_csv(record: PatientRecord, path: Path | str) -> int:
    """Write the rows; returns how many reps were written."""
    data = rows(record)
    with open(path, "w", newline="", encoding="utf-8") as handle:
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
        return [_parse_row(row) for row in reader]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).isoformat()
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


def _parse_row(row: dict[str, str]) -> CsvRep:
    def num(name: str) -> float | None:
        return float(row[name]) if row[name] != "" else None

    def integer(name: str) -> int | None:
        return int(row[name]) if row[name] != "" else None

    return CsvRep(
        patient_code=row["patient_code"], session_uid=row["session_uid"],
        session_started_at=dt.datetime.fromisoformat(row["session_started_at"]), session_status=row["session_status"],
        exercise_id=row["exercise_id"], measure=row["measure"], direction=row["direction"], target=num("target"),
        set_number=integer("set_number"), rep_seq=int(row["rep_seq"]), rep_index=int(row["rep_index"]),
        side=row["side"] or None, complete=row["complete"] == "true", partial_reason=row["partial_reason"],
        start_t=float(row["start_t"]), end_t=float(row["end_t"]), duration_s=float(row["duration_s"]),
        rom_deg=float(row["rom_deg"]), extreme_deg=float(row["extreme_deg"]),
        start_value_deg=float(row["start_value_deg"]), quality=float(row["quality"]),
        quality_parts=json.loads(row["quality_parts"]), peaks=json.loads(row["peaks"]),
        faults=row["faults"].split("|") if row["faults"] else [], held_seconds=num("held_seconds"),
    )
