"""`rehab-coach bench`: frames read as the app reads them, and a row run on another provider than asked is said."""

from __future__ import annotations

from pathlib import Path

import pytest

from odd_videos import as_phone_stores_it, curl_frames
from recording_backend import RecordingBackend
from rehab_coach.cli import main
from rehab_coach.commands.bench import provider_fallback, read_frames


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


def test_bench_reads_frames_upright_and_at_their_times(tmp_path: Path, data_dir: Path) -> None:
    phone = as_phone_stores_it(tmp_path / "phone.mp4", curl_frames(data_dir, 4))
    frames, times, decode_ms = read_frames(phone, 6)  # the file again after its 4 frames
    assert [frame.shape for frame in frames] == [(720, 1280, 3)] * 6
    assert times == pytest.approx([i * 1001 / 30000 for i in range(6)], abs=2e-3)
    assert len(decode_ms) == 6 and all(ms >= 0 for ms in decode_ms)


def test_bench_times_the_upright_frames(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    backend = RecordingBackend()
    monkeypatch.setattr("rehab_coach.commands.bench.create_backend", lambda *args, **kwargs: backend)
    phone = as_phone_stores_it(tmp_path / "phone.mp4", curl_frames(data_dir, 3))
    assert main(["bench", str(phone), "--backend", "blazepose", "--frames", "3", "--warmup", "0"]) == 0
    assert "3 frames of phone.mp4 (1280x720)" in capsys.readouterr().out
    assert {shape for _, shape in backend.frames} == {(720, 1280, 3)}
