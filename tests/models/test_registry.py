"""Model registry, verification, atomic import and the yolo-nas-pose backend, without the tools env.

The model-tools worker is replaced by a fake that writes what the real one writes: tiny
ONNX graphs with the real model's interface (uint8 RGB [1, 3, S, S] in, flat [N, 57]
out, here a constant) and "torch predictions" for the parity check. Needs the `onnx`
package to build those graphs.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pytest

from rehab_coach import cli
from rehab_coach.checkpoint_import import importer
from rehab_coach.checkpoint_import.importer import ImportOptions, import_checkpoint
from rehab_coach.errors import BackendUnavailable
from rehab_coach.keypoints.types import NUM_KEYPOINTS
from rehab_coach.models import registry, tools_env
from rehab_coach.models.errors import CheckpointRejected, ModelError, ParityError
from rehab_coach.pose.backend import create_backend
from rehab_coach.pose.letterbox import FLAT_COLUMNS, Letterbox

onnx = pytest.importorskip("onnx", reason="the onnx package builds the fake models (pip install onnx)")
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

# Two people in model-input pixels: image index, box, score, 17 x (x, y, conf).
_KP = np.column_stack(
    [np.linspace(40, 200, NUM_KEYPOINTS), np.linspace(30, 280, NUM_KEYPOINTS), np.full(NUM_KEYPOINTS, 0.8)]
)
ROWS = np.stack(
    [
        np.concatenate([[0, 30, 20, 210, 290, 0.92], _KP.ravel()]),
        np.concatenate([[0, 5, 5, 50, 60, 0.40], (_KP * 0.2).ravel()]),
    ]
).astype(np.float32)


def write_fake_onnx(path: Path, size: int, rows: np.ndarray = ROWS) -> None:
    graph = helper.make_graph(
        [helper.make_node("Constant", [], ["output"], value=numpy_helper.from_array(rows.astype(np.float32), "rows"))],
        "fake_yolo_nas_pose",
        [helper.make_tensor_value_info("input", TensorProto.UINT8, [1, 3, size, size])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, [None, FLAT_COLUMNS])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 9
    onnx.save(model, str(path))


def torch_like_predictions(
    frames: list[np.ndarray], sizes: list[int], rows: np.ndarray = ROWS, shift: float = 0.0
) -> dict[str, np.ndarray]:
    """What the real torch model would say if it agreed with the fake ONNX: rows mapped back to each frame."""
    out = {}
    for size in sizes:
        for i, frame in enumerate(frames):
            box = Letterbox.fit(frame.shape[1], frame.shape[0], size)
            poses = rows[:, 6:].reshape(-1, NUM_KEYPOINTS, 3).astype(np.float64).copy()
            poses[:, :, :2] = box.to_frame(poses[:, :, :2]) + shift
            out[f"{size}/{i}/poses"] = poses
            out[f"{size}/{i}/bboxes"] = box.to_frame(rows[:, 1:5].reshape(-1, 2, 2)).reshape(-1, 4)
            out[f"{size}/{i}/scores"] = rows[:, 5].astype(np.float64)
    return out


class FakeWorker:
    """Stands in for tools_env.run_worker: parses the worker's arguments and writes its outputs."""

    def __init__(self, mode: str = "ok", shift: float = 0.0) -> None:
        self.mode, self.shift, self.calls = mode, shift, 0

    def __call__(self, args: list[str], progress=None, timeout=None) -> tools_env.WorkerRun:
        self.calls += 1
        opt = {
            args[i][2:]: args[i + 1]
            for i in range(1, len(args) - 1)
            if args[i].startswith("--") and not args[i + 1].startswith("--")
        }
        out, result = Path(opt["out"]), Path(opt["result"])
        sizes = [int(s) for s in opt["sizes"].split(",")]
        write_fake_onnx(out / f"yolo_nas_pose_{opt['variant']}_{sizes[0]}.onnx", sizes[0])
        if self.mode == "crash":  # dies half-way: one file written, no result
            return tools_env.WorkerRun(1, "Traceback ... Killed")
        if self.mode == "reject":
            result.write_text(
                json.dumps(
                    {"ok": False, "code": "detection", "message": "this is a YOLO-NAS object-detection checkpoint"}
                )
            )
            return tools_env.WorkerRun(3, "")
        for size in sizes[1:]:
            write_fake_onnx(out / f"yolo_nas_pose_{opt['variant']}_{size}.onnx", size)
        (out / "weights.pth").write_bytes(b"fake weights")
        with np.load(opt["frames"]) as data:
            frames = [data[f"frame_{i}"] for i in range(len(data.files))]
        np.savez(opt["predictions"], **torch_like_predictions(frames, sizes, shift=self.shift))
        onnx_files = {str(s): f"yolo_nas_pose_{opt['variant']}_{s}.onnx" for s in sizes}
        result.write_text(
            json.dumps(
                {
                    "ok": True,
                    "source_format": "bare state_dict",
                    "onnx": onnx_files,
                    "torch_weights": "weights.pth",
                    "tools": {"torch": "fake"},
                }
            )
        )
        return tools_env.WorkerRun(0, "")


@pytest.fixture
def fake_worker(monkeypatch: pytest.MonkeyPatch) -> FakeWorker:
    worker = FakeWorker()
    monkeypatch.setattr(tools_env, "run_worker", worker)
    monkeypatch.setattr(tools_env, "require_python", lambda: Path("/fake/python"))
    return worker


@pytest.fixture
def checkpoint(tmp_path: Path) -> Path:
    path = tmp_path / "my_model.pth"
    path.write_bytes(b"PK\x03\x04 not really a checkpoint, the fake worker does not read it")
    return path


def _import(checkpoint: Path, **kw) -> registry.InstalledModel:
    opts = dict(checkpoint=checkpoint, variant="n", sizes=(320, 416), accept_license=True)
    return import_checkpoint(ImportOptions(**(opts | kw)))


def _entries(user_data_dir: Path) -> list[str]:
    root = user_data_dir / "models"
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


# ---- install, manifest, list ---------------------------------------------------------


def test_import_installs_with_manifest(user_data_dir: Path, fake_worker: FakeWorker, checkpoint: Path) -> None:
    model = _import(checkpoint)
    assert _entries(user_data_dir) == ["yolo-nas-pose-n"]  # no staging left behind
    mf = registry.read_manifest(model.path)
    assert (mf.family, mf.variant, mf.sizes) == ("yolo-nas-pose", "n", [320, 416])
    assert set(mf.files) == {"yolo_nas_pose_n_320.onnx", "yolo_nas_pose_n_416.onnx", "weights.pth"}
    assert mf.files["weights.pth"].sha256 == registry.sha256_file(model.path / "weights.pth")
    assert mf.source["sha256"] == registry.sha256_file(checkpoint) and mf.source["bytes"] == checkpoint.stat().st_size
    assert mf.licence["accepted"] is True and "accepted_at" in mf.licence
    assert mf.thresholds.confidence == registry.Thresholds().confidence
    assert (
        mf.parity["passed"]
        and mf.parity["sizes"]["320"]["matched"] == mf.parity["sizes"]["320"]["torch_detections"] > 0
    )
    assert mf.created and registry.verify_model(model) == []
    assert [m.name for m in registry.list_models("yolo-nas-pose")] == ["yolo-nas-pose-n"]


def test_cli_import_list_verify_remove(
    user_data_dir: Path, fake_worker: FakeWorker, checkpoint: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        cli.main(
            [
                "models",
                "import",
                str(checkpoint),
                "--variant",
                "s",
                "--sizes",
                "320",
                "--name",
                "mine",
                "--accept-license",
            ]
        )
        == 0
    )
    assert "installed mine" in capsys.readouterr().out
    assert cli.main(["models", "list"]) == 0
    assert "mine" in capsys.readouterr().out
    assert cli.main(["models", "verify"]) == 0
    assert "mine: OK" in capsys.readouterr().out
    assert cli.main(["models", "remove", "mine"]) == 0
    assert _entries(user_data_dir) == []
    assert cli.main(["models", "remove", "mine"]) == ModelError.exit_code
    assert "no model named" in capsys.readouterr().err


def test_import_without_licence_prints_summary_and_installs_nothing(
    user_data_dir: Path, fake_worker: FakeWorker, checkpoint: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["models", "import", str(checkpoint), "--variant", "n"]) == 1
    out = capsys.readouterr().out
    assert "non-exclusive, revocable" in out and "--accept-license" in out and "production" in out
    assert fake_worker.calls == 0 and _entries(user_data_dir) == []


def test_existing_name_needs_force(user_data_dir: Path, fake_worker: FakeWorker, checkpoint: Path) -> None:
    first = _import(checkpoint)
    with pytest.raises(ModelError, match="already installed"):
        _import(checkpoint)
    second = _import(checkpoint, replace=True, sizes=(640,))
    assert second.path == first.path and registry.read_manifest(second.path).sizes == [640]
    assert _entries(user_data_dir) == ["yolo-nas-pose-n"]


def test_bad_arguments(user_data_dir: Path, fake_worker: FakeWorker, checkpoint: Path, tmp_path: Path) -> None:
    with pytest.raises(CheckpointRejected, match="no such file"):
        _import(tmp_path / "missing.pth")
    with pytest.raises(ModelError, match="invalid model name"):
        _import(checkpoint, name="../escape")
    with pytest.raises(Exception, match="multiples of 32"):
        importer.parse_sizes("320,500")
    assert importer.parse_sizes("640, 320,320") == (320, 640)
    with pytest.raises(SystemExit):  # argparse reports it as a usage error, no traceback
        cli.main(["models", "import", str(checkpoint), "--variant", "n", "--sizes", "300"])
    assert fake_worker.calls == 0


# ---- atomic install ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "error", "match"),
    [("crash", ModelError, "without a result"), ("reject", CheckpointRejected, "object-detection")],
)
def test_failed_import_leaves_nothing(
    user_data_dir: Path, monkeypatch: pytest.MonkeyPatch, checkpoint: Path, mode: str, error: type, match: str
) -> None:
    monkeypatch.setattr(tools_env, "run_worker", FakeWorker(mode))
    monkeypatch.setattr(tools_env, "require_python", lambda: Path("/fake/python"))
    with pytest.raises(error, match=match):
        _import(checkpoint)
    assert _entries(user_data_dir) == []


def test_parity_failure_leaves_nothing(user_data_dir: Path, monkeypatch: pytest.MonkeyPatch, checkpoint: Path) -> None:
    monkeypatch.setattr(tools_env, "run_worker", FakeWorker(shift=2.0))  # torch disagrees by 2 px
    monkeypatch.setattr(tools_env, "require_python", lambda: Path("/fake/python"))
    with pytest.raises(ParityError, match="does not reproduce"):
        _import(checkpoint)
    assert _entries(user_data_dir) == []


def test_failed_replace_keeps_the_old_model(
    user_data_dir: Path, monkeypatch: pytest.MonkeyPatch, fake_worker: FakeWorker, checkpoint: Path
) -> None:
    old = _import(checkpoint)
    before = registry.read_manifest(old.path).files
    monkeypatch.setattr(tools_env, "run_worker", FakeWorker("crash"))
    with pytest.raises(ModelError):
        _import(checkpoint, replace=True)
    assert _entries(user_data_dir) == ["yolo-nas-pose-n"] and registry.read_manifest(old.path).files == before


def test_missing_tools_env_is_explained(
    user_data_dir: Path, monkeypatch: pytest.MonkeyPatch, checkpoint: Path, tmp_path: Path
) -> None:
    monkeypatch.setenv(tools_env.ENV_VAR, str(tmp_path / "no-venv"))
    with pytest.raises(Exception, match="models setup-tools"):
        _import(checkpoint)
    assert _entries(user_data_dir) == []


# ---- verify ----------------------------------------------------------------------------


def test_verify_detects_flipped_byte_truncation_missing_and_extra(
    user_data_dir: Path, fake_worker: FakeWorker, checkpoint: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = _import(checkpoint)
    onnx_320 = model.path / "yolo_nas_pose_n_320.onnx"
    data = bytearray(onnx_320.read_bytes())
    data[len(data) // 2] ^= 0x01
    onnx_320.write_bytes(bytes(data))
    onnx_416 = model.path / "yolo_nas_pose_n_416.onnx"
    onnx_416.write_bytes(onnx_416.read_bytes()[:-10])
    (model.path / "weights.pth").unlink()
    (model.path / "stray.bin").write_bytes(b"x")
    problems = {p.file: p.problem for p in registry.verify_model(model)}
    assert "sha256 differs" in problems["yolo_nas_pose_n_320.onnx"]
    assert problems["yolo_nas_pose_n_416.onnx"].startswith("truncated")
    assert problems["weights.pth"] == "missing" and "not listed" in problems["stray.bin"]
    assert cli.main(["models", "verify"]) == ModelError.exit_code
    captured = capsys.readouterr()
    assert "FAILED" in captured.out and "failed verification" in captured.err


def test_broken_manifest_is_listed_and_removable(
    user_data_dir: Path, fake_worker: FakeWorker, checkpoint: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = _import(checkpoint)
    (model.path / "manifest.json").write_text("{not json")
    assert cli.main(["models", "list"]) == 0
    assert "BROKEN" in capsys.readouterr().out
    assert cli.main(["models", "verify"]) == ModelError.exit_code
    assert cli.main(["models", "remove", model.name]) == 0 and _entries(user_data_dir) == []


# ---- the yolo-nas-pose backend on the fake model ---------------------------------------------


@pytest.mark.parametrize(("height", "width"), [(1920, 1080), (720, 1280)])
def test_backend_maps_model_pixels_to_frame(
    user_data_dir: Path, fake_worker: FakeWorker, checkpoint: Path, height: int, width: int
) -> None:
    _import(checkpoint)
    with create_backend("yolo-nas-pose", input_size=416, provider="cpu", min_score=0.5, warmup=1) as backend:
        frame = backend.infer(np.zeros((height, width, 3), np.uint8), t=1.5)
        assert backend.provider == "CPUExecutionProvider" and backend.input_size == 416
        assert "YOLO-NAS Pose N 416px" in backend.description and "CPU" in backend.description
    assert (frame.t, frame.width, frame.height) == (1.5, width, height)
    assert len(frame.people) == 1  # the 0.40 person is below min_score
    scale = 416 / max(height, width)
    np.testing.assert_allclose(frame.people[0].xy, _KP[:, :2] / scale, rtol=1e-5)
    np.testing.assert_allclose(frame.people[0].bbox, np.array([30, 20, 210, 290]) / scale, rtol=1e-5)


def test_backend_default_size_and_unknown_options(
    user_data_dir: Path, fake_worker: FakeWorker, checkpoint: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _import(checkpoint, sizes=(320, 416, 640))
    monkeypatch.setattr("rehab_coach.pose.yolo_nas_onnx.cpu_count", lambda: 2)
    with create_backend("yolo-nas-pose", some_future_option=True) as backend:
        assert backend.input_size == 320
    monkeypatch.setattr("rehab_coach.pose.yolo_nas_onnx.cpu_count", lambda: 8)
    with create_backend("yolo-nas-pose") as backend:
        assert backend.input_size == 416


def test_auto_prefers_installed_yolo_and_falls_back(
    user_data_dir: Path, fake_worker: FakeWorker, checkpoint: Path
) -> None:
    with create_backend("auto") as backend:
        assert backend.name != "yolo-nas-pose"  # nothing installed yet: BlazePose
    _import(checkpoint)
    with create_backend("auto") as backend:
        assert backend.name == "yolo-nas-pose" and "YOLO-NAS Pose" in backend.description


def test_backend_refuses_tampered_or_missing_model(
    user_data_dir: Path, fake_worker: FakeWorker, checkpoint: Path
) -> None:
    with pytest.raises(BackendUnavailable, match="no yolo-nas-pose model is installed"):
        create_backend("yolo-nas-pose")
    model = _import(checkpoint)
    path = model.path / "yolo_nas_pose_n_320.onnx"
    path.write_bytes(path.read_bytes()[:-1] + b"!")
    with pytest.raises(BackendUnavailable, match="damaged"):
        create_backend("yolo-nas-pose", input_size=320)
    with pytest.raises(BackendUnavailable, match="not 640"):
        create_backend("yolo-nas-pose", input_size=640)


def test_bench_reports_yolo_rows(
    user_data_dir: Path,
    fake_worker: FakeWorker,
    checkpoint: Path,
    lunge_video: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _import(checkpoint)
    code = cli.main(
        [
            "bench",
            str(lunge_video),
            "--backend",
            "yolo-nas-pose",
            "--sizes",
            "320,416,640",
            "--frames",
            "5",
            "--warmup",
            "1",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "decode med/p90" in out and "pose med/p90" in out and "pipeline med/p90" in out
    rows = [line for line in out.splitlines() if line.startswith("yolo-nas-pose ")]
    assert [r.split()[1] for r in rows] == ["320", "416"] and all("CPUExecutionProvider" in r for r in rows)
    assert "640" in out and "skipped" in out  # not exported: a note, not a failure


def test_setup_tools_parser_is_registered() -> None:
    parser = cli.build_parser()
    args = parser.parse_args(["models", "setup-tools", "--force"])
    assert isinstance(args, argparse.Namespace) and args.force and args.func.__name__ == "run_setup"


def test_leftovers_of_a_killed_import_are_swept(user_data_dir: Path, fake_worker: FakeWorker, checkpoint: Path) -> None:
    import os
    import time

    root = user_data_dir / "models"
    root.mkdir(parents=True)
    old, fresh = root / ".staging-yolo-nas-pose-n-dead0000", root / ".trash-x-00000000"
    for path in (old, fresh):
        path.mkdir()
        (path / "half.onnx").write_bytes(b"x")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    _import(checkpoint)
    assert _entries(user_data_dir) == [".trash-x-00000000", "yolo-nas-pose-n"]  # the recent one may still be in use
    assert [m.name for m in registry.list_models()] == ["yolo-nas-pose-n"]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda m: m["files"]["weights.pth"].pop("sha256"), "files.weights.pth.sha256: Field required"),
        (
            lambda m: m.update(sizes=["large"]),
            "sizes.0: Input should be a valid integer, unable to parse string as an integer",
        ),
        (lambda m: m.update(colour="red"), "colour: Unexpected keyword argument"),
        (lambda m: m.update(version=2), "not a rehab-coach-model v1 manifest"),
    ],
)
def test_a_bad_manifest_names_the_file_and_the_field(
    user_data_dir: Path,
    fake_worker: FakeWorker,
    checkpoint: Path,
    change,
    problem: str,  # type: ignore[no-untyped-def]
) -> None:
    model = _import(checkpoint)
    path = model.path / "manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ModelError) as caught:
        registry.read_manifest(model.path)
    assert str(caught.value) == f"{path}: unreadable manifest ({problem})"
    _, broken = registry.scan()
    assert [b.problem for b in broken] == [str(caught.value)]


def test_manifest_reads_back_what_the_import_wrote(
    user_data_dir: Path, fake_worker: FakeWorker, checkpoint: Path
) -> None:
    model = _import(checkpoint)
    written = json.loads((model.path / "manifest.json").read_text(encoding="utf-8"))
    again = registry.read_manifest(model.path)
    assert again == model.manifest and again.to_json() == written
    assert isinstance(again.thresholds, registry.Thresholds) and isinstance(
        again.files["weights.pth"], registry.FileEntry
    )
