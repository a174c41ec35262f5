"""The capture thread: paced, the newest frame wins, a paused file waits, a lost camera comes back, a bad file is said."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np

from rehab_coach.capture.camera import CameraError
from rehab_coach.capture.latest import LatestSlot
from rehab_coach.capture.loop import END_OF_STREAM, CaptureLoop, SourceItem
from rehab_coach.capture.pacing import Timeline
from rehab_coach.capture.sources import SourceSpec
from rehab_coach.keypoints.types import PoseFrame
from rehab_synth.squat_stream import SquatPlan, squat_frames


def drain(slot: LatestSlot[SourceItem], until_end: float = 60.0) -> list[SourceItem]:
    """Every item until the end of the stream. `until_end` is only a safety deadline, far beyond any
    machine's time for a few frames, so a stream that never ends fails instead of hanging."""
    items, deadline = [], time.monotonic() + until_end
    while time.monotonic() < deadline:
        item = slot.get(timeout=0.05)
        if item is END_OF_STREAM:
            return items
        if item is not None:
            items.append(item)
    raise AssertionError("the stream never ended")


class ListSource:
    """A file-like source over ready pose frames."""

    fps = 30.0

    def __init__(self, frames: list[PoseFrame]) -> None:
        self.frames = iter(frames)

    def read(self) -> tuple[float, PoseFrame] | None:
        frame = next(self.frames, None)
        return None if frame is None else (frame.t, frame)

    def close(self) -> None:
        pass


def test_capture_paces_and_the_newest_frame_wins() -> None:
    frames = squat_frames(SquatPlan(reps=1))[:45]  # 1.5 s at 30 fps
    slot: LatestSlot[SourceItem] = LatestSlot()
    spec = SourceSpec("replay", "x.jsonl", speed=3.0)
    loop = CaptureLoop(spec, slot, Timeline(), opener=lambda s: ListSource(frames))
    started = time.monotonic()
    loop.start()
    seen = []
    while (item := slot.get(timeout=2.0)) is not END_OF_STREAM:
        seen.append(item)
        time.sleep(0.03)  # a consumer slower than the 90 fps source
    elapsed = time.monotonic() - started
    # Paced: 1.5 s of media at triple speed cannot arrive sooner than 0.5 s (a busy machine can only
    # make it later, so there is no upper limit; the pacing's arithmetic is tested on fake clocks).
    assert elapsed > 0.4
    times = [item.t for item in seen]
    assert times == sorted(times) and len(set(times)) == len(times)  # never an older frame
    assert slot.dropped > 0 and len(seen) < len(frames)  # skipped, never queued


def test_held_file_source_shows_its_first_frame_then_waits() -> None:
    frames = squat_frames(SquatPlan(reps=1))[:30]
    slot: LatestSlot[SourceItem] = LatestSlot()
    loop = CaptureLoop(
        SourceSpec("replay", "x.jsonl", speed=10.0), slot, Timeline(), opener=lambda s: ListSource(frames)
    )
    loop.pause_file(True)
    loop.start()
    first = slot.get(timeout=1.0)
    assert first is not None and first.t == 0.0
    assert slot.get(timeout=0.3) is None  # held: nothing more
    loop.pause_file(False)
    rest = drain(slot)
    # The end marker may overwrite the very last frame (newest wins), never more.
    assert rest and rest[-1].t >= frames[-2].t - 1e-6
    loop.stop()


class FlakyCamera:
    """A camera that delivers `frames` frames and then is unplugged."""

    fps = 30.0

    def __init__(self, frames: int) -> None:
        self.left = frames

    def read(self) -> tuple[float, np.ndarray]:
        if self.left <= 0:
            raise CameraError("camera 0 stopped delivering frames: was it unplugged?")
        self.left -= 1
        time.sleep(0.005)
        return time.monotonic(), np.zeros((4, 4, 3), np.uint8)

    def close(self) -> None:
        pass


def test_camera_missing_then_lost_then_back() -> None:
    attempts = {"n": 0}
    statuses: list[tuple[str, str]] = []
    got_back = threading.Event()

    def opener(spec: SourceSpec) -> FlakyCamera:
        attempts["n"] += 1
        if attempts["n"] in (1, 3):  # no camera at first; unplugged after the first 5 frames
            raise CameraError("camera 0 could not be opened: is it plugged in and not used by another app?")
        return FlakyCamera(5 if attempts["n"] == 2 else 1000)

    def on_status(state: str, message: str) -> None:
        statuses.append((state, message))
        if state == "ok" and len(statuses) > 2:
            got_back.set()

    slot: LatestSlot[SourceItem] = LatestSlot()
    loop = CaptureLoop(
        SourceSpec("camera", 0), slot, Timeline(), opener=opener, on_status=on_status, retry_seconds=0.05
    )
    loop.start()
    assert got_back.wait(3.0), statuses
    assert [s for s, _ in statuses] == ["lost", "ok", "lost", "ok"]
    assert "could not be opened" in statuses[0][1] and "unplugged" in statuses[2][1]
    before = slot.get(timeout=1.0)
    after = slot.get(timeout=1.0)
    assert before is not None and after is not None and after.t > before.t
    loop.stop()


def test_unreadable_file_is_reported_not_raised(tmp_path: Path) -> None:
    bad = tmp_path / "notes.mp4"
    bad.write_text("not a video")
    statuses: list[tuple[str, str]] = []
    loop = CaptureLoop(
        SourceSpec("video", bad), LatestSlot(), Timeline(), on_status=lambda s, m: statuses.append((s, m))
    )
    loop.start()
    loop.stop()
    assert statuses and statuses[0][0] == "error" and "not a video file" in statuses[0][1]
