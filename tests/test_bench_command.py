"""`rehab-coach bench` says when onnxruntime ran a row on another provider than the one asked for."""

from __future__ import annotations

import pytest

from rehab_coach.commands.bench import provider_fallback


@pytest.mark.parametrize(
    ("requested", "ran_on", "expected"),
    [
        ("tensorrt", "TensorrtExecutionProvider", None),
        ("cuda", "CUDAExecutionProvider", None),
        ("cpu", "CPUExecutionProvider", None),
        ("auto", "CPUExecutionProvider", None),  # auto takes whatever is there
        (None, "CPUExecutionProvider", None),
        ("cpu", "-", None),  # BlazePose has no onnxruntime provider
        (
            "tensorrt",
            "CUDAExecutionProvider",
            "asked for tensorrt, but onnxruntime ran it on CUDA (tensorrt could not start)",
        ),
        ("trt", "CPUExecutionProvider", "asked for trt, but onnxruntime ran it on CPU (trt could not start)"),
        ("gpu", "CPUExecutionProvider", "asked for gpu, but onnxruntime ran it on CPU (gpu could not start)"),
    ],
)
def test_provider_fallback(requested: str | None, ran_on: str, expected: str | None) -> None:
    assert provider_fallback(requested, ran_on) == expected
