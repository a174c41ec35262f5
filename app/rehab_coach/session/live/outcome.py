"""What a finished live session leaves behind: the summary stored with it, and an optional JSON report.

The database (`rehab_coach.session.store`, written through `StoreThread`) is the source of
truth: every rep and cue is there as it happens. The summary stored when the session ends
adds what only the live app knows (sets, frame rate and latency, camera and worker events).
`export_report` writes the same as one JSON file, the analysis report of
`docs/report-schema.md` plus a `live` section, for whoever wants a file (`--export-json DIR`).
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from rehab_coach.capture.sources import SourceSpec
from rehab_coach.engine.coach import Coach
from rehab_coach.engine.fault_words import fault_cue
from rehab_coach.engine.frame_rate import FrameRateSummary
from rehab_coach.session.live.store_thread import SaveResult
from rehab_coach.session.report import SourceInfo, build_report, write_json_atomic

log = logging.getLogger(__name__)

_REPORT_KINDS = {"camera": "camera", "video": "video", "replay": "keypoints"}


@dataclass
class SessionOutcome:
    """Everything the summary page shows and the session keeps."""

    coach: Coach
    source: SourceSpec
    backend: str
    frame_size: tuple[int, int]
    fps: float
    started: datetime
    sets_completed: int
    sets_planned: int
    perf: dict[str, float | int]
    events: list[dict[str, Any]] = field(default_factory=list)  # camera lost/back, errors, pauses, restarts
    patient: str | None = None  # pseudonymous code; None for a guest
    status: str = "completed"  # or "stopped": ended before the last set was done
    saved: SaveResult | None = None  # set once the store thread has written the end
    exported_to: Path | None = None
    check_in: tuple[int | None, int | None] | None = None  # the patient's pain and effort, once answered
    reps_per_set: list[int] = field(default_factory=list)  # complete reps in each set started
    reps_planned: int = 0  # reps per set in the dosage
    frame_rate: FrameRateSummary | None = None  # frames through the engine per second (None: not measured)

    @property
    def summary(self) -> dict[str, Any]:
        return self.coach.summary()

    def fault_texts(self, language: str) -> list[tuple[str, int]]:
        """Most frequent faults first, named by their cue (what the patient heard), never by their id."""
        template = self.coach.template
        return [(fault_cue(fault, template, language), count) for fault, count in self.summary["fault_counts"].items()]

    def live_section(self) -> dict[str, Any]:
        spec = self.source
        return {
            "started": self.started.isoformat(timespec="seconds"),
            "source": spec.describe() if spec.live else str(spec.target),
            "backend": self.backend,
            "sets_completed": self.sets_completed,
            "sets_planned": self.sets_planned,
            "performance": self.perf,
            "frame_rate": asdict(self.frame_rate) if self.frame_rate is not None else None,
            "events": self.events,
        }

    def stored_summary(self) -> dict[str, Any]:
        """The session's `summary` in the database: the coach's summary plus the live section."""
        return {**self.summary, "live": self.live_section()}


def session_document(outcome: SessionOutcome) -> dict[str, Any]:
    spec = outcome.source
    width, height = outcome.frame_size
    info = SourceInfo(
        kind=_REPORT_KINDS[spec.kind],
        path=None if spec.live else str(spec.target),
        width=width,
        height=height,
        fps=round(outcome.fps, 3),
    )
    timings = {"pose_mean": float(outcome.perf.get("pose_ms_mean", 0.0))}
    report = build_report(outcome.coach, outcome.backend, info, timings, outcome.frame_rate)
    report["live"] = {
        **outcome.live_section(),
        "patient": outcome.patient,
        "status": outcome.status,
        "session_uid": outcome.saved.uid if outcome.saved else None,
    }
    return report


def export_report(outcome: SessionOutcome, folder: Path) -> Path:
    """Write the JSON report; raises InputError when the disk refuses (the caller logs it)."""
    stamp = outcome.started.strftime("%Y%m%d-%H%M%S")
    path = folder / f"{stamp}_{outcome.coach.template.id}.json"
    write_json_atomic(path, session_document(outcome))
    log.info("session report written to %s", path)
    outcome.exported_to = path
    return path
