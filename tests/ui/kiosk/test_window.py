"""Kiosk mode, offscreen smoke tests: no way out without the PIN, idle back to check-in with nothing
of the patient left, and a whole visit by touch events alone. The visit's steps and timeouts
themselves are tested headless on a simulated clock: tests/session/test_kiosk_visit.py."""

from __future__ import annotations

from pathlib import Path

from kiosk_fixtures import PIN, tap
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel

from rehab_coach.keypoints.stream import StreamHeader, write_stream
from rehab_coach.keypoints.types import PoseFrame
from rehab_coach.ui.kiosk import KioskWindow
from rehab_coach.ui.kiosk.pinpad import StaffMenu
from rehab_synth.squat_stream import HEIGHT, WIDTH, SquatPlan, squat_frames
from saved_sessions import stored_sessions

ALICE = ("Alice", "P-001")


def check_in_and_start(qtbot, window: KioskWindow, patient: int = 0) -> None:  # type: ignore[no-untyped-def]
    tap(window.checkin.buttons[patient])
    qtbot.waitUntil(
        lambda: window.stack.currentWidget() is window.program and bool(window.program.buttons), timeout=5000
    )
    tap(window.program.buttons[0])
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.instructions, timeout=3000)
    tap(window.instructions.start_button)
    qtbot.waitUntil(lambda: window.controller.session.state == "running", timeout=3000)


def patient_traces(window: KioskWindow, words: tuple[str, ...]) -> list[str]:
    """Texts anywhere in the kiosk (every page, shown or not) that name the patient, except
    today's list on the check-in page, where every expected patient is listed."""
    found = []
    for widget in window.findChildren(QLabel) + window.findChildren(QAbstractButton):
        if window.checkin.isAncestorOf(widget):
            continue
        if any(word in widget.text() for word in words):
            found.append(widget.text())
    return found


def assert_nothing_left(window: KioskWindow) -> None:
    assert window.stack.currentWidget() is window.checkin
    assert patient_traces(window, ALICE) == []
    live = window.live
    assert live.video.frame is None and live.angle_plot.visible_samples == 0 and live.quality.reps == []
    assert live.banner.history == [] and live.reps.count.text() == "0"
    assert [v.text() for v in window.summary.values.values()] == ["–"] * 4 and window.summary.outcome is None
    assert window.program.buttons == [] and window.rest.last_set.text() == ""
    assert window.entry is None and window.template is None


def squat_stream(tmp_path: Path, reps: int, then_empty: float = 0.0) -> Path:
    """Squats, then `then_empty` seconds of nobody in view."""
    frames = squat_frames(SquatPlan(reps=reps, lead_in=0.5, pause=0.5))
    t0 = frames[-1].t
    frames += [
        PoseFrame(t=round(t0 + (i + 1) / 30, 4), people=[], width=WIDTH, height=HEIGHT)
        for i in range(int(then_empty * 30))
    ]
    path = tmp_path / "kiosk.jsonl"
    write_stream(path, StreamHeader(WIDTH, HEIGHT, 30.0), frames)
    return path


def test_a_visit_by_touch_alone_check_in_to_summary_to_check_in(  # type: ignore[no-untyped-def]
    qtbot, kiosk, kiosk_items: dict[str, int], tmp_path: Path, user_data_dir: Path
) -> None:
    window = kiosk(squat_stream(tmp_path, reps=3))
    assert window.isFullScreen() and window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert window.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert [b.text().split("\n")[:2] for b in window.checkin.buttons] == [["Alice S.", "P-001"], ["Bob J.", "P-002"]]

    check_in_and_start(qtbot, window)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.summary, timeout=15000)
    qtbot.waitUntil(lambda: "Saved to the database" in window.summary.details.text(), timeout=5000)
    assert (window.summary.values["reps"].text(), window.summary.values["sets"].text()) == ("2", "1/1")

    tap(window.summary.quit_button)  # "Done"
    assert_nothing_left(window)
    [detail] = stored_sessions(user_data_dir)
    session = detail.session
    assert (session.patient_code, session.program_item_id, session.status) == (
        "P-001",
        kiosk_items["P-001"],
        "completed",
    )
    assert session.overrides == {"dosage.sets": 1, "dosage.reps": 2, "dosage.rest_seconds": 1}
    assert sum(r.complete for r in detail.reps) == 2
    # Today's list knows she is done; the next patient starts from a clean screen.
    qtbot.waitUntil(lambda: "✓ done today" in window.checkin.buttons[0].text(), timeout=5000)
    tap(window.checkin.buttons[1])
    qtbot.waitUntil(lambda: bool(window.program.buttons), timeout=5000)
    assert window.program.title.text() == "Hello, Bob J." and "0 of 2 reps" in window.program.buttons[0].text()


def test_nobody_in_view_ends_the_session_saves_it_and_clears_the_patient(  # type: ignore[no-untyped-def]
    qtbot, kiosk, tmp_path: Path, user_data_dir: Path
) -> None:
    window = kiosk(squat_stream(tmp_path, reps=1, then_empty=30.0), idle_timeout=1.5, still_there_seconds=1.5)
    check_in_and_start(qtbot, window)
    qtbot.waitUntil(lambda: int(window.live.reps.count.text() or 0) >= 1, timeout=8000)
    assert window.live.video.frame is not None
    # The patient walks away: the session pauses itself, 1.5 s later "Still there?" counts
    # down, and only when nobody answers is the kiosk back at check-in.
    qtbot.waitUntil(lambda: window.still_there.showing, timeout=8000)
    assert window.controller.session.state == "away" and window.stack.currentWidget() is window.live_page
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.checkin, timeout=8000)
    assert_nothing_left(window)
    window.store.wait_idle(5)
    [detail] = stored_sessions(user_data_dir)
    assert (detail.session.patient_code, detail.session.status) == ("P-001", "stopped")
    assert [r.complete for r in detail.reps] == [True]


def enter_pin(qtbot, window: KioskWindow, pin: str) -> None:  # type: ignore[no-untyped-def]
    for digit in pin:
        tap(window.pin.keys[digit])
    tap(window.pin.keys["OK"])
    qtbot.waitUntil(lambda: window.pin.keys["OK"].isEnabled(), timeout=5000)  # the store thread answered


def test_the_kiosk_cannot_be_left_without_the_pin(qtbot, kiosk, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = kiosk(squat_stream(tmp_path, reps=3))
    window.close()  # the window manager's close button, Alt+F4 under a window manager
    assert window.isVisible() and window.stack.currentWidget() is window.pin
    tap(window.pin.cancel_button)
    assert window.stack.currentWidget() is window.checkin
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert window.isVisible() and window.stack.currentWidget() is window.checkin
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.pin
    window.showNormal()  # a window-manager key leaving full screen is undone
    qtbot.waitUntil(window.isFullScreen, timeout=2000)

    enter_pin(qtbot, window, "0000")
    assert window.stack.currentWidget() is window.pin and "Wrong PIN; 4 attempt(s) left" in window.pin.status.text()
    window.close()
    assert window.isVisible()

    enter_pin(qtbot, window, PIN)
    assert window.stack.currentWidget() is window.menu
    tap(window.menu.back_button)  # back to check-in: locked again
    assert window.stack.currentWidget() is window.checkin
    window.close()
    assert window.isVisible() and window.stack.currentWidget() is window.pin

    # Mid-session a close request does nothing at all (the way out is Finish, then the PIN).
    tap(window.pin.cancel_button)
    check_in_and_start(qtbot, window)
    window.close()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.isVisible() and window.stack.currentWidget() is window.live_page
    tap(window.live_page.finish_button)
    tap(window.live.finish_prompt.primary)  # Finish asks first
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.summary, timeout=5000)
    tap(window.summary.quit_button)

    tap(window.checkin.staff_button)
    enter_pin(qtbot, window, PIN)
    with qtbot.waitSignal(window.quitRequested, timeout=5000):
        tap(window.menu.quit_button)
    assert not window.isVisible()


def test_staff_open_the_therapist_screens_and_the_kiosk_comes_back(qtbot, kiosk, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = kiosk(squat_stream(tmp_path, reps=1))
    tap(window.checkin.staff_button)
    enter_pin(qtbot, window, PIN)
    tap(window.menu.therapist_button)
    therapist = window.therapist_window
    assert therapist is not None and therapist.isVisible() and not therapist.is_locked  # type: ignore[attr-defined]
    assert not window.isVisible()
    assert "P-001" in therapist.patients.codes()  # type: ignore[attr-defined]
    therapist.close()
    qtbot.waitUntil(lambda: window.isVisible() and window.therapist_window is None, timeout=3000)
    assert window.isFullScreen() and window.stack.currentWidget() is window.checkin


def test_the_therapist_screens_lead_back_to_check_in_without_a_window_manager(qtbot, kiosk, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Issue 19, defect 4: the staff's therapist screens had no close or back button and ignored
    Esc, so without a window manager the kiosk stayed hidden until the 5-minute timeout."""
    window = kiosk(squat_stream(tmp_path, reps=1))
    for leave in ("button", "Esc", "button after Lock"):
        tap(window.checkin.staff_button)
        enter_pin(qtbot, window, PIN)
        tap(window.menu.therapist_button)
        therapist = window.therapist_window
        assert therapist is not None and not window.isVisible()
        back = therapist.back_button
        assert back is not None and back.isVisible() and back.text() == "Back to check-in"
        if leave == "Esc":
            therapist.activateWindow()
            qtbot.waitUntil(therapist.isActiveWindow, timeout=3000)
            qtbot.keyClick(therapist.patients.search, Qt.Key.Key_Escape)  # wherever the focus is
        else:
            if leave == "button after Lock":
                tap(therapist.lock_button)
                assert therapist.is_locked and back.isVisible()
            tap(back)
        qtbot.waitUntil(lambda: window.isVisible() and window.therapist_window is None, timeout=3000)
        assert window.stack.currentWidget() is window.checkin


def test_the_staff_menu_says_what_quit_really_does(qtbot) -> None:  # type: ignore[no-untyped-def]
    # The note said the kiosk "starts again a few seconds after quitting". Quit ends the app with
    # status 0 (the window's quitRequested -> QApplication.quit), and the systemd unit does not
    # restart after status 0, as docs/kiosk.md says: the note must say it stays closed.
    unit = (Path(__file__).resolve().parents[3] / "packaging" / "linux" / "rehab-coach-kiosk.service").read_text()
    settings = dict(line.split("=", 1) for line in unit.splitlines() if "=" in line and not line.startswith("#"))
    assert settings["Restart"] == "always" and settings["RestartPreventExitStatus"].split() == ["0"]
    notes = {}
    for language in ("en", "zh"):
        menu = StaffMenu(language=language)
        qtbot.addWidget(menu)
        notes[language] = menu.note.text()
    assert "stays closed" in notes["en"] and "next login" in notes["en"] and "starts again" not in notes["en"]
    assert "保持关闭" in notes["zh"]
