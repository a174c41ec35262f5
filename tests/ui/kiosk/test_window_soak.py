"""The short soak: ten kiosk visits (replays, a crashing worker, walk-aways, idle
check-outs) with memory, threads and file handles flat. The long run is scripts/soak_kiosk.py."""

from __future__ import annotations

import importlib.util
import logging
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "soak_kiosk.py"


def load_soak():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("soak_kiosk", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_a_minute_of_kiosk_visits_leaves_memory_threads_and_handles_flat(
    qapp,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,  # type: ignore[no-untyped-def]
) -> None:
    caplog.set_level(
        logging.CRITICAL, logger="rehab_coach.session.live.pipeline"
    )  # the crashes are injected on purpose
    soak = load_soak()
    # No real-video visits here (the model alone takes 10 s to settle); the long run has them. A number
    # of visits, not of seconds: a busy machine does the same work, slower (the cap only stops a hang).
    config = soak.SoakConfig(
        seconds=600,
        visits=10,
        speed=4.0,
        video_every=0,
        crash_every=4,
        walkaway_every=5,
        idle_timeout=2.0,
        warmup_visits=4,
    )
    result = soak.soak(config, tmp_path)
    verdict = result.verdict
    print(f"visits {result.visits_by_kind}, verdict {verdict}")
    assert sum(result.visits_by_kind.values()) == 10 and result.visits_by_kind["crash"] >= 2
    assert result.samples[-1].sessions == sum(result.visits_by_kind.values())  # every visit was recorded
    assert len(verdict["threads_seen"]) == 1 and len(verdict["fds_seen"]) == 1, verdict
    assert verdict["rss_growth_mb"] <= 8.0, verdict
    assert result.flat
