"""End of session: reps, partial reps, quality, range of motion against target, faults."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from rehab_coach.engine.templates import Template
from rehab_coach.engine.types import RepResult
from rehab_coach.ui.store import SessionOutcome
from rehab_coach.ui.strings import tr
from rehab_coach.ui.style import GREEN, MUTED, ORANGE
from rehab_coach.ui.widgets.check_in import CheckInPanel
from rehab_coach.ui.widgets.plots import QualityBars


def hold_text(template: Template, reps: list[RepResult]) -> tuple[str, str]:
    """For holds the range of motion is the time held against the goal."""
    goal = template.hold.seconds if template.hold is not None else 0.0
    held = max((r.held_seconds or 0.0 for r in reps), default=0.0)
    mark = "✓ goal reached" if held >= goal else "✗ goal not reached"
    return f"longest hold {held:.0f} s · goal {goal:.0f} s · {mark}", GREEN if held >= goal else ORANGE


def rom_text(template: Template, best: float | None) -> tuple[str, str]:
    """Best angle reached against the target, in words and with a symbol."""
    primary = template.primary
    name = primary.measure.replace("_", " ")
    if best is None:
        return f"{name}: no complete rep", MUTED
    sign = 1 if primary.direction == "down" else -1
    reached = sign * best <= sign * primary.target
    ideal = f", ideal {primary.ideal:.0f}°" if primary.ideal is not None else ""
    mark = "✓ target reached" if reached else "✗ target not reached"
    return f"best {name} {best:.0f}° · target {primary.target:.0f}°{ideal} · {mark}", GREEN if reached else ORANGE


class SummaryPage(QWidget):
    again = Signal()
    quit = Signal()

    def __init__(self, language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self.outcome: SessionOutcome | None = None
        self.title = QLabel(tr("Session summary", language))
        self.title.setObjectName("title")
        self.values: dict[str, QLabel] = {}
        self.rom = QLabel()
        self.faults = QLabel()
        self.details = QLabel()
        self.details.setObjectName("muted")
        self.details.setWordWrap(True)
        for label in (self.rom, self.faults):
            label.setWordWrap(True)
            label.setStyleSheet("font-size: 20pt;")
        self.chart = QualityBars()
        self.chart.setMinimumHeight(110)
        self.check_in = CheckInPanel(language)
        self.again_button = QPushButton(f"{tr('New exercise', language)}  (Enter)")
        self.again_button.setObjectName("primary")
        self.quit_button = QPushButton(f"{tr('Quit', language)}  (Ctrl+Q)")
        self.again_button.clicked.connect(self.again)
        self.quit_button.clicked.connect(self.quit)
        self._layout()

    def _tile(self, key: str, caption: str) -> QFrame:
        tile = QFrame()
        tile.setObjectName("card")
        value = QLabel("–")
        value.setStyleSheet("font-size: 54pt; font-weight: 800;")
        label = QLabel(caption.upper())
        label.setStyleSheet(f"color: {MUTED}; font-weight: 700; letter-spacing: 2px;")
        layout = QVBoxLayout(tile)
        for widget in (value, label):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(widget)
        self.values[key] = value
        return tile

    def _layout(self) -> None:
        lang = self.language
        tiles = QGridLayout()
        for column, (key, caption) in enumerate((("reps", tr("Reps", lang)), ("partial", tr("Partial reps", lang)),
                                                 ("quality", tr("Average quality", lang)), ("sets", tr("Sets", lang)))):
            tiles.addWidget(self._tile(key, caption), 0, column)
        buttons = QHBoxLayout()
        buttons.addWidget(self.quit_button)
        buttons.addStretch(1)
        buttons.addWidget(self.again_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 32)
        layout.setSpacing(14)
        layout.addWidget(self.title)
        layout.addLayout(tiles)
        layout.addWidget(self.check_in)
        layout.addWidget(self.rom)
        layout.addWidget(self.faults)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.details)
        layout.addLayout(buttons)

    def set_actions(self, again: str, quit: str) -> None:  # noqa: A002 - the signal's name
        """Other words for the two buttons (the kiosk has no keys and does not quit)."""
        self.again_button.setText(again)
        self.quit_button.setText(quit)

    def clear(self) -> None:
        """Nothing of the last session left (the kiosk's next patient)."""
        self.title.setText(tr("Session summary", self.language))
        for value in self.values.values():
            value.setText("–")
        for label in (self.rom, self.faults, self.details):
            label.setText("")
        self.chart.set_reps([])
        self.check_in.reset()
        self.outcome = None

    def show_outcome(self, outcome: SessionOutcome) -> None:
        self.outcome = outcome
        self.check_in.reset()
        lang = self.language
        summary = outcome.summary
        template = outcome.coach.template
        self.title.setText(f"{tr('Session summary', lang)}: {template.name.get(lang)}")
        quality = summary["average_quality"]
        self.values["reps"].setText(str(summary["rep_count"]))
        self.values["partial"].setText(str(summary["partial_reps"]))
        self.values["quality"].setText(f"{quality:.0f}" if quality is not None else "–")
        self.values["sets"].setText(f"{outcome.sets_completed}/{outcome.sets_planned}")
        if template.kind == "hold":
            text, colour = hold_text(template, outcome.coach.reps)
        else:
            text, colour = rom_text(template, summary["best_extreme"])
        self.rom.setText(f"{tr('Range of motion', lang)}: {text}")
        self.rom.setStyleSheet(f"font-size: 20pt; color: {colour};")
        faults = outcome.fault_texts(lang)[:3]
        listed = "; ".join(f"“{text}” ×{count}" for text, count in faults) if faults else "none"
        self.faults.setText(f"{tr('Most frequent faults', lang)}: {listed}")
        self.chart.set_reps(outcome.coach.reps)
        self.details.setText(self._details(outcome))

    def show_check_in_saved(self, outcome: SessionOutcome, text: str) -> None:
        if outcome is self.outcome:
            self.check_in.show_result(text)

    def show_saved(self, outcome: SessionOutcome) -> None:
        """The store thread has written the session's end: say where it went."""
        if outcome is self.outcome:
            self.details.setText(self._details(outcome))

    @staticmethod
    def _details(outcome: SessionOutcome) -> str:
        perf = outcome.perf
        saved = outcome.saved.describe() if outcome.saved else "Saving…"
        if outcome.exported_to:
            saved += f"; report {outcome.exported_to}"
        return (f"{outcome.source.describe()} · {outcome.backend} · {perf.get('fps', 0):.1f} fps · "
                f"latency {perf.get('latency_ms_mean', 0):.0f} ms (p95 {perf.get('latency_ms_p95', 0):.0f} ms)\n{saved}")
