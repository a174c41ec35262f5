"""Make the exercise cards' demonstrations (one JSON file of keyframes per exercise) with the
motion generator. Run when the app is built; the wheel's build hook and build_app.sh call it.

    python scripts/make_demos.py [OUTPUT_FOLDER]      (default: build/demos)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The app and the development motion generator from this checkout: the wheel build hook runs this
# in an isolated environment where neither is installed.
sys.path[:0] = [str(ROOT / "app"), str(ROOT / "synth")]

from rehab_coach.engine.demos import write_demo
from rehab_coach.engine.templates import load_library
from rehab_synth.demos import make_demo
from rehab_synth.motions import MOTIONS


def make_all(folder: Path) -> list[Path]:
    library = load_library()
    return [
        write_demo(make_demo(exercise_id), folder)
        for exercise_id in sorted(library.templates)
        if exercise_id in MOTIONS
    ]


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else ROOT / "build" / "demos"
    written = make_all(folder)
    size = sum(p.stat().st_size for p in written)
    print(f"{len(written)} demonstrations in {folder} ({size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
