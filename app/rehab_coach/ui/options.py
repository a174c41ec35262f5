"""How the app was launched (command line, clinic shortcut, tests); plain data, no Qt."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rehab_coach.capture.sources import FrameSource, SourceSpec, open_source


@dataclass
class LaunchOptions:
    source: SourceSpec = field(default_factory=lambda: SourceSpec("camera", 0))
    exercise: str | None = None  # start straight into this exercise, skipping the picker
    test: str | None = None  # start straight into this standard clinical test (engine/clinical/catalog.py)
    backend: str = "auto"
    backend_options: dict[str, Any] = field(default_factory=dict)  # model, input_size, provider, threads
    language: str = "en"
    overrides: dict[str, Any] = field(default_factory=dict)  # template overrides, e.g. {"dosage.reps": 5}
    countdown: int = 3
    framing_check: bool | None = None  # the framing check before each set; None: for a live camera only
    audio: bool = True
    muted: bool = False
    fullscreen: bool = False
    therapist_view: bool = False  # the live plot, status line and technical details (else the patient's calm view)
    screenshots: Path | None = None  # save live.png and summary.png here, then quit
    screenshot_at: float | None = None  # session time of the live screenshot (default: end of the source)
    opener: Callable[[SourceSpec], FrameSource] = open_source  # tests inject sources here
    db_url: str | None = None  # None: REHAB_COACH_DB_URL, then storage.toml, then SQLite in the data folder
    patient: str | None = None  # record sessions for this patient code (None: a guest)
    program_item: Any = None  # the ProgramItemInfo of `patient`'s program for `exercise`, if any
    export_dir: Path | None = None  # also write each session as a JSON report here
    kiosk: bool = False
    idle_timeout: float = 60.0  # kiosk: seconds without anyone in view or any touch before "Still there?"
    still_there_seconds: float = 20.0  # kiosk: the countdown of "Still there?" before the session ends
    show_names: bool = True  # kiosk: patients' display names on the check-in buttons (else codes only)


def spec_for_file(path: Path, *, loop: bool = False, speed: float = 1.0) -> SourceSpec:
    """A keypoint stream (.jsonl) replays; anything else is read as a video."""
    kind = "replay" if path.suffix.lower() in (".jsonl", ".ndjson") else "video"
    return SourceSpec(kind, path, loop=loop, speed=speed)  # type: ignore[arg-type]
