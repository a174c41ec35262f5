"""A Qt filter that feeds the kiosk visit's idle clock (`session.kiosk_visit.IdleClock`) every touch."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject

from rehab_coach.session.kiosk_visit import IdleClock

# Any of these from any widget means someone is at the screen.
INPUT_EVENTS = frozenset(
    {
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.KeyPress,
        QEvent.Type.Wheel,
    }
)


class InputWatch(QObject):
    """An application-wide event filter that pokes the clock on every touch, click or key.

    Installed only while no session runs: a Python filter sees every event of the app,
    and the live screen makes thousands a second. During a session, frames with a person
    in view and the on-screen buttons keep the kiosk awake instead.
    """

    def __init__(self, idle: IdleClock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.idle = idle
        self.armed = False

    def arm(self, on: bool) -> None:
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if app is None or on == self.armed:
            return
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
        self.armed = on

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS:
            self.idle.poke()
        return False
