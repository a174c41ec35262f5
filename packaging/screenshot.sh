#!/usr/bin/env bash
# Run the desktop app under a virtual X server and save screenshots of the live screen and
# the end-of-session summary (Qt's own grab of the window: no window manager or screen
# capture tool needed).
#
#   packaging/screenshot.sh        # the docs' pictures -> docs/screenshots/{live,summary}.png
#   packaging/screenshot.sh --video my.mp4 --exercise squat --screenshot-at 4.0
#   SCREENSHOT_DIR=/tmp/shots packaging/screenshot.sh --replay demo.jsonl --exercise squat
#
# With arguments, one run of `rehab-coach gui ARGS` writes both pictures. Without, live.png
# comes from the real lunge clip in tests/data (BlazePose on the CPU) and summary.png from a
# replayed synthetic squat session (rehab_synth), since the 1.7 s clip holds no full rep.
# Needs xvfb-run and the libraries of Qt's xcb plugin
#   (Debian/Ubuntu: apt-get install xvfb xauth libxcb-cursor0 libxkbcommon-x11-0).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-$root/.venv/bin/python}"
out="${SCREENSHOT_DIR:-$root/docs/screenshots}"

if ! command -v xvfb-run >/dev/null; then
    echo "screenshot.sh: xvfb-run not found; install xvfb (apt-get install xvfb xauth libxcb-cursor0)" >&2
    exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# A checkout tool: the app and the development motion generator (synth/) from this checkout.
export PYTHONPATH="$root/app:$root/synth${PYTHONPATH:+:$PYTHONPATH}"

shoot() {  # shoot DIR ARGS...: one app run; sessions go to a scratch folder, never the user's data
    local dir="$1"
    shift
    mkdir -p "$dir"
    REHAB_COACH_DATA_DIR="$work/data" QT_QPA_PLATFORM=xcb timeout 300 \
        xvfb-run -a -s "-screen 0 1400x900x24 -dpi 96" \
        "$python" -m rehab_coach gui --countdown 0 --mute --screenshots "$dir" "$@"
}

if [ "$#" -gt 0 ]; then
    shoot "$out" "$@"
else
    # Quarter speed, so every frame of the 60 fps clip goes through the model on a slow CPU;
    # 1.5 s is the bottom of the lunge.
    shoot "$work/video" --video "$root/tests/data/lunge_single_cam01.mp4" --exercise lunge \
        --backend blazepose --speed 0.25 --screenshot-at 1.5
    "$python" -c "from rehab_synth import generate
generate('squat', reps=5, faults={1: ['trunk_lean'], 3: ['shallow']}, seed=3).write('$work/squat.jsonl')"
    shoot "$work/replay" --replay "$work/squat.jsonl" --exercise squat --sets 1 --reps 5 --speed 4
    mkdir -p "$out"
    cp "$work/video/live.png" "$out/live.png"
    cp "$work/replay/summary.png" "$out/summary.png"
fi
ls -l "$out/live.png" "$out/summary.png"
