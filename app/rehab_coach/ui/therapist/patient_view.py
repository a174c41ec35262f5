"""The patient's own view: today's program and their progress, in plain words (no PIN needed)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from rehab_coach.engine.templates import Library
from rehab_coach.i18n import day_text, weekday_text
from rehab_coach.reports.names import exercise_name
from rehab_coach.session.live.sets import sets_of_reps_text
from rehab_coach.session.store import Store, TodayPlan
from rehab_coach.session.store.patient_detail import TodayView, read_today
from rehab_coach.ui.background import NewestRead
from rehab_coach.ui.strings import tr
from rehab_coach.ui.widgets.progress_view import ProgressView


class PatientTodayView(QWidget):
    read_failed = Signal(str)  # the day could not be read: why

    def __init__(self, store: Store, library: Library, parent: QWidget | None = None, language: str = "en") -> None:
        super().__init__(parent)
        self.store, self.library, self.language = store, library, language
        self.reads = NewestRead(self, "today")
        self.plan: TodayPlan | None = None
        self.heading = QLabel()
        self.heading.setObjectName("todayHeading")
        self.grid = QGridLayout()
        self.progress_label = QLabel()
        self.progress_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(self.grid)
        layout.addWidget(self.progress_label)
        self.progress = ProgressView(library, language)
        layout.addWidget(self.progress)
        layout.addStretch(1)

    def load(self, patient_id: int, day: dt.date | None = None) -> None:
        """Read the patient's day on the worker; the tab is disabled until it shows."""
        self.setEnabled(False)
        store = self.store
        self.reads.read(
            lambda: read_today(store, patient_id, day), self._show, lambda error: self.read_failed.emit(str(error))
        )

    @property
    def loaded(self) -> bool:
        return not self.reads.loading

    def _show(self, view: TodayView) -> None:
        self.setEnabled(True)
        self.plan = view.plan
        self._clear_grid()
        plan, lang = self.plan, self.language
        if not plan.items:
            self.heading.setText(tr("No exercise program yet. Your therapist will set one up.", lang))
        elif plan.scheduled:
            self.heading.setText(tr("Today, {0}: your exercises", lang, day_text(plan.day, lang, "MMMMEEEEd")))
        else:
            upcoming = (
                " " + tr("Next exercise day: {0}.", lang, weekday_text(plan.next_day, lang)) if plan.next_day else ""
            )
            self.heading.setText(tr("Today is a rest day.", lang) + upcoming)
        for row, item in enumerate(plan.items):
            template = self.library.templates.get(item.item.exercise_id)
            name = template.name.get(lang) if template else item.item.exercise_id
            bar = QProgressBar()
            bar.setRange(0, item.reps_prescribed)
            bar.setValue(min(item.reps_done, item.reps_prescribed))
            bar.setFormat(tr("{0} of {1} reps", lang, item.reps_done, item.reps_prescribed))
            status = tr("done", lang) if item.done else sets_of_reps_text(item.item.sets, item.item.reps, lang)
            self.grid.addWidget(QLabel(name), row, 0)
            self.grid.addWidget(bar, row, 1)
            self.grid.addWidget(QLabel(status), row, 2)
        self.progress_label.setText(self._progress_text(view))
        self.progress.show_progress(view.progress)

    def _progress_text(self, view: TodayView) -> str:
        lines = []
        for item in view.plan.items:
            points = [p for p in view.trends.get(item.item.exercise_id, []) if p.mean_quality is not None]
            if len(points) >= 2:
                first, last = points[0], points[-1]
                lines.append(
                    tr(
                        "{0}: movement quality {1} -> {2}, range {3} -> {4} deg over {5} sessions",
                        self.language,
                        exercise_name(item.item.exercise_id, self.library, self.language),
                        f"{first.mean_quality:.0f}",
                        f"{last.mean_quality:.0f}",
                        f"{first.mean_rom:.0f}",
                        f"{last.mean_rom:.0f}",
                        len(points),
                    )
                )
        return tr("Your progress", self.language) + ": " + "; ".join(lines) if lines else ""

    def _clear_grid(self) -> None:
        while (item := self.grid.takeAt(0)) is not None:
            widget = item.widget()
            if widget is not None:
                widget.deleteLater()

    def rows(self) -> list[str]:
        """Text of each exercise row (name, progress, status), for tests."""
        out = []
        for row in range(self.grid.rowCount()):
            cells = [self.grid.itemAtPosition(row, c) for c in range(3)]
            name, bar, status = (cell.widget() if cell is not None else None for cell in cells)
            if isinstance(name, QLabel) and isinstance(bar, QProgressBar) and isinstance(status, QLabel):
                out.append(f"{name.text()} | {bar.text()} | {status.text()}")
        return out
