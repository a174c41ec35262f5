#!/usr/bin/env bash
# Build (incrementally) and check the self-contained app folder dist/rehab-coach/ the way a
# user's machine would run it: offscreen Qt, no repo on the module path, throw-away user dirs.
#
#   packaging/check_built_app.sh            # build_app.sh, then every check
#   packaging/check_built_app.sh --reuse    # check the folder already in dist/ (no build)
#   packaging/check_built_app.sh --clean    # release build from an empty PyInstaller cache
#
# Checks: --version; `exercises list`; the bundle self-test (every rehab_coach module imports,
# templates/assets/BlazePose/migrations where the app looks for them); `analyze` of the test
# clip with BlazePose (100 frames, >= 95 with a person); the GUI started offscreen (and under
# Xvfb with the xcb plugin when xvfb-run is installed); the .desktop entry and the kiosk unit
# validated and installed into a temporary HOME; libraries the folder needs from the system.
# Exit status 0 only when every check passed.
set -uo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
APP=$REPO/dist/rehab-coach/rehab-coach
CLIP=$REPO/tests/data/lunge_single_cam01.mp4
build_args=()
reuse=0
for arg in "$@"; do
  case "$arg" in
    --reuse) reuse=1 ;;
    --clean) build_args+=(--clean) ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "check_built_app.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

passed=0
failed=0
pass() { passed=$((passed + 1)); printf 'PASS  %s\n' "$*"; }
fail() { failed=$((failed + 1)); printf 'FAIL  %s\n' "$*"; }
note() { printf 'NOTE  %s\n' "$*"; }

# --- build -------------------------------------------------------------------------------
if [ "$reuse" = 0 ]; then
  build_start=$(date +%s)
  if bash packaging/build_app.sh "${build_args[@]}" >/tmp/rehab-coach-build.log 2>&1; then
    pass "build_app.sh ${build_args[*]} ($(($(date +%s) - build_start)) s; log /tmp/rehab-coach-build.log)"
  else
    fail "build_app.sh (see /tmp/rehab-coach-build.log)"
    tail -20 /tmp/rehab-coach-build.log
    exit 1
  fi
fi
if [ ! -x "$APP" ]; then
  fail "no $APP: run without --reuse"
  exit 1
fi
note "folder $(dirname "$APP"): $(du -sh "$(dirname "$APP")" | cut -f1), $(find "$(dirname "$APP")" -type f | wc -l) files"
[ -f "$(dirname "$APP")/BUILD-INFO.txt" ] && note "$(tr '\n' ';' <"$(dirname "$APP")/BUILD-INFO.txt")"

# --- a clean environment: nothing from the checkout or this user leaks in ------------------
SCRATCH=$(mktemp -d /tmp/rehab-coach-check.XXXXXX)
trap 'rm -rf "$SCRATCH"' EXIT
export QT_QPA_PLATFORM=offscreen
export REHAB_COACH_DATA_DIR=$SCRATCH/data REHAB_COACH_CONFIG_DIR=$SCRATCH/config
export XDG_CACHE_HOME=$SCRATCH/cache XDG_DATA_HOME=$SCRATCH/share XDG_CONFIG_HOME=$SCRATCH/xdgconfig
unset PYTHONPATH PYTHONHOME VIRTUAL_ENV
cd "$SCRATCH"  # relative paths must not find the repo's exercises/ or assets/

# --- --version ---------------------------------------------------------------------------
want_version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$REPO/app/rehab_coach/__init__.py")
version=$("$APP" --version 2>&1)
if [ "$version" = "rehab-coach $want_version" ]; then pass "--version: $version"; else fail "--version: '$version' (want rehab-coach $want_version)"; fi

# --- exercises list ----------------------------------------------------------------------
if listing=$("$APP" exercises list 2>&1); then
  missing=()
  for yaml in "$REPO"/exercises/*.yaml; do
    id=$(basename "$yaml" .yaml)
    grep -qw "$id" <<<"$listing" || missing+=("$id")
  done
  if [ ${#missing[@]} -eq 0 ]; then pass "exercises list: $(wc -l <<<"$listing") templates"; else fail "exercises list lacks: ${missing[*]}"; fi
  sed 's/^/      /' <<<"$listing"
else
  fail "exercises list exited non-zero"; sed 's/^/      /' <<<"$listing"
fi

# --- the development motion generator stays out ---------------------------------------------
# Neither its package nor its modules are in the folder, and `synth` says so in one line, non-zero.
bundled_synth=$(find "$(dirname "$APP")" \( -path '*rehab_synth*' -o -path '*rehab_coach/synth*' \) -print -quit)
synth_out=$("$APP" synth squat -o "$SCRATCH/squat.jsonl" 2>&1); synth_rc=$?
if [ -n "$bundled_synth" ]; then
  fail "the motion generator is bundled: $bundled_synth"
elif [ $synth_rc -ne 0 ] && [ "$(wc -l <<<"$synth_out")" -eq 1 ] && grep -q "development tool" <<<"$synth_out" \
    && [ ! -e "$SCRATCH/squat.jsonl" ]; then
  pass "synth: not bundled, says so (exit $synth_rc)"
else
  fail "synth (exit $synth_rc): $synth_out"
fi

# --- the bundle's own self-test ------------------------------------------------------------
if selftest=$(REHAB_COACH_BUNDLE_SELFTEST=1 timeout 300 "$APP" 2>&1); then
  pass "bundle self-test"
else
  fail "bundle self-test"
fi
grep '^selftest:' <<<"$selftest" | sed 's/^/      /'
grep -v '^selftest:' <<<"$selftest" | head -30 | sed 's/^/      /'

# --- analyze the test clip with BlazePose -------------------------------------------------
start=$(date +%s)
if out=$(timeout 600 "$APP" analyze "$CLIP" --exercise lunge --backend blazepose --json "$SCRATCH/report.json" 2>"$SCRATCH/analyze.err"); then
  seconds=$(($(date +%s) - start))
  sed 's/^/      /' <<<"$out"
  if verdict=$(python3 - "$SCRATCH/report.json" 2>&1 <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
problems = []
if r.get("frames") != 100:
    problems.append(f"frames={r.get('frames')} (want 100)")
if (r.get("frames_with_person") or 0) < 95:
    problems.append(f"frames_with_person={r.get('frames_with_person')} (want >= 95)")
if (r.get("exercise") or {}).get("id") != "lunge":
    problems.append(f"exercise={r.get('exercise')}")
if "BlazePose" not in str(r.get("backend")):
    problems.append(f"backend={r.get('backend')}")
print("; ".join(problems) or f"{r['frames']} frames, {r['frames_with_person']} with a person, {r['rep_count']} reps, {r['backend']}")
sys.exit(1 if problems else 0)
EOF
  ); then
    pass "analyze lunge clip (${seconds} s): $verdict"
  else
    fail "analyze report: $verdict"
  fi
else
  fail "analyze exited non-zero"; tail -20 "$SCRATCH/analyze.err" | sed 's/^/      /'
fi

# --- the GUI --------------------------------------------------------------------------------
gui_check() {  # $1: label; the rest: environment for the run
  local label=$1; shift
  local shots=$SCRATCH/shots-${label// /-}
  if "$APP" gui --help 2>/dev/null | grep -q -- '--screenshots'; then
    # Coaches the clip, saves live.png and summary.png, then quits by itself.
    if env "$@" timeout 180 "$APP" gui --video "$CLIP" --exercise lunge --backend blazepose --countdown 0 --mute \
        --screenshots "$shots" >"$SCRATCH/gui.out" 2>&1 && [ -s "$shots/live.png" ] && [ -s "$shots/summary.png" ]; then
      pass "GUI $label: coached the clip and saved live.png + summary.png"
      mkdir -p /tmp/rehab-coach-check-shots  # kept for a look after the run
      for f in "$shots"/*.png; do cp "$f" "/tmp/rehab-coach-check-shots/${label// /-}-$(basename "$f")"; done
    else
      fail "GUI $label (exit/screenshots missing)"; tail -20 "$SCRATCH/gui.out" | sed 's/^/      /'
    fi
  else
    # No screenshot mode: the app must still be running after a few seconds.
    env "$@" timeout 8 "$APP" gui --video "$CLIP" --loop >"$SCRATCH/gui.out" 2>&1
    local rc=$?
    if [ $rc -eq 124 ]; then pass "GUI $label: still running after 8 s"; else fail "GUI $label exited with $rc"; tail -20 "$SCRATCH/gui.out" | sed 's/^/      /'; fi
  fi
}
if "$APP" gui --help >/dev/null 2>&1; then
  gui_check "offscreen" QT_QPA_PLATFORM=offscreen
  if command -v xvfb-run >/dev/null; then
    gui_check "xcb under Xvfb" QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1280x800x24"
  else
    note "xvfb-run not installed (apt-get install xvfb): GUI not tried with the xcb plugin"
  fi
else
  note "this build has no 'gui' command: GUI start skipped"
fi

# --- desktop entry and kiosk unit -------------------------------------------------------------
if command -v desktop-file-validate >/dev/null; then
  if msg=$(desktop-file-validate "$REPO/packaging/linux/rehab-coach.desktop" 2>&1) && [ -z "$msg" ]; then
    pass "desktop-file-validate rehab-coach.desktop"
  else
    fail "desktop-file-validate: $msg"
  fi
else
  note "desktop-file-validate not installed (apt-get install desktop-file-utils)"
fi
FAKE_HOME=$SCRATCH/home
mkdir -p "$FAKE_HOME"
if HOME=$FAKE_HOME XDG_DATA_HOME= XDG_CONFIG_HOME= bash "$REPO/packaging/linux/install.sh" --app-dir "$(dirname "$APP")" >"$SCRATCH/install.out" 2>&1 \
    && [ "$(HOME=$FAKE_HOME "$FAKE_HOME/.local/bin/rehab-coach" --version 2>&1)" = "rehab-coach $want_version" ]; then
  pass "install.sh into a temporary HOME; the installed launcher runs"
else
  fail "install.sh"; sed 's/^/      /' "$SCRATCH/install.out"
fi
if command -v systemd-analyze >/dev/null; then
  mkdir -p -m 700 "$SCRATCH/run"
  if msg=$(cd "$FAKE_HOME/.config/systemd/user" && HOME=$FAKE_HOME XDG_RUNTIME_DIR=$SCRATCH/run \
      systemd-analyze --user verify rehab-coach-kiosk.service 2>&1); then
    pass "systemd-analyze --user verify rehab-coach-kiosk.service (installed copy)"
  else
    fail "systemd-analyze verify: $msg"
  fi
else
  note "systemd-analyze not available: kiosk unit not verified"
fi
if HOME=$FAKE_HOME XDG_DATA_HOME= XDG_CONFIG_HOME= bash "$REPO/packaging/linux/install.sh" --uninstall >/dev/null 2>&1 \
    && [ ! -e "$FAKE_HOME/.local/opt/rehab-coach" ] && [ ! -e "$FAKE_HOME/.config/systemd/user/rehab-coach-kiosk.service" ]; then
  pass "install.sh --uninstall removes it again"
else
  fail "install.sh --uninstall"
fi

# --- what the folder needs from the target system ----------------------------------------------
internal=$(dirname "$APP")/_internal
unresolved=$(cd "$internal" && for f in libpython3*.so* PySide6/Qt/plugins/platforms/*.so PySide6/Qt/plugins/xcbglintegrations/*.so \
    PySide6/Qt/lib/*.so* cv2/*.so mediapipe/python/*.so onnxruntime/capi/*.so; do
  [ -f "$f" ] && LD_LIBRARY_PATH=$internal:$internal/PySide6/Qt/lib ldd "$f" 2>/dev/null | awk '/not found/ {print $1}'
done | sort -u | tr '\n' ' ')
if [ -z "$unresolved" ]; then
  pass "every bundled library resolves (ldd)"
else
  note "libraries the target must provide (missing on this machine): $unresolved"
fi

echo "== $passed passed, $failed failed"
[ "$failed" -eq 0 ]
