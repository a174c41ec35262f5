"""How well the camera times the clinical tests: its event times against the same events timed by
eye from frame sheets (scripts/devset/contact_sheet.py), on real clips.

The by-eye times live in a JSON list (`scripts/devset/clinical_timing.json`), one entry per clip:
the clip's file, the test it shows, and per event the times a person read off the sheets. The
events, as the eye and the camera define them:

- `stand_up`: fully upright (hips and knees straight) after each rise from the chair;
- `seat_contact`: the buttocks on the seat again after each stand (the end of a 5xSTS, of a TUG);
- `seat_off`: the buttocks leave the seat (where a TUG with no start signal in view is timed from).

A clip has no start signal, so the camera's clock starts at the clip's first frame, like the eye's:
each error is the camera's time of an event minus the eye's. The tests' own numbers follow from the
events (a 5xSTS is Go to the fifth seat contact; a TUG, here, seat-off to seat contact).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import cv2
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from rehab_coach.engine.clinical import BodyReading, ClinicalCoach, ClinicalResult, replay_trial
from rehab_coach.engine.clinical.catalog import TestId
from rehab_coach.engine.tracking import PatientTracker
from rehab_coach.errors import InputError, first_problem
from rehab_coach.evaluation.keypoint_cache import cache_key, cached_stream
from rehab_coach.evaluation.thinning import Thinning
from rehab_coach.keypoints.stream import KeypointStream, KeypointStreamWriter, StreamHeader
from rehab_coach.keypoints.types import PoseFrame
from rehab_coach.pose.backend import PoseBackend

EventName = Literal["stand_up", "seat_contact", "seat_off"]
MAX_PLAUSIBLE_FPS = 240.0  # a container saying more states a time base, not frames a second


class TimedClip(BaseModel):
    """One clip of the timing set: its file, the test it shows, the events timed by eye."""

    model_config = ConfigDict(extra="allow")

    file: str = Field(min_length=1)
    test: TestId
    view: str = "side"
    events: dict[EventName, list[float]] = Field(min_length=1)
    sheet_fps: float = Field(gt=0, description="thumbnails a second on the sheets the times were read from")
    notes: str = ""


_CLIPS = TypeAdapter(list[TimedClip])


def load_timed_clips(path: Path) -> list[TimedClip]:
    """The timing set; an error names the file, the entry and the field."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: cannot read the timing set ({exc})") from None
    try:
        return _CLIPS.validate_python(data)
    except ValidationError as exc:
        where, problem = first_problem(exc)
        raise InputError(f"{path}: entry {where}: {problem}") from None


# ---- frames -----------------------------------------------------------------------------------


def container_times(video: Path) -> list[float] | None:
    """Each frame's container timestamp, for a file whose stated frame rate is no rate (a variable
    frame-rate WebM states 1000); None for an ordinary file (its frames are index / fps)."""
    capture = cv2.VideoCapture(str(video))
    try:
        fps = float(capture.get(cv2.CAP_PROP_FPS) or 0.0)
        if 0 < fps <= MAX_PLAUSIBLE_FPS:
            return None
        times = []
        while capture.grab():
            times.append(capture.get(cv2.CAP_PROP_POS_MSEC) / 1000.0)
        return times
    finally:
        capture.release()


def clip_frames(video: Path, backend: PoseBackend, cache: Path) -> list[PoseFrame]:
    """The tracked patient of every frame (cached per video and backend), timed as the file times them."""
    times = container_times(video)
    if times is None:
        return list(cached_stream(video, backend, cache))
    cache.mkdir(parents=True, exist_ok=True)
    out = cache / f"{video.stem}-{cache_key(video, backend.description + '|container times')}.jsonl"
    if not out.is_file():
        _write_timed_stream(video, times, backend, out)
    return list(KeypointStream(out))


def _write_timed_stream(video: Path, times: Sequence[float], backend: PoseBackend, out: Path) -> None:
    capture = cv2.VideoCapture(str(video))
    tracker = PatientTracker()
    reset = getattr(backend, "reset", None)
    if callable(reset):
        reset()
    partial = out.with_suffix(".part")
    try:
        with open(partial, "w", encoding="utf-8") as fh:
            width, height = int(capture.get(cv2.CAP_PROP_FRAME_WIDTH)), int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT))
            rate = len(times) / times[-1] if len(times) > 1 and times[-1] > 0 else 30.0
            writer = KeypointStreamWriter(fh, StreamHeader(width, height, rate))
            for t in times:
                ok, image = capture.read()
                if not ok:
                    break
                frame = backend.infer(image, t)
                patient = tracker.select(frame)
                writer.write(PoseFrame(t=t, people=[patient] if patient else [], width=width, height=height))
        partial.replace(out)
    finally:
        capture.release()
        partial.unlink(missing_ok=True)


def readings_of(frames: Iterable[PoseFrame], test: TestId) -> list[BodyReading]:
    """Every frame through the test's coach (its smoothing and tracking): the readings it times from."""
    coach = ClinicalCoach(test)
    for frame in frames:
        coach.process(frame)
    return list(coach.readings)


# ---- camera against eye -------------------------------------------------------------------------


def camera_events(result: ClinicalResult) -> dict[EventName, list[float]]:
    """The events the camera found, in seconds since the clock started."""
    if result.test == "timed_up_and_go":
        events: dict[EventName, list[float]] = {}
        if "rise_start" in result.secondary:
            events["seat_off"] = [result.secondary["rise_start"]]
        if result.value is not None:
            events["seat_contact"] = [result.value]
        return events
    return {
        "seat_off": [s.rise for s in result.stand_times],
        "stand_up": [s.up for s in result.stand_times],
        "seat_contact": [s.sit for s in result.stand_times if s.sit is not None],
    }


@dataclass(frozen=True)
class EventError:
    clip: str
    test: TestId
    event: EventName
    number: int  # 1-based: which stand's event
    by_eye: float
    camera: dict[str, float | None]  # per frame rate label: the camera's time, None when it missed it

    def error(self, label: str) -> float | None:
        value = self.camera.get(label)
        return None if value is None else value - self.by_eye


@dataclass(frozen=True)
class ClinicalTime:
    """A test's own number on a clip: by eye and by the camera at each frame rate."""

    clip: str
    test: TestId
    what: str
    by_eye: float
    camera: dict[str, float | None]


RATES: tuple[tuple[str, Thinning], ...] = (
    ("full", Thinning()),
    ("15 fps", Thinning(fps=15)),
    ("10 fps", Thinning(fps=10)),
)


def time_clip(
    clip: TimedClip, frames: Sequence[PoseFrame], rates: Sequence[tuple[str, Thinning]] = RATES
) -> tuple[list[EventError], list[ClinicalTime]]:
    """Each by-eye event against the camera's at each frame rate, and the test's own number."""
    found: dict[str, dict[EventName, list[float]]] = {}
    results: dict[str, ClinicalResult] = {}
    for label, thinning in rates:
        kept = thinning.apply(frames)
        readings = readings_of(kept, clip.test)
        start = frames[0].t if frames else 0.0
        results[label] = replay_trial(clip.test, readings, start)
        found[label] = camera_events(results[label])
    errors = []
    for event, times in clip.events.items():
        for number, by_eye in enumerate(times, start=1):
            camera = {label: _nth(found[label].get(event, []), number) for label, _ in rates}
            errors.append(EventError(clip.file, clip.test, event, number, by_eye, camera))
    return errors, _test_times(clip, found, [label for label, _ in rates])


def _nth(values: list[float], number: int) -> float | None:
    return values[number - 1] if len(values) >= number else None


def _test_times(
    clip: TimedClip, found: dict[str, dict[EventName, list[float]]], labels: list[str]
) -> list[ClinicalTime]:
    eye = clip.events
    out = []
    fifth: tuple[tuple[str, EventName], ...] = (
        ("5xSTS, Go to the fifth seat contact", "seat_contact"),
        ("5xSTS, Go to the fifth stand", "stand_up"),
    )
    for what, event in fifth if clip.test == "five_times_sit_to_stand" else ():
        if len(eye.get(event, [])) >= 5:
            at_five = {label: _nth(found[label].get(event, []), 5) for label in labels}
            out.append(ClinicalTime(clip.file, clip.test, what, eye[event][4], at_five))
    if clip.test == "timed_up_and_go" and eye.get("seat_off") and eye.get("seat_contact"):
        camera: dict[str, float | None] = {}
        for label in labels:
            off, contact = _nth(found[label].get("seat_off", []), 1), _nth(found[label].get("seat_contact", []), 1)
            camera[label] = contact - off if off is not None and contact is not None else None
        out.append(
            ClinicalTime(
                clip.file,
                clip.test,
                "TUG, seat-off to seat contact",
                eye["seat_contact"][0] - eye["seat_off"][0],
                camera,
            )
        )
    return out


# ---- the table ----------------------------------------------------------------------------------


def _cell(value: float | None, signed: bool = False) -> str:
    if value is None or not math.isfinite(value):
        return "missed"
    return f"{value:+.2f}" if signed else f"{value:.2f}"


def format_tables(errors: Sequence[EventError], tests: Sequence[ClinicalTime], labels: Sequence[str]) -> str:
    """Markdown: every event (by eye, camera, error at each rate), the tests' numbers, and a summary."""
    lines = [
        "| clip | event | by eye (s) | " + " | ".join(f"camera {label} (s) | error {label}" for label in labels) + " |"
    ]
    lines.append("|" + " --- |" * (3 + 2 * len(labels)))
    for e in errors:
        cells = [f"{_cell(e.camera.get(label))} | {_cell(e.error(label), True)}" for label in labels]
        lines.append(f"| {e.clip} | {e.event} {e.number} | {e.by_eye:.2f} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "| clip | test time | by eye (s) | " + " | ".join(f"camera {label} | error {label}" for label in labels) + " |",
    ]
    lines.append("|" + " --- |" * (3 + 2 * len(labels)))
    for t in tests:
        cells = []
        for label in labels:
            value = t.camera.get(label)
            cells.append(f"{_cell(value)} | {_cell(None if value is None else value - t.by_eye, True)}")
        lines.append(f"| {t.clip} | {t.what} | {t.by_eye:.2f} | " + " | ".join(cells) + " |")
    lines += ["", "| event | " + " | ".join(f"mean abs error {label} (s) | missed {label}" for label in labels) + " |"]
    lines.append("|" + " --- |" * (1 + 2 * len(labels)))
    for event in dict.fromkeys(e.event for e in errors):
        cells = []
        for label in labels:
            values = [abs(v) for e in errors if e.event == event and (v := e.error(label)) is not None]
            missed = sum(1 for e in errors if e.event == event and e.error(label) is None)
            mean = sum(values) / len(values) if values else None
            cells.append(f"{_cell(mean)} (n={len(values)}) | {missed}")
        lines.append(f"| {event} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def resolve_video(clip: TimedClip, folders: Sequence[Path]) -> Path | None:
    for folder in folders:
        path = folder / clip.file
        if path.is_file():
            return path
    return None


def run_timing(
    clips: Sequence[TimedClip],
    folders: Sequence[Path],
    backend: Callable[[], PoseBackend],
    cache: Path,
    on_missing: Callable[[TimedClip], None] = lambda clip: None,
) -> tuple[list[EventError], list[ClinicalTime]]:
    """Every clip found in `folders`: its frames (cached), then `time_clip`."""
    errors: list[EventError] = []
    tests: list[ClinicalTime] = []
    model: PoseBackend | None = None
    for clip in clips:
        video = resolve_video(clip, folders)
        if video is None:
            on_missing(clip)
            continue
        model = model or backend()
        clip_errors, clip_tests = time_clip(clip, clip_frames(video, model, cache))
        errors += clip_errors
        tests += clip_tests
    if model is not None:
        model.close()
    return errors, tests
