#!/usr/bin/env bash
# Set up Rehab Coach on a fresh Debian/Ubuntu machine with Python 3.11:
# system libraries Qt needs, then a virtual environment in .venv with the app installed.
set -euo pipefail
cd "$(dirname "$0")/.."

# Qt's xcb platform plugin (libqxcb.so and libQt6XcbQpa) links every library below; a missing one
# makes the app abort at start on an X11 desktop. Checked with `ldd` on both (tests/commands/test_display.py).
XCB_LIBS=(libx11-6 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1
  libxkbcommon0 libxkbcommon-x11-0)
need_apt=()
# The report's Latin font (DejaVu Sans: its letters and digits keep the PDF's text layer whole) and
# fontconfig's fc-list, which the check below needs.
for pkg in libegl1 libgl1 libfontconfig1 fontconfig fonts-dejavu-core libdbus-1-3 libglib2.0-0 poppler-utils \
  "${XCB_LIBS[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
# A font with Chinese characters for the zh screens and PDF report (the PDF embeds it; without one
# Chinese text shows as boxes). A fresh machine may not have fc-list yet: then install it too.
if ! command -v fc-list >/dev/null || [ -z "$(fc-list :lang=zh family 2>/dev/null)" ]; then
  dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need_apt+=(fonts-noto-cjk)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "Please install these system packages first: sudo apt-get install ${need_apt[*]}" >&2
  fi
fi

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3
"$PYTHON" -c 'import sys; assert sys.version_info[:2] == (3, 11), "Rehab Coach needs Python 3.11 (mediapipe 0.10.21 wheels)"'
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# The synthetic motion generator (synth/) is a development package: installed with the test extra.
.venv/bin/python -m pip install -q -e ".[test]" -e ./synth
# The exercise cards' demonstrations, as a built app ships them (a checkout reads them from build/demos).
.venv/bin/python scripts/make_demos.py
echo "Rehab Coach is installed in .venv (run: .venv/bin/rehab-coach --help)"
