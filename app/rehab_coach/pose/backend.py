"""The pose backend interface and the registry that picks one by name.

Backends are imported lazily: choosing BlazePose never imports onnxruntime and
the reverse. `auto` takes the first available entry in `AUTO_ORDER`.
"""

from __future__ import annotations

import importlib
import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

import numpy as np

from rehab_coach.errors import BackendNotInstalled, BackendUnavailable
from rehab_coach.keypoints.types import PoseFrame

log = logging.getLogger(__name__)


class PoseBackend(ABC):
    """Turns a BGR frame into a `PoseFrame` in that frame's pixel coordinates."""

    name: str = ""
    fallback_note: str = ""  # set by `auto` when a preferred backend failed for a reason worth telling

    @property
    def description(self) -> str:
        """What actually runs, for reports and the UI (model, size, device)."""
        return self.name

    @property
    def full_description(self) -> str:
        """The description and, after an `auto` fallback, why the preferred backend is not running."""
        return f"{self.description} ({self.fallback_note})" if self.fallback_note else self.description

    @abstractmethod
    def infer(self, frame_bgr: np.ndarray, t: float) -> PoseFrame: ...

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release the model."""

    def __enter__(self) -> PoseBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True)
class BackendEntry:
    name: str
    module: str
    cls: str
    summary: str

    def load_class(self) -> type[PoseBackend]:
        return getattr(importlib.import_module(self.module), self.cls)


BACKENDS: dict[str, BackendEntry] = {
    entry.name: entry
    for entry in (
        BackendEntry(
            "yolo-nas-pose",
            "rehab_coach.pose.yolo_nas_onnx",
            "YoloNasPoseOnnx",
            "YOLO-NAS Pose (ONNX Runtime; needs an imported model)",
        ),
        BackendEntry(
            "yolo-nas-pose-torch",
            "rehab_coach.pose.yolo_nas_torch",
            "YoloNasPoseTorch",
            "YOLO-NAS Pose in PyTorch (needs the model-tools environment)",
        ),
        BackendEntry(
            "blazepose",
            "rehab_coach.pose.blazepose",
            "BlazePoseBackend",
            "BlazePose Full via mediapipe (bundled, works offline)",
        ),
    )
}
AUTO_ORDER = ("yolo-nas-pose", "blazepose")


def backend_names() -> list[str]:
    return ["auto", *BACKENDS]


def _entry(name: str) -> BackendEntry:
    try:
        return BACKENDS[name]
    except KeyError:
        raise BackendUnavailable(f"unknown backend {name!r}; choose one of: {', '.join(backend_names())}") from None


def create_backend(name: str = "auto", **options: Any) -> PoseBackend:
    """Create a backend by name; `auto` falls back along AUTO_ORDER and says why if none loads."""
    if name != "auto":
        entry = _entry(name)
        try:
            cls = entry.load_class()
        except ImportError as exc:
            raise BackendUnavailable(f"backend {name!r} cannot load: {exc}") from None
        return cls(**options)
    reasons, worth_telling = [], []
    for candidate in AUTO_ORDER:
        try:
            backend = create_backend(candidate, **options)
        except BackendNotInstalled as exc:
            reasons.append(str(exc))
            continue
        except BackendUnavailable as exc:
            reasons.append(str(exc))
            worth_telling.append(str(exc).splitlines()[0])
            continue
        if worth_telling:
            backend.fallback_note = "fallback: " + "; ".join(worth_telling)
            log.warning("pose backend %s instead: %s", backend.name, "; ".join(worth_telling))
        return backend
    raise BackendUnavailable("no pose backend could load:\n  " + "\n  ".join(reasons))


def add_backend_arguments(parser: Any) -> None:
    """The pose-model options every command that runs a model shares."""
    parser.add_argument("--backend", default="auto", choices=backend_names(), help="pose backend (default: auto)")
    parser.add_argument("--model", help="installed YOLO-NAS Pose model name (default: the latest imported)")
    parser.add_argument("--size", type=int, dest="input_size", help="YOLO-NAS Pose input size (default: per device)")
    parser.add_argument(
        "--provider", help="onnxruntime provider: tensorrt, cuda or cpu (default: the fastest available)"
    )
    parser.add_argument("--threads", type=int, help="onnxruntime CPU threads (default: one per core)")


def backend_options(args: Any) -> dict[str, Any]:
    """Options from `add_backend_arguments` that were given, for `create_backend(name, **options)`."""
    names = ("model", "input_size", "provider", "threads")
    return {name: getattr(args, name) for name in names if getattr(args, name, None) is not None}
