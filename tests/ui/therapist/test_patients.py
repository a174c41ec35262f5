"""The therapist's patient list, a smoke test: typing in the search box shows the filtered list, read
on a worker thread with "Loading…" meanwhile. (The read, the filter, the sort and which answer
counts are tested headless in tests/session/store/test_patient_list.py.)"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication

from rehab_coach.session.store import Store
from rehab_coach.ui.therapist.patients import PatientList


def test_typing_in_the_search_box_shows_the_filtered_list(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = Store(tmp_path / "list.db")
    for code, name in (("P-001", "José García"), ("P-002", "Ann Garner"), ("P-003", "Bob Jones")):
        store.add_patient(code, name)
    patients = PatientList(store)
    qtbot.addWidget(patients)
    patients.show()
    assert patients.codes() == ["P-002", "P-003", "P-001"]  # by name
    assert patients.loading.isHidden()
    qtbot.keyClicks(patients.search, "gar")
    # Each keystroke starts a read on the worker; the list waits for the newest one, saying so.
    assert patients.reads.loading and not patients.loading.isHidden()
    assert patients.loading.text() == "Loading…"
    qtbot.waitUntil(lambda: not patients.reads.loading)
    assert patients.codes() == ["P-002", "P-001"] and patients.loading.isHidden()
    qtbot.keyClick(patients.search, "c")  # "garc": José only (accents ignored)
    qtbot.waitUntil(lambda: not patients.reads.loading)
    assert patients.codes() == ["P-001"]
    QCoreApplication.processEvents()  # an older keystroke's late answer changes nothing
    assert patients.codes() == ["P-001"]
    patients.deleteLater()
    store.close()
