#!/usr/bin/env bash
# The whole test suite from a fresh machine: app environment, model-tools environment
# (torch + super-gradients, cached under ~/.cache), a local PostgreSQL on loopback,
# the app on a real X11 display, the import-linter contracts, ruff (lint and format), mypy on the whole package,
# the test tree's mirror of the app, then pytest. CI (.ci/run) calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

# The real app on an X11 display (xcb under Xvfb, not offscreen), straight after setup and before
# anything else installs system packages: it proves setup.sh alone gives a window that maps and paints.
if ! command -v Xvfb >/dev/null && [ "$(id -u)" = 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xvfb xauth >/dev/null 2>&1 \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xvfb xauth >/dev/null; }
fi
REHAB_COACH_REQUIRE_XVFB=1 .venv/bin/python -m pytest -q -p no:cacheprovider tests/commands/test_display.py

if [ -f packaging/setup_tools_env.sh ]; then
  bash packaging/setup_tools_env.sh
fi
if [ -z "${REHAB_COACH_TEST_PG_URL:-}" ]; then
  eval "$(bash scripts/ci_postgres.sh start)"  # a throwaway PostgreSQL on 127.0.0.1 for the store tests
  trap 'bash scripts/ci_postgres.sh stop "$REHAB_COACH_TEST_PG_DIR" >/dev/null 2>&1 || true' EXIT
fi

export QT_QPA_PLATFORM=offscreen
.venv/bin/lint-imports
.venv/bin/ruff check app synth tests scripts packaging
.venv/bin/ruff format --check --quiet app synth tests scripts packaging
.venv/bin/mypy app/rehab_coach  # the whole package, the widgets (ui/) included
.venv/bin/python scripts/check_test_tree.py  # tests/<path>/test_<module>.py mirrors app/rehab_coach/<path>/<module>.py
.venv/bin/python -m pytest "$@"
