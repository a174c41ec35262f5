"""`rehab-coach evaluate MANIFEST.json`: how well the app counts on footage whose reps a person counted."""

from __future__ import annotations

import argparse
from pathlib import Path

from rehab_coach.errors import InputError
from rehab_coach.evaluation.keypoint_cache import cached_stream
from rehab_coach.evaluation.manifest import load_manifest
from rehab_coach.evaluation.runner import evaluate_clip
from rehab_coach.evaluation.scoring import format_table, summarise
from rehab_coach.keypoints.stream import KeypointStream
from rehab_coach.paths import cache_dir
from rehab_coach.pose.backend import PoseBackend, add_backend_arguments, backend_options, create_backend
from rehab_coach.session.report import write_json_atomic


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "evaluate",
        help="count reps on clips whose reps were counted by eye, and score the app against them",
        description="Runs the pose model and the engine over every clip of a manifest and compares the app's "
        "count, and a naive one-angle counter's, with the counts in the manifest. Keypoints are cached, so "
        "later runs only re-run the engine.",
    )
    parser.add_argument(
        "manifest",
        type=Path,
        help="JSON list of clips: file (a video or a .jsonl keypoint stream), exercise, reps, partial_reps, view, faults",
    )
    parser.add_argument("--videos", type=Path, help="folder the clip files are in (default: the manifest's folder)")
    parser.add_argument("--cache", type=Path, help="keypoint cache folder (default: the user cache folder)")
    parser.add_argument("--json", type=Path, help="write the per-clip results and totals here")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="evaluate only clips whose file name contains NAME")
    parser.add_argument("--angles-3d", action="store_true", help="measure joint angles from the backend's 3D points")
    add_backend_arguments(parser)
    parser.set_defaults(func=run)


def _frames(path: Path, backend: PoseBackend, cache: Path) -> KeypointStream:
    """A clip may be a video (its keypoints are cached) or a keypoint stream (.jsonl)."""
    return KeypointStream(path) if path.suffix == ".jsonl" else cached_stream(path, backend, cache)


def run(args: argparse.Namespace) -> int:
    clips = load_manifest(args.manifest)
    if args.only:
        clips = [c for c in clips if any(name in c.file for name in args.only)]
        if not clips:
            raise InputError(f"{args.manifest}: no clip matches {' '.join(args.only)}")
    videos = [c.video_path(args.manifest.parent, args.videos) for c in clips]
    missing = [str(v) for v in videos if not v.is_file()]
    if missing:
        raise InputError("clip files not found: " + ", ".join(missing))
    cache = args.cache or cache_dir() / "keypoints"
    if all(v.suffix == ".jsonl" for v in videos):  # keypoint streams already: no model to load
        results = [evaluate_clip(c, KeypointStream(v), args.angles_3d) for c, v in zip(clips, videos, strict=True)]
        description = "keypoint streams"
    else:
        with create_backend(args.backend, **backend_options(args)) as backend:
            results = [
                evaluate_clip(c, _frames(v, backend, cache), args.angles_3d) for c, v in zip(clips, videos, strict=True)
            ]
            description = backend.description
    summary = {"backend": description, **summarise(results)}
    print(f"pose backend: {description}\n")
    print(format_table(summary))
    if args.json:
        write_json_atomic(args.json, summary)
        print(f"\nresults written to {args.json}")
    return 0
