"""YOLO-NAS Pose on onnxruntime: an imported model (`rehab-coach models import`), NMS in the graph.

Options (all optional; unknown ones are ignored):
  model        installed model name (default: the most recently imported YOLO-NAS Pose model)
  input_size   model input size; must be one the model was exported at (alias: size).
               Default: 640 on TensorRT/CUDA, 416 on a CPU with more than 2 cores, else 320
               (the nearest exported size when that one is missing)
  provider     auto (TensorRT > CUDA > CPU, whichever this onnxruntime has), tensorrt, cuda, cpu
  threads      onnxruntime intra-op threads (0: onnxruntime's default, one per core)
  min_score    people below this detection score are dropped (default 0.25)
  max_people   keep at most this many people, best first (default 10)
  warmup       inference runs on a blank frame before the first real one (default 2)
  fp16         TensorRT only: build the engine in fp16 (default True)
  spin         let onnxruntime's worker threads busy-wait between runs (default False: on a
               loaded 2-core machine spinning made N at 320 px 1.6x slower, 64 -> 106 ms median)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from rehab_coach.errors import BackendNotInstalled, BackendUnavailable, RehabCoachError
from rehab_coach.keypoints.types import Person, PoseFrame
from rehab_coach.pose.backend import PoseBackend
from rehab_coach.pose.letterbox import FLAT_COLUMNS, DecodeThresholds, Letterbox, decode_flat, to_model_input

FAMILY = "yolo-nas-pose"
TENSORRT = "TensorrtExecutionProvider"
CUDA = "CUDAExecutionProvider"
CPU = "CPUExecutionProvider"
PREFERENCE = (TENSORRT, CUDA, CPU)
GPU_PROVIDERS = frozenset({TENSORRT, CUDA})
ALIASES = {"tensorrt": TENSORRT, "trt": TENSORRT, "cuda": CUDA, "gpu": CUDA, "cpu": CPU}
SHORT = {TENSORRT: "TensorRT", CUDA: "CUDA", CPU: "CPU"}


def _ort() -> Any:
    try:
        import onnxruntime
    except ImportError as exc:
        raise BackendUnavailable(f"YOLO-NAS Pose needs onnxruntime ({exc})") from None
    return onnxruntime


def available_providers() -> list[str]:
    return list(_ort().get_available_providers())


def resolve_providers(requested: str | None, available: list[str]) -> list[str]:
    """The provider chain to ask onnxruntime for, best first, always ending with the CPU."""
    if requested in (None, "", "auto"):
        return [p for p in PREFERENCE if p in available] or [CPU]
    name = ALIASES.get(str(requested).lower(), str(requested))
    if name not in available:
        raise BackendUnavailable(
            f"execution provider {requested!r} is not available in this onnxruntime (available: {', '.join(available)}); "
            "CUDA and TensorRT need the onnxruntime-gpu package and the NVIDIA libraries"
        )
    chain = [name] + ([CUDA] if name == TENSORRT and CUDA in available else [])
    return chain + ([CPU] if name != CPU else [])


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_input_size(provider: str, cores: int | None = None) -> int:
    if provider in GPU_PROVIDERS:
        return 640
    return 320 if (cores if cores is not None else cpu_count()) <= 2 else 416


def choose_size(requested: int | None, provider: str, sizes: list[int], cores: int | None = None) -> int:
    if requested:
        if int(requested) not in sizes:
            raise BackendUnavailable(
                f"the model was exported at {', '.join(map(str, sizes))} px, not {requested}; re-import with --sizes to add it"
            )
        return int(requested)
    if not sizes:
        raise BackendUnavailable("the model lists no exported sizes")
    want = default_input_size(provider, cores)
    return min(sizes, key=lambda s: (abs(s - want), s))


def _provider_options(name: str, fp16: bool) -> dict[str, str]:
    if name == TENSORRT:
        from rehab_coach.paths import cache_dir

        engines = cache_dir() / "tensorrt"
        engines.mkdir(parents=True, exist_ok=True)
        return {
            "trt_engine_cache_enable": "True",
            "trt_engine_cache_path": str(engines),
            "trt_fp16_enable": str(bool(fp16)),
        }
    return {}


@dataclass(frozen=True)
class RunnerConfig:
    providers: tuple[str, ...] = (CPU,)
    threads: int = 0
    fp16: bool = True
    spin: bool = False


class OnnxPoseRunner:
    """One exported graph: BGR frame in, raw flat output and the letterbox out."""

    def __init__(self, path: Path, size: int, config: RunnerConfig = RunnerConfig()) -> None:
        ort = _ort()
        options = ort.SessionOptions()
        options.intra_op_num_threads = max(0, int(config.threads))
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.add_session_config_entry("session.intra_op.allow_spinning", "1" if config.spin else "0")
        providers = [(p, _provider_options(p, config.fp16)) for p in config.providers]
        try:
            self.session = ort.InferenceSession(str(path), sess_options=options, providers=providers)
        except Exception as exc:
            raise BackendUnavailable(
                f"{path}: onnxruntime cannot load the model ({type(exc).__name__}: {exc})"
            ) from None
        self.size = size
        self._check_io()
        self.input_name = self.session.get_inputs()[0].name

    def _check_io(self) -> None:
        inp, out = self.session.get_inputs(), self.session.get_outputs()
        if len(inp) != 1 or inp[0].type != "tensor(uint8)" or list(inp[0].shape)[1:] != [3, self.size, self.size]:
            raise BackendUnavailable(
                f"unexpected model input {[(i.name, i.type, i.shape) for i in inp]}; expected uint8 [1, 3, {self.size}, {self.size}]"
            )
        if len(out) != 1 or out[0].shape[-1] != FLAT_COLUMNS:
            raise BackendUnavailable(
                f"unexpected model output {[(o.name, o.shape) for o in out]}; expected the flat [N, {FLAT_COLUMNS}] layout"
            )

    @property
    def provider(self) -> str:
        return self.session.get_providers()[0]

    def run(self, frame_bgr: np.ndarray) -> tuple[np.ndarray, Letterbox]:
        nchw, box = to_model_input(frame_bgr, self.size)
        return self.session.run(None, {self.input_name: nchw})[0], box


def as_bgr(frame: np.ndarray) -> np.ndarray:
    if frame.ndim == 2:
        return cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
    if frame.shape[2] == 4:
        return cv2.cvtColor(frame, cv2.COLOR_BGRA2BGR)
    return frame


class YoloNasPoseOnnx(PoseBackend):
    name = FAMILY

    def __init__(self, **options: Any) -> None:
        from rehab_coach.models.registry import pick_model, scan, verify_file

        try:
            self.model = pick_model(FAMILY, options.get("model"))
        except RehabCoachError as exc:
            good, broken = scan()
            if broken:  # a model folder that cannot be read is a model that failed its check: say which
                unreadable = "; ".join(f"{b.path.name}: {b.problem}" for b in broken)
                raise BackendUnavailable(f"YOLO-NAS Pose: installed model cannot be read ({unreadable})") from None
            never_installed = not options.get("model") and not any(m.manifest.family == FAMILY for m in good)
            raise (BackendNotInstalled if never_installed else BackendUnavailable)(f"YOLO-NAS Pose: {exc}") from None
        manifest = self.model.manifest
        chain = resolve_providers(options.get("provider"), available_providers())
        self.input_size = choose_size(options.get("input_size") or options.get("size"), chain[0], manifest.sizes)
        filename = manifest.onnx_file(self.input_size)
        if options.get("verify", True) and (
            problem := verify_file(self.model.file(filename), manifest.files[filename])
        ):
            raise BackendUnavailable(
                f"YOLO-NAS Pose model {manifest.name!r} is damaged ({problem}); run `rehab-coach models verify` and re-import it"
            )
        config = RunnerConfig(
            tuple(chain),
            int(options.get("threads") or 0),
            bool(options.get("fp16", True)),
            bool(options.get("spin", False)),
        )
        self.runner = OnnxPoseRunner(self.model.file(filename), self.input_size, config)
        self.thresholds = DecodeThresholds(float(options.get("min_score", 0.25)), int(options.get("max_people", 10)))
        self._warm_up(int(options.get("warmup", 2)))

    def _warm_up(self, runs: int) -> None:
        blank = np.full((self.input_size, self.input_size, 3), 127, np.uint8)
        for _ in range(max(0, runs)):
            self.runner.run(blank)

    @property
    def provider(self) -> str:
        return self.runner.provider

    @property
    def description(self) -> str:
        manifest = self.model.manifest
        return f"YOLO-NAS Pose {manifest.variant.upper()} {self.input_size}px, onnxruntime {SHORT.get(self.provider, self.provider)} (model {manifest.name})"

    def detect(self, frame_bgr: np.ndarray) -> list[Person]:
        raw, box = self.runner.run(as_bgr(frame_bgr))
        return decode_flat(raw, box, self.thresholds)

    def infer(self, frame_bgr: np.ndarray, t: float) -> PoseFrame:
        height, width = frame_bgr.shape[:2]
        return PoseFrame(t=t, people=self.detect(frame_bgr), width=width, height=height)

    def close(self) -> None:
        self.runner = None  # type: ignore[assignment]
