"""Saving screenshots of the live screen, the too-slow notice and the summary, or of the kiosk's
check-in, with Qt's own grab (docs, demos, bug reports). `scripts/screenshots_coaching.py` makes
the rest of docs/screenshots."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

from rehab_coach.session.live import events as ev
from rehab_coach.ui.main_window import MainWindow
from rehab_coach.ui.shown_frame import ShownFrame

log = logging.getLogger(__name__)

SLOW_NOTICE = "slow-computer-notice.png"  # the live screen's notice when too few frames reach the engine


class ScreenshotTaker(QObject):
    """live.png at session time `at` (or the last coached frame), summary.png, then quit; and
    slow-computer-notice.png the first time the session says the computer is too slow to count."""

    def __init__(self, window: MainWindow, folder: Path, at: float | None = None) -> None:
        super().__init__(window)
        self.window, self.folder, self.at = window, folder, at
        self.folder.mkdir(parents=True, exist_ok=True)
        self.live_saved = self.slow_saved = False
        window.controller.frameShown.connect(self._frame)
        window.controller.finished.connect(self._finished)
        window.controller.session.subscribe(self._event)

    def _event(self, event: ev.SessionEvent) -> None:
        if isinstance(event, ev.FrameRateLow) and not self.slow_saved:
            self.slow_saved = True
            QTimer.singleShot(150, lambda: self._save(SLOW_NOTICE))  # after the notice has been painted

    def _frame(self, shown: ShownFrame) -> None:
        if self.live_saved or self.at is None or shown.result.update is None or shown.result.t < self.at:
            return
        self.live_saved = True
        QTimer.singleShot(150, lambda: self._save("live.png"))  # after the frame has been painted

    def _finished(self) -> None:
        if not self.live_saved:
            self.live_saved = True
            self._save("live.png")  # the live page still shows the last frame
        QTimer.singleShot(300, self._summary)

    def _summary(self) -> None:
        self._save("summary.png")
        QApplication.quit()  # static: the running application

    def _save(self, name: str) -> None:
        path = self.folder / name
        if self.window.grab().save(str(path)):
            log.info("saved %s", path)
            print(f"screenshot: {path}")
        else:
            log.error("could not save %s", path)


class KioskScreenshot(QObject):
    """`--kiosk --screenshots DIR`: kiosk-checkin.png once today's list is on screen, then quit."""

    def __init__(self, window: QMainWindow, folder: Path) -> None:
        super().__init__(window)
        self.window, self.folder = window, folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self._timer = QTimer(self, interval=100)
        self._timer.timeout.connect(self._check)
        self._timer.start()

    def _check(self) -> None:
        window = self.window
        if window.results.pending or not (window.checkin.buttons or window.checkin.message.text()):  # type: ignore[attr-defined]
            return
        self._timer.stop()
        QTimer.singleShot(300, self._save)  # after the list has been painted

    def _save(self) -> None:
        path = self.folder / "kiosk-checkin.png"
        if self.window.grab().save(str(path)):
            print(f"screenshot: {path}")
        else:
            log.error("could not save %s", path)
        self.window.terminate()  # type: ignore[attr-defined]
