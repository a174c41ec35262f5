"""What the kiosk asks the database during a visit, on the store thread, never on the GUI thread:
today's patients, the patient's second factor, their program and progress, the therapist's PIN.

Each answer goes to the visit (`session/kiosk_visit.py`), which says whether it still counts (the
patient may have left meanwhile), and then to its page.
"""

from __future__ import annotations

import logging

from rehab_coach.session.kiosk_day import CheckInEntry, patient_plan, todays_patients
from rehab_coach.session.kiosk_visit import FactorAnswer, KioskVisit, PinAnswer
from rehab_coach.session.live.store_thread import StoreThread
from rehab_coach.session.security import PinCheck
from rehab_coach.session.store import patient_progress
from rehab_coach.ui.background import Results
from rehab_coach.ui.kiosk.pages import KioskPages
from rehab_coach.ui.strings import tr

log = logging.getLogger(__name__)


class VisitReads:
    """`pages`: the pages shown now (built again in another language)."""

    def __init__(self, store: StoreThread, results: Results, visit: KioskVisit, pages: KioskPages) -> None:
        self.store, self.results, self.visit, self.pages = store, results, visit, pages

    def today(self) -> None:
        """Today's patients for the check-in page (again every minute, sooner while the database is away)."""
        self.visit.list_requested()
        self.results.watch(self.store.call(todays_patients), self._show_today, self._today_failed)

    def _show_today(self, entries: list[CheckInEntry]) -> None:
        checkin = self.pages.checkin
        if entries != checkin.entries or not checkin.title.text() or checkin.message.text():
            checkin.show_entries(entries, self.pages.show_names)

    def _today_failed(self, error: BaseException) -> None:
        log.warning("today's patients not available: %s", error)
        self.visit.list_failed()
        self.pages.checkin.show_unavailable()

    def check_factor(self, value: str) -> None:
        """The birth year or check-in PIN the patient typed."""
        entry = self.visit.factor_entry
        if entry is None:
            return
        self.results.watch(
            self.store.call(lambda store: store.verify_checkin_factor(entry.patient_id, value)),
            lambda ok: self._factor_answer(entry, ok),
            lambda error: self.pages.factor.show_error(
                tr("This cannot be checked right now. Please ask the staff.", self.pages.language)
            ),
        )

    def _factor_answer(self, entry: CheckInEntry, ok: bool) -> None:
        if self.visit.factor_answer(entry, ok) is FactorAnswer.TRY_AGAIN:
            self.pages.factor.show_error(
                tr("That does not match. Please try again or ask the staff.", self.pages.language)
            )

    def program(self, entry: CheckInEntry) -> None:
        """The program page for the patient just checked in (or back for more): plan and progress."""
        program = self.pages.program
        program.show_loading(entry, self.pages.show_names)
        self.results.watch(
            self.store.call(lambda store: patient_plan(store, entry.patient_id)),
            lambda plan: program.show_plan(plan) if self.visit.still_checked_in(entry) else None,
            lambda error: program.show_error(tr("Your program is not available right now.", program.language)),
        )
        self.results.watch(
            self.store.call(lambda store: patient_progress(store, entry.patient_id)),
            lambda progress: program.show_progress(progress) if self.visit.still_checked_in(entry) else None,
            lambda error: log.warning("progress not available: %s", error),
        )

    def check_pin(self, pin: str) -> None:
        """The therapist's PIN: scrypt plus a database round trip, on the store thread."""
        self.results.watch(
            self.store.call(lambda store: store.check_pin(pin)),
            self._pin_answer,
            lambda error: self.pages.pin.show_error(
                tr(
                    "The PIN cannot be checked now: the database does not answer. Try again in a minute.",
                    self.pages.language,
                )
            ),
        )

    def _pin_answer(self, answer: PinCheck) -> None:
        verdict = self.visit.pin_answer(answer.ok)
        if verdict is PinAnswer.ACCEPTED:
            self.pages.pin.clear()
        elif verdict is PinAnswer.WRONG:
            self.pages.pin.show_answer(answer)
