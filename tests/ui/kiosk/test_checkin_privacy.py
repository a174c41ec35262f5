"""Kiosk privacy and language, offscreen and by touch: check-in shows first name and initial with
the code (never a full name), an optional second factor per patient, and a language toggle."""

from __future__ import annotations

from pathlib import Path

import pytest
from kiosk_fixtures import tap
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QAbstractButton, QLabel

from rehab_coach.session.store import Store
from rehab_coach.ui.kiosk import KioskWindow
from rehab_synth.squat_stream import SquatPlan, write_squat_stream


@pytest.fixture
def kiosk(kiosk, kiosk_items: dict[str, int], user_data_dir: Path, tmp_path: Path) -> KioskWindow:  # type: ignore[no-untyped-def]
    """One kiosk at check-in, where Alice (P-001) must also give her birth year."""
    store = Store(user_data_dir / "rehab-coach.db")
    store.set_checkin_factor(store.patient("P-001").id, "birth_year", "1956")
    store.close()
    return kiosk(write_squat_stream(tmp_path / "s.jsonl", SquatPlan(reps=1)), speed=1.0)


def texts(window: KioskWindow) -> list[str]:
    return [w.text() for w in window.findChildren(QLabel) + window.findChildren(QAbstractButton)]


def enter(qtbot, window: KioskWindow, digits: str) -> None:  # type: ignore[no-untyped-def]
    for digit in digits:
        tap(window.factor.keys[digit])
    tap(window.factor.keys["OK"])
    qtbot.waitUntil(
        lambda: window.factor.keys["OK"].isEnabled() or window.stack.currentWidget() is not window.factor, timeout=5000
    )


def test_check_in_shows_first_name_initial_and_code_never_the_full_name(kiosk: KioskWindow) -> None:
    assert [b.text().split("\n")[:2] for b in kiosk.checkin.buttons] == [["Alice S.", "P-001"], ["Bob J.", "P-002"]]
    assert not any("Smith" in t or "Jones" in t for t in texts(kiosk))


def test_a_second_factor_stops_checking_in_as_someone_else(qtbot, kiosk: KioskWindow) -> None:  # type: ignore[no-untyped-def]
    tap(kiosk.checkin.buttons[0])
    assert kiosk.stack.currentWidget() is kiosk.factor
    assert kiosk.factor.title.text() == "Alice S., please enter your birth year"
    enter(qtbot, kiosk, "1957")
    assert kiosk.stack.currentWidget() is kiosk.factor and "does not match" in kiosk.factor.status.text()
    assert kiosk.entry is None and kiosk.program.buttons == []  # nothing of her program yet
    enter(qtbot, kiosk, "1956")
    qtbot.waitUntil(lambda: kiosk.stack.currentWidget() is kiosk.program and bool(kiosk.program.buttons), timeout=5000)
    assert kiosk.program.title.text() == "Hello, Alice S."
    kiosk.go_home()  # (three wrong answers lead back to check-in: tests/session/test_kiosk_visit.py)
    # A patient without a second factor goes straight to the program.
    tap(kiosk.checkin.buttons[1])
    qtbot.waitUntil(lambda: kiosk.stack.currentWidget() is kiosk.program, timeout=3000)


def test_language_toggle_at_check_in(qtbot, kiosk: KioskWindow) -> None:  # type: ignore[no-untyped-def]
    assert kiosk.checkin.language_button.text() == "中文"
    tap(kiosk.checkin.language_button)
    qtbot.waitUntil(lambda: len(kiosk.checkin.buttons) == 2, timeout=5000)
    assert kiosk.options.language == "zh"
    assert kiosk.checkin.title.text() == "欢迎！点击您的名字开始"
    assert kiosk.checkin.language_button.text() == "English"
    assert kiosk.live.reps.title.text() == "次数" and kiosk.live.finish_button.text() == "结束"
    assert kiosk.controller.page is kiosk.live  # sessions now show on the new pages
    assert kiosk.pin.title.text() == "仅限工作人员：请输入治疗师密码"  # the staff pages are rebuilt too
    assert kiosk.menu.back_button.text() == "返回签到"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"  # Qt's own words switched with it
    tap(kiosk.checkin.buttons[1])
    qtbot.waitUntil(lambda: bool(kiosk.program.buttons), timeout=5000)
    assert kiosk.program.title.text() == "您好，Bob J."
    tap(kiosk.program.buttons[0])
    tap(kiosk.instructions.start_button)
    qtbot.waitUntil(lambda: kiosk.stack.currentWidget() is kiosk.summary, timeout=15000)
    assert kiosk.summary.headline.text().startswith("完成")
    tap(kiosk.summary.quit_button)
    tap(kiosk.checkin.language_button)
    qtbot.waitUntil(lambda: kiosk.checkin.title.text() == "Welcome! Tap your name to start", timeout=5000)
    assert kiosk.pin.title.text() == "Staff only: enter the therapist PIN"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
