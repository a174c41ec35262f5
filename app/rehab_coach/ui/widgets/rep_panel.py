"""The big rep counter (for holds: a countdown ring), the set, and how the last rep went.

The counter takes whatever room the panel has and grows with the window: it is what the
patient reads from across the room."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from rehab_coach.engine.types import RepResult
from rehab_coach.session.live.sets import SetProgress
from rehab_coach.ui.id_words import PARTIAL_WORDS, word
from rehab_coach.ui.strings import tr
from rehab_coach.ui.style import COUNTER_MAX_PT, MUTED, quality_look
from rehab_coach.ui.widgets.fit_label import FitLabel
from rehab_coach.ui.widgets.hold_ring import HoldRing

GRADE_SYMBOL = {"good": "✓", "fair": "≈", "poor": "✗", "partial": "○"}


def _coloured(text: str, colour: str) -> str:
    # Rich text carries the colour: restyling a label re-polishes it, a cost paid on every frame.
    return f'<span style="color:{colour}">{escape(text)}</span>'


class RepPanel(QFrame):
    def __init__(self, language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self.setObjectName("card")
        self.title = QLabel(tr("Reps", language).upper())
        self.count = FitLabel("0", max_pt=COUNTER_MAX_PT)
        self.ring = HoldRing()
        self.ring.hide()
        self.hold_goal: float | None = None
        self.goal = QLabel("/ 0")
        self.set_label = QLabel()
        self.last = QLabel(" ")
        self.status = QLabel(" ")
        self.title.setStyleSheet(f"color: {MUTED}; font-size: 15pt; font-weight: 700; letter-spacing: 2px;")
        self.goal.setStyleSheet(f"color: {MUTED}; font-size: 24pt; font-weight: 600;")
        self.set_label.setStyleSheet("font-size: 22pt; font-weight: 600;")
        self.last.setStyleSheet("font-size: 20pt; font-weight: 700;")
        self.status.setStyleSheet("font-size: 18pt; font-weight: 600;")
        for label in (self.last, self.status):
            label.setTextFormat(Qt.TextFormat.RichText)
        # Room for two lines from the start: a label that grows when the first rep lands
        # re-lays out the whole screen in the middle of the session.
        for label, lines in ((self.last, 2), (self.status, 1)):
            label.setMinimumHeight(lines * label.fontMetrics().lineSpacing() + 8)
        layout = QVBoxLayout(self)
        layout.setSpacing(2)
        layout.addWidget(self.title, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.count, 1)
        layout.addWidget(self.ring, 1)
        layout.addWidget(self.goal, 0, Qt.AlignmentFlag.AlignCenter)
        for widget in (self.set_label, self.last, self.status):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            widget.setWordWrap(True)
            layout.addWidget(widget)

    def set_hold(self, goal: float | None) -> None:
        """A hold exercise (`goal` seconds): the ring replaces the counter; None: a rep exercise."""
        self.hold_goal = goal
        self.count.setVisible(goal is None)
        self.ring.setVisible(goal is not None)
        self.title.setText(tr("HOLD" if goal is not None else "Reps", self.language).upper())
        if goal is not None:
            self.ring.set_goal(goal)

    def show_hold(self, held: float | None) -> None:
        self.ring.show_hold(held)

    def reset(self) -> None:
        self.set_hold(None)
        self.count.setText("0")
        self.goal.setText("/ 0")
        self.set_label.setText("")
        self.last.setText(" ")
        self.status.setText(" ")

    def show_progress(self, progress: SetProgress) -> None:
        self.count.setText(str(progress.done_in_set))
        if self.hold_goal is not None:
            self.goal.setText(tr("{0} of {1} holds", self.language, progress.done_in_set, progress.reps))
        else:
            self.goal.setText(f"/ {progress.reps}")
        self.set_label.setText(tr("Set {0} of {1}", self.language, progress.set_index, progress.sets))
        self.show_last(progress.last)

    def show_last(self, rep: RepResult | None) -> None:
        if rep is None:
            self.last.setText(" ")
            return
        colour, grade = quality_look(rep.quality, rep.complete)
        words = tr(grade, self.language)
        value = f"{rep.quality:.0f}" if rep.complete else self._partial_reason(rep)
        self.last.setText(_coloured(tr("Last rep", self.language) + f": {value} {GRADE_SYMBOL[grade]} {words}", colour))

    def _partial_reason(self, rep: RepResult) -> str:
        # The reason in words ("smaller than the other reps"), never the id the engine keeps ("shallow").
        return f"({word(PARTIAL_WORDS, rep.partial_reason, self.language)})" if rep.partial_reason else ""

    def show_status(self, text: str, colour: str) -> None:
        self.status.setText(_coloured(text, colour))
