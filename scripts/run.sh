#!/usr/bin/env bash
# Set up (first time only) and start Rehab Coach. Arguments go to `rehab-coach`,
# e.g. `scripts/run.sh --video my_squats.mp4 --exercise squat`.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/rehab-coach ] || bash scripts/setup.sh
exec .venv/bin/rehab-coach "$@"
