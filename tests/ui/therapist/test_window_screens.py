"""Therapist screens, offscreen, on a real store filled with demonstration sessions."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import threading
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import event

from rehab_coach.reports.names import exercise_name
from rehab_coach.session.exports import read_reps_csv
from rehab_coach.session.store import PatientInfo, Store, open_store, today_plan
from rehab_coach.session.store.demo import seed_demo
from rehab_coach.ui.therapist.window import TherapistWindow

PIN = "246810"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = open_store(tmp_path / "therapist.db")
    seed_demo(opened, days=14)
    opened.add_patient("P-002", "Bob Jones")
    opened.add_patient("P-003", "Carla Diaz")
    return opened


@pytest.fixture
def window(qtbot, store: Store) -> TherapistWindow:  # type: ignore[no-untyped-def]
    win = TherapistWindow(store)
    qtbot.addWidget(win)
    win.show()
    return win


@pytest.fixture
def unlock(wait_for_therapist_reads) -> Callable[..., None]:  # type: ignore[no-untyped-def]
    """Types a PIN (twice on first use) and waits for the gate's answer, given on a worker thread."""

    def enter(window: TherapistWindow, pin: str = PIN) -> None:
        gate = window.gate
        wait_for_therapist_reads(window)  # whether a PIN is set yet
        gate.pin.setText(pin)
        if gate.first_use:
            gate.repeat.setText(pin)
        gate.submit()
        wait_for_therapist_reads(window)

    return enter


def test_first_use_sets_a_pin_then_locks_and_unlocks(  # type: ignore[no-untyped-def]
    window: TherapistWindow, unlock, store: Store, wait_for_therapist_reads
) -> None:
    wait_for_therapist_reads(window)  # whether a PIN is set: read on a worker thread
    assert window.is_locked and window.gate.first_use
    window.gate.pin.setText("12")
    window.gate.repeat.setText("12")
    window.gate.submit()  # the format is checked at once, before anything is saved
    assert window.is_locked and "4 to 12 digits" in window.gate.status.text()
    unlock(window)
    assert not window.is_locked and store.has_pin()
    window.lock()
    assert window.is_locked and not window.gate.first_use
    unlock(window, "000000")
    assert window.is_locked and "4 attempt(s) left" in window.gate.status.text()
    for _ in range(4):
        unlock(window, "000000")
    assert "locked until" in window.gate.status.text()
    unlock(window)  # the right PIN does not open a locked gate
    assert window.is_locked


def test_patient_list_search_add_and_edit(
    window: TherapistWindow, unlock, store: Store, wait_for_therapist_reads
) -> None:  # type: ignore[no-untyped-def]
    unlock(window)
    wait_for_therapist_reads(window)
    patients = window.patients
    assert patients.codes() == ["P-002", "P-003", "DEMO-01"]
    patients.search.setText("carl")
    wait_for_therapist_reads(window)
    assert patients.codes() == ["P-003"]
    patients.search.setText("")
    wait_for_therapist_reads(window)
    dialog = patients.add_patient()
    dialog.code.setText("P-002")
    dialog.name.setText("Duplicate")
    dialog.save()
    assert "already exists" in dialog.error.text() and dialog.isVisible()
    dialog.code.setText("P-004")
    dialog.save()
    wait_for_therapist_reads(window)
    assert "P-004" in patients.codes() and window.panel.header.text() == "Duplicate [P-004]"
    edit = patients.edit_patient()
    assert edit is not None and edit.code.isReadOnly()
    edit.name.setText("Dana Evans")
    edit.archived.setChecked(True)
    edit.save()
    wait_for_therapist_reads(window)
    assert "P-004" not in patients.codes()
    assert store.patient("P-004").display_name == "Dana Evans"


def test_program_editor_saves_overrides_and_refuses_impossible_targets(
    window: TherapistWindow, unlock, wait_for_therapist_reads, store: Store
) -> None:
    unlock(window)
    wait_for_therapist_reads(window)
    patient = store.patient("P-002")
    window.patients.select(patient.id)
    wait_for_therapist_reads(window)
    editor = window.panel.program
    assert editor.rows == [] and [n for n, b in editor.days.items() if b.isChecked()] == ["mon", "wed", "fri"]
    row = editor.add_row("squat")
    assert editor.rows[row].sets.value() == 3 and editor.rows[row].reps.value() == 10  # the template's dosage
    editor.rows[row].target.setValue(150)  # shallower than the rep start threshold: impossible
    assert editor.save() is None and "thresholds" in editor.status.text()
    editor.rows[row].target.setValue(95)
    editor.rows[row].reps.setValue(12)
    editor.add_row("shoulder_abduction")
    editor.remove_row(1)
    editor.add_row("lunge", 2, 8, notes="hold the rail")
    editor.days["sat"].setChecked(True)
    program = editor.save()
    assert program is not None
    wait_for_therapist_reads(window)
    saved = store.active_program(patient.id)
    assert saved is not None
    assert [(i.exercise_id, i.sets, i.reps, i.overrides, i.notes) for i in saved.items] == [
        ("squat", 3, 12, {"primary.target": 95.0}, ""),
        ("lunge", 2, 8, {}, "hold the rail"),
    ]
    assert saved.weekdays == 0b0110101
    # reopening shows what was saved
    editor.load(patient.id)
    wait_for_therapist_reads(window)
    assert editor.rows[0].target.value() == 95 and editor.rows[1].notes.text() == "hold the rail"


def test_a_minimum_depth_is_set_per_item_and_reaches_the_patients_template(  # type: ignore[no-untyped-def]
    window: TherapistWindow, unlock, store: Store, wait_for_therapist_reads
) -> None:
    unlock(window)
    wait_for_therapist_reads(window)
    patient = store.patient("P-002")
    window.patients.select(patient.id)
    wait_for_therapist_reads(window)
    editor = window.panel.program
    squat = editor.add_row("squat")
    editor.rows[squat].minimum.setChecked(True)
    sit = editor.add_row("wall_sit")
    assert not editor.rows[sit].minimum.isEnabled()  # a hold has no depth to fall short of
    assert editor.save() is not None
    saved = store.active_program(patient.id)
    assert saved is not None and saved.items[0].overrides == {"rep.short_of_target": "partial"}
    assert "rep.short_of_target" not in saved.items[1].overrides
    editor.load(patient.id)
    wait_for_therapist_reads(window)
    assert editor.rows[0].minimum.isChecked() and not editor.rows[1].minimum.isChecked()


def test_session_history_overlays_every_rep(
    window: TherapistWindow, unlock, wait_for_therapist_reads, store: Store
) -> None:
    unlock(window)
    wait_for_therapist_reads(window)
    demo = store.patient("DEMO-01")
    window.patients.select(demo.id)
    wait_for_therapist_reads(window)
    history = window.panel.history
    assert history.table.rowCount() == len(store.sessions_for(demo.id)) == 11
    history.table.selectRow(3)
    wait_for_therapist_reads(window)
    detail = history.detail.detail
    assert detail is not None and detail.session.id == history.sessions[3].id
    assert history.detail.plotted_curves() == len(detail.reps) == history.detail.reps.rowCount() == 16
    first = history.detail.curves.getPlotItem().listDataItems()[0]
    xs, ys = first.getData()
    assert xs[0] == 0 and len(ys) == len(detail.reps[0].curve)
    bars = [i for i in history.detail.quality.getPlotItem().items if i.__class__.__name__ == "BarGraphItem"]
    assert len(bars) == 1
    faults = {history.detail.reps.item(r, 8).text() for r in range(16)}
    assert any(faults)


def test_progress_trends_and_adherence(window: TherapistWindow, unlock, wait_for_therapist_reads, store: Store) -> None:
    unlock(window)
    wait_for_therapist_reads(window)
    demo = store.patient("DEMO-01")
    window.patients.select(demo.id)
    wait_for_therapist_reads(window)
    trends = window.panel.trends
    assert [trends.exercise.itemText(i) for i in range(trends.exercise.count())] == ["Shoulder abduction", "Squat"]
    trends.exercise.setCurrentIndex(1)
    expected = [p for p in store.trends(demo.id, "squat") if p.reps_complete]
    assert trends.points == expected
    mean = trends.rom.getPlotItem().listDataItems()[0]
    assert list(mean.getData()[1]) == [p.mean_rom for p in expected]
    assert "prescribed sessions done" in trends.adherence_label.text()
    assert trends.adherence is not None and trends.adherence.done <= trends.adherence.prescribed


def test_patient_view_shows_today_and_progress(
    window: TherapistWindow, unlock, wait_for_therapist_reads, store: Store
) -> None:
    unlock(window)
    wait_for_therapist_reads(window)
    demo = store.patient("DEMO-01")
    window.patients.select(demo.id)
    wait_for_therapist_reads(window)
    view = window.panel.today
    monday = dt.date.today() + dt.timedelta(days=(7 - dt.date.today().weekday()) % 7)
    view.load(demo.id, monday)
    wait_for_therapist_reads(window)
    assert view.plan is not None and view.plan.scheduled
    assert view.rows() == ["Squat | 0 of 16 reps | 2 sets of 8", "Shoulder abduction | 0 of 16 reps | 2 sets of 8"]
    assert "movement quality" in view.progress_label.text()
    view.load(demo.id, monday + dt.timedelta(days=1))
    wait_for_therapist_reads(window)
    assert "rest day" in view.heading.text() and "Wednesday" in view.heading.text()


def test_exports_from_the_patient_panel(
    window: TherapistWindow, unlock, wait_for_therapist_reads, wait_for_export, store: Store, tmp_path: Path
) -> None:
    unlock(window)
    wait_for_therapist_reads(window)
    demo = store.patient("DEMO-01")
    window.patients.select(demo.id)
    wait_for_therapist_reads(window)
    panel = window.panel
    csv_path = wait_for_export(panel, panel.export("CSV", tmp_path / "reps.csv"))
    fhir_path = wait_for_export(panel, panel.export("FHIR", tmp_path / "bundle.json"))
    assert csv_path and len(read_reps_csv(csv_path)) == 10 * 16 + 8  # the interrupted session did one set
    assert fhir_path and json.loads(fhir_path.read_text())["entry"][0]["resource"]["id"] == "DEMO-01"
    assert panel.export_status.text() == "Saved bundle.json"


def test_an_export_runs_off_the_gui_thread_and_a_failed_one_says_why(
    window: TherapistWindow,
    unlock,
    wait_for_therapist_reads,
    wait_for_export,
    store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """While it runs the buttons wait and the status says so; the record is read on a worker thread;
    a full disk or a folder that is not one says why, and leaves the file that was there as it was."""
    unlock(window)
    window.patients.select(store.patient("DEMO-01").id)
    wait_for_therapist_reads(window)
    panel = window.panel
    out = tmp_path / "exports"
    out.mkdir()
    on_gui_thread: list[str] = []

    def seen(*args: object) -> None:
        if threading.current_thread() is threading.main_thread():
            on_gui_thread.append(str(args[2]))

    event.listen(store.engine, "before_cursor_execute", seen)
    started = panel.export("PDF", out / "report.pdf")
    assert started and panel.exporting and panel.export_status.text() == "Exporting…"
    buttons = [*panel.export_buttons.values(), *panel.history.export_buttons.values()]
    assert not any(button.isEnabled() for button in buttons)
    assert not panel.export("CSV", out / "reps.csv")  # one export at a time
    pdf = wait_for_export(panel, started)
    event.remove(store.engine, "before_cursor_execute", seen)
    assert pdf == out / "report.pdf" and pdf.read_bytes().startswith(b"%PDF")
    assert on_gui_thread == [] and panel.export_status.text() == "Saved report.pdf"
    assert all(button.isEnabled() for button in buttons)

    earlier = out / "reps.csv"
    earlier.write_text("the last export\n")

    def disk_full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)  # the disk fills up as the export is written
    assert wait_for_export(panel, panel.export("CSV", earlier)) is None
    monkeypatch.undo()
    assert panel.export_status.text() == f"Not saved: {earlier}: No space left on device"
    assert earlier.read_text() == "the last export\n" and sorted(p.name for p in out.iterdir()) == [
        "report.pdf",
        "reps.csv",
    ]
    assert all(button.isEnabled() for button in panel.export_buttons.values())
    not_a_folder = out / "report.pdf" / "reps.csv"
    assert wait_for_export(panel, panel.export("FHIR", not_a_folder)) is None
    assert panel.export_status.text() == f"Not saved: {not_a_folder}: Not a directory"


def _history_shows_nothing(history, store: Store, patient_id: int) -> None:  # type: ignore[no-untyped-def]
    """Every pane of the Sessions tab is empty for a patient without sessions."""
    assert store.sessions_for(patient_id) == []
    assert history.sessions == [] and history.table.rowCount() == 0
    view = history.detail
    assert view.detail is None and view.title.text() == "No sessions yet"
    assert view.plotted_curves() == 0 and view.reps.rowCount() == 0
    assert not [i for i in view.quality.getPlotItem().items if i.__class__.__name__ == "BarGraphItem"]


def _history_shows_newest(history, store: Store, patient_id: int) -> None:  # type: ignore[no-untyped-def]
    """Every pane of the Sessions tab shows this patient's newest session."""
    sessions = store.sessions_for(patient_id)
    assert sessions
    assert [s.id for s in history.sessions] == [s.id for s in sessions]
    assert history.table.rowCount() == len(sessions)
    view = history.detail
    newest = store.session_detail(sessions[0].id)
    assert view.detail is not None and view.detail.session.id == newest.session.id
    assert exercise_name(newest.session.exercise_id) in view.title.text()
    assert view.plotted_curves() == len(newest.reps) == view.reps.rowCount()
    shown = [view.reps.item(r, 7).text() for r in range(view.reps.rowCount())]
    assert shown == [f"{r.quality:.0f}" for r in newest.reps]


def test_switching_patients_never_leaves_the_previous_patients_session(
    window: TherapistWindow, unlock, wait_for_therapist_reads, store: Store
) -> None:
    """The detail pane followed only selection changes: when row 0 was already selected (A's
    newest session), choosing B kept A's curves, bars and rows on screen."""
    seed_demo(store, code="DEMO-02", name="Second demo", days=7, seed=11)
    unlock(window)
    wait_for_therapist_reads(window)
    a, b, empty = store.patient("DEMO-01"), store.patient("DEMO-02"), store.patient("P-002")
    window.panel.program.name.setText("typed but not saved")
    history = window.panel.history
    window.panel.tabs.setCurrentWidget(history)

    def check(patient: PatientInfo) -> None:
        assert window.panel.patient_id == patient.id
        assert window.panel.header.text() == f"{patient.display_name} [{patient.code}]"
        check_history = _history_shows_nothing if patient is empty else _history_shows_newest
        check_history(history, store, patient.id)
        program = store.active_program(patient.id)
        assert window.panel.program.name.text() == (program.name if program else "")
        assert len(window.panel.program.rows) == (len(program.items) if program else 0)
        trends = window.panel.trends
        exercise = trends.exercise.currentData()
        assert trends.patient_id == patient.id
        assert trends.points == ([p for p in store.trends(patient.id, exercise) if p.reps_complete] if exercise else [])
        assert window.panel.today.plan == today_plan(store, patient.id)
        assert window.panel.export_status.text() == ""

    for patient in (a, b, a, empty, b, empty, a):
        # Qt may choose the first row itself when the list takes the keyboard focus: choosing the
        # patient already shown reads nothing again.
        switched = window.panel.patient_id != patient.id
        window.patients.select(patient.id)
        # Read on workers: until the answer shows, nothing typed can go to the wrong patient.
        if switched:
            assert window.panel.header.text() == "Loading…" and not window.panel.program.isEnabled()
        wait_for_therapist_reads(window)
        assert window.panel.program.isEnabled() and window.panel.read_error.isHidden()
        check(patient)
    # Another patient chosen before the first one's reads answered: the detail ends on the newest.
    window.patients.select(b.id)
    window.patients.select(empty.id)
    wait_for_therapist_reads(window)
    check(empty)


def _click_row(window: TherapistWindow, code: str, qtbot) -> None:  # type: ignore[no-untyped-def]
    table = window.patients.list
    row = window.patients.codes().index(code)
    centre = table.visualItemRect(table.item(row, 0)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)


def _list_and_detail_agree(window: TherapistWindow, store: Store, code: str) -> None:
    """The detail, Edit and the exports all name the patient `code`; its row is highlighted when shown."""
    patient = store.patient(code)
    patients, panel = window.patients, window.panel
    assert patients.current_id() == panel.patient_id == patient.id
    assert panel.header.text() == f"{patient.display_name} [{patient.code}]"
    highlighted = [patients.codes()[index.row()] for index in patients.list.selectionModel().selectedRows()]
    assert highlighted == ([code] if code in patients.codes() else [])
    edit = patients.edit_patient()
    assert edit is not None and edit.code.text() == code
    edit.reject()


def test_a_search_never_parts_the_list_from_the_detail(  # type: ignore[no-untyped-def]
    window: TherapistWindow, unlock, store: Store, qtbot, tmp_path, wait_for_therapist_reads, wait_for_export
) -> None:
    """Issue 19, defect 1: after a search for "jose" and clearing it José was highlighted while the
    detail showed the demo patient, a click on José did nothing and Edit opened José's dialog."""
    store.add_patient("P-010", "José Martín")
    unlock(window)
    wait_for_therapist_reads(window)
    patients = window.patients

    def click(code: str) -> None:
        _click_row(window, code, qtbot)
        wait_for_therapist_reads(window)
        _list_and_detail_agree(window, store, code)

    def search(text: str, still_shown: str) -> None:
        patients.search.setText(text)
        wait_for_therapist_reads(window)
        _list_and_detail_agree(window, store, still_shown)

    click("DEMO-01")
    search("jose", "DEMO-01")  # hidden by the search, still the one shown
    assert patients.codes() == ["P-010"]
    search("", "DEMO-01")
    click("P-010")
    search("jose", "P-010")
    click("P-010")  # row 0 again, where the demo patient used to be
    search("demo", "P-010")
    click("DEMO-01")
    exported = wait_for_export(window.panel, window.panel.export("FHIR", tmp_path / "shown.json"))
    assert exported and json.loads(exported.read_text())["entry"][0]["resource"]["id"] == "DEMO-01"
