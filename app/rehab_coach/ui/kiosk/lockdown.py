"""Keeping the kiosk full screen, in front and holding the keyboard while it is locked.

A window-manager key that minimises the kiosk or leaves full screen is undone; another window
taking the focus gives it back a moment later; on X11 the keyboard is grabbed so most
window-manager shortcuts (Alt+Tab, Super) never arrive. Nothing of this applies while the
therapist screens are open in front of it, or on the way out.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow

RECLAIM_MS = 300  # the focus taken away: how long before it is taken back


class ScreenLock(QObject):
    """`engaged()`: whether the window must stay in front now (locked, the therapist screens closed)."""

    def __init__(self, window: QMainWindow, engaged: Callable[[], bool]) -> None:
        super().__init__(window)
        self.window, self.engaged = window, engaged
        self._keyboard_grab = (False, False)  # (wanted, held)

    def present(self) -> None:
        """Full screen on its screen. The size is set as well: without a window manager (a bare X
        session, a common kiosk set-up) nobody acts on the full-screen request."""
        screen = self.window.screen()
        if screen is not None:
            self.window.setGeometry(screen.geometry())
        self.window.showFullScreen()

    def grab_keyboard(self, on: bool) -> None:
        """On X11 an active keyboard grab keeps window-manager shortcuts from the desktop. Other
        platforms cannot grab (Wayland) or need not (offscreen)."""
        if QGuiApplication.platformName() != "xcb":
            return
        handle = self.window.windowHandle()
        held = handle is not None and handle.setKeyboardGrabEnabled(on) and on
        self._keyboard_grab = (on, bool(held))

    def retry_grab(self) -> None:
        """X refuses a grab until the window is mapped: asked again on every tick until it holds."""
        wanted, held = self._keyboard_grab
        if wanted and not held:
            self.grab_keyboard(True)

    def window_changed(self, event: QEvent) -> None:
        """The window's `changeEvent`: undo a minimise or a leave of full screen, take the focus back."""
        if not self.engaged() or not self.window.isVisible():
            return
        if event.type() == QEvent.Type.WindowStateChange and not self.window.isFullScreen():
            QTimer.singleShot(0, self.present)  # minimised or restored by a window-manager key
        elif event.type() == QEvent.Type.ActivationChange and not self.window.isActiveWindow():
            QTimer.singleShot(RECLAIM_MS, self._reclaim)

    def _reclaim(self) -> None:
        if self.engaged() and self.window.isVisible() and not self.window.isActiveWindow():
            self.window.raise_()
            self.window.activateWindow()
