"""Measure the live app's frame rate and capture-to-paint latency on this machine.

Runs the real window (use a real display or xvfb-run, not the offscreen platform, to count
real painting) on a looping video paced like a webcam, ends the session after a while and
prints the numbers the session file records.

    xvfb-run -a python scripts/measure_live.py --backend blazepose --seconds 20
    xvfb-run -a python scripts/measure_live.py --video my.mp4 --fps 30 --backend yolo-nas-pose
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "app"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--video", type=Path, default=ROOT / "tests/data/lunge_single_cam01.mp4")
    parser.add_argument("--exercise", default="lunge")
    parser.add_argument("--backend", default="blazepose")
    parser.add_argument("--model", help="installed YOLO-NAS Pose model (default: the latest imported)")
    parser.add_argument("--provider", help="onnxruntime provider: tensorrt, cuda or cpu (default: the fastest)")
    parser.add_argument("--size", type=int, help="YOLO-NAS Pose input size (default: per device)")
    parser.add_argument("--fps", type=float, default=30.0, help="pace the video like a webcam at this frame rate")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument(
        "--warmup", type=float, default=2.0, help="seconds left out of the stage budget (model loading)"
    )
    parser.add_argument("--json", type=Path, help="also write the numbers to this file")
    args = parser.parse_args()
    os.environ.setdefault("REHAB_COACH_DATA_DIR", tempfile.mkdtemp(prefix="rehab-coach-measure-"))

    from PySide6.QtCore import QTimer

    from rehab_coach.capture.sources import SourceSpec
    from rehab_coach.capture.video import VideoSource
    from rehab_coach.ui.app import application, build_window
    from rehab_coach.ui.options import LaunchOptions

    speed = args.fps / VideoSource(args.video).fps
    app = application()
    backend_options = {
        name: value
        for name, value in (("model", args.model), ("provider", args.provider), ("input_size", args.size))
        if value is not None
    }
    options = LaunchOptions(
        source=SourceSpec("video", args.video, loop=True, speed=speed),
        exercise=args.exercise,
        backend=args.backend,
        backend_options=backend_options,
        countdown=0,
        muted=True,
        audio=False,
    )
    window = build_window(options)
    result: dict[str, object] = {}
    shown: dict[float, tuple[object, float]] = {}  # captured -> (LiveResult, when the GUI thread had taken it)
    painted: dict[float, float] = {}  # captured -> first paint
    window.controller.frameShown.connect(
        lambda frame: shown.setdefault(frame.result.captured, (frame.result, time.monotonic()))
    )
    window.live.video.painted.connect(lambda captured: painted.setdefault(captured, time.monotonic()))

    def finished(outcome: object) -> None:
        result["perf"] = outcome.perf  # type: ignore[attr-defined]
        result["backend"] = outcome.backend  # type: ignore[attr-defined]
        QTimer.singleShot(200, app.quit)

    window.controller.finished.connect(finished)
    QTimer.singleShot(int(args.seconds * 1000), window.controller.session.finish)
    app.exec()
    window.close()
    result["stages"] = stage_budget(shown, painted, skip_seconds=args.warmup)
    text = json.dumps(
        {
            "platform": app.platformName(),
            "cpus": os.cpu_count(),
            "load": os.getloadavg(),
            "source_fps": args.fps,
            "seconds": args.seconds,
            **result,
        },
        indent=2,
    )
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    return 0


def stage_budget(
    shown: dict[float, tuple[object, float]], painted: dict[float, float], skip_seconds: float
) -> dict[str, dict[str, float]]:
    """Median and p95 ms per stage of every painted frame after the first `skip_seconds` (model loading).

    capture: from the frame's capture (a paced file: its release) to the worker taking it;
    pose, engine: as timed by the worker; hand-off: the rest of the worker (overlay, display
    resize, QImage), the queued signal and the GUI thread updating the page; paint: from
    there to the frame's first paint; total: capture to paint.
    """
    import numpy as np

    rows = []
    first = min(painted.values(), default=0.0)
    for captured, (live, shown_at) in shown.items():
        paint = painted.get(captured)
        if paint is None or paint - first < skip_seconds:
            continue
        picked, pose, engine = live.picked, live.infer_ms / 1000, live.engine_ms / 1000  # type: ignore[attr-defined]
        rows.append(
            (picked - captured, pose, engine, shown_at - picked - pose - engine, paint - shown_at, paint - captured)
        )
    if not rows:
        return {}
    ms = 1000 * np.asarray(rows)
    names = ("capture", "pose", "engine", "hand_off", "paint", "total")
    return {
        name: {
            "median": round(float(np.median(ms[:, i])), 2),
            "p95": round(float(np.percentile(ms[:, i], 95)), 2),
            "mean": round(float(ms[:, i].mean()), 2),
        }
        | ({"frames": len(rows)} if name == "total" else {})
        for i, name in enumerate(names)
    }


if __name__ == "__main__":
    raise SystemExit(main())
