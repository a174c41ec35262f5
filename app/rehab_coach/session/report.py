"""The analysis report: a stable JSON document (schema in docs/report-schema.md).

Top-level keys `exercise`, `backend`, `frames`, `seconds`, `frames_with_person`,
`rep_count`, `partial_reps`, `reps` and `cues` are a contract: later versions may add
keys but never rename these.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict
from pydantic.dataclasses import dataclass

from rehab_coach import __version__
from rehab_coach.engine.anatomy import NOT_MEASURABLE
from rehab_coach.engine.coach import Coach
from rehab_coach.engine.frame_rate import FrameRateSummary
from rehab_coach.engine.templates import Primary, TemplateFile
from rehab_coach.engine.types import CameraViewSummary, CueEvent, RepResult
from rehab_coach.errors import InputError
from rehab_coach.i18n import _
from rehab_coach.paths import private_folders

REPORT_VERSION = 1
VIEW_ADVICE = {"side": "Turn your side to the camera", "front": "Face the camera"}  # the English summary's advice


@dataclass(frozen=True)
class SourceInfo:
    kind: str  # video | keypoints | camera
    path: str | None
    width: int  # of the frames as analysed (upright)
    height: int
    fps: float
    # Video files only, None otherwise (added after version 1's first release):
    rotation: int | None = None  # degrees clockwise the stored frames were turned to stand upright
    frame_count: int | None = None  # frames the file lists (0: it does not say)
    frames_timed_by_rate: int | None = None  # frames the container gave no time for: 1 / fps after the previous
    ended_early: bool | None = None  # the file stopped well before the frames it lists (damaged, cut short)


@dataclass(frozen=True)
class TemplateSource:
    """The template file the analysis used: a user's file may replace a built-in one."""

    path: str
    sha256: str  # of the file as it was read
    replaces_builtin: str | None  # the built-in file this one was used instead of; None for a built-in

    @classmethod
    def of(cls, file: TemplateFile) -> TemplateSource:
        return cls(str(file.path), file.sha256, str(file.replaces) if file.replaces else None)


class ExerciseInfo(BaseModel):
    id: str
    name: str  # in the chosen language
    view: str  # side | front
    primary: Primary  # the rep measure and its thresholds


class FilterLag(BaseModel):
    rest_lag_ms: float
    moving_lag_ms_at_300px_s: float


class Report(BaseModel):
    """The analysis report, made of the engine's own rep, cue and summary models.

    The field order is the key order of the written JSON; docs/report.schema.json is generated from here.
    """

    model_config = ConfigDict(title="Rehab Coach analysis report")

    report_version: int
    app_version: str
    created: str  # ISO 8601, UTC, seconds
    exercise: ExerciseInfo
    # The template file (added after version 1's first release; None where the caller did not say).
    template: TemplateSource | None = None
    backend: str
    source: SourceInfo
    frames: int
    seconds: float
    frames_with_person: int
    rep_count: int
    partial_reps: int
    average_quality: float | None
    best_extreme: float | None
    best_extreme_source: str | None
    fault_counts: dict[str, int]
    camera_view: CameraViewSummary | None
    filter: FilterLag
    timings_ms: dict[str, float]
    # Frames through the engine per second (whole session, lowest window); added after version 1's
    # first release, so older reports lack it.
    frame_rate: FrameRateSummary | None = None
    # What the reader should know before trusting the numbers (a video that ended early); added later.
    warnings: list[str] = []
    reps: list[RepResult]
    cues: list[CueEvent]


def build_report(
    coach: Coach,
    backend: str,
    source: SourceInfo,
    timings_ms: dict[str, float] | None = None,
    frame_rate: FrameRateSummary | None = None,
    warnings: list[str] | None = None,
    template_file: TemplateFile | None = None,
) -> dict[str, Any]:
    first = coach.first_t or 0.0
    seconds = max(0.0, coach.last_t - first) + (1.0 / source.fps if coach.frames and source.fps > 0 else 0.0)
    summary = coach.session_summary()
    report = Report(
        report_version=REPORT_VERSION,
        app_version=__version__,
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        exercise=ExerciseInfo(
            id=coach.template.id,
            name=coach.template.name.get(coach.language),
            view=coach.template.view,
            primary=coach.template.primary,
        ),
        template=TemplateSource.of(template_file) if template_file else None,
        backend=backend,
        source=source,
        frames=coach.frames,
        seconds=round(seconds, 3),
        frames_with_person=coach.frames_with_person,
        **summary.model_dump(
            include={
                "rep_count",
                "partial_reps",
                "average_quality",
                "best_extreme",
                "best_extreme_source",
                "fault_counts",
                "camera_view",
            }
        ),
        filter=FilterLag(
            rest_lag_ms=round(coach.measurer.filter_config.rest_lag_ms, 1),
            moving_lag_ms_at_300px_s=round(coach.measurer.filter_config.moving_lag_ms(300), 1),
        ),
        timings_ms=timings_ms or {},
        frame_rate=frame_rate,
        warnings=warnings or [],
        reps=coach.reps,
        cues=coach.cue_log,
    )
    return report.model_dump()


def report_json_schema() -> dict[str, Any]:
    """The JSON Schema of the written report (serialisation side: `duration` is there, NaN is null)."""
    return Report.model_json_schema(mode="serialization")


def json_safe(data: Any) -> Any:
    """The data with every non-finite number (a measure that dropped out) as None: JSON has no NaN,
    and strict parsers (browsers, jq, most languages) refuse the bare `NaN` Python would write."""
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {key: json_safe(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [json_safe(value) for value in data]
    if isinstance(data, np.generic):
        return json_safe(data.item())
    if isinstance(data, np.ndarray):
        return json_safe(data.tolist())
    return data


def write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    """Write to a temporary file beside the target, then rename: a full disk never leaves half a report."""
    path = Path(path)
    try:
        private_folders(path.parent)  # the folders it makes hold patient data: 0700
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)  # 0600, kept by the rename
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(json_safe(data), fh, indent=2, ensure_ascii=False, allow_nan=False)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        if "tmp" in locals() and os.path.exists(tmp):
            os.unlink(tmp)
        raise InputError(f"{path}: cannot write the report: {exc.strerror or exc}") from None


def angle_text(value: float | None, source: str | None = None, language: str | None = None) -> str:
    """A reported angle for people: degrees, marked when measured from the 3D points, or why there is none."""
    if value is None or not math.isfinite(value):
        return _(NOT_MEASURABLE, language)
    return f"{value:.0f}°" + (" (3D)" if source == "world" else "")


def human_summary(report: dict[str, Any]) -> str:
    lines = [
        f"{report['exercise']['name']}: {report['rep_count']} reps, {report['partial_reps']} partial "
        f"({report['frames_with_person']}/{report['frames']} frames with a person, {report['seconds']:.1f} s, {report['backend']})",
    ]
    primary = report["exercise"]["primary"]
    if report["average_quality"] is not None:
        line = f"average quality {report['average_quality']:.0f}/100"
        if report["best_extreme"] is not None or report.get("best_extreme_source") is not None:  # not for holds
            best = angle_text(report["best_extreme"], report.get("best_extreme_source"))
            line += f", best {primary['measure']} {best} (target {primary['target']:.0f}°)"
        lines.append(line)
    for rep in report["reps"]:
        status = "ok" if rep["complete"] else f"partial ({rep['partial_reason']})"
        faults = f" faults: {', '.join(rep['faults'])}" if rep["faults"] else ""
        side = f" [{rep['side']}]" if rep["side"] else ""
        reached = (
            ""
            if rep.get("held_seconds") is not None
            else angle_text(rep["extreme"], rep.get("angle_source", {}).get(primary["measure"])) + ", "
        )
        lines.append(
            f"  rep {rep['index']}{side}: {rep['start_t']:.1f}-{rep['end_t']:.1f} s, {status}, "
            f"{reached}quality {rep['quality']:.0f}{faults}"
        )
    view = report.get("camera_view")
    if view and view.get("fit") in ("usable", "wrong"):
        cue = VIEW_ADVICE[view["wanted"]]  # what the patient was told live (there: which side, too)
        advice = cue[0].lower() + cue[1:]
        verdict = "measured anyway, less exact" if view["fit"] == "usable" else "angles from 3D points, or none"
        if view["fit"] == "wrong":
            instead = view.get("counted_from")
            no_depth = " and this pose model gives no 3D points" if primary.get("by_view", {}).get(view["seen"]) else ""
            verdict += (
                f"; counted from {instead}, which this view can see"
                if instead
                else f"; this view cannot see {primary['measure']} well{no_depth}, so the count may be wrong"
            )
        lines.append(f"camera view: {view['seen']} ({view['wanted']} wanted; {verdict}): next time, {advice}")
    if report["cues"]:
        lines.append("cues: " + "; ".join(f"{c['t']:.1f}s {c['text']}" for c in report["cues"][:12]))
    return "\n".join(lines)
