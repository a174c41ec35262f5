"""A patient's weeks at one glance: sessions and reps done against the program, the range of motion
of each exercise and its change, and the pain flags, this week first
(`rehab_coach.session.store.weekly` computes them; this only paints)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rehab_coach.engine.units import session_units
from rehab_coach.i18n import day_text
from rehab_coach.reports.names import exercise_name
from rehab_coach.session.store import Store, WeekRom, WeekSummary, weekly_summary
from rehab_coach.ui.background import NewestRead
from rehab_coach.ui.strings import QT_TR_NOOP, tr
from rehab_coach.ui.therapist.pain_review import FLAG_COLOUR, flag_when

WEEK_COLUMNS = (
    QT_TR_NOOP("Week"),
    QT_TR_NOOP("Sessions"),
    QT_TR_NOOP("Reps"),
    QT_TR_NOOP("Range of motion"),
    QT_TR_NOOP("Pain flags"),
)
WEEK_TIPS = (
    QT_TR_NOOP("Monday to Sunday"),
    QT_TR_NOOP("Prescribed sessions done / planned (each exercise on each scheduled day, the whole week)"),
    QT_TR_NOOP("Reps done / prescribed: counted on the scheduled days, a therapist's correction counting"),
    QT_TR_NOOP("Mean excursion of the week's complete reps, and its change since the last week with reps"),
    QT_TR_NOOP("Pain after exercising, 7 or more or up 2; ✓ reviewed"),
)


def week_text(week: WeekSummary, language: str) -> str:
    span = f"{day_text(week.start, language)} – {day_text(week.end, language)}"
    return tr("This week", language) + "\n" + span if week.current else span


def sessions_text(week: WeekSummary, language: str) -> str:
    if not week.sessions_planned:
        return tr("none planned ({0} done)", language, week.sessions_recorded) if week.sessions_recorded else "–"
    text = f"{week.sessions_done} / {week.sessions_planned}"
    return text + ("\n" + tr("({0} partial)", language, week.sessions_partial) if week.sessions_partial else "")


def reps_text(week: WeekSummary) -> str:
    return f"{week.reps_done} / {week.reps_prescribed}" if week.reps_prescribed else "–"


def rom_line(rom: WeekRom, language: str) -> str:
    """ "Squat: 62° (↑ 4°)": the mean excursion and its change, in the measure's unit."""
    units = session_units(rom.exercise_id, rom.measure, language)
    text = f"{exercise_name(rom.exercise_id, language=language)}: {units.format(rom.mean_rom)}"
    if rom.change is None:
        return text
    steady = abs(rom.change) < (1.0 if units.angle else 0.01)
    arrow = "→" if steady else "↑" if rom.change > 0 else "↓"
    return f"{text} ({arrow} {units.format(abs(rom.change))})"


def flags_text(week: WeekSummary, language: str) -> str:
    lines = []
    for flag in week.pain_flags:
        mark = " ✓" if not flag.open else ""
        lines.append(f"{flag.describe(language)} · {flag_when(flag, language)}{mark}")
    return "\n".join(lines)


class WeeklySummaryView(QWidget):
    read_failed = Signal(str)  # the weeks could not be read: why

    def __init__(self, store: Store, parent: QWidget | None = None, language: str = "en") -> None:
        super().__init__(parent)
        self.store, self.language = store, language
        self.reads = NewestRead(self, "weeks")
        self.weeks: list[WeekSummary] = []
        self.note = QLabel(
            tr(
                "Each week from Monday: what was done against the program, how far the movements went, and pain.",
                language,
            )
        )
        self.note.setWordWrap(True)
        self.table = QTableWidget(0, len(WEEK_COLUMNS))
        self.table.setHorizontalHeaderLabels([tr(name, language) for name in WEEK_COLUMNS])
        for column, tip in enumerate(WEEK_TIPS):
            header_item = self.table.horizontalHeaderItem(column)
            assert header_item is not None  # setHorizontalHeaderLabels made one for every column
            header_item.setToolTip(tr(tip, language))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in (3, 4):  # the long ones share the rest and wrap: every column in view at once
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.sectionResized.connect(lambda *_: self.table.resizeRowsToContents())  # rows follow the wrapping
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)

    def load(self, patient_id: int, today: dt.date | None = None) -> None:
        """Read the patient's weeks on the worker; the tab is disabled until they show."""
        self.setEnabled(False)
        store = self.store
        self.reads.read(
            lambda: weekly_summary(store, patient_id, today), self._show, lambda e: self.read_failed.emit(str(e))
        )

    @property
    def loaded(self) -> bool:
        return not self.reads.loading

    def _show(self, weeks: list[WeekSummary]) -> None:
        self.setEnabled(True)
        self.weeks = weeks
        lang = self.language
        self.table.setRowCount(len(self.weeks))
        for row, week in enumerate(self.weeks):
            cells = (
                week_text(week, lang),
                sessions_text(week, lang),
                reps_text(week),
                "\n".join(rom_line(r, lang) for r in week.rom) or "–",
                flags_text(week, lang),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                if column == 4 and week.open_flags:
                    item.setForeground(QColor(FLAG_COLOUR))
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()

    def row_texts(self, row: int) -> list[str]:
        """Every cell of a week's row, as shown (for tests and accessibility)."""
        return [
            item.text() if (item := self.table.item(row, column)) is not None else ""
            for column in range(self.table.columnCount())
        ]
