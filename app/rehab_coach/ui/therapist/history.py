"""Session history of a patient, and one session in detail: every rep's angle curve overlaid,
quality per rep, faults."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from rehab_coach.session.store import SessionDetail, SessionInfo, Store

SESSION_COLUMNS = ("Date", "Exercise", "Status", "Reps", "Partial", "Quality", "Excursion (deg)", "Best angle")
REP_COLUMNS = ("Rep", "Set", "Side", "Complete", "Excursion", "Angle reached", "Duration (s)", "Quality", "Faults")
COMPLETE_PEN = "#1f77b4"
PARTIAL_PEN = "#d62728"


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


class SessionDetailView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail: SessionDetail | None = None
        self.title = QLabel("Choose a session")
        self.curves = pg.PlotWidget(background="w")
        self.curves.setLabel("bottom", "seconds into the rep")
        self.curves.setLabel("left", "angle (deg)")
        self.curves.showGrid(x=True, y=True, alpha=0.2)
        self.quality = pg.PlotWidget(background="w")
        self.quality.setLabel("bottom", "rep")
        self.quality.setLabel("left", "quality (0-100)")
        self.quality.setYRange(0, 100)
        self.reps = _table(REP_COLUMNS)
        plots = QSplitter(Qt.Orientation.Horizontal)
        plots.addWidget(self.curves)
        plots.addWidget(self.quality)
        plots.setSizes([600, 300])
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(plots, 2)
        layout.addWidget(self.reps, 1)

    def clear(self, message: str = "Choose a session") -> None:
        """Nothing shown: no curves, no bars, no rows (a new patient, or one without sessions)."""
        self.detail = None
        self.title.setText(message)
        self.curves.clear()
        self.quality.clear()
        self.reps.setRowCount(0)

    def show_session(self, detail: SessionDetail) -> None:
        self.detail = detail
        s = detail.session
        self.title.setText(f"{s.started_at.astimezone():%Y-%m-%d %H:%M}  {s.exercise_id}  ({s.status}): "
                           f"{s.reps_complete} complete, {s.reps_partial} partial")
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
            line = pg.InfiniteLine(detail.session.target, angle=0, pen=pg.mkPen("#555", style=Qt.PenStyle.DashLine),
                                   label=f"target {detail.session.target:g}", labelOpts={"position": 0.95})
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
            values = (r.seq, r.set_number, r.side or "-", "yes" if r.complete else f"no ({r.partial_reason or '?'})",
                      f"{r.rom:.1f}", f"{r.extreme:.1f}", f"{r.duration:.1f}", f"{r.quality:.0f}", ", ".join(r.faults))
            for column, value in enumerate(values):
                self.reps.setItem(row, column, _cell(value))

    def plotted_curves(self) -> int:
        return len(self.curves.getPlotItem().listDataItems())


class SessionHistory(QWidget):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.sessions: list[SessionInfo] = []
        self.table = _table(SESSION_COLUMNS)
        self.detail = SessionDetailView()
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
        self.table.blockSignals(True)
        self.table.clearSelection()
        self.detail.clear()
        self.sessions = self.store.sessions_for(patient_id)
        self.table.setRowCount(len(self.sessions))
        for row, s in enumerate(self.sessions):
            values = (f"{s.started_at.astimezone():%Y-%m-%d %H:%M}", s.exercise_id, s.status, s.reps_complete,
                      s.reps_partial, s.mean_quality, s.mean_rom, s.best_extreme)
            for column, value in enumerate(values):
                self.table.setItem(row, column, _cell(value))
        if self.sessions:
            self.table.selectRow(0)
        self.table.blockSignals(False)
        if self.sessions:
            self.detail.show_session(self.store.session_detail(self.sessions[0].id))
        else:
            self.detail.clear("No sessions yet")

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.detail.show_session(self.store.session_detail(self.sessions[rows[0].row()].id))
