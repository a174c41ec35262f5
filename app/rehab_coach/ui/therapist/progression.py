"""The dialog for a program item's progression rule: a step (reps, or seconds for a hold), how often,
the pain that holds it and the maximum (the rule itself is `rehab_coach.session.progression`)."""

from __future__ import annotations

import datetime as dt

from pydantic import ValidationError
from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from rehab_coach.engine.templates import Template
from rehab_coach.session.progression import MAX_HOLD_SECONDS, MAX_REPS, ProgressionRule
from rehab_coach.ui.strings import qt_locale, tr
from rehab_coach.ui.therapist.dialog_parts import error_label, save_cancel_buttons


class ProgressionDialog(QDialog):
    """Edit one item's rule. `rule` is the answer once accepted: None when the box is unticked."""

    def __init__(
        self,
        template: Template | None,
        rule: ProgressionRule | None,
        *,
        reps: int,
        hold_seconds: float | None,
        since: dt.date,
        parent: QWidget | None = None,
        language: str = "en",
    ) -> None:
        super().__init__(parent)
        lang = self.language = language
        self.rule = rule
        self.reps, self.hold_seconds = reps, hold_seconds
        name = template.name.get(lang) if template else ""
        self.setWindowTitle(tr("Progression: {0}", lang, name) if name else tr("Progression", lang))
        self.enabled = QCheckBox(tr("Progress this exercise over the weeks", lang))
        self.enabled.setChecked(rule is not None)
        self.step = _spin(1, 50)
        self.unit = QComboBox()
        self.unit.addItem(tr("reps", lang), "reps")
        if template is not None and template.hold is not None:
            self.unit.addItem(tr("seconds of hold", lang), "seconds")
        self.every = _spin(1, 52)
        self.period = QComboBox()
        self.period.addItem(tr("weeks", lang), "weeks")
        self.period.addItem(tr("days", lang), "days")
        self.pain = _spin(0, 10)
        self.pain.setSpecialValueText(tr("no pain limit", lang))
        self.maximum = _spin(1, MAX_HOLD_SECONDS)
        self.since = QDateEdit()
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat(tr("d MMM yyyy", lang))
        self.since.setLocale(qt_locale(lang))
        self.words = QLabel()
        self.words.setWordWrap(True)
        self.error = error_label()
        self._fill(rule, since)
        step_row = QHBoxLayout()
        step_row.addWidget(self.step)
        step_row.addWidget(self.unit, 1)
        every_row = QHBoxLayout()
        every_row.addWidget(self.every)
        every_row.addWidget(self.period, 1)
        form = QFormLayout(self)
        form.addRow(self.enabled)
        form.addRow(tr("Add", lang), step_row)
        form.addRow(tr("Every", lang), every_row)
        form.addRow(tr("While pain stays under", lang), self.pain)
        form.addRow(tr("Up to", lang), self.maximum)
        form.addRow(tr("Counting from", lang), self.since)
        form.addRow(self.words)
        form.addRow(self.error)
        form.addRow(save_cancel_buttons(self, self.save, lang))
        for spin in (self.step, self.every, self.pain, self.maximum):
            spin.valueChanged.connect(self._show_words)
        for combo in (self.unit, self.period):
            combo.currentIndexChanged.connect(self._show_words)
        self.enabled.toggled.connect(self._show_words)
        self._show_words()

    def _fill(self, rule: ProgressionRule | None, since: dt.date) -> None:
        if rule is None:  # a sensible start: 2 more reps a week while pain stays under 4
            self.step.setValue(2)
            self.every.setValue(1)
            self.pain.setValue(4)
            self.maximum.setValue(min(MAX_REPS, self.reps + 6))
        else:
            self.step.setValue(rule.step)
            self.unit.setCurrentIndex(max(0, self.unit.findData(rule.unit)))
            self.every.setValue(rule.every)
            self.period.setCurrentIndex(max(0, self.period.findData(rule.period)))
            self.pain.setValue(rule.pain_ceiling or 0)
            self.maximum.setValue(rule.maximum)
        start = rule.since if rule is not None and rule.since is not None else since
        self.since.setDate(QDate(start.year, start.month, start.day))

    def entered(self) -> ProgressionRule:
        """The rule as entered; ValueError says what is wrong with it."""
        unit = self.unit.currentData()
        start = self.reps if unit == "reps" else round(self.hold_seconds or 0)
        if self.maximum.value() <= start:
            what = tr("{0} reps", self.language, start) if unit == "reps" else tr("{0} s", self.language, start)
            raise ValueError(tr("The maximum must be above where it starts ({0}).", self.language, what))
        day = self.since.date()
        try:
            return ProgressionRule(
                step=self.step.value(),
                unit=unit,
                every=self.every.value(),
                period=self.period.currentData(),
                pain_ceiling=self.pain.value() or None,
                maximum=self.maximum.value(),
                since=dt.date(day.year(), day.month(), day.day()),
            )
        except ValidationError:
            limit = MAX_REPS if unit == "reps" else MAX_HOLD_SECONDS
            raise ValueError(tr("The maximum is at most {0}.", self.language, limit)) from None

    def _show_words(self) -> None:
        self.error.clear()
        for widget in (self.step, self.unit, self.every, self.period, self.pain, self.maximum, self.since):
            widget.setEnabled(self.enabled.isChecked())
        if not self.enabled.isChecked():
            self.words.setText(tr("The dosage stays as prescribed.", self.language))
            return
        try:
            self.words.setText(self.entered().describe(self.language))
        except ValueError as exc:
            self.words.setText(str(exc))

    def save(self) -> None:
        if not self.enabled.isChecked():
            self.rule = None
            self.accept()
            return
        try:
            self.rule = self.entered()
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


def _spin(low: int, high: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    return spin
