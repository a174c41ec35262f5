"""End to end with the real model-tools environment (torch + super-gradients).

A randomly initialised YOLO-NAS Pose N is saved in the three checkpoint formats, imported
through `rehab-coach models import`, and the yolo-nas-pose backend is compared with the
torch model's own predictions (super-gradients' predict) on real frames.

Random weights: super-gradients initialises the classification heads to a constant prior,
which makes every anchor score ~0.0100 with differences of 1e-6, below the float noise
between torch and onnxruntime, so the NMS order would be arbitrary. The checkpoint
therefore re-draws the cls_pred weights and biases from N(0, 1) (seed 0): still random
weights, but with distinct scores. Tolerance: keypoints and boxes within 0.1 px of the
original frame, scores and keypoint confidences within 1e-3, every detection paired
(measured here: 5e-4 px and 2e-7).

Skipped when the tools environment is missing, except under CI (CI=true), where it fails.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from rehab_coach import cli
from rehab_coach.checkpoint_import.importer import (
    ImportOptions,
    _other_orientation,
    predict_with_torch,
    torch_detections,
)
from rehab_coach.checkpoint_import.parity import Tolerance, compare
from rehab_coach.models import registry, tools_env
from rehab_coach.pose.backend import create_backend
from rehab_coach.pose.yolo_nas_torch import TorchWorker

pytestmark = [pytest.mark.tools, pytest.mark.slow]

TOLERANCE = Tolerance(xy_px=0.1, score=1e-3, min_matched=1.0)
SIZES = (320, 416)

MAKE_CHECKPOINTS = r"""
import argparse, os, sys
import numpy as np, torch
from super_gradients.training import models

out = sys.argv[1]

def pose(variant, seed, keypoints=17):
    torch.manual_seed(seed)
    model = models.get(f"yolo_nas_pose_{variant}", num_classes=keypoints)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "cls_pred" in name:
                p.normal_(0.0, 1.0)
    return model.state_dict()

class Evil:
    def __reduce__(self):
        return (os.system, (f"touch {out}/PWNED",))

n = pose("n", 0)
torch.save(n, f"{out}/bare.pth")
torch.save({"net": n}, f"{out}/net.pth")
torch.save({"net": pose("n", 1), "ema_net": n, "epoch": 3, "acc": np.float64(0.25), "processing_params": {"conf": 0.5}}, f"{out}/trainer.pth")
torch.save({"net": n, "args": argparse.Namespace(lr=0.1)}, f"{out}/with_object.pth")
torch.save({"net": n, "hook": Evil()}, f"{out}/evil.pth")
torch.save(pose("s", 0), f"{out}/variant_s.pth")
torch.save(pose("n", 0, keypoints=20), f"{out}/keypoints20.pth")
torch.save(models.get("yolo_nas_s", num_classes=80).state_dict(), f"{out}/detection.pth")
torch.save([1, 2, 3], f"{out}/list.pth")
data = open(f"{out}/bare.pth", "rb").read()
open(f"{out}/truncated.pth", "wb").write(data[: len(data) // 2])
open(f"{out}/garbage.pth", "wb").write(os.urandom(4096))
torch.save(n, f"{out}/legacy.pth", _use_new_zipfile_serialization=False)
data = open(f"{out}/legacy.pth", "rb").read()
open(f"{out}/legacy_truncated.pth", "wb").write(data[: len(data) // 2])
"""


@pytest.fixture(scope="module")
def tools_ready() -> None:
    if not tools_env.is_ready():
        message = f"model-tools environment not set up at {tools_env.venv_dir()} (run packaging/setup_tools_env.sh)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def user_data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("user-data")
    old = os.environ.get("REHAB_COACH_DATA_DIR")
    os.environ["REHAB_COACH_DATA_DIR"] = str(path)
    yield path
    if old is None:
        os.environ.pop("REHAB_COACH_DATA_DIR", None)
    else:
        os.environ["REHAB_COACH_DATA_DIR"] = old


@pytest.fixture(autouse=True)
def user_data_dir(user_data: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This module's tests share one imported model, so their data folder is the module's, not a
    folder of each test's own (the root conftest's fixture of the same name)."""
    monkeypatch.setenv("REHAB_COACH_DATA_DIR", str(user_data))
    return user_data


@pytest.fixture(scope="module")
def ckpts(tools_ready: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("checkpoints")
    subprocess.run(
        [str(tools_env.venv_python()), "-c", MAKE_CHECKPOINTS, str(out)],
        env=tools_env.worker_env(),
        check=True,
        capture_output=True,
        timeout=600,
    )
    return out


@pytest.fixture(scope="module")
def frames(lunge_video: Path) -> list[np.ndarray]:
    """Two portrait frames of the real clip (1080x1920) and their landscape centre crops."""
    cap = cv2.VideoCapture(str(lunge_video))
    picked = []
    for index in range(60):
        ok, frame = cap.read()
        assert ok
        if index in (20, 55):
            picked.append(frame)
    cap.release()
    return picked + [_other_orientation(f) for f in picked]


def _import(ckpt: Path, *extra: str) -> int:
    return cli.main(["models", "import", str(ckpt), "--variant", "n", "--accept-license", *extra])


@pytest.fixture(scope="module")
def installed(user_data: Path, ckpts: Path, lunge_video: Path) -> registry.InstalledModel:
    assert _import(ckpts / "bare.pth", "--sizes", ",".join(map(str, SIZES)), "--parity-video", str(lunge_video)) == 0
    return registry.get_model("yolo-nas-pose-n")


def test_import_installs_a_verified_model(installed: registry.InstalledModel, ckpts: Path) -> None:
    mf = installed.manifest
    assert mf.sizes == list(SIZES) and mf.variant == "n" and mf.source["format"] == "bare state_dict"
    assert mf.source["sha256"] == registry.sha256_file(ckpts / "bare.pth")
    assert mf.parity["passed"] and mf.parity["frames_from"].startswith("lunge_single_cam01.mp4")
    for size in map(str, SIZES):
        summary = mf.parity["sizes"][size]
        assert summary["matched"] == summary["torch_detections"] == summary["onnx_detections"] > 0
        assert summary["max_xy_px"] <= TOLERANCE.xy_px
    assert registry.verify_model(installed) == []
    assert mf.tools["super_gradients"] == "3.7.1"


@pytest.mark.parametrize("size", SIZES)
def test_onnx_backend_matches_torch_predictions(
    installed: registry.InstalledModel, frames: list[np.ndarray], size: int
) -> None:
    """Shape, letterbox (portrait and landscape) and coordinate mapping against super-gradients' own predict."""
    opts = ImportOptions(checkpoint=installed.file("weights.pth"), variant="n", sizes=(size,), accept_license=True)
    torch_preds = predict_with_torch(opts, frames)
    with create_backend("yolo-nas-pose", input_size=size, provider="cpu", min_score=0.0, max_people=1000) as backend:
        for i, frame in enumerate(frames):
            result = backend.infer(frame, t=0.0)
            assert (result.width, result.height) == (frame.shape[1], frame.shape[0])
            ours = result.keypoints
            theirs = torch_detections(torch_preds, size, i)
            assert len(theirs) > 0, "random weights should still give detections above the 0.05 threshold"
            assert ours.xyc.shape == theirs.xyc.shape == (len(theirs), 17, 3)
            parity = compare(theirs, ours, TOLERANCE)
            assert parity.passes(TOLERANCE), f"frame {i} ({frame.shape[1]}x{frame.shape[0]}) at {size}: {parity}"


def test_torch_backend_matches_onnx_backend(installed: registry.InstalledModel, frames: list[np.ndarray]) -> None:
    options = dict(input_size=320, min_score=0.0, max_people=1000)
    with (
        create_backend("yolo-nas-pose-torch", device="cpu", **options) as torch_backend,
        create_backend("yolo-nas-pose", provider="cpu", **options) as onnx_backend,
    ):
        assert "PyTorch cpu" in torch_backend.description
        for frame in frames:
            a = torch_backend.infer(frame, 0.0).keypoints
            b = onnx_backend.infer(frame, 0.0).keypoints
            assert len(a) > 0 and compare(a, b, TOLERANCE).passes(TOLERANCE)


def test_torch_worker_answers_frames_without_detections(installed: registry.InstalledModel) -> None:
    worker = TorchWorker(
        ["--checkpoint", str(installed.file("weights.pth")), "--variant", "n", "--device", "cpu", "--conf", "0.9999"]
    )
    try:
        rows = worker.infer(np.full((1, 3, 320, 320), 127, np.uint8))
        assert rows.shape == (0, 57)
        assert worker.infer(np.zeros((1, 3, 160, 160), np.uint8)).shape[1] == 57  # another size on the same worker
    finally:
        worker.close()
    assert worker.proc.returncode == 0


def test_auto_picks_the_imported_model(installed: registry.InstalledModel) -> None:
    with create_backend("auto") as backend:
        assert backend.name == "yolo-nas-pose"
        assert backend.description.startswith("YOLO-NAS Pose N")


def _first_person(name: str, frame: np.ndarray) -> np.ndarray:
    with create_backend("yolo-nas-pose", model=name, input_size=320, provider="cpu", min_score=0.0) as backend:
        return backend.infer(frame, 0.0).people[0].keypoints


@pytest.mark.parametrize(
    ("file", "source_format"),
    [("net.pth", "trainer checkpoint (net)"), ("trainer.pth", "trainer checkpoint (ema_net)")],
)
def test_other_checkpoint_formats(
    installed: registry.InstalledModel, ckpts: Path, frames: list[np.ndarray], file: str, source_format: str
) -> None:
    name = f"fmt-{file.split('.')[0]}"
    assert _import(ckpts / file, "--sizes", "320", "--name", name) == 0
    assert registry.get_model(name).manifest.source["format"] == source_format
    # trainer.pth holds other random weights in "net": the ema_net ones (= bare.pth) must win.
    np.testing.assert_allclose(_first_person(name, frames[0]), _first_person(installed.name, frames[0]), atol=1e-4)


@pytest.mark.parametrize(
    ("file", "message"),
    [
        ("truncated.pth", "truncated or corrupt"),
        ("legacy_truncated.pth", "truncated or corrupt"),
        ("garbage.pth", "not a PyTorch checkpoint"),
        ("evil.pth", "holds Python objects besides weights (posix.system)"),
        ("with_object.pth", "--trust-checkpoint"),
        ("list.pth", "holds a list, not a state_dict"),
        ("detection.pth", "object-detection checkpoint (80 classes)"),
        ("keypoints20.pth", "predicts 20 keypoints"),
        ("variant_s.pth", "pass --variant s"),
    ],
)
def test_bad_checkpoints_are_rejected(
    user_data: Path, ckpts: Path, capsys: pytest.CaptureFixture[str], file: str, message: str
) -> None:
    before = sorted(p.name for p in (user_data / "models").iterdir()) if (user_data / "models").exists() else []
    assert _import(ckpts / file, "--sizes", "320", "--name", "bad") == 3
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    after = sorted(p.name for p in (user_data / "models").iterdir())
    assert after == before  # nothing installed, no staging left
    assert not (ckpts / "PWNED").exists()  # the malicious pickle never ran


def test_trusted_checkpoint_with_objects_imports(user_data: Path, ckpts: Path) -> None:
    assert _import(ckpts / "with_object.pth", "--sizes", "320", "--name", "trusted", "--trust-checkpoint") == 0
    assert registry.get_model("trusted").manifest.source["trusted_unpickle"] is True
