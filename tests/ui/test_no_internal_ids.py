"""No internal id reaches a person: every screen of the desktop app (picker, instructions, live,
summary) and of the therapist window (list, every tab, every session's detail) is walked in English
and in Chinese, over sessions with a template fault (`shallow`), the engine's own (`short_of_target`)
and partial reps, and every text shown is read for a snake_case id."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pyqtgraph as pg
import pytest
import zh_walk
from zh_walk import readable_texts

from rehab_coach.capture.sources import SourceSpec
from rehab_coach.engine.types import RepResult
from rehab_coach.session.store import open_store
from rehab_coach.session.store.demo import seed_demo
from rehab_coach.ui.app import build_window
from rehab_coach.ui.id_words import PARTIAL_WORDS
from rehab_coach.ui.options import LaunchOptions
from rehab_coach.ui.therapist.window import TherapistWindow
from rehab_coach.ui.widgets.rep_panel import RepPanel
from rehab_synth.squat_stream import SquatPlan, write_squat_stream

SNAKE_CASE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
PIN = "246810"


def plot_words(plot: pg.PlotItem) -> Iterator[str]:
    yield plot.titleLabel.text
    yield from (plot.getAxis(name).labelText for name in ("left", "bottom"))
    if plot.legend is not None:
        yield from (label.text for _sample, label in plot.legend.items)


def ids_in(texts: object) -> list[str]:
    return [f"{text!r}" for text in texts if SNAKE_CASE.search(re.sub(r"<[^>]+>", " ", text or ""))]  # type: ignore[attr-defined]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_patients_screens_show_no_ids(qtbot, tmp_path: Path, language: str) -> None:  # type: ignore[no-untyped-def]
    # Squats that stop short: the squat's `shallow` rule and the engine's `short_of_target` on every rep.
    stream = write_squat_stream(tmp_path / "s.jsonl", SquatPlan(reps=2, deepest=125.0))
    window = build_window(
        LaunchOptions(
            source=SourceSpec("replay", stream, speed=3.0),
            countdown=0,
            audio=False,
            language=language,
            overrides={"dosage.sets": 1, "dosage.reps": 2},
        )
    )
    qtbot.addWidget(window)
    found = ids_in(readable_texts(window.picker))
    window.choose("squat")
    found += ids_in(readable_texts(window.instructions))
    window.start_session()
    qtbot.waitUntil(lambda: int(window.live.reps.count.text() or 0) >= 1, timeout=10000)
    found += ids_in(readable_texts(window.live))
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.summary, timeout=15000)
    qtbot.waitUntil(lambda: window.summary.outcome.saved is not None, timeout=5000)
    assert "short_of_target" in window.summary.outcome.summary["fault_counts"]  # the case is there
    found += ids_in(readable_texts(window.summary))
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_live_panel_names_why_a_rep_is_partial(qtbot, language: str) -> None:  # type: ignore[no-untyped-def]
    panel = RepPanel(language)
    qtbot.addWidget(panel)
    found = []
    for reason in [*PARTIAL_WORDS, "a_newer_reason"]:
        panel.show_last(
            RepResult(
                index=1,
                start_t=0.0,
                end_t=1.0,
                complete=False,
                side=None,
                rom=20.0,
                extreme=150.0,
                start_value=170.0,
                quality=0.0,
                quality_parts={},
                peaks={},
                faults=[],
                partial_reason=reason,
            )
        )
        found += ids_in([panel.last.text()])
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_therapist_screens_show_no_ids(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, language: str, monkeypatch, wait_for_therapist_reads
) -> None:
    # Tick labels are numbers and dates (pyqtgraph's English date axis cannot write them before it is
    # drawn): read the plots' words only.
    monkeypatch.setattr(zh_walk, "plot_texts", plot_words)
    store = open_store(tmp_path / "ids.db")
    seed_demo(store, days=14)  # faults and partial ("shallow") reps over several exercises
    window = TherapistWindow(store, language=language)
    qtbot.addWidget(window)
    window.show()
    window.gate.pin.setText(PIN)
    window.gate.repeat.setText(PIN)
    window.gate.submit()
    wait_for_therapist_reads(window)
    found = ids_in(readable_texts(window))
    window.patients.select(store.patient("DEMO-01").id)
    wait_for_therapist_reads(window)
    tabs = window.panel.tabs
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        found += ids_in(readable_texts(window))
    tabs.setCurrentWidget(window.panel.history)
    history = window.panel.history
    for row in range(history.table.rowCount()):
        history.table.selectRow(row)
        wait_for_therapist_reads(window)
        found += ids_in(readable_texts(history.detail))
    window.close()
    store.close()
    assert found == [], "\n".join(found)
