"""Therapist mode: a PIN gate, then patients on the left and the selected patient's program,
sessions, weekly summary, progress, own view and exports on the right."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from rehab_coach.engine.templates import Library, load_library
from rehab_coach.reports.pdf import screen_dpi, write_pdf_report
from rehab_coach.session.exports import collect, write_fhir, write_reps_csv
from rehab_coach.session.period import PeriodBounds
from rehab_coach.session.store import PatientInfo, Store
from rehab_coach.ui.background import NewestRead
from rehab_coach.ui.strings import qt_locale, tr
from rehab_coach.ui.therapist.history import SessionHistory
from rehab_coach.ui.therapist.patient_view import PatientTodayView
from rehab_coach.ui.therapist.patients import PatientList
from rehab_coach.ui.therapist.pin import PinGate
from rehab_coach.ui.therapist.program import ProgramEditor
from rehab_coach.ui.therapist.tests import ClinicalTestsView
from rehab_coach.ui.therapist.trends import TrendsPanel
from rehab_coach.ui.therapist.weekly import WeeklySummaryView

HEADER_NAME_CHARS = 48  # the detail's heading: a longer name is shortened in its middle, the code stays

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExportJob:
    """One export, all it needs to run on a worker thread: the record is read there and the file
    written there (whole or not at all: the writers put it in place only once complete)."""

    kind: str  # CSV, PDF or FHIR
    patient_code: str
    path: Path
    since: dt.datetime | None
    until: dt.datetime | None
    language: str
    dpi: float  # the screen's, asked on the GUI thread

    def run(self, store: Store) -> Path:
        record = collect(store, self.patient_code, since=self.since, until=self.until)
        if self.kind == "CSV":
            write_reps_csv(record, self.path)
        elif self.kind == "FHIR":
            write_fhir(record, self.path)
        else:
            write_pdf_report(store, record, self.path, self.language, dpi=self.dpi)
        return self.path


class PatientPanel(QWidget):
    """Everything about one patient, in tabs."""

    def __init__(self, store: Store, library: Library, parent: QWidget | None = None, language: str = "en") -> None:
        super().__init__(parent)
        self.store, self.language = store, language
        lang = language
        self.patient_id: int | None = None
        self.header = QLabel(tr("Choose or add a patient", lang))
        self.header.setObjectName("patientHeader")
        self.program = ProgramEditor(store, library, language=lang)
        self.history = SessionHistory(store, language=lang)
        self.weekly = WeeklySummaryView(store, language=lang)
        self.trends = TrendsPanel(store, language=lang)
        self.today = PatientTodayView(store, library, language=lang)
        self.tests = ClinicalTestsView(store, language=lang)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.program, tr("Program", lang))
        self.tabs.addTab(self.history, tr("Sessions", lang))
        self.tabs.addTab(self.weekly, tr("Weekly summary", lang))
        self.tabs.addTab(self.trends, tr("Progress", lang))
        self.tabs.addTab(self.tests, tr("Tests", lang))
        self.tabs.addTab(self.today, tr("Patient view", lang))
        self.export_buttons = {kind: QPushButton(tr("Export {0}...", lang, kind)) for kind in ("CSV", "PDF", "FHIR")}
        self.export_status = QLabel()
        self.read_error = QLabel()  # a tab could not be read: it stays disabled, and this says why
        self.read_error.setWordWrap(True)
        self.read_error.setVisible(False)
        self.reads = NewestRead(self, "patient")
        self.export_runs = NewestRead(self, "export")  # one at a time: the buttons wait for it
        self._patient: PatientInfo | None = None  # the one shown, once read
        self.last_export: Path | None = None
        self.views = (self.program, self.history, self.weekly, self.trends, self.tests, self.today)
        for view in self.views:
            view.read_failed.connect(self._read_failed)
        # The period an export covers: all sessions, or from one day to another (both included).
        self.export_all = QCheckBox(tr("All dates", lang))
        self.export_all.setChecked(True)
        self.export_from, self.export_to = QDateEdit(QDate.currentDate().addDays(-27)), QDateEdit(QDate.currentDate())
        period = QHBoxLayout()
        period.addWidget(QLabel(tr("Export", lang)))
        period.addWidget(self.export_all)
        for label, edit in ((tr("or from", lang), self.export_from), (tr("to", lang), self.export_to)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(tr("d MMM yyyy", lang))  # a Qt date format, as the language writes dates
            edit.setLocale(qt_locale(lang))
            edit.setEnabled(False)
            period.addWidget(QLabel(label))
            period.addWidget(edit)
        period.addStretch(1)
        exports = QHBoxLayout()
        self.export_all.toggled.connect(lambda on: self.export_from.setEnabled(not on))
        self.export_all.toggled.connect(lambda on: self.export_to.setEnabled(not on))
        for button in self.export_buttons.values():
            exports.addWidget(button)
            button.setEnabled(False)
        exports.addWidget(self.export_status, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.read_error)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(period)
        layout.addLayout(exports)
        self.export_buttons["CSV"].clicked.connect(lambda: self.export("CSV"))
        self.export_buttons["PDF"].clicked.connect(lambda: self.export("PDF"))
        self.export_buttons["FHIR"].clicked.connect(lambda: self.export("FHIR"))
        self.history.export_requested.connect(self.export_shown)

    def load(self, patient_id: int) -> None:
        """Show another patient: each tab reads on a worker thread of its own and is disabled until
        its answer shows; only the newest patient's answers are shown."""
        self.patient_id = patient_id
        self.header.setText(tr("Loading…", self.language))
        self.header.setToolTip("")
        self.read_error.setVisible(False)
        if not self.exporting:
            self.export_status.clear()  # an export under way still says how it ends
        self._patient = None
        self._enable_exports()
        store = self.store
        self.reads.read(lambda: store.patient(patient_id), self._show_patient, self._read_failed)
        for view in self.views:
            view.load(patient_id)

    @property
    def loaded(self) -> bool:
        """Every read for the patient chosen (and any a tab started since) has answered; no export runs."""
        return not self.reads.loading and not self.exporting and all(view.loaded for view in self.views)

    def _show_patient(self, patient: PatientInfo) -> None:
        self.header.setText(patient.label(HEADER_NAME_CHARS))
        self.header.setToolTip(f"{patient.display_name} [{patient.code}]")
        self._patient = patient
        self._enable_exports()

    def _read_failed(self, error: object) -> None:
        log.warning("patient detail not read: %s", error)
        self.read_error.setText(tr("This cannot be read now: {0}", self.language, error))
        self.read_error.setVisible(True)

    def flags_reviewed(self, patient_id: int) -> None:
        """Pain flags were marked reviewed in the list: the sessions and the weeks say so (the program
        editor is left as it is, with whatever is being typed in it)."""
        if patient_id == self.patient_id:
            self.history.refresh_shown()
            self.weekly.load(patient_id)

    def export_shown(self, kind: str, path: Path | None = None) -> bool:
        """Export the sessions the Sessions tab shows: its period, through the same CSV and PDF code."""
        return self.export(kind, path, self.history.bounds())

    def export(self, kind: str, path: Path | None = None, shown: PeriodBounds | None = None) -> bool:
        """Export this patient's record: the period chosen below the tabs, or `shown` (the sessions
        list's); asks for a file unless `path` is given. The record is read and the file written on a
        worker thread; True when that started. `exporting` until it is done, then `last_export` is
        the file written (None if none was) and the status line says which, or why not."""
        patient = self._patient
        if patient is None or patient.id != self.patient_id or self.exporting:
            return False
        if path is None:
            suffix = {"CSV": "csv", "PDF": "pdf", "FHIR": "json"}[kind]
            days = f"_{shown.first_day}_{shown.last_day}" if shown is not None and shown.first_day else ""
            chosen, _filter = QFileDialog.getSaveFileName(
                self, tr("Export {0}", self.language, kind), f"{patient.code}{days}.{suffix}", f"{kind} (*.{suffix})"
            )
            if not chosen:
                return False
            path = Path(chosen)
        since, until = (shown.since, shown.until) if shown is not None else self.export_period()
        if since is not None and until is not None and since >= until:
            self.export_status.setText(tr("Not saved: the period ends before it starts", self.language))
            return False
        self.last_export = None
        self.export_status.setText(tr("Exporting…", self.language))
        job = ExportJob(kind, patient.code, path, since, until, self.language, screen_dpi())
        store = self.store
        self.export_runs.read(lambda: job.run(store), self._exported, lambda error: self._not_exported(path, error))
        self._enable_exports()
        return True

    @property
    def exporting(self) -> bool:
        return self.export_runs.loading

    def _exported(self, path: Path) -> None:
        self.last_export = path
        self.export_status.setText(tr("Saved {0}", self.language, path.name))
        self._enable_exports()

    def _not_exported(self, path: Path, error: BaseException) -> None:
        if isinstance(error, OSError):  # a full disk, a folder not ours: the system's words for it
            reason = f"{path}: {error.strerror or error}"
        else:
            log.warning("export not written: %s", error, exc_info=error)
            reason = f"{path}: {error}"
        self.export_status.setText(tr("Not saved: {0}", self.language, reason))
        self._enable_exports()

    def _enable_exports(self) -> None:
        """The export buttons work once the patient shows, one export at a time."""
        ready = self._patient is not None and self._patient.id == self.patient_id and not self.exporting
        for button in self.export_buttons.values():
            button.setEnabled(ready)
        self.history.exports_running(self.exporting)

    def export_period(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """(since, until) in UTC for the chosen days in local time, `until` exclusive; (None, None): all."""
        if self.export_all.isChecked():
            return None, None

        def midnight(day: QDate) -> dt.datetime:
            return dt.datetime(day.year(), day.month(), day.day()).astimezone().astimezone(dt.UTC)

        return midnight(self.export_from.date()), midnight(self.export_to.date().addDays(1))


# On the kiosk's touch screen: finger-sized controls and tick boxes.
TOUCH_STYLE = """
QPushButton { min-height: 56px; font-size: 17pt; padding: 8px 18px; }
QPushButton#key { min-height: 80px; font-size: 26pt; }
QCheckBox::indicator { width: 36px; height: 36px; }
QTabBar::tab { padding: 16px 28px; font-size: 17pt; }
QLineEdit, QSpinBox, QDoubleSpinBox, QComboBox, QDateEdit { min-height: 44px; font-size: 16pt; }
QSpinBox::up-button, QSpinBox::down-button, QDoubleSpinBox::up-button, QDoubleSpinBox::down-button { width: 36px; }
QScrollBar:vertical { width: 40px; }
QScrollBar:horizontal { height: 40px; }
"""


class TherapistWindow(QMainWindow):
    def __init__(
        self,
        store: Store,
        library: Library | None = None,
        parent: QWidget | None = None,
        *,
        touch: bool = False,
        kiosk: bool = False,
        language: str = "en",
    ) -> None:
        """`kiosk`: opened from the kiosk, where no window manager may be there to close it: a
        "Back to check-in" button, shown locked or not, and Esc close it."""
        super().__init__(parent)
        self.store = store
        self.library = library or load_library()
        self.touch, self.language = touch, language
        self.setWindowTitle(tr("Rehab Coach - therapist", language))
        self.gate = PinGate(store, touch=touch, language=language)
        self.patients = PatientList(store, language=language, load=False)  # read once unlocked
        self.panel = PatientPanel(store, self.library, language=language)
        self.lock_button = QPushButton(tr("Lock", language))
        left = QWidget()
        left.setMinimumWidth(540)  # name, last session, adherence and flags stay readable
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.patients, 1)
        left_layout.addWidget(self.lock_button)
        main = QSplitter()
        main.addWidget(left)
        main.addWidget(self.panel)
        main.setSizes([500, 800])
        self.stack = QStackedWidget()
        self.stack.addWidget(self.gate)
        self.stack.addWidget(main)
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        self.back_button: QPushButton | None = None
        if kiosk:
            self.back_button = QPushButton(tr("Back to check-in", language))
            self.back_button.clicked.connect(self.close)
            top = QHBoxLayout()
            top.addStretch(1)
            top.addWidget(self.back_button)
            central_layout.addLayout(top)
            back = QAction(self)
            back.setShortcut(QKeySequence(Qt.Key.Key_Escape))
            back.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            back.triggered.connect(self.close)
            self.addAction(back)
        central_layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        if touch:
            central.setStyleSheet(TOUCH_STYLE)
            self.patients.list.verticalHeader().setDefaultSectionSize(64)
        self.gate.unlocked.connect(self.unlock)
        self.lock_button.clicked.connect(self.lock)
        self.patients.patient_selected.connect(self.panel.load)
        self.patients.flags_reviewed.connect(self.panel.flags_reviewed)
        self.resize(1400, 860)

    @property
    def is_locked(self) -> bool:
        return self.stack.currentWidget() is self.gate

    @property
    def loaded(self) -> bool:
        """The PIN gate is not checking, and the list and the chosen patient's tabs show their newest reads."""
        return self.gate.loaded and self.patients.loaded and self.panel.loaded

    def unlock(self) -> None:
        self.patients.refresh()
        self.stack.setCurrentIndex(1)

    def lock(self) -> None:
        self.gate.refresh()
        self.stack.setCurrentWidget(self.gate)
