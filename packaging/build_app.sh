#!/usr/bin/env bash
# Build the self-contained Linux app folder dist/rehab-coach/ with PyInstaller (onedir).
#
#   packaging/build_app.sh            # incremental: reuses the build venv and PyInstaller's cache
#   packaging/build_app.sh --clean    # release build: empty PyInstaller cache, fresh dist/rehab-coach
#
# The build runs in its own virtual environment (never the dev .venv, which carries test and
# model-tools extras): pyinstaller + the app's runtime dependencies from pyproject.toml. It is
# (re)provisioned when pyproject.toml or packaging/pyinstaller/build-requirements.txt change.
#
# Environment: REHAB_COACH_BUILD_VENV (default ~/.cache/rehab-coach/build-venv),
#              PYTHON (default python3.11; mediapipe 0.10.21 has wheels for 3.11).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
BUILD_VENV=${REHAB_COACH_BUILD_VENV:-$HOME/.cache/rehab-coach/build-venv}
PYTHON=${PYTHON:-python3.11}
SPEC=packaging/pyinstaller/rehab-coach.spec
BUILD_REQS=packaging/pyinstaller/build-requirements.txt
DIST=$REPO/dist
WORK=$REPO/build/pyinstaller
APP_DIR=$DIST/rehab-coach

clean=()
for arg in "$@"; do
  case "$arg" in
    --clean) clean=(--clean) ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "build_app.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

say() { printf 'build_app: %s\n' "$*"; }
started=$(date +%s)

# --- 1. the build environment ---------------------------------------------------------
command -v "$PYTHON" >/dev/null || PYTHON=python3
"$PYTHON" -c 'import sys; assert sys.version_info[:2] == (3, 11), "the app build needs Python 3.11"'
wanted_stamp=$(cat pyproject.toml "$BUILD_REQS" "$0" | sha256sum | cut -c1-16)
stamp_file=$BUILD_VENV/.rehab-coach-build-stamp
if [ ! -x "$BUILD_VENV/bin/python" ] || [ "$(cat "$stamp_file" 2>/dev/null)" != "$wanted_stamp" ]; then
  say "provisioning the build venv $BUILD_VENV"
  [ -x "$BUILD_VENV/bin/python" ] || "$PYTHON" -m venv "$BUILD_VENV"
  "$BUILD_VENV/bin/python" -m pip install -q --upgrade pip
  # Only the runtime dependencies: the app itself is frozen from app/ (the spec's pathex),
  # so nothing of it is installed here and no stale copy can shadow the checkout.
  "$BUILD_VENV/bin/python" - <<'EOF' >"$BUILD_VENV/app-requirements.txt"
import tomllib
with open("pyproject.toml", "rb") as f:
    print("\n".join(tomllib.load(f)["project"]["dependencies"]))
EOF
  "$BUILD_VENV/bin/python" -m pip install -q -r "$BUILD_REQS" -r "$BUILD_VENV/app-requirements.txt"
  # mediapipe pulls opencv-contrib-python, whose cv2 carries a Qt5 GUI (highgui) with its own
  # Qt5 and xcb libraries (~40 MB). The app draws with PySide6 and never calls highgui, so the
  # bundle gets the headless build of the very same version: same cv2 API, video I/O included.
  # (Both wheels install into cv2/: uninstall first, then force the headless files back.)
  cv_version=$("$BUILD_VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("opencv-contrib-python"))' 2>/dev/null || true)
  if [ -n "$cv_version" ]; then
    "$BUILD_VENV/bin/python" -m pip uninstall -q -y opencv-contrib-python
    "$BUILD_VENV/bin/python" -m pip install -q --no-deps --force-reinstall "opencv-contrib-python-headless==$cv_version"
  fi
  echo "$wanted_stamp" >"$stamp_file"
fi
# The exercise cards' demonstrations: keyframes from the motion generator, made now and shipped.
"$BUILD_VENV/bin/python" scripts/make_demos.py "$REPO/build/demos"
# The screens' translations compiled now (the frozen app has no lrelease to compile them at first use).
mkdir -p "$REPO/build/translations"
for ts in app/rehab_coach/ui/translations/*.ts; do
  "$BUILD_VENV/bin/pyside6-lrelease" -silent "$ts" -qm "$REPO/build/translations/$(basename "${ts%.ts}").qm"
done
# PyInstaller bundles the shared libraries it finds on the build host, except the core ones
# (glibc, libGL/libEGL, libxcb, Wayland) that every desktop has. Qt's xcb platform plugin needs
# a dozen small xcb/xkb libraries that minimal systems lack: have them on the build host so the
# folder carries them, whatever the target has installed.
host_libs=(libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0
  libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0
  libx11-xcb1 libfontconfig1 libdbus-1-3 libglib2.0-0)
if command -v dpkg >/dev/null; then
  missing_libs=()
  for pkg in "${host_libs[@]}"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing_libs+=("$pkg"); done
  if [ ${#missing_libs[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      say "installing Qt's X11 libraries on the build host so they are bundled: ${missing_libs[*]}"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing_libs[@]}" >/dev/null
    else
      say "WARNING: not bundled, so the target must have them: ${missing_libs[*]} (sudo apt-get install them here and rebuild)"
    fi
  fi
fi
provisioned=$(date +%s)

# --- 2. freeze --------------------------------------------------------------------------
[ ${#clean[@]} -eq 0 ] || rm -rf "$WORK" "$APP_DIR"
say "running PyInstaller ($("$BUILD_VENV/bin/pyinstaller" --version))"
"$BUILD_VENV/bin/pyinstaller" --noconfirm --log-level WARN "${clean[@]}" \
  --distpath "$DIST" --workpath "$WORK" "$SPEC"

# --- 3. summary -------------------------------------------------------------------------
finished=$(date +%s)
"$APP_DIR/rehab-coach" --version >/dev/null
size=$(du -sh "$APP_DIR" | cut -f1)
{
  echo "rehab-coach $("$APP_DIR/rehab-coach" --version | awk '{print $2}')"
  echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- app exercises assets packaging 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -sm), $("$BUILD_VENV/bin/python" -V)"
} >"$APP_DIR/BUILD-INFO.txt"
say "venv: $((provisioned - started)) s, PyInstaller: $((finished - provisioned)) s, total: $((finished - started)) s"
say "app folder: $APP_DIR ($size)"
