"""The start -> live -> rest -> summary (or a test's results) flow, and the therapist screens, for
both windows.

`MainWindow` and `KioskWindow` differ in how they choose an exercise and where they go after
it; the pages of a session and what the controller's signals do to them are the same, and live
here once. A window tells the flow how to bring a page up (`show`): the desktop shows it at once,
the kiosk moves its visit (which may go home instead, when the patient has left).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QWidget

from rehab_coach.capture.sources import SourceSpec
from rehab_coach.engine.clinical import ClinicalResult, ClinicalTest
from rehab_coach.engine.templates import Library, Template
from rehab_coach.session.live.events import ACTIVE, SessionState
from rehab_coach.session.live.store_thread import StoreThread
from rehab_coach.session.store import ProgramItemInfo
from rehab_coach.ui.background import Results
from rehab_coach.ui.controller import SessionController
from rehab_coach.ui.pages.clinical_result import ClinicalResultPage
from rehab_coach.ui.pages.live import LivePage
from rehab_coach.ui.pages.rest import RestPage
from rehab_coach.ui.pages.summary import SummaryPage

if TYPE_CHECKING:
    from rehab_coach.session.store import Store
    from rehab_coach.ui.therapist.window import TherapistWindow


class FlowPage(enum.Enum):
    LIVE = "live"
    REST = "rest"
    SUMMARY = "summary"
    BETWEEN_TRIALS = "between_trials"  # a test's result page, with its next trial to come
    TEST_RESULT = "test_result"  # ... and its results at the end


@dataclass
class FlowPages:
    """A window's pages of a session. `live_screen` is what is shown for `live` (the kiosk wraps it)."""

    live: LivePage
    rest: RestPage
    summary: SummaryPage
    test_result: ClinicalResultPage
    live_screen: QWidget | None = None

    def page(self, which: FlowPage) -> QWidget:
        return {
            FlowPage.LIVE: self.live_screen or self.live,
            FlowPage.REST: self.rest,
            FlowPage.SUMMARY: self.summary,
            FlowPage.BETWEEN_TRIALS: self.test_result,
            FlowPage.TEST_RESULT: self.test_result,
        }[which]


# Brings a page up; False when the window went elsewhere instead (the kiosk, going home).
ShowPage = Callable[[FlowPage], bool]
PatientKey = Callable[[], "int | str | None"]  # who the session is for (`Store.get_patient`'s key)


class SessionFlow(QObject):
    """What the controller's signals and the session pages' buttons do, for one window."""

    def __init__(
        self,
        controller: SessionController,
        pages: FlowPages,
        show: ShowPage,
        store: StoreThread,
        results: Results,
        patient_key: PatientKey,
        touched: Callable[[], None] = lambda: None,
    ) -> None:
        super().__init__(controller)
        self.controller, self.show, self.store, self.results = controller, show, store, results
        self.patient_key, self.touched = patient_key, touched
        self.test: ClinicalTest | None = None  # the running (or last) standard test
        self.pages = pages
        controller.stateChanged.connect(lambda state: self.pages.live.show_paused(state == SessionState.PAUSED))
        controller.restRequested.connect(self._rest)
        controller.finished.connect(self._finished)
        controller.saved.connect(lambda outcome: self.pages.summary.show_saved(outcome))
        controller.checkInSaved.connect(
            lambda outcome, text, advice: self.pages.summary.show_check_in_saved(outcome, text, advice)
        )
        controller.trialEnded.connect(self._between_trials)
        controller.testFinished.connect(self._test_finished)
        controller.testSaved.connect(lambda saved: self.pages.test_result.show_saved(saved))
        self.set_pages(pages)

    def set_pages(self, pages: FlowPages) -> None:
        """The pages to drive (the kiosk builds them again in another language)."""
        self.pages = pages
        if self.controller.page is not pages.live:
            self.controller.set_page(pages.live)
        pages.live.pauseRequested.connect(self.toggle_pause)
        pages.live.finishConfirmed.connect(self.finish)
        pages.live.skipFramingRequested.connect(self.skip_framing)
        pages.rest.done.connect(self._rest_done)
        pages.test_result.next_trial.connect(self.next_trial)
        pages.summary.check_in.answered.connect(self._check_in_answered)

    @property
    def idle(self) -> bool:
        """No session running: a new one may start."""
        return self.controller.session.state in (SessionState.IDLE, SessionState.DONE)

    @property
    def running(self) -> bool:
        """A session runs, is paused, or is being finished (and saved)."""
        return self.controller.session.state in (*ACTIVE, SessionState.FINISHING)

    # ---- starting ------------------------------------------------------------

    def start_exercise(
        self,
        template: Template,
        source: SourceSpec,
        *,
        patient: str | None,
        program_item: ProgramItemInfo | None,
        overrides: dict[str, Any],
    ) -> bool:
        if not self.idle or not self.show(FlowPage.LIVE):
            return False
        self.test = None
        self.pages.live.show_paused(False)
        self.controller.start(template, source, patient=patient, program_item=program_item, overrides=overrides)
        return True

    def start_test(self, test: ClinicalTest, source: SourceSpec, *, patient: str | None) -> bool:
        if not self.idle or not self.show(FlowPage.LIVE):
            return False
        self.test = test
        self.controller.start_test(test, source, patient=patient)
        return True

    # ---- the live page's buttons ---------------------------------------------

    def toggle_pause(self) -> None:
        self.touched()
        self.controller.session.toggle_pause()
        self.pages.live.show_paused(self.controller.session.state == SessionState.PAUSED)

    def finish(self) -> None:
        self.touched()
        self.controller.session.finish()

    def skip_framing(self) -> None:
        self.touched()
        self.controller.session.skip_framing()

    # ---- the controller's signals --------------------------------------------

    def _rest(self, seconds: float, next_set: int, sets: int, text: str) -> None:
        if self.show(FlowPage.REST):
            self.pages.rest.begin(seconds, next_set, sets, text)

    def _rest_done(self) -> None:
        self.show(FlowPage.LIVE)
        self.controller.session.end_rest()

    def _finished(self, outcome: object) -> None:
        if self.show(FlowPage.SUMMARY):
            self.pages.summary.show_outcome(outcome)  # type: ignore[arg-type]

    def _check_in_answered(self, pain: int | None, effort: int | None) -> None:
        outcome = self.pages.summary.outcome
        if outcome is not None:
            self.controller.record_check_in(outcome, pain, effort)

    def _between_trials(self, result: ClinicalResult, next_side: str) -> None:
        test = self.test
        if test is not None and self.show(FlowPage.BETWEEN_TRIALS):
            self.pages.test_result.show_between(test, result, next_side)

    def next_trial(self) -> None:
        self.touched()
        self.show(FlowPage.LIVE)
        self.controller.next_trial()

    def _test_finished(self, test: ClinicalTest, results: list[ClinicalResult], _outcome: object) -> None:
        """The results, read against the norms once the patient's age and sex are read (off this thread)."""
        if not self.show(FlowPage.TEST_RESULT):
            return
        day = dt.date.today()
        page = self.pages.test_result
        page.show_results(test, results, None, day)
        key = self.patient_key()
        if key is None:
            return
        self.results.watch(
            self.store.call(lambda store: store.get_patient(key)),
            lambda patient: (
                page.show_results(test, results, patient, day)
                if self.patient_key() == key and page is self.pages.test_result and page.results == results
                else None
            ),
        )


class TherapistScreens:
    """The therapist window with a database connection of its own, opened once at a time."""

    def __init__(self, db_url: str | None, closed: Callable[[], None]) -> None:
        self.db_url, self.closed = db_url, closed
        self.window: TherapistWindow | None = None
        self._store: Store | None = None

    def open(
        self, library: Library, language: str, *, kiosk: bool = False, defer_close: bool = False
    ) -> TherapistWindow:
        """The window (the open one, brought forward). `defer_close`: `closed` runs from the event
        loop, not from within the window's destruction (the kiosk shows itself again then)."""
        if self.window is not None:
            self.window.raise_()
            self.window.activateWindow()
            return self.window
        from rehab_coach.session.store import Store
        from rehab_coach.ui.therapist.window import TherapistWindow  # loaded when first asked for

        store = Store(self.db_url)
        window = TherapistWindow(store, library, touch=kiosk, kiosk=kiosk, language=language)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if defer_close:
            from PySide6.QtCore import QTimer

            window.destroyed.connect(lambda *_: QTimer.singleShot(0, lambda: self._closed(store)))
        else:
            window.destroyed.connect(lambda *_: self._closed(store))
        self.window, self._store = window, store
        return window

    def _closed(self, store: Store) -> None:
        store.close()
        if self._store is store:
            self.window, self._store = None, None
        self.closed()

    def close(self) -> None:
        """Lock the screens, then close them and their database."""
        window, store = self.window, self._store
        if window is None:
            return
        window.lock()  # nothing of a patient stays on screen, even if closing were refused
        window.close()
        if store is not None:
            store.close()  # now: once the event loop ends the window's `destroyed` may never come
