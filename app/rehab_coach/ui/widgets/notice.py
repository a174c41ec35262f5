"""A bar above the video for source problems: what happened, and what the user can do."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from rehab_coach.ui.strings import tr
from rehab_coach.ui.style import ORANGE, SKY, VERMILLION

KIND_COLOURS = {"warning": ORANGE, "error": VERMILLION, "info": SKY}


class NoticeBar(QFrame):
    openVideo = Signal()
    retry = Signal()

    def __init__(self, parent: QWidget | None = None, language: str = "en") -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.open_button = QPushButton(tr("Open video…", language) + " (O)")
        self.retry_button = QPushButton(tr("Retry camera", language))
        self.open_button.clicked.connect(self.openVideo)
        self.retry_button.clicked.connect(self.retry)
        layout = QHBoxLayout(self)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.retry_button)
        layout.addWidget(self.open_button)
        self.kind = ""
        self.allow_open = True  # the kiosk offers no file dialog
        self.hide()

    def show_notice(self, text: str, kind: str = "warning", *, actions: bool = True, retry: bool = True) -> None:
        """`retry` offers "Retry camera": only where a camera is what failed (a broken file stays broken)."""
        self.kind = kind
        colour = KIND_COLOURS.get(kind, SKY)
        self.setStyleSheet(
            f"NoticeBar {{ border: 3px solid {colour}; border-radius: 12px; }}"
            f"QLabel {{ font-size: 18pt; font-weight: 600; }}"
        )
        symbol = {"warning": "⚠", "error": "✗", "info": "ℹ"}.get(kind, "")
        self.label.setText(f"{symbol} {text}")
        self.open_button.setVisible(actions and self.allow_open)
        self.retry_button.setVisible(actions and retry)
        self.show()

    def hide_notice(self) -> None:
        self.kind = ""
        self.hide()

    @property
    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""
