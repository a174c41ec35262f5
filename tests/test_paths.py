"""Where patient data is written: folders 0700 and files 0600, whatever the umask, and a file written
over loses a wider mode."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from rehab_coach.paths import open_private, private_folders

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    old = os.umask(0o022)  # what gave 0644 files and 0755 folders
    yield
    os.umask(old)


def test_private_folders_makes_every_missing_folder_0700_and_leaves_the_rest(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    deep = private_folders(tmp_path / "a" / "b" / "c")
    assert deep.is_dir()
    assert [mode(p) for p in (tmp_path / "a", tmp_path / "a" / "b", deep)] == [0o700] * 3
    assert mode(tmp_path) == 0o755  # not ours to change
    assert private_folders(deep) == deep  # there already: nothing happens


def test_open_private_writes_0600_and_tightens_a_file_written_over(tmp_path: Path) -> None:
    new = tmp_path / "new.csv"
    with open_private(new, "w", encoding="utf-8", newline="") as handle:
        handle.write("a,b\n")
    assert mode(new) == 0o600 and new.read_text() == "a,b\n"
    old = tmp_path / "old.pdf"
    old.write_bytes(b"an older, longer export")
    old.chmod(0o644)
    with open_private(old, "wb") as handle:
        handle.write(b"new")
    assert mode(old) == 0o600 and old.read_bytes() == b"new"


def test_open_private_only_writes(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="writes"):
        open_private(tmp_path / "x", "r")
