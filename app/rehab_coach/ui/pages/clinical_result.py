"""A clinical test's result: the number (each leg for a single-leg stance), in plain words for the
patient with the norm's source named, and for the therapist (their view, not the patient's calm one)
the norm, its cut-offs, how the trial ended and what was flagged. Between the legs of a single-leg
stance it shows the first leg and starts the second."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from rehab_coach.engine.clinical import ClinicalResult, ClinicalTest
from rehab_coach.i18n import _
from rehab_coach.session.clinical.norms import read_result
from rehab_coach.session.clinical.words import SIDES, details_text, norm_lines, patient_words, result_text
from rehab_coach.session.live.store_thread import SaveResult
from rehab_coach.session.store.views import PatientInfo
from rehab_coach.ui.strings import tr
from rehab_coach.ui.style import MUTED
from rehab_coach.ui.widgets.test_readout import STAND_ON


class ClinicalResultPage(QWidget):
    again = Signal()  # another test
    done = Signal()  # back to the start
    next_trial = Signal()  # the other leg

    def __init__(self, language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self.test: ClinicalTest | None = None
        self.results: list[ClinicalResult] = []
        self.calm = True
        self.title = QLabel()
        self.title.setObjectName("title")
        self.values = QLabel()
        self.values.setStyleSheet("font-size: 48pt; font-weight: 800;")
        self.words = QLabel()
        self.words.setStyleSheet("font-size: 26pt; font-weight: 700;")
        self.source = QLabel()
        self.source.setObjectName("muted")
        self.next_text = QLabel()
        self.next_text.setStyleSheet("font-size: 24pt;")
        self.therapist = QLabel()
        self.therapist.setStyleSheet("font-size: 15pt;")
        self.saved_text = QLabel()
        self.saved_text.setObjectName("muted")
        for label in (self.values, self.words, self.source, self.next_text, self.therapist, self.saved_text):
            label.setWordWrap(True)
        self.therapist_card = QFrame()
        self.therapist_card.setObjectName("card")
        heading = QLabel(tr("For the therapist", language).upper())
        heading.setStyleSheet(f"color: {MUTED}; font-weight: 700; letter-spacing: 2px;")
        card = QVBoxLayout(self.therapist_card)
        card.addWidget(heading)
        card.addWidget(self.therapist)
        self.next_button = QPushButton()
        self.next_button.setObjectName("primary")
        self.again_button = QPushButton(tr("Another test", language))
        self.done_button = QPushButton(tr("Done", language))
        self.done_button.setObjectName("primary")
        self.next_button.clicked.connect(self.next_trial)
        self.again_button.clicked.connect(self.again)
        self.done_button.clicked.connect(self.done)
        content = QWidget()
        content.setObjectName("plain")
        column = QVBoxLayout(content)
        column.setContentsMargins(48, 24, 48, 12)
        column.setSpacing(14)
        for widget in (self.title, self.values, self.words, self.source, self.next_text, self.therapist_card):
            column.addWidget(widget)
        column.addStretch(1)
        column.addWidget(self.saved_text)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(48, 0, 48, 24)
        buttons.addWidget(self.again_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.done_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)

    def set_actions(self, again: str, done: str) -> None:
        self.again_button.setText(again)
        self.done_button.setText(done)

    def set_calm(self, calm: bool) -> None:
        """The patient's calm view hides the therapist's card."""
        self.calm = calm
        self.therapist_card.setVisible(not calm and bool(self.therapist.text()))

    def clear(self) -> None:
        self.test, self.results = None, []
        for label in (
            self.title,
            self.values,
            self.words,
            self.source,
            self.next_text,
            self.therapist,
            self.saved_text,
        ):
            label.setText("")
        self.set_calm(self.calm)

    def show_between(self, test: ClinicalTest, result: ClinicalResult, next_side: str) -> None:
        """One leg done: its time, and the button that starts the other leg."""
        lang = self.language
        self.test, self.results = test, [result]
        self.title.setText(_(test.name, lang))
        self.values.setText(result_text(result, lang))
        self.words.setText("")
        self.source.setText("")
        self.next_text.setText(tr("Next: {0}", lang, tr(str(STAND_ON[next_side]), lang)))
        self.next_button.setText(tr("Start the {0}", lang, _(SIDES[next_side], lang)))
        self.therapist.setText("\n".join(details_text(result, lang)))
        self._buttons(between=True)
        self.saved_text.setText("")
        self.set_calm(self.calm)

    def show_results(
        self, test: ClinicalTest, results: list[ClinicalResult], patient: PatientInfo | None, day: dt.date
    ) -> None:
        """The test's results (each leg), read against the norms for the patient's age and sex."""
        lang = self.language
        if results != self.results:
            self.saved_text.setText("")  # another test's results: its saving is told when it comes
        self.test, self.results = test, list(results)
        self.title.setText(_(test.name, lang))
        self.values.setText("\n".join(result_text(r, lang) for r in results) or "–")
        words, sources, therapist = [], [], []
        for result in results:
            reading = read_result(
                result.test,
                result.value,
                patient.birth_year if patient else None,
                patient.sex if patient else None,
                day,
            )
            prefix = f"{_(SIDES[result.side], lang)}: " if result.side and len(results) > 1 else ""
            if result.value is not None:
                words.append(prefix + patient_words(test, reading, lang))
            if reading is not None and reading.source is not None and reading.band is not None:
                sources.append(tr("Compared with: {0}", lang, norm_lines(reading, lang)[0]))
            therapist += [prefix + line for line in details_text(result, lang) + norm_lines(reading, lang)]
        self.words.setText("\n".join(dict.fromkeys(words)))
        self.source.setText("\n".join(dict.fromkeys(sources)))
        self.next_text.setText("")
        self.therapist.setText("\n".join(therapist))
        self._buttons(between=False)
        self.set_calm(self.calm)

    def show_saved(self, saved: SaveResult) -> None:
        self.saved_text.setText(saved.describe(self.language))

    def _buttons(self, *, between: bool) -> None:
        self.next_button.setVisible(between)
        self.again_button.setVisible(not between)
        self.done_button.setVisible(not between)
        (self.next_button if between else self.done_button).setFocus(Qt.FocusReason.OtherFocusReason)
