"""The kiosk window: check-in -> program -> instructions -> live (rest) -> summary -> check-in.

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

import datetime as dt
import logging
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from rehab_coach.engine.clinical import ClinicalResult, ClinicalTest, clinical_test
from rehab_coach.engine.templates import Library, Template, load_library, load_template_by_id
from rehab_coach.errors import RehabCoachError
from rehab_coach.session.kiosk_day import CheckInEntry, patient_plan, todays_patients
from rehab_coach.session.live.events import ACTIVE, SessionState
from rehab_coach.session.live.sets import program_overrides
from rehab_coach.session.live.store_thread import StoreThread
from rehab_coach.session.security import PinCheck
from rehab_coach.session.store import ProgramItemInfo, TodayPlan, patient_progress
from rehab_coach.ui.audio import Feedback
from rehab_coach.ui.background import Results
from rehab_coach.ui.controller import SessionController
from rehab_coach.ui.kiosk.checkin import CheckInPage, ProgramPage
from rehab_coach.ui.kiosk.idle import IdleClock, InputWatch
from rehab_coach.ui.kiosk.pinpad import PinPage, StaffMenu
from rehab_coach.ui.kiosk.tests import TestChoicePage
from rehab_coach.ui.options import LaunchOptions
from rehab_coach.ui.pages.clinical_result import ClinicalResultPage
from rehab_coach.ui.pages.instructions import InstructionsPage
from rehab_coach.ui.pages.live import LivePage
from rehab_coach.ui.pages.rest import RestPage
from rehab_coach.ui.pages.summary import SummaryPage
from rehab_coach.ui.strings import install as install_language
from rehab_coach.ui.strings import tr
from rehab_coach.ui.style import MUTED, SURFACE
from rehab_coach.ui.widgets.prompt import PromptOverlay

if TYPE_CHECKING:
    from rehab_coach.ui.therapist.window import TherapistWindow

log = logging.getLogger(__name__)

REFRESH_SECONDS = 60.0  # today's list is read again this often while check-in shows
RETRY_SECONDS = 10.0  # ... and this often while the database does not answer
THERAPIST_TIMEOUT = 300.0  # the therapist screens close after this long without input
FACTOR_ATTEMPTS = 3  # wrong answers to the second check-in factor before check-in shows again

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
        self.therapist_window: TherapistWindow | None = None
        super().__init__(None, flags)
        self.setWindowTitle("Rehab Coach")
        self.options = options
        self.library = library if library is not None else load_library()
        self.store = StoreThread(options.db_url)
        self.results = Results(self)
        self._pages(options.language)
        self.feedback = Feedback(options.language, enabled=options.audio, parent=self)
        self.controller = SessionController(self.live, self.feedback, options, self.store, self)
        self.idle = IdleClock(options.idle_timeout)
        self.input = InputWatch(self.idle, self)
        self.entry: CheckInEntry | None = None
        self._factor_entry: CheckInEntry | None = None
        self._factor_misses = 0
        self.item: ProgramItemInfo | None = None
        self.template: Template | None = None
        self.test: ClinicalTest | None = None  # a standard clinical test chosen instead of an exercise
        self.overrides: dict[str, Any] = {}
        self.locked = True  # False only on the way out (staff quit, SIGTERM)
        self._home_after_session = False
        self._refresh_at = 0.0
        self._keyboard_grab = (False, False)  # (wanted, held)
        self._wire()
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
        self._asked_at = 0.0

    def _wire(self) -> None:
        # The controller's signals reach whichever pages exist now (a language change rebuilds them).
        self.controller.stateChanged.connect(lambda state: self.live_page.show_paused(state == SessionState.PAUSED))
        self.controller.restRequested.connect(self._rest)
        self.controller.finished.connect(self._finished)
        self.controller.saved.connect(lambda outcome: self.summary.show_saved(outcome))
        self.controller.checkInSaved.connect(
            lambda outcome, text, advice: self.summary.show_check_in_saved(outcome, text, advice)
        )
        self.controller.trialEnded.connect(self._between_trials)
        self.controller.testFinished.connect(self._test_finished)
        self.controller.testSaved.connect(lambda saved: self.test_result.show_saved(saved))
        self._wire_pages()

    def _wire_pages(self) -> None:
        self.checkin.chosen.connect(self._check_in)
        self.checkin.languageChosen.connect(self.set_language)
        self.checkin.staff.connect(self.ask_pin)
        self.program.chosen.connect(self._choose)
        self.program.back.connect(self.go_home)
        self.program.testsRequested.connect(lambda: self.show_page(self.tests))
        self.tests.chosen.connect(self._choose_test)
        self.tests.back.connect(lambda: self.show_page(self.program))
        self.test_result.next_trial.connect(self._next_trial)
        self.test_result.again.connect(self._more)
        self.test_result.done.connect(self.go_home)
        self.instructions.start.connect(self._start)
        self.instructions.back.connect(lambda: self.show_page(self.program))
        self.live.pauseRequested.connect(self._pause)
        self.live.finish_button.clicked.connect(lambda: self.idle.poke())
        self.live.finishConfirmed.connect(self._finish)
        self.live.skipFramingRequested.connect(self._skip_framing)
        self.live.finish_prompt.declined.connect(lambda: self.idle.poke())
        self.still_there.accepted.connect(self._still_here)
        self.still_there.expired.connect(self._nobody_answered)
        self.rest.done.connect(self._rest_done)
        self.summary.again.connect(self._more)
        self.summary.quit.connect(self.go_home)
        self.summary.check_in.answered.connect(
            lambda pain, effort: (
                self.controller.record_check_in(self.summary.outcome, pain, effort)
                if self.summary.outcome is not None
                else None
            )
        )
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
        if language == self.options.language or self.in_session or self.stack.currentWidget() is not self.checkin:
            return
        log.info("kiosk language: %s", language)
        self.options.language = language  # the controller reads it for the next session's cues
        install_language(language)  # Qt's own words in the dialogs
        self._pages(language)
        self.controller.set_page(self.live)
        self.feedback.set_language(language)
        self._wire_pages()
        self.go_home()

    # ---- navigation ----------------------------------------------------------

    @property
    def in_session(self) -> bool:
        return self.controller.session.state in (*ACTIVE, SessionState.FINISHING)

    def show_page(self, page: QWidget) -> None:
        self.stack.setCurrentWidget(page)
        self.idle.poke()
        # Touches are watched app-wide only off the live screens (see InputWatch).
        self.input.arm(page not in (self.live_page, self.rest))

    def go_home(self) -> None:
        """Back to check-in with nothing of the patient left; a running session ends (and is saved) first."""
        if self.in_session:
            self._home_after_session = True
            self.controller.session.finish()
            return
        self._forget_patient()
        self.show_page(self.checkin)
        self.refresh_checkin()

    def _forget_patient(self) -> None:
        self.still_there.dismiss()
        self._factor_entry, self._factor_misses = None, 0
        self.factor.clear()
        self.entry, self.item, self.template, self.overrides = None, None, None, {}
        self.test = None
        self.test_result.clear()
        self.program.clear()
        self.instructions.clear()
        self.live.reset()
        self.live_page.show_paused(False)
        self.rest.clear()
        self.summary.clear()
        self.pin.clear()

    def refresh_checkin(self) -> None:
        self._refresh_at = time.monotonic() + REFRESH_SECONDS
        self.results.watch(self.store.call(todays_patients), self._show_entries, self._entries_failed)

    def _show_entries(self, entries: list[CheckInEntry]) -> None:
        if entries != self.checkin.entries or not self.checkin.title.text() or self.checkin.message.text():
            self.checkin.show_entries(entries, self.options.show_names)

    def _entries_failed(self, error: BaseException) -> None:
        log.warning("today's patients not available: %s", error)
        self._refresh_at = time.monotonic() + RETRY_SECONDS
        self.checkin.show_unavailable()

    def _check_in(self, entry: CheckInEntry) -> None:
        """A name tapped: the second factor first, when the patient has one; then the program."""
        if entry.factor is not None and self.entry is not entry:
            self._factor_entry, self._factor_misses = entry, 0
            self.factor.clear()
            word = (
                tr("birth year", self.options.language)
                if entry.factor == "birth_year"
                else tr("check-in PIN", self.options.language)
            )
            name = entry.name if self.options.show_names else entry.code
            self.factor.title.setText(tr("{0}, please enter your {1}", self.options.language, name, word))
            self.show_page(self.factor)
            return
        self._open_program(entry)

    def _check_factor(self, value: str) -> None:
        entry = self._factor_entry
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
        if self.stack.currentWidget() is not self.factor or self._factor_entry is not entry:
            return  # timed out or cancelled meanwhile
        if ok:
            self._factor_entry = None
            self._open_program(entry)
            return
        self._factor_misses += 1
        if self._factor_misses >= FACTOR_ATTEMPTS:
            log.info("check-in factor wrong %d times: back to check-in", self._factor_misses)
            self.go_home()
            return
        self.factor.show_error(tr("That does not match. Please try again or ask the staff.", self.options.language))

    def _open_program(self, entry: CheckInEntry) -> None:
        self.entry = entry
        self.program.show_loading(entry, self.options.show_names)
        self.show_page(self.program)
        self.results.watch(
            self.store.call(lambda store: patient_plan(store, entry.patient_id)),
            lambda plan: self._show_plan(entry, plan),
            lambda error: self.program.show_error(
                tr("Your program is not available right now.", self.program.language)
            ),
        )
        self.results.watch(
            self.store.call(lambda store: patient_progress(store, entry.patient_id)),
            lambda progress: self.program.show_progress(progress) if self.entry is entry else None,
            lambda error: log.warning("progress not available: %s", error),
        )

    def _show_plan(self, entry: CheckInEntry, plan: TodayPlan) -> None:
        if self.entry is entry:  # still the same patient
            self.program.show_plan(plan)

    def _choose(self, item: ProgramItemInfo) -> None:
        overrides = program_overrides(item)
        try:
            template = load_template_by_id(item.exercise_id, overrides)
        except RehabCoachError as exc:
            log.error("program item %s: %s", item.id, exc)
            self.program.show_error("This exercise cannot be started; please tell your therapist.")
            return
        self.item, self.template, self.overrides, self.test = item, template, overrides, None
        self.instructions.show_template(template, "", notes=item.notes, kiosk=True)
        self.show_page(self.instructions)

    def _choose_test(self, test_id: str) -> None:
        self.test = clinical_test(test_id)
        self.instructions.show_test(self.test, "", kiosk=True)
        self.show_page(self.instructions)

    def _more(self) -> None:
        if self.entry is not None:
            self._open_program(self.entry)  # today's progress has moved on (she checked in already)
        else:
            self.go_home()

    # ---- the session ---------------------------------------------------------

    def _start(self) -> None:
        if self.entry is None or self.controller.session.state not in (SessionState.IDLE, SessionState.DONE):
            return
        if self.test is not None:
            self._home_after_session = False
            self.show_page(self.live_page)
            self.controller.start_test(self.test, self.options.source, patient=self.entry.code)
            return
        if self.template is None:
            return
        self._home_after_session = False
        self.live_page.show_paused(False)
        self.show_page(self.live_page)
        self.controller.start(
            self.template,
            self.options.source,
            patient=self.entry.code,
            program_item=self.item,
            overrides=self.overrides,
        )

    def _pause(self) -> None:
        self.idle.poke()
        self.controller.session.toggle_pause()
        self.live_page.show_paused(self.controller.session.state == SessionState.PAUSED)

    def _skip_framing(self) -> None:
        self.idle.poke()
        self.controller.session.skip_framing()

    def _finish(self) -> None:
        self.idle.poke()
        self.controller.session.finish()

    def _rest(self, seconds: float, next_set: int, sets: int, text: str) -> None:
        self.show_page(self.rest)
        self.rest.begin(seconds, next_set, sets, text)

    def _rest_done(self) -> None:
        self.show_page(self.live_page)
        self.controller.session.end_rest()

    def _finished(self, outcome: object) -> None:
        self.still_there.dismiss()
        if self._home_after_session:
            self._home_after_session = False
            self.go_home()
            return
        self.summary.show_outcome(outcome)  # type: ignore[arg-type]
        self.show_page(self.summary)

    def _between_trials(self, result: ClinicalResult, next_side: str) -> None:
        if self.test is not None:
            self.test_result.show_between(self.test, result, next_side)
            self.show_page(self.test_result)

    def _next_trial(self) -> None:
        self.idle.poke()
        self.show_page(self.live_page)
        self.controller.next_trial()

    def _test_finished(self, test: ClinicalTest, results: list[ClinicalResult], _outcome: object) -> None:
        self.still_there.dismiss()
        if self._home_after_session:
            self._home_after_session = False
            self.go_home()
            return
        day = dt.date.today()
        self.test_result.show_results(test, results, None, day)
        self.show_page(self.test_result)
        entry = self.entry
        if entry is not None:
            self.results.watch(
                self.store.call(lambda store: store.get_patient(entry.patient_id)),
                lambda patient: (
                    self.test_result.show_results(test, results, patient, day)
                    if self.entry is entry and self.test_result.results == results
                    else None
                ),
            )

    # ---- idle ----------------------------------------------------------------

    def _tick(self) -> None:
        wanted, held = self._keyboard_grab
        if wanted and not held:
            self.grab_keyboard(True)  # X refuses a grab until the window is mapped: retry
        page = self.stack.currentWidget()
        if self.therapist_window is not None:
            if self.idle.quiet_for() > THERAPIST_TIMEOUT:
                self.therapist_window.close()  # never leave therapist data open on a kiosk
        elif page is self.checkin:
            if time.monotonic() >= self._refresh_at:
                self.refresh_checkin()
        elif page in (self.live_page, self.rest):
            if self.controller.session.state in ACTIVE:
                self._watch_session_idle()
        elif self.idle.expired():
            self.go_home()

    def _watch_session_idle(self) -> None:
        """Ask "Still there?" once nobody was in view (or, paused, nobody touched) for the idle
        timeout; withdraw the question when someone steps back into view."""
        paused = self.controller.session.state == SessionState.PAUSED
        if self.still_there.showing:
            if not paused and self.controller.session.last_person_at > self._asked_at:
                log.info("someone is back in view: the session goes on")
                self._still_here()
            return
        if self.idle.expired(since=None if paused else self.controller.session.last_person_at):
            self._asked_at = time.monotonic()
            lang = self.options.language
            self.still_there.ask(
                tr("Still there?", lang),
                tr("This session ends in {seconds} s. Your reps so far are saved.", lang),
                tr("I'm here", lang),
                seconds=self.options.still_there_seconds,
            )

    def _still_here(self) -> None:
        self.still_there.dismiss()
        self.idle.poke()

    def _nobody_answered(self) -> None:
        log.info("no answer to 'Still there?' after %.0f s idle: ending the session", self.idle.timeout)
        self.go_home()

    # ---- the way out ---------------------------------------------------------

    def ask_pin(self) -> None:
        """Escape, a close request or the Staff button: the PIN pad (not in the middle of a session)."""
        if self.in_session or self.therapist_window is not None:
            return
        self.pin.clear()
        self.show_page(self.pin)

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
        if self.stack.currentWidget() is not self.pin:
            return  # timed out back to check-in meanwhile
        if answer.ok:
            self.pin.clear()
            self.show_page(self.menu)
        else:
            self.pin.show_answer(answer)

    def open_therapist(self) -> None:
        """The therapist screens, already unlocked (the PIN pad asked); the kiosk hides meanwhile."""
        from rehab_coach.session.store import Store
        from rehab_coach.ui.therapist.window import TherapistWindow

        store = Store(self.options.db_url)
        window = TherapistWindow(store, self.library, touch=True, kiosk=True, language=self.options.language)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.destroyed.connect(lambda *_: QTimer.singleShot(0, lambda: self._therapist_closed(store)))
        window.unlock()
        self.therapist_window = window
        self.grab_keyboard(False)
        self.hide()
        window.showMaximized()
        self.idle.poke()
        self.input.arm(True)

    def _therapist_closed(self, store: Any) -> None:
        store.close()
        self.therapist_window = None
        if not self.locked:
            return  # on the way out (SIGTERM while the therapist screens were open)
        self.present()
        self.grab_keyboard(True)
        self.go_home()

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
