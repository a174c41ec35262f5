#!/usr/bin/env bash
# The GPU path, proven in one command, unattended, in under 8 minutes.
#
#   scripts/gpu_check.sh [--out DIR] [--frames N] [--sizes 320,416,640] [--live-seconds S]
#                        [--budget SECONDS] [--env DIR] [--allow-cpu] [--python PATH]
#
# On a machine with an NVIDIA GPU it:
#   1. sets up its own environment (default ~/.cache/rehab-coach/gpu-venv): this app with
#      onnxruntime-gpu instead of onnxruntime, and TensorRT's Python wheels when they resolve;
#      in parallel, the model-tools environment (packaging/setup_tools_env.sh: CUDA torch);
#   2. runs scripts/gpu_check.py there: imports randomly initialised YOLO-NAS Pose N and S,
#      benchmarks TensorRT, CUDA and CPU at each size and the torch backend on CUDA, checks that
#      CUDA and TensorRT match the CPU, and measures the live window under Xvfb on a 60 fps clip;
#   3. writes DIR/gpu-check.md (one table) and DIR/gpu-check.json.
# Without a GPU it says so in one line and exits 0. --allow-cpu rehearses every step on the CPU:
# with --python PATH (a Python that has the app) in that Python, else in the GPU environment it
# builds as on a GPU machine (CPU provider only).
#
# Options:
#   --out DIR           where the table, the JSON and the logs go (default: ./gpu-check)
#   --frames N          frames per benchmark row (default: 100)
#   --sizes LIST        YOLO-NAS Pose input sizes (default: 320,416,640)
#   --live-seconds S    length of the live-window measurement (default: 20)
#   --budget SECONDS    the whole run, setup included; steps that would overrun are skipped and
#                       say so (default: 470)
#   --env DIR           the GPU environment (default: ~/.cache/rehab-coach/gpu-venv)
# Exit codes: 0 done (or no GPU), 2 bad arguments or a failed setup, 1 a step failed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
START=$(date +%s)
OUT_DIR="$PWD/gpu-check"
FRAMES=100
SIZES="320,416,640"
LIVE_SECONDS=20
BUDGET=470
GPU_ENV="${REHAB_COACH_GPU_VENV:-$HOME/.cache/rehab-coach/gpu-venv}"
ALLOW_CPU=0
APP_PYTHON=""

usage() { sed -n '2,/^[^#]/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
fail_args() { echo "gpu_check.sh: $*" >&2; echo "run scripts/gpu_check.sh --help for the options" >&2; exit 2; }
need_value() { [[ $# -ge 2 && -n "$2" ]] || fail_args "$1 needs a value"; }
positive_int() { [[ "$2" =~ ^[1-9][0-9]*$ ]] || fail_args "$1 must be a positive whole number (got '$2')"; }
positive_number() { [[ "$2" =~ ^([0-9]+\.?[0-9]*|\.[0-9]+)$ && ! "$2" =~ ^0*\.?0*$ ]] || fail_args "$1 must be a positive number (got '$2')"; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --out) need_value "$@"; OUT_DIR="$2"; shift 2 ;;
    --frames) need_value "$@"; positive_int "$1" "$2"; FRAMES="$2"; shift 2 ;;
    --sizes) need_value "$@"
      [[ "$2" =~ ^[0-9]+(,[0-9]+)*$ ]] || fail_args "--sizes must be comma-separated whole numbers, e.g. 320,416,640 (got '$2')"
      for size in ${2//,/ }; do
        (( size % 32 == 0 && size >= 160 && size <= 1280 )) || fail_args "--sizes: $size is not a multiple of 32 between 160 and 1280"
      done
      SIZES="$2"; shift 2 ;;
    --live-seconds) need_value "$@"; positive_number "$1" "$2"; LIVE_SECONDS="$2"; shift 2 ;;
    --budget) need_value "$@"; positive_int "$1" "$2"; BUDGET="$2"; shift 2 ;;
    --env) need_value "$@"; GPU_ENV="$2"; shift 2 ;;
    --allow-cpu) ALLOW_CPU=1; shift ;;
    --python) need_value "$@"; APP_PYTHON="$2"; shift 2 ;;
    *) fail_args "unknown argument '$1'" ;;
  esac
done
[[ -z "$APP_PYTHON" || $ALLOW_CPU -eq 1 ]] || fail_args "--python only goes with --allow-cpu (a GPU run builds its own environment)"
[[ -z "$APP_PYTHON" || -x "$APP_PYTHON" ]] || fail_args "--python: no Python at $APP_PYTHON"

# ---- is there a GPU? -----------------------------------------------------------------
# nvidia-smi prints its failures on stdout and exits non-zero: only its exit status counts.
GPU_NAME=""
if command -v nvidia-smi >/dev/null 2>&1 && SMI="$(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null)"; then
  GPU_NAME="$(head -n 1 <<<"$SMI")"
fi
if [[ -z "$GPU_NAME" && $ALLOW_CPU -eq 0 ]]; then
  echo "gpu_check: no NVIDIA GPU on this machine (nvidia-smi $(command -v nvidia-smi >/dev/null && echo 'finds no device' || echo 'is not installed')); nothing measured."
  exit 0
fi

mkdir -p "$OUT_DIR"
OUT_DIR="$(cd "$OUT_DIR" && pwd)"
LOGS="$OUT_DIR/logs"
mkdir -p "$LOGS"
say() { printf '[gpu_check %3ds] %s\n' "$(( $(date +%s) - START ))" "$*"; }
say "${GPU_NAME:-no GPU: rehearsing on the CPU (--allow-cpu)}; results in $OUT_DIR"

pick_python() {
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then echo "$candidate"; return; fi
  done
  echo "gpu_check.sh: no python3.11 or python3 on PATH" >&2
  exit 2
}

# System packages: Python 3.11 (mediapipe's wheels), and what the live window needs under Xvfb.
# Installed only when missing, only as root with apt-get; otherwise the steps that need them say so.
SYSTEM_PACKAGES=(xvfb xauth libxcb-cursor0 libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0)
if [[ $ALLOW_CPU -eq 0 ]] && command -v apt-get >/dev/null 2>&1 && [[ $(id -u) -eq 0 ]]; then
  missing=()
  command -v python3.11 >/dev/null 2>&1 || missing+=(python3.11 python3.11-venv)
  for pkg in "${SYSTEM_PACKAGES[@]}"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  if [[ ${#missing[@]} -gt 0 ]]; then
    say "installing system packages: ${missing[*]}"
    timeout 120 apt-get update -qq >"$LOGS/setup-system.log" 2>&1 || true
    # One at a time: a package this distribution lacks (python3.11 on newer releases) must not stop the others.
    for pkg in "${missing[@]}"; do
      DEBIAN_FRONTEND=noninteractive timeout 120 apt-get install -y -qq "$pkg" >>"$LOGS/setup-system.log" 2>&1 \
        || say "could not install $pkg (see logs/setup-system.log)"
    done
  fi
fi

# The model-tools environment (CUDA torch + super-gradients): idempotent, slow the first time,
# so it runs in the background while the GPU environment is built.
TOOLS_LOG="$LOGS/setup-tools.log"
bash "$ROOT/packaging/setup_tools_env.sh" >"$TOOLS_LOG" 2>&1 &
TOOLS_PID=$!

setup_gpu_env() {
  local python pip stamp want ort_dir cuda trt_major
  python="$(pick_python)"
  stamp="$GPU_ENV/.rehab-coach-gpu-stamp"
  want="$(cat "$ROOT/pyproject.toml" | sha256sum | cut -d' ' -f1)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -x "$GPU_ENV/bin/python" ]]; then
    say "GPU environment is up to date: $GPU_ENV"
    return
  fi
  if [[ -e "$GPU_ENV" && ! -f "$GPU_ENV/pyvenv.cfg" ]]; then
    echo "gpu_check.sh: $GPU_ENV exists and is not a virtual environment; refusing to replace it" >&2
    return 1
  fi
  say "creating the GPU environment in $GPU_ENV with $($python --version)"
  rm -rf "$GPU_ENV"
  "$python" -m venv "$GPU_ENV"
  pip=("$GPU_ENV/bin/python" -m pip --disable-pip-version-check --no-input -q)
  "${pip[@]}" install --upgrade "pip>=24"
  if "$GPU_ENV/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    "${pip[@]}" install "$ROOT"
  else
    # Not Python 3.11: mediapipe 0.10.21 has no wheel here, so the app goes in without BlazePose
    # (the YOLO-NAS steps do not need it).
    say "$($python --version) is not 3.11: installing the app without mediapipe (no BlazePose in this environment)"
    "$GPU_ENV/bin/python" - "$ROOT/pyproject.toml" >"$GPU_ENV/app-requirements.txt" <<'PY'
import sys, tomllib
for dep in tomllib.load(open(sys.argv[1], "rb"))["project"]["dependencies"]:
    if not dep.lower().startswith("mediapipe"):
        print(dep)
PY
    "${pip[@]}" install -r "$GPU_ENV/app-requirements.txt"
    "${pip[@]}" install --no-deps --ignore-requires-python "$ROOT"
  fi
  # onnxruntime-gpu provides the same `onnxruntime` module: the CPU build must go first.
  "${pip[@]}" uninstall -y onnxruntime
  "${pip[@]}" install "onnxruntime-gpu[cuda,cudnn]"
  # TensorRT: the libnvinfer major version this onnxruntime's TensorRT provider links against,
  # for the CUDA major version it was built for.
  ort_dir="$("$GPU_ENV/bin/python" -c 'import onnxruntime, os; print(os.path.dirname(onnxruntime.__file__))')"
  cuda="$("$GPU_ENV/bin/python" -c 'from onnxruntime.capi import build_and_package_info as b; print(str(getattr(b, "cuda_version", "12")).split(".")[0] or "12")' 2>/dev/null || echo 12)"
  trt_major="$(ldd "$ort_dir/capi/libonnxruntime_providers_tensorrt.so" 2>/dev/null | sed -n 's/.*libnvinfer\.so\.\([0-9]*\).*/\1/p' | head -n 1)"
  # Wheels first; the package index may hold only source packages for them (they fetch the
  # libraries from NVIDIA's own index while building), given a short time limit.
  local trt="tensorrt-cu${cuda}-libs>=${trt_major:-0},<$((${trt_major:-0} + 1))"
  if [[ -n "$trt_major" ]] && { "${pip[@]}" install --only-binary=:all: "$trt" || timeout 150 "${pip[@]}" install "$trt"; }; then
    say "TensorRT ${trt_major} libraries for CUDA ${cuda} installed"
  else
    say "TensorRT wheels did not resolve (libnvinfer ${trt_major:-?}, CUDA ${cuda}): TensorRT rows will say so"
  fi
  echo "$want" >"$stamp"
}

PROVIDERS="tensorrt,cuda,cpu"
TORCH_DEVICE="cuda"
if [[ -z "$GPU_NAME" ]]; then  # --allow-cpu
  PROVIDERS="cpu"
  TORCH_DEVICE="cpu"
fi
if [[ -n "$APP_PYTHON" ]]; then
  PYTHON="$APP_PYTHON"
else
  # In the background, not under `if`: errexit stays on inside it, so a failed install stops it.
  setup_gpu_env >"$LOGS/setup-gpu.log" 2>&1 &
  if ! wait $!; then
    tail -n 20 "$LOGS/setup-gpu.log" >&2
    echo "gpu_check.sh: the GPU environment could not be set up (log: $LOGS/setup-gpu.log)" >&2
    kill "$TOOLS_PID" 2>/dev/null || true
    exit 2
  fi
  grep "^\[gpu_check" "$LOGS/setup-gpu.log" || true  # its own lines; pip's output stays in the log
  PYTHON="$GPU_ENV/bin/python"
  # The CUDA, cuDNN and TensorRT libraries from the wheels, for onnxruntime's providers.
  SITE="$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
  LIBS="$(ls -d "$SITE"/nvidia/*/lib "$SITE"/tensorrt_libs 2>/dev/null | paste -sd: || true)"
  export LD_LIBRARY_PATH="${LIBS}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi

if ! wait "$TOOLS_PID"; then
  tail -n 20 "$TOOLS_LOG" >&2
  echo "gpu_check.sh: the model-tools environment could not be set up (log: $TOOLS_LOG)" >&2
  exit 2
fi
say "$(tail -n 1 "$TOOLS_LOG")"

command -v xvfb-run >/dev/null 2>&1 || say "no xvfb-run: the live window runs offscreen (labelled so in the table)"

say "measuring"
set +e
PYTHONPATH="$ROOT/app" PYTHONUNBUFFERED=1 "$PYTHON" "$ROOT/scripts/gpu_check.py" \
  --out "$OUT_DIR" --frames "$FRAMES" --sizes "$SIZES" --live-seconds "$LIVE_SECONDS" \
  --providers "$PROVIDERS" --torch-device "$TORCH_DEVICE" --deadline $(( START + BUDGET )) \
  --gpu "${GPU_NAME:-none}"
status=$?
set -e
say "done in $(( $(date +%s) - START )) s"
exit $status
