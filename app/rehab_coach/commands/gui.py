"""`rehab-coach gui` (and a bare `rehab-coach`): the desktop coaching app.

Qt is imported only when the app really starts, so `rehab-coach --help` and the other
commands work on machines without a display.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rehab_coach.engine.templates import load_template_by_id
from rehab_coach.errors import InputError
from rehab_coach.pose.backend import backend_names
from rehab_coach.session.live import SourceSpec


def _camera(text: str) -> int | str:
    """A device number, or a device path / stream URL."""
    return int(text) if text.isdigit() else text


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError("use WIDTHxHEIGHT, e.g. 1280x720") from None
    return width, height


def _positive(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "gui", help="the desktop coaching app (default)",
        description="Open the live coaching app. Without a source option it uses camera 0.",
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--camera", type=_camera, metavar="N", help="webcam number or device path (default 0)")
    source.add_argument("--video", type=Path, metavar="FILE", help="coach from a video file, paced at its frame rate")
    source.add_argument("--replay", type=Path, metavar="FILE.jsonl", help="replay a keypoint stream (demos, tests)")
    parser.add_argument("--exercise", metavar="ID", help="start straight into this exercise, skipping the picker")
    parser.add_argument("--backend", default="auto", choices=backend_names(), help="pose backend (default: auto)")
    parser.add_argument("--language", default="en", choices=["en", "zh"], help="language of instructions and cues")
    parser.add_argument("--loop", action="store_true", help="loop the video or replay")
    parser.add_argument("--speed", type=_positive, default=1.0, help="play files faster or slower (default 1.0)")
    parser.add_argument("--camera-size", type=_size, default=(1280, 720), metavar="WxH", help="requested webcam size")
    parser.add_argument("--camera-fps", type=_positive, default=30.0, help="requested webcam frame rate")
    parser.add_argument("--sets", type=int, help="override the exercise's number of sets")
    parser.add_argument("--reps", type=int, help="override the reps per set")
    parser.add_argument("--rest", type=float, metavar="SECONDS", help="override the rest between sets")
    parser.add_argument("--countdown", type=int, default=3, metavar="SECONDS", help="countdown before coaching starts")
    parser.add_argument("--mute", action="store_true", help="start with sound and speech muted")
    parser.add_argument("--fullscreen", action="store_true", help="start full screen")
    shots = parser.add_argument_group("screenshots (docs, demos)")
    shots.add_argument("--screenshots", type=Path, metavar="DIR", help="save live.png and summary.png, then quit")
    shots.add_argument("--screenshot-at", type=float, metavar="SECONDS", help="session time of live.png (default: the end)")
    parser.set_defaults(func=run)


def source_spec(args: argparse.Namespace) -> SourceSpec:
    for kind in ("video", "replay"):
        path = getattr(args, kind)
        if path is not None:
            if not path.is_file():
                raise InputError(f"{path}: no such file")
            return SourceSpec(kind, path, loop=args.loop, speed=args.speed)
    camera = args.camera if args.camera is not None else 0
    return SourceSpec("camera", camera, camera_size=args.camera_size, camera_fps=args.camera_fps)


def overrides(args: argparse.Namespace) -> dict[str, object]:
    chosen = {"dosage.sets": args.sets, "dosage.reps": args.reps, "dosage.rest_seconds": args.rest}
    return {key: value for key, value in chosen.items() if value is not None}


def run(args: argparse.Namespace) -> int:
    spec = source_spec(args)
    if args.exercise:
        load_template_by_id(args.exercise, overrides(args) or None)  # a typo fails here, not in an empty window
    from rehab_coach.ui.app import run as run_app
    from rehab_coach.ui.options import LaunchOptions

    options = LaunchOptions(
        source=spec, exercise=args.exercise, backend=args.backend, language=args.language, overrides=overrides(args),
        countdown=max(0, args.countdown), muted=args.mute, fullscreen=args.fullscreen,
        screenshots=args.screenshots, screenshot_at=args.screenshot_at,
    )
    return run_app(options)
