#!/usr/bin/env python
"""Validate the exercise library on synthetic motion: every shipped exercise, across seeds
and detector-like noise, with correct reps, partial reps, every fault, and standing still.

    .venv/bin/python scripts/validate_library.py [--seeds 0 1 2] [--noise low medium] [--jobs 2]

Prints one row per exercise: reps expected/counted, partial reps expected/reported, the
largest hold timing error (holds), and per fault its precision and recall over reps.
Exits 1 when any count is wrong, any precision or recall is below 0.9, or a hold is timed
more than 0.5 s off; the problems are listed under the table.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / folder) for folder in ("app", "synth")]

from rehab_coach.engine.templates import load_library
from rehab_coach.paths import exercises_dir
from rehab_synth.evaluate import Case, CaseResult, cases, format_table, run_case, summarise
from rehab_synth.motions import MOTIONS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--noise", nargs="+", default=["low", "medium"], choices=["none", "low", "medium", "high"])
    parser.add_argument("--exercise", nargs="+", help="only these exercises (default: every shipped one)")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)

    library = load_library([exercises_dir()])
    if library.errors:
        print("templates that do not load:\n" + "\n".join(library.errors.values()))
        return 1
    missing = [e for e in args.exercise or [] if e not in MOTIONS]
    if missing:
        print(f"no synthetic motion for: {', '.join(missing)}")
        return 1
    # Templates are data: one without a motion script is valid (tests/exercises/test_library_generic.py)
    # and is only listed here.
    exercises = args.exercise or sorted(e for e in library.templates if e in MOTIONS)
    if not args.exercise and (unscripted := sorted(set(library.templates) - set(MOTIONS))):
        print(f"not validated here (no synthetic motion): {', '.join(unscripted)}\n")
    todo = [c for e in exercises for c in cases(e, args.seeds, args.noise)]
    started = time.perf_counter()
    results = _run_all(todo, args.jobs)
    rows = summarise(results)
    print(format_table(rows))
    print(
        f"\n{len(todo)} clips ({len(exercises)} exercises x seeds {args.seeds} x noise {args.noise} x "
        f"reps/faults/still) in {time.perf_counter() - started:.0f} s"
    )
    problems = [f"{row.exercise}: {p}" for row in rows for p in row.problems]
    if problems:
        print("\nproblems:\n  " + "\n  ".join(problems))
    failed = [row.exercise for row in rows if not row.ok]
    print(f"\n{'FAILED: ' + ', '.join(failed) if failed else 'all exercises pass'}")
    return 1 if failed else 0


def _run_all(todo: list[Case], jobs: int) -> list[CaseResult]:
    if jobs <= 1:
        return [run_case(case) for case in todo]
    with ProcessPoolExecutor(jobs) as pool:  # each clip is independent: one per process
        return list(pool.map(run_case, todo, chunksize=2))


if __name__ == "__main__":
    sys.exit(main())
