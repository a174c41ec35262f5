"""The one correction of the moment, large enough to read across the room."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from rehab_coach.engine.types import CueEvent
from rehab_coach.ui.style import CUE_COLOURS, CUE_PT, SURFACE

# The kind of a cue is said in words as well as colour.
KIND_WORDS = {"fault": "CORRECTION", "visibility": "CAMERA VIEW", "hold": "HOLD", "info": "TIP"}


class CueBanner(QFrame):
    def __init__(self, show_seconds: float = 4.0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind_label = QLabel()
        self.text_label = QLabel()
        self.text_label.setWordWrap(True)
        self.text_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.kind_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 10)
        layout.setSpacing(0)
        layout.addWidget(self.kind_label)
        layout.addWidget(self.text_label)
        self.setMinimumHeight(90)
        self._timer = QTimer(self, singleShot=True, interval=int(show_seconds * 1000))
        self._timer.timeout.connect(self.clear)
        self.cue: CueEvent | None = None
        self.history: list[CueEvent] = []
        self.clear()

    def show_cue(self, cue: CueEvent) -> None:
        self.cue = cue
        self.history.append(cue)
        colour = CUE_COLOURS.get(cue.kind, CUE_COLOURS["info"])
        self._paint(colour, "#111111", KIND_WORDS.get(cue.kind, ""), cue.text)
        self._timer.start()

    def show_text(self, text: str) -> None:
        """A neutral line (exercise name, 'get ready') when no cue is showing."""
        self.cue = None
        self._paint(SURFACE, "#f4f4f4", "", text)

    def clear(self) -> None:
        self.show_text(self.property("idle_text") or "")

    @property
    def text(self) -> str:
        return self.text_label.text()

    def _paint(self, background: str, foreground: str, kind: str, text: str) -> None:
        self.setStyleSheet(f"CueBanner {{ background: {background}; border-radius: 14px; }}"
                           f"QLabel {{ background: transparent; color: {foreground}; }}")
        self.kind_label.setStyleSheet(f"font-size: 14pt; font-weight: 700; letter-spacing: 2px; color: {foreground};")
        self.text_label.setStyleSheet(f"font-size: {CUE_PT}pt; font-weight: 700; color: {foreground};")
        self.kind_label.setText(kind)
        self.kind_label.setVisible(bool(kind))
        self.text_label.setText(text)
