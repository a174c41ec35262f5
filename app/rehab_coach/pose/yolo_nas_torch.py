"""YOLO-NAS Pose in PyTorch (super-gradients), for users with the model-tools environment.

The model runs in a `tools_worker.py serve` subprocess with the tools environment's
Python (torch and super-gradients never enter the app process). The app letterboxes
each frame exactly as for the ONNX backend, sends the uint8 RGB tensor over a pipe and
decodes the flat [N, 57] answer with the same decoder, so both backends return the same
`PoseFrame`. CUDA is used when torch sees a GPU.

Options (unknown ones are ignored):
  model       installed model name (default: the most recently imported YOLO-NAS Pose model)
  input_size  any multiple of 32 (alias: size); default 640 on CUDA, else 416 / 320 (<= 2 cores)
  device      auto (CUDA when available), cuda, cuda:N or cpu
  min_score, max_people   as for yolo-nas-pose
  warmup      inference runs on a blank frame before the first real one (default 1)
"""

from __future__ import annotations

import json
import struct
import subprocess
from typing import Any

import numpy as np

from rehab_coach.errors import BackendUnavailable, RehabCoachError
from rehab_coach.keypoints.types import Person, PoseFrame
from rehab_coach.pose.backend import PoseBackend
from rehab_coach.pose.letterbox import FLAT_COLUMNS, DecodeThresholds, decode_flat, to_model_input
from rehab_coach.pose.yolo_nas_onnx import FAMILY, as_bgr, cpu_count

SERVE_MAGIC = b"RCP1"


def default_torch_size(device: str, cores: int | None = None) -> int:
    if device.startswith("cuda"):
        return 640
    return 320 if (cores if cores is not None else cpu_count()) <= 2 else 416


class TorchWorker:
    """The `serve` subprocess and its pipe protocol (see tools_worker.cmd_serve)."""

    def __init__(self, args: list[str]) -> None:
        from rehab_coach.models import tools_env
        from rehab_coach.paths import cache_dir

        self.log_path = cache_dir() / "torch-worker.log"
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                tools_env.worker_command("serve", *args),
                env=tools_env.worker_env(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
            )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        try:
            self.hello: dict[str, Any] = json.loads(line)
        except ValueError:
            self.close()
            raise BackendUnavailable(
                f"the PyTorch worker did not start; see {self.log_path} (try `rehab-coach models setup-tools --force`)"
            ) from None
        if not self.hello.get("ok"):
            self.close()
            raise BackendUnavailable(f"the PyTorch worker refused the model: {self.hello.get('message')}")

    def _read(self, count: int) -> bytes:
        assert self.proc.stdout is not None
        data = self.proc.stdout.read(count)
        if len(data) != count:
            try:
                code = self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                code = None
            raise BackendUnavailable(f"the PyTorch worker stopped (exit {code}); see {self.log_path}")
        return data

    def infer(self, nchw: np.ndarray) -> np.ndarray:
        assert self.proc.stdin is not None
        size = nchw.shape[-1]
        try:
            self.proc.stdin.write(
                SERVE_MAGIC + struct.pack("<I", size) + np.ascontiguousarray(nchw, np.uint8).tobytes()
            )
            self.proc.stdin.flush()
        except BrokenPipeError:
            raise BackendUnavailable(f"the PyTorch worker stopped (exit {self.proc.poll()})") from None
        rows = struct.unpack("<I", self._read(4))[0]
        return np.frombuffer(self._read(4 * FLAT_COLUMNS * rows), dtype="<f4").reshape(rows, FLAT_COLUMNS)

    def close(self) -> None:
        if self.proc.poll() is None:
            if self.proc.stdin:
                self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()


class YoloNasPoseTorch(PoseBackend):
    name = "yolo-nas-pose-torch"

    def __init__(self, **options: Any) -> None:
        from rehab_coach.models import registry, tools_env

        try:
            tools_env.require_python()
            self.model = registry.pick_model(FAMILY, options.get("model"))
        except RehabCoachError as exc:
            raise BackendUnavailable(f"YOLO-NAS Pose (PyTorch): {exc}") from None
        manifest = self.model.manifest
        if not manifest.torch_weights:
            raise BackendUnavailable(f"model {manifest.name!r} has no PyTorch weights; re-import it")
        weights = self.model.file(manifest.torch_weights)
        if problem := registry.verify_file(weights, manifest.files[manifest.torch_weights]):
            raise BackendUnavailable(f"YOLO-NAS Pose model {manifest.name!r} is damaged ({problem}); re-import it")
        t = manifest.thresholds
        device = str(options.get("device") or "auto")
        self.worker = TorchWorker(
            ["--checkpoint", str(weights), "--variant", manifest.variant, "--device", device, *t.worker_args()]
        )
        self.device = str(self.worker.hello.get("device", "?"))
        requested = options.get("input_size") or options.get("size")
        if requested and (int(requested) % 32 or int(requested) < 160):
            self.close()
            raise BackendUnavailable(f"input_size must be a multiple of 32, at least 160 (got {requested})")
        self.input_size = int(requested) if requested else default_torch_size(self.device)
        self.thresholds = DecodeThresholds(float(options.get("min_score", 0.25)), int(options.get("max_people", 10)))
        for _ in range(max(0, int(options.get("warmup", 1)))):
            self.worker.infer(np.full((1, 3, self.input_size, self.input_size), 127, np.uint8))

    @property
    def provider(self) -> str:
        return f"torch {self.device}"

    @property
    def description(self) -> str:
        variant = self.model.manifest.variant.upper()
        return f"YOLO-NAS Pose {variant} {self.input_size}px, PyTorch {self.device} (model {self.model.manifest.name})"

    def detect(self, frame_bgr: np.ndarray) -> list[Person]:
        nchw, box = to_model_input(as_bgr(frame_bgr), self.input_size)
        return decode_flat(self.worker.infer(nchw), box, self.thresholds)

    def infer(self, frame_bgr: np.ndarray, t: float) -> PoseFrame:
        height, width = frame_bgr.shape[:2]
        return PoseFrame(t=t, people=self.detect(frame_bgr), width=width, height=height)

    def close(self) -> None:
        worker = getattr(self, "worker", None)
        if worker is not None:
            worker.close()
            self.worker = None  # type: ignore[assignment]
