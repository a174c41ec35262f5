"""Program editor: exercises from the library, dosage (sets, reps, rest), per-patient target in the
measure's own units (degrees, or a fraction of the torso length), hold time, side, a progression
rule, days of the week.

Each row's override is checked by loading the template with it (the same validation the
live app does), so an impossible target never reaches the store. A program can start from another
patient's (Copy from patient...) or from a named protocol (Protocols...), and be saved as a protocol;
either way the editor shows it unsaved until Save program.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import ValidationError
from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from rehab_coach.engine.templates import Library, Template, apply_overrides
from rehab_coach.engine.units import primary_units
from rehab_coach.errors import TemplateError
from rehab_coach.session.prescribing import copied_program
from rehab_coach.session.progression import ProgressionRule
from rehab_coach.session.store import (
    ItemSpec,
    ProgramInfo,
    ProgramSpec,
    ProtocolInfo,
    Store,
    StoreError,
    TodayPlan,
    program_from_protocol,
)
from rehab_coach.session.store.patient_detail import ProgramView, read_program
from rehab_coach.session.store.views import WEEKDAY_NAMES
from rehab_coach.ui.background import NewestRead
from rehab_coach.ui.strings import QT_TR_NOOP, qt_locale, tr
from rehab_coach.ui.therapist.copy_program import CopyProgramDialog
from rehab_coach.ui.therapist.progression import ProgressionDialog
from rehab_coach.ui.therapist.protocols import ProtocolsDialog, SaveProtocolDialog

COLUMNS = (
    QT_TR_NOOP("Exercise"),
    QT_TR_NOOP("Sets"),
    QT_TR_NOOP("Reps"),
    QT_TR_NOOP("Target"),
    QT_TR_NOOP("Minimum"),
    QT_TR_NOOP("Hold (s)"),
    QT_TR_NOOP("Rest (s)"),
    QT_TR_NOOP("Side"),
    QT_TR_NOOP("Progression"),
    QT_TR_NOOP("Notes"),
    "",
)
SIDES = {  # a template's side setting, and its words
    "auto": QT_TR_NOOP("auto"),
    "left": QT_TR_NOOP("left"),
    "right": QT_TR_NOOP("right"),
    "both": QT_TR_NOOP("both"),
    "alternating": QT_TR_NOOP("alternating"),
}
DAY_WORDS = {
    "mon": QT_TR_NOOP("Mon"),
    "tue": QT_TR_NOOP("Tue"),
    "wed": QT_TR_NOOP("Wed"),
    "thu": QT_TR_NOOP("Thu"),
    "fri": QT_TR_NOOP("Fri"),
    "sat": QT_TR_NOOP("Sat"),
    "sun": QT_TR_NOOP("Sun"),
}
# Overrides the table has columns for; any other override of a program item is kept as it is.
TARGET, HOLD, REST, SIDE = "primary.target", "hold.seconds", "dosage.rest_seconds", "side"
MINIMUM = "rep.short_of_target"  # "partial": a whole rep short of the target counts as partial
COLUMN_KEYS = (TARGET, HOLD, REST, SIDE, MINIMUM)


@dataclass
class _Row:
    exercise: QComboBox
    sets: QSpinBox
    reps: QSpinBox
    target: QDoubleSpinBox  # 0 = the template's own target
    minimum: QCheckBox  # the target is a minimum depth: a rep short of it is partial
    notes: QLineEdit
    hold: QSpinBox  # 0 = the template's own hold time; disabled for rep exercises
    rest: QSpinBox  # -1 = the template's own rest
    side: QComboBox  # first entry: the template's own side
    progression_button: QPushButton  # shows the rule in words, opens its dialog
    progression: ProgressionRule | None = None


class ProgramEditor(QWidget):
    read_failed = Signal(str)  # the program could not be read: why

    def __init__(self, store: Store, library: Library, parent: QWidget | None = None, language: str = "en") -> None:
        super().__init__(parent)
        self.store, self.library, self.language = store, library, language
        self.reads = NewestRead(self, "program")
        self.patient_id: int | None = None
        self.rows: list[_Row] = []
        self.extra_overrides: list[dict[str, object]] = []  # overrides the table has no column for, kept as they are
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([tr(name, language) if name else "" for name in COLUMNS])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMNS.index("Notes"), QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.name = QLineEdit()
        self.name.setPlaceholderText(tr("Program name (optional)", language))
        self.days = {name: QCheckBox(tr(DAY_WORDS[name], language)) for name in WEEKDAY_NAMES}
        self.start = QDateEdit(QDate.currentDate())
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat(tr("d MMM yyyy", language))  # a Qt date format, as the language writes dates
        self.start.setLocale(qt_locale(language))  # the month's name in the language
        self.add_button = QPushButton(tr("Add exercise", language))
        self.save_button = QPushButton(tr("Save program", language))
        self.copy_button = QPushButton(tr("Copy from patient…", language))
        self.protocols_button = QPushButton(tr("Protocols…", language))
        self.save_protocol_button = QPushButton(tr("Save as protocol…", language))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.progressions = QLabel()  # where each progression stands today, and why
        self.progressions.setWordWrap(True)
        days_row = QHBoxLayout()
        for box in self.days.values():
            days_row.addWidget(box)
        days_row.addWidget(QLabel(tr("from", language)))
        days_row.addWidget(self.start)
        starts = QHBoxLayout()
        starts.addWidget(self.name, 1)
        starts.addWidget(self.copy_button)
        starts.addWidget(self.protocols_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_protocol_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(starts)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.progressions)
        layout.addLayout(days_row)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.add_button.clicked.connect(lambda: self.add_row())
        self.save_button.clicked.connect(self.save)
        self.copy_button.setEnabled(False)  # until a patient is chosen: a copy is for someone
        self.copy_button.clicked.connect(self.copy_from_patient)
        self.protocols_button.clicked.connect(self.open_protocols)
        self.save_protocol_button.clicked.connect(self.save_as_protocol)

    def load(self, patient_id: int) -> None:
        """Read the patient's program on the worker. The form is disabled until it shows: nothing typed
        into the previous patient's program meanwhile can be saved for this one."""
        self.patient_id = patient_id
        self.setEnabled(False)
        store = self.store
        self.reads.read(lambda: read_program(store, patient_id), self._loaded, self._failed)

    @property
    def loaded(self) -> bool:
        return not self.reads.loading

    def _failed(self, error: BaseException) -> None:
        self.read_failed.emit(str(error))

    def _loaded(self, view: ProgramView) -> None:
        self.setEnabled(True)
        self.copy_button.setEnabled(True)
        program = view.program
        self._clear()
        self.status.setText(
            ""
            if program
            else tr(
                "No program yet: add exercises, copy one from another patient or start from a protocol.", self.language
            )
        )
        if program is None:  # nothing of the previous patient's program may stay in the form
            self.name.clear()
            self.start.setDate(QDate.currentDate())
            for name, box in self.days.items():
                box.setChecked(name in ("mon", "wed", "fri"))
            return
        self._show(program.as_spec())
        self._show_progressions(program, view.today)

    def _clear(self) -> None:
        self.table.setRowCount(0)
        self.rows, self.extra_overrides = [], []
        self.progressions.clear()

    def _show(self, spec: ProgramSpec) -> None:
        self.name.setText(spec.name)
        for i, box in enumerate(self.days.values()):
            box.setChecked(bool(spec.weekdays & (1 << i)))
        start = spec.start_date or dt.date.today()
        self.start.setDate(QDate(start.year, start.month, start.day))
        for item in spec.items:
            extra = {k: v for k, v in item.overrides.items() if k not in COLUMN_KEYS}
            target = item.overrides.get(TARGET)
            row = self.add_row(
                item.exercise_id, item.sets, item.reps, float(target) if target is not None else None, item.notes, extra
            )
            widgets = self.rows[row]
            if HOLD in item.overrides:
                widgets.hold.setValue(round(float(item.overrides[HOLD])))
            if REST in item.overrides:
                widgets.rest.setValue(round(float(item.overrides[REST])))
            if SIDE in item.overrides:
                widgets.side.setCurrentIndex(max(0, widgets.side.findData(item.overrides[SIDE])))
            widgets.minimum.setChecked(item.overrides.get(MINIMUM) == "partial")
            self.set_progression(row, item.progression)

    def _show_progressions(self, program: ProgramInfo, today: TodayPlan | None) -> None:
        """Today's prescription of each item with a rule, and why ("Squat: 12 reps: +2 since 1 Dec, pain under 4")."""
        lang = self.language
        lines = [
            tr(
                "{0}: the progression rule cannot be read ({1})",
                lang,
                self._exercise_name(i.exercise_id),
                i.progression_problem,
            )
            for i in program.items
            if i.progression_problem
        ]
        for entry in today.items if today is not None else []:
            if entry.progression is not None:
                reason = entry.progression.reason(lang)
                lines.append(tr("{0}: {1}", lang, self._exercise_name(entry.item.exercise_id), reason))
        self.progressions.setText(tr("Progression today", lang) + "\n" + "\n".join(lines) if lines else "")

    def _exercise_name(self, exercise_id: str) -> str:
        template = self.library.templates.get(exercise_id)
        return template.name.get(self.language) if template else exercise_id

    def show_unsaved(self, spec: ProgramSpec, note: str) -> None:
        """A program from elsewhere (another patient, a protocol) in the form, not saved yet."""
        self._clear()
        self._show(spec)
        self.status.setText(note)

    def copy_from_patient(self) -> CopyProgramDialog:
        dialog = CopyProgramDialog(self.store, self.library, self.patient_id, parent=self, language=self.language)
        dialog.accepted.connect(lambda: self._copied(dialog))
        dialog.open()
        return dialog

    def _copied(self, dialog: CopyProgramDialog) -> None:
        source = dialog.chosen
        if source is None or self.patient_id is None:
            return
        patient = source.patient
        self.show_unsaved(
            copied_program(source.program, dt.date.today()),
            tr("Copied from {0} [{1}]: check it, then save.", self.language, patient.display_name, patient.code),
        )

    def open_protocols(self) -> ProtocolsDialog:
        dialog = ProtocolsDialog(
            self.store, self.library, parent=self, language=self.language, can_use=self.patient_id is not None
        )
        dialog.accepted.connect(lambda: self.start_from_protocol(dialog.chosen))
        dialog.open()
        return dialog

    def start_from_protocol(self, protocol: ProtocolInfo | None) -> None:
        if protocol is None or self.patient_id is None:
            return
        self.show_unsaved(
            program_from_protocol(protocol, dt.date.today()),
            tr("From the protocol “{0}”: check it, then save.", self.language, protocol.name),
        )

    def save_as_protocol(self) -> SaveProtocolDialog | None:
        try:
            spec = self.spec()
        except TemplateError as exc:
            self.status.setText(tr("Not saved: {0}", self.language, exc))
            return None
        dialog = SaveProtocolDialog(self.store, spec, parent=self, language=self.language)
        dialog.accepted.connect(
            lambda: self.status.setText(
                tr("Saved as the protocol “{0}”.", self.language, dialog.saved.name) if dialog.saved else ""
            )
        )
        dialog.open()
        return dialog

    def add_row(
        self,
        exercise_id: str | None = None,
        sets: int | None = None,
        reps: int | None = None,
        target: float | None = None,
        notes: str = "",
        extra: dict[str, object] | None = None,
    ) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        combo = QComboBox()
        lang = self.language
        for key, template in sorted(self.library.templates.items(), key=lambda kv: kv[1].name.get(lang)):
            combo.addItem(template.name.get(lang), key)
            combo.setItemData(combo.count() - 1, key, Qt.ItemDataRole.ToolTipRole)
        if exercise_id is not None:
            index = combo.findData(exercise_id)
            if index < 0:  # a template removed from the library since: keep the id visible
                combo.addItem(tr("{0} (not in the library)", lang, exercise_id), exercise_id)
                index = combo.count() - 1
            combo.setCurrentIndex(index)
        widgets = _Row(
            combo,
            _spin(1, 20),
            _spin(1, 100),
            QDoubleSpinBox(),
            QCheckBox(),
            QLineEdit(notes),
            _spin(0, 600),
            _spin(-1, 600),
            QComboBox(),
            QPushButton(),
        )
        for field in (widgets.target, widgets.hold, widgets.rest):
            field.setSpecialValueText(tr("default", lang))
        widgets.rest.setValue(-1)
        self._follow_template(widgets)
        widgets.target.setValue(target or 0)
        dosage = self.library.templates.get(combo.currentData() or "")
        widgets.sets.setValue(sets or (dosage.dosage.sets if dosage else 3))
        widgets.reps.setValue(reps or (dosage.dosage.reps if dosage else 10))
        combo.currentIndexChanged.connect(lambda _index: self._exercise_changed(widgets))
        self._show_rule(widgets)
        remove = QPushButton(tr("Remove", lang))
        remove.clicked.connect(lambda: self.remove_row(self._row_of(remove)))
        widgets.progression_button.clicked.connect(lambda: self.edit_progression(self._row_of(remove)))
        cells = (
            combo,
            widgets.sets,
            widgets.reps,
            widgets.target,
            widgets.minimum,
            widgets.hold,
            widgets.rest,
            widgets.side,
            widgets.progression_button,
            widgets.notes,
            remove,
        )
        for column, widget in enumerate(cells):
            self.table.setCellWidget(row, column, widget)
        self._fit(row, cells)
        self.rows.append(widgets)
        self.extra_overrides.append(dict(extra or {}))
        return row

    def _fit(self, row: int, cells: tuple[QWidget, ...]) -> None:
        """Rows and columns as large as their widgets want (the table sizes by items, not widgets):
        with the kiosk's finger-sized controls nothing may be cut off."""
        self.table.setRowHeight(row, max(w.sizeHint().height() for w in cells) + 6)
        header = self.table.horizontalHeader()
        for column, widget in enumerate(cells):
            if header.sectionResizeMode(column) != QHeaderView.ResizeMode.Stretch:
                wanted = widget.sizeHint().width() + 8
                if header.sectionSize(column) < wanted:
                    header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
                    header.resizeSection(column, wanted)

    def _follow_template(self, widgets: _Row) -> None:
        """Units, ranges and defaults of the row's fields follow its exercise: a heel-raise target
        is a fraction of the torso length, a knee target an angle; only holds have a hold time."""
        template = self.library.templates.get(widgets.exercise.currentData() or "")
        if template is None:
            return
        lang = self.language
        units = primary_units(template, lang)
        target = widgets.target
        target.setValue(0)
        if units.angle:
            target.setRange(0, 360)
            target.setDecimals(0)
            target.setSingleStep(5)
            target.setSuffix("°")
        else:
            target.setRange(0, 2)
            target.setDecimals(2)
            target.setSingleStep(0.01)
            target.setSuffix(" " + tr("× torso", lang))
        own = units.format(template.primary.target)
        target.setToolTip(
            tr("{0}; the template's own target is {1}", lang, units.name, own)
            if units.angle
            else tr("{0}; the template's own target is {1} torso lengths", lang, units.name, own)
        )
        widgets.minimum.setEnabled(template.kind == "reps")
        widgets.minimum.setChecked(template.kind == "reps" and template.rep.short_of_target == "partial")
        widgets.minimum.setToolTip(
            tr("A rep counts only when it reaches the target; one that stops short counts as partial.", lang)
            if template.kind == "reps"
            else tr("not a rep exercise", lang)
        )
        hold = template.hold
        widgets.hold.setEnabled(hold is not None)
        widgets.hold.setValue(0)
        widgets.hold.setToolTip(
            tr("the template holds {0} s", lang, f"{hold.seconds:.0f}") if hold else tr("not a hold exercise", lang)
        )
        widgets.rest.setToolTip(
            tr("the template rests {0} s between sets", lang, f"{template.dosage.rest_seconds:.0f}")
        )
        side = widgets.side
        side.clear()
        side.addItem(tr("default ({0})", lang, tr(SIDES.get(template.side, template.side), lang)), None)
        for name, words in SIDES.items():
            if name != template.side:
                side.addItem(tr(words, lang), name)

    def _exercise_changed(self, widgets: _Row) -> None:
        self._follow_template(widgets)
        widgets.progression = None  # a rule in seconds or a maximum made for another exercise
        self._show_rule(widgets)

    def _show_rule(self, widgets: _Row) -> None:
        rule = widgets.progression
        button = widgets.progression_button
        button.setText(_short_rule(rule, self.language))
        button.setToolTip(
            rule.describe(self.language) if rule else tr("The dosage stays as prescribed.", self.language)
        )

    def set_progression(self, row: int, rule: ProgressionRule | None) -> None:
        if 0 <= row < len(self.rows):
            self.rows[row].progression = rule
            self._show_rule(self.rows[row])

    def edit_progression(self, row: int) -> ProgressionDialog | None:
        if not 0 <= row < len(self.rows):
            return None
        widgets = self.rows[row]
        template = self.library.templates.get(widgets.exercise.currentData() or "")
        hold = (
            float(widgets.hold.value())
            if widgets.hold.value() > 0
            else template.hold.seconds
            if template and template.hold
            else None
        )
        start = self.start.date()
        # A new rule counts from today: the sessions before it was set must not add steps at once.
        since = max(dt.date.today(), dt.date(start.year(), start.month(), start.day()))
        dialog = ProgressionDialog(
            template,
            widgets.progression,
            reps=widgets.reps.value(),
            hold_seconds=hold,
            since=since,
            parent=self,
            language=self.language,
        )
        dialog.accepted.connect(
            lambda: self.set_progression(self.rows.index(widgets), dialog.rule) if widgets in self.rows else None
        )
        dialog.open()
        return dialog

    def _row_of(self, widget: QWidget) -> int:
        for row in range(self.table.rowCount()):
            if self.table.cellWidget(row, len(COLUMNS) - 1) is widget:
                return row
        return -1

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self.table.removeRow(row)
            del self.rows[row]
            del self.extra_overrides[row]

    def spec(self) -> ProgramSpec:
        """The program as entered; raises TemplateError for an override the template refuses."""
        items = []
        for widgets, extra in zip(self.rows, self.extra_overrides, strict=True):
            exercise_id = widgets.exercise.currentData()
            overrides = dict(extra)
            if widgets.target.value() > 0:
                overrides[TARGET] = widgets.target.value()
            if widgets.hold.isEnabled() and widgets.hold.value() > 0:
                overrides[HOLD] = float(widgets.hold.value())
            if widgets.rest.value() >= 0:
                overrides[REST] = float(widgets.rest.value())
            if widgets.side.currentData() is not None:
                overrides[SIDE] = widgets.side.currentData()
            if widgets.minimum.isEnabled() and widgets.minimum.isChecked():
                overrides[MINIMUM] = "partial"
            rule = widgets.progression
            if rule is not None and rule.unit == "seconds" and HOLD not in overrides:
                template = self.library.templates.get(exercise_id)
                if template is not None and template.hold is not None:  # the time the rule grows from
                    overrides[HOLD] = float(template.hold.seconds)
            self._check(exercise_id, overrides)
            self._check_rule(exercise_id, rule, widgets.reps.value(), overrides)
            items.append(
                ItemSpec(exercise_id, widgets.sets.value(), widgets.reps.value(), overrides, widgets.notes.text(), rule)
            )
        mask = sum(1 << i for i, box in enumerate(self.days.values()) if box.isChecked())
        start = self.start.date()
        return ProgramSpec(items, mask, dt.date(start.year(), start.month(), start.day()), name=self.name.text())

    def _check(self, exercise_id: str, overrides: dict[str, object]) -> None:
        template = self.library.templates.get(exercise_id)
        if template is None:
            raise TemplateError(f"{exercise_id}: not in the exercise library")
        try:
            # exclude_unset: re-validate what the file said, not defaults some validators refuse to see set
            Template.model_validate(apply_overrides(template.model_dump(exclude_unset=True), overrides))
        except ValidationError as exc:
            raise TemplateError(f"{exercise_id}: {exc.errors()[0]['msg'].removeprefix('Value error, ')}") from None

    def _check_rule(
        self, exercise_id: str, rule: ProgressionRule | None, reps: int, overrides: dict[str, object]
    ) -> None:
        """A rule that could never move is refused here, in the exercise's name (the store refuses it too)."""
        if rule is None:
            return
        hold = overrides.get(HOLD)
        start = reps if rule.unit == "reps" else round(float(hold)) if isinstance(hold, int | float) else 0
        if rule.maximum <= start:
            raise TemplateError(
                tr(
                    "{0}: the progression's maximum ({1}) must be above where it starts ({2})",
                    self.language,
                    self._exercise_name(exercise_id),
                    rule.maximum,
                    start,
                )
            )

    def save(self) -> ProgramInfo | None:
        if self.patient_id is None:
            return None
        try:
            program = self.store.save_program(self.patient_id, self.spec())
        except (TemplateError, StoreError) as exc:
            self.status.setText(tr("Not saved: {0}", self.language, exc))
            return None
        self.status.setText(tr("Saved (version {0}).", self.language, self.store.program_version(program)))
        store, patient_id = self.store, self.patient_id
        self.reads.read(  # where the saved rules stand today
            lambda: read_program(store, patient_id),
            lambda view: self._show_progressions(program, view.today),
            self._failed,
        )
        return program


def _short_rule(rule: ProgressionRule | None, language: str) -> str:
    """The rule on its button: "+2 / 1 wk, max 16"."""
    if rule is None:
        return tr("none", language)
    period = tr("wk", language) if rule.period == "weeks" else tr("d", language)
    if rule.unit == "reps":
        return tr("+{0} / {1} {2}, max {3}", language, rule.step, rule.every, period, rule.maximum)
    return tr("+{0} s / {1} {2}, max {3} s", language, rule.step, rule.every, period, rule.maximum)


def _spin(low: int, high: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setAlignment(Qt.AlignmentFlag.AlignRight)
    return spin
