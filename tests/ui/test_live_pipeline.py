"""The Qt-free live pipeline: sources, time, pacing, capture thread (capture/), the pose+coach step (session/live/step.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest

from rehab_coach.capture.camera import CameraError
from rehab_coach.capture.latest import LatestSlot
from rehab_coach.capture.loop import END_OF_STREAM, CaptureLoop, SourceItem
from rehab_coach.capture.pacing import Pacer, Timeline
from rehab_coach.capture.sources import SourceSpec, open_source
from rehab_coach.engine.coach import Coach
from rehab_coach.engine.feedback import live_status
from rehab_coach.engine.templates import load_template_by_id
from rehab_coach.keypoints.types import PoseFrame
from rehab_coach.pose.backend import PoseBackend
from rehab_coach.session.live.screen_frames import DISPLAY_MAX, display_image
from rehab_coach.session.live.step import LiveResult, LiveStep, Overlay, overlay_for
from rehab_synth.squat_stream import SquatPlan, squat_frames


def write_avi(path: Path, frames: int, size: tuple[int, int] = (64, 48), fps: float = 25.0) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, size)
    for i in range(frames):
        writer.write(np.full((size[1], size[0], 3), (i * 37) % 256, np.uint8))
    writer.release()
    return path


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


# ---- time --------------------------------------------------------------------


def test_timeline_never_goes_backwards_on_loops_and_switches() -> None:
    timeline = Timeline()
    timeline.new_source(10.0)
    first = [timeline.stamp(t) for t in (0.0, 0.1, 0.2)]
    looped = [timeline.stamp(t) for t in (0.0, 0.1)]  # the file started again
    timeline.new_source(20.0)
    switched = [timeline.stamp(t) for t in (5.0, 5.05)]  # another source with its own clock
    stamps = first + looped + switched
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    np.testing.assert_allclose(stamps, [0.0, 0.1, 0.2, 0.3, 0.4, 0.45, 0.5])


def test_pacer_releases_frames_at_media_time_and_speed() -> None:
    now = [100.0]
    pacer = Pacer(speed=2.0, clock=lambda: now[0])
    assert pacer.delay(0.0) == 0.0
    assert pacer.delay(1.0) == pytest.approx(0.5)  # 1 s of media at double speed
    now[0] = 101.0  # fell far behind: no burst, carry on from here
    assert pacer.delay(1.1) == 0.0
    assert pacer.delay(1.3) == pytest.approx(0.1)
    pacer.rebase()  # after a pause the next frame goes out at once
    assert pacer.delay(5.0) == 0.0


# ---- sources -------------------------------------------------------------------


def test_replay_source_loops(squat_stream: Callable[..., Path]) -> None:
    path = squat_stream(reps=1, lead_in=0.2, pause=0.1)
    frames = len(squat_frames(SquatPlan(reps=1, lead_in=0.2, pause=0.1)))
    source = open_source(SourceSpec("replay", path, loop=True))
    assert source.fps == 30.0
    items = [source.read() for _ in range(frames + 3)]
    assert all(isinstance(payload, PoseFrame) for _, payload in items)
    assert items[frames][0] == items[0][0]  # the loop starts again; Timeline keeps session time going


def test_video_source_reads_to_the_end(tmp_path: Path) -> None:
    source = open_source(SourceSpec("video", write_avi(tmp_path / "five.avi", 5)))
    reads = [source.read() for _ in range(6)]
    assert [r is None for r in reads] == [False] * 5 + [True]
    assert reads[0][1].shape == (48, 64, 3)


# ---- the capture thread --------------------------------------------------------


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


# ---- the pose + coach step -----------------------------------------------------


def _result(t: float, reps: list[str], cues: list[str]) -> LiveResult:
    return LiveResult(
        t=t,
        captured=t,
        processed=t,
        image=None,
        frame_size=(1, 1),
        person=None,
        update=None,
        overlay=Overlay(),
        samples=[(t, 1.0)],
        new_reps=reps,
        cues=cues,
    )  # type: ignore[arg-type]


def test_a_replaced_frame_hands_over_its_events() -> None:
    older, newer = _result(1.0, ["rep1"], ["cue1"]), _result(2.0, [], ["cue2"])
    newer.absorb(older)
    assert newer.samples == [(1.0, 1.0), (2.0, 1.0)]
    assert newer.new_reps == ["rep1"] and newer.cues == ["cue1", "cue2"]


def _coached_update(exercise: str, seconds: float = 2.0):  # type: ignore[no-untyped-def]
    coach = Coach(load_template_by_id(exercise))
    update = None
    for frame in squat_frames(SquatPlan(reps=1, lead_in=0.5)):
        update = coach.process(frame)
        if frame.t >= seconds:
            break
    return coach, update


def test_overlay_highlights_the_exercise_joints_and_the_primary_arc() -> None:
    coach, update = _coached_update("squat")
    overlay = overlay_for(coach, update)
    side = update.side
    knee, hip, ankle = (coach.measurer.plan.joints_of(f"knee_{side}")[i] for i in range(3))
    assert {knee, hip, ankle} <= set(overlay.highlight)
    assert len(overlay.arcs) == 1
    assert overlay.arcs[0].joints == (knee, hip, ankle)
    assert overlay.arcs[0].value == pytest.approx(update.measures[f"knee_{side}"])
    assert overlay.status == live_status(update.phase, update.primary_status)


def test_standing_between_reps_is_not_drawn_as_an_error() -> None:
    from dataclasses import replace

    coach, update = _coached_update("squat")
    standing = replace(update, phase="top", primary_status="out_of_range")
    assert overlay_for(coach, standing).status == "resting"
    rising = replace(update, phase="ascent", primary_status="out_of_range")
    assert overlay_for(coach, rising).status == "resting"  # back up after the bottom: between reps too
    descending = replace(update, phase="descent", primary_status="out_of_range")
    assert overlay_for(coach, descending).status == "out_of_range"  # mid-rep, short of the target: still shown


def test_overlay_of_a_two_sided_exercise_has_an_arc_per_leg() -> None:
    coach, update = _coached_update("lunge")
    assert len(overlay_for(coach, update).arcs) == 2
    assert overlay_for(coach, None, "left").arcs == ()  # preview: joints only, no values


class FakeBackend(PoseBackend):
    name = "fake"

    def __init__(self) -> None:
        self.calls = 0

    def infer(self, frame_bgr: np.ndarray, t: float) -> PoseFrame:
        self.calls += 1
        return PoseFrame(t=t, people=[], width=frame_bgr.shape[1], height=frame_bgr.shape[0])


def test_step_loads_a_model_only_for_images_and_shrinks_big_frames() -> None:
    created: list[FakeBackend] = []

    def factory() -> FakeBackend:
        created.append(FakeBackend())
        return created[-1]

    step = LiveStep(Coach(load_template_by_id("squat")), factory)
    pose = squat_frames(SquatPlan(reps=1))[0]
    replayed = step(SourceItem(t=0.0, captured=0.0, pose=pose), coaching=True)
    assert not created and replayed.image is None and replayed.person is not None
    assert replayed.update is not None and replayed.samples
    big = np.zeros((1920, 1080, 3), np.uint8)
    shown = step(SourceItem(t=0.1, captured=0.0, image=big), coaching=False)
    assert len(created) == 1 and created[0].calls == 1
    assert shown.update is None and shown.samples == []  # preview: the coach saw nothing
    assert shown.frame_size == (1080, 1920)  # keypoints stay in source pixels
    assert shown.image.shape[0] <= DISPLAY_MAX[1] and shown.image.shape[1] <= DISPLAY_MAX[0]
    assert display_image(np.zeros((480, 640, 3), np.uint8)).shape == (480, 640, 3)


@pytest.mark.parametrize(
    ("limit", "grey_levels"),
    [((394, 700), 1.0), ((1280, 720), 1.0), ((540, 960), 1.0), ((1000, 1500), 1.0), ((100, 100), 3.0)],
)
def test_display_image_fits_the_view_and_looks_like_area_averaging(
    lunge_video: Path, limit: tuple[int, int], grey_levels: float
) -> None:
    """The fast two-step shrink gives the size and (within a grey level on average; a few for a thumbnail)
    the picture of one area resize."""
    cap = cv2.VideoCapture(str(lunge_video))
    ok, frame = cap.read()
    cap.release()
    assert ok and frame.shape == (1920, 1080, 3)
    shown = display_image(frame, limit)
    scale = min(1.0, limit[0] / 1080, limit[1] / 1920)
    assert (shown.shape[1], shown.shape[0]) == (round(1080 * scale), round(1920 * scale))
    reference = cv2.resize(frame, (shown.shape[1], shown.shape[0]), interpolation=cv2.INTER_AREA)
    assert np.abs(shown.astype(int) - reference).mean() < grey_levels
