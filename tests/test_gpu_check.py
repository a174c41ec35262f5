"""scripts/gpu_check.sh here, without a GPU: the one-line exit, its arguments, its report, and a CPU rehearsal.

The GPU steps themselves need an NVIDIA machine; `--allow-cpu` runs every other step (checkpoints,
imports, benchmarks, the live window under Xvfb, the report) on the CPU with the real components.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "gpu_check.sh"


def _load_module():
    spec = importlib.util.spec_from_file_location("gpu_check", ROOT / "scripts" / "gpu_check.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gpu_check = _load_module()


def _run(*args: str, path_prefix: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if path_prefix is not None:
        env["PATH"] = f"{path_prefix}{os.pathsep}{env['PATH']}"
    return subprocess.run(
        ["bash", str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=timeout, cwd=ROOT
    )


@pytest.fixture
def failing_nvidia_smi(tmp_path: Path) -> Path:
    """An nvidia-smi that finds no device, as on a machine with the tools but no GPU (or no driver)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    tool = bin_dir / "nvidia-smi"
    tool.write_text(
        "#!/bin/sh\necho 'NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.'\nexit 9\n"
    )
    tool.chmod(0o755)
    return bin_dir


def test_without_nvidia_smi_it_says_so_in_one_line_and_exits_0(tmp_path: Path) -> None:
    if shutil.which("nvidia-smi"):
        pytest.skip("this machine has nvidia-smi")
    out = tmp_path / "results"
    proc = _run("--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("\n") == 1 and proc.stderr == ""
    assert "no NVIDIA GPU" in proc.stdout and "not installed" in proc.stdout
    assert not out.exists()  # nothing set up, nothing written


def test_with_nvidia_smi_but_no_device_it_says_so_in_one_line(tmp_path: Path, failing_nvidia_smi: Path) -> None:
    proc = _run("--out", str(tmp_path / "results"), path_prefix=failing_nvidia_smi)
    assert proc.returncode == 0
    assert proc.stdout.splitlines() == [proc.stdout.strip()] and "finds no device" in proc.stdout
    assert not (tmp_path / "results").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--frames", "0"], "--frames must be a positive whole number"),
        (["--frames", "ten"], "--frames must be a positive whole number"),
        (["--sizes", "320,300"], "300 is not a multiple of 32"),
        (["--sizes", "320;416"], "--sizes must be comma-separated"),
        (["--live-seconds", "0"], "--live-seconds must be a positive number"),
        (["--live-seconds", "-5"], "--live-seconds must be a positive number"),
        (["--budget", "1.5"], "--budget must be a positive whole number"),
        (["--out"], "--out needs a value"),
        (["--gpu"], "unknown argument '--gpu'"),
        (["--python", "/usr/bin/python3"], "--python only goes with --allow-cpu"),
    ],
)
def test_bad_arguments_exit_2_before_anything_runs(args: list[str], message: str, failing_nvidia_smi: Path) -> None:
    proc = _run(*args, path_prefix=failing_nvidia_smi)
    assert proc.returncode == 2
    assert message in proc.stderr and "--help" in proc.stderr
    assert proc.stdout == ""


def test_help_lists_the_options() -> None:
    proc = _run("--help")
    assert proc.returncode == 0
    for option in ("--out", "--frames", "--sizes", "--live-seconds", "--budget", "--allow-cpu", "Exit codes"):
        assert option in proc.stdout


def test_allow_cpu_python_must_exist(tmp_path: Path, failing_nvidia_smi: Path) -> None:
    proc = _run(
        "--allow-cpu",
        "--python",
        str(tmp_path / "missing-python"),
        "--out",
        str(tmp_path / "r"),
        path_prefix=failing_nvidia_smi,
    )
    assert proc.returncode == 2 and "--python: no Python at" in proc.stderr
    assert not (tmp_path / "r").exists()  # refused before anything was set up


# ---- the measuring half's arguments and report ---------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["--sizes", "300"],
        ["--providers", "rocm"],
        ["--frames", "-1"],
        ["--live-seconds", "nan"],
        ["--torch-device", "mps"],
    ],
)
def test_measuring_script_rejects_bad_arguments(args: list[str], tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gpu_check.py"), "--out", str(tmp_path), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2 and "error:" in proc.stderr


def _row(model: str, provider: str, size: int, pose: float, backend: str = "yolo-nas-pose") -> dict:
    stats = {"median_ms": pose, "p90_ms": pose * 1.2, "mean_ms": pose}
    return {
        "model": model,
        "requested": provider,
        "backend": backend,
        "size": size,
        "provider": provider,
        "pose": stats,
        "engine": {"median_ms": 0.3, "p90_ms": 0.4, "mean_ms": 0.3},
        "pipeline": {**stats, "median_ms": pose + 5},
        "fps": 1000 / (pose + 5),
    }


def test_report_table_parity_and_targets() -> None:
    results = {
        "gpu": "NVIDIA H200, 580.1",
        "started": "2026-11-29 21:00:00",
        "steps": {"bench-s-tensorrt": {"seconds": 1, "outcome": "failed (exit 1): boom"}},
        "skipped": ["torch: 3 s left, needs about 15 s"],
        "environment": {
            "onnxruntime": "1.32.0",
            "onnxruntime_providers": ["TensorrtExecutionProvider", "CPUExecutionProvider"],
        },
        "bench": [
            _row("gpu-check-n", "tensorrt", 640, 2.1),
            _row("gpu-check-n", "cuda", 640, 3.9),
            _row("gpu-check-n", "cpu", 640, 80.0),
            _row("gpu-check-n", "cuda", 640, 9.0, "yolo-nas-pose-torch"),
        ],
        "parity": {
            "gpu-check-n": {
                "tensorrt": {"640": {"passed": True, "max_xy_px": 0.4}},
                "tensorrt-fp16": {"640": {"passed": False, "max_xy_px": 7.5}},
                "cuda": {"640": {"passed": False, "error": "provider missing"}},
            }
        },
        "live": {
            "gpu-check-n": {
                "backend": "YOLO-NAS Pose N 640px",
                "display": "Xvfb",
                "perf": {
                    "pose_ms_mean": 2.5,
                    "latency_ms_mean": 9.0,
                    "latency_ms_p50": 8.0,
                    "latency_ms_p95": 14.0,
                    "fps": 59.8,
                    "frames_painted": 1190,
                    "frames_dropped": 3,
                },
            }
        },
    }
    targets = gpu_check.check_targets(results)
    assert targets["pose_ms_n640"] == {"value": 2.1, "provider": "tensorrt", "target": 5.0, "met": True}
    assert targets["pipeline_over_pose_ms"]["value"] == 5.5 and not targets["pipeline_over_pose_ms"]["met"]
    # With the per-stage budget of the live window, the target uses the per-frame medians instead.
    stages = {
        "capture": {"median": 0.1},
        "pose": {"median": 2.4},
        "engine": {"median": 0.3},
        "hand_off": {"median": 1.2},
        "paint": {"median": 0.9},
        "total": {"median": 5.0},
    }
    results["live"]["gpu-check-n"]["stages"] = stages
    targets = gpu_check.check_targets(results)
    assert targets["pipeline_over_pose_ms"]["value"] == 2.6 and targets["pipeline_over_pose_ms"]["met"]
    assert targets["capture_to_paint_median_ms"]["met"]
    results["targets"] = targets
    table = gpu_check.markdown(results)
    lines = table.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| model |"))
    rows = [line for line in lines[header + 2 :] if line.startswith("|")]
    assert len(rows) == 5  # four benchmark rows and the live window
    assert "pass (0.4 px), fp16 FAIL (7.5 px)" in rows[0]
    assert "not run (provider missing)" in rows[1] and "reference" in rows[2] and rows[3].endswith("| - |")
    assert "8.0 median, 14.0 p95" in rows[4] and "3 of 1193 frames skipped" in rows[4]
    assert "- target pipeline_over_pose_ms: 2.6 (target 3.0): met" in lines
    assert (
        "- live window gpu-check-n, latency budget (median ms): capture 0.1, pose 2.4, engine 0.3, hand-off 1.2, "
        "paint 0.9, total 5.0"
    ) in lines
    assert any("bench-s-tensorrt: failed" in line for line in lines)
    assert any(line.startswith("- skipped torch") for line in lines)


def test_targets_are_absent_when_nothing_was_measured() -> None:
    assert (
        gpu_check.check_targets(
            {"gpu": "NVIDIA H200, 580.1", "bench": [_row("gpu-check-n", "cpu", 640, 80.0)], "live": {}}
        )
        == {}
    )


def test_targets_are_not_checked_on_a_cpu_rehearsal() -> None:
    live = {"gpu-check-n": {"perf": {"pose_ms_mean": 25.0, "latency_ms_p50": 31.0}}}
    assert (
        gpu_check.check_targets({"gpu": "none", "bench": [_row("gpu-check-n", "cpu", 640, 80.0)], "live": live}) == {}
    )


# ---- the whole run on the CPU ---------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.tools
def test_cpu_rehearsal_runs_every_step_and_writes_table_and_json(tmp_path: Path, failing_nvidia_smi: Path) -> None:
    from rehab_coach.models import tools_env

    if not tools_env.is_ready():
        message = f"model-tools environment not set up at {tools_env.venv_dir()}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    if not shutil.which("xvfb-run"):
        pytest.skip("xvfb-run is not installed")
    out = tmp_path / "results"
    proc = _run(
        "--allow-cpu",
        "--python",
        sys.executable,
        "--out",
        str(out),
        "--frames",
        "5",
        "--sizes",
        "320",
        "--live-seconds",
        "3",
        "--budget",
        "400",
        path_prefix=failing_nvidia_smi,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    results = json.loads((out / "gpu-check.json").read_text())
    rows = {(r["model"], r["backend"], r["requested"]) for r in results["bench"]}
    assert rows == {
        ("gpu-check-n", "yolo-nas-pose", "cpu"),
        ("gpu-check-s", "yolo-nas-pose", "cpu"),
        ("gpu-check-n", "yolo-nas-pose-torch", "cpu"),
    }
    assert all(r["frames"] == 5 and r["size"] == 320 and r["pose"]["median_ms"] > 0 for r in results["bench"])
    live = results["live"]["gpu-check-n"]
    assert live["display"] == "Xvfb" and live["perf"]["frames_painted"] > 10 and live["perf"]["latency_ms_p95"] > 0
    assert "YOLO-NAS Pose N 320px" in live["backend"]
    assert all(step["outcome"] == "ok" for step in results["steps"].values())
    table = (out / "gpu-check.md").read_text()
    assert table.count("| N | yolo-nas-pose | 320 | cpu") == 1 and "live window: gpu-check-n" in table

    # The parity check's own path, CPU against CPU on the imported model (the GPU run compares CUDA and TensorRT).
    parity = tmp_path / "parity.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "gpu_check.py"),
            "--out",
            str(parity),
            "--parity",
            "gpu-check-n",
            "--providers",
            "cpu",
            "--sizes",
            "320",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "REHAB_COACH_DATA_DIR": str(out / "data")},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    entry = json.loads(parity.read_text())["cpu"]["320"]
    assert entry["passed"] and entry["frames"] == 6 and entry["cpu_detections"] == entry["matched"] > 6
    assert entry["max_xy_px"] == 0.0 and entry["ran_on"] == "CPUExecutionProvider"
