"""Unattended recovery: a worker that crashes is restarted with the session going on (reps already
recorded stay), and a camera that silently stops delivering frames is reopened."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from rehab_coach.capture.camera import CameraError
from rehab_coach.capture.sources import ReplayFrames, SourceSpec
from rehab_coach.keypoints.types import PoseFrame
from rehab_coach.session.live import watchdogs
from rehab_coach.ui.app import build_window
from rehab_coach.ui.options import LaunchOptions
from rehab_synth.squat_stream import SquatPlan, squat_frames
from saved_sessions import stored_sessions


class PoisonedReplay:
    """A keypoint replay that hands the pipeline frames it cannot process from `crash_at` on:
    the pipeline raises, as a model or engine bug would. Every frame from there is bad, not one:
    the newest frame wins at the pipeline's door, so a single one may be skipped on a busy computer."""

    def __init__(self, spec: SourceSpec, crash_at: int | None) -> None:
        self.source, self.crash_at, self.read_count = ReplayFrames(spec), crash_at, 0
        self.fps = self.source.fps

    def read(self):  # type: ignore[no-untyped-def]
        self.read_count += 1
        raw = self.source.read()
        if raw is not None and self.crash_at is not None and self.read_count >= self.crash_at:
            return raw[0], None  # neither an image nor keypoints
        return raw

    def close(self) -> None:
        self.source.close()


def test_a_crashed_worker_is_restarted_and_the_session_goes_on(
    qtbot,
    squat_stream: Callable[..., Path],  # type: ignore[no-untyped-def]
    user_data_dir: Path,
) -> None:
    plan = SquatPlan(reps=2, lead_in=0.5, pause=0.5)
    after_first_rep = int((plan.lead_in + plan.rep_seconds) * plan.fps)
    opened: list[PoisonedReplay] = []

    def opener(spec: SourceSpec) -> PoisonedReplay:
        opened.append(PoisonedReplay(spec, after_first_rep if not opened else None))
        return opened[-1]

    window = build_window(
        LaunchOptions(
            source=SourceSpec("replay", squat_stream(reps=2, lead_in=0.5, pause=0.5), speed=3.0),
            exercise="squat",
            countdown=0,
            audio=False,
            opener=opener,
            overrides={"dosage.sets": 1, "dosage.reps": 3},
        )
    )
    qtbot.addWidget(window)
    live = window.live
    # The notice is shown as the new worker starts; it opens its source on its own thread.
    qtbot.waitUntil(lambda: "restarted" in live.notice.text and len(opened) == 2, timeout=10000)
    assert live.reps.count.text() == "1"  # the rep before the crash stays on screen
    window.store.wait_idle(5)
    [during] = stored_sessions(user_data_dir)
    assert [r.complete for r in during.reps] == [True]  # ... and in the database
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.summary, timeout=15000)
    qtbot.waitUntil(lambda: window.summary.outcome.saved is not None, timeout=5000)
    [detail] = stored_sessions(user_data_dir)
    kinds = [e["kind"] for e in detail.session.summary["live"]["events"]]
    assert kinds.index("worker_crashed") < kinds.index("worker_restarted")
    assert detail.session.status == "completed" and sum(r.complete for r in detail.reps) == 3
    starts = [r.start_t for r in detail.reps]
    assert starts == sorted(starts)  # the session clock went on across the restart


class WedgedCamera:
    """Delivers a few frames, then blocks in read() without an error (a hung driver)."""

    fps = 30.0

    def __init__(self, frames: list[PoseFrame], wedge_after: int | None, release: threading.Event) -> None:
        self.frames, self.index, self.wedge_after, self.release = frames, 0, wedge_after, release

    def read(self):  # type: ignore[no-untyped-def]
        if self.wedge_after is not None and self.index >= self.wedge_after:
            self.release.wait(30)
            raise CameraError("camera 0 stopped delivering frames")
        threading.Event().wait(1 / 90)
        frame = self.frames[self.index % len(self.frames)]
        self.index += 1
        return frame.t + 100 * (self.index // len(self.frames)), frame

    def close(self) -> None:
        pass


def test_a_silent_camera_is_reopened(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(watchdogs, "STALL_SECONDS", 0.8)
    frames = squat_frames(SquatPlan(reps=1))
    release = threading.Event()
    opened: list[WedgedCamera] = []

    def opener(spec: SourceSpec) -> WedgedCamera:
        opened.append(WedgedCamera(frames, 20 if not opened else None, release))
        return opened[-1]

    window = build_window(
        LaunchOptions(source=SourceSpec("camera", 0), exercise="squat", countdown=0, audio=False, opener=opener)
    )
    qtbot.addWidget(window)
    try:
        qtbot.waitUntil(lambda: len(opened) == 2, timeout=8000)
        painted = window.live.video.frames_painted
        qtbot.waitUntil(lambda: window.live.video.frames_painted > painted + 10, timeout=5000)
        assert any(e["kind"] == "source_stalled" for e in window.controller.session.events)
    finally:
        release.set()
