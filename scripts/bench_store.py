"""How the session store's reads scale with the database: one patient's queries, the therapist's
patient list and one patient's export, on SQLite files of 10k, 100k and 1M reps.

    nice python scripts/bench_store.py --sizes 10k,100k --folder /tmp/bench-store
    nice python scripts/bench_store.py --sizes 1m --folder /tmp/bench-store   # about 1 GB, several minutes

Every size has the same patients' shape: 25 sessions of 20 reps each (2 sets of 10, squats and
shoulder abductions, a pain answer after every third session, a count correction now and then),
a program of two exercises, and the rest of the database grows around them (10k reps: 20 patients,
500 sessions; 1M reps: 2,000 patients, 50,000 sessions). The probe patient P-00000 has the same
sessions at every size, so its queries should cost the same whatever the size of the database.

Seeding is bulk inserts of the rows the store's own writes make: the recorder's ops for a pool of
demo sessions (`demo.session_ops`) turned into rows by the store's conversion (`convert.rep_row`,
`series.pack`), repeated with new ids. A seeded file is kept in `--folder` and reused.
Each figure is the best of `--runs` calls after one untimed call (on a shared machine, the run least
disturbed by other work); "open" is the first `Store.ready()`, with the file's integrity check and
any migration the file has not had yet.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "app")]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # the PDF export paints offscreen

SESSIONS_PER_PATIENT = 25
SETS, REPS_PER_SET = 2, 10
REPS_PER_PATIENT = SESSIONS_PER_PATIENT * SETS * REPS_PER_SET  # 500
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
PROBE = "P-00000"
BATCH = 5000


@dataclass(frozen=True)
class PooledSession:
    """One demo session's rows, ids left out (filled in per copy)."""

    session: dict[str, Any]
    sets: list[dict[str, Any]]
    reps: list[tuple[dict[str, Any], dict[str, Any] | None]]  # rep row, series row
    cues: list[dict[str, Any]]
    duration: dt.timedelta


def session_pool(count: int = 50) -> list[PooledSession]:
    from rehab_coach.session.store import series
    from rehab_coach.session.store.convert import jsonable, rep_row
    from rehab_coach.session.store.demo import ABDUCTION, SQUAT, session_ops
    from rehab_coach.session.store.ops import Finish, RecordCue, RecordRep, StartSession, StartSet

    rng = random.Random(20)
    start = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)
    pool = []
    for n in range(count):
        exercise = (SQUAT, ABDUCTION)[n % 2]
        ops = session_ops("X", exercise, start, n / count, rng, sets=SETS, reps=REPS_PER_SET)
        session: dict[str, Any] = {}
        sets, reps, cues = [], [], []
        end = start
        for op in ops:
            if isinstance(op, StartSession):
                session = {
                    "exercise_id": op.exercise_id,
                    "measure": op.measure,
                    "direction": op.direction,
                    "target": op.target,
                    "ideal": op.ideal,
                    "overrides": jsonable(op.overrides),
                    "host": "bench",
                    "pid": 0,
                    "app_version": "bench",
                }
            elif isinstance(op, StartSet):
                sets.append({"number": op.number, "offset": op.at - start})
            elif isinstance(op, RecordRep):
                row = rep_row(op.rep, session_id=0, set_id=None, seq=op.seq, recorded_at=op.at)
                columns = {c.key: getattr(row, c.key) for c in row.__table__.columns if c.key != "id"}
                columns["recorded_at"] = op.at - start
                columns["set_number"] = op.set
                curve = {
                    "measure": session["measure"],
                    "encoding": series.ENCODING,
                    "points": len(op.curve),
                    "data": series.pack(op.curve, row.start_t),
                }
                reps.append((columns, curve if op.curve else None))
            elif isinstance(op, RecordCue):
                cues.append(
                    {
                        "seq": op.seq,
                        "t": op.t,
                        "kind": op.kind,
                        "cue_id": op.cue_id,
                        "text": op.text,
                        "priority": op.priority,
                    }
                )
            elif isinstance(op, Finish):
                session["summary"] = jsonable(op.summary)
                end = op.at
        pool.append(PooledSession(session, sets, reps, cues, end - start))
    return pool


def seed(path: Path, total_reps: int) -> None:
    """A SQLite file with `total_reps` reps in the store's own shape (see the module's doc)."""
    from sqlalchemy import insert

    from rehab_coach.session.store import Store
    from rehab_coach.session.store.tables import (
        CheckIn,
        CountCorrection,
        CueRecord,
        ExerciseSet,
        Patient,
        Program,
        ProgramItem,
        Rep,
        RepSeries,
        Session,
    )

    patients = total_reps // REPS_PER_PATIENT
    store = Store(path)
    store.ready()  # the schema, by the migrations
    pool = session_pool()
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    started_seeding = time.perf_counter()
    ids = {"session": 0, "set": 0, "rep": 0}
    rows: dict[Any, list[dict[str, Any]]] = {}

    def add(table: Any, row: dict[str, Any]) -> None:
        rows.setdefault(table, []).append(row)

    def flush(connection: Any, force: bool = False) -> None:
        if not force and len(rows.get(Rep.__table__, [])) < BATCH:
            return
        for table in (
            Patient.__table__,
            Program.__table__,
            ProgramItem.__table__,
            Session.__table__,
            ExerciseSet.__table__,
            Rep.__table__,
            RepSeries.__table__,
            CueRecord.__table__,
            CheckIn.__table__,
            CountCorrection.__table__,
        ):
            if rows.get(table):
                connection.execute(insert(table), rows.pop(table))

    with store.engine.begin() as connection:
        for p in range(patients):
            rng = random.Random(p)  # the same patient at every size
            patient_id = p + 1
            created = now - dt.timedelta(days=60)
            add(
                Patient.__table__,
                {
                    "id": patient_id,
                    "code": f"P-{p:05d}",
                    "display_name": f"Patient {p:05d}",
                    "notes": "",
                    "archived": False,
                    "created_at": created,
                    "updated_at": created,
                },
            )
            add(
                Program.__table__,
                {
                    "id": patient_id,
                    "patient_id": patient_id,
                    "name": "Knee and shoulder",
                    "weekdays": 0b0010101,  # Mon, Wed, Fri
                    "start_date": (now - dt.timedelta(days=56)).date(),
                    "end_date": None,
                    "active": True,
                    "notes": "",
                    "created_at": created,
                },
            )
            for position, exercise in enumerate(("squat", "shoulder_abduction")):
                add(
                    ProgramItem.__table__,
                    {
                        "program_id": patient_id,
                        "position": position,
                        "exercise_id": exercise,
                        "sets": SETS,
                        "reps": REPS_PER_SET,
                        "overrides": {},
                        "notes": "",
                    },
                )
            for k in range(SESSIONS_PER_PATIENT):
                pooled = pool[(p * SESSIONS_PER_PATIENT + k) % len(pool)]
                ids["session"] += 1
                session_id = ids["session"]
                started = now - dt.timedelta(days=2 * (SESSIONS_PER_PATIENT - k), hours=rng.randint(0, 8))
                ended = started + pooled.duration
                add(
                    Session.__table__,
                    {
                        **pooled.session,
                        "id": session_id,
                        "uid": str(uuid.UUID(int=random.Random(session_id).getrandbits(128))),
                        "patient_id": patient_id,
                        "program_item_id": None,
                        "status": "completed",
                        "started_at": started,
                        "ended_at": ended,
                        "last_activity_at": ended,
                        "recording_path": None,
                        "fps_mean": 30.0,
                        "fps_lowest": 27.5,
                    },
                )
                set_ids = {}
                for pooled_set in pooled.sets:
                    ids["set"] += 1
                    set_ids[pooled_set["number"]] = ids["set"]
                    add(
                        ExerciseSet.__table__,
                        {
                            "id": ids["set"],
                            "session_id": session_id,
                            "number": pooled_set["number"],
                            "started_at": started + pooled_set["offset"],
                        },
                    )
                for rep, curve in pooled.reps:
                    ids["rep"] += 1
                    row = dict(rep)
                    set_number = row.pop("set_number")
                    row.update(
                        id=ids["rep"],
                        session_id=session_id,
                        set_id=set_ids.get(set_number),
                        recorded_at=started + row["recorded_at"],
                    )
                    add(Rep.__table__, row)
                    if curve is not None:
                        add(RepSeries.__table__, {**curve, "rep_id": ids["rep"]})
                for cue in pooled.cues:
                    add(CueRecord.__table__, {**cue, "session_id": session_id})
                if k % 3 == 2:
                    add(
                        CheckIn.__table__,
                        {
                            "session_id": session_id,
                            "pain": rng.randint(0, 8),
                            "effort": rng.randint(2, 7),
                            "recorded_at": ended,
                        },
                    )
                if k % 20 == 7:
                    add(
                        CountCorrection.__table__,
                        {
                            "session_id": session_id,
                            "original_count": SETS * REPS_PER_SET,
                            "corrected_count": SETS * REPS_PER_SET - 2,
                            "reason": "two reps were not full range",
                            "host": "bench",
                            "corrected_at": ended,
                        },
                    )
                flush(connection)
        flush(connection, force=True)
    store.close()
    print(
        f"seeded {path.name}: {patients} patients, {ids['session']} sessions, {ids['rep']} reps "
        f"in {time.perf_counter() - started_seeding:.0f} s ({path.stat().st_size / 2**20:.0f} MiB)",
        flush=True,
    )


def timed(call: Callable[[], object], runs: int) -> float:
    call()  # untimed: the first call opens connections and warms the caches
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return min(times)  # on a shared machine the best run is the one least disturbed by others


def measure(path: Path, runs: int, list_runs: int) -> dict[str, float]:
    from rehab_coach.session import store as store_package
    from rehab_coach.session.exports import collect, write_fhir, write_reps_csv
    from rehab_coach.session.store import Store, patient_overview, patient_progress

    store = Store(path)
    started = time.perf_counter()
    store.ready()  # a migration the file has not had yet runs here, once
    migrated = time.perf_counter() - started
    probe = store.patient(PROBE)
    newest = store.sessions_for(probe.id, limit=1)[0]
    overviews = getattr(store_package, "patient_overviews", None)
    folder = Path(tempfile.mkdtemp(prefix="bench-store-export-"))

    def patient_list() -> object:
        if overviews is not None:
            return overviews(store, "")
        return [patient_overview(store, p) for p in store.list_patients()]  # before the batched query

    def export() -> object:
        from rehab_coach.reports.pdf import write_pdf_report

        record = collect(store, PROBE)
        write_reps_csv(record, folder / "reps.csv")
        write_fhir(record, folder / "bundle.json")
        write_pdf_report(store, record, folder / "report.pdf", "en")
        return record

    figures = {
        "open (migrations)": migrated,
        "session list (sessions_for)": timed(lambda: store.sessions_for(probe.id), runs),
        "session detail": timed(lambda: store.session_detail(newest.id), runs),
        "trends": timed(lambda: store.trends(probe.id), runs),
        "patient list row (patient_overview)": timed(lambda: patient_overview(store, probe), runs),
        "progress (patient_progress)": timed(lambda: patient_progress(store, probe.id), runs),
        "patient list, all patients": timed(patient_list, list_runs),
        "export CSV + FHIR + PDF": timed(export, list_runs),
    }
    store.close()
    return figures


def query_plan(path: Path) -> list[str]:
    from sqlalchemy.dialects import sqlite

    from rehab_coach.session.store import Store
    from rehab_coach.session.store.queries import session_query
    from rehab_coach.session.store.tables import Session

    store = Store(path)
    mine = Session.patient_id == 1
    try:
        query = session_query(mine)  # the sessions' filter reaches the rep aggregates
    except TypeError:  # before: it took none, the filter went outside
        query = session_query().where(mine)
    compiled = query.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True})
    with store.engine.connect() as connection:
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}").all()
    store.close()
    return [str(row[-1]) for row in rows]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10k,100k,1m", help="comma-separated: 10k, 100k, 1m")
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "rehab-bench-store")
    parser.add_argument("--runs", type=int, default=5, help="timed calls per figure (the best counts)")
    parser.add_argument("--list-runs", type=int, default=3, help="timed calls of the patient list and the export")
    parser.add_argument("--plan", action="store_true", help="print SQLite's plan of the session query")
    args = parser.parse_args()
    sizes = [s.strip().lower() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size(s) {', '.join(unknown)}; use {', '.join(SIZES)}")
    args.folder.mkdir(parents=True, exist_ok=True)
    results: dict[str, dict[str, float]] = {}
    for size in sizes:
        path = args.folder / f"store-{size}.db"
        if not path.exists():
            seed(path, SIZES[size])
        results[size] = measure(path, args.runs, args.list_runs)
        print(f"{size}: " + ", ".join(f"{name} {value * 1000:.1f} ms" for name, value in results[size].items()))
        if args.plan:
            print("\n".join(f"  plan: {line}" for line in query_plan(path)))
    print()
    names = list(next(iter(results.values())))
    header = "| figure | " + " | ".join(f"{size} reps" for size in results)
    first, last = next(iter(results)), list(results)[-1]
    ratio = len(results) > 1
    print(header + (f" | {last} / {first} |" if ratio else " |"))
    print("|---" * (len(results) + 1 + ratio) + "|")
    for name in names:
        cells = [_ms(results[size][name]) for size in results]
        if ratio:
            cells.append(f"{results[last][name] / results[first][name]:.2f}x")
        print(f"| {name} | " + " | ".join(cells) + " |")
    return 0


def _ms(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1000:.1f} ms"


if __name__ == "__main__":
    sys.exit(main())
