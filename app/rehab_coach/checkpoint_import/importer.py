"""`rehab-coach models import`: checkpoint -> ONNX (per size) -> parity check -> installed model.

    1. the tools worker (torch + super-gradients, its own venv) loads the checkpoint safely,
       checks it, exports one ONNX per size (preprocessing and NMS in the graph) and runs
       super-gradients' own predict on sample frames;
    2. here, onnxruntime runs each ONNX through the app's letterbox + decoder on the same
       frames and must agree with those torch predictions (parity.py);
    3. every file is hashed into manifest.json and the staging folder is renamed into place.
Any failure removes the staging folder: nothing is ever half-installed.
"""

from __future__ import annotations

import itertools
import json
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np

from rehab_coach.capture.video import VideoSource
from rehab_coach.checkpoint_import import licence
from rehab_coach.checkpoint_import.parity import SizeParity, Tolerance, best_first, compare, report
from rehab_coach.errors import InputError
from rehab_coach.keypoints.types import NUM_KEYPOINTS, KeyPoints
from rehab_coach.models import registry, tools_env
from rehab_coach.models.errors import CheckpointRejected, ModelError, ParityError
from rehab_coach.models.registry import FileEntry, Manifest, Thresholds
from rehab_coach.paths import assets_dir
from rehab_coach.pose.letterbox import DecodeThresholds, decode_flat

FAMILY = "yolo-nas-pose"
VARIANTS = ("n", "s", "m", "l")
DEFAULT_SIZES = (320, 416, 640)
PARITY_FRAMES = 3  # per orientation
_REPO_VIDEO = Path(__file__).resolve().parents[3] / "tests" / "data" / "lunge_single_cam01.mp4"

Progress = Callable[[str], None]


@dataclass(frozen=True)
class ImportOptions:
    checkpoint: Path
    variant: str
    sizes: tuple[int, ...] = DEFAULT_SIZES
    name: str | None = None
    accept_license: bool = False
    trust_checkpoint: bool = False
    replace: bool = False
    parity_video: Path | None = None
    thresholds: Thresholds = field(default_factory=Thresholds)
    tolerance: Tolerance = field(default_factory=Tolerance)

    @property
    def model_name(self) -> str:
        return self.name or f"{FAMILY}-{self.variant}"


def parse_sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = sorted({int(s) for s in text.split(",") if s.strip()})
    except ValueError:
        raise InputError(f"--sizes must be comma-separated integers, e.g. 320,416,640 (got {text!r})") from None
    bad = [s for s in sizes if s % 32 or not 160 <= s <= 1280]
    if not sizes or bad:
        raise InputError(f"input sizes must be multiples of 32 between 160 and 1280 (got {text!r})")
    return tuple(sizes)


# ---- sample frames for the parity check ------------------------------------------------


def _read_frames(video: Path, count: int) -> list[np.ndarray]:
    """`count` upright frames spread over the video (through `VideoSource`, as the app reads it);
    none from a file that cannot be decoded."""
    try:
        source = VideoSource(video)
    except InputError:
        return []
    total = source.frame_count
    wanted = {int(i) for i in np.linspace(0.1 * total, 0.9 * total, count)} if total > count else set(range(count))
    last = max(wanted, default=0)
    return [frame for index, (_, frame) in enumerate(itertools.islice(source, last + 1)) if index in wanted]


def _other_orientation(frame: np.ndarray) -> np.ndarray:
    """A centre crop of the other orientation (portrait <-> landscape), 16:9."""
    h, w = frame.shape[:2]
    if h >= w:
        ch = max(1, round(w * 9 / 16))
        return np.ascontiguousarray(frame[(h - ch) // 2 : (h - ch) // 2 + ch])
    cw = max(1, round(h * 9 / 16))
    return np.ascontiguousarray(frame[:, (w - cw) // 2 : (w - cw) // 2 + cw])


def _synthetic_frames() -> list[np.ndarray]:
    rng = np.random.default_rng(0)
    frames = []
    for h, w in ((1280, 720), (720, 1280)):
        img = cv2.GaussianBlur(rng.integers(0, 255, (h, w, 3), dtype=np.uint8), (0, 0), 9)
        cv2.ellipse(img, (w // 2, h // 2), (w // 8, h // 3), 0, 0, 360, (40, 80, 200), -1)
        frames.append(img)
    return frames


def sample_frames(video: Path | None) -> tuple[list[np.ndarray], str]:
    """Real frames in both orientations: the user's video, a bundled sample, or the test clip."""
    candidates = [video] if video else [*sorted((assets_dir() / "samples").glob("*.mp4")), _REPO_VIDEO]
    for path in candidates:
        if path and path.is_file():
            frames = _read_frames(path, PARITY_FRAMES)
            if frames:
                return frames + [
                    _other_orientation(f) for f in frames
                ], f"{path.name} ({len(frames)} frames and their {len(frames)} crops)"
            if video:
                raise InputError(f"{video}: no frames could be decoded for the parity check")
    if video:
        raise InputError(f"{video}: no such video")
    return _synthetic_frames(), "synthetic frames (no sample video found)"


# ---- the import ------------------------------------------------------------------------


def _worker_args(opts: ImportOptions, command: str) -> list[str]:
    args = [
        command,
        "--checkpoint",
        str(opts.checkpoint.resolve()),
        "--variant",
        opts.variant,
        *opts.thresholds.worker_args(),
    ]
    return args + (["--trust-checkpoint"] if opts.trust_checkpoint else [])


def _exchange_args(opts: ImportOptions, work: Path) -> list[str]:
    """Sizes, and the files in `work` through which frames, predictions and the result travel."""
    return [
        "--sizes",
        ",".join(map(str, opts.sizes)),
        "--frames",
        str(work / "frames.npz"),
        "--predictions",
        str(work / "pred.npz"),
        "--result",
        str(work / "result.json"),
    ]


def _run_worker(args: list[str], result_path: Path, progress: Progress | None) -> dict:
    run = tools_env.run_worker(args, progress)
    try:
        result = json.loads(result_path.read_text())
    except (OSError, ValueError):
        raise ModelError(
            f"the model-tools worker failed (exit {run.returncode}) without a result; its last output:\n{run.log_tail}"
        ) from None
    if not result.get("ok"):
        code, message = result.get("code", "internal"), result.get("message", "unknown error")
        if code == "internal":
            raise ModelError(f"the model-tools worker failed: {message}\n{run.log_tail}")
        raise CheckpointRejected(code, message)
    return result


def predict_with_torch(
    opts: ImportOptions, frames: list[np.ndarray], progress: Progress | None = None
) -> dict[str, np.ndarray]:
    """super-gradients' own predictions on `frames` at each size (keys 'SIZE/INDEX/poses|bboxes|scores')."""
    with tempfile.TemporaryDirectory(prefix="rehab-coach-predict-") as tmp:
        work = Path(tmp)
        np.savez(work / "frames.npz", **{f"frame_{i}": f for i, f in enumerate(frames)})
        _run_worker(_worker_args(opts, "predict") + _exchange_args(opts, work), work / "result.json", progress)
        with np.load(work / "pred.npz") as data:
            return {k: data[k] for k in data.files}


def torch_detections(predictions: dict[str, np.ndarray], size: int, index: int) -> KeyPoints:
    key = f"{size}/{index}"
    return best_first(
        KeyPoints.from_xyc(
            np.asarray(predictions[f"{key}/poses"], np.float64).reshape(-1, NUM_KEYPOINTS, 3),
            np.asarray(predictions[f"{key}/bboxes"], np.float64).reshape(-1, 4),
            np.asarray(predictions[f"{key}/scores"], np.float64).reshape(-1),
        )
    )


def check_parity(
    folder: Path,
    onnx: dict[str, str],
    frames: list[np.ndarray],
    predictions: dict[str, np.ndarray],
    opts: ImportOptions,
    frames_from: str,
) -> dict:
    from rehab_coach.pose.yolo_nas_onnx import OnnxPoseRunner

    everyone = DecodeThresholds(min_score=0.0, max_people=10_000)
    results = []
    for size in opts.sizes:
        runner = OnnxPoseRunner(folder / onnx[str(size)], size)
        result = SizeParity(size)
        for i, frame in enumerate(frames):
            raw, box = runner.run(frame)
            result.frames.append(
                compare(
                    torch_detections(predictions, size, i),
                    decode_flat(raw, box, everyone),
                    opts.tolerance,
                )
            )
        results.append(result)
    return report(results, opts.tolerance, frames_from)


def _source_info(opts: ImportOptions, source_format: str) -> dict:
    entry = FileEntry.of(opts.checkpoint)
    return {
        "file": opts.checkpoint.name,
        "path": str(opts.checkpoint.resolve()),
        "format": source_format,
        "trusted_unpickle": opts.trust_checkpoint,
        **asdict(entry),
    }


def import_checkpoint(opts: ImportOptions, progress: Progress | None = None) -> registry.InstalledModel:
    say = progress or (lambda _msg: None)
    if not opts.accept_license:
        raise ModelError("the YOLO-NAS Pose weights licence was not acknowledged (--accept-license)")
    if opts.variant not in VARIANTS:
        raise InputError(f"--variant must be one of {', '.join(VARIANTS)}")
    if not opts.checkpoint.is_file():
        raise CheckpointRejected("missing", f"{opts.checkpoint}: no such file")
    name = registry.check_name(opts.model_name)
    if (registry.models_dir() / name).exists() and not opts.replace:
        raise ModelError(
            f"a model named {name!r} is already installed: remove it first, pass --force, or choose --name"
        )
    tools_env.require_python()
    frames, frames_from = sample_frames(opts.parity_video)
    with registry.staging(name) as staged, tempfile.TemporaryDirectory(prefix="rehab-coach-import-") as tmp:
        work = Path(tmp)
        np.savez(work / "frames.npz", **{f"frame_{i}": f for i, f in enumerate(frames)})
        say(
            f"importing as YOLO-NAS Pose {opts.variant.upper()}, exporting at {', '.join(map(str, opts.sizes))} px (about 5-10 s per size)"
        )
        result = _run_worker(
            _worker_args(opts, "export") + ["--out", str(staged)] + _exchange_args(opts, work),
            work / "result.json",
            say,
        )
        with np.load(work / "pred.npz") as data:
            predictions = {k: data[k] for k in data.files}
        say(f"checking the ONNX models against PyTorch on {frames_from}")
        parity = check_parity(staged, result["onnx"], frames, predictions, opts, frames_from)
        if not parity["passed"]:
            raise ParityError(f"the exported ONNX does not reproduce the PyTorch model: {json.dumps(parity['sizes'])}")
        files = sorted(result["onnx"].values()) + [result["torch_weights"]]
        manifest = Manifest(
            name=name,
            family=FAMILY,
            variant=opts.variant,
            sizes=list(opts.sizes),
            onnx=result["onnx"],
            files=registry.hash_files(staged, files),
            source=_source_info(opts, result["source_format"]),
            thresholds=opts.thresholds,
            licence=licence.acknowledgement(),
            created=datetime.now(UTC).isoformat(timespec="seconds"),
            torch_weights=result["torch_weights"],
            parity=parity,
            tools=result.get("tools", {}),
        )
        registry.write_manifest(staged, manifest)
        return registry.commit(staged, name, replace=opts.replace)
