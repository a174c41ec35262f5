"""The PIN gate in front of the therapist screens: set a PIN on first use, then unlock with it.
On a touch screen (the kiosk) a keypad types into the field being filled. The PIN is read, set and
checked on a worker thread; meanwhile the button is disabled and says so."""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QGridLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from rehab_coach import i18n
from rehab_coach.session.security import PinCheck, PinError, check_pin_format
from rehab_coach.session.store import Store
from rehab_coach.ui.background import NewestRead
from rehab_coach.ui.strings import tr

log = logging.getLogger(__name__)


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
        # has_pin, set_pin and check_pin (scrypt: slow on purpose) on a worker, never on the GUI thread
        self.checks = NewestRead(self, "pin")
        self._has_pin: bool | None = None  # None: not read yet, or the database did not answer
        self._submit_when_read = False
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
            if field is self.pin and self.first_use and not self.repeat.text():
                self.repeat.setFocus()
            else:
                self.submit()
        elif key == "⌫":
            field.backspace()
        else:
            field.insert(key)

    @property
    def first_use(self) -> bool:
        return self._has_pin is False

    @property
    def loaded(self) -> bool:
        """No read or check of the PIN is under way."""
        return not self.checks.loading

    def refresh(self) -> None:
        """Read whether a PIN is set (on the worker); until then the button waits."""
        self._has_pin = None
        self.pin.clear()
        self.repeat.clear()
        self.status.setText("")
        self.title.setText(tr("Loading…", self.language))
        self.repeat.setVisible(False)  # until it is known that no PIN is set yet
        self.repeat_label.setVisible(False)
        self._busy(tr("Checking…", self.language))
        store = self.store
        self.checks.read(store.has_pin, self._show_form, self._not_answered)

    def _show_form(self, has_pin: bool) -> None:
        self._has_pin = has_pin
        lang = self.language
        self.title.setText(
            tr("Therapist mode: enter your PIN", lang) if has_pin else tr("Set a therapist PIN (4-12 digits)", lang)
        )
        self.repeat.setVisible(not has_pin)
        self.repeat_label.setVisible(not has_pin)
        self._ready()
        self.pin.setFocus()
        if self._submit_when_read:
            self._submit_when_read = False
            self.submit()

    def _busy(self, text: str) -> None:
        self.button.setText(text)
        self.button.setEnabled(False)

    def _ready(self) -> None:
        lang = self.language
        if self._has_pin is None:  # the database did not answer: the button asks again
            self.button.setText(tr("Try again", lang))
        else:
            self.button.setText(tr("Unlock", lang) if self._has_pin else tr("Set PIN", lang))
        self.button.setEnabled(True)

    def _not_answered(self, error: BaseException) -> None:
        log.warning("the therapist PIN could not be read or checked: %s", error)
        self._submit_when_read = False
        self.status.setText(
            tr("The PIN cannot be checked now: the database does not answer. Try again in a minute.", self.language)
        )
        self._ready()

    def submit(self) -> None:
        if not self.loaded:
            # Typed before the gate knew whether a PIN is set: goes on once it does; while a
            # PIN is checked or saved, Enter and the keypad's OK do nothing.
            self._submit_when_read = self._has_pin is None
            return
        if self._has_pin is None:
            self.refresh()
        elif self._has_pin:
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
        self.status.setText("")
        self._busy(tr("Saving…", self.language))
        store = self.store
        self.checks.read(lambda: store.set_pin(pin), self._pin_set, self._not_answered)

    def _pin_set(self, _none: None) -> None:
        self._show_form(True)
        self.pin.clear()
        self.repeat.clear()
        self.unlocked.emit()

    def _unlock(self) -> None:
        pin = self.pin.text()
        self.pin.clear()
        self.status.setText("")
        self._busy(tr("Checking…", self.language))
        store = self.store
        self.checks.read(lambda: store.check_pin(pin), self._answer, self._not_answered)

    def _answer(self, answer: PinCheck) -> None:
        self._ready()
        if answer.ok:
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
