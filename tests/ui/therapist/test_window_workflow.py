"""The therapist's workflow, offscreen: reached from the desktop app behind the PIN and in its
theme; program fields for rest, hold and side with units that follow the measure; readable
names; an export limited to a date range; the kiosk's staff screens usable by touch."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from kiosk_fixtures import tap
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QApplication, QCheckBox, QPushButton
from sqlalchemy import event

from rehab_coach.capture.sources import SourceSpec
from rehab_coach.session.exports import read_reps_csv
from rehab_coach.session.store import Store, open_store
from rehab_coach.session.store.demo import seed_demo
from rehab_coach.ui.app import build_window
from rehab_coach.ui.options import LaunchOptions
from rehab_coach.ui.style import SURFACE
from rehab_coach.ui.therapist.window import TherapistWindow

PIN = "246810"


@pytest.fixture
def store(user_data_dir: Path) -> Store:
    """The app's default database in the test's data folder, with a demo patient and the PIN."""
    opened = open_store(user_data_dir / "rehab-coach.db")
    seed_demo(opened, days=21)
    opened.set_pin(PIN)
    return opened


def unlocked(window: TherapistWindow, wait_for_therapist_reads) -> TherapistWindow:  # type: ignore[no-untyped-def]
    """Past the PIN, with the patient list read."""
    window.gate.pin.setText(PIN)
    window.gate.submit()
    wait_for_therapist_reads(window)
    assert not window.is_locked
    return window


def test_the_desktop_app_opens_the_therapist_screens_behind_the_pin(  # type: ignore[no-untyped-def]
    qtbot, store: Store, squat_stream, wait_for_therapist_reads
) -> None:
    window = build_window(LaunchOptions(source=SourceSpec("replay", squat_stream(reps=1)), audio=False))
    qtbot.addWidget(window)
    assert "Therapist" in window.therapist_action.text() and window.therapist_action.shortcut().toString() == "Ctrl+T"
    window.therapist_action.trigger()
    therapist = window.therapist_window
    assert isinstance(therapist, TherapistWindow) and therapist.isVisible()
    assert therapist.is_locked  # nothing of any patient before the PIN
    assert window.open_therapist() is therapist  # a second click brings the same window forward
    # The app's dark theme, charts included (pyqtgraph does not follow style sheets).
    assert "QTableWidget" in QApplication.instance().styleSheet()
    assert therapist.panel.history.detail.curves.backgroundBrush().color().name() == SURFACE.lower()
    unlocked(therapist, wait_for_therapist_reads)
    assert therapist.patients.codes() == ["DEMO-01"]
    therapist.close()
    qtbot.waitUntil(lambda: window.therapist_window is None, timeout=3000)


def test_program_fields_for_rest_hold_and_side_with_units_following_the_measure(  # type: ignore[no-untyped-def]
    qtbot, store: Store, wait_for_therapist_reads
) -> None:
    window = unlocked(TherapistWindow(store), wait_for_therapist_reads)
    qtbot.addWidget(window)
    patient = store.add_patient("P-9", "Nina Ortiz")
    window.patients.refresh()  # the patient added since the list was read
    wait_for_therapist_reads(window)
    window.patients.select(patient.id)
    wait_for_therapist_reads(window)
    editor = window.panel.program
    heel = editor.rows[editor.add_row("heel_raise")]
    assert editor.rows[0].exercise.currentText() == "Heel raises"  # a name, not an id
    assert heel.target.suffix() == " × torso" and heel.target.decimals() == 2 and heel.target.maximum() <= 2
    assert not heel.hold.isEnabled()  # not a hold exercise
    heel.target.setValue(0.16)
    heel.rest.setValue(30)
    stance = editor.rows[editor.add_row("single_leg_stance")]
    assert stance.hold.isEnabled() and stance.target.suffix() == " × torso"
    stance.hold.setValue(15)
    stance.side.setCurrentIndex(stance.side.findData("left"))
    squat = editor.rows[editor.add_row("squat")]
    assert squat.target.suffix() == "°" and squat.target.decimals() == 0
    assert editor.save() is not None, editor.status.text()
    items = store.active_program(patient.id).items  # type: ignore[union-attr]
    assert [(i.exercise_id, i.overrides) for i in items] == [
        ("heel_raise", {"primary.target": 0.16, "dosage.rest_seconds": 30.0}),
        ("single_leg_stance", {"hold.seconds": 15.0, "side": "left"}),
        ("squat", {}),
    ]
    editor.load(patient.id)  # what was saved comes back into the same fields
    wait_for_therapist_reads(window)
    assert editor.rows[0].target.value() == pytest.approx(0.16) and editor.rows[0].rest.value() == 30
    assert editor.rows[1].hold.value() == 15 and editor.rows[1].side.currentData() == "left"
    assert editor.rows[2].rest.value() == -1 and editor.rows[2].rest.text() == "default"


def test_export_covers_the_chosen_dates(
    qtbot, store: Store, tmp_path: Path, wait_for_therapist_reads, wait_for_export
) -> None:  # type: ignore[no-untyped-def]
    window = unlocked(TherapistWindow(store), wait_for_therapist_reads)
    qtbot.addWidget(window)
    demo = store.patient("DEMO-01")
    window.patients.select(demo.id)
    wait_for_therapist_reads(window)
    panel = window.panel
    days = sorted({s.started_at.astimezone().date() for s in store.sessions_for(demo.id)})
    assert len(days) > 4
    panel.export_all.setChecked(False)
    assert panel.export_from.isEnabled()
    first, last = days[1], days[3]
    panel.export_from.setDate(QDate(first.year, first.month, first.day))
    panel.export_to.setDate(QDate(last.year, last.month, last.day))
    path = wait_for_export(panel, panel.export("CSV", tmp_path / "range.csv"))
    assert path is not None
    exported = {r.session_started_at.astimezone().date() for r in read_reps_csv(path)}
    assert exported == {d for d in days if first <= d <= last}
    panel.export_to.setDate(QDate(first.year, first.month, first.day).addDays(-1))
    assert not panel.export("CSV", tmp_path / "none.csv") and "ends before it starts" in panel.export_status.text()
    panel.export_all.setChecked(True)
    everything = wait_for_export(panel, panel.export("CSV", tmp_path / "all.csv"))
    assert len({r.session_uid for r in read_reps_csv(everything)}) == len(store.sessions_for(demo.id))  # type: ignore[arg-type]


def test_touch_staff_screens_unlock_with_a_keypad_and_nothing_is_clipped(
    qtbot, store: Store, wait_for_therapist_reads
) -> None:  # type: ignore[no-untyped-def]
    window = TherapistWindow(store, touch=True)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    gate = window.gate
    assert set(gate.keys) == {*"0123456789", "⌫", "OK"} and min(k.height() for k in gate.keys.values()) >= 72
    for digit in "2468109":
        tap(gate.keys[digit])
    tap(gate.keys["⌫"])
    tap(gate.keys["OK"])
    wait_for_therapist_reads(window)
    assert not window.is_locked
    window.patients.select(store.patient("DEMO-01").id)
    wait_for_therapist_reads(window)
    QApplication.processEvents()
    boxes = [box for box in window.findChildren(QCheckBox) if box.isVisible()]
    assert boxes and [box.text() for box in boxes if box.height() < 36] == []
    clipped = [
        b.text()
        for b in window.findChildren(QPushButton)
        if b.isVisible() and (b.width() < b.sizeHint().width() - 2 or b.height() < 56)
    ]
    assert clipped == []
    window.lock()
    assert window.is_locked and gate.keys["5"].isVisible()  # after Lock: the touch keypad again


def test_readable_names_in_the_session_tables(qtbot, store: Store, wait_for_therapist_reads) -> None:  # type: ignore[no-untyped-def]
    window = unlocked(TherapistWindow(store), wait_for_therapist_reads)
    qtbot.addWidget(window)
    window.patients.select(store.patient("DEMO-01").id)
    wait_for_therapist_reads(window)
    history = window.panel.history
    shown = {history.table.item(r, 1).text() for r in range(history.table.rowCount())}
    assert shown == {"Squat", "Shoulder abduction"}
    history.table.selectRow(history.table.rowCount() - 1)  # the oldest session: the most faults
    wait_for_therapist_reads(window)
    faults = {
        f for r in range(history.detail.reps.rowCount()) for f in history.detail.reps.item(r, 8).text().split(", ")
    }
    assert faults - {""} and all("_" not in f and f[0].isupper() for f in faults - {""})


def test_nothing_of_any_patient_is_read_before_the_pin(qtbot, store: Store, wait_for_therapist_reads) -> None:  # type: ignore[no-untyped-def]
    """The patient list (every patient's sessions, flags and adherence) is read once the PIN is
    entered, not while the gate is shown."""
    read: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *args: read.append(args[2]))
    window = TherapistWindow(store)
    qtbot.addWidget(window)
    assert window.is_locked and window.patients.codes() == []
    assert not [statement for statement in read if "FROM sessions" in statement or "FROM patients" in statement]
    unlocked(window, wait_for_therapist_reads)
    assert window.patients.codes() == ["DEMO-01"] and any("FROM sessions" in s for s in read)


def test_the_patients_list_and_detail_are_read_off_the_gui_thread(  # type: ignore[no-untyped-def]
    qtbot, store: Store, wait_for_therapist_reads
) -> None:
    """Unlocking, searching, choosing a patient, another period, another session, adherence over
    other days: every read runs on a worker thread, never on the GUI thread."""
    demo = store.patient("DEMO-01").id
    on_gui_thread: list[str] = []
    read_anywhere: list[str] = []

    def seen(*args: object) -> None:
        statement = str(args[2])
        read_anywhere.append(statement)
        if threading.current_thread() is threading.main_thread():
            on_gui_thread.append(statement)

    event.listen(store.engine, "before_cursor_execute", seen)
    window = TherapistWindow(store)  # whether a PIN is set, and then the PIN itself, read on workers too
    qtbot.addWidget(window)
    window.gate.pin.setText(PIN)
    window.gate.submit()
    wait_for_therapist_reads(window)
    assert not window.is_locked
    window.patients.search.setText("demo")
    wait_for_therapist_reads(window)
    window.patients.select(demo)
    wait_for_therapist_reads(window)
    history = window.panel.history
    history.set_period("7d")
    wait_for_therapist_reads(window)
    history.table.selectRow(history.table.rowCount() - 1)
    wait_for_therapist_reads(window)
    window.panel.trends.window_days.setValue(14)
    wait_for_therapist_reads(window)
    assert any("FROM sessions" in s for s in read_anywhere) and history.detail.detail is not None
    assert on_gui_thread == []
