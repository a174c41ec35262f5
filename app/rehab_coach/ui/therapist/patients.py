"""Patient list with search, and the dialog to add or edit a patient.

The list shows what a therapist scans for first: when each patient last exercised, how much of
the prescribed program they did over four weeks, and flags (pain reported after exercising and
not reviewed yet, with what and when; missed sessions; falling movement quality), flagged
patients marked in colour and words. "Needs attention" keeps only the patients with a pain flag
to review, newest flag first; the list sorts by name, flags or adherence
(`rehab_coach.session.store.patient_list` decides both).

Every read of the list (a keystroke in the search box, "Show archived", unlocking, a dialog saved)
runs on a worker thread (one batched read, `read_patient_list`), with "Loading…" over the rows
read before meanwhile; only the newest read's answer is shown."""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rehab_coach.i18n import day_text
from rehab_coach.session.patient_selection import PatientSelection
from rehab_coach.session.store import (
    PATIENT_SORTS,
    PatientInfo,
    PatientListPage,
    PatientListRequest,
    PatientOverview,
    PatientSort,
    Store,
    StoreError,
    arranged,
    read_patient_list,
)
from rehab_coach.session.store.store import checkin_factor_hash
from rehab_coach.session.store.views import elide_middle
from rehab_coach.ui.background import NewestRead
from rehab_coach.ui.strings import QT_TR_NOOP, tr
from rehab_coach.ui.therapist.dialog_parts import error_label, save_cancel_buttons
from rehab_coach.ui.therapist.pain_review import FLAG_COLOUR, PainReviewDialog, flag_text

COLUMNS = (QT_TR_NOOP("Patient"), QT_TR_NOOP("Last"), QT_TR_NOOP("4 wk"), QT_TR_NOOP("Flags"))
COLUMN_TIPS = (
    QT_TR_NOOP("Display name and code"),
    QT_TR_NOOP("Last session"),
    QT_TR_NOOP("Prescribed sessions done over the last four weeks"),
    QT_TR_NOOP("Pain after exercising (7+ or up 2) not reviewed yet, missed sessions this week, falling quality"),
)
SORT_WORDS: dict[PatientSort, str] = {
    "name": QT_TR_NOOP("Sort: name"),
    "flags": QT_TR_NOOP("Sort: newest flag"),
    "adherence": QT_TR_NOOP("Sort: lowest adherence"),
}

CODE_ROLE = Qt.ItemDataRole.UserRole + 1
LIST_NAME_CHARS = 32  # a longer name is shortened in its middle (the code has a line of its own)
NO_BIRTH_YEAR = 1899  # the spin box's "not recorded"

log = logging.getLogger(__name__)


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
        # Optional: the standard tests' results are read against norms by age (and for some, sex).
        self.birth_year = QSpinBox()
        self.birth_year.setRange(NO_BIRTH_YEAR, dt.date.today().year)
        self.birth_year.setSpecialValueText(tr("not recorded", lang))
        self.birth_year.setValue(patient.birth_year if patient and patient.birth_year else NO_BIRTH_YEAR)
        self.birth_year.setToolTip(tr("Optional: standard test results are compared with norms for the age", lang))
        self.sex = QComboBox()
        for text, value in (
            (QT_TR_NOOP("not recorded"), None),
            (QT_TR_NOOP("Female"), "female"),
            (QT_TR_NOOP("Male"), "male"),
        ):
            self.sex.addItem(tr(str(text), lang), value)
        self.sex.setCurrentIndex(max(0, self.sex.findData(patient.sex if patient else None)))
        self.sex.setToolTip(tr("Optional: some norms differ for women and men", lang))
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
        form.addRow(tr("Birth year", lang), self.birth_year)
        form.addRow(tr("Sex", lang), self.sex)
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
            year = self.birth_year.value()
            birth_year = None if year == NO_BIRTH_YEAR else year
            if self.patient is None:
                self.saved = self.store.add_patient(
                    self.code.text(),
                    self.name.text(),
                    self.notes.toPlainText(),
                    birth_year=birth_year,
                    sex=self.sex.currentData(),
                )
            else:
                self.saved = self.store.update_patient(
                    self.patient.id,
                    display_name=self.name.text(),
                    notes=self.notes.toPlainText(),
                    archived=self.archived.isChecked(),
                    birth_year=birth_year,
                    sex=self.sex.currentData(),
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
    flags_reviewed = Signal(int)  # a patient's pain flags were marked reviewed

    def __init__(self, store: Store, parent: QWidget | None = None, language: str = "en", *, load: bool = True) -> None:
        """`load` False: read nothing until `refresh` (the therapist window reads once the PIN is entered).
        `loaded` says when the newest read has answered."""
        super().__init__(parent)
        self.store, self.language = store, language
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Search code or name", language))
        self.search.setClearButtonEnabled(True)
        self.show_archived = QCheckBox(tr("Show archived", language))
        self.needs_attention = QCheckBox(tr("Needs attention", language))
        self.needs_attention.setToolTip(
            tr("Only patients with a pain flag nobody has reviewed yet, newest flag first", language)
        )
        self.sort = QComboBox()
        for key in PATIENT_SORTS:
            self.sort.addItem(tr(SORT_WORDS[key], language), key)
        self.sort.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.sort.setToolTip(tr("Flags: the newest pain flag to review first. Adherence: the lowest first.", language))
        self.everyone: list[PatientOverview] = []  # as read: the search's patients
        self.overviews: list[PatientOverview] = []  # as shown: filtered and sorted
        self.attention = 0  # patients with a pain flag to review, whatever the filter
        self.selection = PatientSelection()
        # A keystroke's read waits for the one before, whose answer is then dropped.
        self.reads = NewestRead(self, "patient-list")
        self.loading = QLabel(tr("Loading…", language))
        self.loading.setObjectName("muted")
        self.loading.setVisible(False)
        self.list = QTableWidget(0, len(COLUMNS))
        self.list.setHorizontalHeaderLabels([tr(name, language) for name in COLUMNS])
        for column, tip in enumerate(COLUMN_TIPS):
            header_item = self.list.horizontalHeaderItem(column)
            assert header_item is not None  # setHorizontalHeaderLabels made one for every column
            header_item.setToolTip(tr(tip, language))
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
        self.review_button = QPushButton(tr("Mark flags reviewed…", language))
        self.review_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        review = QHBoxLayout()
        review.addStretch(1)
        review.addWidget(self.review_button)
        filters = QHBoxLayout()
        filters.addWidget(self.needs_attention)
        filters.addStretch(1)
        filters.addWidget(self.sort)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.loading)
        layout.addLayout(filters)
        layout.addWidget(self.list, 1)
        layout.addLayout(review)
        layout.addWidget(self.show_archived)
        layout.addLayout(buttons)
        self.search.textChanged.connect(self.refresh)
        self.show_archived.toggled.connect(self.refresh)
        self.needs_attention.toggled.connect(self._attention_toggled)
        self.sort.currentIndexChanged.connect(self._rearrange)
        self.list.currentCellChanged.connect(self._selected)
        self.add_button.clicked.connect(self.add_patient)
        self.edit_button.clicked.connect(self.edit_patient)
        self.review_button.clicked.connect(self.review_flags)
        if load:
            self.refresh()

    @property
    def sort_key(self) -> PatientSort:
        return self.sort.currentData()

    def set_sort(self, key: PatientSort) -> None:
        self.sort.setCurrentIndex(self.sort.findData(key))

    def _attention_toggled(self, on: bool) -> None:
        if on and self.sort_key != "flags":
            self.set_sort("flags")  # arranges again: the newest flag first
        else:
            self._rearrange()

    def _rearrange(self) -> None:
        """The filter or the sort changed: the rows read already, arranged again (no read)."""
        self._show(arranged(self.everyone, needs_attention=self.needs_attention.isChecked(), sort=self.sort_key))

    def request(self) -> PatientListRequest:
        return PatientListRequest(
            self.search.text(),
            include_archived=self.show_archived.isChecked(),
            needs_attention=self.needs_attention.isChecked(),
            sort=self.sort_key,
            language=self.language,
        )

    def refresh(self, *_changed: object) -> None:
        """Read the list again, on the worker: a keystroke, "Show archived", unlocking, a dialog saved.
        The rows shown stay, with "Loading…" above them, until the newest read answers; an older
        read's answer is dropped."""
        self.loading.setText(tr("Loading…", self.language))
        self.loading.setVisible(True)
        store, request = self.store, self.request()
        self.reads.read(lambda: read_patient_list(store, request), self._answered, self._failed)

    @property
    def loaded(self) -> bool:
        """The newest read has answered (or failed): what the list shows is final."""
        return not self.reads.loading

    def _answered(self, page: PatientListPage) -> None:
        self.loading.setVisible(False)
        self._show(page)

    def _failed(self, error: BaseException) -> None:
        log.warning("patient list not read: %s", error)  # the rows read before stay shown
        self.loading.setText(tr("The list cannot be read now: {0}", self.language, error))

    def _show(self, page: PatientListPage) -> None:
        self.everyone, self.attention = page.everyone, page.attention
        self.needs_attention.setText(
            tr("Needs attention ({0})", self.language, self.attention)
            if self.attention
            else tr("Needs attention", self.language)
        )
        self.overviews = page.rows
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
                f"{elide_middle(patient.display_name, LIST_NAME_CHARS)}\n{patient.code}",
                last,
                overview.adherence_text,
                self.flags_text(overview),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(f"{patient.display_name} [{patient.code}]" if column == 0 else text)
                item.setData(Qt.ItemDataRole.UserRole, patient.id)
                item.setData(CODE_ROLE, patient.code)
                if overview.flags and column in (0, 3):
                    item.setForeground(QColor(FLAG_COLOUR))
                self.list.setItem(row, column, item)
        self._highlight()
        self.list.resizeRowsToContents()
        self.list.blockSignals(False)
        self._enable_review()

    def flags_text(self, overview: PatientOverview) -> str:
        """The flags cell: the newest pain flag to review (what, when) and how many older ones wait,
        then missed sessions and falling quality."""
        words = []
        newest = overview.newest_open_flag
        if newest is not None:
            words.append(flag_text(newest, self.language))
            if len(overview.open_flags) > 1:
                words[-1] += " " + tr("(+{0} earlier)", self.language, len(overview.open_flags) - 1)
        words += overview.other_flags
        return "⚠ " + "\n".join(words) if words else ""

    def chosen_overview(self) -> PatientOverview | None:
        return next((o for o in self.overviews if o.patient.id == self.selection.chosen), None)

    def _enable_review(self) -> None:
        chosen = self.chosen_overview()
        self.review_button.setEnabled(chosen is not None and chosen.needs_attention)

    def review_flags(self) -> PainReviewDialog | None:
        """Mark the chosen patient's open pain flags reviewed (the dialog lists them)."""
        chosen = self.chosen_overview()
        if chosen is None or not chosen.open_flags:
            return None
        dialog = PainReviewDialog(self.store, chosen.open_flags, parent=self, language=self.language)
        dialog.finished.connect(lambda _result: self._reviewed(dialog, chosen.patient.id))
        dialog.open()
        return dialog

    def _reviewed(self, dialog: PainReviewDialog, patient_id: int) -> None:
        if dialog.saved:
            self.refresh()
            self.flags_reviewed.emit(patient_id)

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
        return [
            item.data(CODE_ROLE) for row in range(self.list.rowCount()) if (item := self.list.item(row, 0)) is not None
        ]

    def row_texts(self, code: str) -> list[str]:
        """Every cell of a patient's row, as shown (for tests and accessibility)."""
        row = self.codes().index(code)
        return [
            item.text() if (item := self.list.item(row, column)) is not None else "" for column in range(len(COLUMNS))
        ]

    def _selected(self, row: int, _column: int, _previous_row: int, _previous_column: int) -> None:
        self._choose_row(row)

    def _choose_row(self, row: int) -> None:
        changed = self.selection.choose_row(row)
        self._highlight()
        self._enable_review()
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
        self._enable_review()
        self.patient_selected.emit(dialog.saved.id)
