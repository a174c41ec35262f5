"""After an exercise: how much it hurts (0-10 numeric rating scale) and how hard it was (Borg CR10).

Eleven large buttons per question, readable and tappable from a step away; either question
can be left out, and the whole check-in skipped.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from rehab_coach.ui.strings import QT_TR_NOOP, tr
from rehab_coach.ui.style import BLUE, GREEN, MUTED, ORANGE, VERMILLION

# The scales' verbal anchors, shown under their numbers.
PAIN_ANCHORS = {0: QT_TR_NOOP("no pain"), 5: QT_TR_NOOP("moderate"), 10: QT_TR_NOOP("worst imaginable")}
EFFORT_ANCHORS = {
    0: QT_TR_NOOP("nothing at all"),
    3: QT_TR_NOOP("moderate"),
    5: QT_TR_NOOP("hard"),
    10: QT_TR_NOOP("maximal"),
}


def _band(value: int) -> str:
    return "low" if value <= 3 else "mid" if value <= 6 else "high"


# One style sheet for the whole panel: a sheet per button is parsed per button, which costs the
# GUI thread a visible pause when the summary first shows.
PANEL_STYLE = f"""
QPushButton#scale_low, QPushButton#scale_mid, QPushButton#scale_high {{ font-size: 24pt; font-weight: 700; }}
QPushButton#scale_low {{ border-color: {GREEN}; }}
QPushButton#scale_mid {{ border-color: {ORANGE}; }}
QPushButton#scale_high {{ border-color: {VERMILLION}; }}
QPushButton#scale_low:checked, QPushButton#scale_mid:checked, QPushButton#scale_high:checked {{
    background: {BLUE}; border-color: {BLUE}; }}
QLabel#anchor {{ color: {MUTED}; font-size: 12pt; }}
QLabel#caption {{ font-size: 17pt; font-weight: 600; }}
QLabel#checkInTitle {{ font-size: 21pt; font-weight: 700; }}
QLabel#thanks {{ font-size: 20pt; }}
QLabel#painAdvice {{ font-size: 22pt; font-weight: 700; border: 3px solid {VERMILLION}; border-radius: 12px;
    padding: 10px 14px; }}
"""


class ScaleRow(QWidget):
    """One 0-10 question: a caption, eleven checkable buttons, and the anchors under them."""

    changed = Signal()

    def __init__(self, caption: str, anchors: dict[int, str], language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = QLabel(caption)
        self.caption.setObjectName("caption")
        self.group = QButtonGroup(self)
        self.buttons: list[QPushButton] = []
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        for value in range(11):
            button = QPushButton(str(value))
            button.setCheckable(True)
            button.setMinimumSize(60, 60)
            button.setObjectName(f"scale_{_band(value)}")
            self.group.addButton(button, value)
            grid.setColumnStretch(value, 1)
            self.buttons.append(button)
            grid.addWidget(button, 0, value)
            if value in anchors:
                anchor = QLabel(tr(anchors[value], language))
                anchor.setObjectName("anchor")
                anchor.setAlignment(Qt.AlignmentFlag.AlignCenter)
                anchor.setWordWrap(True)
                grid.addWidget(anchor, 1, value)
        self.group.idClicked.connect(lambda _value: self.changed.emit())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addLayout(grid)

    @property
    def value(self) -> int | None:
        checked = self.group.checkedId()
        return checked if checked >= 0 else None

    def choose(self, value: int) -> None:
        self.buttons[value].click()

    def clear(self) -> None:
        self.group.setExclusive(False)
        for button in self.buttons:
            button.setChecked(False)
        self.group.setExclusive(True)


class CheckInPanel(QFrame):
    answered = Signal(object, object)  # pain, effort (each int 0-10 or None: not answered)
    skipped = Signal()

    def __init__(self, language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self.setObjectName("card")
        self.setStyleSheet(PANEL_STYLE)
        self.title = QLabel(tr("How did that feel?", language))
        self.title.setObjectName("checkInTitle")
        self.pain = ScaleRow(tr("Pain right now (0 = none, 10 = worst imaginable)", language), PAIN_ANCHORS, language)
        self.effort = ScaleRow(
            tr("How hard was it? (Borg scale, 0 = nothing, 10 = maximal)", language), EFFORT_ANCHORS, language
        )
        self.send_button = QPushButton(tr("Save my answers", language))
        self.send_button.setObjectName("primary")
        self.skip_button = QPushButton(tr("Skip", language))
        for button in (self.send_button, self.skip_button):
            button.setMinimumHeight(64)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Return stays the window's "next exercise"
        self.thanks = QLabel()
        self.thanks.setObjectName("thanks")
        self.thanks.setWordWrap(True)
        # After a flagged pain answer: what to do, apart from the thanks so it cannot be missed.
        self.advice = QLabel()
        self.advice.setObjectName("painAdvice")
        self.advice.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.skip_button)
        buttons.addStretch(1)
        buttons.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 12, 20, 12)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addWidget(self.pain)
        layout.addWidget(self.effort)
        layout.addLayout(buttons)
        layout.addWidget(self.thanks)
        layout.addWidget(self.advice)
        self.pain.changed.connect(self._enable)
        self.effort.changed.connect(self._enable)
        self.send_button.clicked.connect(self._send)
        self.skip_button.clicked.connect(self._skip)
        self.reset()

    def reset(self) -> None:
        """A fresh question (a new session ended)."""
        self.pain.clear()
        self.effort.clear()
        for widget in (self.pain, self.effort, self.send_button, self.skip_button):
            widget.show()
        self.thanks.hide()
        self.advice.clear()
        self.advice.hide()
        self._enable()

    @property
    def asking(self) -> bool:
        return not self.send_button.isHidden()

    def show_result(self, text: str, advice: str = "") -> None:
        """What became of the answers; `advice`: what to do after a flagged pain answer (else empty)."""
        self.thanks.setText(text)
        self.advice.setText("⚠ " + advice if advice else "")
        self.advice.setVisible(bool(advice))

    def _enable(self) -> None:
        self.send_button.setEnabled(self.pain.value is not None or self.effort.value is not None)

    def _send(self) -> None:
        pain, effort = self.pain.value, self.effort.value
        self._done(tr("Thank you. Saving your answers…", self.language))
        self.answered.emit(pain, effort)

    def _skip(self) -> None:
        self._done(tr("Skipped. You can tell your therapist how it felt next time.", self.language))
        self.skipped.emit()

    def _done(self, text: str) -> None:
        for widget in (self.pain, self.effort, self.send_button, self.skip_button):
            widget.hide()
        self.thanks.setText(text)
        self.thanks.show()
