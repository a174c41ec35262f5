"""Packaging files, checked without building: the .desktop entry, the kiosk unit, the install
script, the PyInstaller layout (what the spec bundles and where) and the icons.

The full build and the frozen app's run are packaging/check_built_app.sh (about two minutes).
"""

from __future__ import annotations

import ast
import configparser
import importlib.util
import os
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LINUX = REPO / "packaging" / "linux"
PYI = REPO / "packaging" / "pyinstaller"
ICONS = REPO / "assets" / "icons"
DESKTOP = LINUX / "rehab-coach.desktop"
UNIT = LINUX / "rehab-coach-kiosk.service"
INSTALL = LINUX / "install.sh"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def layout():
    return _load("bundle_layout", PYI / "bundle_layout.py")


def _ini(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)  # systemd repeats Environment=
    parser.optionxform = str  # keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser


def _unit_values(path: Path, key: str) -> list[str]:
    """Every value of a key that systemd allows to repeat (Environment=, After= ...)."""
    return [m.group(1).strip() for m in re.finditer(rf"^{key}=(.*)$", path.read_text(encoding="utf-8"), re.MULTILINE)]


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


# ---- desktop entry -----------------------------------------------------------------------


def test_desktop_entry_launches_the_app_with_its_icon():
    entry = _ini(DESKTOP)["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Rehab Coach"
    assert entry["Exec"].split()[0] == "rehab-coach"
    assert entry["TryExec"] == "rehab-coach"
    assert entry["Icon"] == "rehab-coach"
    assert entry["Terminal"] == "false"
    assert entry["Categories"].endswith(";")
    # The UI sets QGuiApplication.setDesktopFileName("rehab-coach"): Wayland's app id and the file name agree.
    assert DESKTOP.stem == "rehab-coach" == entry["StartupWMClass"]


@pytest.mark.skipif(not shutil.which("desktop-file-validate"), reason="desktop-file-utils not installed")
def test_desktop_entry_is_valid():
    result = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


# ---- kiosk unit --------------------------------------------------------------------------


def test_kiosk_unit_starts_the_kiosk_at_login_and_restarts_it():
    unit = _ini(UNIT)
    service = unit["Service"]
    assert service["ExecStart"] == "%h/.local/bin/rehab-coach --kiosk"
    assert service["Restart"] == "always"
    assert 0 < float(service["RestartSec"]) <= 30
    assert unit["Unit"]["StartLimitIntervalSec"] == "0"  # never stops retrying
    assert "graphical-session.target" in unit["Unit"]["After"].split()
    assert "graphical-session.target" in unit["Unit"]["PartOf"].split()
    assert unit["Install"]["WantedBy"] == "graphical-session.target"
    env = dict(v.split("=", 1) for v in _unit_values(UNIT, "Environment"))
    assert env["PYTHONUNBUFFERED"] == "1"
    assert "QT_QPA_PLATFORM" not in env  # Qt chooses Wayland or X11 from the session


def _fake_app(folder: Path) -> Path:
    app = folder / "rehab-coach"
    app.mkdir(parents=True)
    exe = app / "rehab-coach"
    exe.write_text("#!/bin/sh\necho 'rehab-coach 0.0-test'\n")
    exe.chmod(0o755)
    (app / "_internal").mkdir()
    return app


def _run_install(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env.update(HOME=str(home), PATH="/usr/bin:/bin")  # no user systemd manager reachable
    return subprocess.run(["bash", str(INSTALL), *args], capture_output=True, text=True, env=env, timeout=60)


def test_install_script_installs_and_uninstalls_for_one_user(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    app = _fake_app(tmp_path / "dist")
    result = _run_install(home, "--app-dir", str(app))
    assert result.returncode == 0, result.stderr
    launcher = home / ".local/bin/rehab-coach"
    assert subprocess.run([str(launcher)], capture_output=True, text=True).stdout.strip() == "rehab-coach 0.0-test"
    desktop = _ini(home / ".local/share/applications/rehab-coach.desktop")["Desktop Entry"]
    assert desktop["Exec"] == desktop["TryExec"] == str(launcher)  # absolute: PATH may lack ~/.local/bin
    unit = home / ".config/systemd/user/rehab-coach-kiosk.service"
    assert _ini(unit)["Service"]["ExecStart"] == "%h/.local/bin/rehab-coach --kiosk"
    for size in PNG_SIZES:
        assert (home / f".local/share/icons/hicolor/{size}x{size}/apps/rehab-coach.png").is_file()
    assert (home / ".local/share/icons/hicolor/scalable/apps/rehab-coach.svg").is_file()

    # --enable-kiosk without a user systemd manager explains what to run instead of failing silently.
    refused = _run_install(home, "--app-dir", str(app), "--enable-kiosk")
    assert refused.returncode != 0 and "systemctl --user" in refused.stderr

    result = _run_install(home, "--uninstall")
    assert result.returncode == 0, result.stderr
    assert not launcher.exists() and not unit.exists() and not (home / ".local/opt/rehab-coach").exists()
    assert not (home / ".local/share/applications/rehab-coach.desktop").exists()


def test_install_script_with_another_prefix_points_the_unit_there(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    prefix = tmp_path / "kiosk"
    result = _run_install(home, "--app-dir", str(_fake_app(tmp_path / "dist")), "--prefix", str(prefix))
    assert result.returncode == 0, result.stderr
    unit = home / ".config/systemd/user/rehab-coach-kiosk.service"
    assert _ini(unit)["Service"]["ExecStart"] == f"{prefix}/bin/rehab-coach --kiosk"
    assert (prefix / "opt/rehab-coach/rehab-coach").is_file()
    bad = _run_install(home, "--app-dir", str(tmp_path / "dist/rehab-coach"), "--prefix", str(tmp_path / "with space"))
    assert bad.returncode == 2


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not available")
def test_installed_kiosk_unit_verifies(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    assert _run_install(home, "--app-dir", str(_fake_app(tmp_path / "dist"))).returncode == 0
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    env = dict(os.environ, HOME=str(home), XDG_RUNTIME_DIR=str(runtime), SYSTEMD_LOG_LEVEL="notice")
    result = subprocess.run(
        ["systemd-analyze", "--user", "verify", "rehab-coach-kiosk.service"],
        cwd=home / ".config/systemd/user", capture_output=True, text=True, env=env, timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# ---- PyInstaller layout ------------------------------------------------------------------


def test_spec_builds_its_analysis_from_the_layout_module():
    source = (PYI / "rehab-coach.spec").read_text(encoding="utf-8")
    ast.parse(source)  # valid Python; PyInstaller executes it
    for needed in (
        "layout.repo_data()", "layout.package_data()", "layout.mediapipe_data()", "layout.package_modules()",
        "layout.RUNTIME_HOOKS", "layout.EXCLUDES", "layout.pruned(", "pathex=[str(layout.APP_SRC)]",
    ):
        assert needed in source, needed
    assert "COLLECT(" in source and "onefile" not in source.lower()  # onedir: one folder


def test_templates_and_assets_go_where_paths_finds_them_frozen(layout):
    datas = layout.repo_data()
    dests = {Path(src).name: dest for src, dest in datas}
    for template in (REPO / "exercises").glob("*.yaml"):
        assert dests[template.name] == "rehab_coach/exercises"
    assert (str(ICONS / "rehab-coach.svg"), "rehab_coach/assets/icons") in datas
    assert (str(ICONS / "hicolor/64x64/apps/rehab-coach.png"), "rehab_coach/assets/icons/hicolor/64x64/apps") in datas
    assert not any(src.endswith(".py") for src, _ in datas)  # make_icons.py stays in the repo
    # paths.py looks next to its own module: <bundle>/rehab_coach/{exercises,assets}.
    paths_source = (REPO / "app/rehab_coach/paths.py").read_text(encoding="utf-8")
    assert '_PACKAGE_DIR / "exercises"' in paths_source and '_PACKAGE_DIR / "assets"' in paths_source


def test_only_the_blazepose_full_files_of_mediapipe_are_bundled(layout):
    mediapipe = pytest.importorskip("mediapipe")
    mp_dir = Path(mediapipe.__file__).parent
    datas = layout.mediapipe_data(mp_dir)
    assert sorted(Path(src).name for src, _ in datas) == [
        "pose_detection.tflite", "pose_landmark_cpu.binarypb", "pose_landmark_full.tflite",
    ]
    for src, dest in datas:
        assert Path(src).is_file()
        assert Path(src).parent.relative_to(mp_dir) == Path(dest).relative_to("mediapipe")


def test_sources_loaded_by_path_exist_and_are_shipped(layout):
    """A listed source whose package exists must exist too (a rename would break the frozen app)."""
    src = layout.PACKAGE_SRC
    listed = [*layout.PACKAGE_SOURCE_TREES, *layout.PACKAGE_SOURCE_FILES]
    present = [name for name in listed if (src / name).parent.is_dir()]
    assert present, "none of the by-path sources' packages exist"
    assert [name for name in layout.missing_package_sources() if name in present] == []
    shipped = {Path(path).relative_to(src).as_posix() for path, _ in layout.package_data()}
    if "session/store/migrations" in present:
        assert "session/store/migrations/env.py" in shipped
        assert any(name.startswith("session/store/migrations/versions/") for name in shipped)
    if "models/tools_worker.py" in present:
        assert "models/tools_worker.py" in shipped


def _names_loaded_with_importlib() -> tuple[list[str], list[str]]:
    """COMMAND_MODULES of cli.py and the backend modules of the pose registry, read from the source."""
    cli = ast.parse((REPO / "app/rehab_coach/cli.py").read_text(encoding="utf-8"))
    commands = next(
        ast.literal_eval(node.value) for node in ast.walk(cli)
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "COMMAND_MODULES" for t in node.targets)
    )
    registry = ast.parse((REPO / "app/rehab_coach/pose/backend.py").read_text(encoding="utf-8"))
    backends = [
        node.args[1].value for node in ast.walk(registry)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "BackendEntry" and len(node.args) > 1
    ]
    return list(commands), backends


def test_every_module_the_cli_loads_by_name_is_a_hidden_import(layout):
    modules = set(layout.package_modules())
    commands, backends = _names_loaded_with_importlib()
    assert "analyze" in commands and "rehab_coach.pose.blazepose" in backends
    for name in commands:
        if (REPO / "app/rehab_coach/commands" / f"{name}.py").is_file():
            assert f"rehab_coach.commands.{name}" in modules
    for module in backends:
        if (REPO / "app" / (module.replace(".", "/") + ".py")).is_file():
            assert module in modules
    assert "rehab_coach.__main__" not in modules  # importing it runs the CLI
    assert "rehab_coach.models.tools_worker" not in modules  # runs under the tools interpreter
    assert not any(".migrations" in m for m in modules)  # alembic's env.py runs migrations on import


def test_heavy_optional_packages_are_excluded(layout):
    for name in ("torch", "super_gradients", "jax", "jaxlib", "matplotlib", "scipy", "tkinter"):
        assert name in layout.EXCLUDES
    assert layout.pruned("PySide6/Qt/plugins/platformthemes/libqgtk3.so")
    assert layout.pruned("libcairo.so.2")
    for kept in ("PySide6/Qt/plugins/platforms/libqxcb.so", "PySide6/Qt/plugins/platforms/libqoffscreen.so",
                 "PySide6/Qt/plugins/platforms/libqwayland.so", "libQt6Core.so.6", "libglib-2.0.so.0"):
        assert not layout.pruned(kept), kept


def test_mediapipe_pose_imports_without_matplotlib_through_the_runtime_hook():
    """The bundle leaves matplotlib out; mediapipe.solutions imports it at module level."""
    code = f"""
import importlib.abc, sys
class Hide(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "matplotlib" or name.startswith("matplotlib."):
            raise ModuleNotFoundError(name)
        return None
sys.meta_path.insert(0, Hide())
# as in the bundle: find_spec says matplotlib is not there
import importlib.util
_orig = importlib.util.find_spec
importlib.util.find_spec = lambda n, *a: None if n == "matplotlib" else _orig(n, *a)
exec(open({str(PYI / "rthooks" / "pyi_rth_rehab_coach.py")!r}).read())
importlib.util.find_spec = _orig
import mediapipe as mp
assert mp.solutions.pose.Pose
import matplotlib.pyplot as plt
try:
    plt.colormaps()
except ModuleNotFoundError:
    print("stand-in ok")
"""
    pytest.importorskip("mediapipe")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "stand-in ok" in result.stdout, result.stderr[-2000:]


@pytest.mark.parametrize("script", ["build_app.sh", "check_built_app.sh", "linux/install.sh"])
def test_shell_scripts_parse(script):
    result = subprocess.run(["bash", "-n", str(REPO / "packaging" / script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# ---- icon --------------------------------------------------------------------------------


@pytest.mark.parametrize("size", PNG_SIZES)
def test_icon_png_sizes(size):
    assert _png_size(ICONS / "hicolor" / f"{size}x{size}" / "apps" / "rehab-coach.png") == (size, size)


def test_icon_svg_ico_and_icns():
    root = ET.parse(ICONS / "rehab-coach.svg").getroot()
    assert root.tag.endswith("svg") and root.get("viewBox") == "0 0 256 256"
    assert _png_size(ICONS / "rehab-coach.png") == (256, 256)

    ico = (ICONS / "rehab-coach.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind) == (0, 1) and count >= 4
    sides = set()
    for i in range(count):
        width, _h, _c, _r, _planes, _bpp, length, offset = struct.unpack("<BBBBHHII", ico[6 + 16 * i: 22 + 16 * i])
        assert ico[offset: offset + 8] == b"\x89PNG\r\n\x1a\n" and offset + length <= len(ico)
        sides.add(width or 256)
    assert {16, 32, 48, 256} <= sides

    icns = (ICONS / "rehab-coach.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)


def test_icon_svg_matches_its_generator():
    make_icons = _load("make_icons", ICONS / "make_icons.py")
    assert (ICONS / "rehab-coach.svg").read_text(encoding="utf-8") == make_icons.svg()
