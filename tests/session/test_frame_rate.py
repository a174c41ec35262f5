"""The effective frame rate: frames through the engine per second of frame time, measured on
synthetic timestamps (never the wall clock), and when it is too low to count."""

from __future__ import annotations

import pytest

from rehab_coach.session.live.frame_rate import WINDOW_SECONDS, FrameRateMeter, RateChange

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
