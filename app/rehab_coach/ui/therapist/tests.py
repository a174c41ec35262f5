"""The therapist's Tests tab: every standard clinical test of the patient (newest first) with the value
in force, what the patient read and the norm; the chosen trial's details, its norm with the source and
cut-offs, and its corrections; a trend of one test over time; and Correct result... (a value and a reason,
kept beside the measured one). The rows, trends and words come from `session.clinical.history`."""

from __future__ import annotations

import datetime as dt

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rehab_coach.i18n import _, day_text
from rehab_coach.session.clinical.history import ResultHistory, ResultRow, correction_text, result_history
from rehab_coach.session.clinical.words import SIDES, value_text
from rehab_coach.session.store import Store, StoreError
from rehab_coach.session.store.clinical import ClinicalResultInfo, correct_clinical_result
from rehab_coach.session.store.patient_detail import ClinicalView, read_clinical
from rehab_coach.ui.background import NewestRead
from rehab_coach.ui.strings import QT_TR_NOOP, tr
from rehab_coach.ui.style import GREEN, MUTED, SKY
from rehab_coach.ui.therapist.dialog_parts import error_label, save_cancel_buttons
from rehab_coach.ui.therapist.theme import themed_plot
from rehab_coach.ui.therapist.trends import DayAxis

COLUMNS = (
    QT_TR_NOOP("Date"),
    QT_TR_NOOP("Test"),
    QT_TR_NOOP("Result"),
    QT_TR_NOOP("For the patient"),
    QT_TR_NOOP("Norm"),
)
SIDE_PENS = {None: SKY, "right": SKY, "left": GREEN}


class CorrectResultDialog(QDialog):
    """A therapist's value for a test result, with the reason; the measured value stays beside it."""

    def __init__(
        self, store: Store, info: ClinicalResultInfo, parent: QWidget | None = None, language: str = "en"
    ) -> None:
        super().__init__(parent)
        self.store, self.info, self.language = store, info, language
        self.saved = False
        lang = language
        unit = info.result.unit
        self.setWindowTitle(tr("Correct result", lang))
        self.value = QDoubleSpinBox()
        self.value.setDecimals(0 if unit == "stands" else 1)
        self.value.setRange(0, 100 if unit == "stands" else 600)
        self.value.setSuffix(" " + (tr("stands", lang) if unit == "stands" else tr("s", lang)))
        self.value.setValue(info.value or 0.0)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(tr("why, e.g. re-timed from the video", lang))
        self.error = error_label()
        measured = value_text(info.measured, unit, lang)
        form = QFormLayout(self)
        form.addRow(tr("Measured by the app", lang), QLabel(measured))
        form.addRow(tr("Corrected result", lang), self.value)
        form.addRow(tr("Reason", lang), self.reason)
        form.addRow(self.error)
        form.addRow(save_cancel_buttons(self, self.save, lang))

    def save(self) -> None:
        try:
            correct_clinical_result(self.store, self.info.id, self.value.value(), self.reason.text())
        except StoreError as exc:
            self.error.setText(str(exc))
            return
        self.saved = True
        self.accept()


class ClinicalTestsView(QWidget):
    read_failed = Signal(str)  # the results could not be read: why

    def __init__(self, store: Store, parent: QWidget | None = None, language: str = "en") -> None:
        super().__init__(parent)
        self.store, self.language = store, language
        self.reads = NewestRead(self, "clinical")
        lang = language
        self.patient_id: int | None = None
        self.history = ResultHistory([], [])
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([tr(str(c), lang) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in (3, 4):  # the words and the norm share what is left, wrapped
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.empty = QLabel(tr("No standard test yet. Tests are started from the exercise list.", lang))
        self.empty.setObjectName("muted")
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.correct_button = QPushButton(tr("Correct result…", lang))
        self.correct_button.setEnabled(False)
        self.correct_button.clicked.connect(self.correct)
        self.test = QComboBox()
        self.change = QLabel()
        self.plot = themed_plot(title=tr("Trend", lang), axisItems={"bottom": DayAxis(lang)})
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.plot.addLegend(offset=(10, 10))
        detail_box = QWidget()
        detail_layout = QVBoxLayout(detail_box)
        detail_layout.addWidget(self.detail, 1)
        detail_layout.addWidget(self.correct_button, 0, Qt.AlignmentFlag.AlignLeft)
        trend_box = QWidget()
        trend_layout = QVBoxLayout(trend_box)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Test", lang)))
        top.addWidget(self.test, 1)
        top.addWidget(self.change)
        trend_layout.addLayout(top)
        trend_layout.addWidget(self.plot, 1)
        lower = QSplitter()
        lower.addWidget(detail_box)
        lower.addWidget(trend_box)
        lower.setSizes([400, 500])
        main = QSplitter(Qt.Orientation.Vertical)
        main.addWidget(self.table)
        main.addWidget(lower)
        main.setSizes([500, 400])
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(main, 1)
        self.table.itemSelectionChanged.connect(self._selected)
        self.test.currentIndexChanged.connect(self._plot)

    def load(self, patient_id: int, select: int | None = None) -> None:
        """Read the patient's results on the worker; the tab is disabled until they show. `select`: a
        result id to choose once they do."""
        self.patient_id = patient_id
        self.setEnabled(False)
        store = self.store
        self.reads.read(
            lambda: read_clinical(store, patient_id),
            lambda view: self._show(view, select),
            lambda error: self.read_failed.emit(str(error)),
        )

    @property
    def loaded(self) -> bool:
        return not self.reads.loading

    def _show(self, view: ClinicalView, select: int | None) -> None:
        self.setEnabled(True)
        self.history = result_history(view.results, view.patient, self.language)
        self._fill()
        for index, row in enumerate(self.history.rows):
            if row.result_id == select:
                self.select(index)

    def _fill(self) -> None:
        rows = self.history.rows
        self.empty.setVisible(not rows)
        self.table.blockSignals(True)
        self.table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            cells = (day_text(row.day, self.language), row.name, row.value, row.words, self._norm_cell(row))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row.result_id)
                self.table.setItem(index, column, item)
        self.table.resizeRowsToContents()
        self.table.blockSignals(False)
        self.detail.setText("")
        self.correct_button.setEnabled(False)
        chosen = self.test.currentData()
        self.test.blockSignals(True)
        self.test.clear()
        for trend in self.history.trends:
            self.test.addItem(trend.name, trend.test_id)
        found = self.test.findData(chosen)
        self.test.setCurrentIndex(found if found >= 0 else 0)
        self.test.blockSignals(False)
        self._plot()

    def _norm_cell(self, row: ResultRow) -> str:
        if row.norm is None:
            return ""
        text = row.norm_lines[0] if row.norm_lines else ""
        if row.past_a_cutoff:
            text = "⚠ " + text
        return text

    def selected_row(self) -> ResultRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.history.rows[rows[0].row()] if rows else None

    def select(self, index: int) -> None:
        self.table.selectRow(index)

    def _selected(self) -> None:
        row = self.selected_row()
        self.correct_button.setEnabled(row is not None)
        if row is None:
            self.detail.setText("")
            return
        lines = [f"{row.name}: {row.value}", *row.details, *row.norm_lines]
        if row.words:
            lines.insert(1, tr("The patient read: {0}", self.language, row.words))
        lines += [correction_text(_with(row.info, c), self.language) for c in range(len(row.info.corrections))]
        self.detail.setText("\n".join(lines))

    def _plot(self) -> None:
        self.plot.clear()
        trend = self.history.trend(self.test.currentData()) if self.test.count() else None
        self.change.setText("")
        if trend is None:
            return
        unit_label = tr("stands", self.language) if trend.unit == "stands" else tr("seconds", self.language)
        self.plot.setLabel("left", unit_label)
        sides = dict.fromkeys(p.side for p in trend.points)
        for side in sides:
            points = [p for p in trend.points if p.side == side]
            xs = [dt.datetime.combine(p.day, dt.time(12)).timestamp() for p in points]
            name = _(SIDES[side], self.language) if side else ""
            self.plot.plot(
                xs,
                [p.value for p in points],
                pen=pg.mkPen(SIDE_PENS.get(side, SKY), width=2),
                symbol="o",
                symbolSize=8,
                symbolBrush=SIDE_PENS.get(side, SKY),
                name=name or None,
            )
        if len(sides) == 1:
            self.change.setText(trend.change_text(self.language))
        self.change.setStyleSheet(f"color: {MUTED}")

    def correct(self) -> CorrectResultDialog | None:
        row = self.selected_row()
        if row is None:
            return None
        dialog = CorrectResultDialog(self.store, row.info, self, self.language)
        dialog.finished.connect(lambda _result: self._corrected(dialog))
        dialog.open()
        return dialog

    def _corrected(self, dialog: CorrectResultDialog) -> None:
        if dialog.saved and self.patient_id is not None:
            self.load(self.patient_id, select=dialog.info.id)  # the corrected result stays chosen


def _with(info: ClinicalResultInfo, index: int) -> ClinicalResultInfo:
    """The result as it stood after its `index`-th correction (each correction told in turn)."""
    return ClinicalResultInfo(
        info.id,
        info.session_id,
        info.session_uid,
        info.patient_id,
        info.started_at,
        info.session_status,
        info.result,
        info.corrections[: index + 1],
    )
