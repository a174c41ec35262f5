"""A question laid over a screen, with two large buttons and an optional countdown.

Used where an action must not happen by accident or without warning: ending a session
(Finish asks first) and the kiosk's idle timeout ("Still there?" counts down before the
session ends). It covers its parent so nothing behind it can be tapped meanwhile.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from rehab_coach.ui.style import BLUE, SURFACE, TITLE_PT


class PromptOverlay(QFrame):
    accepted = Signal()  # the primary button
    declined = Signal()  # the secondary button
    expired = Signal()  # the countdown ran out without an answer

    def __init__(self, parent: QWidget, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.setObjectName("prompt")
        self.setStyleSheet(
            f"QFrame#prompt {{ background: rgba(0, 0, 0, 190); }}"
            f"QFrame#promptCard {{ background: {SURFACE}; border: 3px solid {BLUE}; border-radius: 18px; }}"
        )
        self.clock = clock
        self.deadline: float | None = None
        self._template = ""
        card = QFrame()
        card.setObjectName("promptCard")
        card.setMaximumWidth(900)
        self.title = QLabel()
        self.title.setStyleSheet(f"font-size: {TITLE_PT + 6}pt; font-weight: 700;")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setStyleSheet("font-size: 22pt;")
        self.primary = QPushButton()
        self.primary.setObjectName("primary")
        self.secondary = QPushButton()
        for button in (self.primary, self.secondary):
            button.setMinimumHeight(96)
            button.setStyleSheet("font-size: 22pt; padding: 14px 32px;")
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.primary.clicked.connect(self._accept)
        self.secondary.clicked.connect(self._decline)
        buttons = QHBoxLayout()
        buttons.addWidget(self.secondary, 1)
        buttons.addWidget(self.primary, 1)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(36, 30, 36, 30)
        inner.setSpacing(24)
        inner.addWidget(self.title)
        inner.addWidget(self.message)
        inner.addLayout(buttons)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 4)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        self._timer = QTimer(self, interval=250)
        self._timer.timeout.connect(self._tick)
        parent.installEventFilter(self)
        self.hide()

    def ask(self, title: str, message: str, primary: str, secondary: str = "", *, seconds: float | None = None) -> None:
        """Show the question; `message` may hold `{seconds}`, filled with the seconds left."""
        self.title.setText(title)
        self._template = message
        self.primary.setText(primary)
        self.secondary.setText(secondary)
        self.secondary.setVisible(bool(secondary))
        self.deadline = self.clock() + seconds if seconds is not None else None
        self._show_message()
        parent = self.parentWidget()
        assert parent is not None  # made over its parent (__init__)
        self.setGeometry(parent.rect())
        self.show()
        self.raise_()
        self.primary.setFocus()
        if self.deadline is not None:
            self._timer.start()

    def set_message(self, message: str) -> None:
        """New words for the question on screen (what it asks about has moved on)."""
        self._template = message
        self._show_message()

    def dismiss(self) -> None:
        self._timer.stop()
        self.deadline = None
        self.hide()

    @property
    def showing(self) -> bool:
        return not self.isHidden()

    def seconds_left(self) -> int | None:
        if self.deadline is None:
            return None
        return max(0, math.ceil(self.deadline - self.clock()))

    def _show_message(self) -> None:
        left = self.seconds_left()
        self.message.setText(self._template.format(seconds=left) if left is not None else self._template)

    def _tick(self) -> None:
        self._show_message()
        if self.deadline is not None and self.clock() >= self.deadline:
            self.dismiss()
            self.expired.emit()

    def _accept(self) -> None:
        self.dismiss()
        self.accepted.emit()

    def _decline(self) -> None:
        self.dismiss()
        self.declined.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize and self.showing:
            assert isinstance(watched, QWidget)
            self.setGeometry(watched.rect())
        return False
