"""`rehab-coach evaluate MANIFEST.json`: how well the app counts on footage whose reps a person counted."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rehab_coach.engine.reps import DEFAULT_PARAMS, CountingParams
from rehab_coach.errors import InputError
from rehab_coach.evaluation.keypoint_cache import cached_stream
from rehab_coach.evaluation.loso import candidate_params, leave_one_source_out
from rehab_coach.evaluation.manifest import load_manifest
from rehab_coach.evaluation.runner import evaluate_clip
from rehab_coach.evaluation.scoring import (
    ClipResult,
    format_loso,
    format_table,
    format_thinned,
    summarise,
    summarise_thinned,
)
from rehab_coach.evaluation.thinning import Thinning
from rehab_coach.keypoints.stream import KeypointStream
from rehab_coach.keypoints.types import PoseFrame
from rehab_coach.paths import cache_dir
from rehab_coach.pose.backend import PoseBackend, add_backend_arguments, backend_options, create_backend
from rehab_coach.session.report import write_json_atomic

EVERY_FRAME = Thinning()


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
    slow = parser.add_argument_group(
        "a slow computer",
        "count again on thinned keypoint streams (same timestamps, fewer frames), beside the full rate",
    )
    slow.add_argument("--fps", type=float, nargs="+", default=[], metavar="F", help="at most F frames a second")
    slow.add_argument("--every", type=int, nargs="+", default=[], metavar="N", help="every N-th frame only")
    slow.add_argument("--drop", type=float, nargs="+", default=[], metavar="P", help="each frame lost with chance P")
    slow.add_argument("--seed", type=int, default=0, help="random seed for --drop (default 0)")
    parser.add_argument(
        "--loso",
        action="store_true",
        help="also score leave-one-source-out: for each source repository, the counting parameters are chosen "
        "on the other sources' clips only",
    )
    add_backend_arguments(parser)
    parser.set_defaults(func=run)


def thinnings(args: argparse.Namespace) -> list[Thinning]:
    try:
        return [
            *(Thinning(fps=f) for f in args.fps),
            *(Thinning(every=n) for n in args.every),
            *(Thinning(drop=p, seed=args.seed) for p in args.drop),
        ]
    except ValueError as exc:
        raise InputError(f"evaluate: {exc}") from None


def _frames(path: Path, backend: PoseBackend, cache: Path) -> list[PoseFrame]:
    """A clip may be a video (its keypoints are cached) or a keypoint stream (.jsonl)."""
    return list(KeypointStream(path) if path.suffix == ".jsonl" else cached_stream(path, backend, cache))


def _load(args: argparse.Namespace, videos: list[Path]) -> tuple[list[list[PoseFrame]], str]:
    if all(v.suffix == ".jsonl" for v in videos):  # keypoint streams already: no model to load
        return [list(KeypointStream(v)) for v in videos], "keypoint streams"
    cache = args.cache or cache_dir() / "keypoints"
    with create_backend(args.backend, **backend_options(args)) as backend:
        return [_frames(v, backend, cache) for v in videos], backend.description


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
    slow = thinnings(args)
    streams, description = _load(args, videos)

    def count(way: Thinning = EVERY_FRAME, counting: CountingParams = DEFAULT_PARAMS) -> list[ClipResult]:
        return [evaluate_clip(c, way.apply(f), args.angles_3d, counting) for c, f in zip(clips, streams, strict=True)]

    results = count()
    summary: dict[str, Any] = {"backend": description, **summarise(results)}
    print(f"pose backend: {description}\n")
    print(format_table(summary))
    if slow:
        thinned = {way.label: count(way) for way in slow}
        summary["thinned"] = summarise_thinned(results, thinned)
        print("\n" + format_thinned(summary["thinned"]))
    if args.loso:
        runs = [(p, results if p == DEFAULT_PARAMS else count(counting=p)) for p in candidate_params()]
        summary["leave_one_source_out"] = leave_one_source_out(runs).summary()
        print("\n" + format_loso(summary["leave_one_source_out"], summary["totals"]["app"]))
    if args.json:
        write_json_atomic(args.json, summary)
        print(f"\nresults written to {args.json}")
    return 0
