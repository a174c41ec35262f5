"""The therapist PIN gate: whether a PIN is set, setting it and checking it (scrypt, slow on purpose)
run on a worker thread; meanwhile the button waits and says so, and a database that does not answer
says so instead of freezing or crashing the window."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from rehab_coach.session.store import Store, StoreError
from rehab_coach.ui.therapist.pin import PinGate

PIN = "246810"
NO_ANSWER = "The PIN cannot be checked now: the database does not answer. Try again in a minute."


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "pin.db")
    yield opened
    opened.close()


def gate_on(qtbot, store: Store) -> tuple[PinGate, list[bool]]:  # type: ignore[no-untyped-def]
    gate = PinGate(store)
    qtbot.addWidget(gate)
    gate.show()
    opened: list[bool] = []
    gate.unlocked.connect(lambda: opened.append(True))
    return gate, opened


def test_a_pin_is_set_then_checked_on_a_worker_thread(  # type: ignore[no-untyped-def]
    qtbot, store: Store, wait_for_therapist_reads, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[str] = []
    for name in ("has_pin", "set_pin", "check_pin"):
        real = getattr(store, name)

        def on_thread(*args: object, _real=real, _name=name) -> object:  # type: ignore[no-untyped-def]
            threads.append(f"{_name} on {'GUI' if threading.current_thread() is threading.main_thread() else 'worker'}")
            return _real(*args)

        monkeypatch.setattr(store, name, on_thread)
    gate, opened = gate_on(qtbot, store)
    assert gate.title.text() == "Loading…" and not gate.button.isEnabled() and gate.button.text() == "Checking…"
    wait_for_therapist_reads(gate)
    assert gate.first_use and gate.button.isEnabled() and gate.button.text() == "Set PIN"
    gate.pin.setText(PIN)
    gate.repeat.setText(PIN)
    gate.submit()
    assert not gate.button.isEnabled() and gate.button.text() == "Saving…"
    wait_for_therapist_reads(gate)
    assert opened == [True] and not gate.first_use and gate.button.text() == "Unlock"
    gate.pin.setText("000000")
    gate.submit()
    assert not gate.button.isEnabled() and gate.button.text() == "Checking…" and gate.pin.text() == ""
    gate.pin.setText(PIN)
    gate.submit()  # Enter again while the first PIN is checked: nothing more is checked
    wait_for_therapist_reads(gate)
    assert opened == [True] and "4 attempt(s) left" in gate.status.text() and gate.button.isEnabled()
    gate.pin.setText(PIN)
    gate.submit()
    wait_for_therapist_reads(gate)
    assert opened == [True, True] and gate.status.text() == ""
    assert threads == ["has_pin on worker", "set_pin on worker", "check_pin on worker", "check_pin on worker"]


def test_a_pin_typed_before_the_gate_knows_goes_on_once_it_does(qtbot, store: Store, wait_for_therapist_reads) -> None:  # type: ignore[no-untyped-def]
    store.set_pin(PIN)
    gate, opened = gate_on(qtbot, store)
    gate.pin.setText(PIN)
    gate.submit()  # Enter before the answer to whether a PIN is set
    wait_for_therapist_reads(gate)
    assert opened == [True]


def test_a_database_that_does_not_answer_says_so_and_can_be_asked_again(  # type: ignore[no-untyped-def]
    qtbot, store: Store, wait_for_therapist_reads, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.set_pin(PIN)

    def unreachable(*_args: object) -> bool:
        raise StoreError("the database does not answer")

    monkeypatch.setattr(store, "has_pin", unreachable)
    gate, opened = gate_on(qtbot, store)
    wait_for_therapist_reads(gate)
    assert gate.status.text() == NO_ANSWER and gate.button.isEnabled() and gate.button.text() == "Try again"
    monkeypatch.undo()
    gate.button.click()
    wait_for_therapist_reads(gate)
    assert gate.button.text() == "Unlock" and gate.status.text() == ""

    monkeypatch.setattr(store, "check_pin", unreachable)
    gate.pin.setText(PIN)
    gate.submit()
    wait_for_therapist_reads(gate)
    assert opened == [] and gate.status.text() == NO_ANSWER
    assert gate.button.isEnabled() and gate.button.text() == "Unlock"


def test_the_touch_keypad_waits_for_the_gate_too(qtbot, store: Store, wait_for_therapist_reads) -> None:  # type: ignore[no-untyped-def]
    store.set_pin(PIN)
    parent = QWidget()
    qtbot.addWidget(parent)
    gate = PinGate(store, parent, touch=True)
    opened: list[bool] = []
    gate.unlocked.connect(lambda: opened.append(True))
    parent.show()
    for digit in PIN:
        gate.press(digit)
    gate.press("OK")  # before the gate knows a PIN is set: no repeat field to move to
    wait_for_therapist_reads(gate)
    assert opened == [True] and gate.repeat.isHidden()
