"""The therapist's patient list, a smoke test: every read of the list (opening it, typing in the
search box, a refresh after a dialog) runs on a worker thread, with "Loading…" over the rows read
before meanwhile. (The read, the filter, the sort and which answer counts are tested headless in
tests/session/store/test_patient_list.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from rehab_coach.session.store import PatientListPage, Store, StoreError
from rehab_coach.ui.therapist import patients as patients_module
from rehab_coach.ui.therapist.patients import PatientList


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store(tmp_path / "list.db")
    for code, name in (("P-001", "José García"), ("P-002", "Ann Garner"), ("P-003", "Bob Jones")):
        opened.add_patient(code, name)
    yield opened  # type: ignore[misc]
    opened.close()


@pytest.fixture
def patients(qtbot, store: Store) -> PatientList:  # type: ignore[no-untyped-def]
    shown = PatientList(store)
    qtbot.addWidget(shown)
    shown.show()
    return shown


def test_typing_in_the_search_box_shows_the_filtered_list(
    qtbot, patients: PatientList, wait_for_therapist_reads
) -> None:  # type: ignore[no-untyped-def]
    # Even the first read is on the worker: "Loading…" until it answers.
    assert not patients.loaded and not patients.loading.isHidden() and patients.codes() == []
    wait_for_therapist_reads(patients)
    assert patients.codes() == ["P-002", "P-003", "P-001"]  # by name
    assert patients.loading.isHidden()
    qtbot.keyClicks(patients.search, "gar")
    # Each keystroke starts a read on the worker; the list waits for the newest one, saying so.
    assert not patients.loaded and not patients.loading.isHidden()
    assert patients.loading.text() == "Loading…"
    assert patients.codes() == ["P-002", "P-003", "P-001"]  # the rows read before stay meanwhile
    wait_for_therapist_reads(patients)
    assert patients.codes() == ["P-002", "P-001"] and patients.loading.isHidden()
    qtbot.keyClick(patients.search, "c")  # "garc": José only (accents ignored)
    wait_for_therapist_reads(patients)
    assert patients.codes() == ["P-001"]
    QCoreApplication.processEvents()  # an older keystroke's late answer changes nothing
    assert patients.codes() == ["P-001"]


def test_a_refresh_answered_after_a_newer_read_is_dropped(  # type: ignore[no-untyped-def]
    qtbot, patients: PatientList, wait_for_therapist_reads, monkeypatch: pytest.MonkeyPatch
) -> None:
    wait_for_therapist_reads(patients)
    shown: list[list[str]] = []
    show = patients._show
    monkeypatch.setattr(patients, "_show", lambda page: (shown.append([r.patient.code for r in page.rows]), show(page)))
    patients.refresh()  # e.g. a dialog saved: everyone
    patients.search.setText("jones")  # typed before that answer reached the screen
    wait_for_therapist_reads(patients)
    QCoreApplication.processEvents()
    # The refresh's answer (three rows) came back after the search began: never shown.
    assert shown == [["P-003"]] and patients.codes() == ["P-003"]


def test_a_read_that_fails_says_so_and_keeps_the_rows_read_before(  # type: ignore[no-untyped-def]
    qtbot, patients: PatientList, wait_for_therapist_reads, monkeypatch: pytest.MonkeyPatch
) -> None:
    wait_for_therapist_reads(patients)

    def unreachable(_store: Store, _request: object) -> PatientListPage:
        raise StoreError("the database does not answer")

    monkeypatch.setattr(patients_module, "read_patient_list", unreachable)
    patients.refresh()
    wait_for_therapist_reads(patients)
    assert patients.loading.text() == "The list cannot be read now: the database does not answer"
    assert not patients.loading.isHidden()
    assert patients.codes() == ["P-002", "P-003", "P-001"]
    monkeypatch.undo()
    patients.refresh()  # the database answers again: the message goes
    wait_for_therapist_reads(patients)
    assert patients.loading.isHidden() and patients.codes() == ["P-002", "P-003", "P-001"]
