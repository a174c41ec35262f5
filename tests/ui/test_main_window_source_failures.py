"""No camera, a camera unplugged mid-session and back, a broken file: told clearly, nothing lost."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from rehab_coach.capture.camera import CameraError
from rehab_coach.capture.sources import SourceSpec
from rehab_coach.keypoints.types import PoseFrame
from rehab_coach.ui.app import build_window
from rehab_coach.ui.main_window import MainWindow
from rehab_coach.ui.options import LaunchOptions
from rehab_synth.squat_stream import SquatPlan, squat_frames
from saved_sessions import stored_sessions


def open_window(qtbot, spec: SourceSpec, **options: object) -> MainWindow:  # type: ignore[no-untyped-def]
    # The framing check (on by default for a camera) has tests of its own: here the set starts at once.
    window = build_window(
        LaunchOptions(source=spec, exercise="squat", countdown=0, audio=False, framing_check=False, **options)
    )  # type: ignore[arg-type]
    qtbot.addWidget(window)
    return window


def test_no_camera_says_so_and_a_file_takes_over(qtbot, squat_stream: Callable[..., Path]) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, SourceSpec("camera", 97, speed=3.0))  # no such device; files opened later play at 3x
    notice = window.live.notice
    qtbot.waitUntil(lambda: "could not be opened" in notice.text, timeout=5000)
    assert notice.kind == "warning" and notice.open_button.isVisible()
    assert "session so far is kept" in notice.text
    assert window.controller.session.state == "running"  # waiting for the camera, not crashed

    window.use_file(squat_stream(reps=2))  # what "Open a video file…" does after the dialog
    qtbot.waitUntil(lambda: int(window.live.reps.count.text() or 0) >= 1, timeout=10000)
    assert window.controller.pipeline.spec.kind == "replay"


def test_no_camera_is_said_in_chinese_in_a_chinese_window(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, SourceSpec("camera", 97), language="zh")  # no such device
    notice = window.live.notice
    qtbot.waitUntil(lambda: "无法打开摄像头 97" in notice.text, timeout=5000)  # the capture's own words, translated
    assert "目前的练习记录都已保留" in notice.text and notice.open_button.text() == "打开视频…… (O)"


class UnpluggableCamera:
    """Pose frames at three times camera pace, stamped with their stream time (the engine
    times reps by it); unplugged at frame `stop`."""

    fps = 30.0

    def __init__(self, frames: list[PoseFrame], start: int, stop: int) -> None:
        self.frames, self.index, self.stop = frames, start, stop

    def read(self) -> tuple[float, PoseFrame] | None:
        if self.index >= self.stop:
            raise CameraError("camera 0 stopped delivering frames: was it unplugged?")
        time.sleep(1 / 90)  # three times real time, like the replays in these tests
        frame = self.frames[self.index]
        self.index += 1
        return frame.t, frame

    def close(self) -> None:
        pass


def test_camera_unplugged_mid_session_reconnects_and_keeps_the_reps(qtbot, user_data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    frames = squat_frames(SquatPlan(reps=3, lead_in=0.5, pause=0.5))
    unplug_at = int((0.5 + 2 * 2.9 + 0.3) * 30)  # just after the second rep
    opened = []
    unplugged_for = threading.Event()

    def opener(spec: SourceSpec) -> UnpluggableCamera:
        opened.append(spec)
        if len(opened) == 2:  # the first retry finds the camera still gone
            unplugged_for.set()
            raise CameraError("camera 0 could not be opened: is it plugged in and not used by another app?")
        start = 0 if len(opened) == 1 else unplug_at
        return UnpluggableCamera(frames, start, unplug_at if len(opened) == 1 else len(frames))

    window = open_window(qtbot, SourceSpec("camera", 0), opener=opener)
    live = window.live
    qtbot.waitUntil(lambda: "unplugged" in live.notice.text, timeout=10000)
    assert live.reps.count.text() == "2"  # the reps so far stay on screen
    assert window.controller.session.state == "running"
    qtbot.waitUntil(lambda: "is back" in live.notice.text, timeout=5000)
    assert unplugged_for.is_set() and len(opened) == 3
    qtbot.waitUntil(lambda: live.reps.count.text() == "3", timeout=10000)

    window.controller.session.finish()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.summary, timeout=5000)
    window.store.wait_idle(5)
    [detail] = stored_sessions(user_data_dir)
    kinds = [e["kind"] for e in detail.session.summary["live"]["events"]]
    assert sum(r.complete for r in detail.reps) == 3 and detail.session.status == "stopped"
    assert kinds.index("source_lost") < kinds.index("source_ok")


def test_a_broken_video_is_an_error_notice_not_a_crash(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"\x00" * 1000)
    window = open_window(qtbot, SourceSpec("video", broken))
    qtbot.waitUntil(lambda: window.live.notice.kind == "error", timeout=5000)
    assert "not a video file" in window.live.notice.text
    # A broken file stays broken: the notice offers another file, not "Retry camera".
    assert window.live.notice.open_button.isVisible() and not window.live.notice.retry_button.isVisible()
    window.controller.session.finish()  # S: the (empty) session still ends cleanly
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.summary, timeout=5000)
    assert window.summary.values["reps"].text() == "0"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            b'{"format": "coco17-keypoints", "version": 1, "width": 640, "height": 480, "fps": 30}\n{"t": 0.0, "people": [\xff]}\n',
            "line 2: not UTF-8 text",
        ),
        (
            b'{"format": "coco17-keypoints", "version": 1, "width": 1e400, "height": 480, "fps": 30}\n',
            "line 1: not valid JSON",
        ),
        (
            b'{"format": "coco17-keypoints", "version": 1, "width": 640, "height": 480, "fps": 30}\n'
            + b"[" * 100_000
            + b"\n",
            "line 2: not valid JSON (nested too deeply)",
        ),
    ],
)
def test_a_malformed_keypoint_file_is_a_notice_not_starting_forever(
    qtbot,
    tmp_path: Path,
    content: bytes,  # type: ignore[no-untyped-def]
    problem: str,
) -> None:
    stream = tmp_path / "bad.jsonl"
    stream.write_bytes(content)
    window = open_window(qtbot, SourceSpec("replay", stream))
    qtbot.waitUntil(lambda: window.live.notice.kind == "error", timeout=5000)
    assert problem in window.live.notice.text
    assert not window.live.notice.retry_button.isVisible()


def test_broken_and_overriding_user_templates_never_stop_the_app(qtbot, user_data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from rehab_coach.paths import exercises_dir

    folder = user_data_dir / "exercises"
    folder.mkdir(parents=True)
    (folder / "latin.yaml").write_bytes("id: latin\nname: Übung\n".encode("latin-1"))
    (folder / "deep.yaml").write_text("name: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    (folder / "squat.yaml").write_text((exercises_dir() / "squat.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    window = build_window(LaunchOptions(source=SourceSpec("camera", 97), audio=False))
    qtbot.addWidget(window)
    text = window.picker.errors.text()
    assert "latin.yaml" in text and "not UTF-8" in text and "deep.yaml" in text and "nested more than" in text
    assert f"squat: your file {folder / 'squat.yaml'} replaces the built-in exercise" in text
    assert window.picker.list.count() >= 16  # every other exercise is there
