"""The kiosk window: check-in -> program -> instructions -> live (rest) -> summary -> check-in.

The visit itself (its steps, the idle timeout, "Still there?", the second factor, forgetting the
patient) is the Qt-free `KioskVisit` (session/kiosk_visit.py); the session's pages are driven by
`SessionFlow`, as in the desktop window. This window only adapts them: it shows the page for the
visit's step (`KioskPages`, pages.py), forwards taps and ticks of its clock, reads through the
store thread (`VisitReads`, reads.py) and stays in front (`ScreenLock`, lockdown.py).

Full screen, frameless and on top. Closing it (the window manager's close, Alt+F4),
Escape, or the discreet Staff button only lead to the PIN pad; a window-manager key that
minimises or leaves full screen is undone, and on X11 the keyboard is grabbed so most
window-manager shortcuts never arrive. Everything is a large button: it works by touch alone.

Idle: on every screen but check-in, no touch for `idle_timeout` seconds returns to check-in.
During a session nothing ends without warning: nobody in view and no touch for that long
(for a paused session: no touch) asks "Still there?" with a countdown of
`still_there_seconds`; a tap goes on, someone stepping back into view goes on, and only the
countdown running out ends the session (saved as stopped) and returns to check-in.
Check-in shows nothing of the previous patient.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QMainWindow

from rehab_coach.engine.clinical import clinical_test
from rehab_coach.engine.templates import Library, Template, load_library
from rehab_coach.session.kiosk_day import CheckInEntry
from rehab_coach.session.kiosk_visit import KioskVisit, SessionView, TickAction, VisitStep
from rehab_coach.session.live.events import ACTIVE, SessionState
from rehab_coach.session.live.store_thread import StoreThread
from rehab_coach.session.store import ProgramItemInfo
from rehab_coach.ui.audio import Feedback
from rehab_coach.ui.background import Results
from rehab_coach.ui.controller import SessionController
from rehab_coach.ui.kiosk.idle import InputWatch
from rehab_coach.ui.kiosk.lockdown import ScreenLock
from rehab_coach.ui.kiosk.pages import KioskPages
from rehab_coach.ui.kiosk.reads import VisitReads
from rehab_coach.ui.options import LaunchOptions
from rehab_coach.ui.session_flow import FlowPage, SessionFlow, TherapistScreens
from rehab_coach.ui.strings import install as install_language
from rehab_coach.ui.strings import tr

if TYPE_CHECKING:
    from rehab_coach.ui.therapist.window import TherapistWindow

log = logging.getLogger(__name__)


class KioskWindow(QMainWindow):
    quitRequested = Signal()  # the staff chose to quit: the app's event loop ends

    def __init__(self, options: LaunchOptions, library: Library | None = None) -> None:
        flags = Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
        self.locked = False  # Qt calls changeEvent from within the constructor already
        self.therapist = TherapistScreens(options.db_url, self._therapist_closed)
        super().__init__(None, flags)
        self.setWindowTitle("Rehab Coach")
        self.options = options
        self.library = library if library is not None else load_library()
        self.store = StoreThread(options.db_url)
        self.results = Results(self)
        self.visit = KioskVisit(options.idle_timeout, options.still_there_seconds)
        self._use_pages(KioskPages(self.library, options.language, options.show_names))
        self.feedback = Feedback(options.language, enabled=options.audio, parent=self)
        self.controller = SessionController(self.live, self.feedback, options, self.store, self)
        self.input = InputWatch(self.visit.idle, self)
        self.flow = SessionFlow(
            self.controller,
            self.pages.flow_pages(),
            self._show_flow_page,
            self.store,
            self.results,
            lambda: self.visit.entry.patient_id if self.visit.entry is not None else None,
            touched=self.visit.touched,
        )
        self.reads = VisitReads(self.store, self.results, self.visit, self.pages)
        self.lock_screen = ScreenLock(self, lambda: self.locked and self.therapist_window is None)
        self.locked = True  # False only on the way out (staff quit, SIGTERM)
        self.visit.subscribe(self._show_step, lambda: self.pages.forget(), lambda entry: self.reads.program(entry))
        self._timer = QTimer(self, interval=1000)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        self.go_home()

    # ---- the pages -----------------------------------------------------------

    def _use_pages(self, pages: KioskPages) -> None:
        """Show these pages (the first ones, or the same again in another language) and wire their taps
        (the session's pages are the flow's; these are the visit's)."""
        self.pages, self.stack, self.still_there = pages, pages.stack, pages.still_there
        self.checkin, self.program, self.factor, self.tests = pages.checkin, pages.program, pages.factor, pages.tests
        self.instructions, self.live_page, self.live = pages.instructions, pages.live_page, pages.live
        self.rest, self.summary, self.test_result = pages.rest, pages.summary, pages.test_result
        self.pin, self.menu = pages.pin, pages.menu
        self.setCentralWidget(pages)
        visit = self.visit
        pages.checkin.chosen.connect(visit.check_in)
        pages.checkin.languageChosen.connect(self.set_language)
        pages.checkin.staff.connect(self.ask_pin)
        pages.factor.submitted.connect(lambda value: self.reads.check_factor(value))
        pages.factor.cancelled.connect(self.go_home)
        pages.program.chosen.connect(self._choose)
        pages.program.back.connect(self.go_home)
        pages.program.testsRequested.connect(visit.show_tests)
        pages.tests.chosen.connect(lambda test_id: visit.choose_test(clinical_test(test_id)))
        pages.tests.back.connect(visit.back_to_program)
        pages.instructions.start.connect(self._start)
        pages.instructions.back.connect(visit.back_to_program)
        pages.live.finish_button.clicked.connect(visit.touched)
        pages.live.finish_prompt.declined.connect(visit.touched)
        pages.still_there.accepted.connect(visit.still_here)  # the question hides itself
        pages.still_there.expired.connect(self._nobody_answered)
        for done in (pages.summary, pages.test_result):
            done.again.connect(visit.more)  # the program again: today's progress has moved on
        pages.summary.quit.connect(self.go_home)
        pages.test_result.done.connect(self.go_home)
        pages.pin.submitted.connect(lambda pin: self.reads.check_pin(pin))
        pages.pin.cancelled.connect(self.go_home)
        pages.menu.therapist.connect(self.open_therapist)
        pages.menu.back.connect(self.go_home)
        pages.menu.quit.connect(self.quit_kiosk)

    def set_language(self, language: str) -> None:
        """The check-in page's language button: every page again, in that language. Only at check-in,
        between patients (nothing of anyone is on the pages then)."""
        if language == self.options.language or not self.visit.may_change_language(self.flow.running):
            return
        log.info("kiosk language: %s", language)
        self.options.language = language  # the controller reads it for the next session's cues
        install_language(language)  # Qt's own words in the dialogs
        self._use_pages(KioskPages(self.library, language, self.options.show_names))
        self.reads.pages = self.pages
        self.flow.set_pages(self.pages.flow_pages())
        self.feedback.set_language(language)
        self.go_home()

    def _show_step(self, step: VisitStep) -> None:
        page = self.pages.show_step(step, self.visit)
        if page is not None:
            # Touches are watched app-wide only off the live screens (see InputWatch).
            self.input.arm(page not in (self.live_page, self.rest))
        if step is VisitStep.CHECK_IN:
            self.reads.today()

    def _show_flow_page(self, page: FlowPage) -> bool:
        """The flow asks for a session page: the visit moves on (or home, when the patient has left)."""
        if page in (FlowPage.SUMMARY, FlowPage.TEST_RESULT):
            self.still_there.dismiss()
            return self.visit.session_ended(test=page is FlowPage.TEST_RESULT)
        moves = {FlowPage.LIVE: self.visit.resume, FlowPage.REST: self.visit.rest}
        return moves.get(page, self.visit.between_trials)()  # BETWEEN_TRIALS: a test's result page

    # ---- the visit -----------------------------------------------------------

    @property
    def entry(self) -> CheckInEntry | None:
        """The patient checked in."""
        return self.visit.entry

    @property
    def template(self) -> Template | None:
        return self.visit.exercise.template if self.visit.exercise is not None else None

    @property
    def therapist_window(self) -> TherapistWindow | None:
        return self.therapist.window

    def go_home(self) -> None:
        """Back to check-in with nothing of the patient left; a running session ends (and is saved) first."""
        if self.visit.go_home(session_running=self.flow.running):
            self.controller.session.finish()

    def _choose(self, item: ProgramItemInfo) -> None:
        if not self.visit.choose_item(item):
            self.program.show_error(
                tr("This exercise cannot be started; please tell your therapist.", self.pages.language)
            )

    def _start(self) -> None:
        entry, test, exercise = self.visit.entry, self.visit.test, self.visit.exercise
        if entry is None or not self.flow.idle or not self.visit.start():
            return
        if test is not None:
            self.flow.start_test(test, self.options.source, patient=entry.code)
        elif exercise is not None:
            self.flow.start_exercise(
                exercise.template,
                self.options.source,
                patient=entry.code,
                program_item=exercise.item,
                overrides=exercise.overrides,
            )

    def _tick(self) -> None:
        self.lock_screen.retry_grab()
        session = self.controller.session
        view = SessionView(
            active=session.state in ACTIVE,
            paused=session.state == SessionState.PAUSED,
            last_person_at=session.last_person_at,
        )
        action = self.visit.tick(view)
        if action is TickAction.REFRESH_LIST:
            self.reads.today()
        elif action is TickAction.ASK_STILL_THERE:
            self.pages.ask_still_there(self.options.still_there_seconds)
        elif action is TickAction.WITHDRAW_QUESTION:
            self.still_there.dismiss()
        elif action is TickAction.END_SESSION:
            self._nobody_answered()
        elif action is TickAction.CLOSE_THERAPIST and self.therapist.window is not None:
            self.therapist.window.close()  # never leave therapist data open on a kiosk
        elif action is TickAction.GO_HOME:
            self.go_home()

    def _nobody_answered(self) -> None:
        if self.visit.nobody_answered(session_running=self.flow.running):
            self.controller.session.finish()

    # ---- the way out ---------------------------------------------------------

    def ask_pin(self) -> None:
        """Escape, a close request or the Staff button: the PIN pad (not in the middle of a session)."""
        if self.visit.ask_pin(session_running=self.flow.running):
            self.pin.clear()

    def open_therapist(self) -> None:
        """The therapist screens, already unlocked (the PIN pad asked); the kiosk hides meanwhile."""
        window = self.therapist.open(self.library, self.options.language, kiosk=True, defer_close=True)
        window.unlock()
        self.visit.therapist_opened()
        self.lock_screen.grab_keyboard(False)
        self.hide()
        window.showMaximized()
        self.input.arm(True)

    def _therapist_closed(self) -> None:
        if not self.locked:
            return  # on the way out (SIGTERM while the therapist screens were open)
        self.present()
        self.lock_screen.grab_keyboard(True)
        self.visit.therapist_closed()

    def quit_kiosk(self) -> None:
        self.locked = False
        self.close()

    def terminate(self) -> None:
        """SIGTERM (the service stopping): save the session in progress and go."""
        if self.therapist_window is not None:
            self.therapist_window.lock()  # nothing of a patient stays on screen on the way out
            self.therapist_window.close()
        self.quit_kiosk()

    def present(self) -> None:
        """Full screen on its screen (see `ScreenLock.present`)."""
        self.lock_screen.present()

    # ---- Qt events -------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.locked:
            event.ignore()
            self.ask_pin()
            return
        self._timer.stop()
        self.input.arm(False)
        self.lock_screen.grab_keyboard(False)
        self.controller.shutdown()
        super().closeEvent(event)
        self.quitRequested.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.ask_pin()
        event.accept()  # no other key does anything here

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if self.locked:  # (not yet while the constructor runs)
            self.lock_screen.window_changed(event)
