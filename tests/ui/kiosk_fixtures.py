"""A kiosk database (patients with today's program, the therapist PIN) and touch input for the kiosk tests."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEventLoop, QPoint, QTimer
from PySide6.QtGui import QInputDevice, QPointingDevice
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from rehab_coach.session.store import ItemSpec, ProgramSpec, Store

PIN = "2468"
_DEVICE: list[QPointingDevice] = []


def seed_kiosk_db(path: Path, *, reps: int = 2, sets: int = 1) -> dict[str, int]:
    """Two patients expected today (squats), one without a program; returns their program item ids."""
    store = Store(path)
    items = {}
    try:
        for code, name in (("P-001", "Alice Smith"), ("P-002", "Bob Jones")):
            patient = store.add_patient(code, name)
            program = store.save_program(
                patient.id, ProgramSpec([ItemSpec("squat", sets=sets, reps=reps, overrides={"dosage.rest_seconds": 1})])
            )
            items[code] = program.items[0].id
        store.add_patient("P-003", "Carla Diaz")  # no program: not on today's list
        store.set_pin(PIN)
    finally:
        store.close()
    return items


def pump(ms: int) -> None:
    """Run the event loop for `ms` ms. Not QTest.qWait: PySide's binding keeps the GIL while it
    sleeps, starving the worker and store threads."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def touch_device() -> QPointingDevice:
    if not _DEVICE:
        _DEVICE.append(QTest.createTouchDevice(QInputDevice.DeviceType.TouchScreen))
    return _DEVICE[0]


def tap(widget: QWidget) -> None:
    """One finger down and up on the middle of `widget`: touch events only, no mouse, no keys."""
    pump(30)  # a page or button that just appeared gets laid out before the finger lands
    window = widget.window()
    centre = widget.mapTo(window, widget.rect().center())
    down = QTest.touchEvent(window, touch_device())
    down.press(0, centre, window)
    down.commit()
    up = QTest.touchEvent(window, touch_device())
    up.release(0, QPoint(centre), window)
    up.commit()


def start_first_exercise(qtbot, window: QWidget) -> None:  # type: ignore[no-untyped-def]
    """Check in the first patient, open their first exercise and start it, by touch; waits until it runs."""
    tap(window.checkin.buttons[0])  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: bool(window.program.buttons))  # type: ignore[attr-defined]
    tap(window.program.buttons[0])  # type: ignore[attr-defined]
    tap(window.instructions.start_button)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: window.controller.session.state == "running")  # type: ignore[attr-defined]
