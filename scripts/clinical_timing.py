"""The clinical tests' timing against timing by eye, on real clips: prints the tables of
docs/clinical-tests.md (every event, the tests' own numbers, a summary; at the full frame rate and
thinned to 15 and 10 frames a second).

    PYTHONPATH=app .venv/bin/python scripts/clinical_timing.py [TIMING_SET.json] [--videos DIR ...]

The by-eye times are in scripts/devset/clinical_timing.json; the clips are looked for in
/work/devclips and ../shared/realvids (or the --videos folders). BlazePose keypoints are cached
(~/.cache/rehab-coach/keypoints), so a second run only re-runs the trackers. The videos are never
part of the repository (licences unknown): rebuild them with scripts/devset/rebuild.py.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "app"))

from rehab_coach.evaluation.clinical_timing import RATES, format_tables, load_timed_clips, run_timing
from rehab_coach.paths import cache_dir
from rehab_coach.pose.backend import create_backend

DEFAULT_FOLDERS = (Path("/work/devclips"), ROOT.parent / "shared" / "realvids", Path("/work/shared/realvids"))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "timing_set", nargs="?", type=Path, default=ROOT / "scripts" / "devset" / "clinical_timing.json"
    )
    parser.add_argument("--videos", type=Path, nargs="+", default=list(DEFAULT_FOLDERS))
    parser.add_argument("--backend", default="blazepose")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    clips = load_timed_clips(args.timing_set)
    errors, tests = run_timing(
        clips,
        args.videos,
        lambda: create_backend(args.backend),
        cache_dir() / "keypoints",
        on_missing=lambda clip: print(f"not found, skipped: {clip.file}", file=sys.stderr),
    )
    print(format_tables(errors, tests, [label for label, _ in RATES]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
