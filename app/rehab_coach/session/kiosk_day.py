"""What the kiosk reads from the store (run on the store thread; plain Python, no Qt)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rehab_coach.i18n import translate  # Qt-free: the core's catalogue
from rehab_coach.session.store import Store, TodayPlan, today_plan


@dataclass(frozen=True)
class CheckInEntry:
    """One patient expected today."""

    patient_id: int
    code: str
    name: str  # first name and initial ("Alice S."): the full name never reaches the kiosk's screens
    exercises: int  # program items today
    done: int  # of them done already today
    factor: str | None = None  # the second check-in factor asked after the name: "birth_year", "pin", None

    def label(self, show_names: bool, language: str = "en") -> str:
        progress = (
            translate("✓ done today", language)
            if self.exercises and self.done >= self.exercises
            else translate("{0} of {1} done", language, self.done, self.exercises)
        )
        first = f"{self.name}\n{self.code}" if show_names else self.code
        return f"{first}\n{progress}"


def todays_patients(store: Store, day: dt.date | None = None) -> list[CheckInEntry]:
    """Patients whose active program is scheduled today, by name."""
    entries = []
    for patient in store.list_patients():
        plan = today_plan(store, patient.id, day)
        if plan.scheduled and plan.items:
            done = sum(1 for item in plan.items if item.done)
            entries.append(
                CheckInEntry(
                    patient.id, patient.code, patient.short_name, len(plan.items), done, patient.checkin_factor
                )
            )
    return entries


def patient_plan(store: Store, patient_id: int) -> TodayPlan:
    return today_plan(store, patient_id)
