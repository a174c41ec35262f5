"""The one large number of a clinical test (seconds running, or stands), what it is, and the one thing
to know now ("Stands: 3 of 5", "12 s left", the TUG's phase, which leg). Read from across the room."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from rehab_coach.engine.clinical import ClinicalTest
from rehab_coach.engine.clinical.result import TrialProgress
from rehab_coach.i18n import _
from rehab_coach.session.clinical.words import PHASES
from rehab_coach.ui.strings import QT_TR_NOOP, tr
from rehab_coach.ui.style import COUNTER_MAX_PT, MUTED
from rehab_coach.ui.widgets.fit_label import FitLabel

STAND_ON = {"right": QT_TR_NOOP("Stand on your right leg"), "left": QT_TR_NOOP("Stand on your left leg")}


class TestReadout(QFrame):
    def __init__(self, language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self.setObjectName("card")
        self.test: ClinicalTest | None = None
        self.side: str | None = None
        self.title = QLabel()
        self.number = FitLabel("–", max_pt=COUNTER_MAX_PT)
        self.caption = QLabel()
        self.line = QLabel(" ")
        self.trial = QLabel()
        self.title.setStyleSheet(f"color: {MUTED}; font-size: 15pt; font-weight: 700; letter-spacing: 2px;")
        self.caption.setStyleSheet(f"color: {MUTED}; font-size: 24pt; font-weight: 600;")
        self.line.setStyleSheet("font-size: 22pt; font-weight: 700;")
        self.trial.setStyleSheet("font-size: 18pt;")
        layout = QVBoxLayout(self)
        layout.setSpacing(2)
        layout.addWidget(self.title, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.number, 1)
        for label in (self.caption, self.line, self.trial):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            layout.addWidget(label)

    def begin(self, test: ClinicalTest, trial: int, trials: int, side: str | None) -> None:
        lang = self.language
        self.test, self.side = test, side
        self.title.setText(_(test.short_name, lang).upper())
        self.number.setText("–")
        self.caption.setText(tr("stands", lang) if test.unit == "stands" else tr("seconds", lang))
        self.line.setText(tr(str(STAND_ON[side]), lang) if side else tr("Wait for Go", lang))
        self.trial.setText(tr("Trial {0} of {1}", lang, trial, trials) if trials > 1 else "")

    def show_progress(self, progress: TrialProgress) -> None:
        test, lang = self.test, self.language
        if test is None:
            return
        if test.id == "chair_stand_30s":
            self.number.setText(str(progress.count))
            left = max(0.0, test.limit_seconds - progress.elapsed)
            self.line.setText(tr("{0} s left", lang, f"{left:.0f}"))
        elif test.id == "five_times_sit_to_stand":
            self.number.setText(f"{progress.elapsed:.1f}")
            self.line.setText(tr("Stands: {0} of 5", lang, min(progress.count, 5)))
        elif test.id == "timed_up_and_go":
            self.number.setText(f"{progress.elapsed:.1f}")
            self.line.setText(_(PHASES[progress.phase], lang) if progress.phase else " ")
        else:
            held = progress.held
            self.number.setText(f"{held:.1f}" if held is not None else "0.0")
            self.caption.setText(tr("seconds on one leg", lang))
            if held is None:
                self.line.setText(tr("Lift one foot", lang))
            elif self.side:
                self.line.setText(tr(str(STAND_ON[self.side]), lang))
