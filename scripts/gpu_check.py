"""The measuring half of scripts/gpu_check.sh: models, benchmarks, parity, live window, report.

Runs in the environment the shell script built (onnxruntime-gpu, TensorRT libraries) and
finishes by `--deadline` (Unix time): a step that would start too late is skipped and the
report says so. Every step runs in a child process with a timeout, so a hung TensorRT build
or a crashed window costs that step only; results are written after each step.

    python scripts/gpu_check.py --out DIR [--frames N] [--sizes 320,416,640] [--providers tensorrt,cuda,cpu]
                                [--torch-device cuda] [--live-seconds 20] [--deadline UNIX_TIME] [--gpu NAME]

Parity (`--parity MODEL`, run by the main run in its own process): CUDA and TensorRT against
the CPU on three frames of the clip and their landscape crops, heads re-randomised so that
every frame has detections (up to the graph's 20 people). Tolerances, original-frame pixels:
fp32 (CUDA, TensorRT fp32): keypoints and boxes within 2 px, scores and keypoint confidences
within 0.01, 90% of detections paired (TF32 convolutions on Ampere and later differ from the
CPU by about 1e-3 relative); TensorRT fp16 (the app's default): 6 px, 0.03, 80%.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VIDEO = ROOT / "tests" / "data" / "lunge_single_cam01.mp4"  # 1080x1920, 60 fps, 100 frames (BSD-3)
VARIANTS = ("n", "s")
MODEL_PREFIX = "gpu-check-"
REPORT_SECONDS = 10  # kept back from the deadline for writing the report
TARGETS = {"pose_ms_n640": 5.0, "pipeline_over_pose_ms": 3.0, "capture_to_paint_median_ms": 25.0}

# Random YOLO-NAS Pose weights as the tests make them: super-gradients' own initialisation, then
# the classification heads drawn from N(0, 1) so that scores differ and detections exist.
MAKE_CHECKPOINT = r"""
import sys, torch
from super_gradients.training import models
variant, out = sys.argv[1], sys.argv[2]
torch.manual_seed(0)
model = models.get(f"yolo_nas_pose_{variant}", num_classes=17)
with torch.no_grad():
    for name, p in model.named_parameters():
        if "cls_pred" in name:
            p.normal_(0.0, 1.0)
torch.save(model.state_dict(), out)
"""

TORCH_PROBE = (
    "import json, torch; print(json.dumps({'torch': torch.__version__, 'cuda': torch.version.cuda, "
    "'cuda_available': torch.cuda.is_available(), 'device': torch.cuda.get_device_name(0) if torch.cuda.is_available() else None}))"
)


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 (got {value})")
    return value


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 (got {text})")
    return value


def size_list(text: str) -> list[int]:
    try:
        sizes = sorted({int(s) for s in text.split(",") if s.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"comma-separated whole numbers, e.g. 320,416,640 (got {text!r})") from None
    if not sizes or any(s % 32 or not 160 <= s <= 1280 for s in sizes):
        raise argparse.ArgumentTypeError(f"sizes must be multiples of 32 between 160 and 1280 (got {text!r})")
    return sizes


def provider_list(text: str) -> list[str]:
    providers = [p.strip().lower() for p in text.split(",") if p.strip()]
    unknown = [p for p in providers if p not in ("tensorrt", "cuda", "cpu")]
    if not providers or unknown:
        raise argparse.ArgumentTypeError(f"providers are tensorrt, cuda and cpu (got {text!r})")
    return providers


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True, help="folder for gpu-check.md, gpu-check.json and logs")
    parser.add_argument("--frames", type=positive_int, default=100, help="frames per benchmark row")
    parser.add_argument("--sizes", type=size_list, default=[320, 416, 640])
    parser.add_argument("--providers", type=provider_list, default=["tensorrt", "cuda", "cpu"])
    parser.add_argument("--torch-device", default="cuda", choices=("cuda", "cpu"))
    parser.add_argument("--live-seconds", type=positive_float, default=20.0)
    parser.add_argument("--deadline", type=float, help="Unix time by which everything must be written")
    parser.add_argument("--gpu", default="none", help="the GPU, as nvidia-smi names it")
    parser.add_argument("--parity", metavar="MODEL", help=argparse.SUPPRESS)  # internal: one model's parity check
    parser.add_argument("--fp16", choices=("on", "off"), default="off", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


class Run:
    """The results so far, the clock, and the child processes."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.out: Path = args.out
        self.logs = self.out / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.deadline = args.deadline or time.time() + 470
        self.data = self.out / "data"  # models and sessions of this run only: the user's are untouched
        self.env = {
            **os.environ,
            "REHAB_COACH_DATA_DIR": str(self.data),
            "PYTHONUNBUFFERED": "1",
            "PYTHONPATH": str(ROOT / "app"),
        }
        self.results: dict[str, Any] = {
            "gpu": args.gpu,
            "started": time.strftime("%Y-%m-%d %H:%M:%S"),
            "steps": {},
            "bench": [],
            "parity": {},
            "live": {},
            "targets": {},
            "skipped": [],
        }

    def left(self) -> float:
        return self.deadline - REPORT_SECONDS - time.time()

    def child(self, name: str, command: list[str], *, need: float, env: dict[str, str] | None = None) -> str | None:
        """Run one step in its own process; its output goes to logs/NAME.log. None: skipped or failed."""
        if self.left() < need:
            self.skip(name, f"{self.left():.0f} s left, needs about {need:.0f} s")
            return None
        log = self.logs / f"{name}.log"
        start = time.time()
        try:
            proc = subprocess.run(
                command,
                env=env or self.env,
                capture_output=True,
                text=True,
                errors="replace",
                timeout=max(1.0, self.left()),
                cwd=ROOT,
            )
        except subprocess.TimeoutExpired as exc:
            log.write_text(_text(exc.stdout) + _text(exc.stderr))
            self.step(name, start, f"stopped at the deadline after {time.time() - start:.0f} s")
            return None
        log.write_text(proc.stdout + proc.stderr)
        if proc.returncode != 0:
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
            self.step(name, start, f"failed (exit {proc.returncode}): {' | '.join(tail)}")
            return None
        self.step(name, start, "ok")
        return proc.stdout

    def step(self, name: str, start: float, outcome: str) -> None:
        self.results["steps"][name] = {"seconds": round(time.time() - start, 1), "outcome": outcome}
        print(f"  {name}: {outcome} ({time.time() - start:.0f} s)", flush=True)

    def skip(self, name: str, why: str) -> None:
        self.results["skipped"].append(f"{name}: {why}")
        print(f"  {name}: skipped ({why})", flush=True)

    def app(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "rehab_coach", *args]


def _text(data: str | bytes | None) -> str:
    return data.decode(errors="replace") if isinstance(data, bytes) else (data or "")


# ---- steps -------------------------------------------------------------------------------


def environment(run: Run) -> None:
    import onnxruntime

    from rehab_coach.models import tools_env

    info: dict[str, Any] = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "onnxruntime": onnxruntime.__version__,
        "onnxruntime_providers": onnxruntime.get_available_providers(),
        "gpu": run.args.gpu,
    }
    try:
        from importlib.metadata import version

        info["tensorrt_libs"] = next(
            (version(name) for name in ("tensorrt-cu13-libs", "tensorrt-cu12-libs") if _installed(name)), None
        )
    except Exception as exc:
        info["tensorrt_libs"] = f"unknown ({exc})"
    try:
        probe = subprocess.run(
            [str(tools_env.require_python()), "-c", TORCH_PROBE],
            env=tools_env.worker_env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        info["tools_torch"] = (
            json.loads(probe.stdout.strip().splitlines()[-1]) if probe.returncode == 0 else probe.stderr[-300:]
        )
    except Exception as exc:
        info["tools_torch"] = f"not available: {exc}"
    run.results["environment"] = info
    print(
        f"  environment: onnxruntime {info['onnxruntime']} {info['onnxruntime_providers']}; "
        f"torch {info['tools_torch']}",
        flush=True,
    )


def _installed(name: str) -> bool:
    from importlib.metadata import PackageNotFoundError, version

    try:
        version(name)
    except PackageNotFoundError:
        return False
    return True


def import_models(run: Run) -> list[str]:
    """Random-weight N and S, imported through `rehab-coach models import` at every size."""
    from rehab_coach.models import tools_env

    imported = []
    checkpoints = run.out / "checkpoints"
    checkpoints.mkdir(exist_ok=True)
    for variant in VARIANTS:
        ckpt = checkpoints / f"yolo_nas_pose_{variant}_random.pth"
        made = run.child(
            f"checkpoint-{variant}",
            [str(tools_env.require_python()), "-c", MAKE_CHECKPOINT, variant, str(ckpt)],
            need=30,
            env=tools_env.worker_env(),
        )
        if made is None:
            continue
        sizes = ",".join(map(str, run.args.sizes))
        name = MODEL_PREFIX + variant
        if (
            run.child(
                f"import-{variant}",
                run.app(
                    "models",
                    "import",
                    str(ckpt),
                    "--variant",
                    variant,
                    "--sizes",
                    sizes,
                    "--name",
                    name,
                    "--accept-license",
                    "--force",
                ),
                need=40,
            )
            is not None
        ):
            imported.append(name)
    return imported


def bench(run: Run, model: str, provider: str, backend: str = "yolo-nas-pose") -> None:
    out = run.logs / f"bench-{model}-{backend}-{provider}.json"
    label = f"bench-{model[len(MODEL_PREFIX) :]}-{'torch-' if backend.endswith('torch') else ''}{provider}"
    need = {"tensorrt": 60, "cpu": 20}.get(provider, 15) * (2 if model.endswith("s") else 1)
    if (
        run.child(
            label,
            run.app(
                "bench",
                str(VIDEO),
                "--backend",
                backend,
                "--model",
                model,
                "--sizes",
                ",".join(map(str, run.args.sizes)),
                "--provider",
                provider,
                "--frames",
                str(run.args.frames),
                "--warmup",
                "5",
                "--json",
                str(out),
            ),
            need=need,
        )
        is None
    ):
        return
    for row in json.loads(out.read_text())["rows"]:
        run.results["bench"].append({"model": model, "requested": provider, **row})


def parity(run: Run, model: str) -> None:
    """CUDA and TensorRT fp32 against the CPU, then TensorRT fp16, each in its own process."""
    gpu = [p for p in run.args.providers if p != "cpu"]
    if not gpu:
        run.skip(f"parity-{model}", "no GPU provider requested")
        return
    results: dict[str, Any] = {}
    for fp16 in ("off", "on") if "tensorrt" in gpu else ("off",):
        out = run.logs / f"parity-{model}-fp16-{fp16}.json"
        # The fp32 check gets an engine cache of its own: it must not pick up the fp16 engine that the
        # benchmark built (and that the fp16 check reuses).
        env = {**run.env, "XDG_CACHE_HOME": str(run.out / "cache-fp32")} if fp16 == "off" else run.env
        providers = gpu if fp16 == "off" else ["tensorrt"]
        command = [
            sys.executable,
            __file__,
            "--out",
            str(out),
            "--parity",
            model,
            "--fp16",
            fp16,
            "--sizes",
            ",".join(map(str, run.args.sizes)),
            "--providers",
            ",".join(providers),
        ]
        if run.child(f"parity-{model[len(MODEL_PREFIX) :]}-fp16-{fp16}", command, need=60, env=env) is not None:
            results.update(json.loads(out.read_text()))
    run.results["parity"][model] = results


def live(run: Run, model: str | None) -> None:
    """The real window, 60 fps clip, default provider and size (TensorRT, 640 px on a GPU)."""
    import shutil

    seconds = run.args.live_seconds
    command = [
        sys.executable,
        str(ROOT / "scripts" / "measure_live.py"),
        "--fps",
        "60",
        "--seconds",
        str(seconds),
        "--backend",
        "yolo-nas-pose" if model else "blazepose",
        "--exercise",
        "lunge",
    ]
    if model:
        command += ["--model", model]
    if run.args.providers == ["cpu"]:  # a CPU rehearsal: onnxruntime-gpu would try TensorRT and CUDA first
        command += ["--provider", "cpu"]
    out = run.logs / f"live-{model or 'blazepose'}.json"
    command += ["--json", str(out)]
    env = dict(run.env)
    if shutil.which("xvfb-run"):
        command = ["xvfb-run", "-a", "-s", "-screen 0 1920x1080x24", *command]
        env.pop("QT_QPA_PLATFORM", None)
        platform_note = "Xvfb"
    else:
        env["QT_QPA_PLATFORM"] = "offscreen"
        platform_note = "offscreen (no Xvfb on this machine: painting is into memory)"
    if run.child(f"live-{model or 'blazepose'}", command, need=seconds + 40, env=env) is None:
        return
    measured = json.loads(out.read_text())
    run.results["live"][model or "blazepose"] = {"display": platform_note, **measured}


def run_parity(args: argparse.Namespace) -> int:
    """One model, the requested GPU providers, every size; writes the summary to --out (a JSON file)."""
    from rehab_coach.checkpoint_import.importer import _other_orientation, _read_frames
    from rehab_coach.checkpoint_import.parity import Detections, SizeParity, Tolerance, compare
    from rehab_coach.errors import BackendUnavailable
    from rehab_coach.pose.backend import create_backend

    strict, loose = Tolerance(xy_px=2.0, score=0.01, min_matched=0.9), Tolerance(xy_px=6.0, score=0.03, min_matched=0.8)
    fp16 = args.fp16 == "on"
    tolerance = loose if fp16 else strict
    frames = _read_frames(VIDEO, 3)
    frames += [_other_orientation(f) for f in frames]
    options = {"model": args.parity, "min_score": 0.0, "max_people": 1000}
    summary: dict[str, Any] = {}
    for size in args.sizes:
        with create_backend("yolo-nas-pose", provider="cpu", input_size=size, **options) as cpu:
            reference = [Detections.of_people(cpu.infer(f, 0.0).people) for f in frames]
        for provider in args.providers:
            key = f"{provider}{'-fp16' if fp16 else ''}"
            try:
                backend = create_backend("yolo-nas-pose", provider=provider, input_size=size, fp16=fp16, **options)
            except BackendUnavailable as exc:
                summary.setdefault(key, {})[str(size)] = {"passed": False, "error": str(exc)}
                continue
            with backend:
                result = SizeParity(size)
                for ref, frame in zip(reference, frames, strict=True):
                    result.frames.append(
                        compare(ref, Detections.of_people(backend.infer(frame, 0.0).people), tolerance)
                    )
                ran_on = backend.provider
            counts = result.summary()  # named for the import's torch-vs-onnx check: here CPU vs this provider
            counts["cpu_detections"], counts[f"{provider}_detections"] = (
                counts.pop("torch_detections"),
                counts.pop("onnx_detections"),
            )
            entry: dict[str, Any] = {
                **counts,
                "ran_on": ran_on,
                "tolerance": asdict(tolerance),
                "passed": result.passes(tolerance) and all(len(r) for r in reference),
            }
            if not ran_on.lower().startswith(provider):  # onnxruntime dropped the provider: not a check of it
                entry.update(passed=False, error=f"{provider} could not start, onnxruntime ran {ran_on}")
            summary.setdefault(key, {})[str(size)] = entry
    args.out.write_text(json.dumps(summary, indent=2))
    return 0


# ---- report ------------------------------------------------------------------------------


def _cell(stats: dict[str, float] | None) -> str:
    return f"{stats['median_ms']:.2f} / {stats['p90_ms']:.2f}" if stats else "-"


def _parity_cell(results: dict[str, Any], row: dict[str, Any]) -> str:
    if row["backend"] != "yolo-nas-pose":
        return "-"
    if row["requested"] == "cpu":
        return "reference"
    model = results["parity"].get(row["model"], {})
    cells = []
    for key in (row["requested"], f"{row['requested']}-fp16"):
        entry = model.get(key, {}).get(str(row["size"]))
        if entry:
            label = "fp16 " if key.endswith("fp16") else ""
            if "error" in entry:
                cells.append(f"{label}not run ({entry['error']})")
            else:
                cells.append(f"{label}{'pass' if entry['passed'] else 'FAIL'} ({entry['max_xy_px']:.2g} px)")
    return ", ".join(cells) or "not checked"


def check_targets(results: dict[str, Any]) -> dict[str, Any]:
    """The GPU targets, from what was measured; none on a CPU rehearsal (they are about the GPU)."""
    if results.get("gpu", "none") == "none":
        return {}
    n640 = [
        r
        for r in results["bench"]
        if r["model"] == MODEL_PREFIX + "n"
        and r["size"] == 640
        and r["backend"] == "yolo-nas-pose"
        and r["requested"] != "cpu"
    ]
    best = min(n640, key=lambda r: r["pose"]["median_ms"], default=None)
    live_n = results["live"].get(MODEL_PREFIX + "n", {}).get("perf")
    targets: dict[str, Any] = {}
    if best:
        pose = best["pose"]["median_ms"]
        targets["pose_ms_n640"] = {
            "value": pose,
            "provider": best["requested"],
            "target": TARGETS["pose_ms_n640"],
            "met": pose < TARGETS["pose_ms_n640"],
        }
    if live_n:
        stages = results["live"][MODEL_PREFIX + "n"].get("stages") or {}
        if stages:
            over, how = (
                stages["total"]["median"] - stages["pose"]["median"],
                "live window: capture-to-paint median minus pose median",
            )
        else:
            over, how = (
                live_n["latency_ms_p50"] - live_n["pose_ms_mean"],
                "live window: capture-to-paint median minus mean pose time",
            )
        targets["pipeline_over_pose_ms"] = {
            "value": round(over, 1),
            "target": TARGETS["pipeline_over_pose_ms"],
            "met": over <= TARGETS["pipeline_over_pose_ms"],
            "how": how,
        }
        median = live_n["latency_ms_p50"]
        targets["capture_to_paint_median_ms"] = {
            "value": median,
            "target": TARGETS["capture_to_paint_median_ms"],
            "met": median <= TARGETS["capture_to_paint_median_ms"],
        }
    return targets


def markdown(results: dict[str, Any]) -> str:
    env = results.get("environment", {})
    lines = [
        f"# GPU check, {results['started']}",
        "",
        f"GPU: {results['gpu']}; onnxruntime {env.get('onnxruntime', '?')} ({', '.join(env.get('onnxruntime_providers', []))}); "
        f"TensorRT libraries {env.get('tensorrt_libs') or 'not installed'}; tools torch {env.get('tools_torch', '?')}.",
        f"Clip: {VIDEO.name} (1080x1920, 60 fps); random-weight models, heads re-randomised. ms per frame, median / p90.",
        "",
        "| model | backend | size | provider (ran on) | pose ms | engine ms | pipeline ms | FPS | parity vs CPU |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in results["bench"]:
        variant = row["model"][len(MODEL_PREFIX) :].upper()
        lines.append(
            f"| {variant} | {row['backend']} | {row['size'] or '-'} | {row['requested']} ({row['provider']}) | "
            f"{_cell(row['pose'])} | {_cell(row.get('engine'))} | {_cell(row['pipeline'])} | {row['fps']:.1f} | "
            f"{_parity_cell(results, row)} |"
        )
    for name, measured in results["live"].items():
        perf = measured.get("perf", {})
        lines.append(
            f"| live window: {name} | {measured.get('backend', '?')} | | {measured.get('display', '')} | "
            f"{perf.get('pose_ms_mean', 0):.1f} (mean) | | capture-to-paint {perf.get('latency_ms_mean', 0):.1f} mean, "
            f"{perf.get('latency_ms_p50', 0):.1f} median, {perf.get('latency_ms_p95', 0):.1f} p95 | {perf.get('fps', 0):.1f} | "
            f"{perf.get('frames_dropped', 0)} of {perf.get('frames_painted', 0) + perf.get('frames_dropped', 0)} frames skipped (newest wins) |"
        )
    lines.append("")
    for name, measured in results["live"].items():
        stages = measured.get("stages") or {}
        if stages:
            budget = ", ".join(f"{stage.replace('_', '-')} {value['median']:.1f}" for stage, value in stages.items())
            lines.append(f"- live window {name}, latency budget (median ms): {budget}")
    for name, target in results["targets"].items():
        lines.append(
            f"- target {name}: {target['value']} (target {target['target']}): {'met' if target['met'] else 'MISSED'}"
        )
    for skipped in results["skipped"]:
        lines.append(f"- skipped {skipped}")
    for name, step in results["steps"].items():
        if step["outcome"] != "ok":
            lines.append(f"- {name}: {step['outcome']}")
    return "\n".join(lines) + "\n"


def write(run: Run) -> None:
    run.results["targets"] = check_targets(run.results)
    (run.out / "gpu-check.json").write_text(json.dumps(run.results, indent=2, default=str))
    (run.out / "gpu-check.md").write_text(markdown(run.results))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.parity:
        return run_parity(args)
    args.out.mkdir(parents=True, exist_ok=True)
    run = Run(args)
    environment(run)
    models = import_models(run)
    write(run)
    order: list[tuple[str, Any]] = []
    for model in models:  # N first: the targets are about N; S and torch come when time allows
        order += [(f"bench {model} {p}", lambda m=model, p=p: bench(run, m, p)) for p in args.providers]
        order.append((f"parity {model}", lambda m=model: parity(run, m)))
        if model.endswith("n"):
            order.append(("live", lambda m=model: live(run, m)))
    if models:
        order.append(("torch", lambda: bench(run, models[0], args.torch_device, "yolo-nas-pose-torch")))
    else:
        order.append(("live", lambda: live(run, None)))  # no model: at least the window with BlazePose
    for _, action in order:
        action()
        write(run)
    print(markdown(run.results))
    failed = [name for name, step in run.results["steps"].items() if step["outcome"] != "ok"]
    return 1 if failed or not models else 0


if __name__ == "__main__":
    raise SystemExit(main())
