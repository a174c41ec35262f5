"""Across sessions: range-of-motion and quality trends per exercise, and adherence."""

from __future__ import annotations

import datetime as dt

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from rehab_coach.engine.clinical import is_clinical_test
from rehab_coach.engine.units import session_units
from rehab_coach.i18n import SOURCE_LANGUAGE, day_text
from rehab_coach.reports.names import exercise_name
from rehab_coach.session.store import Adherence, Store, TrendPoint
from rehab_coach.session.store.patient_detail import TrendsView, adherence_over, read_trends
from rehab_coach.ui.background import NewestRead
from rehab_coach.ui.strings import tr
from rehab_coach.ui.style import GREEN, ORANGE, SKY
from rehab_coach.ui.therapist.theme import themed_plot


class TrendsPanel(QWidget):
    read_failed = Signal(str)  # the trends could not be read: why

    def __init__(self, store: Store, parent: QWidget | None = None, language: str = "en") -> None:
        super().__init__(parent)
        self.store, self.language = store, language
        self.reads = NewestRead(self, "trends")  # a patient's sessions' figures and adherence
        self.adherence_reads = NewestRead(self, "adherence")  # another number of days
        self.patient_id: int | None = None
        self.every_point: list[TrendPoint] = []  # every session's, as read
        self.points: list[TrendPoint] = []  # the chosen exercise's, plotted
        self.adherence: Adherence | None = None
        self.exercise = QComboBox()
        self.window_days = QSpinBox()
        self.window_days.setRange(7, 365)
        self.window_days.setValue(28)
        self.window_days.setSuffix(" " + tr("days", language))
        self.adherence_label = QLabel()
        self.rom = self._plot(tr("Range of motion per session", language), tr("excursion (deg)", language), language)
        self.quality = self._plot(tr("Quality per session", language), tr("quality (0-100)", language), language)
        self.quality.setYRange(0, 100)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Exercise", language)))
        top.addWidget(self.exercise, 1)
        top.addWidget(QLabel(tr("Adherence over", language)))
        top.addWidget(self.window_days)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.adherence_label)
        layout.addWidget(self.rom, 1)
        layout.addWidget(self.quality, 1)
        self.exercise.currentIndexChanged.connect(self._plot_trends)
        self.window_days.valueChanged.connect(self._days_changed)

    @staticmethod
    def _plot(title: str, y_label: str, language: str) -> pg.PlotWidget:
        plot = themed_plot(title=title, axisItems={"bottom": DayAxis(language)})
        plot.setLabel("left", y_label)
        plot.showGrid(x=True, y=True, alpha=0.2)
        plot.addLegend(offset=(10, 10))
        return plot

    def load(self, patient_id: int) -> None:
        """Read the patient's sessions' figures and adherence on the worker; the tab is disabled
        until they show."""
        self.patient_id = patient_id
        self.setEnabled(False)
        self.adherence_reads.cancel()  # for the patient before
        store, days = self.store, self.window_days.value()
        self.reads.read(lambda: read_trends(store, patient_id, days), self._show, self._failed)

    @property
    def loaded(self) -> bool:
        return not self.reads.loading and not self.adherence_reads.loading

    def _failed(self, error: BaseException) -> None:
        self.read_failed.emit(str(error))

    def _show(self, view: TrendsView) -> None:
        self.setEnabled(True)
        self.every_point = view.points
        self.exercise.blockSignals(True)
        self.exercise.clear()
        # Standard tests have their own tab (Tests): no range of motion to plot here.
        exercises = sorted({p.exercise_id for p in view.points if not is_clinical_test(p.exercise_id)})
        for exercise_id in exercises:
            self.exercise.addItem(exercise_name(exercise_id, language=self.language), exercise_id)
        self.exercise.blockSignals(False)
        self._plot_trends()
        self._show_adherence(view.adherence)

    def _plot_trends(self) -> None:
        """The chosen exercise's sessions, from those read (no read)."""
        self.rom.clear()
        self.quality.clear()
        exercise_id = self.exercise.currentData()
        if self.patient_id is None or exercise_id is None:
            self.points = []
            return
        self.points = [p for p in self.every_point if p.exercise_id == exercise_id and p.reps_complete]
        self.rom.setLabel("left", session_units(exercise_id, None, self.language).excursion_label)
        xs = [p.started_at.timestamp() for p in self.points]
        symbol = {"symbol": "o", "symbolSize": 7}
        self.rom.plot(
            xs,
            [p.mean_rom for p in self.points],
            pen=pg.mkPen(SKY, width=2),
            name=tr("mean", self.language),
            symbolBrush=SKY,
            **symbol,
        )
        self.rom.plot(
            xs,
            [p.max_rom for p in self.points],
            pen=pg.mkPen(GREEN, width=1, style=Qt.PenStyle.DashLine),
            name=tr("best", self.language),
            symbolBrush=GREEN,
            **symbol,
        )
        self.quality.plot(
            xs,
            [p.mean_quality for p in self.points],
            pen=pg.mkPen(ORANGE, width=2),
            name=tr("mean", self.language),
            symbolBrush=ORANGE,
            **symbol,
        )

    def _days_changed(self, days: int) -> None:
        """Adherence over another number of days: read on the worker."""
        if self.patient_id is None:
            return
        store, patient_id = self.store, self.patient_id
        self.adherence_reads.read(lambda: adherence_over(store, patient_id, days), self._show_adherence, self._failed)

    def _show_adherence(self, read: Adherence) -> None:
        self.adherence = a = read
        if a.prescribed == 0:
            self.adherence_label.setText(tr("Adherence: nothing was prescribed in this period", self.language))
            return
        self.adherence_label.setText(
            tr(
                "Adherence: {0} of {1} prescribed sessions done ({2} %), {3} started but not finished",
                self.language,
                a.done,
                a.prescribed,
                f"{100 * (a.ratio or 0):.0f}",
                a.partial,
            )
        )


class DayAxis(pg.DateAxisItem):
    """pyqtgraph's date axis, with the days written in the language (it writes English month names)."""

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:  # noqa: N802 - pyqtgraph's name
        if self.language == SOURCE_LANGUAGE:
            return super().tickStrings(values, scale, spacing)
        return [day_text(dt.datetime.fromtimestamp(value).date(), self.language) for value in values]
