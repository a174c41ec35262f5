"""How stale is the frame a slow reader gets from a webcam? Reading directly vs the drain thread.

A V4L2 webcam driver fills a small ring of buffers (OpenCV asks for 4) at the camera's pace
and, once every buffer is full, drops the *new* frames until the reader dequeues one. This
script models that driver as a paced source (one frame per 1/fps on its own thread, each
stamped with its capture time, MJPG-decoded on read like a real 720p webcam frame) and puts
the real `CameraSource` in front of it, read by a consumer that spends `--work-ms` per frame
(the pose model). It prints, per setting, the frame's age when the consumer gets it and when
the consumer is done with it (capture-to-result), and the frames processed per second:

    direct, 4 buffers        cv2.VideoCapture read in the consumer's loop, the driver's default ring
    direct, buffer size 1    the same with CAP_PROP_BUFFERSIZE=1 honoured by the driver
    drain, 4 buffers         CameraSource's drain thread, a driver that ignores the buffer size
    drain, buffer size 1     the drain thread and a one-buffer driver (what the app asks for)
    app, no drain thread     the live app's capture loop (its own thread, posting to the latest-frame
                             slot the worker reads) over a camera read directly: the app before the
                             drain thread
    app                      the same over the drain thread (the app now)

    python scripts/bench_camera_latency.py [--fps 30,60] [--work-ms 22,40] [--seconds 4]

The driver is a model (no webcam on the machines this runs on); the reading side, decode
included, is the app's own code.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections import deque
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "app"))

from rehab_coach.capture.camera import CameraSource
from rehab_coach.capture.latest import LatestSlot
from rehab_coach.capture.loop import CaptureLoop, SourceItem
from rehab_coach.capture.pacing import Timeline
from rehab_coach.capture.sources import SourceSpec

DRIVER_DEFAULT_BUFFERS = 4  # what OpenCV's V4L2 backend requests


def sample_jpeg(size: tuple[int, int] = (1280, 720)) -> bytes:
    """A real frame of the test clip, scaled to a webcam's 720p and JPEG-encoded as MJPG delivers it."""
    cap = cv2.VideoCapture(str(ROOT / "tests" / "data" / "lunge_single_cam01.mp4"))
    ok, frame = cap.read()
    cap.release()
    if not ok:
        frame = np.full((size[1], size[0], 3), 127, np.uint8)
    frame = cv2.resize(frame, size, interpolation=cv2.INTER_AREA)
    return cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, 85])[1].tobytes()


class PacedDriver:
    """A V4L2-like capture device: paced frames into a ring of buffers, new frames dropped when full.

    Implements the part of the `cv2.VideoCapture` interface that `CameraSource` uses.
    """

    def __init__(self, fps: float, honour_buffer_size: bool, jpeg: bytes) -> None:
        self.period = 1.0 / fps
        self.honour_buffer_size = honour_buffer_size
        self.buffers = DRIVER_DEFAULT_BUFFERS
        self.jpeg = np.frombuffer(jpeg, np.uint8)
        self.queue: deque[float] = deque()  # capture times of the filled buffers, oldest first
        self.cond = threading.Condition()
        self.last_read = 0.0
        self.dropped_by_driver = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._capture, daemon=True)
        self.thread.start()

    def _capture(self) -> None:
        next_at = time.monotonic()
        while not self.stop.is_set():
            next_at += self.period
            delay = next_at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            with self.cond:
                if len(self.queue) < self.buffers:
                    self.queue.append(time.monotonic())
                    self.cond.notify_all()
                else:
                    self.dropped_by_driver += 1

    def isOpened(self) -> bool:
        return True

    def set(self, prop: int, value: float) -> bool:
        if prop == cv2.CAP_PROP_BUFFERSIZE and self.honour_buffer_size:
            self.buffers = max(1, int(value))
            return True
        return False

    def get(self, prop: int) -> float:
        if prop == cv2.CAP_PROP_POS_MSEC:
            return self.last_read * 1000.0
        if prop == cv2.CAP_PROP_FPS:
            return 1.0 / self.period
        return {cv2.CAP_PROP_FRAME_WIDTH: 1280.0, cv2.CAP_PROP_FRAME_HEIGHT: 720.0}.get(prop, 0.0)

    def read(self) -> tuple[bool, np.ndarray | None]:
        with self.cond:
            while not self.queue and not self.stop.is_set():
                self.cond.wait(0.1)
            if not self.queue:
                return False, None
            self.last_read = self.queue.popleft()
        return True, cv2.imdecode(self.jpeg, cv2.IMREAD_COLOR)  # MJPG decode, as OpenCV does on read

    def release(self) -> None:
        self.stop.set()


def measure(fps: float, work_ms: float, seconds: float, drain: bool, buffer_one: bool, jpeg: bytes) -> dict[str, float]:
    driver = PacedDriver(fps, honour_buffer_size=buffer_one, jpeg=jpeg)
    camera = CameraSource(0, fps=fps, drain=drain, open_capture=lambda index: driver)
    at_read, at_done = [], []
    start = time.monotonic()
    try:
        while time.monotonic() - start < seconds:
            camera.read()
            got = time.monotonic()
            time.sleep(work_ms / 1000.0)  # the pose model; it releases the GIL, as onnxruntime does
            done = time.monotonic()
            at_read.append(got - camera.last_captured)
            at_done.append(done - camera.last_captured)
    finally:
        camera.release()
        driver.release()
    return _summary(at_read, at_done, seconds)


class DriverFrames:
    """The live app's camera source (as `capture.sources.CameraFrames`) over the driver model."""

    def __init__(self, driver: PacedDriver, drain: bool) -> None:
        self.camera = CameraSource(0, fps=1 / driver.period, drain=drain, open_capture=lambda index: driver)
        self.fps = self.camera.fps

    def read(self) -> tuple[float, np.ndarray]:
        _, image = self.camera.read()
        return self.camera.last_captured, image

    def close(self) -> None:
        self.camera.release()


def measure_app(fps: float, work_ms: float, seconds: float, drain: bool, jpeg: bytes) -> dict[str, float]:
    """The app's path: capture loop thread -> latest-frame slot -> the worker (here: work_ms per frame)."""
    driver = PacedDriver(fps, honour_buffer_size=True, jpeg=jpeg)
    slot: LatestSlot[SourceItem] = LatestSlot()
    loop = CaptureLoop(
        SourceSpec("camera", 0, camera_fps=fps), slot, Timeline(), opener=lambda spec: DriverFrames(driver, drain)
    )
    loop.start()
    at_read, at_done = [], []
    start = time.monotonic()
    try:
        while time.monotonic() - start < seconds:
            item = slot.get(timeout=1.0)
            if item is None or item.image is None:
                continue
            got = time.monotonic()
            time.sleep(work_ms / 1000.0)
            at_read.append(got - item.captured)
            at_done.append(time.monotonic() - item.captured)
    finally:
        loop.stop()
        driver.release()
    return _summary(at_read, at_done, seconds)


def _summary(at_read: list[float], at_done: list[float], seconds: float) -> dict[str, float]:
    warm = 5  # the first frames find the ring still empty: left out
    read_ms, done_ms = 1000 * np.asarray(at_read[warm:]), 1000 * np.asarray(at_done[warm:])
    return {
        "age_at_read_mean": float(read_ms.mean()),
        "age_at_read_p95": float(np.percentile(read_ms, 95)),
        "to_result_median": float(np.median(done_ms)),
        "to_result_p95": float(np.percentile(done_ms, 95)),
        "processed_fps": len(at_read) / seconds,
    }


def parse_list(text: str) -> list[float]:
    return [float(v) for v in text.split(",") if v.strip()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fps", type=parse_list, default=[30.0, 60.0], help="camera frame rates (default: 30,60)")
    parser.add_argument(
        "--work-ms",
        type=parse_list,
        default=[22.0, 40.0],
        help="the consumer's time per frame (default: 22 = BlazePose, 40 = YOLO-NAS N 320 on 2 cores)",
    )
    parser.add_argument("--seconds", type=float, default=4.0, help="per setting (default: 4)")
    args = parser.parse_args()
    jpeg = sample_jpeg()
    settings = [
        ("direct, 4 buffers", False, False),
        ("direct, buffer size 1", False, True),
        ("drain, 4 buffers", True, False),
        ("drain, buffer size 1", True, True),
    ]
    print(
        f"{'camera':>7} {'work':>6}  {'reading':24} {'age at read mean/p95':>22} {'capture-to-result med/p95':>27} "
        f"{'frames/s':>9}"
    )
    for fps in args.fps:
        for work in args.work_ms:
            runs = [
                (label, lambda d=drain, b=buffer_one, f=fps, w=work: measure(f, w, args.seconds, d, b, jpeg))
                for label, drain, buffer_one in settings
            ]
            runs += [
                (label, lambda d=drain, f=fps, w=work: measure_app(f, w, args.seconds, d, jpeg))
                for label, drain in (("app, no drain thread", False), ("app", True))
            ]
            for label, run in runs:
                r = run()
                print(
                    f"{fps:5.0f}Hz {work:4.0f}ms  {label:24} {r['age_at_read_mean']:10.1f} / {r['age_at_read_p95']:6.1f} ms "
                    f"{r['to_result_median']:13.1f} / {r['to_result_p95']:6.1f} ms {r['processed_fps']:9.1f}",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
