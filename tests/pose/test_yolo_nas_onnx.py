"""YOLO-NAS Pose's execution provider and input size: the best one this machine has, an override, the nearest installed size. Fast: no model."""

from __future__ import annotations

import pytest

from rehab_coach.errors import BackendUnavailable
from rehab_coach.pose.yolo_nas_onnx import CPU, CUDA, TENSORRT, choose_size, default_input_size, resolve_providers


def test_provider_auto_prefers_tensorrt_then_cuda_then_cpu() -> None:
    assert resolve_providers("auto", [CPU, CUDA, TENSORRT]) == [TENSORRT, CUDA, CPU]
    assert resolve_providers(None, [CUDA, CPU]) == [CUDA, CPU]
    assert resolve_providers("auto", ["AzureExecutionProvider", CPU]) == [CPU]


def test_provider_override_and_unavailable() -> None:
    assert resolve_providers("cpu", [TENSORRT, CUDA, CPU]) == [CPU]
    assert resolve_providers("cuda", [TENSORRT, CUDA, CPU]) == [CUDA, CPU]
    assert resolve_providers("tensorrt", [TENSORRT, CUDA, CPU]) == [TENSORRT, CUDA, CPU]
    with pytest.raises(BackendUnavailable, match="onnxruntime-gpu"):
        resolve_providers("cuda", [CPU])


def test_default_size_per_device() -> None:
    assert default_input_size(CUDA, cores=2) == 640
    assert default_input_size(TENSORRT, cores=64) == 640
    assert default_input_size(CPU, cores=2) == 320
    assert default_input_size(CPU, cores=8) == 416


def test_choose_size_nearest_installed_and_override() -> None:
    assert choose_size(None, CPU, [320, 416, 640], cores=2) == 320
    assert choose_size(None, CPU, [640], cores=2) == 640
    assert choose_size(None, CUDA, [320, 416], cores=2) == 416
    assert choose_size(640, CPU, [320, 640], cores=2) == 640
    with pytest.raises(BackendUnavailable, match="re-import"):
        choose_size(512, CPU, [320, 640])
