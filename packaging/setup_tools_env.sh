#!/usr/bin/env bash
# Create the model-tools environment (torch + super-gradients) used by
# `rehab-coach models import` and the yolo-nas-pose-torch backend.
#
#   packaging/setup_tools_env.sh            # or: rehab-coach models setup-tools
#
# Where:   $REHAB_COACH_TOOLS_VENV, default ~/.cache/rehab-coach/tools-venv
# Python:  $REHAB_COACH_TOOLS_PYTHON, default python3.11 (then python3)
# Idempotent: when the stamp file in the venv matches the pinned versions below
# and the requirements file, nothing is installed. --force rebuilds from scratch.
set -euo pipefail

TORCH_VERSION="2.14.1"
TORCHVISION_VERSION="0.29.1"
SG_VERSION="3.7.1"
DG_VERSION="0.3.2"

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REQS="$HERE/tools-requirements.txt"
CONSTRAINTS="$HERE/tools-constraints.txt"
VENV="${REHAB_COACH_TOOLS_VENV:-$HOME/.cache/rehab-coach/tools-venv}"
STAMP="$VENV/.rehab-coach-tools-stamp"

force=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    -h|--help) sed -n '2,11p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "setup_tools_env.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

pick_python() {
  if [[ -n "${REHAB_COACH_TOOLS_PYTHON:-}" ]]; then echo "$REHAB_COACH_TOOLS_PYTHON"; return; fi
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then echo "$candidate"; return; fi
  done
  echo "setup_tools_env.sh: no python3.11 or python3 on PATH" >&2
  exit 1
}

want_stamp() {
  local req_hash
  req_hash="$(cat "$REQS" "$CONSTRAINTS" | sha256sum | cut -d' ' -f1)"
  echo "torch=$TORCH_VERSION torchvision=$TORCHVISION_VERSION super-gradients=$SG_VERSION data-gradients=$DG_VERSION requirements=$req_hash"
}

if [[ $force -eq 0 && -f "$STAMP" && "$(cat "$STAMP")" == "$(want_stamp)" && -x "$VENV/bin/python" ]]; then
  echo "model-tools environment is up to date: $VENV"
  exit 0
fi

start=$(date +%s)
PYTHON="$(pick_python)"
echo "creating the model-tools environment in $VENV with $($PYTHON --version)"
if [[ -e "$VENV" && ! -f "$VENV/pyvenv.cfg" ]]; then
  echo "setup_tools_env.sh: $VENV exists and is not a virtual environment; refusing to replace it" >&2
  exit 1
fi
rm -rf "$VENV"
mkdir -p "$(dirname "$VENV")"
"$PYTHON" -m venv "$VENV"
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check)
"${PIP[@]}" install --upgrade "pip>=24"

# 1. torch first (a large wheel; pip reuses a local copy or its cache when it has one).
"${PIP[@]}" install "torch==$TORCH_VERSION" "torchvision==$TORCHVISION_VERSION"
# 2. super-gradients without its impossible pins.
"${PIP[@]}" install --no-deps "super-gradients==$SG_VERSION" "data-gradients==$DG_VERSION"
# 3. the runtime dependencies that do work, at the versions in tools-constraints.txt.
"${PIP[@]}" install -r "$REQS" -c "$CONSTRAINTS" "torch==$TORCH_VERSION" "torchvision==$TORCHVISION_VERSION"

# Smoke test: import super-gradients and build the N model once.
export SUPER_GRADIENTS_LOG_DIR="${SUPER_GRADIENTS_LOG_DIR:-$(dirname "$VENV")/sg_logs}"
mkdir -p "$SUPER_GRADIENTS_LOG_DIR"
"$VENV/bin/python" - <<'PY'
import torch
from super_gradients.training import models
model = models.get("yolo_nas_pose_n", num_classes=17)
print(f"super-gradients OK: torch {torch.__version__}, yolo_nas_pose_n has {sum(p.numel() for p in model.parameters()) / 1e6:.1f} M parameters")
PY

want_stamp > "$STAMP"
echo "model-tools environment ready in $(( $(date +%s) - start )) s: $VENV"
