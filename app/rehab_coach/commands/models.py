"""`rehab-coach models ...`: set up the model tools, import, list, verify and remove pose models."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rehab_coach.checkpoint_import import licence
from rehab_coach.checkpoint_import.importer import (
    DEFAULT_SIZES,
    VARIANTS,
    ImportOptions,
    import_checkpoint,
    parse_sizes,
)
from rehab_coach.commands.numbers import finite
from rehab_coach.errors import InputError
from rehab_coach.models import registry, tools_env
from rehab_coach.models.errors import ModelError
from rehab_coach.models.registry import Thresholds


def _sizes(text: str) -> tuple[int, ...]:
    try:
        return parse_sizes(text)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "models", help="import, list, verify and remove YOLO-NAS Pose models", description=__doc__
    )
    sub = parser.add_subparsers(dest="models_command", metavar="ACTION", required=True)

    setup = sub.add_parser("setup-tools", help="create the model-tools environment (torch + super-gradients)")
    setup.add_argument("--force", action="store_true", help="rebuild it from scratch")
    setup.set_defaults(func=run_setup)

    imp = sub.add_parser("import", help="export a YOLO-NAS Pose checkpoint to ONNX and install it")
    imp.add_argument(
        "checkpoint", type=Path, help="a .pth file: state_dict, {'net': ...} or a super-gradients trainer checkpoint"
    )
    imp.add_argument("--variant", choices=VARIANTS, required=True, help="model size the checkpoint was trained as")
    imp.add_argument("--sizes", type=_sizes, default=DEFAULT_SIZES, help="input sizes to export (default: 320,416,640)")
    imp.add_argument("--name", help="installed model name (default: yolo-nas-pose-VARIANT)")
    imp.add_argument("--accept-license", action="store_true", help="acknowledge the YOLO-NAS Pose weights licence")
    imp.add_argument(
        "--trust-checkpoint",
        action="store_true",
        help="allow full unpickling of a checkpoint that holds Python objects (can run code!)",
    )
    imp.add_argument("--force", action="store_true", help="replace an installed model of the same name")
    imp.add_argument("--parity-video", type=Path, help="video whose frames are used for the ONNX-vs-PyTorch check")
    imp.add_argument(
        "--conf",
        type=finite,
        default=Thresholds.confidence,
        help="detection confidence threshold in the graph (default: %(default)s)",
    )
    imp.add_argument(
        "--iou", type=finite, default=Thresholds.nms_iou, help="NMS IoU threshold in the graph (default: %(default)s)"
    )
    imp.add_argument(
        "--max-people",
        type=int,
        default=Thresholds.max_predictions,
        help="detections kept after NMS (default: %(default)s)",
    )
    imp.set_defaults(func=run_import)

    lst = sub.add_parser("list", help="installed models")
    lst.set_defaults(func=run_list)

    rm = sub.add_parser("remove", help="remove an installed model")
    rm.add_argument("name")
    rm.set_defaults(func=run_remove)

    ver = sub.add_parser("verify", help="re-hash installed models to detect tampering or truncation")
    ver.add_argument("names", nargs="*", help="models to verify (default: all)")
    ver.set_defaults(func=run_verify)


def run_setup(args: argparse.Namespace) -> int:
    return tools_env.run_setup(force=args.force)


def _progress(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)


def run_import(args: argparse.Namespace) -> int:
    if not args.accept_license:
        print(licence.SUMMARY)
        return 1
    opts = ImportOptions(
        checkpoint=args.checkpoint,
        variant=args.variant,
        sizes=args.sizes,
        name=args.name,
        accept_license=True,
        trust_checkpoint=args.trust_checkpoint,
        replace=args.force,
        parity_video=args.parity_video,
        thresholds=Thresholds(confidence=args.conf, nms_iou=args.iou, max_predictions=args.max_people),
    )
    model = import_checkpoint(opts, _progress)
    worst = max((s["max_xy_px"] for s in model.manifest.parity["sizes"].values()), default=0.0)
    print(
        f"installed {model.name}: YOLO-NAS Pose {model.manifest.variant.upper()} at {', '.join(map(str, model.manifest.sizes))} px in {model.path}"
    )
    compared = sum(s["matched"] for s in model.manifest.parity["sizes"].values())
    print(
        f"parity with PyTorch: passed on {model.manifest.parity['frames_from']}: {compared} detections compared, worst keypoint difference {worst:.2g} px"
    )
    if compared == 0:
        print(
            f"warning: the model found nobody above confidence {args.conf} in the sample frames, so parity compared nothing; "
            "untrained weights, or pass --parity-video with a clip of people",
            file=sys.stderr,
        )
    return 0


def run_list(args: argparse.Namespace) -> int:
    models, broken = registry.scan()
    if not models and not broken:
        print(
            "no models installed (import one with `rehab-coach models import CHECKPOINT --variant n --accept-license`)"
        )
    for m in models:
        mf = m.manifest
        size_mb = sum(e.bytes for e in mf.files.values()) / 1e6
        print(
            f"{m.name:24} {mf.family} {mf.variant.upper()}  sizes {','.join(map(str, mf.sizes)):12} {size_mb:7.1f} MB  imported {mf.created}  from {mf.source.get('file')}"
        )
    for b in broken:
        print(f"{b.path.name:24} BROKEN: {b.problem}")
    print(f"model-tools environment: {'ready' if tools_env.is_ready() else 'not set up'} ({tools_env.venv_dir()})")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    path = registry.remove_model(args.name)
    print(f"removed {args.name} ({path})")
    return 0


def run_verify(args: argparse.Namespace) -> int:
    models, broken = registry.scan()
    if args.names:
        models = [registry.get_model(n) for n in args.names]
        broken = []
    failed = len(broken)
    for b in broken:
        print(f"{b.path.name}: BROKEN: {b.problem}")
    for m in models:
        problems = registry.verify_model(m)
        failed += bool(problems)
        print(f"{m.name}: {'OK' if not problems else 'FAILED'} ({len(m.manifest.files)} files)")
        for p in problems:
            print(f"  {p}")
    if failed:
        raise ModelError(
            f"{failed} model(s) failed verification: re-import them (`rehab-coach models import ... --force`)"
        )
    return 0
