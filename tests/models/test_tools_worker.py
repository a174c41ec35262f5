"""The checkpoint container checks of the tools worker, which run before torch reads a byte.
They are plain Python, so they are tested here without the tools environment."""

from __future__ import annotations

import tracemalloc
import zipfile
from pathlib import Path

import pytest

from rehab_coach.models.tools_worker import CheckpointError, _check_container


def _zip(path: Path, entries: dict[str, bytes], compression: int = zipfile.ZIP_STORED) -> Path:
    with zipfile.ZipFile(path, "w", compression=compression) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def test_a_zip_bomb_checkpoint_is_refused_from_its_declared_sizes(tmp_path: Path) -> None:
    """A small file declaring a huge data.pkl: refused without unpacking it (no gigabytes, no minutes)."""
    bomb = _zip(
        tmp_path / "bomb.pth", {"archive/data.pkl": bytes(200 << 20), "archive/version": b"3\n"}, zipfile.ZIP_DEFLATED
    )
    assert bomb.stat().st_size < 1 << 20
    tracemalloc.start()
    with pytest.raises(CheckpointError, match=r"refused: archive/data.pkl declares 200 MiB of pickle"):
        _check_container(bomb)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 8 << 20


def test_a_highly_compressed_tensor_entry_is_refused(tmp_path: Path) -> None:
    bomb = _zip(
        tmp_path / "bomb.pth",
        {"archive/data.pkl": b"\x80\x02}q\x00.", "archive/data/0": bytes(64 << 20)},
        zipfile.ZIP_DEFLATED,
    )
    with pytest.raises(CheckpointError, match=r"refused: archive/data/0 unpacks 64 MiB from 0\.1 MiB \(a zip bomb"):
        _check_container(bomb)


def test_an_ordinary_stored_checkpoint_passes(tmp_path: Path) -> None:
    ok = _zip(tmp_path / "ok.pth", {"archive/data.pkl": b"\x80\x02}q\x00.", "archive/data/0": bytes(range(256)) * 8192})
    _check_container(ok)
