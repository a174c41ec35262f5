"""The kiosk's first two screens: check-in (today's patients) and the patient's program for today."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from rehab_coach.engine.templates import Library
from rehab_coach.session.kiosk_day import CheckInEntry
from rehab_coach.session.live.sets import sets_text
from rehab_coach.session.store import PatientProgress, ProgramItemInfo, TodayPlan
from rehab_coach.ui.strings import tr
from rehab_coach.ui.widgets.progress_view import ProgressView

MAX_COLUMNS = 3
BUTTON_WIDTH = 380  # a patient button's width when the screen has room; columns follow the width
WIDE_PROGRAM_PAGE = 1100  # from this width the patient's progress sits beside today's exercises


def touch_scroll_area(content: QWidget) -> QScrollArea:
    """A scroll area for long lists, with a scroll bar wide enough for a finger (the kiosk style).

    Not QScroller's drag-to-scroll: its flick gesture holds back each press to see whether
    it becomes a drag, and a tap soon after another one got lost; a patient's tap must count.
    """
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(content)
    return area


def _clear_layout(grid: QGridLayout) -> None:
    while (item := grid.takeAt(0)) is not None:
        widget = item.widget()
        if widget is not None:
            widget.setParent(None)  # out of the window at once, not at the next event loop pass
            widget.deleteLater()


LANGUAGE_NAMES = {"en": "English", "zh": "中文"}


class CheckInPage(QWidget):
    chosen = Signal(object)  # CheckInEntry
    staff = Signal()  # the therapist's way out (asks for the PIN)
    languageChosen = Signal(str)  # the patient chose another language

    def __init__(self, language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self.entries: list[CheckInEntry] = []
        self.title = QLabel()
        self.title.setObjectName("title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = QLabel()
        self.message.setObjectName("muted")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        grid_host = QWidget()
        grid_host.setObjectName("plain")
        self.grid = QGridLayout(grid_host)
        self.grid.setSpacing(18)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.area = touch_scroll_area(grid_host)
        self.staff_button = QPushButton(tr("Staff", language))
        self.staff_button.setObjectName("staff")
        self.staff_button.clicked.connect(self.staff)
        # The other language, named in itself: a patient who cannot read this one still finds it.
        other = "zh" if language != "zh" else "en"
        self.language_button = QPushButton(LANGUAGE_NAMES[other])
        self.language_button.setObjectName("language")
        self.language_button.clicked.connect(lambda: self.languageChosen.emit(other))
        bottom = QHBoxLayout()
        bottom.addWidget(self.language_button)
        bottom.addStretch(1)
        bottom.addWidget(self.staff_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 24)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        layout.addWidget(self.area, 1)
        layout.addLayout(bottom)
        self.buttons: list[QPushButton] = []
        self._columns = 0

    def show_entries(self, entries: list[CheckInEntry], show_names: bool) -> None:
        self.entries = entries
        self.title.setText(
            tr("Welcome! Tap your name to start", self.language)
            if show_names
            else tr("Welcome! Tap your code to start", self.language)
        )
        self.message.setText(
            "" if entries else tr("Nobody is expected today. Please ask your therapist.", self.language)
        )
        _clear_layout(self.grid)
        self.buttons = []
        for entry in entries:
            button = QPushButton(entry.label(show_names, self.language))
            button.setObjectName("patient")
            button.setMinimumWidth(120)  # may be narrower than its text: every button stays on screen
            button.clicked.connect(lambda _checked=False, e=entry: self.chosen.emit(e))
            self.buttons.append(button)
        self._columns = 0
        self._place()

    def _place(self) -> None:
        """As many columns as the screen's width holds (at most MAX_COLUMNS); never wider than the screen."""
        spacing = self.grid.spacing()
        columns = max(1, min(MAX_COLUMNS, (self.area.viewport().width() + spacing) // (BUTTON_WIDTH + spacing)))
        if columns == self._columns:
            return
        self._columns = columns
        for column in range(MAX_COLUMNS):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)
        for i, button in enumerate(self.buttons):
            self.grid.addWidget(button, i // columns, i % columns)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place()

    def show_unavailable(self) -> None:
        """The list could not be read (database down): keep what is shown, say why, in the page's language."""
        self.message.setText(
            tr("The patient list is not available right now (the database does not answer). Retrying…", self.language)
        )


class ProgramPage(QWidget):
    chosen = Signal(object)  # ProgramItemInfo
    back = Signal()
    testsRequested = Signal()  # the standard clinical tests

    def __init__(self, library: Library, language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library, self.language = library, language
        self.title = QLabel()
        self.title.setObjectName("title")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("font-size: 22pt;")
        list_host = QWidget()
        list_host.setObjectName("plain")
        self.grid = QGridLayout(list_host)
        self.grid.setSpacing(18)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.back_button = QPushButton(tr("Not me", language))
        self.back_button.clicked.connect(self.back)
        self.progress = ProgressView(library, language)
        self.progress.hide()
        # Beside the exercises on a wide screen, under them on a narrow one.
        self.row = row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        row.setSpacing(24)
        row.addWidget(touch_scroll_area(list_host), 3)
        row.addWidget(self.progress, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 24)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        layout.addLayout(row, 1)
        self.tests_button = QPushButton(tr("Standard tests", language))
        self.tests_button.clicked.connect(self.testsRequested)
        bottom = QHBoxLayout()
        bottom.addWidget(self.back_button)
        bottom.addStretch(1)
        bottom.addWidget(self.tests_button)
        layout.addLayout(bottom)
        self.buttons: list[QPushButton] = []

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        wide = self.width() >= WIDE_PROGRAM_PAGE
        self.row.setDirection(QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom)

    def show_progress(self, progress: PatientProgress) -> None:
        self.progress.show_progress(progress)
        self.progress.show()

    def show_loading(self, entry: CheckInEntry, show_names: bool) -> None:
        self.clear()
        self.title.setText(tr("Hello, {0}", self.language, entry.name if show_names else entry.code))
        self.message.setText("…")

    def show_plan(self, plan: TodayPlan) -> None:
        self.message.setText(
            tr("Today's exercises", self.language)
            if plan.items
            else tr("No exercise program yet. Your therapist will set one up.", self.language)
        )
        _clear_layout(self.grid)
        self.buttons = []
        for row, today in enumerate(plan.items):
            template = self.library.templates.get(today.item.exercise_id)
            name = template.name.get(self.language) if template else today.item.exercise_id
            lang = self.language
            done = (
                tr("✓ done today", lang)
                if today.done
                else tr("{0} of {1} reps done today", lang, today.reps_done, today.reps_prescribed)
            )
            button = QPushButton(f"{name}\n{sets_text(today.item.sets, today.item.reps, lang)}  ·  {done}")
            button.setObjectName("exercise")
            button.setEnabled(template is not None)  # a template missing here cannot be coached
            button.clicked.connect(lambda _checked=False, item=today.item: self._chosen(item))
            self.grid.addWidget(button, row, 0)
            self.buttons.append(button)

    def _chosen(self, item: ProgramItemInfo) -> None:
        self.chosen.emit(item)

    def show_error(self, text: str) -> None:
        self.message.setText(text)

    def clear(self) -> None:
        self.title.setText("")
        self.message.setText("")
        _clear_layout(self.grid)
        self.buttons = []
        self.progress.clear()
        self.progress.hide()
