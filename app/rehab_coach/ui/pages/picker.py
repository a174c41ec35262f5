"""Pick the patient (or none) and the exercise: one large row per template, keyboard first (arrows + Enter).

With a patient chosen, their program for today comes first; a program row starts the
exercise with the program's sets, reps and the therapist's overrides.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from rehab_coach.engine.clinical import CLINICAL_TESTS
from rehab_coach.engine.templates import Template
from rehab_coach.i18n import _
from rehab_coach.session.live.sets import sets_text
from rehab_coach.session.store.views import PatientInfo, ProgramItemInfo, TodayItem
from rehab_coach.ui.strings import QT_TR_NOOP, tr

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1  # the ProgramItemInfo of a program row
TEST_ROLE = Qt.ItemDataRole.UserRole + 2  # the id of a standard clinical test's row

PATIENT_NAME_CHARS = 28  # a longer name is shortened in its middle; the code always shows
PATIENT_LABEL_CHARS = PATIENT_NAME_CHARS + 10  # the box's room: the name, the code and its brackets
VIEW_WORDS = {"side": QT_TR_NOOP("side view"), "front": QT_TR_NOOP("front view")}


def dosage_text(template: Template, language: str = "en") -> str:
    d = template.dosage
    if template.kind == "hold" and template.hold is not None:
        return tr("{0} sets × {1} holds of {2} s", language, d.sets, d.reps, f"{template.hold.seconds:.0f}")
    return tr("{0} sets × {1} reps", language, d.sets, d.reps)


def describe(template: Template, language: str) -> str:
    return f"{template.name.get(language)}\n{tr(VIEW_WORDS.get(template.view, template.view), language)} · {dosage_text(template, language)}"


def describe_item(today: TodayItem, template: Template | None, language: str) -> str:
    item = today.item
    name = template.name.get(language) if template else item.exercise_id
    done = (
        tr("✓ done today", language)
        if today.done
        else tr("{0} of {1} reps done today", language, today.reps_done, today.reps_prescribed)
    )
    program = tr("Program", language)
    return f"★ {name}\n{program}: {sets_text(item.sets, item.reps, language)} · {done}"


def describe_test(test_id: str, language: str) -> str:
    test = CLINICAL_TESTS[test_id]
    words = tr("Standard test", language)
    return f"⏱ {_(test.name, language)}\n{words} · {tr(str(VIEW_WORDS.get(test.view, test.view)), language)}"


class PickerPage(QWidget):
    chosen = Signal(str, object)  # template id, ProgramItemInfo or None
    testChosen = Signal(str)  # a standard clinical test's id
    patientChanged = Signal(object)  # PatientInfo or None (a guest)

    def __init__(self, language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self.templates: list[Template] = []
        self.program: list[TodayItem] = []
        title = QLabel(tr("Choose an exercise", language))
        title.setObjectName("title")
        self.patient_box = QComboBox()
        # Wide enough for a whole label (a long name elided in its middle, the code whole), and
        # growing when the patients arrive: sized once on first show, it clipped the code away.
        self.patient_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.patient_box.setMinimumContentsLength(PATIENT_LABEL_CHARS)
        self.patient_box.addItem(tr("Guest (no patient)", language), None)
        self.patient_box.currentIndexChanged.connect(self._patient_chosen)
        self.errors = QLabel()
        self.errors.setObjectName("muted")
        self.errors.setWordWrap(True)
        self.list = QListWidget()
        self.list.itemActivated.connect(self._activated)
        # The patient on a row of their own under the title: a long name with its code has the
        # width it needs, and the page still fits a 1024 px window.
        patient_row = QHBoxLayout()
        patient_row.addWidget(QLabel(tr("Patient", language)))
        patient_row.addWidget(self.patient_box)
        patient_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 32)
        layout.addWidget(title)
        layout.addLayout(patient_row)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.errors)

    @property
    def patient(self) -> PatientInfo | None:
        return self.patient_box.currentData()

    def set_patients(self, patients: list[PatientInfo], selected: str | None = None) -> None:
        """Fill the patient box (read from the store off the GUI thread); keeps the current choice."""
        keep = selected or (self.patient.code if self.patient else None)
        self.patient_box.blockSignals(True)
        while self.patient_box.count() > 1:
            self.patient_box.removeItem(1)
        for info in patients:
            self.patient_box.addItem(info.label(PATIENT_NAME_CHARS), info)
            full = f"{info.display_name} [{info.code}]"
            self.patient_box.setItemData(self.patient_box.count() - 1, full, Qt.ItemDataRole.ToolTipRole)
            if info.code == keep:
                self.patient_box.setCurrentIndex(self.patient_box.count() - 1)
        self.patient_box.blockSignals(False)
        self._show_full_name()
        if keep is not None:
            self.patientChanged.emit(self.patient)

    def _patient_chosen(self, _index: int) -> None:
        self._show_full_name()
        self.patientChanged.emit(self.patient)

    def _show_full_name(self) -> None:
        """The box's tooltip: the chosen patient's whole name, however the box shortened it."""
        patient = self.patient
        self.patient_box.setToolTip(f"{patient.display_name} [{patient.code}]" if patient else "")

    def set_templates(
        self, templates: list[Template], errors: dict[str, str], overridden: Mapping[str, Path] | None = None
    ) -> None:
        self.templates = templates
        self._fill()
        # A broken template file is reported, not hidden: a clinic may be editing one. So is a
        # user file that replaces a built-in exercise (on purpose, or by an unlucky file name).
        lines = [f"Not loaded: {message}" for message in errors.values()]
        lines += [
            f"{exercise_id}: your file {path} replaces the built-in exercise"
            for exercise_id, path in sorted((overridden or {}).items())
        ]
        self.errors.setText("\n".join(lines))
        self.errors.setVisible(bool(lines))

    def set_program(self, items: list[TodayItem]) -> None:
        """Today's program of the chosen patient, shown above the library."""
        self.program = items
        self._fill()

    def _fill(self) -> None:
        by_id = {t.id: t for t in self.templates}
        self.list.clear()
        for today in self.program:
            row = QListWidgetItem(describe_item(today, by_id.get(today.item.exercise_id), self.language))
            row.setData(Qt.ItemDataRole.UserRole, today.item.exercise_id)
            row.setData(ITEM_ROLE, today.item)
            self.list.addItem(row)
        for template in self.templates:
            row = QListWidgetItem(describe(template, self.language))
            row.setData(Qt.ItemDataRole.UserRole, template.id)
            self.list.addItem(row)
        for test_id in CLINICAL_TESTS:  # the standard tests after the exercises
            row = QListWidgetItem(describe_test(test_id, self.language))
            row.setData(TEST_ROLE, test_id)
            self.list.addItem(row)
        if self.list.count():
            self.list.setCurrentRow(0)

    def _activated(self, row: QListWidgetItem) -> None:
        test_id = row.data(TEST_ROLE)
        if test_id:
            self.testChosen.emit(test_id)
            return
        item: ProgramItemInfo | None = row.data(ITEM_ROLE)
        self.chosen.emit(row.data(Qt.ItemDataRole.UserRole), item)

    def activate_current(self) -> None:
        row = self.list.currentItem()
        if row is not None:
            self._activated(row)

    def focus_list(self) -> None:
        self.list.setFocus()
