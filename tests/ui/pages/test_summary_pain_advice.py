"""The patient's advice after a flagged pain answer, the same on the desktop and on the kiosk: at 7 or
more, and at a rise of 2 or more over the patient's previous answer (session/pain_rule.py), the
summary says to stop the exercise that hurts and contact the therapist, apart from the thanks."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from kiosk_fixtures import tap

from rehab_coach.capture.sources import SourceSpec
from rehab_coach.session.live.patient_summary import pain_advice
from rehab_coach.session.store import Store
from rehab_coach.session.store.demo import SQUAT, session_ops
from rehab_coach.ui.app import build_window
from rehab_coach.ui.kiosk import KioskWindow
from rehab_coach.ui.options import LaunchOptions
from rehab_coach.ui.widgets.check_in import CheckInPanel
from rehab_synth.squat_stream import SquatPlan, write_squat_stream


def answered_yesterday(database: Path, code: str, pain: int) -> None:
    """An earlier session of the patient, with its pain answer: what the rise is measured against."""
    store = Store(database)
    try:
        if store.get_patient(code) is None:
            store.add_patient(code, "Ann Smith")
        started = dt.datetime.combine(dt.date.today() - dt.timedelta(days=1), dt.time(9)).astimezone(dt.UTC)
        ops = session_ops(code, SQUAT, started, 0.5, random.Random(1), sets=1, reps=2)
        store.apply_ops(ops)
        store.record_check_in(ops[0].session, pain, None)
    finally:
        store.close()


def answer(qtbot, panel: CheckInPanel, pain: int) -> None:  # type: ignore[no-untyped-def]
    panel.pain.choose(pain)
    panel.send_button.click()  # (the kiosk's touch is tested in tests/ui/kiosk/test_window.py)
    qtbot.waitUntil(lambda: panel.thanks.text().startswith("Thank you, your answers are saved."), timeout=10000)


@pytest.mark.parametrize(("pain", "advised"), [(5, True), (4, False)])
def test_the_desktop_advises_after_a_rise_of_two_over_the_previous_answer(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, user_data_dir: Path, pain: int, advised: bool
) -> None:
    answered_yesterday(user_data_dir / "rehab-coach.db", "P-077", 3)
    window = build_window(
        LaunchOptions(
            source=SourceSpec("replay", write_squat_stream(tmp_path / "s.jsonl", SquatPlan(reps=2)), speed=3.0),
            exercise="squat",
            countdown=0,
            audio=False,
            overrides={"dosage.sets": 1, "dosage.reps": 2},
            patient="P-077",
        )
    )
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.summary, timeout=15000)
    qtbot.waitUntil(lambda: window.summary.outcome.saved is not None, timeout=10000)
    panel = window.summary.check_in
    answer(qtbot, panel, pain)
    if advised:
        assert panel.advice.isVisible() and panel.advice.text() == "⚠ " + pain_advice(5, "en", previous=3)
        assert panel.advice.text().startswith("⚠ Your pain is up from 3 to 5 since last time: stop the exercise")
    else:
        assert not panel.advice.isVisible() and panel.advice.text() == ""  # up 1: the thanks alone


@pytest.fixture
def kiosk(kiosk, kiosk_items: dict[str, int], user_data_dir: Path, tmp_path: Path) -> KioskWindow:  # type: ignore[no-untyped-def]
    """One kiosk at check-in; Alice (P-001) answered 3 for pain yesterday."""
    answered_yesterday(user_data_dir / "rehab-coach.db", "P-001", 3)
    return kiosk(write_squat_stream(tmp_path / "k.jsonl", SquatPlan(reps=2)))


def test_the_kiosk_gives_the_same_advice_after_a_rise(qtbot, kiosk: KioskWindow) -> None:  # type: ignore[no-untyped-def]
    tap(kiosk.checkin.buttons[0])  # Alice, whose answer yesterday was 3
    qtbot.waitUntil(lambda: bool(kiosk.program.buttons), timeout=5000)
    tap(kiosk.program.buttons[0])
    qtbot.waitUntil(lambda: kiosk.stack.currentWidget() is kiosk.instructions, timeout=3000)
    tap(kiosk.instructions.start_button)
    qtbot.waitUntil(lambda: kiosk.stack.currentWidget() is kiosk.summary, timeout=15000)
    qtbot.waitUntil(lambda: kiosk.summary.outcome.saved is not None, timeout=10000)
    panel = kiosk.summary.check_in
    answer(qtbot, panel, 5)
    assert panel.advice.isVisible() and panel.advice.text() == "⚠ " + pain_advice(5, "en", previous=3)
    tap(kiosk.summary.quit_button)  # "Done": the next patient never sees it
    qtbot.waitUntil(lambda: kiosk.stack.currentWidget() is kiosk.checkin, timeout=5000)
    assert panel.advice.text() == "" and panel.advice.isHidden()
