"""The model-tools environment: a separate venv with torch + super-gradients.

It lives at ~/.cache/rehab-coach/tools-venv (REHAB_COACH_TOOLS_VENV overrides) and is
created by packaging/setup_tools_env.sh (`rehab-coach models setup-tools`). The app talks
to it only by running `tools_worker.py` with that venv's Python.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rehab_coach.models.errors import ModelError, ToolsEnvMissing
from rehab_coach.paths import cache_dir

ENV_VAR = "REHAB_COACH_TOOLS_VENV"
STAMP_NAME = ".rehab-coach-tools-stamp"
WORKER = Path(__file__).resolve().parent / "tools_worker.py"
WORKER_PREFIX = "rehab-coach-worker: "
_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def venv_dir() -> Path:
    override = os.environ.get(ENV_VAR)
    return Path(override).expanduser() if override else Path.home() / ".cache" / "rehab-coach" / "tools-venv"


def venv_python(venv: Path | None = None) -> Path:
    venv = venv or venv_dir()
    return venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")


def is_ready() -> bool:
    """Created to the end by the setup script (it writes the stamp last)."""
    return venv_python().is_file() and (venv_dir() / STAMP_NAME).is_file()


def require_python() -> Path:
    if not is_ready():
        raise ToolsEnvMissing(
            f"the model-tools environment (torch + super-gradients) is not set up at {venv_dir()}: "
            "run `rehab-coach models setup-tools` (about 2 minutes and 6 GB on disk), "
            f"or point {ENV_VAR} at an existing one"
        )
    return venv_python()


def setup_script() -> Path:
    """packaging/setup_tools_env.sh of a checkout or sdist, or the copy bundled in a wheel."""
    for candidate in (
        _PACKAGE_DIR / "_packaging" / "setup_tools_env.sh",
        _PACKAGE_DIR.parent.parent / "packaging" / "setup_tools_env.sh",
    ):
        if candidate.is_file():
            return candidate
    raise ModelError("packaging/setup_tools_env.sh is not part of this installation; get it from the source repository")


def run_setup(force: bool = False) -> int:
    command = ["bash", str(setup_script()), *(["--force"] if force else [])]
    return subprocess.call(command, env={**os.environ, ENV_VAR: str(venv_dir())})


def worker_env() -> dict[str, str]:
    """The app's environment minus what would leak the app's packages into the tools venv."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    logs = cache_dir() / "sg_logs"
    logs.mkdir(parents=True, exist_ok=True)
    env.update(SUPER_GRADIENTS_LOG_DIR=str(logs), CRASH_HANDLER="FALSE", PYTHONNOUSERSITE="1", PYTHONUNBUFFERED="1")
    return env


def worker_command(*args: str) -> list[str]:
    return [str(require_python()), str(WORKER), *args]


@dataclass(frozen=True)
class WorkerRun:
    returncode: int
    log_tail: str


def run_worker(
    args: list[str], progress: Callable[[str], None] | None = None, timeout: float | None = None
) -> WorkerRun:
    """Run the worker, forwarding its progress lines; keep the end of its output for error messages."""
    tail: deque[str] = deque(maxlen=40)
    with subprocess.Popen(
        worker_command(*args),
        env=worker_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
    ) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            tail.append(line.rstrip())
            if progress and line.startswith(WORKER_PREFIX):
                progress(line[len(WORKER_PREFIX) :].rstrip())
        returncode = proc.wait(timeout=timeout)
    return WorkerRun(returncode, "\n".join(tail))
