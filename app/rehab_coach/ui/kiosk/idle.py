"""When has nobody used the kiosk for a while: a plain clock, and a Qt filter that feeds it touches."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QObject

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


@dataclass
class IdleClock:
    timeout: float
    clock: Callable[[], float] = time.monotonic
    last: float = field(default=0.0)

    def __post_init__(self) -> None:
        self.last = self.clock()

    def poke(self) -> None:
        self.last = self.clock()

    def quiet_for(self, since: float | None = None) -> float:
        """Seconds since the last poke (or since `since`, when that is later)."""
        latest = self.last if since is None else max(self.last, since)
        return self.clock() - latest

    def expired(self, since: float | None = None) -> bool:
        return self.quiet_for(since) > self.timeout


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
