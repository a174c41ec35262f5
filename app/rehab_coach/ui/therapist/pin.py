"""The PIN gate in front of the therapist screens: set a PIN on first use, then unlock with it.
On a touch screen (the kiosk) a keypad types into the field being filled."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QGridLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from rehab_coach import i18n
from rehab_coach.session.security import PinError, check_pin_format
from rehab_coach.session.store import Store
from rehab_coach.ui.strings import tr


def _pin_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(12)
    field.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
    return field


class PinGate(QWidget):
    unlocked = Signal()

    def __init__(
        self, store: Store, parent: QWidget | None = None, *, touch: bool = False, language: str = "en"
    ) -> None:
        super().__init__(parent)
        self.store, self.language = store, language
        self.keys: dict[str, QPushButton] = {}
        self.title = QLabel()
        self.title.setObjectName("pinTitle")
        self.pin = _pin_field()
        self.repeat = _pin_field()
        self.repeat_label = QLabel(tr("Repeat the PIN", language))
        self.button = QPushButton()
        self.status = QLabel()
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("PIN", language), self.pin)
        form.addRow(self.repeat_label, self.repeat)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addLayout(form)
        if touch:
            layout.addLayout(self._keypad())
        layout.addWidget(self.button)
        layout.addWidget(self.status)
        layout.addStretch(2)
        self.button.clicked.connect(self.submit)
        self.pin.returnPressed.connect(self.submit)
        self.repeat.returnPressed.connect(self.submit)
        self.refresh()

    def _keypad(self) -> QGridLayout:
        pad = QGridLayout()
        pad.setSpacing(12)
        for i, key in enumerate(["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "OK"]):
            button = QPushButton(tr("OK", self.language) if key == "OK" else key)
            button.setObjectName("primary" if key == "OK" else "key")
            button.setMinimumSize(110, 80)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the PIN field keeps the focus
            button.clicked.connect(lambda _checked=False, k=key: self.press(k))
            pad.addWidget(button, i // 3, i % 3)
            self.keys[key] = button
        return pad

    def press(self, key: str) -> None:
        """A keypad key: into the repeat field once the PIN field is full or left, else the PIN field."""
        field = self.repeat if self.repeat.hasFocus() and self.repeat.isVisible() else self.pin
        if key == "OK":
            if field is self.pin and self.repeat.isVisible() and not self.repeat.text():
                self.repeat.setFocus()
            else:
                self.submit()
        elif key == "⌫":
            field.backspace()
        else:
            field.insert(key)

    @property
    def first_use(self) -> bool:
        return not self._has_pin

    def refresh(self) -> None:
        self._has_pin = self.store.has_pin()
        lang = self.language
        self.title.setText(
            tr("Therapist mode: enter your PIN", lang)
            if self._has_pin
            else tr("Set a therapist PIN (4-12 digits)", lang)
        )
        self.button.setText(tr("Unlock", lang) if self._has_pin else tr("Set PIN", lang))
        self.repeat.setVisible(not self._has_pin)
        self.repeat_label.setVisible(not self._has_pin)
        self.pin.clear()
        self.repeat.clear()
        self.pin.setFocus()

    def submit(self) -> None:
        if self._has_pin:
            self._unlock()
        else:
            self._set()

    def _set(self) -> None:
        pin = self.pin.text()
        try:
            check_pin_format(pin)
        except PinError as exc:
            self.status.setText(i18n.gettext(str(exc), self.language))  # the core's message, in its catalogue
            return
        if pin != self.repeat.text():
            self.status.setText(tr("The two PINs differ", self.language))
            return
        self.store.set_pin(pin)
        self.status.setText("")
        self.refresh()
        self.unlocked.emit()

    def _unlock(self) -> None:
        answer = self.store.check_pin(self.pin.text())
        self.pin.clear()
        if answer.ok:
            self.status.setText("")
            self.unlocked.emit()
        elif answer.locked_until is not None:
            until = answer.locked_until.astimezone()
            minutes = max(1, round((answer.locked_until - dt.datetime.now(dt.UTC)).total_seconds() / 60))
            self.status.setText(
                tr("Too many wrong PINs: locked until {0} (about {1} min)", self.language, f"{until:%H:%M}", minutes)
            )
        else:
            self.status.setText(
                tr("Wrong PIN; {0} attempt(s) left before a lockout", self.language, answer.attempts_left)
            )
