"""Every page of the kiosk in one language, stacked, with the "Still there?" question over them.

The window builds them again when a patient picks the other language at check-in. `show_step`
brings up the page for a step of the visit (`session/kiosk_visit.py`), filled from the visit where
the page needs it; `forget` leaves nothing of the patient on any page.
"""

from __future__ import annotations

from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from rehab_coach.engine.templates import Library
from rehab_coach.session.kiosk_day import CheckInEntry
from rehab_coach.session.kiosk_visit import KioskVisit, VisitStep
from rehab_coach.ui.kiosk.checkin import CheckInPage, ProgramPage
from rehab_coach.ui.kiosk.pinpad import PinPage, StaffMenu
from rehab_coach.ui.kiosk.tests import TestChoicePage
from rehab_coach.ui.pages.clinical_result import ClinicalResultPage
from rehab_coach.ui.pages.instructions import InstructionsPage
from rehab_coach.ui.pages.live import LivePage
from rehab_coach.ui.pages.rest import RestPage
from rehab_coach.ui.pages.summary import SummaryPage
from rehab_coach.ui.session_flow import FlowPages
from rehab_coach.ui.strings import tr
from rehab_coach.ui.style import MUTED, SURFACE
from rehab_coach.ui.widgets.prompt import PromptOverlay

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


class KioskPages(QWidget):
    def __init__(self, library: Library, language: str, show_names: bool) -> None:
        super().__init__()
        self.language, self.show_names = language, show_names
        lang = language
        self.checkin, self.program = CheckInPage(lang), ProgramPage(library, lang)
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
        self.pages: dict[VisitStep, QWidget] = {
            VisitStep.CHECK_IN: self.checkin,
            VisitStep.PROGRAM: self.program,
            VisitStep.INSTRUCTIONS: self.instructions,
            VisitStep.LIVE: self.live_page,
            VisitStep.REST: self.rest,
            VisitStep.SUMMARY: self.summary,
            VisitStep.PIN: self.pin,
            VisitStep.STAFF_MENU: self.menu,
            VisitStep.FACTOR: self.factor,
            VisitStep.TESTS: self.tests,
            VisitStep.TEST_RESULT: self.test_result,
        }  # the therapist screens: none of the kiosk's
        self.stack = QStackedWidget()
        for page in self.pages.values():
            self.stack.addWidget(page)
        self.setObjectName("kiosk")
        self.setStyleSheet(KIOSK_STYLE)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.still_there = PromptOverlay(self)

    def flow_pages(self) -> FlowPages:
        """The pages the session flow drives."""
        return FlowPages(self.live, self.rest, self.summary, self.test_result, live_screen=self.live_page)

    def show_step(self, step: VisitStep, visit: KioskVisit) -> QWidget | None:
        """The step's page, filled from the visit where it needs to be; None for the therapist screens."""
        if step is VisitStep.FACTOR and visit.factor_entry is not None:
            self._ask_factor(visit.factor_entry)
        elif step is VisitStep.INSTRUCTIONS:
            if visit.test is not None:
                self.instructions.show_test(visit.test, "", kiosk=True)
            elif visit.exercise is not None:
                exercise = visit.exercise
                self.instructions.show_template(exercise.template, "", notes=exercise.item.notes, kiosk=True)
        page = self.pages.get(step)
        if page is not None:
            self.stack.setCurrentWidget(page)
        return page

    def _ask_factor(self, entry: CheckInEntry) -> None:
        self.factor.clear()
        lang = self.language
        word = tr("birth year", lang) if entry.factor == "birth_year" else tr("check-in PIN", lang)
        name = entry.name if self.show_names else entry.code
        self.factor.title.setText(tr("{0}, please enter your {1}", lang, name, word))

    def ask_still_there(self, seconds: float) -> None:
        lang = self.language
        self.still_there.ask(
            tr("Still there?", lang),
            tr("This session ends in {seconds} s. Your reps so far are saved.", lang),
            tr("I'm here", lang),
            seconds=seconds,
        )

    def forget(self) -> None:
        """Nothing of the patient on any page (going home)."""
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
