"""Where patient data is written: folders 0700 and files 0600, whatever the umask, and a file written
over loses a wider mode."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from rehab_coach.paths import open_private, private_folders, replace_private

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


def test_replace_private_writes_0600_over_an_older_file(tmp_path: Path) -> None:
    old = tmp_path / "report.pdf"
    old.write_bytes(b"an older, longer export")
    old.chmod(0o644)
    with replace_private(old, "wb") as handle:
        handle.write(b"new")
    assert mode(old) == 0o600 and old.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]  # nothing of the writing left beside it


def test_replace_private_leaves_nothing_half_written(tmp_path: Path) -> None:
    """A full disk in the middle of an export: the file that was there stays whole, and no part file remains."""
    old = tmp_path / "reps.csv"
    old.write_text("the last export\n")
    with pytest.raises(OSError, match="No space"), replace_private(old, "w", encoding="utf-8") as handle:
        handle.write("half of a new one")
        raise OSError(28, "No space left on device")
    assert old.read_text() == "the last export\n"
    with pytest.raises(OSError), replace_private(tmp_path / "new.csv", "w") as handle:
        handle.write("half")
        raise OSError(28, "No space left on device")
    assert [p.name for p in tmp_path.iterdir()] == ["reps.csv"]


def test_replace_private_into_a_missing_folder_says_so(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError), replace_private(tmp_path / "gone" / "reps.csv", "w"):
        pass
    with pytest.raises(ValueError, match="writes"), replace_private(tmp_path / "x", "r"):
        pass


def test_replace_private_writes_a_device_in_place_and_a_link_stays_a_link(tmp_path: Path) -> None:
    """A file is swapped in for the target: a device node (/dev/full, a pipe) must not be replaced
    by one (as root that would replace the device itself), nor a symbolic link by a plain file."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        with replace_private(fifo, "w", encoding="utf-8") as handle:
            handle.write("through the pipe")
        assert os.read(reader, 100) == b"through the pipe"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    real = tmp_path / "real.csv"
    real.write_text("old")
    link = tmp_path / "latest.csv"
    link.symlink_to(real)
    with replace_private(link, "w", encoding="utf-8") as handle:
        handle.write("new")
    assert link.is_symlink() and real.read_text() == "new"
