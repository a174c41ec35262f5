"""The real main window on real footage with the real BlazePose model, on the worker thread."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rehab_coach.errors import BackendUnavailable
from rehab_coach.pose.backend import create_backend
from rehab_coach.session.live import SourceSpec
from rehab_coach.ui.app import build_window
from rehab_coach.ui.options import LaunchOptions


@pytest.fixture(scope="module")
def blazepose_ok() -> None:
    try:
        create_backend("blazepose").close()
    except BackendUnavailable as exc:
        pytest.skip(str(exc))


def test_video_with_blazepose_paints_measures_and_saves(
    qtbot, stall_watch, blazepose_ok: None, lunge_video: Path, _private_data_dir: Path  # type: ignore[no-untyped-def]
) -> None:
    # Half speed: 100 frames of 60 fps footage take 3.3 s, enough for the model to see the lunge.
    window = build_window(LaunchOptions(source=SourceSpec("video", lunge_video, speed=0.5), exercise="lunge",
                                        backend="blazepose", countdown=0, audio=False))
    qtbot.addWidget(window)
    live = window.live
    qtbot.waitUntil(lambda: live.video.frames_painted >= 3, timeout=15000)  # the model loads on the worker
    stall_watch.start()
    shown = live.video.frame
    assert shown is not None and shown.image is not None  # the real picture, not a blank canvas
    assert shown.result.frame_size == (1080, 1920)
    assert shown.image.height() <= 720  # shrunk on the worker, not on the GUI thread

    seen = {"person": 0, "arcs": 0}

    def count(frame) -> None:  # type: ignore[no-untyped-def]
        seen["person"] += frame.result.person is not None
        seen["arcs"] += bool(frame.result.overlay.arcs)

    window.controller.frameShown.connect(count)
    # The file ends: the session ends by itself and is saved with its frame rate and latency.
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.summary, timeout=30000)
    stall_watch.stop()
    print(f"frames seen {seen}, angle samples {live.angle_plot.visible_samples}")
    assert seen["person"] > 10 and seen["arcs"] > 10  # the knee angle is drawn on the patient
    assert live.angle_plot.visible_samples > 10
    data = json.loads(next((_private_data_dir / "sessions").glob("*_lunge.json")).read_text())
    perf = data["live"]["performance"]
    assert data["backend"].startswith("BlazePose") and data["source"]["kind"] == "video"
    assert perf["frames_painted"] > 20 and perf["fps"] > 5 and perf["pose_ms_mean"] > 0
    assert 0 < perf["latency_ms_mean"] < 300
    stall_watch.check(50)  # while the model ran on the worker
