"""Pain and effort from the patient's summary screen to the therapist: stored with the session,
flagged in the patient list and the session table, in the PDF and the FHIR export; and a
therapist's rep-count correction, kept beside the recorded count with its reason."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from kiosk_fixtures import tap
from sqlalchemy import event
from sqlalchemy.engine import Engine

from rehab_coach.capture.sources import SourceSpec
from rehab_coach.session.store import SessionRecorder, Store, open_store
from rehab_coach.session.store.demo import seed_demo
from rehab_coach.ui.app import build_window
from rehab_coach.ui.options import LaunchOptions
from rehab_coach.ui.strings import tr
from rehab_coach.ui.therapist.window import TherapistWindow
from saved_sessions import stored_sessions

PIN = "246810"


def finished_window(qtbot, stream: Path, patient: str | None = None):  # type: ignore[no-untyped-def]
    window = build_window(
        LaunchOptions(
            source=SourceSpec("replay", stream, speed=3.0),
            exercise="squat",
            countdown=0,
            audio=False,
            overrides={"dosage.sets": 1, "dosage.reps": 2},
            patient=patient,
        )
    )
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.summary, timeout=15000)
    return window


def test_patient_answers_pain_and_effort_after_the_exercise(  # type: ignore[no-untyped-def]
    qtbot, squat_stream: Callable[..., Path], user_data_dir: Path
) -> None:
    window = finished_window(qtbot, squat_stream(reps=2))
    panel = window.summary.check_in
    assert panel.isVisible() and panel.asking and not panel.send_button.isEnabled()
    assert [b.text() for b in panel.pain.buttons] == [str(v) for v in range(11)]
    assert min(b.height() for b in panel.pain.buttons + panel.effort.buttons) >= 60  # touch targets (~16 mm)
    tap(panel.pain.buttons[7])
    tap(panel.effort.buttons[5])
    assert (panel.pain.value, panel.effort.value) == (7, 5) and panel.send_button.isEnabled()
    tap(panel.send_button)
    assert not panel.asking
    # Pain 7 is severe: the thanks alone once left the patient without advice.
    qtbot.waitUntil(lambda: panel.thanks.text().startswith("Thank you, your answers are saved."), timeout=5000)
    advice = panel.advice.text()  # apart from the thanks, so it cannot be missed
    assert panel.advice.isVisible() and "stop the exercise that hurts" in advice and "therapist" in advice
    [detail] = stored_sessions(user_data_dir)
    assert (detail.session.pain, detail.session.effort) == (7, 5)


def test_check_in_can_be_skipped_and_stores_nothing(  # type: ignore[no-untyped-def]
    qtbot, squat_stream: Callable[..., Path], user_data_dir: Path
) -> None:
    window = finished_window(qtbot, squat_stream(reps=2))
    panel = window.summary.check_in
    tap(panel.pain.buttons[3])
    tap(panel.skip_button)
    assert not panel.asking and "Skipped" in panel.thanks.text()
    qtbot.waitUntil(lambda: "Saved to the database" in window.summary.details.text(), timeout=5000)
    [detail] = stored_sessions(user_data_dir)
    assert (detail.session.pain, detail.session.effort) == (None, None)


@pytest.fixture
def outage() -> Iterator[threading.Event]:
    """While set, every new database connection is refused, as when the server is away or the disk is gone."""
    down = threading.Event()

    def refuse(dialect, _record, _cargs, _cparams):  # type: ignore[no-untyped-def]
        if down.is_set():
            raise dialect.loaded_dbapi.OperationalError("simulated outage: connection refused")

    event.listen(Engine, "do_connect", refuse)
    yield down
    event.remove(Engine, "do_connect", refuse)


@pytest.mark.parametrize("lost", ["before the session", "before the answers"])
def test_answers_given_while_the_database_is_away_are_kept_and_reach_the_therapist(  # type: ignore[no-untyped-def]
    qtbot,
    squat_stream: Callable[..., Path],
    user_data_dir: Path,
    outage: threading.Event,
    lost: str,
    wait_for_therapist_reads,
) -> None:
    if lost == "before the session":
        outage.set()  # the whole session goes to the local journal
    window = finished_window(qtbot, squat_stream(reps=2), patient="P-077")
    qtbot.waitUntil(lambda: window.summary.outcome.saved is not None, timeout=10000)
    assert window.summary.outcome.saved.offline is (lost == "before the session")
    if lost == "before the answers":
        outage.set()
        window.store.call(lambda store: store.engine.dispose()).result(5)  # its open connections die with it
    panel = window.summary.check_in
    tap(panel.pain.buttons[8])
    tap(panel.effort.buttons[6])
    tap(panel.send_button)
    kept = "Your answers are saved on this computer; they will reach your therapist when the database is back."
    qtbot.waitUntil(lambda: panel.thanks.text().startswith(kept), timeout=10000)
    assert "stop the exercise that hurts" in panel.advice.text()  # pain 8: the advice, saved or not
    journal = user_data_dir / "journal"
    [answers] = [
        line for path in journal.glob("*.jsonl") for line in path.read_text().splitlines() if "check_in" in line
    ]
    assert json.loads(answers)["pain"] == 8

    outage.clear()  # the database is back: the next start of the app replays the journal
    window.store.close()
    store = Store(user_data_dir / "rehab-coach.db")
    SessionRecorder(store)
    assert not list(journal.glob("*.jsonl"))
    [detail] = stored_sessions(user_data_dir)
    assert (detail.session.patient_code, detail.session.pain, detail.session.effort) == ("P-077", 8, 6)
    store.set_pin(PIN)
    therapist = TherapistWindow(store)
    qtbot.addWidget(therapist)
    therapist.show()
    therapist.gate.pin.setText(PIN)
    therapist.gate.submit()
    wait_for_therapist_reads(therapist)
    assert therapist.patients.row_texts("P-077")[3].startswith("⚠ pain 8/10")


def test_answers_are_kept_in_chinese_too() -> None:
    kept = "Your answers are saved on this computer; they will reach your therapist when the database is back."
    assert tr(kept, "zh") != kept and "治疗师" in tr(kept, "zh")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = open_store(tmp_path / "therapist.db")
    seed_demo(opened, days=14)
    opened.add_patient("P-002", "Bob García")
    sessions = list(reversed(opened.sessions_for(opened.patient("DEMO-01").id)))
    opened.record_check_in(sessions[-2].id, 3, 4)
    opened.record_check_in(sessions[-1].id, 8, 7)  # severe, and up by 5
    opened.set_pin(PIN)
    return opened


@pytest.fixture
def therapist(qtbot, store: Store, wait_for_therapist_reads) -> TherapistWindow:  # type: ignore[no-untyped-def]
    window = TherapistWindow(store)
    qtbot.addWidget(window)
    window.show()
    window.gate.pin.setText(PIN)
    window.gate.submit()
    wait_for_therapist_reads(window)
    assert not window.is_locked
    return window


def test_pain_flags_reach_the_list_the_sessions_the_pdf_and_fhir(  # type: ignore[no-untyped-def]
    therapist: TherapistWindow, store: Store, tmp_path: Path, wait_for_therapist_reads, wait_for_export
) -> None:
    patients = therapist.patients
    assert patients.codes() == ["P-002", "DEMO-01"]
    flagged = patients.row_texts("DEMO-01")
    assert flagged[0] == "Demo patient\nDEMO-01" and flagged[2].endswith("%")
    assert flagged[3].startswith("⚠ pain 8/10, pain up 3→8")
    assert patients.row_texts("P-002") == ["Bob García\nP-002", "never", "–", ""]
    patients.search.setText("garcia")  # case and accents ignored
    wait_for_therapist_reads(therapist)
    assert patients.codes() == ["P-002"]
    patients.search.setText("")
    wait_for_therapist_reads(therapist)

    demo = store.patient("DEMO-01")
    patients.select(demo.id)
    wait_for_therapist_reads(therapist)
    history = therapist.panel.history
    newest = history.sessions[0]
    assert newest.pain == 8 and history.table.item(0, 5).text() == "8  ⚠ pain 8/10, pain up 3→8"
    assert history.table.item(0, 6).text() == "7" and "pain 8/10, effort 7/10" in history.detail.title.text()

    fhir = wait_for_export(therapist.panel, therapist.panel.export("FHIR", tmp_path / "bundle.json"))
    assert fhir is not None
    resources = [e["resource"] for e in json.loads(fhir.read_text(encoding="utf-8"))["entry"]]
    pain = next(r for r in resources if r["id"] == f"pain-{newest.uid}")
    assert pain["code"]["coding"][0]["code"] == "72514-3" and pain["valueInteger"] == 8
    assert pain["interpretation"][0]["text"] == "pain 8/10, pain up 3→8"

    if shutil.which("pdftotext") is None:
        pytest.skip("needs poppler-utils (pdftotext) for the PDF part")
    pdf = wait_for_export(therapist.panel, therapist.panel.export("PDF", tmp_path / "report.pdf"))
    assert pdf is not None
    raw = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = " ".join(unicodedata.normalize("NFKC", raw).split())  # the PDF's font sets "ff" as a ligature
    assert "Flags" in text and "pain 8/10, pain up 3→8" in text
    assert "Pain and effort after exercising" in text and "pain (0-10) last 8, highest 8" in text


def test_count_correction_from_the_session_screen_is_audited(  # type: ignore[no-untyped-def]
    therapist: TherapistWindow, store: Store, tmp_path: Path, wait_for_therapist_reads, wait_for_export
) -> None:
    demo = store.patient("DEMO-01")
    therapist.patients.select(demo.id)
    wait_for_therapist_reads(therapist)
    history = therapist.panel.history
    session = history.sessions[0]
    assert history.table.item(0, 3).text() == "16"
    dialog = history.detail.correct_count()
    assert dialog is not None and dialog.count.value() == 16
    dialog.count.setValue(14)
    dialog.save()  # no reason: refused, nothing stored
    assert "say why" in dialog.error.text() and store.session_detail(session.id).corrections == []
    dialog.reason.setText("two reps were the patient adjusting the chair")
    dialog.save()
    assert not dialog.isVisible()
    wait_for_therapist_reads(therapist)  # the rows and the session read again

    assert history.table.item(0, 3).text() == "14 (recorded 16)"
    assert "14 (recorded 16) complete" in history.detail.title.text()
    assert "16 → 14 (two reps were the patient adjusting the chair)" in history.detail.corrections.text()
    detail = store.session_detail(session.id)
    assert [(c.original_count, c.corrected_count) for c in detail.corrections] == [(16, 14)]
    assert detail.session.reps_complete == 16 and sum(r.complete for r in detail.reps) == 16  # the original stays

    fhir = wait_for_export(therapist.panel, therapist.panel.export("FHIR", tmp_path / "bundle.json"))
    rom = next(
        e["resource"]
        for e in json.loads(fhir.read_text(encoding="utf-8"))["entry"]  # type: ignore[union-attr]
        if e["resource"]["id"] == f"rom-{session.uid}"
    )
    assert any(n["text"].startswith("Repetition count corrected from 16 (as recorded) to 14") for n in rom["note"])
