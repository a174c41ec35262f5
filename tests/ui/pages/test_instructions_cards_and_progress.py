"""Exercise cards (a looping demonstration made by the motion generator when the app is built, the therapist's notes,
framing words that fit the exercise, no camera placement on a kiosk) and the patient's own
progress (calendar against the prescription, streak, trends), offscreen."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from kiosk_fixtures import pump, seed_kiosk_db, tap
from PySide6.QtGui import QColor

from rehab_coach.capture.sources import SourceSpec
from rehab_coach.engine.demos import load_demo, read_demo, write_demo
from rehab_coach.engine.templates import load_template_by_id
from rehab_coach.errors import InputError
from rehab_coach.paths import user_demos_dir
from rehab_coach.session.store import ItemSpec, ProgramSpec, Store, open_store, patient_progress, weekdays_mask
from rehab_coach.session.store.demo import seed_demo
from rehab_coach.ui.app import build_window
from rehab_coach.ui.kiosk import KioskWindow
from rehab_coach.ui.options import LaunchOptions
from rehab_coach.ui.pages.instructions import InstructionsPage
from rehab_coach.ui.style import CANVAS
from rehab_synth.demos import make_demo
from rehab_synth.squat_stream import SquatPlan, write_squat_stream

MONDAY = dt.date(2026, 3, 16)


@pytest.fixture
def user_demos() -> Path:
    """The demonstrations the cards below show, made as the build makes them and put with the user's data:
    the tests must not depend on whether this checkout ran scripts/make_demos.py."""
    folder = user_demos_dir()
    for exercise_id in ("squat", "shoulder_abduction"):
        write_demo(make_demo(exercise_id), folder)
    return folder


def test_demonstrations_are_small_valid_and_read_back(tmp_path: Path) -> None:
    clip = make_demo("squat")
    assert clip.view == "side" and 20 <= len(clip.frames) <= 90 and all(len(f) == 17 for f in clip.frames)
    hip_y = [f[11][1] for f in clip.frames if f[11] is not None]
    assert max(hip_y) - min(hip_y) > 30  # the hips go down and up: a real squat, not a still pose
    path = write_demo(clip, tmp_path)
    assert path.stat().st_size < 20_000 and read_demo(path) == clip
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({**json.loads(path.read_text()), "fps": -1}))
    with pytest.raises(InputError, match=r"broken.json: fps: Input should be greater than 0"):
        read_demo(broken)


def test_load_demo_reads_the_first_folder_that_has_one_and_never_makes_one(tmp_path: Path) -> None:
    shipped, user = tmp_path / "shipped", tmp_path / "user"
    write_demo(make_demo("squat"), shipped)
    write_demo(make_demo("lunge"), user)
    (user / "squat.json").write_text("{not json", encoding="utf-8")  # a damaged copy after the shipped one
    assert load_demo("squat", shipped, user) == read_demo(shipped / "squat.json")
    assert load_demo("lunge", None, shipped, user) == read_demo(user / "lunge.json")
    (shipped / "squat.json").write_text("{not json", encoding="utf-8")
    assert load_demo("squat", shipped, user) is None  # both damaged: no card demo, no crash
    assert load_demo("shoulder_abduction", shipped, user) is None
    assert sorted(p.name for p in user.iterdir()) == ["lunge.json", "squat.json"]  # nothing was generated


def test_card_shows_a_looping_demo_notes_and_fitting_framing(qtbot, user_demos: Path) -> None:  # type: ignore[no-untyped-def]
    page = InstructionsPage()
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.show()
    page.show_template(load_template_by_id("shoulder_abduction"), "", notes="Only to shoulder height this week.")
    assert page.demo_card.isVisible() and page.demo.playing and page.demo.clip.exercise == "shoulder_abduction"
    start = page.demo.frame
    pump(400)
    assert page.demo.frame != start
    assert page.notes_card.isVisible() and page.notes.text() == "Only to shoulder height this week."
    assert "Upper body in frame" in page.camera.text() and "Whole body" not in page.camera.text()
    assert page.camera_card.isVisible()
    page.show_template(load_template_by_id("squat"), "", kiosk=True)
    assert "Whole body in frame" in page.camera.text()
    assert not page.camera_card.isVisible() and not page.notes_card.isVisible()  # a kiosk's camera is fixed
    image = page.demo.grab().toImage()
    colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 4) for y in range(0, image.height(), 4)}
    assert len(colours) > 3  # the stick figure is drawn, not an empty canvas


def test_the_demonstrations_head_is_inside_its_card(qtbot, user_demos: Path) -> None:  # type: ignore[no-untyped-def]
    # On the 1280x720 card a squat's head circle was cut off by the card's top edge.
    page = InstructionsPage()
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.show()
    page.show_template(load_template_by_id("squat"), "")
    demo = page.demo
    qtbot.waitUntil(lambda: demo.width() > 300)
    canvas = QColor(CANVAS)
    for frame in range(0, len(demo.points), 3):
        demo.frame = frame
        image = demo.grab().toImage()
        top = [image.pixelColor(x, 0) for x in range(image.width())]
        assert all(colour == canvas for colour in top), f"frame {frame}: the figure touches the top edge"


def test_card_of_an_exercise_without_a_demonstration_has_no_demo(qtbot, user_demos: Path) -> None:  # type: ignore[no-untyped-def]
    """A clinic's own template has no motion script, so no demonstration: the card still shows, without one."""
    own = load_template_by_id("squat").model_copy(update={"id": "clinic_chair_squat"})
    page = InstructionsPage()
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.show()
    page.show_template(own, "", notes="Use the blue chair.")
    assert page.demo.clip is None and not page.demo.playing and not page.demo_card.isVisible()
    assert page.notes_card.isVisible() and page.camera_card.isVisible()
    assert not (user_demos / "clinic_chair_squat.json").exists()


def test_progress_calendar_streak_and_trends(tmp_path: Path) -> None:
    store = open_store(tmp_path / "p.db")
    patient = seed_demo(store, days=14, today=MONDAY)  # Mon/Wed/Fri from 2 weeks before, one session missed
    progress = patient_progress(store, patient.id, today=MONDAY)
    states = {d.day: d.state for d in progress.days}
    assert len(progress.days) == 28 and progress.days[0].day.weekday() == 0
    assert states[MONDAY] == "today" and states[MONDAY + dt.timedelta(days=1)] == "future"
    assert states[MONDAY - dt.timedelta(days=1)] == "rest"  # Sunday
    assert {"done", "partial", "rest"} <= set(states.values())
    # Six past exercise days and today: one session missed and one stopped leave two days partly done.
    assert progress.exercise_days == 7 and progress.done_days == 4
    assert [d.state for d in progress.days if d.prescribed and d.day < MONDAY] == [
        "done",
        "done",
        "partial",
        "partial",
        "done",
        "done",
    ]
    assert progress.streak == 2  # Wednesday and Friday; today can still be done
    assert [t.exercise_id for t in progress.trends] == ["shoulder_abduction", "squat"]
    squat = progress.trends[1]
    assert squat.last_quality > squat.first_quality and squat.last_rom > squat.first_rom
    store.close()


def test_the_kiosk_shows_the_patient_their_progress(
    qtbot, user_data_dir: Path, tmp_path: Path, user_demos: Path
) -> None:  # type: ignore[no-untyped-def]
    seed_kiosk_db(user_data_dir / "rehab-coach.db")
    store = Store(user_data_dir / "rehab-coach.db")
    alice = store.patient("P-001")
    store.save_program(
        alice.id,
        ProgramSpec(
            [ItemSpec("squat", 1, 2, notes="Hold the chair if you need to")],
            weekdays_mask("mon,tue,wed,thu,fri,sat,sun"),
            start_date=dt.date.today() - dt.timedelta(days=10),
        ),
    )
    store.close()
    stream = write_squat_stream(tmp_path / "s.jsonl", SquatPlan(reps=1))
    window = KioskWindow(LaunchOptions(source=SourceSpec("replay", stream), countdown=0, audio=False, kiosk=True))
    window.present()
    try:
        qtbot.waitUntil(lambda: len(window.checkin.buttons) == 2, timeout=5000)
        tap(window.checkin.buttons[0])
        qtbot.waitUntil(
            lambda: window.program.progress.progress is not None and bool(window.program.buttons), timeout=5000
        )
        view = window.program.progress
        assert view.isVisible() and view.title.text() == "Your progress"
        marks = {d.state for d in view.progress.days}
        assert "missed" in marks and "today" in marks and len(view.cells) == 28
        assert "0 of 11 exercise days done" in view.streak.text() and "streak: 0" in view.streak.text()
        tap(window.program.buttons[0])
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.instructions, timeout=3000)
        cards = window.instructions
        assert cards.notes.text() == "Hold the chair if you need to" and cards.notes_card.isVisible()
        assert not cards.camera_card.isVisible() and cards.demo.playing
        tap(window.instructions.back_button)
        window.go_home()
        assert window.program.progress.progress is None  # nothing of the patient left
    finally:
        window.locked = False
        window.close()


def test_desktop_card_has_camera_placement(qtbot, tmp_path: Path, user_demos: Path) -> None:  # type: ignore[no-untyped-def]
    window = build_window(
        LaunchOptions(
            source=SourceSpec("replay", write_squat_stream(tmp_path / "s.jsonl", SquatPlan())), countdown=0, audio=False
        )
    )
    qtbot.addWidget(window)
    window.choose("squat")
    assert window.instructions.camera_card.isVisible() and window.instructions.demo.playing
