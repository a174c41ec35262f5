"""Shared fixtures. Tests read only files committed under tests/data/."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA_DIR = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA_DIR


@pytest.fixture(scope="session")
def lunge_video(data_dir: Path) -> Path:
    """Real footage: one person, 100 frames, 60 fps, 1080x1920 portrait (Pose2Sim, BSD-3)."""
    return data_dir / "lunge_single_cam01.mp4"
