"""Faster prescribing in the program editor (smoke tests on a real store; the rules themselves are
tested headless in tests/session and tests/session/store): copy a program from another patient, protocols,
a progression rule per exercise and the reason the therapist sees."""

from __future__ import annotations

import datetime as dt
import os
import random
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from rehab_coach.session.progression import ProgressionRule
from rehab_coach.session.store import (
    ItemSpec,
    ProgramSpec,
    Store,
    get_protocol,
    list_protocols,
    open_store,
    save_protocol,
    weekdays_mask,
)
from rehab_coach.session.store.demo import SQUAT, session_ops
from rehab_coach.ui.therapist.window import TherapistWindow

PIN = "246810"
RULE = ProgressionRule(step=2, pain_ceiling=4, maximum=16)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = open_store(tmp_path / "prescribing.db")
    ana = opened.add_patient("P-001", "Ana García")
    opened.save_program(
        ana.id,
        ProgramSpec(
            [ItemSpec("squat", 3, 12, {"primary.target": 95.0}, "hold the rail", RULE), ItemSpec("lunge", 2, 8)],
            weekdays_mask("tue,thu"),
            dt.date.today() - dt.timedelta(days=30),
            name="TKA weeks 0-2",
        ),
    )
    opened.add_patient("P-002", "Bob Jones")
    opened.add_patient("P-003", "José Núñez")
    return opened


@pytest.fixture
def window(qtbot, store: Store, wait_for_therapist_reads) -> TherapistWindow:  # type: ignore[no-untyped-def]
    win = TherapistWindow(store)
    qtbot.addWidget(win)
    win.show()
    win.gate.pin.setText(PIN)
    win.gate.repeat.setText(PIN)
    win.gate.submit()
    wait_for_therapist_reads(win)
    assert not win.is_locked
    return win


def test_copy_a_program_from_another_patient(window: TherapistWindow, store: Store, wait_for_therapist_reads) -> None:  # type: ignore[no-untyped-def]
    bob = store.patient("P-002")
    window.patients.select(bob.id)
    wait_for_therapist_reads(window)
    editor = window.panel.program
    dialog = editor.copy_from_patient()
    assert dialog.shown() == [] and dialog.empty.text() == "Loading…" and not dialog.copy_button.isEnabled()
    wait_for_therapist_reads(dialog)
    assert dialog.shown() == ["P-001"]  # Bob himself and José (no program) are not offered
    dialog.search.setText("GARCIA")  # accents and case ignored, as in the patient list
    assert dialog.shown() == ["P-001"]
    dialog.search.setText("nobody")
    assert dialog.shown() == [] and not dialog.copy_button.isEnabled()
    dialog.search.setText("ana")
    dialog.copy()
    assert [r.exercise.currentData() for r in editor.rows] == ["squat", "lunge"]
    squat = editor.rows[0]
    assert (squat.sets.value(), squat.reps.value(), squat.target.value()) == (3, 12, 95)
    assert squat.notes.text() == "hold the rail" and squat.progression == RULE
    assert editor.start.date().toPython() == dt.date.today()
    assert "Copied from Ana García [P-001]" in editor.status.text()
    assert store.active_program(bob.id) is None  # nothing saved until Save program
    program = editor.save()
    wait_for_therapist_reads(window)
    assert program is not None and program.items[0].progression is not None
    assert program.items[0].progression.since == dt.date.today()  # Bob's progression starts today
    assert program.items[0].overrides == {"primary.target": 95.0}


def test_save_start_rename_and_delete_protocols(
    window: TherapistWindow, store: Store, wait_for_therapist_reads
) -> None:  # type: ignore[no-untyped-def]
    window.patients.select(store.patient("P-001").id)
    wait_for_therapist_reads(window)
    editor = window.panel.program
    saving = editor.save_as_protocol()
    assert saving is not None and saving.name.text() == "TKA weeks 0-2"
    saving.save()
    assert [p.name for p in list_protocols(store)] == ["TKA weeks 0-2"]
    assert "Saved as the protocol" in editor.status.text()
    again = editor.save_as_protocol()
    assert again is not None
    again.name.setText("tka Weeks 0-2")
    again.save()
    assert "already exists" in again.error.text() and again.isVisible() and again.replace.isVisible()
    again.replace.setChecked(True)
    again.save()
    assert not again.isVisible() and [p.name for p in list_protocols(store)] == ["tka Weeks 0-2"]

    save_protocol(store, "Shoulder week 1", ProgramSpec([ItemSpec("shoulder_abduction", 2, 8)]))
    window.patients.select(store.patient("P-003").id)
    wait_for_therapist_reads(window)
    dialog = editor.open_protocols()
    wait_for_therapist_reads(dialog)
    assert dialog.names() == ["Shoulder week 1", "tka Weeks 0-2"]
    dialog.search.setText("tka")
    wait_for_therapist_reads(dialog)
    assert dialog.names() == ["tka Weeks 0-2"]
    assert "Squat 3 × 12" in dialog.detail.text() and "+2 reps every week" in dialog.detail.text()
    dialog.name.setText("Shoulder week 1")
    dialog.rename()
    assert "already exists" in dialog.status.text()
    dialog.name.setText("TKA phase 1")
    dialog.rename()
    wait_for_therapist_reads(dialog)
    assert dialog.names() == ["TKA phase 1"]
    dialog.use()
    assert [r.exercise.currentData() for r in editor.rows] == ["squat", "lunge"]
    assert "TKA phase 1" in editor.status.text() and editor.name.text() == "TKA phase 1"
    assert store.active_program(store.patient("P-003").id) is None

    dialog = editor.open_protocols()
    dialog.search.setText("shoulder")
    wait_for_therapist_reads(dialog)
    dialog.ask_delete()
    assert dialog.confirm.isVisible() and "Shoulder week 1" in dialog.confirm_text.text()
    dialog.delete()
    assert [p.name for p in list_protocols(store)] == ["TKA phase 1"]
    assert get_protocol(store, "tka phase 1").items[0].progression is not None


def test_a_progression_rule_per_exercise_and_its_reason(
    window: TherapistWindow, store: Store, wait_for_therapist_reads
) -> None:  # type: ignore[no-untyped-def]
    bob = store.patient("P-002")
    window.patients.select(bob.id)
    wait_for_therapist_reads(window)
    editor = window.panel.program
    row = editor.add_row("squat", 1, 10)
    assert editor.rows[row].progression_button.text() == "none"
    dialog = editor.edit_progression(row)
    assert dialog is not None and dialog.unit.count() == 1  # squats are not held: reps only
    dialog.enabled.setChecked(True)
    dialog.maximum.setValue(10)  # no room to grow
    dialog.save()
    assert "must be above" in dialog.error.text() and dialog.isVisible()
    dialog.maximum.setValue(16)
    assert dialog.words.text() == "+2 reps every week while pain stays under 4, up to 16 reps"
    assert dialog.since.date().toPython() == dt.date.today()
    dialog.since.setDate(dialog.since.date().addDays(-7))
    dialog.save()
    assert (
        editor.rows[row].progression is not None and editor.rows[row].progression_button.text() == "+2 / 1 wk, max 16"
    )
    editor.start.setDate(editor.start.date().addDays(-7))
    assert editor.save() is not None
    wait_for_therapist_reads(window)

    started = dt.datetime.combine(dt.date.today() - dt.timedelta(days=6), dt.time(10)).astimezone(dt.UTC)
    store.apply_ops(session_ops("P-002", SQUAT, started, 0.5, random.Random(2), sets=1, reps=10))
    editor.load(bob.id)
    wait_for_therapist_reads(window)
    assert editor.rows[0].reps.value() == 10  # the editor keeps the prescription as written
    assert "Squat: 12 reps: +2 since" in editor.progressions.text()  # and says where it stands today
    window.panel.today.load(bob.id)
    wait_for_therapist_reads(window)
    assert window.panel.today.rows()[0].startswith("Squat | 0 of 12 reps")  # what the patient is asked today

    window.patients.select(store.patient("P-001").id)  # a program that started a month ago
    wait_for_therapist_reads(window)
    lunge = editor.edit_progression(1)
    assert lunge is not None and lunge.since.date().toPython() == dt.date.today()  # not a month of steps at once
    lunge.reject()
    hold = editor.add_row("wall_sit", 1, 3)
    dialog = editor.edit_progression(hold)
    assert dialog is not None and dialog.unit.count() == 2
    dialog.enabled.setChecked(True)
    dialog.unit.setCurrentIndex(1)
    dialog.step.setValue(5)
    dialog.maximum.setValue(90)
    dialog.save()
    spec = editor.spec()
    assert spec.items[hold].progression is not None and spec.items[hold].progression.unit == "seconds"
    assert spec.items[hold].overrides["hold.seconds"] > 0  # the template's time, for the rule to grow from
    editor.rows[hold].exercise.setCurrentIndex(editor.rows[hold].exercise.findData("lunge"))
    assert editor.rows[hold].progression is None  # a rule made for another exercise does not follow


def test_the_pdf_shows_each_progression_and_where_it_stands(qapp, tmp_path: Path, store: Store) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    from rehab_coach.reports.pdf import write_pdf_report
    from rehab_coach.session.exports import collect

    started = dt.datetime.combine(dt.date.today() - dt.timedelta(days=27), dt.time(10)).astimezone(dt.UTC)
    store.apply_ops(session_ops("P-001", SQUAT, started, 0.5, random.Random(1), sets=3, reps=12))
    path = tmp_path / "ana.pdf"
    write_pdf_report(store, collect(store, "P-001"), path)
    text = " ".join(
        subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True).stdout.split()
    )
    assert "+2 reps every week while pain stays under 4, up to 16 reps" in text
    assert "Now: 14 reps: +2 since" in text  # one week done, the next ones not
    assert "3 x 12" in text  # the prescription as written stays beside it


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_prescribing_dialogs_speak_the_therapists_language_and_show_no_ids(  # type: ignore[no-untyped-def]
    qtbot, store: Store, language: str, wait_for_therapist_reads
) -> None:
    import re

    from zh_walk import english_left, readable_texts

    from rehab_coach.ui.strings import install

    install(language)
    save_protocol(store, "TKA", store.active_program(store.patient("P-001").id).as_spec())  # type: ignore[union-attr]
    started = dt.datetime.combine(dt.date.today() - dt.timedelta(days=20), dt.time(10)).astimezone(dt.UTC)
    store.apply_ops(session_ops("P-001", SQUAT, started, 0.5, random.Random(3), sets=3, reps=12))
    window = TherapistWindow(store, language=language)
    qtbot.addWidget(window)
    window.show()
    window.gate.pin.setText(PIN)
    window.gate.repeat.setText(PIN)
    window.gate.submit()
    wait_for_therapist_reads(window)
    window.patients.select(store.patient("P-001").id)
    wait_for_therapist_reads(window)
    editor = window.panel.program
    assert editor.progressions.text()  # where the squat's progression stands today
    hold = editor.add_row("wall_sit", 1, 3)
    progression = editor.edit_progression(hold)
    assert progression is not None
    progression.enabled.setChecked(True)
    progression.maximum.setValue(1)
    progression.save()  # its refusal, in words
    texts = list(readable_texts(editor)) + [editor.rows[0].progression_button.toolTip()]
    for dialog in (progression, editor.copy_from_patient(), editor.open_protocols(), editor.save_as_protocol()):
        if hasattr(dialog, "loaded"):
            texts += readable_texts(dialog)  # type: ignore[arg-type]  # "Loading…" too
            wait_for_therapist_reads(dialog)
        texts += readable_texts(dialog)  # type: ignore[arg-type]
        if dialog is not progression:
            dialog.reject()  # type: ignore[union-attr]
    clash = editor.save_as_protocol()
    assert clash is not None
    clash.name.setText("tka")
    clash.save()
    texts += readable_texts(clash)
    data = ["Ana García", "P-001", "TKA weeks 0-2", "TKA", "hold the rail", "tka"]
    assert [t for t in texts if re.search(r"\b[a-z]+(?:_[a-z0-9]+)+\b", t or "")] == []
    if language == "zh":
        assert english_left(texts, data) == []


def test_the_picker_and_the_kiosk_show_todays_reps(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    """Both read `today_plan`: the desktop picker's program row and the kiosk's exercise button."""
    from rehab_coach.engine.templates import load_library
    from rehab_coach.session.store import today_plan
    from rehab_coach.ui.kiosk.checkin import ProgramPage
    from rehab_coach.ui.pages.picker import describe_item

    ana = store.patient("P-001")
    started = dt.datetime.combine(dt.date.today() - dt.timedelta(days=27), dt.time(10)).astimezone(dt.UTC)
    store.apply_ops(session_ops("P-001", SQUAT, started, 0.5, random.Random(5), sets=3, reps=12))
    plan = today_plan(store, ana.id)
    library = load_library()
    assert "3 sets × 14" in describe_item(plan.items[0], library.templates["squat"], "en")
    page = ProgramPage(library)
    qtbot.addWidget(page)
    page.show_plan(plan)
    assert "3 sets × 14" in page.buttons[0].text() and "0 of 42 reps done today" in page.buttons[0].text()
