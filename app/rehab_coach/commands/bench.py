"""`rehab-coach bench VIDEO`: per-stage timings (decode, pose, engine) and the whole pipeline.

Frames are decoded once (timed per frame), then every (backend, input size, provider)
combination runs pose on the same frames, and the coaching engine on its output.
The pipeline time of a frame is decode + pose + engine for that frame. Reported: median
and 90th percentile ms per frame, and frames per second at the median.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from rehab_coach.capture.video import VideoSource
from rehab_coach.errors import BackendUnavailable, InputError, RehabCoachError
from rehab_coach.keypoints.types import PoseFrame
from rehab_coach.pose.backend import PoseBackend, backend_names, create_backend

SIZED_BACKENDS = ("auto", "yolo-nas-pose", "yolo-nas-pose-torch")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("bench", help="time decode, pose and engine per frame", description=__doc__)
    parser.add_argument("video_pos", nargs="?", type=Path, metavar="VIDEO", help="video file")
    parser.add_argument("--video", type=Path, help="video file (instead of the positional VIDEO)")
    parser.add_argument(
        "--backend", default="auto", help=f"comma-separated pose backends: {', '.join(backend_names())} (default: auto)"
    )
    parser.add_argument(
        "--sizes", default="", help="YOLO-NAS input sizes, e.g. 320,416,640 (default: the backend's choice)"
    )
    parser.add_argument(
        "--provider",
        default="auto",
        help="comma-separated onnxruntime providers (auto, cpu, cuda, tensorrt) or torch devices",
    )
    parser.add_argument("--frames", type=int, default=100, help="frames to time (default: 100)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed frames first (default: 3)")
    parser.add_argument("--model", help="installed YOLO-NAS Pose model name (default: the latest imported)")
    parser.add_argument("--threads", type=int, default=0, help="onnxruntime threads (default: 0 = one per core)")
    parser.add_argument("--exercise", default="squat", help="exercise template for the engine stage (default: squat)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    parser.set_defaults(func=run)


@dataclass(frozen=True)
class StageStats:
    median_ms: float
    p90_ms: float
    mean_ms: float

    @classmethod
    def of(cls, ms: list[float] | np.ndarray) -> StageStats:
        a = np.asarray(ms, dtype=np.float64)
        if a.size == 0:
            return cls(float("nan"), float("nan"), float("nan"))
        return cls(float(np.median(a)), float(np.percentile(a, 90)), float(a.mean()))

    def cell(self) -> str:
        return f"{self.median_ms:7.1f} / {self.p90_ms:7.1f}"


@dataclass(frozen=True)
class BenchRow:
    backend: str
    description: str
    size: int | None
    provider: str
    frames: int
    decode: StageStats
    pose: StageStats
    engine: StageStats | None
    pipeline: StageStats

    @property
    def fps(self) -> float:
        return 1000.0 / self.pipeline.median_ms if self.pipeline.median_ms > 0 else float("nan")


def read_frames(video: Path, count: int) -> tuple[list[np.ndarray], list[float], list[float]]:
    """Up to `count` upright frames, looping the file when it is shorter; their times; per-frame decode ms.

    Through `VideoSource`, as every command reads a video: a phone's sideways frames are timed as
    the app would see them (turned upright, at the container's times)."""
    frames: list[np.ndarray] = []
    times: list[float] = []
    decode_ms: list[float] = []
    decoded = iter(VideoSource(video, loop=True, max_frames=count))
    while True:
        start = time.perf_counter()
        item = next(decoded, None)
        if item is None:
            return frames, times, decode_ms
        decode_ms.append((time.perf_counter() - start) * 1000)
        times.append(item[0])
        frames.append(item[1])


def engine_factory(exercise: str) -> tuple[Callable[[], Any] | None, str]:
    """A fresh Coach per run, or None with the reason when the engine is not available."""
    try:
        from rehab_coach.engine.coach import Coach
        from rehab_coach.engine.templates import load_template_by_id

        template = load_template_by_id(exercise)
    except (ImportError, RehabCoachError, KeyError) as exc:
        return None, f"engine stage skipped ({type(exc).__name__}: {exc})"
    return (lambda: Coach(template)), f"engine: {exercise}"


def time_pose(
    backend: PoseBackend, frames: list[np.ndarray], times: list[float], warmup: int
) -> tuple[list[float], list[PoseFrame]]:
    for frame in frames[:warmup]:
        backend.infer(frame, 0.0)
    ms, results = [], []
    for frame, t in zip(frames, times, strict=True):
        start = time.perf_counter()
        results.append(backend.infer(frame, t))
        ms.append((time.perf_counter() - start) * 1000)
    return ms, results


def time_engine(make_coach: Callable[[], Any] | None, results: list[PoseFrame]) -> list[float] | None:
    if make_coach is None:
        return None
    coach = make_coach()
    ms = []
    for frame in results:
        start = time.perf_counter()
        coach.process(frame)
        ms.append((time.perf_counter() - start) * 1000)
    return ms


def bench_one(
    name: str,
    options: dict[str, Any],
    frames: list[np.ndarray],
    times: list[float],
    decode_ms: list[float],
    warmup: int,
    make_coach: Callable[[], Any] | None,
) -> BenchRow:
    with create_backend(name, **options) as backend:
        pose_ms, results = time_pose(backend, frames, times, warmup)
        description = backend.description
        provider = str(getattr(backend, "provider", "") or "-")
        size = getattr(backend, "input_size", None)
    engine_ms = time_engine(make_coach, results)
    total = np.asarray(decode_ms) + np.asarray(pose_ms) + (np.asarray(engine_ms) if engine_ms else 0.0)
    return BenchRow(
        backend=getattr(backend, "name", name),
        description=description,
        size=size,
        provider=provider,
        frames=len(frames),
        decode=StageStats.of(decode_ms),
        pose=StageStats.of(pose_ms),
        engine=StageStats.of(engine_ms) if engine_ms is not None else None,
        pipeline=StageStats.of(total),
    )


def _combinations(
    backends: list[str], sizes: list[int], providers: list[str], threads: int, model: str | None = None
) -> list[tuple[str, dict[str, Any]]]:
    combos = []
    for name in backends:
        for provider in providers:
            for size in sizes if name in SIZED_BACKENDS and sizes else [None]:
                options: dict[str, Any] = {"input_size": size, "threads": threads, "model": model}
                options["device" if name == "yolo-nas-pose-torch" else "provider"] = provider
                combos.append((name, options))
    return combos


def provider_fallback(requested: str | None, ran_on: str) -> str | None:
    """Why a row ran elsewhere than asked: onnxruntime quietly drops a GPU provider that cannot start
    (TensorRT without its libraries, say) and runs on the next one."""
    from rehab_coach.pose.yolo_nas_onnx import ALIASES, SHORT

    if requested in (None, "", "auto") or ran_on in ("", "-"):
        return None
    wanted = ALIASES.get(str(requested).lower(), str(requested))
    if wanted == ran_on:
        return None
    return f"asked for {requested}, but onnxruntime ran it on {SHORT.get(ran_on, ran_on)} ({requested} could not start)"


def _split(text: str) -> list[str]:
    return [s.strip() for s in text.split(",") if s.strip()]


def print_table(rows: list[BenchRow], notes: list[str]) -> None:
    print(
        f"{'backend':20} {'size':>5} {'provider':22} {'decode med/p90':>17} {'pose med/p90':>17} {'engine med/p90':>17} {'pipeline med/p90':>17} {'FPS':>6}"
    )
    for r in rows:
        engine = r.engine.cell() if r.engine else f"{'-':>17}"
        print(
            f"{r.backend:20} {r.size or '-':>5} {r.provider:22} {r.decode.cell():>17} {r.pose.cell():>17} {engine:>17} {r.pipeline.cell():>17} {r.fps:6.1f}"
        )
    for r in rows:
        print(f"  {r.backend} {r.size or ''}: {r.description}")
    for note in notes:
        print(f"  note: {note}")


def run(args: argparse.Namespace) -> int:
    video = args.video or args.video_pos
    if video is None:
        raise InputError("give a video: rehab-coach bench VIDEO (or --video PATH)")
    if not Path(video).is_file():
        raise InputError(f"{video}: no such video file")
    if args.frames < 1:
        raise InputError("--frames must be at least 1")
    try:
        sizes = [int(s) for s in _split(args.sizes)]
    except ValueError:
        raise InputError(f"--sizes must be comma-separated integers (got {args.sizes!r})") from None
    frames, times, decode_ms = read_frames(Path(video), args.frames)
    make_coach, engine_note = engine_factory(args.exercise)
    rows, notes = (
        [],
        [
            f"{len(frames)} frames of {Path(video).name} ({frames[0].shape[1]}x{frames[0].shape[0]}), ms per frame",
            engine_note,
        ],
    )
    for name, options in _combinations(_split(args.backend), sizes, _split(args.provider), args.threads, args.model):
        try:
            row = bench_one(name, options, frames, times, decode_ms, args.warmup, make_coach)
        except BackendUnavailable as exc:
            notes.append(
                f"{name} size={options.get('input_size')} {options.get('provider') or options.get('device')}: skipped ({exc})"
            )
            continue
        rows.append(row)
        if name != "yolo-nas-pose-torch" and (fallback := provider_fallback(options.get("provider"), row.provider)):
            notes.append(f"{name} {row.size or ''}: {fallback}")
    print_table(rows, notes)
    if args.json:
        args.json.write_text(
            json.dumps(
                {"video": str(video), "rows": [asdict(r) | {"fps": r.fps} for r in rows], "notes": notes}, indent=2
            )
        )
    if not rows:
        raise BackendUnavailable("no backend could be benchmarked:\n  " + "\n  ".join(notes[2:]))
    return 0
