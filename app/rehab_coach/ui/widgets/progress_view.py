"""The patient's own progress: a four-week calendar of exercise days (done, partly done, missed,
rest), the streak, and how range of motion and quality moved. Symbols as well as colours."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from rehab_coach.engine.templates import Library
from rehab_coach.session.store import ExerciseTrend, PatientProgress
from rehab_coach.ui.strings import QT_TR_NOOP, tr
from rehab_coach.ui.style import GREEN, GREY, MUTED, ORANGE, SKY, VERMILLION

DAY_LOOK = {  # state: (symbol, colour)
    "done": ("✓", GREEN),
    "partial": ("◐", ORANGE),
    "missed": ("✗", VERMILLION),
    "rest": ("·", GREY),
    "today": ("○", SKY),
    "future": ("", GREY),
}
WEEKDAYS = (
    QT_TR_NOOP("Mon"),
    QT_TR_NOOP("Tue"),
    QT_TR_NOOP("Wed"),
    QT_TR_NOOP("Thu"),
    QT_TR_NOOP("Fri"),
    QT_TR_NOOP("Sat"),
    QT_TR_NOOP("Sun"),
)


class ProgressView(QFrame):
    def __init__(self, library: Library, language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library, self.language = library, language
        self.progress: PatientProgress | None = None
        self.setObjectName("card")
        self.title = QLabel(tr("Your progress", language))
        self.title.setStyleSheet("font-size: 20pt; font-weight: 700;")
        self.streak = QLabel()
        self.streak.setStyleSheet("font-size: 18pt;")
        self.grid = QGridLayout()
        self.grid.setSpacing(4)
        for column, name in enumerate(WEEKDAYS):
            header = QLabel(tr(name, language))
            header.setAlignment(Qt.AlignmentFlag.AlignCenter)
            header.setStyleSheet(f"color: {MUTED}; font-size: 12pt;")
            self.grid.addWidget(header, 0, column)
        self.cells: list[QLabel] = []
        self.legend = QLabel(
            " ".join(
                f"<span style='color:{DAY_LOOK[s][1]}'>{DAY_LOOK[s][0]}</span> {tr(w, language)}"
                for s, w in (
                    ("done", QT_TR_NOOP("done")),
                    ("partial", QT_TR_NOOP("part done")),
                    ("missed", QT_TR_NOOP("missed")),
                    ("rest", QT_TR_NOOP("rest day")),
                )
            )
        )
        self.legend.setStyleSheet(f"color: {MUTED}; font-size: 12pt;")
        self.trends = QLabel()
        self.trends.setWordWrap(True)
        self.trends.setStyleSheet("font-size: 15pt;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.streak)
        layout.addLayout(self.grid)
        layout.addWidget(self.legend)
        layout.addWidget(self.trends)
        layout.addStretch(1)

    def clear(self) -> None:
        self.progress = None
        self.streak.setText("")
        self.trends.setText("")
        for cell in self.cells:
            cell.deleteLater()
        self.cells = []

    def show_progress(self, progress: PatientProgress) -> None:
        self.clear()
        self.progress = progress
        lang = self.language
        self.streak.setText(
            tr(
                "{0} of {1} exercise days done in the last weeks · streak: {2}",
                lang,
                progress.done_days,
                progress.exercise_days,
                progress.streak,
            )
        )
        for i, mark in enumerate(progress.days):
            symbol, colour = DAY_LOOK[mark.state]
            cell = QLabel(
                f"<div style='color:{MUTED}; font-size:10pt'>{mark.day.day}</div>"
                f"<div style='color:{colour}; font-size:20pt; font-weight:700'>{symbol or '&nbsp;'}</div>"
            )
            cell.setAlignment(Qt.AlignmentFlag.AlignCenter)
            cell.setMinimumSize(44, 52)
            border = SKY if mark.day == mark.today else "transparent"
            cell.setStyleSheet(f"border: 2px solid {border}; border-radius: 8px;")
            cell.setToolTip(f"{mark.day:%a %d %b}: {mark.done} of {mark.prescribed}")
            self.grid.addWidget(cell, 1 + i // 7, i % 7)
            self.cells.append(cell)
        self.trends.setText("<br>".join(self._trend_line(t) for t in progress.trends))

    def _trend_line(self, trend: ExerciseTrend) -> str:
        template = self.library.templates.get(trend.exercise_id)
        name = template.name.get(self.language) if template else trend.exercise_id
        parts = []
        if trend.first_rom is not None and trend.last_rom is not None and trend.sessions > 1:
            angle = template is None or template.measures[template.primary.measure].type in (
                "joint_angle",
                "segment_angle",
            )
            unit = "°" if angle else ""
            fmt = "{:.0f}" if angle else "{:.2f}"
            parts.append(
                tr(
                    "movement {0} → {1}",
                    self.language,
                    fmt.format(trend.first_rom) + unit,
                    fmt.format(trend.last_rom) + unit,
                )
            )
        if trend.first_quality is not None and trend.last_quality is not None and trend.sessions > 1:
            parts.append(
                tr("quality {0} → {1}", self.language, f"{trend.first_quality:.0f}", f"{trend.last_quality:.0f}")
            )
        if not parts:
            return f"<b>{name}</b>: " + tr("one session so far", self.language)
        arrow = "↗" if (trend.last_quality or 0) >= (trend.first_quality or 0) else "↘"
        return f"<b>{name}</b> {arrow} " + ", ".join(parts)
