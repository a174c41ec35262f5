"""Patient list with search, and the dialog to add or edit a patient.

The list shows what a therapist scans for first: when each patient last exercised, how much of
the prescribed program they did over four weeks, and flags (pain reported after exercising,
missed sessions, falling movement quality), flagged patients marked in colour and words."""

from __future__ import annotations

from PySide6.QtCore import QT_TR_NOOP, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rehab_coach.i18n import day_text
from rehab_coach.session.patient_selection import PatientSelection
from rehab_coach.session.store import PatientInfo, PatientOverview, Store, StoreError, patient_overviews
from rehab_coach.session.store.store import checkin_factor_hash
from rehab_coach.ui.strings import tr
from rehab_coach.ui.therapist.dialog_parts import error_label, save_cancel_buttons

COLUMNS = (QT_TR_NOOP("Patient"), QT_TR_NOOP("Last"), QT_TR_NOOP("4 wk"), QT_TR_NOOP("Flags"))
COLUMN_TIPS = (
    QT_TR_NOOP("Display name and code"),
    QT_TR_NOOP("Last session"),
    QT_TR_NOOP("Prescribed sessions done over the last four weeks"),
    QT_TR_NOOP("Pain after exercising (7+ or up 2), missed sessions this week, falling quality"),
)
FLAG_COLOUR = "#D55E00"

CODE_ROLE = Qt.ItemDataRole.UserRole + 1


class PatientDialog(QDialog):
    """Add (no patient given) or edit a patient. The code cannot change once sessions refer to it."""

    def __init__(
        self, store: Store, patient: PatientInfo | None = None, parent: QWidget | None = None, language: str = "en"
    ) -> None:
        super().__init__(parent)
        self.store, self.patient, self.language = store, patient, language
        lang = language
        self.saved: PatientInfo | None = None
        self.setWindowTitle(tr("Edit patient", lang) if patient else tr("Add patient", lang))
        self.code = QLineEdit(patient.code if patient else "")
        self.code.setReadOnly(patient is not None)
        self.code.setPlaceholderText(tr("pseudonymous code, e.g. P-0042 (not the name)", lang))
        self.name = QLineEdit(patient.display_name if patient else "")
        self.notes = QPlainTextEdit(patient.notes if patient else "")
        self.archived = QCheckBox(tr("Archived (hidden from the list)", lang))
        self.archived.setChecked(bool(patient and patient.archived))
        self.archived.setVisible(patient is not None)
        # The kiosk's optional second check-in factor: nobody exercises under someone else's record.
        self.factor = QComboBox()
        factors = (
            (QT_TR_NOOP("None (name only)"), None),
            (QT_TR_NOOP("Birth year"), "birth_year"),
            (QT_TR_NOOP("Check-in PIN"), "pin"),
        )
        for text, kind in factors:
            self.factor.addItem(tr(text, lang), kind)
        self.factor.setCurrentIndex(max(0, self.factor.findData(patient.checkin_factor if patient else None)))
        self.factor_value = QLineEdit()
        self.factor_value.setEchoMode(QLineEdit.EchoMode.Password)
        self.factor_value.setMaxLength(12)
        self.factor_value.setPlaceholderText(
            tr("unchanged", lang) if patient and patient.checkin_factor else tr("digits", lang)
        )
        self.error = error_label()
        buttons = save_cancel_buttons(self, self.save, lang)
        form = QFormLayout(self)
        form.addRow(tr("Code", lang), self.code)
        form.addRow(tr("Display name", lang), self.name)
        form.addRow(tr("Notes", lang), self.notes)
        form.addRow(tr("Kiosk check-in asks for", lang), self.factor)
        form.addRow(tr("Birth year or PIN", lang), self.factor_value)
        form.addRow(self.archived)
        form.addRow(self.error)
        form.addRow(buttons)

    def save(self) -> None:
        try:
            kind, value = self.factor.currentData(), self.factor_value.text()
            had = self.patient.checkin_factor if self.patient else None
            if kind is not None and (value or kind != had):
                checkin_factor_hash(kind, value)  # refused before anything is saved
            if self.patient is None:
                self.saved = self.store.add_patient(self.code.text(), self.name.text(), self.notes.toPlainText())
            else:
                self.saved = self.store.update_patient(
                    self.patient.id,
                    display_name=self.name.text(),
                    notes=self.notes.toPlainText(),
                    archived=self.archived.isChecked(),
                )
            if kind is None and had is not None:
                self.saved = self.store.set_checkin_factor(self.saved.id, None)
            elif kind is not None and (value or kind != had):
                self.saved = self.store.set_checkin_factor(self.saved.id, kind, value)
        except StoreError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


class PatientList(QWidget):
    """The list of patients. `selection` is the one record of the chosen patient: the highlighted
    row, the detail (through `patient_selected`) and Edit all follow it, whatever the search shows."""

    patient_selected = Signal(int)  # another patient chosen, or the chosen one edited: load the detail

    def __init__(self, store: Store, parent: QWidget | None = None, language: str = "en", *, load: bool = True) -> None:
        """`load` False: read nothing until `refresh` (the therapist window reads once the PIN is entered)."""
        super().__init__(parent)
        self.store, self.language = store, language
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Search code or name", language))
        self.search.setClearButtonEnabled(True)
        self.show_archived = QCheckBox(tr("Show archived", language))
        self.overviews: list[PatientOverview] = []
        self.selection = PatientSelection()
        self.list = QTableWidget(0, len(COLUMNS))
        self.list.setHorizontalHeaderLabels([tr(name, language) for name in COLUMNS])
        for column, tip in enumerate(COLUMN_TIPS):
            self.list.horizontalHeaderItem(column).setToolTip(tr(tip, language))
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.verticalHeader().setVisible(False)
        self.list.setWordWrap(True)
        header = self.list.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton(tr("Add patient", language))
        self.edit_button = QPushButton(tr("Edit", language))
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.show_archived)
        layout.addLayout(buttons)
        self.search.textChanged.connect(self.refresh)
        self.show_archived.toggled.connect(self.refresh)
        self.list.currentCellChanged.connect(self._selected)
        self.add_button.clicked.connect(self.add_patient)
        self.edit_button.clicked.connect(self.edit_patient)
        if load:
            self.refresh()

    def refresh(self) -> None:
        self.overviews = patient_overviews(
            self.store, self.search.text(), include_archived=self.show_archived.isChecked(), language=self.language
        )
        self.selection.show(overview.patient.id for overview in self.overviews)
        self.list.blockSignals(True)
        self.list.clearSelection()
        self.list.setRowCount(len(self.overviews))
        for row, overview in enumerate(self.overviews):
            patient = overview.patient
            last = (
                day_text(overview.last_session_at.astimezone(), self.language)
                if overview.last_session_at
                else tr("never", self.language)
            )
            cells = (
                f"{patient.display_name}\n{patient.code}",
                last,
                overview.adherence_text,
                "⚠ " + "; ".join(overview.flags) if overview.flags else "",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, patient.id)
                item.setData(CODE_ROLE, patient.code)
                if overview.flags and column in (0, 3):
                    item.setForeground(QColor(FLAG_COLOUR))
                self.list.setItem(row, column, item)
        self._highlight()
        self.list.resizeRowsToContents()
        self.list.blockSignals(False)

    def _highlight(self) -> None:
        # Without a highlighted row Qt's current row must go too: a click on it would not count as a change.
        row = self.selection.highlighted_row
        was_blocked = self.list.blockSignals(True)  # moving the highlight is not a click
        self.list.setCurrentCell(-1 if row is None else row, 0)
        self.list.blockSignals(was_blocked)

    def current_id(self) -> int | None:
        """The chosen patient: the one the detail shows, even while the search hides its row."""
        return self.selection.chosen

    def select(self, patient_id: int) -> None:
        """Choose a patient the list shows (as a click on its row would)."""
        if patient_id in self.selection.shown:
            self._choose_row(self.selection.shown.index(patient_id))

    def codes(self) -> list[str]:
        """The codes shown, in order (for tests and accessibility)."""
        return [self.list.item(row, 0).data(CODE_ROLE) for row in range(self.list.rowCount())]

    def row_texts(self, code: str) -> list[str]:
        """Every cell of a patient's row, as shown (for tests and accessibility)."""
        row = self.codes().index(code)
        return [self.list.item(row, column).text() for column in range(len(COLUMNS))]

    def _selected(self, row: int, _column: int, _previous_row: int, _previous_column: int) -> None:
        self._choose_row(row)

    def _choose_row(self, row: int) -> None:
        changed = self.selection.choose_row(row)
        self._highlight()
        if changed:
            self.patient_selected.emit(self.selection.chosen)

    def add_patient(self) -> PatientDialog:
        dialog = PatientDialog(self.store, parent=self, language=self.language)
        dialog.finished.connect(lambda _result: self._after(dialog))
        dialog.open()
        return dialog

    def edit_patient(self) -> PatientDialog | None:
        patient_id = self.current_id()
        if patient_id is None:
            return None
        dialog = PatientDialog(self.store, self.store.patient(patient_id), parent=self, language=self.language)
        dialog.finished.connect(lambda _result: self._after(dialog))
        dialog.open()
        return dialog

    def _after(self, dialog: PatientDialog) -> None:
        self.refresh()
        if dialog.saved is None:
            return
        # A new patient becomes the chosen one; an edited one is loaded again (its name may have changed).
        self.selection.choose(dialog.saved.id)
        self._highlight()
        self.patient_selected.emit(dialog.saved.id)
