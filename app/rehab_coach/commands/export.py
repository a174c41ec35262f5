"""`rehab-coach export CODE --csv reps.csv --pdf report.pdf --fhir bundle.json`: clinical exports.

CSV: one row per rep (columns in docs/exports.md). PDF: the report for the clinical
record, with plots. FHIR: an R4 Bundle with range-of-motion Observations.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rehab_coach.commands.days import calendar_day
from rehab_coach.errors import InputError, RehabCoachError
from rehab_coach.session.exports import collect, write_fhir, write_reps_csv
from rehab_coach.session.store import open_store


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("export", help="export a patient's sessions as CSV, PDF report or FHIR R4 JSON")
    parser.add_argument("code", help="the patient's pseudonymous code")
    parser.add_argument(
        "--db", metavar="URL", help="database URL or SQLite file (default: settings, then local SQLite)"
    )
    parser.add_argument("--csv", type=Path, help="one row per rep")
    parser.add_argument("--pdf", type=Path, help="report for the clinical record, with plots")
    parser.add_argument("--language", default="en", choices=["en", "zh"], help="language of the PDF report")
    parser.add_argument("--fhir", type=Path, help="FHIR R4 Bundle (JSON) of range-of-motion Observations")
    parser.add_argument(
        "--since", type=calendar_day, help="first day included (YYYY-MM-DD, local time; default: the first session)"
    )
    parser.add_argument(
        "--until", type=calendar_day, help="last day included (YYYY-MM-DD, local time; default: the last session)"
    )
    parser.set_defaults(func=run)


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time()).astimezone()


def run(args: argparse.Namespace) -> int:
    if not (args.csv or args.pdf or args.fhir):
        raise InputError("nothing to export: give --csv, --pdf and/or --fhir")
    since = _local_midnight(args.since) if args.since else None
    until = _local_midnight(args.until + dt.timedelta(days=1)) if args.until else None
    for target in (args.csv, args.fhir, args.pdf):
        if target is not None:
            check_target(target)  # before any work: a typo in the third path must not cost the first two
    store = open_store(args.db)
    record = collect(store, args.code, since=since, until=until)
    with _writing(args.csv):
        if args.csv:
            print(f"{args.csv}: {write_reps_csv(record, args.csv)} reps")
    with _writing(args.fhir):
        if args.fhir:
            bundle = write_fhir(record, args.fhir)
            print(f"{args.fhir}: {len(bundle['entry']) - 1} observations")
    with _writing(args.pdf):
        if args.pdf:
            from rehab_coach.reports.pdf import write_pdf_report  # Qt only when asked for

            write_pdf_report(store, record, args.pdf, args.language)
            print(f"{args.pdf}: report with {len(record.sessions)} sessions")
    return 0


def check_target(path: Path) -> None:
    """An export path must name a file in a folder that exists and that we may write in."""
    if path.is_dir():
        raise RehabCoachError(f"{path}: is a folder; give the name of the file to write")
    folder = path.parent
    if not folder.is_dir():
        raise RehabCoachError(f"{path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK) and not (path.exists() and os.access(path, os.W_OK)):
        raise RehabCoachError(f"{path}: cannot write in the folder {folder} (permission denied)")


@contextmanager
def _writing(path: Path | None) -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        raise RehabCoachError(f"{path}: not written: {exc.strerror or exc}") from None
