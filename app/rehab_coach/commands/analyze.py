"""`rehab-coach analyze VIDEO` and `rehab-coach replay KEYPOINTS.jsonl`: the engine, headless."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rehab_coach.capture.video import VideoSource
from rehab_coach.engine.templates import Template, TemplateFile, load_exercise
from rehab_coach.pose.backend import add_backend_arguments, backend_options, create_backend
from rehab_coach.session.analysis import analyze_stream, analyze_video
from rehab_coach.session.report import human_summary, write_json_atomic


def register(subparsers: argparse._SubParsersAction) -> None:
    analyze = subparsers.add_parser("analyze", help="analyse an exercise video and write a report")
    analyze.add_argument("video", type=Path)
    add_backend_arguments(analyze)
    _common(analyze)
    analyze.set_defaults(func=run_analyze)
    replay = subparsers.add_parser("replay", help="analyse a COCO-17 keypoint stream (.jsonl) without video")
    replay.add_argument("keypoints", type=Path)
    _common(replay)
    replay.set_defaults(func=run_replay)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--exercise", required=True, help="exercise id (see `rehab-coach exercises list`)")
    parser.add_argument("--json", type=Path, help="write the JSON report here")
    parser.add_argument("--language", default="en", choices=["en", "zh"], help="language of cue texts")


def _output(report: dict, json_path: Path | None) -> int:
    for warning in report.get("warnings", []):
        print(f"rehab-coach: warning: {warning}", file=sys.stderr)
    print(human_summary(report))
    if json_path:
        write_json_atomic(json_path, report)
        print(f"report written to {json_path}")
    return 0


def _template(exercise_id: str) -> tuple[Template, TemplateFile]:
    """The exercise's template; a user's file that replaces a built-in one is said before the run."""
    template, file = load_exercise(exercise_id)
    if file.replaces is not None:
        print(
            f"rehab-coach: note: exercise {exercise_id!r} uses your template {file.path} (sha256 {file.sha256[:12]}), "
            f"not the built-in {file.replaces}",
            file=sys.stderr,
        )
    return template, file


def run_analyze(args: argparse.Namespace) -> int:
    template, file = _template(args.exercise)
    video = VideoSource(args.video)  # checks the file before the model loads
    with create_backend(args.backend, **backend_options(args)) as backend:
        report = analyze_video(video, template, backend, args.language, file)
    return _output(report, args.json)


def run_replay(args: argparse.Namespace) -> int:
    template, file = _template(args.exercise)
    return _output(analyze_stream(args.keypoints, template, args.language, file), args.json)
