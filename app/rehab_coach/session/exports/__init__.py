"""Clinical exports of the session store: CSV (one row per rep) and FHIR R4 JSON.

The PDF report needs Qt's text layout and lives in `rehab_coach.reports.pdf`.
"""

from rehab_coach.session.exports.csv_export import CSV_COLUMNS, CsvRep, read_reps_csv, write_reps_csv
from rehab_coach.session.exports.fhir import fhir_bundle, write_fhir
from rehab_coach.session.exports.record import PatientRecord, collect

__all__ = [
    "CSV_COLUMNS",
    "CsvRep",
    "PatientRecord",
    "collect",
    "fhir_bundle",
    "read_reps_csv",
    "write_fhir",
    "write_reps_csv",
]
