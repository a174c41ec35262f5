"""Shared fixtures. Tests read only files committed under tests/data/, and write only under their
own temporary folder: the app's data folder (database, journal, keypoint cache) and its settings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from rehab_coach.session.live.headless import SimulatedClock
from rehab_synth.squat_stream import SquatPlan, write_squat_stream

DATA_DIR = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def user_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app's data folder for this test (the default SQLite database and the offline journal
    live there) and its settings folder beside it: never the real user's, nor a database URL of theirs."""
    folder = tmp_path / "data"
    monkeypatch.setenv("REHAB_COACH_DATA_DIR", str(folder))
    monkeypatch.setenv("REHAB_COACH_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("REHAB_COACH_DB_URL", raising=False)
    return folder


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The committed test files (tests/data)."""
    return DATA_DIR


@pytest.fixture(scope="session")
def lunge_video(data_dir: Path) -> Path:
    """Real footage: one person, 100 frames, 60 fps, 1080x1920 portrait (Pose2Sim, BSD-3)."""
    return data_dir / "lunge_single_cam01.mp4"


@pytest.fixture
def clock() -> SimulatedClock:
    """A clock that moves only when the test sets `clock.now` or calls `advance`."""
    return SimulatedClock()


@pytest.fixture
def squat_stream(tmp_path: Path) -> Callable[..., Path]:
    """Writes a synthetic squat keypoint stream (`SquatPlan` fields as keywords) and returns its path."""

    def make(name: str = "squat.jsonl", **plan: object) -> Path:
        return write_squat_stream(tmp_path / name, SquatPlan(**plan))  # type: ignore[arg-type]

    return make
