"""Rest between sets: a big countdown, what comes next, and a way to skip."""

from __future__ import annotations

import math
import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from rehab_coach.ui.strings import tr
from rehab_coach.ui.style import COUNTER_PT
from rehab_coach.ui.widgets.fit_label import FitLabel


class RestPage(QWidget):
    done = Signal()

    def __init__(self, language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self.title = QLabel(tr("Rest", language))
        self.title.setObjectName("title")
        self.clock = FitLabel("0:00", max_pt=COUNTER_PT * 1.5)
        self.next = QLabel()
        self.next.setStyleSheet("font-size: 24pt;")
        self.last_set = QLabel()
        self.last_set.setObjectName("muted")
        self.skip_button = QPushButton(tr("Skip rest (N)", language))
        self.skip_button.clicked.connect(self.finish)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 32)
        for widget in (self.title, self.clock, self.next, self.last_set):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(widget, 1 if widget is self.clock else 0)
        layout.addWidget(self.skip_button, 0, Qt.AlignmentFlag.AlignCenter)
        # The clock reads a monotonic deadline: a late timer tick never stretches the rest.
        self._timer = QTimer(self, interval=200)
        self._timer.timeout.connect(self._tick)
        self._deadline = 0.0

    def begin(self, seconds: float, next_set: int, sets: int, last_set_text: str) -> None:
        self._deadline = time.monotonic() + seconds
        self.next.setText(tr("Next: set {0} of {1}", self.language, next_set, sets))
        self.last_set.setText(last_set_text)
        self._timer.start()
        self._tick()

    def clear(self) -> None:
        self._timer.stop()
        self.clock.setText("0:00")
        self.next.setText("")
        self.last_set.setText("")

    @property
    def remaining(self) -> float:
        return max(0.0, self._deadline - time.monotonic())

    def _tick(self) -> None:
        left = math.ceil(self.remaining)
        self.clock.setText(f"{left // 60}:{left % 60:02d}")
        if self.remaining <= 0:
            self.finish()

    def finish(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self.done.emit()
