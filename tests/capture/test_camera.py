"""The camera source with real OpenCV and real threads: one that cannot open, is lost, or delivers nothing, and a draining reader."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest

from odd_videos import write_video
from rehab_coach.capture.camera import CameraError, CameraSource
from rehab_coach.errors import InputError


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
