"""The kiosk's choice of a standard clinical test: one large button each, and Back."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from rehab_coach.engine.clinical import CLINICAL_TESTS
from rehab_coach.i18n import _
from rehab_coach.ui.strings import tr


class TestChoicePage(QWidget):
    chosen = Signal(str)  # a test's id
    back = Signal()

    def __init__(self, language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self.title = QLabel(tr("Standard tests", language))
        self.title.setObjectName("title")
        note = QLabel(tr("Do a test only with your therapist or a helper beside you.", language))
        note.setWordWrap(True)
        note.setStyleSheet("font-size: 20pt;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 24)
        layout.setSpacing(18)
        layout.addWidget(self.title)
        layout.addWidget(note)
        self.buttons: list[QPushButton] = []
        for test_id, test in CLINICAL_TESTS.items():
            button = QPushButton(_(test.name, language))
            button.setObjectName("exercise")
            button.clicked.connect(lambda _checked=False, chosen=test_id: self.chosen.emit(chosen))
            layout.addWidget(button)
            self.buttons.append(button)
        layout.addStretch(1)
        self.back_button = QPushButton(tr("Back", language))
        self.back_button.clicked.connect(self.back)
        layout.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignLeft)
