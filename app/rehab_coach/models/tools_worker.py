"""Model-tools worker: runs with the tools environment's Python (torch + super-gradients).

The app never imports torch or super-gradients itself; it starts this file as a
subprocess. Standalone on purpose: stdlib, numpy, torch and super-gradients only.

    tools_worker.py export  --checkpoint F --variant n --sizes 320,640 --out DIR --frames F.npz --result R.json [...]
    tools_worker.py predict --checkpoint F --variant n --sizes 320 --frames F.npz --predictions P.npz --result R.json
    tools_worker.py serve   --checkpoint F --variant n [--device auto|cpu|cuda]

export/predict write a JSON result ({"ok": true, ...} or {"ok": false, "code", "message"});
exit status 0 on success, 3 when the checkpoint was rejected, 1 on an internal failure.
serve speaks a binary protocol on stdin/stdout (see `serve`).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import pickle
import re
import struct
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

VARIANTS = ("n", "s", "m", "l")
NUM_KEYPOINTS = 17
FLAT_COLUMNS = 6 + 3 * NUM_KEYPOINTS
REJECTED_EXIT = 3
SERVE_MAGIC = b"RCP1"
_HEAD_KEY = re.compile(r"^heads\.head(\d+)\.(cls_pred|pose_pred|reg_pred)\.weight$")
_GLOBAL = re.compile(r"GLOBAL ([\w.]+)")


class CheckpointError(Exception):
    """The checkpoint cannot be used; `code` is stable for the app and tests."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def say(message: str) -> None:
    print(f"rehab-coach-worker: {message}", file=sys.stderr, flush=True)


# ---- loading a checkpoint safely ------------------------------------------------------


def _numpy_safe_globals() -> list[Any]:
    """numpy scalars and dtypes: plain data often found in trainer checkpoints (metrics)."""
    core = getattr(np, "_core", None) or np.core
    scalar = core.multiarray.scalar
    items: list[Any] = [np.dtype, (scalar, "numpy.core.multiarray.scalar"), (scalar, "numpy._core.multiarray.scalar")]
    dtypes = getattr(np, "dtypes", None)
    if dtypes is not None:
        items += [getattr(dtypes, n) for n in dir(dtypes) if n.endswith("DType")]
    return items


# Declared sizes are checked before anything is unpacked: torch.load reads the whole pickle
# into memory, so a 2 MB file declaring a 2 GB data.pkl would cost gigabytes before failing.
# YOLO-NAS Pose L with its EMA and optimiser state is well under 1 GiB; its pickle a few MB.
MAX_CHECKPOINT_BYTES = 4 << 30
MAX_PICKLE_BYTES = 64 << 20
MAX_COMPRESSION_RATIO = 20  # torch stores tensors uncompressed; a weight file is barely compressible


def _check_declared_sizes(path: Path, zf: zipfile.ZipFile) -> None:
    total = 0
    for info in zf.infolist():
        total += info.file_size
        if info.filename.endswith(".pkl") and info.file_size > MAX_PICKLE_BYTES:
            raise CheckpointError(
                "corrupt",
                f"{path}: refused: {info.filename} declares {info.file_size / 2**20:.0f} MiB "
                f"of pickle (a checkpoint needs under {MAX_PICKLE_BYTES >> 20} MiB)",
            )
        if info.file_size > (1 << 20) and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            raise CheckpointError(
                "corrupt",
                f"{path}: refused: {info.filename} unpacks {info.file_size / 2**20:.0f} MiB "
                f"from {info.compress_size / 2**20:.1f} MiB (a zip bomb, not weights)",
            )
    if total > MAX_CHECKPOINT_BYTES:
        raise CheckpointError(
            "corrupt",
            f"{path}: refused: the checkpoint declares {total / 2**30:.1f} GiB "
            f"(more than {MAX_CHECKPOINT_BYTES >> 30} GiB)",
        )


def _check_container(path: Path) -> None:
    if not path.is_file():
        raise CheckpointError("missing", f"{path}: no such file")
    size = path.stat().st_size
    if size == 0:
        raise CheckpointError("corrupt", f"{path}: the file is empty")
    if size > MAX_CHECKPOINT_BYTES:
        raise CheckpointError(
            "corrupt",
            f"{path}: refused: {size / 2**30:.1f} GiB is more than a checkpoint ({MAX_CHECKPOINT_BYTES >> 30} GiB)",
        )
    with open(path, "rb") as fh:
        head = fh.read(4)
    if head.startswith(b"PK\x03\x04"):
        if not zipfile.is_zipfile(path):
            raise CheckpointError(
                "corrupt",
                f"{path}: the checkpoint is truncated or corrupt (its zip directory is missing; was the download or copy cut short?)",
            )
        try:
            with zipfile.ZipFile(path) as zf:
                _check_declared_sizes(path, zf)
                bad = zf.testzip()
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise CheckpointError("corrupt", f"{path}: the checkpoint is corrupt ({exc})") from None
        if bad is not None:
            raise CheckpointError("corrupt", f"{path}: the checkpoint is corrupt (entry {bad} fails its checksum)")
    elif not head.startswith(b"\x80"):
        raise CheckpointError("corrupt", f"{path}: not a PyTorch checkpoint (neither a zip archive nor a pickle)")


def load_checkpoint(path: Path, trust: bool) -> Any:
    """torch.load with weights_only=True; arbitrary objects only with the user's explicit trust."""
    import torch

    _check_container(path)
    try:
        with torch.serialization.safe_globals(_numpy_safe_globals()):
            return torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:
        if "Weights only load failed" not in str(exc):
            raise CheckpointError(
                "corrupt", f"{path}: cannot read the checkpoint, it is truncated or corrupt ({_first_line(exc)})"
            ) from None
        names = sorted(set(_GLOBAL.findall(str(exc)))) or ["objects the safe loader does not accept"]
        if not trust:
            raise CheckpointError(
                "untrusted",
                f"{path}: the checkpoint holds Python objects besides weights ({', '.join(names)}); "
                "unpickling them could run arbitrary code, so it was not loaded. "
                "Only if you made this file yourself or fully trust its source, re-run with --trust-checkpoint.",
            ) from None
        say(f"loading with full unpickling because you trust it (objects: {', '.join(names)})")
    except Exception as exc:
        raise CheckpointError(
            "corrupt", f"{path}: cannot read the checkpoint, it is truncated or corrupt ({_first_line(exc)})"
        ) from None
    try:
        return torch.load(path, map_location="cpu", weights_only=False)
    except Exception as exc:
        raise CheckpointError(
            "corrupt", f"{path}: cannot unpickle the checkpoint ({type(exc).__name__}: {_first_line(exc)})"
        ) from None


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]


def _is_state_dict(obj: Any) -> bool:
    import torch

    return (
        isinstance(obj, dict) and bool(obj) and all(isinstance(k, str) and torch.is_tensor(v) for k, v in obj.items())
    )


def extract_state_dict(obj: Any) -> tuple[dict[str, Any], str]:
    """A bare state_dict, {"net": sd} or a trainer checkpoint (ema_net preferred)."""
    if not isinstance(obj, dict):
        raise CheckpointError(
            "not_weights", f"the checkpoint holds a {type(obj).__name__}, not a state_dict or a trainer checkpoint"
        )
    for key, label in (
        ("ema_net", "trainer checkpoint (ema_net)"),
        ("net", "trainer checkpoint (net)"),
        ("state_dict", "state_dict entry"),
    ):
        if _is_state_dict(obj.get(key)):
            return _strip_prefix(obj[key]), label
    if _is_state_dict(obj):
        return _strip_prefix(obj), "bare state_dict"
    keys = ", ".join(sorted(map(str, obj))[:8])
    raise CheckpointError(
        "not_weights",
        f"no weights found: expected a state_dict, {{'net': ...}} or a trainer checkpoint with 'ema_net' (top-level keys: {keys})",
    )


def _strip_prefix(sd: dict[str, Any]) -> dict[str, Any]:
    if all(k.startswith("module.") for k in sd):
        return {k[len("module.") :]: v for k, v in sd.items()}
    return dict(sd)


def check_heads(sd: dict[str, Any]) -> None:
    """Pose heads with 17 keypoints: cls_pred has 1 + K outputs, pose_pred 2 K."""
    heads: dict[str, dict[str, tuple[int, ...]]] = {}
    for key, value in sd.items():
        match = _HEAD_KEY.match(key)
        if match:
            heads.setdefault(match.group(1), {})[match.group(2)] = tuple(value.shape)
    if not heads or not any("cls_pred" in h for h in heads.values()):
        raise CheckpointError(
            "not_yolo_nas", "this is not a YOLO-NAS checkpoint: it has no heads.headN.cls_pred weights"
        )
    if not any("pose_pred" in h for h in heads.values()):
        classes = next(h["cls_pred"][0] for h in heads.values() if "cls_pred" in h)
        raise CheckpointError(
            "detection",
            f"this is a YOLO-NAS object-detection checkpoint ({classes} classes), not YOLO-NAS Pose: it has no pose heads",
        )
    for head in heads.values():
        keypoints = head["pose_pred"][0] // 2
        if keypoints != NUM_KEYPOINTS or head.get("cls_pred", (keypoints + 1,))[0] != keypoints + 1:
            raise CheckpointError(
                "keypoints",
                f"the checkpoint predicts {keypoints} keypoints per person; Rehab Coach needs the {NUM_KEYPOINTS} COCO keypoints",
            )


# ---- the model -----------------------------------------------------------------------


def _sg() -> Any:
    os.environ.setdefault("CRASH_HANDLER", "FALSE")
    from super_gradients.training import models

    return models


def build_model(variant: str) -> Any:
    return _sg().get(f"yolo_nas_pose_{variant}", num_classes=NUM_KEYPOINTS)


def _mismatches(sd: dict[str, Any], ref: dict[str, Any]) -> list[str]:
    problems = [f"missing {k}" for k in ref if k not in sd]
    problems += [f"unexpected {k}" for k in sd if k not in ref]
    problems += [
        f"{k}: {tuple(sd[k].shape)} vs {tuple(v.shape)}" for k, v in ref.items() if k in sd and sd[k].shape != v.shape
    ]
    return problems


def load_model(sd: dict[str, Any], variant: str) -> Any:
    model = build_model(variant)
    problems = _mismatches(sd, model.state_dict())
    if problems:
        others = [v for v in VARIANTS if v != variant and not _mismatches(sd, build_model(v).state_dict())]
        hint = f" It matches YOLO-NAS Pose {others[0].upper()}: pass --variant {others[0]}." if others else ""
        raise CheckpointError(
            "variant",
            f"the weights do not fit YOLO-NAS Pose {variant.upper()} ({len(problems)} mismatches, e.g. {problems[0]}).{hint}",
        )
    model.load_state_dict(sd, strict=True)
    return model.eval()


def set_processing(model: Any, size: int) -> None:
    """The COCO pose processing of super-gradients, at input size `size`."""
    from super_gradients.training.processing import processing as p

    params = p.default_yolo_nas_pose_coco_processing_params()
    params["image_processor"] = p.ComposeProcessing(
        [
            p.ReverseImageChannels(),
            p.KeypointsLongestMaxSizeRescale(output_shape=(size, size)),
            p.KeypointsBottomRightPadding(output_shape=(size, size), pad_value=127),
            p.StandardizeImage(max_value=255.0),
            p.ImagePermute(permutation=(2, 0, 1)),
        ]
    )
    model.set_dataset_processing_params(**params)


def predict_frames(model: Any, frames: list[np.ndarray], size: int, args: argparse.Namespace) -> dict[str, np.ndarray]:
    """super-gradients' own pipeline (resize, pad, NMS, map back) on BGR frames."""
    set_processing(model, size)
    out: dict[str, np.ndarray] = {}
    for i, frame in enumerate(frames):
        result = model.predict(
            np.ascontiguousarray(frame[:, :, ::-1]),
            conf=args.conf,
            iou=args.iou,
            fuse_model=False,
            fp16=False,
            pre_nms_max_predictions=args.pre_nms,
            post_nms_max_predictions=args.max_predictions,
        ).prediction
        out[f"{size}/{i}/poses"] = np.asarray(result.poses, dtype=np.float32).reshape(-1, NUM_KEYPOINTS, 3)
        out[f"{size}/{i}/bboxes"] = np.asarray(result.bboxes_xyxy, dtype=np.float32).reshape(-1, 4)
        out[f"{size}/{i}/scores"] = np.asarray(result.scores, dtype=np.float32).reshape(-1)
    return out


def export_onnx(model: Any, path: Path, size: int, args: argparse.Namespace) -> None:
    import torch
    from super_gradients.conversion import DetectionOutputFormatMode

    set_processing(model, size)
    original = torch.onnx.export
    torch.onnx.export = functools.partial(original, dynamo=False)  # the dynamo exporter breaks this graph
    try:
        model.export(
            str(path),
            input_image_shape=(size, size),
            preprocessing=True,
            postprocessing=True,
            output_predictions_format=DetectionOutputFormatMode.FLAT_FORMAT,
            confidence_threshold=args.conf,
            nms_threshold=args.iou,
            num_pre_nms_predictions=args.pre_nms,
            max_predictions_per_image=args.max_predictions,
            device="cpu",
        )
    finally:
        torch.onnx.export = original


# ---- commands ------------------------------------------------------------------------


def _load(args: argparse.Namespace) -> tuple[Any, str]:
    say(f"reading {args.checkpoint}")
    sd, source_format = extract_state_dict(load_checkpoint(Path(args.checkpoint), args.trust_checkpoint))
    check_heads(sd)
    say(f"found a {source_format}; building YOLO-NAS Pose {args.variant.upper()}")
    return load_model(sd, args.variant), source_format


def _frames(path: str | None) -> list[np.ndarray]:
    if not path:
        return []
    with np.load(path) as data:
        return [data[k] for k in sorted(data.files, key=lambda k: int(k.split("_")[-1]))]


def _versions() -> dict[str, str]:
    import super_gradients
    import torch

    return {
        "torch": torch.__version__,
        "super_gradients": super_gradients.__version__,
        "python": sys.version.split()[0],
    }


def cmd_export(args: argparse.Namespace) -> dict[str, Any]:
    import torch

    model, source_format = _load(args)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    frames = _frames(args.frames)
    files: dict[str, str] = {}
    predictions: dict[str, np.ndarray] = {}
    for size in args.sizes:
        name = f"yolo_nas_pose_{args.variant}_{size}.onnx"
        started = time.perf_counter()
        export_onnx(model, out / name, size, args)
        say(f"exported {name} in {time.perf_counter() - started:.1f} s")
        files[str(size)] = name
        predictions.update(predict_frames(model, frames, size, args))
    torch.save(model.state_dict(), out / "weights.pth")
    if args.predictions:
        np.savez(args.predictions, **predictions)
    return {"source_format": source_format, "onnx": files, "torch_weights": "weights.pth", "tools": _versions()}


def cmd_predict(args: argparse.Namespace) -> dict[str, Any]:
    model, source_format = _load(args)
    frames = _frames(args.frames)
    predictions: dict[str, np.ndarray] = {}
    for size in args.sizes:
        predictions.update(predict_frames(model, frames, size, args))
    np.savez(args.predictions, **predictions)
    return {"source_format": source_format, "tools": _versions()}


def _read_exact(stream: Any, count: int) -> bytes | None:
    data = b""
    while len(data) < count:
        chunk = stream.read(count - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def _pick_device(name: str) -> Any:
    import torch

    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise CheckpointError("device", "CUDA was asked for but torch sees no CUDA device")
    return torch.device(name)


class _Server:
    """Frames arrive letterboxed (uint8 RGB NCHW); detections go back as flat [N, 57] float32."""

    def __init__(self, model: Any, device: Any, args: argparse.Namespace) -> None:
        import torch

        self.torch = torch
        self.model = model.to(device)
        self.device = device
        self.callback = model.get_post_prediction_callback(
            conf=args.conf,
            iou=args.iou,
            pre_nms_max_predictions=args.pre_nms,
            post_nms_max_predictions=args.max_predictions,
        )
        self.prepared: set[int] = set()

    def infer(self, nchw: np.ndarray) -> np.ndarray:
        torch = self.torch
        size = nchw.shape[-1]
        if size not in self.prepared:
            self.model.prep_model_for_conversion(input_size=(1, 3, size, size))
            self.prepared.add(size)
        with torch.inference_mode():
            x = torch.from_numpy(nchw).to(self.device)[:, [2, 1, 0]].float() / 255.0
            pred = self.callback(self.model(x))[0]
            n = len(pred.scores)
            rows = torch.cat(
                [
                    torch.zeros(n, 1, device=self.device),
                    pred.bboxes_xyxy,
                    pred.scores.reshape(n, 1),
                    pred.poses.reshape(n, 3 * NUM_KEYPOINTS),
                ],
                dim=1,
            )
        return rows.float().cpu().numpy()


def cmd_serve(args: argparse.Namespace) -> None:
    """Protocol: one JSON hello line; then per request "RCP1" + uint32 size + size*size*3 bytes,
    answered by uint32 rows + rows*57 float32 (little-endian). EOF ends the server."""
    proto_out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything super-gradients prints goes to stderr, never into the protocol
    stdin = sys.stdin.buffer
    try:
        model, _ = _load(args)
        device = _pick_device(args.device)
        server = _Server(model, device, args)
        label = str(device) + (f" ({server.torch.cuda.get_device_name(device)})" if device.type == "cuda" else "")
        hello = {"ok": True, "device": label, **_versions()}
    except CheckpointError as exc:
        hello = {"ok": False, "code": exc.code, "message": str(exc)}
    proto_out.write((json.dumps(hello) + "\n").encode())
    proto_out.flush()
    if not hello["ok"]:
        return
    while True:
        header = _read_exact(stdin, 8)
        if header is None:
            return
        magic, size = header[:4], struct.unpack("<I", header[4:])[0]
        if magic != SERVE_MAGIC:
            raise SystemExit("bad request header")
        data = _read_exact(stdin, 3 * size * size)
        if data is None:
            return
        rows = server.infer(np.frombuffer(bytearray(data), dtype=np.uint8).reshape(1, 3, size, size))
        proto_out.write(struct.pack("<I", rows.shape[0]) + rows.astype("<f4").tobytes())
        proto_out.flush()


# ---- entry point ---------------------------------------------------------------------


def _sizes(text: str) -> list[int]:
    return [int(s) for s in text.split(",") if s.strip()]


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    for name in ("export", "predict", "serve"):
        p = sub.add_parser(name)
        p.add_argument("--checkpoint", required=True)
        p.add_argument("--variant", choices=VARIANTS, required=True)
        p.add_argument("--trust-checkpoint", action="store_true")
        p.add_argument("--conf", type=float, default=0.05)
        p.add_argument("--iou", type=float, default=0.7)
        p.add_argument("--pre-nms", type=int, default=1000)
        p.add_argument("--max-predictions", type=int, default=20)
        p.add_argument("--result")
        if name == "serve":
            p.add_argument("--device", default="auto")
            continue
        p.add_argument("--sizes", type=_sizes, required=True)
        p.add_argument("--frames")
        p.add_argument("--predictions")
        if name == "export":
            p.add_argument("--out", required=True)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "serve":
        cmd_serve(args)
        return 0
    result_path = Path(args.result) if args.result else None
    status = 0
    try:
        result = {"ok": True, **(cmd_export(args) if args.command == "export" else cmd_predict(args))}
    except CheckpointError as exc:
        result, status = {"ok": False, "code": exc.code, "message": str(exc)}, REJECTED_EXIT
    except Exception as exc:
        result, status = {"ok": False, "code": "internal", "message": f"{type(exc).__name__}: {_first_line(exc)}"}, 1
        import traceback

        traceback.print_exc()
    if result_path:
        result_path.write_text(json.dumps(result, indent=2))
    else:
        print(json.dumps(result))
    return status


if __name__ == "__main__":
    sys.exit(main())
