"""Which patient the therapist screens are about, whatever the list's search shows (plain Python, no Qt).

There is one chosen patient. The patient list highlights its row when the search shows it, the
detail beside the list shows it, and Edit and the exports act on it. A search that hides the
chosen patient hides the row only: the detail still shows that patient, and once the search
shows the row again it is highlighted again. Choosing a row always chooses that row's patient,
whichever row was highlighted before.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass
class PatientSelection:
    chosen: int | None = None  # the patient id the detail shows; None: nobody yet
    shown: tuple[int, ...] = ()  # the patient ids the list shows, in its order

    def show(self, patient_ids: Iterable[int]) -> None:
        """The list was filled again (a search, an archive toggle, an edit); the chosen patient stays."""
        self.shown = tuple(patient_ids)

    def choose(self, patient_id: int) -> bool:
        """True when this is another patient than the one chosen (the detail must load it)."""
        changed = patient_id != self.chosen
        self.chosen = patient_id
        return changed

    def choose_row(self, row: int) -> bool:
        """A row of the list chosen; True when it holds another patient than the one chosen."""
        if not 0 <= row < len(self.shown):
            return False
        return self.choose(self.shown[row])

    @property
    def highlighted_row(self) -> int | None:
        """The row to highlight: the chosen patient's, or none when the search hides it."""
        if self.chosen is None or self.chosen not in self.shown:
            return None
        return self.shown.index(self.chosen)
