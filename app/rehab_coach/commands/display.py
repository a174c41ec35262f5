"""Can Qt open a window here? Checked before Qt starts, because Qt aborts the whole process
(SIGABRT, no message the user can act on) when its platform plugin cannot load or connect."""

from __future__ import annotations

import ctypes
import ctypes.util
import importlib.util
import os
import re
import sys
from pathlib import Path

from rehab_coach.errors import RehabCoachError

_WINDOWED_PLATFORMS = {"", "xcb", "wayland", "wayland-egl"}
_HEADLESS_HINT = "use `rehab-coach analyze` for headless work, or start the app on a desktop (or under xvfb-run)"


class DisplayUnavailable(RehabCoachError):
    """No window can be opened: no display, or Qt's platform plugin cannot load."""

    exit_code = 2


def check_display(environ: dict[str, str] | None = None) -> None:
    """Raise DisplayUnavailable with one sentence the user can act on; return when a window can open."""
    env = os.environ if environ is None else environ
    if not sys.platform.startswith("linux"):
        return
    platforms = {p.split(":")[0].strip() for p in env.get("QT_QPA_PLATFORM", "").split(";")}
    if not platforms <= _WINDOWED_PLATFORMS:
        return  # offscreen, vnc, eglfs, ...: the user chose a platform that needs no desktop
    display, wayland = env.get("DISPLAY", ""), env.get("WAYLAND_DISPLAY", "")
    if not display and not wayland:
        raise DisplayUnavailable(f"no display found (DISPLAY and WAYLAND_DISPLAY are unset): {_HEADLESS_HINT}")
    if wayland and "xcb" not in platforms:
        return  # Qt's Wayland plugin; nothing cheap to check beforehand
    if missing := _xcb_plugin_problem():
        raise DisplayUnavailable(
            f"Qt's X11 (xcb) plugin cannot load ({missing}): run scripts/setup.sh, or install "
            f"the system package that provides it, e.g. sudo apt-get install libxcb-cursor0 "
            "libxcb-icccm4 libxcb-keysyms1"
        )
    if not _xcb_connects(display):
        raise DisplayUnavailable(f"cannot connect to the display {display!r}: {_HEADLESS_HINT}")


def xcb_plugin_path() -> Path | None:
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    return path if path.is_file() else None


def _xcb_plugin_problem() -> str | None:
    """The loader's complaint about Qt's xcb plugin (typically a missing libxcb-*.so), or None."""
    plugin = xcb_plugin_path()
    if plugin is None:
        return None  # a build without the plugin (or PyInstaller's layout): let Qt report it
    try:
        ctypes.CDLL(str(plugin), mode=os.RTLD_LAZY)
    except OSError as exc:
        found = re.search(r"(lib[\w.+-]+\.so[\w.]*): cannot open shared object file", str(exc))
        return f"{found.group(1)} is missing" if found else str(exc)
    return None


def _xcb_connects(display: str) -> bool:
    name = ctypes.util.find_library("xcb")
    if name is None:
        return True  # cannot tell without libxcb; the plugin check above would have failed anyway
    xcb = ctypes.CDLL(name)
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    try:
        return connection is not None and xcb.xcb_connection_has_error(connection) == 0
    finally:
        if connection is not None:
            xcb.xcb_disconnect(connection)
