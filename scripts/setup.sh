#!/usr/bin/env bash
# Set up Rehab Coach on a fresh Debian/Ubuntu machine with Python 3.11:
# system libraries Qt needs, then a virtual environment in .venv with the app installed.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
for pkg in libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0 poppler-utils; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
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
.venv/bin/python -m pip install -q -e ".[test]"
echo "Rehab Coach is installed in .venv (run: .venv/bin/rehab-coach --help)"
