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
        except BaseException:
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
        "BlazePose Full model present": (
            bundle / "mediapipe/modules/pose_landmark/pose_landmark_full.tflite"
        ).is_file(),
        "pose detector present": (bundle / "mediapipe/modules/pose_detection/pose_detection.tflite").is_file(),
    }
    migrations = bundle / "rehab_coach/session/store/migrations"
    if (bundle / "rehab_coach/session/store").exists() or migrations.exists():
        checks["alembic migrations present"] = (migrations / "env.py").is_file() and any(
            migrations.glob("versions/*.py")
        )
    icon = paths.assets_dir() / "icons" / "rehab-coach.svg"
    if icon.is_file():  # the window icon: needs Qt's SVG icon engine plugin in the bundle
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtGui import QGuiApplication, QIcon

        app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
        checks["SVG window icon renders"] = not QIcon(str(icon)).pixmap(64, 64).isNull()
    checks.update(_database_checks())
    for label, ok in checks.items():
        print(f"selftest: {'ok  ' if ok else 'FAIL'} {label}")
    return 0 if failed == 0 and all(checks.values()) else 1


def _database_checks() -> dict[str, bool]:
    """Alembic runs the bundled migration sources on a scratch SQLite file; psycopg finds its
    binary libpq. Skipped (with a note) where the store's API is not there."""
    import importlib
    import tempfile

    checks: dict[str, bool] = {}
    try:
        db = importlib.import_module("rehab_coach.session.store.db")
    except ImportError:
        return checks
    if hasattr(db, "create_db_engine") and hasattr(db, "migrate"):
        with tempfile.TemporaryDirectory() as tmp:
            try:
                engine = db.create_db_engine(f"sqlite:///{tmp}/selftest.db")
                db.migrate(engine)
                from sqlalchemy import inspect

                tables = inspect(engine).get_table_names()
                engine.dispose()
                checks[f"alembic migrations run on SQLite ({len(tables)} tables)"] = "alembic_version" in tables
            except Exception as exc:
                print(f"selftest: migration failed: {type(exc).__name__}: {exc}", file=sys.stderr)
                checks["alembic migrations run on SQLite"] = False
    else:
        print("selftest: note: rehab_coach.session.store.db has no create_db_engine/migrate; migrations not run")
    try:
        import psycopg
    except ImportError:
        pass
    else:
        checks[f"psycopg uses its {psycopg.pq.__impl__} libpq"] = psycopg.pq.__impl__ in ("binary", "c")
    return checks


if __name__ == "__main__":
    multiprocessing.freeze_support()  # a frozen child process must not start the CLI again
    if os.environ.get("REHAB_COACH_BUNDLE_SELFTEST") == "1":
        sys.exit(bundle_selftest())
    from rehab_coach.cli import main

    sys.exit(main())
