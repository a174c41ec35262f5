"""Screenshots of the patient- and therapist-facing screens, from synthetic streams (the motion
generator) and demonstration data: the framing check (a squat facing the camera, then side-on), the live screen at 1280x720 and 1920x1080, a hold, the
pain/effort check-in, the exercise card with its demonstration, the patient's progress, the
therapist's list with flags (and the therapist screens in Chinese), the kiosk in Chinese, "Still there?",
the Finish question and the notice of a computer too slow to count; the pain safety loop: the list
filtered to "Needs attention", the weekly summary, and the advice a patient gets after a risen pain
answer (SCREENS=safety: only those three; SCREENS=slow-computer: only the notice); the standard
clinical tests, each one's live screen and result page in English and Chinese, and the therapist's
Tests tab (SCREENS=clinical: only those).

    QT_QPA_PLATFORM=offscreen PYTHONPATH=app .venv/bin/python scripts/screenshots_coaching.py [OUT]
    (or under xvfb-run; default OUT: docs/screenshots)

Every session and database lives in a scratch folder; the app's real style is used.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "app"), str(ROOT / "synth")]
SCRATCH = Path(tempfile.mkdtemp(prefix="rehab-shots-"))
os.environ["REHAB_COACH_DATA_DIR"] = str(SCRATCH / "data")
os.environ["REHAB_COACH_CONFIG_DIR"] = str(SCRATCH / "config")
os.environ.pop("REHAB_COACH_DB_URL", None)

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QWidget

from rehab_coach.capture.sources import SourceSpec
from rehab_coach.session.store import ItemSpec, ProgramSpec, Store, open_store, weekdays_mask
from rehab_coach.session.store.demo import SQUAT, seed_demo, session_ops
from rehab_coach.ui.app import application
from rehab_coach.ui.main_window import MainWindow
from rehab_coach.ui.options import LaunchOptions
from rehab_synth import generate
from rehab_synth.clinical import chair_stands, single_leg_stance_both_legs, timed_up_and_go

if TYPE_CHECKING:
    from rehab_coach.ui.therapist.window import TherapistWindow


def pump(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_for(condition: Callable[[], bool], seconds: float = 30.0) -> None:
    for _ in range(int(seconds * 20)):
        if condition():
            return
        pump(50)
    raise TimeoutError("the screen never got there")


def read(window: TherapistWindow) -> None:
    """The therapist screens read on worker threads: wait for the list and the patient's tabs."""
    wait_for(lambda: window.patients.loaded and window.panel.loaded)


def save(widget: QWidget, out: Path, name: str) -> None:
    pump(300)
    widget.grab().save(str(out / name))
    print(f"wrote {out / name}")


def stream(exercise: str, reps: int, name: str, **options: object) -> Path:
    return generate(exercise, reps=reps, seed=4, noise="low", **options).write(SCRATCH / name)  # type: ignore[arg-type]


def desktop(source: Path, exercise: str, size: tuple[int, int], **options: object) -> MainWindow:
    window = MainWindow(
        LaunchOptions(source=SourceSpec("replay", source, speed=1.0), countdown=0, audio=False, **options)
    )  # type: ignore[arg-type]
    window.resize(*size)
    window.show()
    window.start_directly(exercise)
    return window


def live_screens(out: Path) -> None:
    squats = stream("squat", 6, "squat.jsonl", faults={3: ["trunk_lean"]})
    for size in ((1280, 720), (1920, 1080)):
        window = desktop(squats, "squat", size)
        wait_for(lambda: window.live.reps.count.text() == "2")
        pump(700)
        save(window, out, f"live-{size[0]}x{size[1]}.png")
        if size == (1280, 720):
            window.live.ask_finish()
            save(window, out, "finish-confirm.png")
            window.live.finish_prompt.dismiss()
            window.view_action.trigger()
            save(window, out, "live-therapist-view.png")
            window.view_action.trigger()
            wait_for(lambda: window.stack.currentWidget() is window.summary, 60)
            check_in = window.summary.check_in
            check_in.pain.choose(3)
            check_in.effort.choose(5)
            save(window, out, "pain-checkin.png")
        window.close()
    hold = stream("single_leg_stance", 1, "hold.jsonl")
    window = desktop(hold, "single_leg_stance", (1280, 720))
    wait_for(lambda: window.live.reps.ring.holding and window.live.reps.ring.seconds_left <= 12, 60)
    save(window, out, "hold.png")
    window.close()
    window = MainWindow(LaunchOptions(source=SourceSpec("replay", squats), countdown=0, audio=False))
    window.resize(1280, 720)
    window.show()
    window.choose("shoulder_abduction")
    pump(1200)
    save(window, out, "exercise-card.png")
    window.close()


def framing_screens(out: Path) -> None:
    """The framing check before a set: a squat (a side-view exercise) facing the camera, then side-on."""
    for view, name, ready in (("front", "framing-check.png", False), ("side", "framing-check-go.png", True)):
        clip = stream("squat", 3, f"framing-{view}.jsonl", view=view)
        window = desktop(clip, "squat", (1280, 720), framing_check=True)
        video = window.live.video
        wait_for(
            lambda: (
                video.guide is not None
                and video.guide.ready == ready
                and video.frames_painted > 20
                and (not ready or video.guide.progress >= 0.5)
            )
        )
        save(window, out, name)
        window.close()


def slow_computer_screen(out: Path) -> None:
    """The live screen's notice when too few frames reach the engine to count reliably: a synthetic
    squat stream recorded at 5 frames a second, replayed as a computer that slow would see it."""
    clip = generate("squat", reps=4, seed=4, noise="low", fps=5.0).write(SCRATCH / "slow.jsonl")
    window = desktop(clip, "squat", (1280, 720))
    notice = window.live.notice
    wait_for(lambda: notice.kind == "warning" and notice.isVisible() and window.live.reps.count.text() != "0", 60)
    save(window, out, "slow-computer-notice.png")
    window.close()


def seeded_store() -> Store:
    store = open_store(SCRATCH / "data" / "rehab-coach.db")
    demo = seed_demo(store, code="P-0042", name="María García", days=21)
    sessions = list(reversed(store.sessions_for(demo.id)))
    store.record_check_in(sessions[-2].id, 3, 4)
    store.record_check_in(sessions[-1].id, 8, 7)
    store.correct_count(sessions[-1].id, 15, "one rep was the patient adjusting the chair")
    bob = store.add_patient("P-0043", "Bob Jones")
    store.save_program(
        bob.id,
        ProgramSpec(
            [ItemSpec("heel_raise", 2, 10, notes="Hold the chair back")],
            weekdays_mask("mon,tue,wed,thu,fri,sat,sun"),
            start_date=dt.date.today() - dt.timedelta(days=6),
        ),
    )
    store.set_pin("246810")
    return store


def therapist_screens(out: Path, store: Store) -> None:
    from rehab_coach.ui.therapist.window import TherapistWindow

    window = TherapistWindow(store)
    window.resize(1400, 860)
    window.show()
    window.gate.pin.setText("246810")
    window.gate.submit()
    read(window)
    window.patients.select(store.patient("P-0042").id)
    read(window)
    save(window, out, "therapist-list-flags.png")
    window.panel.tabs.setCurrentWidget(window.panel.history)
    save(window, out, "therapist-sessions.png")
    window.panel.tabs.setCurrentWidget(window.panel.today)
    save(window, out, "patient-progress.png")
    window.close()


def therapist_zh_screen(out: Path, store: Store) -> None:
    """The therapist screens in Chinese (the kiosk's staff menu opens them in its language)."""
    from rehab_coach.ui.therapist.window import TherapistWindow

    window = TherapistWindow(store, language="zh")
    window.resize(1400, 860)
    window.show()
    window.unlock()
    read(window)
    window.patients.select(store.patient("P-0042").id)
    read(window)
    window.panel.tabs.setCurrentWidget(window.panel.history)
    save(window, out, "therapist-zh.png")
    window.close()


def add_waiting_flag(store: Store) -> None:
    """A second patient with an older pain flag nobody has reviewed, under the newest one."""
    chen = seed_demo(store, code="P-0044", name="Chen Wei", days=14, seed=3)
    sessions = list(reversed(store.sessions_for(chen.id)))
    store.record_check_in(sessions[3].id, 7, 6)


def safety_screens(out: Path, store: Store) -> None:
    """The therapist's list with "Needs attention" on, a patient's weekly summary, and the advice a
    patient reads after answering a pain 2 points above their previous answer."""
    from rehab_coach.ui.therapist.window import TherapistWindow

    add_waiting_flag(store)
    window = TherapistWindow(store)
    window.resize(1400, 860)
    window.show()
    window.unlock()
    read(window)
    window.patients.needs_attention.setChecked(True)
    window.patients.select(store.patient("P-0042").id)
    read(window)
    window.panel.tabs.setCurrentWidget(window.panel.history)
    save(window, out, "therapist-needs-attention.png")
    window.panel.tabs.setCurrentWidget(window.panel.weekly)
    save(window, out, "therapist-weekly.png")
    window.close()

    # A patient whose last answer was 3: today's 6 is a rise of 3.
    started = dt.datetime.combine(dt.date.today() - dt.timedelta(days=2), dt.time(10)).astimezone(dt.UTC)
    ops = session_ops("P-0045", SQUAT, started, 0.5, random.Random(5), sets=1, reps=6)
    store.add_patient("P-0045", "Ana Silva")
    store.apply_ops(ops)
    store.record_check_in(ops[0].session, 3, 4)
    window = desktop(stream("squat", 2, "advice.jsonl"), "squat", (1280, 720), patient="P-0045")
    wait_for(lambda: window.stack.currentWidget() is window.summary, 60)
    wait_for(lambda: window.summary.outcome is not None and window.summary.outcome.saved is not None)
    check_in = window.summary.check_in
    check_in.pain.choose(6)
    check_in.effort.choose(4)
    check_in.send_button.click()
    wait_for(lambda: check_in.advice.isVisible())
    save(window, out, "pain-advice.png")
    window.close()


def kiosk_screens(out: Path) -> None:
    from rehab_coach.ui.kiosk import KioskWindow

    window = KioskWindow(
        LaunchOptions(
            source=SourceSpec("replay", stream("squat", 2, "k.jsonl")),
            countdown=0,
            audio=False,
            kiosk=True,
            idle_timeout=2.0,
            still_there_seconds=20,
        )
    )
    window.present()
    window.resize(1280, 800)
    wait_for(lambda: bool(window.checkin.buttons))
    window.checkin.language_button.click()
    wait_for(lambda: bool(window.checkin.buttons))
    save(window, out, "kiosk-zh.png")
    window.checkin.buttons[0].click()
    wait_for(lambda: window.program.progress.progress is not None and bool(window.program.buttons))
    save(window, out, "kiosk-zh-progress.png")
    window.program.buttons[0].click()
    window.instructions.start_button.click()
    wait_for(lambda: window.controller.session.state == "running")
    window.live_page.pause_button.click()
    wait_for(lambda: window.still_there.showing, 10)
    pump(1500)
    save(window, out, "kiosk-zh-still-there.png")
    window.locked = False
    window.close()


# Each test: its synthetic clip, and when its live screen is worth a picture.
CLINICAL_SHOTS: dict[str, tuple[Callable[[], object], Callable[[MainWindow], bool]]] = {
    "five_times_sit_to_stand": (
        lambda: chair_stands(5, seed=1),
        lambda w: w.live.test_readout.line.text().endswith("3 of 5") or "3/5" in w.live.test_readout.line.text(),
    ),
    "chair_stand_30s": (
        lambda: chair_stands(14, seed=3, rise=0.9, sit=0.9, up_pause=0.2, seated_pause=0.45),
        lambda w: w.live.test_readout.number.text() == "6",
    ),
    "timed_up_and_go": (
        lambda: timed_up_and_go(seed=1),
        lambda w: float(w.live.test_readout.number.text().replace("–", "0") or 0) >= 6.0,
    ),
    "single_leg_stance_test": (
        lambda: single_leg_stance_both_legs((8.0, 6.0), seed=2),
        lambda w: float(w.live.test_readout.number.text().replace("–", "0") or 0) >= 4.0,
    ),
}


def clinical_screens(out: Path) -> None:
    """Each standard test's live screen and result page, in English and Chinese, for a patient whose
    age and sex are in the record (her result is read against the norms), and the Tests tab."""
    from rehab_coach.session.clinical.demo import seed_clinical_demo
    from rehab_coach.ui.therapist.window import TherapistWindow

    store = open_store(SCRATCH / "data" / "rehab-coach.db")
    if store.get_patient("P-0050") is None:
        store.add_patient("P-0050", "Li Na", birth_year=dt.date.today().year - 72, sex="female")
        seed_clinical_demo(store, "P-0050")
    store.close()
    for language in ("en", "zh"):  # the Tests tab first: the demonstration weeks only
        store = open_store(SCRATCH / "data" / "rehab-coach.db")
        therapist = TherapistWindow(store, language=language)
        therapist.resize(1400, 860)
        therapist.show()
        therapist.unlock()
        read(therapist)
        therapist.patients.select(store.patient("P-0050").id)
        read(therapist)
        therapist.panel.tabs.setCurrentWidget(therapist.panel.tests)
        therapist.panel.tests.select(0)
        save(therapist, out, f"therapist-tests-{language}.png")
        therapist.close()
        store.close()
    for language in ("en", "zh"):
        for test_id, (make_clip, live_moment) in CLINICAL_SHOTS.items():
            clip = make_clip()
            path = clip.write(SCRATCH / f"{test_id}.jsonl")  # type: ignore[attr-defined]
            window = MainWindow(
                LaunchOptions(
                    source=SourceSpec("replay", path, speed=2.0),
                    countdown=0,
                    audio=False,
                    language=language,
                    patient="P-0050",
                    therapist_view=True,
                )  # type: ignore[arg-type]
            )
            window.resize(1280, 720)
            window.show()
            window.start_test_directly(test_id)
            wait_for(lambda: live_moment(window), 90)
            save(window, out, f"clinical-{test_id}-{language}.png")
            result = window.test_result
            if test_id == "single_leg_stance_test":
                wait_for(lambda: window.stack.currentWidget() is result and result.next_button.isVisible(), 90)
                result.next_button.click()
            wait_for(lambda: window.stack.currentWidget() is result and result.done_button.isVisible(), 120)
            wait_for(lambda: bool(result.source.text()) and bool(result.saved_text.text()), 30)
            save(window, out, f"clinical-{test_id}-result-{language}.png")
            window.close()


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    application()
    only = os.environ.get("SCREENS")  # e.g. SCREENS=framing: only those
    if only == "framing":
        framing_screens(out)
        return 0
    if only == "safety":
        store = seeded_store()
        safety_screens(out, store)
        store.close()
        return 0
    if only == "slow-computer":
        slow_computer_screen(out)
        return 0
    if only == "clinical":
        clinical_screens(out)
        return 0
    if only == "therapist-zh":
        store = seeded_store()
        therapist_zh_screen(out, store)
        store.close()
        return 0
    framing_screens(out)
    live_screens(out)
    slow_computer_screen(out)
    store = seeded_store()
    therapist_screens(out, store)
    therapist_zh_screen(out, store)
    safety_screens(out, store)
    store.close()
    kiosk_screens(out)
    clinical_screens(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
