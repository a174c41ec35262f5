"""An installed (non-editable) wheel carries the templates, assets and tools-env script."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def unpacked_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)], check=True)
    wheel = next(out.glob("rehab_coach-*.whl"))
    site = out / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    return site


def test_wheel_finds_its_own_templates_and_assets(unpacked_wheel: Path) -> None:
    code = (
        "from rehab_coach.paths import exercises_dir, assets_dir\n"
        "from rehab_coach.engine.templates import load_library\n"
        "from rehab_coach.models import tools_env\n"
        "lib = load_library([exercises_dir()])\n"
        "print(exercises_dir()); print(assets_dir()); print(len(lib.templates), len(lib.errors))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=unpacked_wheel.parent, capture_output=True, text=True,
                            env={"PYTHONPATH": str(unpacked_wheel), "PATH": "/usr/bin:/bin", "HOME": str(unpacked_wheel.parent)},
                            check=True)
    exercises, assets, counts = result.stdout.split("\n")[:3]
    assert exercises == str(unpacked_wheel / "rehab_coach" / "exercises")
    assert assets == str(unpacked_wheel / "rehab_coach" / "assets")
    shipped = len(list((ROOT / "exercises").glob("*.yaml")))
    assert counts == f"{shipped} 0"
    assert (unpacked_wheel / "rehab_coach" / "assets" / "samples" / "lunge_single_cam01.mp4").is_file()
    assert (unpacked_wheel / "rehab_coach" / "_packaging" / "setup_tools_env.sh").is_file()
    assert list((unpacked_wheel / "rehab_coach" / "session" / "store" / "migrations").rglob("*.py"))


def test_wheel_ships_the_exercise_demonstrations(unpacked_wheel: Path) -> None:
    """Made by the build hook with the motion generator; the app finds them without making any."""
    shipped = sorted(p.stem for p in (unpacked_wheel / "rehab_coach" / "demos").glob("*.json"))
    assert "squat" in shipped and "shoulder_abduction" in shipped and len(shipped) >= 10
    code = "from rehab_coach.paths import demos_dir; print(demos_dir())"
    result = subprocess.run([sys.executable, "-c", code], cwd=unpacked_wheel.parent, capture_output=True, text=True,
                            env={"PYTHONPATH": str(unpacked_wheel), "PATH": "/usr/bin:/bin", "HOME": str(unpacked_wheel.parent)},
                            check=True)
    assert result.stdout.strip() == str(unpacked_wheel / "rehab_coach" / "demos")
