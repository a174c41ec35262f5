"""The clinical tests on the screens (a smoke test: the logic is tested headless in tests/session/clinical
and tests/engine/clinical): the picker's tests, a 5xSTS from a keypoint replay to its result page and the
store, both legs of a single-leg stance, the kiosk's way in, the therapist's Tests tab and its correction."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from kiosk_fixtures import PIN, pump, seed_kiosk_db, tap

from rehab_coach.capture.sources import SourceSpec
from rehab_coach.engine.clinical import CLINICAL_TESTS
from rehab_coach.session.clinical.demo import seed_clinical_demo
from rehab_coach.session.store import Store
from rehab_coach.session.store.clinical import clinical_results
from rehab_coach.ui.main_window import MainWindow
from rehab_coach.ui.options import LaunchOptions
from rehab_coach.ui.pages.picker import TEST_ROLE
from rehab_synth.clinical import chair_stands, single_leg_stance


def wait_for(condition, seconds: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    for _ in range(int(seconds * 20)):
        if condition():
            return
        pump(50)
    raise AssertionError("the screen never got there")


def window_on(stream: Path, db: Path, **options: object) -> MainWindow:
    window = MainWindow(
        LaunchOptions(
            source=SourceSpec("replay", stream, speed=3.0), countdown=0, audio=False, db_url=str(db), **options
        )  # type: ignore[arg-type]
    )
    window.resize(1280, 720)
    window.show()
    return window


def test_a_five_times_sit_to_stand_runs_from_the_picker_to_its_result_and_the_record(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "clinic.db"
    store = Store(db)
    store.add_patient("P-1", "Ann", birth_year=dt.date.today().year - 72, sex="female")
    store.close()
    window = window_on(chair_stands(5, seed=1).write(tmp_path / "five.jsonl"), db, patient="P-1")
    try:
        tests = [window.picker.list.item(i).data(TEST_ROLE) for i in range(window.picker.list.count())]
        assert [t for t in tests if t] == list(CLINICAL_TESTS)
        window.choose_test("five_times_sit_to_stand")
        assert window.stack.currentWidget() is window.instructions
        assert "five times" in window.instructions.what.text()
        window.start_session()
        wait_for(lambda: window.live.test_readout.isVisible() and window.live.test_readout.number.text() != "–")
        assert not window.live.reps.isVisible()
        wait_for(lambda: window.stack.currentWidget() is window.test_result)
        page = window.test_result
        wait_for(lambda: "for your age" in page.words.text())  # once the patient's age is read
        assert page.values.text().endswith(" s") and "Bohannon 2006" in page.source.text()
        wait_for(lambda: bool(page.saved_text.text()))
    finally:
        window.close()
    store = Store(db)
    try:
        [result] = clinical_results(store, store.patient("P-1").id)
        assert result.test_id == "five_times_sit_to_stand" and result.result.completed
    finally:
        store.close()


def test_both_legs_of_a_single_leg_stance_with_the_second_started_from_the_result_page(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    clip = single_leg_stance(hold=3.0, seed=2, stand_before=2.0, stand_after=4.0)
    window = window_on(
        clip.write(tmp_path / "leg.jsonl"),
        tmp_path / "clinic.db",
    )
    window.source = SourceSpec("replay", clip.write(tmp_path / "leg.jsonl"), speed=3.0, loop=True)
    try:
        window.start_test_directly("single_leg_stance_test")
        wait_for(
            lambda: window.stack.currentWidget() is window.test_result and window.test_result.next_button.isVisible()
        )
        assert window.test_result.values.text().startswith("right leg")
        window.test_result.next_button.click()
        assert window.stack.currentWidget() is window.live
        wait_for(
            lambda: window.stack.currentWidget() is window.test_result and window.test_result.done_button.isVisible()
        )
        assert len(window.test_result.results) == 2
    finally:
        window.close()


def test_the_kiosk_offers_the_standard_tests_from_the_patients_program(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from rehab_coach.ui.kiosk import KioskWindow

    db = tmp_path / "kiosk.db"
    seed_kiosk_db(db)
    window = KioskWindow(
        LaunchOptions(
            source=SourceSpec("replay", chair_stands(1).write(tmp_path / "k.jsonl")),
            countdown=0,
            audio=False,
            kiosk=True,
            db_url=str(db),
        )  # type: ignore[arg-type]
    )
    window.present()
    try:
        wait_for(lambda: bool(window.checkin.buttons))
        tap(window.checkin.buttons[0])
        wait_for(lambda: window.stack.currentWidget() is window.program)
        tap(window.program.tests_button)
        assert window.stack.currentWidget() is window.tests
        tap(window.tests.buttons[list(CLINICAL_TESTS).index("timed_up_and_go")])
        assert window.stack.currentWidget() is window.instructions and not window.instructions.camera_card.isVisible()
        tap(window.instructions.start_button)
        wait_for(lambda: window.controller.session is window.controller.test_session)
        assert window.live.test_readout.isVisible()
    finally:
        window.locked = False
        window.close()
    assert PIN


@pytest.fixture
def therapist(qapp, tmp_path: Path, wait_for_therapist_reads):  # type: ignore[no-untyped-def]
    from rehab_coach.ui.therapist.window import TherapistWindow

    store = Store(tmp_path / "therapist.db")
    patient = store.add_patient("P-1", "Ann", birth_year=1950, sex="female")
    seed_clinical_demo(store, "P-1", weeks=3)
    window = TherapistWindow(store)
    window.unlock()
    wait_for_therapist_reads(window)
    window.patients.select(patient.id)
    wait_for_therapist_reads(window)
    yield window, store
    window.close()
    store.close()


def test_the_tests_tab_lists_each_trial_with_its_norm_and_plots_a_trend(therapist) -> None:  # type: ignore[no-untyped-def]
    window, store = therapist
    tab = window.panel.tests
    assert tab.table.rowCount() == 3 * 5
    assert tab.table.item(0, 1).text().startswith("Timed Up and Go") or tab.table.item(0, 1).text()
    tab.select(0)
    assert "Bohannon" in tab.detail.text() or "Rikli" in tab.detail.text() or "Springer" in tab.detail.text()
    assert tab.test.count() == 4 and tab.change.text()


def test_a_correction_from_the_tests_tab_is_kept_beside_the_measured_value(therapist, wait_for_therapist_reads) -> None:  # type: ignore[no-untyped-def]
    window, store = therapist
    tab = window.panel.tests
    tab.select(0)
    row = tab.selected_row()
    dialog = tab.correct()
    assert dialog is not None
    dialog.value.setValue(15.0 if row.info.result.unit == "s" else 9)
    dialog.save()
    assert dialog.error.text() != ""  # no reason: refused
    dialog.reason.setText("re-timed from the video")
    dialog.save()
    wait_for_therapist_reads(window)  # the results read again, the corrected one still chosen
    info = next(r for r in clinical_results(store, store.patient("P-1").id) if r.id == row.result_id)
    assert info.corrections[-1].reason == "re-timed from the video" and info.measured == row.info.measured
    assert "(corrected)" in tab.selected_row().value
