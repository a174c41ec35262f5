"""Session history of a patient, and one session in detail: every rep's angle curve overlaid,
quality per rep, faults, the patient's pain and effort, and the therapist's count corrections
(kept beside the recorded count, with their reasons)."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rehab_coach.reports.names import exercise_name, fault_name
from rehab_coach.session.store import CorrectionInfo, SessionDetail, SessionInfo, Store, StoreError, pain_flags
from rehab_coach.ui.style import MUTED, SKY, VERMILLION
from rehab_coach.ui.therapist.theme import themed_plot

SESSION_COLUMNS = (
    "Date",
    "Exercise",
    "Status",
    "Reps",
    "Partial",
    "Pain",
    "Effort",
    "Quality",
    "Excursion (deg)",
    "Best angle",
)
FLAG_COLOUR = "#D55E00"
REP_COLUMNS = ("Rep", "Set", "Side", "Complete", "Excursion", "Angle reached", "Duration (s)", "Quality", "Faults")
COMPLETE_PEN = SKY  # complete reps; partial ones vermillion (and listed as such in the table)
PARTIAL_PEN = VERMILLION


def _cell(text: object) -> QTableWidgetItem:
    item = QTableWidgetItem("-" if text is None else str(text))
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


def _table(columns: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.verticalHeader().setVisible(False)
    return table


def reps_text(session: SessionInfo) -> str:
    """The rep count as it counts, with the recorded one beside a correction."""
    if session.corrected_reps is None:
        return str(session.reps_complete)
    return f"{session.corrected_reps} (recorded {session.reps_complete})"


class CorrectionDialog(QDialog):
    """Correct a session's rep count; the reason is required and kept with the correction."""

    def __init__(self, store: Store, session: SessionInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.session = store, session
        self.saved: CorrectionInfo | None = None
        self.setWindowTitle("Correct the rep count")
        self.count = QSpinBox()
        self.count.setRange(0, 1000)
        self.count.setValue(session.reps_counted)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("why, e.g. 'two reps were the patient adjusting the chair'")
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QLabel(f"Recorded by the app: {session.reps_complete} complete reps"))
        form.addRow("Correct count", self.count)
        form.addRow("Reason", self.reason)
        form.addRow(self.error)
        form.addRow(buttons)

    def save(self) -> None:
        try:
            self.saved = self.store.correct_count(self.session.id, self.count.value(), self.reason.text())
        except StoreError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


class SessionDetailView(QWidget):
    corrected = Signal()  # a count correction was saved

    def __init__(self, store: Store | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.detail: SessionDetail | None = None
        self.title = QLabel("Choose a session")
        self.title.setWordWrap(True)
        self.corrections = QLabel()
        self.corrections.setWordWrap(True)
        self.correct_button = QPushButton("Correct count…")
        self.correct_button.setEnabled(False)
        self.correct_button.setVisible(store is not None)
        self.correct_button.clicked.connect(self.correct_count)
        self.curves = themed_plot()
        self.curves.setLabel("bottom", "seconds into the rep")
        self.curves.setLabel("left", "angle (deg)")
        self.curves.showGrid(x=True, y=True, alpha=0.2)
        self.quality = themed_plot()
        self.quality.setLabel("bottom", "rep")
        self.quality.setLabel("left", "quality (0-100)")
        self.quality.setYRange(0, 100)
        self.reps = _table(REP_COLUMNS)
        plots = QSplitter(Qt.Orientation.Horizontal)
        plots.addWidget(self.curves)
        plots.addWidget(self.quality)
        plots.setSizes([600, 300])
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.correct_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.corrections)
        layout.addWidget(plots, 2)
        layout.addWidget(self.reps, 1)

    def clear(self, message: str = "Choose a session") -> None:
        """Nothing shown: no curves, no bars, no rows (a new patient, or one without sessions)."""
        self.detail = None
        self.title.setText(message)
        self.corrections.setText("")
        self.correct_button.setEnabled(False)
        self.curves.clear()
        self.quality.clear()
        self.reps.setRowCount(0)

    def show_session(self, detail: SessionDetail) -> None:
        self.detail = detail
        s = detail.session
        answers = []
        if s.pain is not None:
            answers.append(f"pain {s.pain}/10")
        if s.effort is not None:
            answers.append(f"effort {s.effort}/10")
        self.title.setText(
            f"{s.started_at.astimezone():%Y-%m-%d %H:%M}  {exercise_name(s.exercise_id)}  ({s.status}): "
            f"{reps_text(s)} complete, {s.reps_partial} partial" + (f"  ·  {', '.join(answers)}" if answers else "")
        )
        self.corrections.setText(
            "\n".join(
                f"Count corrected {c.corrected_at.astimezone():%Y-%m-%d %H:%M} on {c.host or 'unknown computer'}: "
                f"{c.original_count} → {c.corrected_count} ({c.reason})"
                for c in detail.corrections
            )
        )
        self.correct_button.setEnabled(True)
        self._plot_curves(detail)
        self._plot_quality(detail)
        self._fill_reps(detail)

    def _plot_curves(self, detail: SessionDetail) -> None:
        self.curves.clear()
        for rep in detail.reps:
            if rep.curve:
                xs = [t - rep.start_t for t, _ in rep.curve]
                ys = [v for _, v in rep.curve]
                pen = pg.mkPen(COMPLETE_PEN if rep.complete else PARTIAL_PEN, width=2)
                self.curves.plot(xs, ys, pen=pen, name=f"rep {rep.seq}")
        if detail.session.target is not None:
            line = pg.InfiniteLine(
                detail.session.target,
                angle=0,
                pen=pg.mkPen(MUTED, style=Qt.PenStyle.DashLine),
                label=f"target {detail.session.target:g}",
                labelOpts={"position": 0.95},
            )
            self.curves.addItem(line)

    def _plot_quality(self, detail: SessionDetail) -> None:
        self.quality.clear()
        if not detail.reps:
            return
        xs = [r.seq for r in detail.reps]
        brushes = [pg.mkBrush(COMPLETE_PEN if r.complete else PARTIAL_PEN) for r in detail.reps]
        self.quality.addItem(pg.BarGraphItem(x=xs, height=[r.quality for r in detail.reps], width=0.7, brushes=brushes))

    def _fill_reps(self, detail: SessionDetail) -> None:
        self.reps.setRowCount(len(detail.reps))
        for row, r in enumerate(detail.reps):
            values = (
                r.seq,
                r.set_number,
                r.side or "-",
                "yes" if r.complete else f"no ({r.partial_reason or '?'})",
                f"{r.rom:.1f}",
                f"{r.extreme:.1f}",
                f"{r.duration:.1f}",
                f"{r.quality:.0f}",
                ", ".join(fault_name(f) for f in r.faults),
            )
            for column, value in enumerate(values):
                self.reps.setItem(row, column, _cell(value))

    def correct_count(self) -> CorrectionDialog | None:
        if self.store is None or self.detail is None:
            return None
        dialog = CorrectionDialog(self.store, self.detail.session, self)
        dialog.finished.connect(lambda _result: self._corrected(dialog))
        dialog.open()
        return dialog

    def _corrected(self, dialog: CorrectionDialog) -> None:
        if dialog.saved is not None:
            self.show_session(self.store.session_detail(dialog.session.id))  # type: ignore[union-attr]
            self.corrected.emit()

    def plotted_curves(self) -> int:
        return len(self.curves.getPlotItem().listDataItems())


class SessionHistory(QWidget):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.sessions: list[SessionInfo] = []
        self.table = _table(SESSION_COLUMNS)
        self.detail = SessionDetailView(store)
        self.patient_id: int | None = None
        self.detail.corrected.connect(self.refresh_rows)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setSizes([200, 500])
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        self.table.itemSelectionChanged.connect(self._selected)

    def load(self, patient_id: int) -> None:
        """Show this patient's sessions. The detail pane is cleared first and filled explicitly:
        re-selecting a row that was already selected emits no selection signal, which once left
        the previous patient's session on screen."""
        self.patient_id = patient_id
        self.table.blockSignals(True)
        self.table.clearSelection()
        self.detail.clear()
        self.refresh_rows()
        if self.sessions:
            self.table.selectRow(0)
        self.table.blockSignals(False)
        if self.sessions:
            self.detail.show_session(self.store.session_detail(self.sessions[0].id))
        else:
            self.detail.clear("No sessions yet")

    def refresh_rows(self) -> None:
        """The session table (a correction changes a count); the selection stays where it is."""
        if self.patient_id is None:
            return
        self.sessions = self.store.sessions_for(self.patient_id)
        flags = pain_flags(self.sessions)
        self.table.setRowCount(len(self.sessions))
        for row, s in enumerate(self.sessions):
            pain = "-" if s.pain is None else f"{s.pain}" + (f"  ⚠ {flags[s.id].describe()}" if s.id in flags else "")
            values = (
                f"{s.started_at.astimezone():%Y-%m-%d %H:%M}",
                exercise_name(s.exercise_id),
                s.status,
                reps_text(s),
                s.reps_partial,
                pain,
                s.effort,
                s.mean_quality,
                s.mean_rom,
                s.best_extreme,
            )
            for column, value in enumerate(values):
                item = _cell(value)
                if column == 5 and s.id in flags:
                    item.setForeground(QColor(FLAG_COLOUR))
                self.table.setItem(row, column, item)

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.detail.show_session(self.store.session_detail(self.sessions[rows[0].row()].id))
