"""Packaging files, checked without building: the .desktop entry, the kiosk unit, the install
script, the PyInstaller layout (what the spec bundles and where) and the icons.

The full build and the frozen app's run are packaging/check_built_app.sh (about two minutes).
"""

from __future__ import annotations

import configparser
import importlib.util
import os
import re
import shutil
import stat
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
    assert service["UMask"] == "0077"  # every file the kiosk writes is its account's only


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


def test_install_script_keeps_the_data_and_settings_folders_to_the_account(tmp_path):
    """The PIN locks the screens only: the kiosk account's folders are what keep other accounts out."""
    home = tmp_path / "home"
    data, config = home / ".local/share/rehab-coach", home / ".config/rehab-coach"
    config.mkdir(parents=True)
    config.chmod(0o755)  # left open by an older install or by hand
    (config / "kiosk.env").write_text("REHAB_COACH_DB_URL=postgresql://rehab:secret@db/rehab\n")
    (config / "kiosk.env").chmod(0o644)
    result = _run_install(home, "--app-dir", str(_fake_app(tmp_path / "dist")))
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(data.stat().st_mode) == 0o700 and stat.S_IMODE(config.stat().st_mode) == 0o700
    assert stat.S_IMODE((config / "kiosk.env").stat().st_mode) == 0o600
    assert "readable by" in result.stdout


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
        cwd=home / ".config/systemd/user",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# ---- PyInstaller layout ------------------------------------------------------------------


class _Recorded:
    """Stands in for one of PyInstaller's build classes: keeps what the spec passed."""

    calls: list[tuple[str, tuple, dict]] = []

    def __init__(self, *args, **kwargs):
        type(self).calls.append((type(self).__name__, args, kwargs))
        self.args, self.kwargs = args, kwargs
        self.binaries = [
            ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "src", "BINARY"),
            ("libQt6Core.so.6", "src", "BINARY"),
        ]
        self.datas = [("libcairo.so.2", "src", "DATA"), ("rehab_coach/exercises/squat.yaml", "src", "DATA")]
        self.pure, self.scripts = ["pure"], ["scripts"]


def _run_spec(workpath: Path) -> dict[str, tuple[tuple, dict]]:
    """Execute the spec as PyInstaller does (its globals, SPECPATH and workpath), with the build
    classes replaced by recorders; returns the arguments of each call by class name."""
    pytest.importorskip("mediapipe")  # the spec bundles mediapipe's BlazePose files
    _Recorded.calls = []
    names = ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")
    recorders = {name: type(name, (_Recorded,), {}) for name in names}
    spec = PYI / "rehab-coach.spec"
    scope = {
        "__file__": str(spec),
        "__name__": "__main__",
        "SPECPATH": str(PYI),
        "workpath": str(workpath),
        **recorders,
    }
    saved_path, saved_layout = list(sys.path), sys.modules.get("bundle_layout")
    try:
        exec(compile(spec.read_text(encoding="utf-8"), str(spec), "exec"), scope)
    finally:
        sys.path[:] = saved_path
        sys.modules.pop("bundle_layout", None)
        if saved_layout is not None:
            sys.modules["bundle_layout"] = saved_layout
    calls = {}
    for name, args, kwargs in _Recorded.calls:
        calls.setdefault(name, (args, kwargs))
    calls["analysis_object"] = ((scope["a"],), {})
    return calls


def test_spec_builds_one_folder_from_the_layout_module(layout, tmp_path):
    calls = _run_spec(tmp_path / "work")
    (scripts,), analysis = calls["Analysis"]
    assert scripts == [str(layout.ENTRY_SCRIPT)]
    assert analysis["pathex"] == [str(layout.APP_SRC)]
    assert analysis["hiddenimports"] == layout.package_modules()
    assert analysis["excludes"] == list(layout.EXCLUDES) and "rehab_synth" in analysis["excludes"]
    assert analysis["runtime_hooks"] == [str(p) for p in layout.RUNTIME_HOOKS]
    module_list = tmp_path / "work" / layout.MODULE_LIST_NAME
    assert module_list.read_text(encoding="utf-8").split() == layout.package_modules()
    expected = (
        layout.repo_data() + layout.package_data() + layout.mediapipe_data() + [(str(module_list), layout.PACKAGE)]
    )
    assert analysis["datas"] == expected
    # What PyInstaller collected is pruned by the layout's patterns.
    (a,), _ = calls["analysis_object"]
    assert [b[0] for b in a.binaries] == ["libQt6Core.so.6"]
    assert [d[0] for d in a.datas] == ["rehab_coach/exercises/squat.yaml"]
    # onedir: the executable leaves its binaries to COLLECT, which makes the one folder.
    assert calls["EXE"][1]["exclude_binaries"] is True and calls["EXE"][1]["name"] == layout.APP_NAME
    assert calls["COLLECT"][1]["name"] == layout.APP_NAME
    assert ("u", None, "OPTION") in calls["EXE"][0][2]  # unbuffered output for the journal


def test_templates_and_assets_go_where_paths_finds_them_frozen(layout):
    datas = layout.repo_data()
    dests = {Path(src).name: dest for src, dest in datas}
    for template in (REPO / "exercises").glob("*.yaml"):
        assert dests[template.name] == "rehab_coach/exercises"
    assert (str(ICONS / "rehab-coach.svg"), "rehab_coach/assets/icons") in datas
    assert (str(ICONS / "hicolor/64x64/apps/rehab-coach.png"), "rehab_coach/assets/icons/hicolor/64x64/apps") in datas
    assert not any(src.endswith(".py") for src, _ in datas)  # make_icons.py stays in the repo


def test_the_frozen_paths_module_finds_the_bundled_data(layout, tmp_path):
    """paths.py copied where the bundle puts it, the data copied where the layout puts it: it finds
    the bundle's templates, assets and demonstrations, not the checkout's."""
    internal = tmp_path / "_internal"
    package = internal / layout.PACKAGE
    package.mkdir(parents=True)
    shutil.copy(layout.PACKAGE_SRC / "paths.py", package / "paths.py")
    for src, dest in layout.repo_data():
        (internal / dest).mkdir(parents=True, exist_ok=True)
        shutil.copy(src, internal / dest)
    (package / "demos").mkdir(exist_ok=True)  # made by build_app.sh, which this test does not run
    paths = _load("frozen_paths", package / "paths.py")
    try:
        assert paths.exercises_dir() == package / "exercises"
        assert paths.assets_dir() == package / "assets"
        assert paths.demos_dir() == package / "demos"
        assert sorted(p.name for p in paths.exercises_dir().glob("*.yaml")) == sorted(
            p.name for p in (REPO / "exercises").glob("*.yaml")
        )
        assert (paths.assets_dir() / "icons" / "rehab-coach.svg").is_file()
    finally:
        sys.modules.pop("frozen_paths", None)


def test_only_the_blazepose_full_files_of_mediapipe_are_bundled(layout):
    mediapipe = pytest.importorskip("mediapipe")
    mp_dir = Path(mediapipe.__file__).parent
    datas = layout.mediapipe_data(mp_dir)
    assert sorted(Path(src).name for src, _ in datas) == [
        "pose_detection.tflite",
        "pose_landmark_cpu.binarypb",
        "pose_landmark_full.tflite",
    ]
    for src, dest in datas:
        assert Path(src).is_file()
        assert Path(src).parent.relative_to(mp_dir) == Path(dest).relative_to("mediapipe")


def test_sources_loaded_by_path_exist_and_are_shipped(layout):
    """A listed source must exist (a rename would break the frozen app) and be shipped as source."""
    src = layout.PACKAGE_SRC
    assert layout.missing_package_sources() == []
    shipped = {Path(path).relative_to(src).as_posix() for path, _ in layout.package_data()}
    for tree in layout.PACKAGE_SOURCE_TREES:
        files = {p.relative_to(src).as_posix() for p in (src / tree).rglob("*.py") if "__pycache__" not in p.parts}
        assert files and files <= shipped, tree
    for name in layout.PACKAGE_SOURCE_FILES:
        assert (src / name).is_file() and name in shipped, name
    assert "session/store/migrations/env.py" in shipped
    assert any(name.startswith("session/store/migrations/versions/") for name in shipped)


def test_every_module_the_cli_loads_by_name_is_a_hidden_import(layout):
    from rehab_coach.cli import COMMAND_MODULES
    from rehab_coach.pose.backend import BACKENDS

    modules = set(layout.package_modules())
    commands = {f"rehab_coach.commands.{name}" for name in COMMAND_MODULES}
    backends = {entry.module for entry in BACKENDS.values()}
    assert "rehab_coach.commands.analyze" in commands and "rehab_coach.pose.blazepose" in backends
    assert sorted(commands - modules) == [] and sorted(backends - modules) == []
    assert "rehab_coach.__main__" not in modules  # importing it runs the CLI
    assert "rehab_coach.models.tools_worker" not in modules  # runs under the tools interpreter
    assert not any(".migrations" in m for m in modules)  # alembic's env.py runs migrations on import
    assert not any(m.startswith(("rehab_synth", "rehab_coach.synth")) for m in modules)  # a development package


def test_every_shipped_module_imports_without_the_motion_generator(layout):
    """As the frozen self-test does, in a Python where the development generator cannot be imported."""
    code = (
        "import importlib, sys\n"
        "sys.modules['rehab_synth'] = None\n"
        "for name in sys.argv[1:]:\n"
        "    importlib.import_module(name)\n"
        "print(len(sys.argv) - 1)\n"
    )
    modules = layout.package_modules()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", code, *modules], capture_output=True, text=True, env=env, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split() == [str(len(modules))] and len(modules) > 50


def test_heavy_optional_packages_are_excluded(layout):
    for name in ("torch", "super_gradients", "jax", "jaxlib", "matplotlib", "scipy", "tkinter"):
        assert name in layout.EXCLUDES
    assert layout.pruned("PySide6/Qt/plugins/platformthemes/libqgtk3.so")
    assert layout.pruned("libcairo.so.2")
    for kept in (
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/Qt/plugins/platforms/libqwayland.so",
        "libQt6Core.so.6",
        "libglib-2.0.so.0",
    ):
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
        width, _h, _c, _r, _planes, _bpp, length, offset = struct.unpack("<BBBBHHII", ico[6 + 16 * i : 22 + 16 * i])
        assert ico[offset : offset + 8] == b"\x89PNG\r\n\x1a\n" and offset + length <= len(ico)
        sides.add(width or 256)
    assert {16, 32, 48, 256} <= sides

    icns = (ICONS / "rehab-coach.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)


def test_icon_svg_matches_its_generator():
    make_icons = _load("make_icons", ICONS / "make_icons.py")
    assert (ICONS / "rehab-coach.svg").read_text(encoding="utf-8") == make_icons.svg()
