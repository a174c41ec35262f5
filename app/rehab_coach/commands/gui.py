"""`rehab-coach gui` (and a bare `rehab-coach`): the desktop coaching app, or with `--kiosk`
the unattended full-screen kiosk.

Qt is imported only when the app really starts, so `rehab-coach --help` and the other
commands work on machines without a display.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import Any

from rehab_coach.capture.sources import SourceSpec
from rehab_coach.commands.display import check_display
from rehab_coach.commands.numbers import not_negative as _not_negative
from rehab_coach.commands.numbers import positive as _positive
from rehab_coach.engine.clinical.catalog import TEST_IDS
from rehab_coach.engine.templates import load_template_by_id
from rehab_coach.errors import InputError
from rehab_coach.pose.backend import add_backend_arguments, backend_options

log = logging.getLogger(__name__)


def _camera(text: str) -> int | str:
    """A device number, or a device path / stream URL."""
    return int(text) if text.isdigit() else text


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError("use WIDTHxHEIGHT, e.g. 1280x720") from None
    return width, height


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "gui",
        help="the desktop coaching app (default)",
        description="Open the live coaching app. Without a source option it uses camera 0.",
    )
    _source_arguments(parser)
    _session_arguments(parser)
    _screen_arguments(parser)
    _store_arguments(parser)
    _kiosk_arguments(parser)
    _screenshot_arguments(parser)
    parser.set_defaults(func=run)


def _source_arguments(parser: argparse.ArgumentParser) -> None:
    """Where the frames come from."""
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--camera", type=_camera, metavar="N", help="webcam number or device path (default 0)")
    source.add_argument("--video", type=Path, metavar="FILE", help="coach from a video file, paced at its frame rate")
    source.add_argument("--replay", type=Path, metavar="FILE.jsonl", help="replay a keypoint stream (demos, tests)")
    parser.add_argument("--loop", action="store_true", help="loop the video or replay")
    parser.add_argument("--speed", type=_positive, default=1.0, help="play files faster or slower (default 1.0)")
    parser.add_argument("--camera-size", type=_size, default=(1280, 720), metavar="WxH", help="requested webcam size")
    parser.add_argument("--camera-fps", type=_positive, default=30.0, help="requested webcam frame rate")


def _session_arguments(parser: argparse.ArgumentParser) -> None:
    """The exercise, the pose model, the language, the dosage and the framing check."""
    parser.add_argument("--exercise", metavar="ID", help="start straight into this exercise, skipping the picker")
    parser.add_argument(
        "--test",
        metavar="ID",
        choices=TEST_IDS,
        help="start straight into a standard clinical test: " + ", ".join(TEST_IDS),
    )
    add_backend_arguments(parser)
    parser.add_argument("--language", default="en", choices=["en", "zh"], help="language of instructions and cues")
    parser.add_argument("--sets", type=int, help="override the exercise's number of sets")
    parser.add_argument("--reps", type=int, help="override the reps per set")
    parser.add_argument("--rest", type=_not_negative, metavar="SECONDS", help="override the rest between sets")
    parser.add_argument("--countdown", type=int, default=3, metavar="SECONDS", help="countdown before coaching starts")
    framing = parser.add_mutually_exclusive_group()
    framing.add_argument(
        "--framing-check",
        dest="framing_check",
        action="store_const",
        const=True,
        default=None,
        help="check the framing before each set, also for a video or replay (default: camera only)",
    )
    framing.add_argument(
        "--no-framing-check",
        dest="framing_check",
        action="store_const",
        const=False,
        help="start each set without the framing check",
    )


def _screen_arguments(parser: argparse.ArgumentParser) -> None:
    """How the window starts."""
    parser.add_argument("--mute", action="store_true", help="start with sound and speech muted")
    parser.add_argument("--fullscreen", action="store_true", help="start full screen")
    parser.add_argument(
        "--therapist-view",
        action="store_true",
        help="show the live angle plot, the status line and technical details (T toggles)",
    )


def _store_arguments(parser: argparse.ArgumentParser) -> None:
    store = parser.add_argument_group("sessions")
    store.add_argument(
        "--db",
        metavar="URL",
        help="database URL or SQLite file (default: REHAB_COACH_DB_URL, storage.toml, then SQLite in the data folder)",
    )
    store.add_argument(
        "--patient",
        metavar="CODE",
        help="record the sessions for this patient (default: a guest); "
        "with --exercise, their program's sets, reps and overrides apply",
    )
    store.add_argument("--export-json", type=Path, metavar="DIR", help="also write each session as a JSON report here")


def _kiosk_arguments(parser: argparse.ArgumentParser) -> None:
    kiosk = parser.add_argument_group("kiosk (docs/kiosk.md)")
    kiosk.add_argument(
        "--kiosk",
        action="store_true",
        help="full-screen check-in kiosk for patients; leaving it needs the therapist PIN",
    )
    kiosk.add_argument(
        "--idle-timeout",
        type=_positive,
        default=60.0,
        metavar="SECONDS",
        help="kiosk: back to check-in after this long with nobody in view and no touch (default 60)",
    )
    kiosk.add_argument("--hide-names", action="store_true", help="kiosk: check-in shows patient codes only")


def _screenshot_arguments(parser: argparse.ArgumentParser) -> None:
    shots = parser.add_argument_group("screenshots (docs, demos)")
    shots.add_argument(
        "--screenshots",
        type=Path,
        metavar="DIR",
        help="save live.png and summary.png (with --kiosk: kiosk-checkin.png), then quit",
    )
    shots.add_argument(
        "--screenshot-at", type=_not_negative, metavar="SECONDS", help="session time of live.png (default: the end)"
    )


def source_spec(args: argparse.Namespace) -> SourceSpec:
    for kind in ("video", "replay"):
        path = getattr(args, kind)
        if path is not None:
            if path.is_dir():
                raise InputError(f"{path}: is a folder; give a {'video' if kind == 'video' else 'keypoint'} file")
            if not path.is_file():
                raise InputError(f"{path}: no such file")
            return SourceSpec(kind, path, loop=args.loop, speed=args.speed)
    camera = args.camera if args.camera is not None else 0
    return SourceSpec("camera", camera, camera_size=args.camera_size, camera_fps=args.camera_fps)


def overrides(args: argparse.Namespace) -> dict[str, object]:
    chosen = {"dosage.sets": args.sets, "dosage.reps": args.reps, "dosage.rest_seconds": args.rest}
    return {key: value for key, value in chosen.items() if value is not None}


def check_kiosk(args: argparse.Namespace) -> None:
    """The kiosk's only way out is the therapist PIN: without one it does not start.

    An unreachable database is no reason to refuse (the kiosk records offline and checks
    the PIN once the database is back), a database that answers "no PIN" is.
    """
    for option in ("exercise", "patient", "test"):
        if getattr(args, option):
            raise InputError(f"--kiosk takes no --{option.replace('_', '-')}: patients check in on the screen")
    from rehab_coach.session.store import StoreError, open_store

    try:
        store = open_store(args.db)
    except StoreError as exc:
        log.warning("%s; the kiosk starts offline", exc)
        return
    try:
        if not store.has_pin():
            raise InputError(
                "the kiosk needs a therapist PIN, the only way out of it: set one first with "
                "`rehab-coach patients set-pin` (with the same --db, if any)"
            )
    finally:
        store.close()


def chosen_patient(args: argparse.Namespace) -> tuple[str | None, Any]:
    """`--patient CODE --exercise ID`: the patient's code as stored (codes ignore case: p-0042 is P-0042)
    and their active program item for that exercise, if any, as prescribed today (its progression
    applied, as the picker and the kiosk show it)."""
    if not args.patient:
        return None, None
    from rehab_coach.session.store import open_store, today_plan

    store = open_store(args.db)
    try:
        patient = store.patient(args.patient)  # an unknown code fails here, before any window
        plan = today_plan(store, patient.id)
    finally:
        store.close()
    items = [entry.item for entry in plan.items if entry.item.exercise_id == args.exercise] if args.exercise else []
    return patient.code, items[0] if items else None


def run(args: argparse.Namespace) -> int:
    spec = source_spec(args)
    if args.kiosk:
        check_kiosk(args)
    patient, program_item = chosen_patient(args)
    from rehab_coach.session.live.sets import program_overrides

    if args.exercise and args.test:
        raise InputError("choose --exercise or --test, not both")
    if args.exercise:  # a typo fails here, not in an empty window; a program item's overrides win
        load_template_by_id(args.exercise, program_overrides(program_item) if program_item else overrides(args) or None)
    check_display()  # before Qt: without a usable display Qt aborts the process
    from rehab_coach.ui.app import run as run_app
    from rehab_coach.ui.options import LaunchOptions

    options = LaunchOptions(
        source=spec,
        exercise=args.exercise,
        test=args.test,
        backend=args.backend,
        backend_options=backend_options(args),
        language=args.language,
        overrides=overrides(args),
        countdown=max(0, args.countdown),
        framing_check=args.framing_check,
        muted=args.mute,
        fullscreen=args.fullscreen,
        screenshots=args.screenshots,
        screenshot_at=args.screenshot_at,
        db_url=args.db,
        patient=patient,
        program_item=program_item,
        export_dir=args.export_json,
        kiosk=args.kiosk,
        idle_timeout=args.idle_timeout,
        therapist_view=args.therapist_view and not args.kiosk,
        show_names=not args.hide_names,
    )
    return run_app(options)
