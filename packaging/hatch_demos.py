"""Wheel build hook: make the exercise cards' demonstrations and ship them as rehab_coach/demos.

The development motion generator (synth/, never shipped itself) is run from the source tree; it needs
numpy, pydantic and PyYAML (the build requirements). A build without them says so and the wheel
ships no demonstrations: the cards then show none.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class DemosHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        out = root / "build" / "demos"
        result = subprocess.run(
            [sys.executable, str(root / "scripts" / "make_demos.py"), str(out)], capture_output=True, text=True
        )
        if result.returncode != 0 or not any(out.glob("*.json")):
            last = (result.stderr.strip().splitlines() or ["no output"])[-1]
            self.app.display_warning(f"exercise demonstrations not built ({last}); the cards show none")
            return
        self.app.display_info(result.stdout.strip())
        build_data["force_include"][str(out)] = "rehab_coach/demos"
