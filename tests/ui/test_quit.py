"""Quitting leaves nothing open (issue 19, defect 3): Quit (Ctrl+Q) and SIGTERM lock and close the
therapist screens, save the session in progress and end the event loop."""

from __future__ import annotations

import gc
import os
import signal
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from conftest import stored_sessions
from rehab_coach.capture.sources import SourceSpec
from rehab_coach.session.store import Store
from rehab_coach.ui.app import build_window, run
from rehab_coach.ui.main_window import MainWindow
from rehab_coach.ui.options import LaunchOptions
from rehab_coach.ui.therapist.window import TherapistWindow

PIN = "135790"
HANG_GUARD_MS = 60_000  # only against a hang: the test asserts what happened, not how fast


def _set_pin(data_dir: Path) -> None:
    store = Store(data_dir / "rehab-coach.db")  # the app's default database in the test's data folder
    try:
        store.set_pin(PIN)
    finally:
        store.close()


def _options(stream: Path) -> LaunchOptions:
    return LaunchOptions(source=SourceSpec("replay", stream, speed=3.0), exercise="squat", countdown=0, audio=False)


def _unlocked_therapist(window: MainWindow) -> TherapistWindow:
    therapist = window.open_therapist()
    therapist.gate.pin.setText(PIN)
    therapist.gate.submit()
    assert not therapist.is_locked
    return therapist


class _LockedWhenClosed(QObject):
    """Notes whether the therapist screens were locked when they were closed (the window may be
    deleted right after, so the test cannot ask it later)."""

    def __init__(self, therapist: TherapistWindow) -> None:
        super().__init__()
        self.therapist = therapist
        self.closed_locked: bool | None = None
        therapist.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close and self.closed_locked is None:
            self.closed_locked = self.therapist.is_locked
        return False


def test_quit_locks_and_closes_the_therapist_screens_and_saves_the_session(
    qtbot,
    squat_stream: Callable[..., Path],
    _private_data_dir: Path,  # type: ignore[no-untyped-def]
) -> None:
    _set_pin(_private_data_dir)
    window = build_window(_options(squat_stream(reps=6)))
    qtbot.addWidget(window)
    therapist = _unlocked_therapist(window)
    watch = _LockedWhenClosed(therapist)
    qtbot.waitUntil(lambda: window.live.reps.count.text() == "1", timeout=10000)  # a session in flight
    quit_action = next(a for a in window.actions() if a.shortcut() == QKeySequence("Ctrl+Q"))
    quit_action.trigger()
    assert watch.closed_locked is True
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == []
    sessions = stored_sessions(_private_data_dir)
    assert len(sessions) == 1 and sessions[0].session.status == "stopped" and len(sessions[0].reps) >= 1


def test_sigterm_locks_the_therapist_screens_saves_the_session_and_ends_the_event_loop(
    qtbot,
    squat_stream: Callable[..., Path],
    _private_data_dir: Path,  # type: ignore[no-untyped-def]
) -> None:
    """The app's own `run`: the real SIGTERM handler, the real event loop."""
    _set_pin(_private_data_dir)
    app = QApplication.instance()
    watches: list[_LockedWhenClosed] = []

    def once_a_rep_is_counted() -> None:
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
        if window.live.reps.count.text() in ("", "0"):
            QTimer.singleShot(50, once_a_rep_is_counted)
            return
        watches.append(_LockedWhenClosed(_unlocked_therapist(window)))
        os.kill(os.getpid(), signal.SIGTERM)

    previous = signal.getsignal(signal.SIGTERM)
    hang_guard = QTimer(singleShot=True, interval=HANG_GUARD_MS)
    hang_guard.timeout.connect(lambda: app.exit(3))  # type: ignore[union-attr]
    hang_guard.start()
    QTimer.singleShot(0, once_a_rep_is_counted)
    try:
        code = run(_options(squat_stream(reps=6)))
    finally:
        hang_guard.stop()
        signal.signal(signal.SIGTERM, previous)
        gc.unfreeze()
    assert code == 0  # the event loop ended by itself (3: it was still running)
    assert len(watches) == 1 and watches[0].closed_locked is True
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == []
    sessions = stored_sessions(_private_data_dir)
    assert len(sessions) == 1 and sessions[0].session.status == "stopped" and len(sessions[0].reps) >= 1
