"""The live frame rate and capture-to-paint latency, on given times (no clock)."""

from __future__ import annotations

import pytest

from rehab_coach.session.live.latency import PerfMeter


def test_perf_meter_fps_and_latency() -> None:
    meter = PerfMeter(window_seconds=1.0)
    for i in range(31):  # 30 fps, each painted 40 ms after capture
        now = 10 + i / 30
        meter.frame_painted(captured=now - 0.040, now=now)
        meter.frame_processed(12.0)
    assert meter.fps() == pytest.approx(30, rel=0.02)
    assert meter.latency_ms() == pytest.approx(40, abs=0.1)
    summary = meter.summary()
    assert summary["frames_painted"] == 31 and summary["fps"] == pytest.approx(30, rel=0.02)
    assert summary["latency_ms_p95"] == pytest.approx(40, abs=0.1) and summary["pose_ms_mean"] == 12.0
    assert PerfMeter().summary()["fps"] == 0.0


def test_perf_meter_rolling_p95_follows_the_last_seconds() -> None:
    meter = PerfMeter(window_seconds=1.0)
    for i in range(60):  # two seconds at 30 fps: the first second slow (100 ms), the second fast with 3 spikes
        now = 10 + i / 30
        latency = 0.100 if i < 25 else (0.060 if i in (40, 45, 50) else 0.020)
        meter.frame_painted(captured=now - latency, now=now)
    assert meter.latency_p95_ms() == pytest.approx(60.0, abs=0.1)  # the slow first second has left the window
    assert meter.latency_ms() == pytest.approx((27 * 20.0 + 3 * 60.0) / 30, abs=1.5)
    assert meter.summary()["latency_ms_p95"] == pytest.approx(100, abs=0.1)  # the session keeps every frame
    assert PerfMeter().latency_p95_ms() == 0.0
