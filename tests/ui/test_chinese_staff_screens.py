"""No English left in Chinese on the staff's side: the therapist window and every tab (tables, plots,
dialogs, the PIN gate with its messages), the kiosk's staff PIN pad and menu, the desktop window's
toolbar, and the PDF report's text layer. Walked offscreen; every text a person can read is read:
labels, buttons, tabs, table headers and cells, combo entries, placeholders, spin boxes, plot
titles, axis labels and legends."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from kiosk_fixtures import PIN, seed_kiosk_db, tap
from PySide6.QtWidgets import QDialog, QToolBar
from zh_walk import english_left, readable_texts

from rehab_coach.capture.sources import SourceSpec
from rehab_coach.reports.charts import LATIN_FONT, report_font
from rehab_coach.reports.pdf import write_pdf_report
from rehab_coach.session.exports import collect
from rehab_coach.session.store import Store, open_store
from rehab_coach.session.store.demo import seed_demo
from rehab_coach.ui.kiosk import KioskWindow
from rehab_coach.ui.main_window import MainWindow
from rehab_coach.ui.options import LaunchOptions
from rehab_coach.ui.strings import install
from rehab_coach.ui.therapist.window import TherapistWindow
from rehab_synth.squat_stream import SquatPlan, write_squat_stream

THERAPIST_PIN = "135790"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "zh.db")
    seed_demo(opened, days=14, name="Wang Fang")  # sessions, a pain flag, a correction, a program
    opened.add_patient("P-002", "Li Lei")
    yield opened
    opened.close()


def user_data(store: Store) -> list[str]:
    data = []
    for patient in store.list_patients("", include_archived=True):
        data += [patient.display_name, patient.code, patient.notes]
        program = store.active_program(patient.id)
        if program is not None:
            data += [program.name, *(item.notes for item in program.items)]
        for session in store.sessions_for(patient.id):
            detail = store.session_detail(session.id)
            data += [c.reason for c in detail.corrections] + [c.host or "" for c in detail.corrections]
    return sorted({d for d in data if d}, key=len, reverse=True)


def test_every_therapist_screen_is_chinese(qtbot, store: Store, wait_for_therapist_reads) -> None:  # type: ignore[no-untyped-def]
    install("zh")  # as the app does: Qt's words and the core's (the store's messages) in Chinese
    window = TherapistWindow(store, language="zh")
    qtbot.addWidget(window)
    window.show()
    data = user_data(store)
    leaks = english_left(readable_texts(window), data)  # the PIN gate while it reads whether a PIN is set
    wait_for_therapist_reads(window)
    leaks += english_left(readable_texts(window), data)  # the PIN gate, first use
    gate = window.gate
    gate.pin.setText("12")
    gate.repeat.setText("12")
    gate.submit()
    assert "4 到 12 位数字" in gate.status.text()  # the core's PIN rule, from the gettext catalogue
    gate.pin.setText(THERAPIST_PIN)
    gate.repeat.setText("999999")
    gate.submit()
    leaks += english_left([gate.status.text()])
    gate.pin.setText(THERAPIST_PIN)
    gate.repeat.setText(THERAPIST_PIN)
    gate.submit()
    leaks += english_left([gate.button.text()])  # while the PIN is saved
    wait_for_therapist_reads(window)
    assert not window.is_locked
    window.lock()
    for _ in range(5):  # wrong PINs: attempts left, then the lockout
        gate.pin.setText("000000")
        gate.submit()
        wait_for_therapist_reads(window)
        leaks += english_left([gate.status.text()])
    assert "锁定" in gate.status.text()

    window.unlock()  # the walk goes on behind the gate
    wait_for_therapist_reads(window)
    assert window.patients.codes() and not window.is_locked
    leaks += english_left(readable_texts(window), data)  # the list with its flags, no patient yet
    window.patients.select(store.patient("DEMO-01").id)
    leaks += english_left(readable_texts(window.panel), data)  # while it is read
    wait_for_therapist_reads(window)
    tabs = window.panel.tabs
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        leaks += english_left(readable_texts(window), data)
    tabs.setCurrentWidget(window.panel.history)
    history = window.panel.history
    for row in range(history.table.rowCount()):  # every session's detail: statuses, sides, partial reasons
        history.table.selectRow(row)
        wait_for_therapist_reads(window)
        leaks += english_left(readable_texts(history.detail), data)
    window.panel.export_all.setChecked(False)  # the period fields, dates in Chinese
    leaks += english_left(readable_texts(window.panel), data)

    for dialog in (
        window.patients.add_patient(),
        window.patients.edit_patient(),
        history.detail.correct_count(),
    ):
        assert isinstance(dialog, QDialog)
        leaks += english_left(readable_texts(dialog), data)
        dialog.reject()
    duplicate = window.patients.add_patient()
    duplicate.code.setText("DEMO-01")
    duplicate.name.setText("王芳")
    duplicate.save()  # refused by the store, in Chinese
    assert "已存在" in duplicate.error.text() and duplicate.isVisible()
    leaks += english_left([duplicate.error.text()], data)
    duplicate.reject()
    window.panel.program.add_row("squat")  # a new row's own words: defaults, sides, tool tips
    program_rows = window.panel.program.rows
    leaks += english_left(readable_texts(window.panel.program), data)
    leaks += english_left((w.toolTip() for r in program_rows for w in (r.target, r.hold, r.rest)), data)
    assert "深蹲" in [program_rows[-1].exercise.itemText(i) for i in range(program_rows[-1].exercise.count())]
    assert leaks == [], "\n".join(leaks)


def test_the_kiosks_staff_pages_are_chinese(qtbot, user_data_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    seed_kiosk_db(user_data_dir / "rehab-coach.db")
    stream = write_squat_stream(tmp_path / "s.jsonl", SquatPlan(reps=1))
    window = KioskWindow(
        LaunchOptions(source=SourceSpec("replay", stream), countdown=0, audio=False, kiosk=True, language="zh")
    )
    window.present()
    try:
        qtbot.waitUntil(lambda: len(window.checkin.buttons) == 2, timeout=5000)
        tap(window.checkin.staff_button)
        leaks = english_left(readable_texts(window.pin))
        for digit in "0000":
            tap(window.pin.keys[digit])
        tap(window.pin.keys["OK"])
        qtbot.waitUntil(lambda: window.pin.keys["OK"].isEnabled(), timeout=5000)  # the store thread answered
        assert "再错 4 次将被锁定" in window.pin.status.text()
        leaks += english_left(readable_texts(window.pin))
        for digit in PIN:
            tap(window.pin.keys[digit])
        tap(window.pin.keys["OK"])
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.menu, timeout=5000)
        leaks += english_left(readable_texts(window.menu))
        tap(window.menu.therapist_button)  # the therapist screens open in the kiosk's language
        therapist = window.therapist_window
        assert therapist is not None
        leaks += english_left(readable_texts(therapist), ["Alice Smith", "Bob Jones", "Carla Diaz", "P-00"])
        therapist.close()
    finally:
        window.locked = False
        window.close()
    assert leaks == [], "\n".join(leaks)


def test_the_desktop_windows_toolbar_and_picker_are_chinese(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    stream = write_squat_stream(tmp_path / "s.jsonl", SquatPlan(reps=1))
    window = MainWindow(LaunchOptions(source=SourceSpec("replay", stream), countdown=0, audio=False, language="zh"))
    qtbot.addWidget(window)
    window.show()
    toolbars = window.findChildren(QToolBar)
    actions = [a.text() for a in window.actions()] + [a.text() for bar in toolbars for a in bar.actions()]
    actions += [bar.windowTitle() for bar in toolbars]
    assert any("开始 / 暂停" in text for text in actions)
    leaks = english_left(actions) + english_left(readable_texts(window))
    assert leaks == [], "\n".join(leaks)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")
def test_the_pdf_report_is_chinese(qapp, store: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    if report_font("zh") == LATIN_FONT:
        pytest.skip("no CJK font installed (scripts/setup.sh installs fonts-noto-cjk)")
    path = tmp_path / "report.pdf"
    write_pdf_report(store, collect(store, "DEMO-01"), path, "zh")
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for words in ("练习报告", "依从性", "总结", "练习记录", "已完成", "深蹲", "肩关节外展"):
        assert words in text  # the text layer holds the characters: searchable, copyable
    leaks = english_left(text.splitlines(), [*user_data(store), "DEMO-01"])
    assert leaks == [], "\n".join(leaks)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert report_font("zh").replace(" ", "").lower() in fonts.replace(" ", "").lower()  # the CJK font, embedded
