"""The app on a real X11 display, the way a user's desktop runs it (not offscreen).

scripts/test.sh runs this file right after scripts/setup.sh, before anything else installs
system packages, with REHAB_COACH_REQUIRE_XVFB=1: there a missing Xvfb fails instead of skipping.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from rehab_coach.commands.display import DisplayUnavailable, check_display, xcb_plugin_path

REPO = Path(__file__).resolve().parents[2]
APP = [sys.executable, "-m", "rehab_coach"]
REQUIRE_XVFB = os.environ.get("REHAB_COACH_REQUIRE_XVFB") == "1"
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 checks are for Linux")


def _app_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "app"), env.get("PYTHONPATH")]))
    return {**env, **extra}


@linux_only
def test_every_library_of_the_qt_xcb_plugin_is_installed() -> None:
    """The plugin links libxcb-icccm4, libxcb-keysyms1 and more; scripts/setup.sh must install them all."""
    plugin = xcb_plugin_path()
    assert plugin is not None, "PySide6 ships no xcb plugin"
    qpa = next((plugin.parents[2] / "lib").glob("libQt6XcbQpa.so*"))
    for library in (plugin, qpa):
        out = subprocess.run(["ldd", str(library)], capture_output=True, text=True, check=True).stdout
        missing = [line.split()[0] for line in out.splitlines() if "not found" in line]
        assert not missing, f"{library.name} needs {missing}: add their packages to scripts/setup.sh"


def test_gui_without_a_display_says_so_in_one_sentence_and_exits_2(tmp_path: Path) -> None:
    result = subprocess.run(
        [*APP, "gui"], env=_app_env(REHAB_COACH_DATA_DIR=str(tmp_path)), capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "no display found" in lines[0] and "analyze" in lines[0], result.stderr


def test_a_missing_display_is_refused_before_qt_starts() -> None:
    with pytest.raises(DisplayUnavailable, match="no display found"):
        check_display({"QT_QPA_PLATFORM": "xcb"})
    check_display({"QT_QPA_PLATFORM": "offscreen"})  # a platform that needs no desktop is the user's choice


@linux_only
def test_an_unreachable_display_is_refused_before_qt_starts() -> None:
    with pytest.raises(DisplayUnavailable, match="cannot connect to the display ':987'"):
        check_display({"DISPLAY": ":987"})


@pytest.fixture
def xvfb() -> Iterator[str]:
    if shutil.which("Xvfb") is None:
        if REQUIRE_XVFB:
            pytest.fail("Xvfb is not installed (apt-get install xvfb)")
        pytest.skip("Xvfb is not installed (apt-get install xvfb)")
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    assert number, "Xvfb did not start"
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


_GRAB = """
import json, sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication(sys.argv[:1])
image = QGuiApplication.primaryScreen().grabWindow(0).toImage()  # what the X server shows, not the app's own render
step = 8
pixels = [image.pixel(x, y) & 0xFFFFFF for y in range(0, image.height(), step) for x in range(0, image.width(), step)]
print(json.dumps({"lit": sum(p != 0 for p in pixels) / len(pixels), "colours": len(set(pixels))}))
"""


@pytest.mark.slow  # a real X server, the real app and BlazePose
@linux_only
def test_the_real_app_maps_and_paints_its_window_under_xvfb(xvfb: str, tmp_path: Path, data_dir: Path) -> None:
    env = _app_env(DISPLAY=xvfb, QT_QPA_PLATFORM="xcb", REHAB_COACH_DATA_DIR=str(tmp_path))
    app = subprocess.Popen(
        [
            *APP,
            "gui",
            "--video",
            str(data_dir / "curls_front_8reps.mp4"),
            "--exercise",
            "elbow_flexion",
            "--backend",
            "blazepose",
            "--countdown",
            "0",
            "--mute",
            "--loop",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    screen = {"lit": 0.0, "colours": 0}
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and app.poll() is None:
            time.sleep(2)
            grab = subprocess.run([sys.executable, "-c", _GRAB], env=env, capture_output=True, text=True, timeout=60)
            assert grab.returncode == 0, grab.stderr
            screen = json.loads(grab.stdout)
            if (
                screen["lit"] > 0.5 and screen["colours"] > 50
            ):  # the window covers the screen and shows more than a fill
                break
        assert app.poll() is None, f"the app exited with {app.returncode}: {app.communicate()[0][-2000:]}"
    finally:
        app.terminate()
        output = app.communicate(timeout=30)[0]
    # An empty X screen is black: an unmapped or never-painted window leaves it so.
    assert screen["lit"] > 0.5 and screen["colours"] > 50, f"screen after start: {screen}; app said: {output[-2000:]}"
    assert "Could not load the Qt platform plugin" not in output
