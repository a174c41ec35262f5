"""The therapist's way out: a touch PIN pad, then a short staff menu."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from rehab_coach.session.security import PinCheck
from rehab_coach.ui.strings import tr

MAX_DIGITS = 12


class PinPage(QWidget):
    submitted = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None, language: str = "en") -> None:
        super().__init__(parent)
        self.language = language
        self.pin = ""
        self.title = QLabel(tr("Staff only: enter the therapist PIN", language))
        self.title.setObjectName("title")
        self.dots = QLabel()
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dots.setStyleSheet("font-size: 40pt; letter-spacing: 12px;")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        pad = QGridLayout()
        pad.setSpacing(14)
        self.keys: dict[str, QPushButton] = {}
        for i, key in enumerate(["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "OK"]):
            button = QPushButton(tr("OK", language) if key == "OK" else key)
            button.setObjectName("primary" if key == "OK" else "key")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # touch only: no focus frame, no Space on it
            button.clicked.connect(lambda _checked=False, k=key: self.press(k))
            pad.addWidget(button, i // 3, i % 3)
            self.keys[key] = button
        self.cancel_button = QPushButton(tr("Cancel", language))
        self.cancel_button.clicked.connect(self.cancel)
        centre = QVBoxLayout()
        centre.addWidget(self.title, 0, Qt.AlignmentFlag.AlignCenter)
        centre.addWidget(self.dots)
        centre.addLayout(pad)
        centre.addWidget(self.status)
        centre.addWidget(self.cancel_button)
        row = QHBoxLayout(self)
        row.addStretch(1)
        row.addLayout(centre, 2)
        row.addStretch(1)
        self.clear()

    def press(self, key: str) -> None:
        if key == "⌫":
            self.pin = self.pin[:-1]
        elif key == "OK":
            if self.pin:
                pin, self.pin = self.pin, ""
                self.set_busy(True)
                self.submitted.emit(pin)
        elif len(self.pin) < MAX_DIGITS:
            self.pin += key
        self._show_dots()

    def _show_dots(self) -> None:
        self.dots.setText("●" * len(self.pin) or " ")

    def set_busy(self, busy: bool) -> None:
        for button in self.keys.values():
            button.setEnabled(not busy)
        if busy:
            self.status.setText(tr("Checking…", self.language))

    def show_answer(self, answer: PinCheck) -> None:
        self.set_busy(False)
        self._show_dots()
        if answer.locked_until is not None:
            until = answer.locked_until.astimezone()
            self.status.setText(tr("Too many wrong PINs: locked until {0}", self.language, f"{until:%H:%M}"))
        elif answer.no_pin_set:
            self.status.setText(tr("No therapist PIN is set: run `rehab-coach patients set-pin`", self.language))
        elif not answer.ok:
            self.status.setText(
                tr("Wrong PIN; {0} attempt(s) left before a lockout", self.language, answer.attempts_left)
            )

    def show_error(self, text: str) -> None:
        self.set_busy(False)
        self.status.setText(text)

    def cancel(self) -> None:
        self.clear()
        self.cancelled.emit()

    def clear(self) -> None:
        self.pin = ""
        self._show_dots()
        self.status.setText("")
        self.set_busy(False)


class StaffMenu(QWidget):
    """What the PIN opens: the therapist screens, back to check-in, or quitting the kiosk."""

    therapist = Signal()
    back = Signal()
    quit = Signal()

    def __init__(self, parent: QWidget | None = None, language: str = "en") -> None:
        super().__init__(parent)
        title = QLabel(tr("Staff", language))
        title.setObjectName("title")
        self.therapist_button = QPushButton(tr("Therapist screens (patients, programs, sessions)", language))
        self.therapist_button.setObjectName("primary")
        self.back_button = QPushButton(tr("Back to check-in", language))
        self.quit_button = QPushButton(tr("Quit the kiosk", language))
        self.therapist_button.clicked.connect(self.therapist)
        self.back_button.clicked.connect(self.back)
        self.quit_button.clicked.connect(self.quit)
        # What Quit really does (docs/kiosk.md): the app ends with status 0, which the systemd unit
        # does not restart (RestartPreventExitStatus=0), so the kiosk stays closed for maintenance.
        self.note = note = QLabel(
            tr(
                "After Quit the kiosk stays closed until it is started again: "
                "at the next login, or when its service is started.",
                language,
            )
        )
        note.setObjectName("muted")
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(160, 48, 160, 48)
        layout.setSpacing(24)
        layout.addWidget(title)
        for widget in (self.therapist_button, self.back_button, self.quit_button, note):
            layout.addWidget(widget)
        layout.addStretch(1)
