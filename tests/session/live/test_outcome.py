"""What a finished live session keeps: the optional JSON report with the analysis and the live numbers."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from rehab_coach.capture.sources import SourceSpec
from rehab_coach.engine.coach import Coach
from rehab_coach.engine.templates import load_template_by_id
from rehab_coach.session.live.outcome import SessionOutcome, export_report
from rehab_synth.squat_stream import SquatPlan, squat_frames


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
