"""Start the desktop app: the QApplication, the main window (or the kiosk), the event loop."""

from __future__ import annotations

import gc
import signal
import sys

from pyqtgraph.util.garbage_collector import GarbageCollector
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMainWindow

from rehab_coach.paths import assets_dir
from rehab_coach.session.store import Store
from rehab_coach.ui.main_window import MainWindow
from rehab_coach.ui.options import LaunchOptions
from rehab_coach.ui.strings import install as install_language
from rehab_coach.ui.style import BASE_PT, STYLESHEET

_collector: GarbageCollector | None = None


def collect_garbage_on_the_gui_thread() -> None:
    """Python collects reference cycles on whichever thread happens to allocate, and our worker threads
    (capture, pose, the store's reads) allocate all the time: a Qt object collected there (a closed
    dialog, a plot's removed curve) is destroyed off the GUI thread, and Qt crashes. Automatic collection
    is off; a GUI-thread timer collects once a second instead (pyqtgraph's GarbageCollector). Needs the
    QApplication; once per process."""
    global _collector
    if _collector is None:
        _collector = GarbageCollector(interval=1.0)


def application() -> QApplication:
    """The one QApplication, created high-DPI aware (fractional scales such as 150% stay exact),
    or the existing one (tests) given the same look."""
    # The worker threads run Python between model calls; with the default 5 ms switch
    # interval the GUI thread can wait that long for the GIL at each of its many Qt calls.
    sys.setswitchinterval(0.001)
    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(sys.argv[:1])
        app.setApplicationName("Rehab Coach")
        app.setDesktopFileName("rehab-coach")
    assert isinstance(app, QApplication)
    collect_garbage_on_the_gui_thread()
    font = QFont(app.font())
    font.setPointSize(BASE_PT)
    app.setFont(font)
    app.setStyleSheet(STYLESHEET)
    icon = assets_dir() / "icons" / "rehab-coach.svg"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def build_kiosk(options: LaunchOptions) -> QMainWindow:
    from rehab_coach.ui.kiosk import KioskWindow

    app = application()
    app.setQuitOnLastWindowClosed(False)  # the kiosk hides while the therapist screens are open
    install_language(options.language)  # Qt's own words (dialog buttons)
    window = KioskWindow(options)
    window.quitRequested.connect(app.quit)
    if options.screenshots is not None:
        from rehab_coach.ui.screenshots import KioskScreenshot

        KioskScreenshot(window, options.screenshots)
    window.present()
    window.lock_screen.grab_keyboard(options.screenshots is None)
    gc.freeze()  # as below
    return window


def build_window(options: LaunchOptions) -> MainWindow:
    app = application()
    install_language(options.language)  # Qt's own words (dialog buttons)
    window = MainWindow(options)
    # Quit ends the app even while another window (the therapist screens) is still open.
    window.quitRequested.connect(app.quit)
    if options.screenshots is not None:
        from rehab_coach.ui.screenshots import ScreenshotTaker

        ScreenshotTaker(window, options.screenshots, options.screenshot_at)
    if options.fullscreen:
        window.showFullScreen()
    else:
        window.show()
    if options.exercise:
        window.start_directly(options.exercise)
    elif options.test and hasattr(window, "start_test_directly"):
        window.start_test_directly(options.test)
    # Qt, pyqtgraph and the templates leave many long-lived objects; a full garbage
    # collection that walks them stops the event loop for ~100 ms. Exempt what exists now.
    gc.freeze()
    return window


def run_therapist_app(store: Store, language: str = "en") -> int:
    """The therapist screens alone (`rehab-coach patients review`)."""
    from rehab_coach.ui.therapist.window import TherapistWindow

    app = application()
    install_language(language)  # Qt's own words and the core's (the store's messages)
    window = TherapistWindow(store, language=language)
    window.show()
    return app.exec()


def run(options: LaunchOptions) -> int:
    app = application()
    window = build_kiosk(options) if options.kiosk else build_window(options)
    # `systemctl stop` (SIGTERM) closes the window as a user would: the session in progress is saved.
    # Python runs the handler at its next bytecode; the windows' timers make sure there is one soon.
    on_term = getattr(window, "terminate", window.close)
    signal.signal(signal.SIGTERM, lambda *_: QTimer.singleShot(0, on_term))
    code = app.exec()
    del window
    return int(code)
