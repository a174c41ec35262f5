"""The kiosk window: check-in -> program -> instructions -> live (rest) -> summary -> check-in.

The visit itself (its steps, the idle timeout, "Still there?", the second factor, forgetting the
patient) is the Qt-free `KioskVisit` (session/kiosk_visit.py); the session's pages are driven by
`SessionFlow`, as in the desktop window. This window shows the page for the visit's step and
forwards taps and ticks of its clock.

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
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from rehab_coach.engine.clinical import clinical_test
from rehab_coach.engine.templates import Library, Template, load_library, load_template_by_id
from rehab_coach.errors import RehabCoachError
from rehab_coach.session.kiosk_day import CheckInEntry, patient_plan, todays_patients
from rehab_coach.session.kiosk_visit import (
    ExerciseChoice,
    FactorAnswer,
    KioskVisit,
    SessionView,
    TickAction,
    VisitStep,
)
from rehab_coach.session.live.events import ACTIVE, SessionState
from rehab_coach.session.live.sets import program_overrides
from rehab_coach.session.live.store_thread import StoreThread
from rehab_coach.session.security import PinCheck
from rehab_coach.session.store import ProgramItemInfo, TodayPlan, patient_progress
from rehab_coach.ui.audio import Feedback
from rehab_coach.ui.background import Results
from rehab_coach.ui.controller import SessionController
from rehab_coach.ui.kiosk.checkin import CheckInPage, ProgramPage
from rehab_coach.ui.kiosk.idle import InputWatch
from rehab_coach.ui.kiosk.pinpad import PinPage, StaffMenu
from rehab_coach.ui.kiosk.tests import TestChoicePage
from rehab_coach.ui.options import LaunchOptions
from rehab_coach.ui.pages.clinical_result import ClinicalResultPage
from rehab_coach.ui.pages.instructions import InstructionsPage
from rehab_coach.ui.pages.live import LivePage
from rehab_coach.ui.pages.rest import RestPage
from rehab_coach.ui.pages.summary import SummaryPage
from rehab_coach.ui.session_flow import FlowPage, FlowPages, SessionFlow, TherapistScreens
from rehab_coach.ui.strings import install as install_language
from rehab_coach.ui.strings import tr
from rehab_coach.ui.style import MUTED, SURFACE
from rehab_coach.ui.widgets.prompt import PromptOverlay

if TYPE_CHECKING:
    from rehab_coach.ui.therapist.window import TherapistWindow

log = logging.getLogger(__name__)

# Touch targets of at least ~10 mm even on a large, low-density screen.
KIOSK_STYLE = f"""
QPushButton {{ min-height: 96px; font-size: 24pt; padding: 14px 32px; border-radius: 18px; }}
QPushButton#patient, QPushButton#exercise {{ min-height: 150px; font-size: 24pt; }}
QPushButton#key {{ min-height: 104px; min-width: 120px; font-size: 34pt; }}
QPushButton#staff {{ min-height: 56px; font-size: 14pt; color: {MUTED}; border-color: {SURFACE}; }}
QScrollBar:vertical {{ width: 56px; }}
"""


class KioskLivePage(QWidget):
    """The live page (its Pause and Finish buttons are the touch controls), with the kiosk's
    "Still there?" question over it."""

    def __init__(self, language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self.live = LivePage(language)
        self.pause_button, self.finish_button = self.live.pause_button, self.live.finish_button
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.live, 1)

    def show_paused(self, paused: bool) -> None:
        self.live.show_paused(paused)


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
        self._pages(options.language)
        self.feedback = Feedback(options.language, enabled=options.audio, parent=self)
        self.controller = SessionController(self.live, self.feedback, options, self.store, self)
        self.visit = KioskVisit(options.idle_timeout, options.still_there_seconds)
        self.idle = self.visit.idle
        self.input = InputWatch(self.idle, self)
        self.flow = SessionFlow(
            self.controller,
            self._flow_pages(),
            self._show_flow_page,
            self.store,
            self.results,
            lambda: self.visit.entry.patient_id if self.visit.entry is not None else None,
            touched=self.visit.touched,
        )
        self.locked = True  # False only on the way out (staff quit, SIGTERM)
        self._keyboard_grab = (False, False)  # (wanted, held)
        self.visit.subscribe(self._show_step, self._forget_patient)
        self._wire_pages()
        self._timer = QTimer(self, interval=1000)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        self.go_home()

    # ---- building ------------------------------------------------------------

    def _pages(self, lang: str) -> None:
        self.checkin, self.program = CheckInPage(lang), ProgramPage(self.library, lang)
        self.instructions, self.live_page = InstructionsPage(lang), KioskLivePage(lang)
        self.live = self.live_page.live
        self.rest, self.summary = RestPage(lang), SummaryPage(lang)
        self.pin, self.menu = PinPage(language=lang), StaffMenu(language=lang)
        self.tests, self.test_result = TestChoicePage(lang), ClinicalResultPage(lang)
        self.test_result.set_actions(tr("More exercises", lang), tr("Done", lang))
        self.factor = PinPage(language=lang)  # the patient's own second factor, when the therapist set one
        self.factor.cancel_button.setText(tr("Not me", lang))
        # No keys to name on a touch screen, no file dialog, no quitting.
        self.instructions.start_button.setText(tr("Start", lang))
        self.instructions.back_button.setText(tr("Back", lang))
        self.rest.skip_button.setText(tr("Skip rest", lang))
        self.summary.set_actions(tr("More exercises", lang), tr("Done", lang))
        self.live.notice.allow_open = False
        self.stack = QStackedWidget()
        for page in (
            self.checkin,
            self.program,
            self.instructions,
            self.live_page,
            self.rest,
            self.summary,
            self.pin,
            self.menu,
            self.factor,
            self.tests,
            self.test_result,
        ):
            self.stack.addWidget(page)
        central = QWidget()
        central.setObjectName("kiosk")
        central.setStyleSheet(KIOSK_STYLE)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.setCentralWidget(central)
        self.still_there = PromptOverlay(central)

    def _flow_pages(self) -> FlowPages:
        return FlowPages(self.live, self.rest, self.summary, self.test_result, live_screen=self.live_page)

    def _page_for(self, step: VisitStep) -> QWidget | None:
        pages: dict[VisitStep, QWidget] = {
            VisitStep.CHECK_IN: self.checkin,
            VisitStep.FACTOR: self.factor,
            VisitStep.PROGRAM: self.program,
            VisitStep.TESTS: self.tests,
            VisitStep.INSTRUCTIONS: self.instructions,
            VisitStep.LIVE: self.live_page,
            VisitStep.REST: self.rest,
            VisitStep.SUMMARY: self.summary,
            VisitStep.TEST_RESULT: self.test_result,
            VisitStep.PIN: self.pin,
            VisitStep.STAFF_MENU: self.menu,
        }
        return pages.get(step)  # the therapist screens: none of the kiosk's

    def _wire_pages(self) -> None:
        # The session's pages are the flow's; these are the visit's.
        self.checkin.chosen.connect(self._check_in)
        self.checkin.languageChosen.connect(self.set_language)
        self.checkin.staff.connect(self.ask_pin)
        self.program.chosen.connect(self._choose)
        self.program.back.connect(self.go_home)
        self.program.testsRequested.connect(self.visit.show_tests)
        self.tests.chosen.connect(self._choose_test)
        self.tests.back.connect(self.visit.back_to_program)
        self.test_result.again.connect(self._more)
        self.test_result.done.connect(self.go_home)
        self.instructions.start.connect(self._start)
        self.instructions.back.connect(self.visit.back_to_program)
        self.live.finish_button.clicked.connect(self.visit.touched)
        self.live.finish_prompt.declined.connect(self.visit.touched)
        self.still_there.accepted.connect(self._still_here)
        self.still_there.expired.connect(self._nobody_answered)
        self.summary.again.connect(self._more)
        self.summary.quit.connect(self.go_home)
        self.pin.submitted.connect(self._check_pin)
        self.factor.submitted.connect(self._check_factor)
        self.factor.cancelled.connect(self.go_home)
        self.pin.cancelled.connect(self.go_home)
        self.menu.therapist.connect(self.open_therapist)
        self.menu.back.connect(self.go_home)
        self.menu.quit.connect(self.quit_kiosk)

    def set_language(self, language: str) -> None:
        """The check-in page's language button: every page again, in that language. Only at check-in,
        between patients (nothing of anyone is on the pages then)."""
        if language == self.options.language or self.in_session or self.visit.step is not VisitStep.CHECK_IN:
            return
        log.info("kiosk language: %s", language)
        self.options.language = language  # the controller reads it for the next session's cues
        install_language(language)  # Qt's own words in the dialogs
        self._pages(language)
        self.flow.set_pages(self._flow_pages())
        self.feedback.set_language(language)
        self._wire_pages()
        self.go_home()

    # ---- navigation ----------------------------------------------------------

    @property
    def in_session(self) -> bool:
        return self.controller.session.state in (*ACTIVE, SessionState.FINISHING)

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

    def show_page(self, page: QWidget) -> None:
        self.stack.setCurrentWidget(page)
        self.idle.poke()
        # Touches are watched app-wide only off the live screens (see InputWatch).
        self.input.arm(page not in (self.live_page, self.rest))

    def _show_step(self, step: VisitStep) -> None:
        page = self._page_for(step)
        if page is not None:
            self.show_page(page)
        if step is VisitStep.CHECK_IN:
            self.refresh_checkin()

    def _show_flow_page(self, page: FlowPage) -> bool:
        """The flow asks for a session page: the visit moves on (or home, when the patient has left)."""
        if page is FlowPage.LIVE:
            if self.visit.step is not VisitStep.LIVE:
                self.visit.resume()
            return True
        if page is FlowPage.REST:
            self.visit.rest()
            return True
        if page is FlowPage.BETWEEN_TRIALS:
            self.visit.between_trials()
            return self.visit.step is VisitStep.TEST_RESULT
        self.still_there.dismiss()
        return self.visit.session_ended(test=page is FlowPage.TEST_RESULT)

    def go_home(self) -> None:
        """Back to check-in with nothing of the patient left; a running session ends (and is saved) first."""
        if self.visit.go_home(session_running=self.in_session):
            self.controller.session.finish()

    def _forget_patient(self) -> None:
        self.still_there.dismiss()
        self.factor.clear()
        self.test_result.clear()
        self.program.clear()
        self.instructions.clear()
        self.live.reset()
        self.live_page.show_paused(False)
        self.rest.clear()
        self.summary.clear()
        self.pin.clear()

    def refresh_checkin(self) -> None:
        self.visit.list_requested()
        self.results.watch(self.store.call(todays_patients), self._show_entries, self._entries_failed)

    def _show_entries(self, entries: list[CheckInEntry]) -> None:
        if entries != self.checkin.entries or not self.checkin.title.text() or self.checkin.message.text():
            self.checkin.show_entries(entries, self.options.show_names)

    def _entries_failed(self, error: BaseException) -> None:
        log.warning("today's patients not available: %s", error)
        self.visit.list_failed()
        self.checkin.show_unavailable()

    def _check_in(self, entry: CheckInEntry) -> None:
        """A name tapped: the second factor first, when the patient has one; then the program."""
        self.visit.check_in(entry)
        if self.visit.step is VisitStep.PROGRAM:
            self._load_program(entry)
            return
        self.factor.clear()
        word = (
            tr("birth year", self.options.language)
            if entry.factor == "birth_year"
            else tr("check-in PIN", self.options.language)
        )
        name = entry.name if self.options.show_names else entry.code
        self.factor.title.setText(tr("{0}, please enter your {1}", self.options.language, name, word))

    def _check_factor(self, value: str) -> None:
        entry = self.visit.factor_entry
        if entry is None:
            return
        self.results.watch(
            self.store.call(lambda store: store.verify_checkin_factor(entry.patient_id, value)),
            lambda ok: self._factor_answer(entry, ok),
            lambda error: self.factor.show_error(
                tr("This cannot be checked right now. Please ask the staff.", self.options.language)
            ),
        )

    def _factor_answer(self, entry: CheckInEntry, ok: bool) -> None:
        answer = self.visit.factor_answer(entry, ok)
        if answer is FactorAnswer.ACCEPTED:
            self._load_program(entry)
        elif answer is FactorAnswer.TRY_AGAIN:
            self.factor.show_error(tr("That does not match. Please try again or ask the staff.", self.options.language))

    def _load_program(self, entry: CheckInEntry) -> None:
        """The program page for the patient just checked in, filled from the store thread."""
        self.program.show_loading(entry, self.options.show_names)
        self.results.watch(
            self.store.call(lambda store: patient_plan(store, entry.patient_id)),
            lambda plan: self._show_plan(entry, plan),
            lambda error: self.program.show_error(
                tr("Your program is not available right now.", self.program.language)
            ),
        )
        self.results.watch(
            self.store.call(lambda store: patient_progress(store, entry.patient_id)),
            lambda progress: self.program.show_progress(progress) if self.visit.still_checked_in(entry) else None,
            lambda error: log.warning("progress not available: %s", error),
        )

    def _show_plan(self, entry: CheckInEntry, plan: TodayPlan) -> None:
        if self.visit.still_checked_in(entry):
            self.program.show_plan(plan)

    def _choose(self, item: ProgramItemInfo) -> None:
        overrides = program_overrides(item)
        try:
            template = load_template_by_id(item.exercise_id, overrides)
        except RehabCoachError as exc:
            log.error("program item %s: %s", item.id, exc)
            self.program.show_error("This exercise cannot be started; please tell your therapist.")
            return
        self.visit.choose_exercise(ExerciseChoice(item, template, overrides))
        self.instructions.show_template(template, "", notes=item.notes, kiosk=True)

    def _choose_test(self, test_id: str) -> None:
        test = clinical_test(test_id)
        self.visit.choose_test(test)
        self.instructions.show_test(test, "", kiosk=True)

    def _more(self) -> None:
        self.visit.more()  # the program again: today's progress has moved on (she checked in already)
        entry = self.visit.entry
        if entry is not None and self.visit.step is VisitStep.PROGRAM:
            self._load_program(entry)

    # ---- the session ---------------------------------------------------------

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

    # ---- idle ----------------------------------------------------------------

    def _tick(self) -> None:
        wanted, held = self._keyboard_grab
        if wanted and not held:
            self.grab_keyboard(True)  # X refuses a grab until the window is mapped: retry
        state = self.controller.session.state
        session = SessionView(
            active=state in ACTIVE,
            paused=state == SessionState.PAUSED,
            last_person_at=self.controller.session.last_person_at,
        )
        action = self.visit.tick(session)
        if action is TickAction.REFRESH_LIST:
            self.refresh_checkin()
        elif action is TickAction.ASK_STILL_THERE:
            lang = self.options.language
            self.still_there.ask(
                tr("Still there?", lang),
                tr("This session ends in {seconds} s. Your reps so far are saved.", lang),
                tr("I'm here", lang),
                seconds=self.options.still_there_seconds,
            )
        elif action is TickAction.WITHDRAW_QUESTION:
            self.still_there.dismiss()
        elif action is TickAction.END_SESSION:
            self._nobody_answered()
        elif action is TickAction.CLOSE_THERAPIST and self.therapist.window is not None:
            self.therapist.window.close()  # never leave therapist data open on a kiosk
        elif action is TickAction.GO_HOME:
            self.go_home()

    def _still_here(self) -> None:
        self.still_there.dismiss()
        self.visit.still_here()

    def _nobody_answered(self) -> None:
        if self.visit.nobody_answered(session_running=self.in_session):
            self.controller.session.finish()

    # ---- the way out ---------------------------------------------------------

    def ask_pin(self) -> None:
        """Escape, a close request or the Staff button: the PIN pad (not in the middle of a session)."""
        if self.visit.ask_pin(session_running=self.in_session):
            self.pin.clear()

    def _check_pin(self, pin: str) -> None:
        # scrypt plus a database round trip: on the store thread, never here.
        self.results.watch(
            self.store.call(lambda store: store.check_pin(pin)),
            self._pin_answer,
            lambda error: self.pin.show_error(
                "The PIN cannot be checked now: the database does not answer. Try again in a minute."
            ),
        )

    def _pin_answer(self, answer: PinCheck) -> None:
        if self.visit.pin_answer(answer.ok):
            self.pin.clear()
        elif self.visit.step is VisitStep.PIN:  # not timed out back to check-in meanwhile
            self.pin.show_answer(answer)

    def open_therapist(self) -> None:
        """The therapist screens, already unlocked (the PIN pad asked); the kiosk hides meanwhile."""
        window = self.therapist.open(self.library, self.options.language, kiosk=True, defer_close=True)
        window.unlock()
        self.visit.therapist_opened()
        self.grab_keyboard(False)
        self.hide()
        window.showMaximized()
        self.input.arm(True)

    def _therapist_closed(self) -> None:
        if not self.locked:
            return  # on the way out (SIGTERM while the therapist screens were open)
        self.present()
        self.grab_keyboard(True)
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
        """Full screen on its screen. The size is set as well: without a window manager (a bare X
        session, a common kiosk set-up) nobody acts on the full-screen request."""
        screen = self.screen()
        if screen is not None:
            self.setGeometry(screen.geometry())
        self.showFullScreen()

    def grab_keyboard(self, on: bool) -> None:
        """On X11 an active keyboard grab keeps window-manager shortcuts (Alt+Tab, Super) from the
        desktop. Other platforms cannot grab (Wayland) or need not (offscreen)."""
        if QGuiApplication.platformName() != "xcb":
            return
        handle = self.windowHandle()
        held = handle is not None and handle.setKeyboardGrabEnabled(on) and on
        self._keyboard_grab = (on, bool(held))

    # ---- Qt events -------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.locked:
            event.ignore()
            self.ask_pin()
            return
        self._timer.stop()
        self.input.arm(False)
        self.grab_keyboard(False)
        self.controller.shutdown()
        super().closeEvent(event)
        self.quitRequested.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.ask_pin()
        event.accept()  # no other key does anything here

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if not self.locked or self.therapist_window is not None or not self.isVisible():
            return
        if event.type() == QEvent.Type.WindowStateChange and not self.isFullScreen():
            QTimer.singleShot(0, self.present)  # minimised or restored by a window-manager key
        elif event.type() == QEvent.Type.ActivationChange and not self.isActiveWindow():
            QTimer.singleShot(300, self._reclaim)

    def _reclaim(self) -> None:
        if self.locked and self.therapist_window is None and self.isVisible() and not self.isActiveWindow():
            self.raise_()
            self.activateWindow()
