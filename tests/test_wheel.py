"""An installed (non-editable) wheel carries the templates, assets, demonstrations and tools-env script,
and not the development motion generator. Slow: it builds the wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def unpacked_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)], check=True)
    wheel = next(out.glob("rehab_coach-*.whl"))
    site = out / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    return site


def _run_wheel(site: Path, code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Python on the unpacked wheel alone. The development generator is installed in this
    environment, so it is made unimportable, as it is where the app is installed from the wheel."""
    code = "import sys; sys.modules['rehab_synth'] = None\n" + code
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=site.parent,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin", "HOME": str(site.parent)},
        timeout=300,
    )


def test_wheel_finds_its_own_templates_and_assets(unpacked_wheel: Path) -> None:
    code = (
        "from rehab_coach.paths import exercises_dir, assets_dir\n"
        "from rehab_coach.engine.templates import load_library\n"
        "from rehab_coach.models import tools_env\n"
        "lib = load_library([exercises_dir()])\n"
        "print(exercises_dir()); print(assets_dir()); print(len(lib.templates), len(lib.errors))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=unpacked_wheel.parent,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(unpacked_wheel), "PATH": "/usr/bin:/bin", "HOME": str(unpacked_wheel.parent)},
        check=True,
    )
    exercises, assets, counts = result.stdout.split("\n")[:3]
    assert exercises == str(unpacked_wheel / "rehab_coach" / "exercises")
    assert assets == str(unpacked_wheel / "rehab_coach" / "assets")
    shipped = len(list((ROOT / "exercises").glob("*.yaml")))
    assert counts == f"{shipped} 0"
    assert (unpacked_wheel / "rehab_coach" / "assets" / "samples" / "lunge_single_cam01.mp4").is_file()
    assert (unpacked_wheel / "rehab_coach" / "_packaging" / "setup_tools_env.sh").is_file()
    assert list((unpacked_wheel / "rehab_coach" / "session" / "store" / "migrations").rglob("*.py"))


def test_wheel_ships_the_clinical_norm_tables(unpacked_wheel: Path) -> None:
    """The norms of the standard clinical tests are data files inside the package: each one loads."""
    code = (
        "from rehab_coach.session.clinical.norms import all_norm_tables\n"
        "print(sorted(t.test for t in all_norm_tables()))\n"
    )
    result = _run_wheel(unpacked_wheel, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(
        sorted(["chair_stand_30s", "five_times_sit_to_stand", "single_leg_stance_test", "timed_up_and_go"])
    )


def test_wheel_ships_the_exercise_demonstrations(unpacked_wheel: Path) -> None:
    """Made by the build hook with the motion generator; the app finds them without making any."""
    shipped = sorted(p.stem for p in (unpacked_wheel / "rehab_coach" / "demos").glob("*.json"))
    assert "squat" in shipped and "shoulder_abduction" in shipped and len(shipped) >= 10
    code = "from rehab_coach.paths import demos_dir; print(demos_dir())"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=unpacked_wheel.parent,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(unpacked_wheel), "PATH": "/usr/bin:/bin", "HOME": str(unpacked_wheel.parent)},
        check=True,
    )
    assert result.stdout.strip() == str(unpacked_wheel / "rehab_coach" / "demos")


def test_wheel_leaves_out_the_motion_generator_and_says_so(unpacked_wheel: Path) -> None:
    shipped = {p.relative_to(unpacked_wheel).as_posix() for p in unpacked_wheel.rglob("*.py")}
    assert "rehab_coach/cli.py" in shipped
    assert not [p for p in shipped if p.startswith(("rehab_synth/", "rehab_coach/synth/"))]
    assert not [p for p in shipped if "squat_stream" in p]
    result = _run_wheel(
        unpacked_wheel,
        "from rehab_coach.cli import main; sys.exit(main(sys.argv[1:]))",
        "synth",
        "squat",
        "-o",
        "s.jsonl",
    )
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(
        "rehab-coach: error: the synthetic motion generator is a development tool and is not installed"
    )
    assert not (unpacked_wheel.parent / "s.jsonl").exists()


def test_wheel_app_shows_a_shipped_demonstration_without_the_generator(unpacked_wheel: Path) -> None:
    code = (
        "from rehab_coach.engine.demos import load_demo\n"
        "from rehab_coach.paths import demos_dir, user_demos_dir\n"
        "clip = load_demo('squat', demos_dir(), user_demos_dir())\n"
        "print(clip.exercise, len(clip.frames), load_demo('no_such_exercise', demos_dir(), user_demos_dir()))\n"
    )
    result = _run_wheel(unpacked_wheel, code)
    assert result.returncode == 0, result.stderr
    exercise, frames, missing = result.stdout.split()
    assert exercise == "squat" and int(frames) >= 20 and missing == "None"


def test_wheel_speaks_chinese_from_its_catalogues(unpacked_wheel: Path) -> None:
    """The wheel ships the .po and the .ts, never a compiled .mo/.qm: the core reads its .po, the screens
    compile their .ts with PySide6's lrelease into the cache on first use."""
    shipped = {p.relative_to(unpacked_wheel).as_posix() for p in unpacked_wheel.rglob("*") if p.is_file()}
    assert "rehab_coach/locale/zh/LC_MESSAGES/rehab_coach.po" in shipped
    assert "rehab_coach/ui/translations/rehab_coach_zh.ts" in shipped
    assert not [p for p in shipped if p.endswith((".mo", ".qm"))]
    code = (
        "import os; os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from rehab_coach import i18n\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "app = QCoreApplication([])\n"
        "from rehab_coach.ui.strings import tr\n"
        "print(i18n.gettext('Saved to the database', 'zh'), tr('Finish', 'zh'))\n"
    )
    result = _run_wheel(unpacked_wheel, code)  # PySide6 and Babel from this environment, as pip would install them
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["已保存到数据库", "结束"]
