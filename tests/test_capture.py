"""Video file, camera and latest-frame mailbox, with real OpenCV and real threads."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from rehab_coach.capture.camera import CameraError, CameraSource
from rehab_coach.capture.latest import LatestSlot
from rehab_coach.capture.video import FALLBACK_FPS, VideoSource, container_fps
from rehab_coach.errors import InputError


def write_video(path: Path, frames: int, size: tuple[int, int] = (64, 48), fps: float = 25.0) -> Path:
    """A small MJPG AVI; frames=0 gives a well-formed file with nothing to decode."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, size)
    assert writer.isOpened()
    for i in range(frames):
        writer.write(np.full((size[1], size[0], 3), (i * 37) % 256, np.uint8))
    writer.release()
    return path


# --- VideoSource ---------------------------------------------------------------


def test_video_properties_and_timestamps(lunge_video: Path) -> None:
    source = VideoSource(lunge_video)
    assert (source.width, source.height, source.fps, source.frame_count) == (1080, 1920, 60.0, 100)
    items = list(source)
    assert len(items) == 100
    times = np.array([t for t, _ in items])
    np.testing.assert_allclose(times, np.arange(100) / 60.0)
    assert all(frame.shape == (1920, 1080, 3) and frame.dtype == np.uint8 for _, frame in items)


def test_video_max_frames_and_restart(tmp_path: Path) -> None:
    source = VideoSource(write_video(tmp_path / "ten.avi", 10), max_frames=4)
    assert len(list(source)) == 4
    assert len(list(source)) == 4  # each iteration starts from the beginning
    assert list(VideoSource(source.path, max_frames=0)) == []


def test_video_loop_keeps_time_increasing(tmp_path: Path) -> None:
    source = VideoSource(write_video(tmp_path / "five.avi", 5, fps=25), loop=True, max_frames=12)
    items = list(source)
    assert len(items) == 12
    times = np.array([t for t, _ in items])
    np.testing.assert_allclose(times, np.arange(12) / 25.0)
    # Frame 5 is frame 0 again.
    np.testing.assert_array_equal(items[5][1], items[0][1])


def test_video_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such video file"):
        VideoSource(tmp_path / "nope.mp4")


def test_video_directory_is_not_a_video(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a file"):
        VideoSource(tmp_path)


def test_video_text_file_renamed_mp4(tmp_path: Path) -> None:
    fake = tmp_path / "notes.mp4"
    fake.write_text("this is not a video\n")
    with pytest.raises(InputError, match="not a video file"):
        VideoSource(fake)


def test_video_with_zero_decodable_frames(tmp_path: Path) -> None:
    empty = write_video(tmp_path / "empty.avi", 0)
    with pytest.raises(InputError, match="no decodable frames"):
        VideoSource(empty)


def test_truncated_video_is_rejected(tmp_path: Path, lunge_video: Path) -> None:
    # This MP4 keeps its index (moov) at the end: cut off, it cannot be opened at all.
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(lunge_video.read_bytes()[:100_000])
    with pytest.raises(InputError):
        VideoSource(cut)


def test_fps_fallback_when_container_reports_none() -> None:
    unopened = cv2.VideoCapture()  # reports fps 0, like containers without a frame rate
    assert container_fps(unopened) == FALLBACK_FPS == 30.0


# --- CameraSource ----------------------------------------------------------------


def test_camera_that_cannot_open() -> None:
    with pytest.raises(CameraError) as info:
        CameraSource(99)
    assert str(info.value) == "camera 99 could not be opened: is it plugged in and not used by another app?"
    assert isinstance(info.value, InputError)


def test_camera_lost_mid_stream(tmp_path: Path) -> None:
    # A stream URL/path is a valid camera "index"; a short file behaves like a camera that is unplugged.
    # Read in the caller's thread (drain=False), every frame comes in order.
    path = write_video(tmp_path / "cam.avi", 3)
    with CameraSource(str(path), max_failed_reads=2, drain=False) as camera:
        stamps = []
        with pytest.raises(CameraError, match="stopped delivering frames"):
            for t, frame in camera:
                assert frame.shape == (48, 64, 3)
                stamps.append(t)
        assert len(stamps) == 3 and camera.frames_read == 3
        assert stamps[0] == 0.0 and np.all(np.diff(stamps) >= 0)
    assert not camera.is_open
    with pytest.raises(CameraError, match="released"):
        camera.read()
    camera.release()  # releasing twice is harmless


@pytest.mark.parametrize("drain", [True, False])
def test_camera_that_opens_but_delivers_nothing(tmp_path: Path, drain: bool) -> None:
    camera = CameraSource(str(write_video(tmp_path / "dead.avi", 0)), max_failed_reads=1, drain=drain)
    with pytest.raises(CameraError, match="delivered no frames"):
        camera.read()
    camera.release()


def test_draining_camera_hands_a_slow_reader_the_newest_frame(tmp_path: Path) -> None:
    """The drain thread reads every frame as it comes; a reader slower than the source skips the
    ones it missed instead of working through a backlog, then hears that the camera is gone."""
    path = write_video(tmp_path / "cam.avi", 60)  # brightness (i * 37) % 256 tells the frames apart
    order = [(i * 37) % 256 for i in range(60)]
    with CameraSource(str(path), max_failed_reads=2) as camera:
        seen = []
        with pytest.raises(CameraError, match="stopped delivering frames"):
            while True:
                _, frame = camera.read()
                seen.append(order.index(int(frame[0, 0, 0])))
                time.sleep(0.05)  # far slower than decoding a 64x48 frame
        assert seen[-1] == 59  # the last frame is handed over before the loss is reported
        assert seen == sorted(seen) and len(seen) < 30
        assert camera.frames_received == 60 and camera.frames_skipped == 60 - len(seen)
        assert camera.frames_read == len(seen)
    assert not camera.is_open


def test_released_draining_camera_wakes_a_waiting_reader(tmp_path: Path) -> None:
    """A reader blocked on a silent camera is freed by release() (e.g. when the session stops)."""

    class SilentCapture:
        def __init__(self, index: object) -> None:
            self.released = threading.Event()

        def isOpened(self) -> bool:
            return True

        def set(self, prop: int, value: float) -> bool:
            return False

        def get(self, prop: int) -> float:
            return 0.0

        def read(self) -> tuple[bool, None]:
            self.released.wait(5)
            return False, None

        def release(self) -> None:
            self.released.set()

    captures: list[SilentCapture] = []
    camera = CameraSource(0, open_capture=lambda index: captures.append(SilentCapture(index)) or captures[-1])
    errors: list[Exception] = []
    reader = threading.Thread(target=lambda: _read_into(camera, errors))
    reader.start()
    time.sleep(0.2)
    camera.release(timeout=0.1)
    reader.join(2.0)
    assert not reader.is_alive() and "released" in str(errors[0])
    captures[0].release()  # the driver call returns; the drain thread releases the device and ends


def _read_into(camera: CameraSource, errors: list[Exception]) -> None:
    try:
        camera.read()
    except CameraError as exc:
        errors.append(exc)


# --- LatestSlot ------------------------------------------------------------------


def test_latest_slot_overwrites_and_counts_drops() -> None:
    slot: LatestSlot[int] = LatestSlot()
    for i in range(5):
        slot.put(i)
    assert slot.get(timeout=0) == 4
    assert slot.dropped == 4
    assert slot.get(timeout=0.01) is None  # cleared by the get


def test_latest_slot_get_times_out() -> None:
    slot: LatestSlot[int] = LatestSlot()
    start = time.monotonic()
    assert slot.get(timeout=0.05) is None
    assert 0.04 <= time.monotonic() - start < 1.0


def test_latest_slot_wakes_a_waiting_consumer() -> None:
    slot: LatestSlot[str] = LatestSlot()
    got: list[str | None] = []
    consumer = threading.Thread(target=lambda: got.append(slot.get(timeout=5)))
    consumer.start()
    time.sleep(0.05)
    slot.put("frame")
    consumer.join(timeout=5)
    assert got == ["frame"]


def test_latest_slot_fast_producer_slow_consumer() -> None:
    slot: LatestSlot[int] = LatestSlot()
    produced = 2000
    received: list[int] = []

    def consume() -> None:
        while (item := slot.get(timeout=2)) is not None:
            received.append(item)
            time.sleep(0.001)  # slower than the producer: most frames must be dropped, none queued

    consumer = threading.Thread(target=consume)
    consumer.start()
    for i in range(produced):
        slot.put(i)
    deadline = time.monotonic() + 5
    while slot.delivered + slot.dropped < produced and time.monotonic() < deadline:
        time.sleep(0.005)  # let the consumer take the final item before closing
    slot.close()
    consumer.join(timeout=5)
    assert not consumer.is_alive()
    assert received, "the consumer got nothing"
    assert received[-1] == produced - 1  # the newest always wins
    assert all(a < b for a, b in zip(received, received[1:], strict=False))  # never an older one after a newer
    assert len(received) + slot.dropped == produced
    assert slot.delivered == len(received)


def test_latest_slot_close_releases_waiters() -> None:
    slot: LatestSlot[int] = LatestSlot()
    done = threading.Event()

    def wait() -> None:
        slot.get()  # no timeout: only close() can end this
        done.set()

    thread = threading.Thread(target=wait)
    thread.start()
    time.sleep(0.05)
    slot.close()
    assert done.wait(timeout=5)
    slot.put(1)  # ignored after close
    assert slot.get(timeout=0) is None and slot.closed
