"""The effective frame rate of a live session: frames through the engine per second of frame time,
measured on synthetic timestamps (never the wall clock), and the warning when it is too low to count."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from live_harness import Harness, make_harness

from rehab_coach.cli import main
from rehab_coach.engine.frame_rate import MIN_COUNTING_FPS, WINDOW_SECONDS
from rehab_coach.keypoints.types import PoseFrame
from rehab_coach.session.live import events as ev
from rehab_coach.session.live.frame_rate import FrameRateMeter, RateChange
from rehab_coach.session.live.outcome import session_document
from rehab_coach.session.live.step import LiveResult, Overlay
from rehab_coach.session.live.store_thread import StoreThread
from rehab_coach.session.store import Store
from rehab_synth import generate
from rehab_synth.squat_stream import SquatPlan, squat_frames

FULL_FPS = 30


def squats_at(fps: int, reps: int = 4) -> list[PoseFrame]:
    """A 30 fps squat stream thinned to `fps`, as a slow computer drops frames: every n-th one reaches the engine."""
    frames = squat_frames(SquatPlan(reps=reps, fps=FULL_FPS))
    return frames[:: FULL_FPS // fps]


def started(**settings: object) -> Harness:
    h = make_harness(**settings)
    h.start(**{"dosage.sets": 1, "dosage.reps": 50})  # one long set: no rest interrupts the stream
    return h


def finished_rate(h: Harness) -> tuple[float | None, float | None]:
    h.session.finish()
    [done] = h.of(ev.SessionFinished)
    rate = done.outcome.frame_rate
    assert rate is not None
    return rate.mean_fps, rate.lowest_fps


# ---- the meter on its own ------------------------------------------------------------------


def test_the_meter_counts_frames_per_second_of_timestamps_over_a_window_and_the_whole_stretch() -> None:
    meter = FrameRateMeter()
    for i in range(20):  # 2 s at 10 fps: the window is not full yet
        meter.frame(5.0 + i / 10)
    assert meter.windowed_fps() is None and meter.mean_fps() == pytest.approx(10)
    for i in range(20, 80):
        meter.frame(5.0 + i / 10)
    assert meter.windowed_fps() == pytest.approx(10) and meter.lowest_fps == pytest.approx(10)
    for i in range(1, 11):  # then one frame every 2 s: the window keeps one step older than itself
        meter.frame(12.9 + 2.0 * i)
    assert meter.windowed_fps() == pytest.approx(0.5)
    assert meter.mean_fps() == pytest.approx(89 / 27.9)


def test_a_pause_between_stretches_is_no_slow_frame() -> None:
    meter = FrameRateMeter()
    for i in range(100):  # 5 s at 20 fps, a 95 s pause, 5 s more
        meter.frame(i / 20)
    meter.interrupt()
    for i in range(100):
        meter.frame(100.0 + i / 20)
    assert meter.mean_fps() == pytest.approx(20) and meter.lowest_fps == pytest.approx(20)


def test_time_going_back_starts_a_new_stretch() -> None:
    meter = FrameRateMeter()
    for t in (10.0, 10.1, 10.2, 0.0, 0.1):
        meter.frame(t)
    assert meter.mean_fps() == pytest.approx(10)


def test_the_meter_says_too_slow_once_per_spell_and_recovered_once() -> None:
    meter = FrameRateMeter()
    times = [i / 5 for i in range(60)] + [12.0 + i / 30 for i in range(1, 300)] + [22.0 + i / 5 for i in range(1, 60)]
    changes = [(t, change) for t in times if (change := meter.frame(t)) is not None]
    assert [change for _, change in changes] == [RateChange.TOO_SLOW, RateChange.RECOVERED, RateChange.TOO_SLOW]
    # Each only after the window is full and the rate has stayed on its side a few seconds.
    assert changes[0][0] >= WINDOW_SECONDS + 3.0 - 1e-9
    assert 12.0 + 3.0 < changes[1][0] < 22.0


# ---- the live session --------------------------------------------------------------------


def test_a_stream_thinned_to_10_fps_measures_10_and_is_fast_enough() -> None:
    h = started()
    h.feed(squats_at(10))
    assert h.session.frame_rate.windowed_fps() == pytest.approx(10)
    mean, lowest = finished_rate(h)
    assert mean == pytest.approx(10) and lowest == pytest.approx(10)
    assert 10 > MIN_COUNTING_FPS
    assert not h.of(ev.FrameRateLow) and "frame_rate_low" not in h.log


def test_a_stream_thinned_to_5_fps_measures_5_and_says_the_computer_is_too_slow_once() -> None:
    h = started()
    h.feed(squats_at(5))
    [low] = h.of(ev.FrameRateLow)
    assert low.fps == pytest.approx(5) and low.needed_fps == MIN_COUNTING_FPS
    assert low.text == "This computer is too slow to count reliably: close other programs"
    assert h.log.count("frame_rate_low") == 1 and not h.of(ev.FrameRateRecovered)
    mean, lowest = finished_rate(h)
    assert mean == pytest.approx(5) and lowest == pytest.approx(5)


def test_the_warning_speaks_the_sessions_language() -> None:
    h = started(language="zh")
    h.feed(squats_at(5))
    [low] = h.of(ev.FrameRateLow)
    assert low.text == "这台电脑太慢，无法准确计数：请关闭其他程序"


def test_a_slow_spell_is_said_once_and_its_end_once() -> None:
    h = started()
    h.feed(squats_at(5, reps=3))
    h.feed(squats_at(30, reps=3))
    h.feed(squats_at(10, reps=2))  # slower than before but fast enough: nothing to say
    said = [e for e in h.events if isinstance(e, ev.FrameRateLow | ev.FrameRateRecovered)]
    assert [type(e) for e in said] == [ev.FrameRateLow, ev.FrameRateRecovered]
    assert said[1].fps == pytest.approx(30)
    assert [k for k in h.log if k.startswith("frame_rate")] == ["frame_rate_low", "frame_rate_recovered"]
    mean, lowest = finished_rate(h)
    assert lowest == pytest.approx(5) and mean is not None and 10 < mean < 30


def test_a_pause_is_not_counted_as_slow() -> None:
    h = started()
    h.feed(squats_at(30, reps=2))
    h.session.toggle_pause()
    h.wait(20.0)  # twenty seconds without a frame
    h.session.toggle_pause()  # no countdown: running again at once
    h.feed(squats_at(30, reps=2))
    assert not h.of(ev.FrameRateLow)
    mean, lowest = finished_rate(h)
    assert mean == pytest.approx(30) and lowest == pytest.approx(30)


def test_frames_the_screen_never_painted_still_count_as_reaching_the_engine() -> None:
    def result(t: float) -> LiveResult:
        return LiveResult(t, t, t, None, (0, 0), None, None, Overlay(), coached_times=[t])

    newest = result(0.2)
    newest.absorb(result(0.1))
    newest.absorb(result(0.0))
    assert newest.coached_times == [0.0, 0.1, 0.2]


def test_the_outcome_keeps_the_rate_in_its_live_section() -> None:
    h = started()
    h.feed(squats_at(10))
    h.session.finish()
    live = h.of(ev.SessionFinished)[0].outcome.live_section()
    assert live["frame_rate"] == {"mean_fps": 10.0, "lowest_fps": 10.0, "window_seconds": 3.0, "needed_fps": 8.0}


# ---- where the rate is kept ----------------------------------------------------------------


def test_the_recorded_session_keeps_its_rate_in_the_database(tmp_path: Path) -> None:
    store = StoreThread(tmp_path / "sessions.db", delay=0.0)
    try:
        h = make_harness(recorder=store)
        h.start(**{"dosage.sets": 1, "dosage.reps": 50})
        h.feed(squats_at(5))
        h.session.finish()
        uid = h.saved_uid()
    finally:
        store.close()
    db = Store(tmp_path / "sessions.db")
    try:
        session = db.session_detail(uid).session
    finally:
        db.close()
    assert (session.fps_mean, session.fps_lowest) == (5.0, 5.0)
    assert session.summary is not None and session.summary["live"]["frame_rate"]["lowest_fps"] == 5.0
    assert "frame_rate_low" in [e["kind"] for e in session.summary["live"]["events"]]


def test_the_live_sessions_json_report_carries_its_rate() -> None:
    h = started()
    h.feed(squats_at(10))
    h.session.finish()
    document = session_document(h.of(ev.SessionFinished)[0].outcome)
    assert document["frame_rate"]["mean_fps"] == document["frame_rate"]["lowest_fps"] == 10.0


@pytest.mark.parametrize("fps", [10, 5])
def test_the_replay_report_carries_the_rate_of_a_thinned_stream(
    fps: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stream = tmp_path / f"squat_{fps}fps.jsonl"
    generate("squat", reps=3, seed=5, fps=fps).write(stream)
    out = tmp_path / "report.json"
    assert main(["replay", str(stream), "--exercise", "squat", "--json", str(out)]) == 0
    rate = json.loads(out.read_text(encoding="utf-8"))["frame_rate"]
    assert rate["mean_fps"] == rate["lowest_fps"] == pytest.approx(fps)
    assert rate["needed_fps"] == MIN_COUNTING_FPS and rate["window_seconds"] == WINDOW_SECONDS
