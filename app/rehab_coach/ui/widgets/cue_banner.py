"""The one correction of the moment, large enough to read across the room."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from rehab_coach.engine.types import CueEvent
from rehab_coach.ui.strings import QT_TR_NOOP, tr
from rehab_coach.ui.style import CUE_COLOURS, CUE_PT, SURFACE, TEXT

# The kind of a cue is said in words as well as colour.
KIND_WORDS = {
    "fault": QT_TR_NOOP("CORRECTION"),
    "visibility": QT_TR_NOOP("CAMERA VIEW"),
    "hold": QT_TR_NOOP("HOLD"),
    "info": QT_TR_NOOP("TIP"),
}
ON_COLOUR = "#111111"  # dark text on the bright cue colours


def _coloured(text: str, colour: str) -> str:
    # Rich text carries the colour: restyling the labels would re-polish them mid-session.
    return f'<span style="color:{colour}">{escape(text)}</span>'


class CueBanner(QFrame):
    def __init__(self, show_seconds: float = 4.0, language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self.kind_label = QLabel()
        self.text_label = QLabel()
        self.text_label.setWordWrap(True)
        for label in (self.kind_label, self.text_label):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setTextFormat(Qt.TextFormat.RichText)
        self.kind_label.setStyleSheet("font-size: 14pt; font-weight: 700; letter-spacing: 2px;")
        self.text_label.setStyleSheet(f"font-size: {CUE_PT}pt; font-weight: 700;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 10)
        layout.setSpacing(0)
        layout.addWidget(self.kind_label)
        layout.addWidget(self.text_label)
        self.setMinimumHeight(90)
        self._timer = QTimer(self, singleShot=True, interval=int(show_seconds * 1000))
        self._timer.timeout.connect(self.clear)
        self.background = SURFACE
        self.cue: CueEvent | None = None
        self.history: list[CueEvent] = []
        self.text = ""
        self.clear()

    def show_cue(self, cue: CueEvent) -> None:
        self.cue = cue
        self.history.append(cue)
        self._show(
            CUE_COLOURS.get(cue.kind, CUE_COLOURS["info"]),
            ON_COLOUR,
            tr(KIND_WORDS.get(cue.kind, ""), self.language),
            cue.text,
        )
        self._timer.start()

    def show_text(self, text: str) -> None:
        """A neutral line (exercise name, 'get ready') when no cue is showing."""
        self.cue = None
        self._show(SURFACE, TEXT, "", text)

    def clear(self) -> None:
        self.show_text(self.property("idle_text") or "")

    def _show(self, background: str, foreground: str, kind: str, text: str) -> None:
        self.background, self.text = background, text
        self.kind_label.setText(_coloured(kind, foreground))
        self.kind_label.setVisible(bool(kind))
        self.text_label.setText(_coloured(text, foreground))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(self.background))
        painter.drawRoundedRect(QRectF(self.rect()), 14, 14)
        painter.end()
