"""Where things live: bundled data inside the package or repo, user data under platformdirs."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

import platformdirs

APP_NAME = "rehab-coach"
_PACKAGE_DIR = Path(__file__).resolve().parent


def exercises_dir() -> Path:
    """Templates shipped in the wheel (rehab_coach/exercises) or, in a checkout, the repo's exercises/."""
    bundled = _PACKAGE_DIR / "exercises"
    if bundled.is_dir():
        return bundled
    return _PACKAGE_DIR.parent.parent / "exercises"


def assets_dir() -> Path:
    bundled = _PACKAGE_DIR / "assets"
    if bundled.is_dir():
        return bundled
    return _PACKAGE_DIR.parent.parent / "assets"


def private_folders(path: Path) -> Path:
    """Create `path` and every missing folder above it readable by its owner only (0700), as
    folders that will hold patient data must be; folders that exist already are left as they are.
    (`Path.mkdir(mode, parents=True)` gives only the last folder that mode.)"""
    missing = []
    folder = Path(path)
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)
    return Path(path)


def open_private(path: Path | str, mode: str = "w", **kwargs: Any) -> IO[Any]:
    """Open a file for writing readable by its owner only (0600): exports, reports and keypoint
    streams hold patient data. A file written over loses any wider mode it had: O_CREAT keeps an
    existing file's mode, so it is set again (a file of someone else's cannot be, and is not written)."""
    if not mode.startswith("w"):
        raise ValueError("open_private writes: mode 'w' or 'wb'")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
    try:
        if hasattr(os, "fchmod"):  # POSIX; on Windows the folder's ACL decides
            os.fchmod(fd, 0o600)
        return os.fdopen(fd, mode, **kwargs)
    except BaseException:
        os.close(fd)
        raise


@contextmanager
def replace_private(path: Path | str, mode: str = "w", **kwargs: Any) -> Iterator[IO[Any]]:
    """Write `path` whole or not at all, readable by its owner only (0600): the writing goes into a
    hidden file beside it that takes its place only once all of it is on disk. A full disk, an
    error while writing or a crash leaves any file that was there as it was and no half-written one."""
    if not mode.startswith("w"):
        raise ValueError("replace_private writes: mode 'w' or 'wb'")
    target = Path(path)
    if target.is_symlink():
        target = target.resolve()  # the file the link points to is replaced, the link stays
    if target.exists() and not target.is_file():
        # A device or a pipe (/dev/stdout, a full /dev/full): written in place, as asked; swapping a file
        # in for it would replace the device node itself.
        with open(target, mode, **kwargs) as handle:
            yield handle
            handle.flush()
        return
    fd, part = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)  # 0600
    try:
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(part, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(part)
        raise


def private_dir(path: Path) -> Path:
    """Create `path` readable by its owner only (0700): it holds patient names and the PIN hash.
    A folder of ours that an older version created 0755 is tightened."""
    private_folders(path)
    info = path.stat()
    if info.st_uid == os.getuid() and info.st_mode & 0o077:
        path.chmod(0o700)
    return path


def demos_dir() -> Path | None:
    """Demonstration keyframes made when the app was built (rehab_coach/demos) or, in a checkout, by
    scripts/setup.sh (the repo's build/demos); None when there are none."""
    for folder in (_PACKAGE_DIR / "demos", _PACKAGE_DIR.parent.parent / "build" / "demos"):
        if folder.is_dir():
            return folder
    return None


def user_demos_dir() -> Path:
    """Demonstrations added with the user's data, e.g. for a clinic's own template; they come after the shipped ones."""
    return user_data_dir() / "demos"


def user_data_dir() -> Path:
    """Per-user data (sessions, database). REHAB_COACH_DATA_DIR overrides it (tests, kiosks)."""
    override = os.environ.get("REHAB_COACH_DATA_DIR")
    return private_dir(Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)))


def models_dir() -> Path:
    """Installed pose models (one sub-folder per model with a manifest)."""
    path = user_data_dir() / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def user_config_dir() -> Path:
    override = os.environ.get("REHAB_COACH_CONFIG_DIR")  # storage.toml may hold a database password
    return private_dir(Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)))


def user_exercises_dir() -> Path:
    """Templates the user or clinic adds; they load after the bundled ones."""
    return user_data_dir() / "exercises"


def cache_dir() -> Path:
    path = Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path
