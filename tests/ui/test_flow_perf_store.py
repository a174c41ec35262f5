"""Sets and rest, frame-rate and latency numbers, and the optional JSON report (no Qt)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from rehab_coach.capture.sources import SourceSpec
from rehab_coach.engine.coach import Coach
from rehab_coach.engine.templates import Dosage, load_template_by_id
from rehab_coach.engine.types import RepResult
from rehab_coach.session.live.latency import PerfMeter
from rehab_coach.session.live.outcome import SessionOutcome, export_report
from rehab_coach.session.live.sets import SetProgress
from rehab_synth.squat_stream import SquatPlan, squat_frames


def rep(index: int, complete: bool = True, quality: float = 90.0) -> RepResult:
    return RepResult(
        index=index,
        start_t=0,
        end_t=1,
        complete=complete,
        side=None,
        rom=60,
        extreme=95,
        start_value=170,
        quality=quality,
        quality_parts={},
        peaks={},
        faults=[],
    )


def test_sets_count_complete_reps_only() -> None:
    progress = SetProgress.from_dosage(Dosage(sets=2, reps=2, rest_seconds=30))
    assert progress.add(rep(1)) == "rep"
    assert progress.add(rep(2, complete=False)) == "rep"  # shown, never counted
    assert progress.add(rep(3)) == "set_done"
    assert (progress.done_in_set, progress.sets_completed, len(progress.current)) == (2, 1, 3)
    progress.next_set()
    assert (progress.set_index, progress.done_in_set, progress.last) == (2, 0, None)
    progress.add(rep(4))
    assert progress.add(rep(5)) == "all_done"
    assert progress.sets_completed == 2


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


def test_json_report_holds_the_analysis_and_the_live_numbers(tmp_path: Path) -> None:
    coach = Coach(load_template_by_id("squat"))
    for frame in squat_frames(SquatPlan(reps=2, faults={2: ["trunk_lean"]})):
        coach.process(frame)
    coach.finish()
    outcome = SessionOutcome(
        coach=coach,
        source=SourceSpec("replay", "/tmp/x.jsonl"),
        backend="keypoint replay (no model)",
        frame_size=(640, 480),
        fps=30.0,
        started=datetime(2025, 1, 2, 3, 4, 5),
        sets_completed=0,
        sets_planned=3,
        perf={"fps": 29.5, "latency_ms_mean": 20.0},
        events=[{"kind": "source_lost"}],
        patient="P-7",
        status="stopped",
    )
    path = export_report(outcome, tmp_path / "reports")
    assert path == tmp_path / "reports" / "20250102-030405_squat.json" and outcome.exported_to == path
    data = json.loads(path.read_text())
    assert data["rep_count"] == 2 and data["exercise"]["id"] == "squat" and data["source"]["kind"] == "keypoints"
    assert data["live"]["performance"]["fps"] == 29.5 and data["live"]["events"] == [{"kind": "source_lost"}]
    assert (data["live"]["patient"], data["live"]["status"]) == ("P-7", "stopped")
    assert outcome.fault_texts("en") == [("Keep your chest up", 1)]
    stored = outcome.stored_summary()  # what the database keeps as the session's summary
    assert (
        stored["rep_count"] == 2
        and stored["live"]["sets_planned"] == 3
        and stored["live"]["performance"]["fps"] == 29.5
    )
