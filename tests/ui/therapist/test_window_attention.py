"""The therapist's review at a glance, offscreen: "Needs attention" with each patient's newest pain flag
(what, when), marking flags reviewed, the list sorted by flags or adherence, the sessions of the last
7 or 30 days exported as shown, and the weekly summary; in English and in Chinese. The logic is tested
headless (tests/session/store/test_patient_list.py, test_store_weekly.py); these check the screens adapt it."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from zh_walk import english_left, readable_texts

from rehab_coach.i18n import day_text
from rehab_coach.session.exports import read_reps_csv
from rehab_coach.session.store import Store, open_store
from rehab_coach.session.store.demo import seed_demo
from rehab_coach.ui.strings import install
from rehab_coach.ui.therapist.window import TherapistWindow

PIN = "246810"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "attention.db")
    for code, name, seed in (("DEMO-01", "Maria Garcia", 7), ("P-002", "Bob Jones", 3)):
        seed_demo(opened, code=code, name=name, days=21, seed=seed)
    opened.add_patient("P-003", "Carla Diaz")
    demo = list(reversed(opened.sessions_for(opened.patient("DEMO-01").id)))
    opened.record_check_in(demo[-2].id, 3, 4)
    opened.record_check_in(demo[-1].id, 8, 7)  # the newest flag of all
    bob = list(reversed(opened.sessions_for(opened.patient("P-002").id)))
    opened.record_check_in(bob[2].id, 7, 5)  # an older flag, never reviewed
    opened.set_pin(PIN)
    yield opened
    opened.close()


@pytest.fixture
def open_window(qtbot, wait_for_therapist_reads):  # type: ignore[no-untyped-def]
    """Opens the therapist window past the PIN, with the patient list read."""

    def opened(store: Store, language: str = "en") -> TherapistWindow:
        window = TherapistWindow(store, language=language)
        qtbot.addWidget(window)
        window.show()
        window.gate.pin.setText(PIN)
        window.gate.submit()
        wait_for_therapist_reads(window)
        assert not window.is_locked
        return window

    return opened


def test_needs_attention_lists_the_newest_flag_first_and_a_review_takes_the_patient_off(  # type: ignore[no-untyped-def]
    open_window, wait_for_therapist_reads, wait_for_export, store: Store, tmp_path: Path
) -> None:
    window = open_window(store)
    patients = window.patients
    assert patients.needs_attention.text() == "Needs attention (2)" and patients.codes() == [
        "P-002",
        "P-003",
        "DEMO-01",
    ]
    patients.needs_attention.setChecked(True)
    assert patients.sort_key == "flags" and patients.codes() == ["DEMO-01", "P-002"]
    newest = store.sessions_for(store.patient("DEMO-01").id)[0].started_at.astimezone()
    flags_cell = patients.row_texts("DEMO-01")[3]
    assert flags_cell.startswith("⚠ pain 8/10, pain up 3→8 · Shoulder abduction, ")
    assert f"{day_text(newest, 'en')} {newest:%H:%M}" in flags_cell  # what, and when

    assert not patients.review_button.isEnabled()  # nobody chosen yet
    patients.select(store.patient("DEMO-01").id)
    wait_for_therapist_reads(window)
    assert patients.review_button.isEnabled()
    dialog = patients.review_flags()
    assert dialog is not None and [t.text() for t in dialog.ticks] == [flags_cell[2:]]
    dialog.save()
    assert "say who reviewed" in dialog.error.text() and dialog.isVisible()
    dialog.reviewer.setText("AB")
    dialog.note.setText("called her: shoulder exercises paused")
    dialog.save()
    assert not dialog.isVisible()
    wait_for_therapist_reads(window)
    assert patients.codes() == ["P-002"] and patients.needs_attention.text() == "Needs attention (1)"
    [flag] = [f for f in store.pain_flags_for(store.patient("DEMO-01").id).values() if f.pain == 8]
    assert flag.review is not None and (flag.review.reviewed_by, flag.review.note) == (
        "AB",
        "called her: shoulder exercises paused",
    )
    # The patient's own screens say who reviewed it; the flag stays in the record.
    history = window.panel.history
    assert window.panel.patient_id == store.patient("DEMO-01").id
    assert "reviewed by AB" in history.detail.flag_note.text() and "shoulder exercises paused" in (
        history.detail.flag_note.text()
    )
    patients.needs_attention.setChecked(False)
    assert set(patients.codes()) == {"DEMO-01", "P-002", "P-003"}
    assert not patients.row_texts("DEMO-01")[3].startswith("⚠ pain")
    if shutil.which("pdftotext"):  # the report says who reviewed the flag
        pdf = wait_for_export(window.panel, window.panel.export("PDF", tmp_path / "report.pdf"))
        assert pdf is not None
        text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "pain 8/10, pain up 3→8 (reviewed by AB on" in " ".join(text.split())


def test_the_list_sorts_by_adherence_lowest_first_and_back_by_name(
    open_window, wait_for_therapist_reads, store: Store
) -> None:  # type: ignore[no-untyped-def]
    window = open_window(store)
    patients = window.patients
    patients.set_sort("adherence")
    ratios = [o.adherence.ratio for o in patients.overviews]
    assert patients.codes()[-1] == "P-003" and ratios[-1] is None  # no program: last
    assert ratios[:-1] == sorted(ratios[:-1])  # type: ignore[type-var]
    patients.set_sort("name")
    assert patients.codes() == ["P-002", "P-003", "DEMO-01"]  # Bob, Carla, Maria


def test_the_sessions_of_the_last_7_days_are_shown_and_exported_as_shown(
    open_window, wait_for_therapist_reads, wait_for_export, store: Store, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window = open_window(store)
    demo = store.patient("DEMO-01")
    window.patients.select(demo.id)
    wait_for_therapist_reads(window)
    history = window.panel.history
    everything = store.sessions_for(demo.id)
    assert history.period_key == "30d" and len(history.sessions) == len(everything)  # 21 days of demo data
    history.set_period("7d")
    wait_for_therapist_reads(window)
    bounds = history.bounds()
    shown = history.sessions
    assert 0 < len(shown) < len(everything) and all(bounds.contains(s.started_at) for s in shown)
    assert history.table.rowCount() == len(shown) and history.shown_label.text() == f"{len(shown)} sessions"
    assert history.detail.detail is not None and history.detail.detail.session.id == shown[0].id

    csv_path = wait_for_export(window.panel, window.panel.export_shown("CSV", tmp_path / "shown.csv"))
    assert csv_path is not None and window.panel.export_status.text() == "Saved shown.csv"
    assert {row.session_uid for row in read_reps_csv(csv_path)} == {s.uid for s in shown}
    pdf_path = wait_for_export(window.panel, window.panel.export_shown("PDF", tmp_path / "shown.pdf"))
    assert pdf_path is not None and pdf_path.read_bytes().startswith(b"%PDF")

    history.set_period("all")

    wait_for_therapist_reads(window)
    assert len(history.sessions) == len(everything)
    window.patients.select(store.patient("P-003").id)
    wait_for_therapist_reads(window)
    assert history.detail.title.text() == "No sessions yet" and not history.export_buttons["CSV"].isEnabled()


def test_the_weekly_summary_shows_this_week_first_with_the_plan_reps_range_and_flags(
    open_window, wait_for_therapist_reads, store: Store
) -> None:  # type: ignore[no-untyped-def]
    window = open_window(store)
    window.patients.select(store.patient("DEMO-01").id)
    wait_for_therapist_reads(window)
    weekly = window.panel.weekly
    window.panel.tabs.setCurrentWidget(weekly)
    assert len(weekly.weeks) >= 3 and weekly.weeks[0].current
    this_week = weekly.row_texts(0)
    assert this_week[0].startswith("This week\n")
    planned = weekly.weeks[0]
    assert this_week[1].startswith(f"{planned.sessions_done} / {planned.sessions_planned}")
    flagged = next(row for row, week in enumerate(weekly.weeks) if week.open_flags)
    assert "pain 8/10, pain up 3→8" in weekly.row_texts(flagged)[4]
    rom_lines = [line for row in range(len(weekly.weeks)) for line in weekly.row_texts(row)[3].split("\n")]
    assert any(line.startswith("Squat: ") and line.endswith("°)") for line in rom_lines)  # with its change


def test_the_new_screens_are_chinese(open_window, wait_for_therapist_reads, store: Store) -> None:  # type: ignore[no-untyped-def]
    install("zh")
    window = open_window(store, "zh")
    data = ["Maria Garcia", "Bob Jones", "Carla Diaz", "Knee and shoulder", "AB"]
    patients = window.patients
    patients.needs_attention.setChecked(True)
    leaks = english_left(readable_texts(window), data)
    patients.select(store.patient("DEMO-01").id)
    wait_for_therapist_reads(window)
    for tab in (window.panel.history, window.panel.weekly):
        window.panel.tabs.setCurrentWidget(tab)
        leaks += english_left(readable_texts(window), data)
    window.panel.history.set_period("7d")
    wait_for_therapist_reads(window)
    leaks += english_left(readable_texts(window.panel.history), data)
    dialog = patients.review_flags()
    assert dialog is not None
    dialog.save()  # no name: the store's refusal, in Chinese
    leaks += english_left(readable_texts(dialog), data) + english_left([dialog.error.text()], data)
    dialog.reviewer.setText("AB")
    dialog.save()
    wait_for_therapist_reads(window)
    leaks += english_left([window.panel.history.detail.flag_note.text()], data)
    assert "需要关注" in patients.needs_attention.text() and "已由 AB" in window.panel.history.detail.flag_note.text()
    assert leaks == [], "\n".join(leaks)
