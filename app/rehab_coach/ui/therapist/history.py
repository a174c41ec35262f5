"""Session history of a patient, and one session in detail: every rep's angle curve overlaid,
quality per rep, faults, the patient's pain and effort (a pain flag with its review), and the
therapist's count corrections (kept beside the recorded count, with their reasons). The list
shows the last 7 days, the last 30 days or all sessions (`rehab_coach.session.period`), and
exports exactly what it shows in one click."""

from __future__ import annotations

import datetime as dt
import math

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
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

from rehab_coach.engine.anatomy import AngleSource, unmeasurable
from rehab_coach.engine.frame_rate import MIN_COUNTING_FPS
from rehab_coach.engine.units import session_units
from rehab_coach.reports.names import exercise_name, fault_name
from rehab_coach.session.period import PERIODS, Period, PeriodBounds, period_bounds
from rehab_coach.session.store import CorrectionInfo, PainFlag, SessionDetail, SessionInfo, Store, StoreError
from rehab_coach.session.store.patient_detail import SessionRows, read_session_rows
from rehab_coach.ui.background import NewestRead
from rehab_coach.ui.id_words import PARTIAL_WORDS, word
from rehab_coach.ui.strings import QT_TR_NOOP, tr
from rehab_coach.ui.style import MUTED, SKY, VERMILLION
from rehab_coach.ui.therapist.dialog_parts import error_label, save_cancel_buttons
from rehab_coach.ui.therapist.pain_review import FLAG_COLOUR, review_text
from rehab_coach.ui.therapist.theme import themed_plot

SESSION_COLUMNS = (
    QT_TR_NOOP("Date"),
    QT_TR_NOOP("Exercise"),
    QT_TR_NOOP("Status"),
    QT_TR_NOOP("Reps"),
    QT_TR_NOOP("Partial"),
    QT_TR_NOOP("Pain"),
    QT_TR_NOOP("Effort"),
    QT_TR_NOOP("Quality"),
    QT_TR_NOOP("Excursion (deg)"),
    QT_TR_NOOP("Best angle"),
)
REP_COLUMNS = (
    QT_TR_NOOP("Rep"),
    QT_TR_NOOP("Set"),
    QT_TR_NOOP("Side"),
    QT_TR_NOOP("Complete"),
    QT_TR_NOOP("Excursion"),
    QT_TR_NOOP("Angle reached"),
    QT_TR_NOOP("Duration (s)"),
    QT_TR_NOOP("Quality"),
    QT_TR_NOOP("Faults"),
)
# The words the database keeps as ids: a session's end, a rep's side (why a rep is partial: ui.id_words).
STATUS_WORDS = {
    "completed": QT_TR_NOOP("completed"),
    "stopped": QT_TR_NOOP("stopped"),
    "interrupted": QT_TR_NOOP("interrupted"),
    "in_progress": QT_TR_NOOP("in progress"),
}
SIDE_WORDS = {"left": QT_TR_NOOP("left"), "right": QT_TR_NOOP("right")}
PERIOD_WORDS: dict[Period, str] = {
    "7d": QT_TR_NOOP("Last 7 days"),
    "30d": QT_TR_NOOP("Last 30 days"),
    "all": QT_TR_NOOP("All"),
}
NO_SESSIONS_IN: dict[Period, str] = {
    "7d": QT_TR_NOOP("No sessions in the last 7 days (choose All for older ones)"),
    "30d": QT_TR_NOOP("No sessions in the last 30 days (choose All for older ones)"),
}
DEFAULT_PERIOD: Period = "30d"
COMPLETE_PEN = SKY  # complete reps; partial ones vermillion (and listed as such in the table)
PARTIAL_PEN = VERMILLION


def _cell(text: object) -> QTableWidgetItem:
    item = QTableWidgetItem("-" if text is None else str(text))
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


def _rep_angle(value: float, source: str | None, language: str) -> str:
    """A rep's angle, marked when measured from the 3D points; in place of an angle the view could not
    give, say so (never a number the joint cannot make)."""
    if math.isfinite(value):
        return f"{value:.1f}" + (" " + tr("(3D)", language) if source == AngleSource.WORLD else "")
    return tr("not measurable from this view", language) if unmeasurable(source) else "-"


def _session_angle(value: float | None, session: SessionInfo, language: str) -> object:
    if value is None and unmeasurable((session.summary or {}).get("best_extreme_source")):
        return tr("not measurable from this view", language)
    return value


def moment_text(moment: dt.datetime) -> str:
    """Local date and time, as digits in every language."""
    return f"{moment.astimezone():%Y-%m-%d %H:%M}"


def _table(columns: tuple[str, ...], language: str) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels([tr(name, language) for name in columns])
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.verticalHeader().setVisible(False)
    return table


def frame_rate_text(session: SessionInfo, language: str = "en") -> str:
    """How many frames a second the session's computer managed, and a warning when its slowest
    spell was below what counting needs (the count may then be low); empty when not measured."""
    if session.fps_mean is None:
        return ""
    text = tr("{0:.0f} frames a second", language, session.fps_mean)
    if session.fps_lowest is not None and session.fps_lowest < MIN_COUNTING_FPS:
        text += " " + tr(
            "(too slow to count reliably at times: {0:.0f} at the slowest, {1:.0f} needed)",
            language,
            session.fps_lowest,
            MIN_COUNTING_FPS,
        )
    return text


def reps_text(session: SessionInfo, language: str = "en") -> str:
    """The rep count as it counts, with the recorded one beside a correction."""
    if session.corrected_reps is None:
        return str(session.reps_complete)
    return tr("{0} (recorded {1})", language, session.corrected_reps, session.reps_complete)


class CorrectionDialog(QDialog):
    """Correct a session's rep count; the reason is required and kept with the correction."""

    def __init__(self, store: Store, session: SessionInfo, parent: QWidget | None = None, language: str = "en") -> None:
        super().__init__(parent)
        self.store, self.session = store, session
        lang = language
        self.saved: CorrectionInfo | None = None
        self.setWindowTitle(tr("Correct the rep count", lang))
        self.count = QSpinBox()
        self.count.setRange(0, 1000)
        self.count.setValue(session.reps_counted)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(tr("why, e.g. 'two reps were the patient adjusting the chair'", lang))
        self.error = error_label()
        buttons = save_cancel_buttons(self, self.save, lang)
        form = QFormLayout(self)
        form.addRow(QLabel(tr("Recorded by the app: {0} complete reps", lang, session.reps_complete)))
        form.addRow(tr("Correct count", lang), self.count)
        form.addRow(tr("Reason", lang), self.reason)
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

    def __init__(self, store: Store | None = None, parent: QWidget | None = None, language: str = "en") -> None:
        super().__init__(parent)
        self.store, self.language = store, language
        self.detail: SessionDetail | None = None
        self.title = QLabel(tr("Choose a session", language))
        self.title.setWordWrap(True)
        self.corrections = QLabel()
        self.corrections.setWordWrap(True)
        self.flag_note = QLabel()  # a pain flag: reviewed by whom and when, or not yet
        self.flag_note.setWordWrap(True)
        self.correct_button = QPushButton(tr("Correct count…", language))
        self.correct_button.setEnabled(False)
        self.correct_button.setVisible(store is not None)
        self.correct_button.clicked.connect(self.correct_count)
        self.curves = themed_plot()
        self.curves.setLabel("bottom", tr("seconds into the rep", language))
        self.curves.setLabel("left", tr("angle (deg)", language))
        self.curves.showGrid(x=True, y=True, alpha=0.2)
        self.quality = themed_plot()
        self.quality.setLabel("bottom", tr("rep", language))
        self.quality.setLabel("left", tr("quality (0-100)", language))
        self.quality.setYRange(0, 100)
        self.reps = _table(REP_COLUMNS, language)
        plots = QSplitter(Qt.Orientation.Horizontal)
        plots.addWidget(self.curves)
        plots.addWidget(self.quality)
        plots.setSizes([600, 300])
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.correct_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.flag_note)
        layout.addWidget(self.corrections)
        layout.addWidget(plots, 2)
        layout.addWidget(self.reps, 1)

    def clear(self, message: str = QT_TR_NOOP("Choose a session")) -> None:
        """Nothing shown: no curves, no bars, no rows (a new patient, or one without sessions)."""
        self.detail = None
        self.title.setText(tr(message, self.language))
        self.corrections.setText("")
        self.flag_note.setText("")
        self.correct_button.setEnabled(False)
        self.curves.clear()
        self.quality.clear()
        self.reps.setRowCount(0)

    def show_session(self, detail: SessionDetail, flag: PainFlag | None = None) -> None:
        """`flag`: the session's pain flag, when its answer is flagged."""
        self.detail = detail
        s = detail.session
        lang = self.language
        self._show_flag(flag)
        answers = []
        if s.pain is not None:
            answers.append(tr("pain {0}/10", lang, s.pain))
        if s.effort is not None:
            answers.append(tr("effort {0}/10", lang, s.effort))
        if rate := frame_rate_text(s, lang):
            answers.append(rate)
        heading = f"{moment_text(s.started_at)}  {exercise_name(s.exercise_id, language=lang)}"
        counts = tr("{0} complete, {1} partial", lang, reps_text(s, lang), s.reps_partial)
        self.title.setText(
            f"{heading}  ({word(STATUS_WORDS, s.status, lang)}): {counts}"
            + (f"  ·  {tr(', ', lang).join(answers)}" if answers else "")
        )
        self.corrections.setText(
            "\n".join(
                tr(
                    "Count corrected {0} on {1}: {2} → {3} ({4})",
                    lang,
                    moment_text(c.corrected_at),
                    c.host or tr("unknown computer", lang),
                    c.original_count,
                    c.corrected_count,
                    c.reason,
                )
                for c in detail.corrections
            )
        )
        self.correct_button.setEnabled(True)
        self._plot_curves(detail)
        self._plot_quality(detail)
        self._fill_reps(detail)

    def _show_flag(self, flag: PainFlag | None) -> None:
        lang = self.language
        if flag is None:
            self.flag_note.setText("")
            return
        state = review_text(flag.review, lang) if flag.review is not None else tr("not reviewed yet", lang)
        self.flag_note.setText("⚠ " + tr("Pain flag: {0} ({1})", lang, flag.describe(lang), state))
        self.flag_note.setStyleSheet("" if flag.review is not None else f"color: {FLAG_COLOUR}")

    def _plot_curves(self, detail: SessionDetail) -> None:
        self.curves.clear()
        units = session_units(detail.session.exercise_id, detail.session.measure, self.language)
        self.curves.setLabel("left", units.axis_label)
        values = [v for rep in detail.reps for _, v in rep.curve if math.isfinite(v)]
        if detail.session.target is not None:
            values.append(detail.session.target)
        if values:
            self.curves.setYRange(*units.axis_range(values), padding=0)
        for rep in detail.reps:
            if rep.curve:
                xs = [t - rep.start_t for t, _ in rep.curve]
                ys = [v for _, v in rep.curve]
                pen = pg.mkPen(COMPLETE_PEN if rep.complete else PARTIAL_PEN, width=2)
                self.curves.plot(xs, ys, pen=pen, name=tr("rep {0}", self.language, rep.seq))
        if detail.session.target is not None:
            line = pg.InfiniteLine(
                detail.session.target,
                angle=0,
                pen=pg.mkPen(MUTED, style=Qt.PenStyle.DashLine),
                label=tr("target {0}", self.language, f"{detail.session.target:g}"),
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
        lang = self.language
        for row, r in enumerate(detail.reps):
            values = (
                r.seq,
                r.set_number,
                word(SIDE_WORDS, r.side, lang),
                tr("yes", lang) if r.complete else tr("no ({0})", lang, word(PARTIAL_WORDS, r.partial_reason, lang)),
                _rep_angle(r.rom, r.angle_source.get(detail.session.measure), lang),
                _rep_angle(r.extreme, r.angle_source.get(detail.session.measure), lang),
                f"{r.duration:.1f}",
                f"{r.quality:.0f}",
                tr(", ", lang).join(fault_name(f, detail.session.exercise_id, language=lang) for f in r.faults),
            )
            for column, value in enumerate(values):
                self.reps.setItem(row, column, _cell(value))

    def correct_count(self) -> CorrectionDialog | None:
        if self.store is None or self.detail is None:
            return None
        dialog = CorrectionDialog(self.store, self.detail.session, self, self.language)
        dialog.finished.connect(lambda _result: self._corrected(dialog))
        dialog.open()
        return dialog

    def _corrected(self, dialog: CorrectionDialog) -> None:
        if dialog.saved is not None:
            self.corrected.emit()  # the history refreshes its rows and shows this session again

    def plotted_curves(self) -> int:
        return len(self.curves.getPlotItem().listDataItems())


class SessionHistory(QWidget):
    """The patient's sessions in the chosen period, newest first, and the chosen one in detail."""

    export_requested = Signal(str)  # "CSV" or "PDF": export the sessions shown (their period)
    read_failed = Signal(str)  # the sessions could not be read: why

    def __init__(self, store: Store, parent: QWidget | None = None, language: str = "en") -> None:
        super().__init__(parent)
        self.store, self.language = store, language
        self.reads = NewestRead(self, "sessions")  # the rows of a period (and the newest in detail)
        self.detail_reads = NewestRead(self, "session")  # a row chosen: its session in detail
        self.sessions: list[SessionInfo] = []
        self.flags: dict[int, PainFlag] = {}
        self.period = QComboBox()
        for key in PERIODS:
            self.period.addItem(tr(PERIOD_WORDS[key], language), key)
        self.period.setCurrentIndex(self.period.findData(DEFAULT_PERIOD))
        self.shown_label = QLabel()
        self.export_buttons = {kind: QPushButton(tr("Export shown as {0}…", language, kind)) for kind in ("CSV", "PDF")}
        self._export_running = False
        self.table = _table(SESSION_COLUMNS, language)
        self.detail = SessionDetailView(store, language=language)
        self.patient_id: int | None = None
        self.detail.corrected.connect(self.refresh_shown)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("Show", language)))
        bar.addWidget(self.period)
        bar.addWidget(self.shown_label, 1)
        for kind, button in self.export_buttons.items():
            button.setEnabled(False)
            button.clicked.connect(lambda _checked=False, kind=kind: self.export_requested.emit(kind))
            bar.addWidget(button)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setSizes([200, 500])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(split)
        self.table.itemSelectionChanged.connect(self._selected)
        self.period.currentIndexChanged.connect(self._reload)

    @property
    def period_key(self) -> Period:
        return self.period.currentData()

    def set_period(self, key: Period) -> None:
        self.period.setCurrentIndex(self.period.findData(key))

    def bounds(self, today: dt.date | None = None) -> PeriodBounds:
        """The period shown, as the store and the exports take it."""
        return period_bounds(self.period_key, today)

    def load(self, patient_id: int) -> None:
        """Read this patient's sessions on the worker; the tab is disabled until they show."""
        self.patient_id = patient_id
        self.setEnabled(False)
        self._read_rows()

    @property
    def loaded(self) -> bool:
        return not self.reads.loading and not self.detail_reads.loading

    def _reload(self) -> None:
        """Another period: its sessions, the newest in detail."""
        self._read_rows()

    def refresh_shown(self) -> None:
        """The rows and the session shown again, where they are: after a count correction or a flag review."""
        self._read_rows(self.detail.detail.session.id if self.detail.detail is not None else None)

    def _read_rows(self, shown: int | None = None) -> None:
        if self.patient_id is None:
            return
        store, patient_id, bounds = self.store, self.patient_id, self.bounds()
        self.reads.read(lambda: read_session_rows(store, patient_id, bounds, shown), self._show_rows, self._failed)

    def _failed(self, error: BaseException) -> None:
        self.read_failed.emit(str(error))

    def _show_rows(self, rows: SessionRows) -> None:
        """The sessions read, and one in detail. The detail is cleared first and filled explicitly:
        re-selecting a row that was already selected emits no selection signal, which once left the
        previous patient's session on screen."""
        self.setEnabled(True)
        self.detail_reads.cancel()  # a row chosen among the rows read before: these replace it
        self.sessions, self.flags = rows.sessions, rows.flags
        flags, lang = self.flags, self.language
        self.table.blockSignals(True)
        self.table.clearSelection()
        self.detail.clear()
        self.shown_label.setText(tr("{0} sessions", lang, len(self.sessions)))
        self._enable_exports()
        self.table.setRowCount(len(self.sessions))
        for row, s in enumerate(self.sessions):
            flag = f"  ⚠ {flags[s.id].describe(lang)}" if s.id in flags else ""
            pain = "-" if s.pain is None else f"{s.pain}{flag}"
            values = (
                moment_text(s.started_at),
                exercise_name(s.exercise_id, language=lang),
                word(STATUS_WORDS, s.status, lang),
                reps_text(s, lang),
                s.reps_partial,
                pain,
                s.effort,
                s.mean_quality,
                _session_angle(s.mean_rom, s, lang),
                _session_angle(s.best_extreme, s, lang),
            )
            for column, value in enumerate(values):
                item = _cell(value)
                if column == 5 and s.id in flags and flags[s.id].open:
                    item.setForeground(QColor(FLAG_COLOUR))
                self.table.setItem(row, column, item)
        shown_row = rows.shown_row
        if shown_row is not None:
            self.table.selectRow(shown_row)
        self.table.blockSignals(False)
        if rows.shown is not None:
            self.detail.show_session(rows.shown, self.flags.get(rows.shown.session.id))
        elif rows.older:
            self.detail.clear(NO_SESSIONS_IN[self.period_key])  # older ones exist
        else:
            self.detail.clear(QT_TR_NOOP("No sessions yet"))

    def exports_running(self, running: bool) -> None:
        """The window's exports run one at a time: these buttons wait while one does."""
        self._export_running = running
        self._enable_exports()

    def _enable_exports(self) -> None:
        for button in self.export_buttons.values():
            button.setEnabled(bool(self.sessions) and not self._export_running)

    def _show(self, session: SessionInfo) -> None:
        """A row chosen: its session, read on the worker (its reps and their curves)."""
        store = self.store
        self.detail_reads.read(lambda: store.session_detail(session.id), self._show_detail, self._failed)

    def _show_detail(self, detail: SessionDetail) -> None:
        self.detail.show_session(detail, self.flags.get(detail.session.id))

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self._show(self.sessions[rows[0].row()])
