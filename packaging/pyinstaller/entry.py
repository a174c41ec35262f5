"""Entry point of the frozen app: the same `rehab-coach` command line as the pip install.

REHAB_COACH_BUNDLE_SELFTEST=1 turns the run into a check of the bundle itself (used by
packaging/check_built_app.sh): every rehab_coach module imports, and the data the app
looks up by path (templates, assets, BlazePose files, migrations) is where it looks.
"""

import multiprocessing
import os
import sys


def bundle_selftest() -> int:
    import importlib
    import traceback
    from pathlib import Path

    bundle = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent))
    names = (bundle / "rehab_coach" / "bundle-modules.txt").read_text(encoding="utf-8").split()
    failed = 0
    for name in names:
        try:
            importlib.import_module(name)
        except BaseException:  # noqa: BLE001 - report every failure, including SystemExit
            failed += 1
            print(f"selftest: import {name} FAILED", file=sys.stderr)
            traceback.print_exc(limit=3)
    print(f"selftest: {len(names) - failed} of {len(names)} rehab_coach modules import")

    from rehab_coach import paths

    checks = {
        "exercises_dir() is inside the bundle": paths.exercises_dir().resolve().is_relative_to(bundle.resolve()),
        "exercise templates present": any(paths.exercises_dir().glob("*.yaml")),
        "assets_dir() is inside the bundle": paths.assets_dir().resolve().is_relative_to(bundle.resolve()),
        "BlazePose graph present": (bundle / "mediapipe/modules/pose_landmark/pose_landmark_cpu.binarypb").is_file(),
        "BlazePose Full model present": (bundle / "mediapipe/modules/pose_landmark/pose_landmark_full.tflite").is_file(),
        "pose detector present": (bundle / "mediapipe/modules/pose_detection/pose_detection.tflite").is_file(),
    }
    migrations = bundle / "rehab_coach/session/store/migrations"
    if (bundle / "rehab_coach/session/store").exists() or migrations.exists():
        checks["alembic migrations present"] = (migrations / "env.py").is_file() and any(migrations.glob("versions/*.py"))
    for label, ok in checks.items():
        print(f"selftest: {'ok  ' if ok else 'FAIL'} {label}")
    return 0 if failed == 0 and all(checks.values()) else 1


if __name__ == "__main__":
    multiprocessing.freeze_support()  # a frozen child process must not start the CLI again
    if os.environ.get("REHAB_COACH_BUNDLE_SELFTEST") == "1":
        sys.exit(bundle_selftest())
    from rehab_coach.cli import main

    sys.exit(main())
