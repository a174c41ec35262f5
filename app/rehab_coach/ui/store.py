"""Saving a finished live session: the analysis report plus what only the live app knows.

One JSON file per session under user_data_dir()/sessions/; the patient/therapist
database comes later and can import these files.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from rehab_coach.engine.coach import Coach
from rehab_coach.paths import user_data_dir
from rehab_coach.session.live import SourceSpec
from rehab_coach.session.report import SourceInfo, build_report, write_json_atomic

log = logging.getLogger(__name__)

_REPORT_KINDS = {"camera": "camera", "video": "video", "replay": "keypoints"}


@dataclass
class SessionOutcome:
    """Everything the summary page shows and the session file keeps."""

    coach: Coach
    source: SourceSpec
    backend: str
    frame_size: tuple[int, int]
    fps: float
    started: datetime
    sets_completed: int
    sets_planned: int
    perf: dict[str, float | int]
    events: list[dict[str, Any]] = field(default_factory=list)  # camera lost/back, errors, pauses
    saved_to: Path | None = None

    @property
    def summary(self) -> dict[str, Any]:
        return self.coach.summary()

    def fault_texts(self, language: str) -> list[tuple[str, int]]:
        """Most frequent faults first, named by their cue (what the patient heard)."""
        cues = {rule.id: rule.cue.get(language) for rule in self.coach.template.rules}
        return [(cues.get(fault, fault), count) for fault, count in self.summary["fault_counts"].items()]


def session_document(outcome: SessionOutcome) -> dict[str, Any]:
    spec = outcome.source
    width, height = outcome.frame_size
    info = SourceInfo(kind=_REPORT_KINDS[spec.kind], path=None if spec.live else str(spec.target),
                      width=width, height=height, fps=round(outcome.fps, 3))
    report = build_report(outcome.coach, outcome.backend, info, {"pose_mean": float(outcome.perf.get("pose_ms_mean", 0.0))})
    report["live"] = {
        "started": outcome.started.isoformat(timespec="seconds"),
        "source": spec.describe() if spec.live else str(spec.target),
        "sets_completed": outcome.sets_completed,
        "sets_planned": outcome.sets_planned,
        "performance": outcome.perf,
        "events": outcome.events,
    }
    return report


def sessions_dir() -> Path:
    return user_data_dir() / "sessions"


def save_session(outcome: SessionOutcome) -> Path:
    """Write the session file; raises InputError when the disk refuses (the caller shows it)."""
    stamp = outcome.started.strftime("%Y%m%d-%H%M%S")
    path = sessions_dir() / f"{stamp}_{outcome.coach.template.id}.json"
    write_json_atomic(path, session_document(outcome))
    log.info("session saved to %s (%s)", path, outcome.perf)
    outcome.saved_to = path
    return path
