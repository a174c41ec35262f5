"""End of session. For the patient, in plain words: what went well, one thing to work on, the
sets done, and the pain/effort check-in. The therapist's view adds the range of motion
against the target (with the measure's units), the faults and the session's technical details."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from rehab_coach.engine.templates import Template
from rehab_coach.engine.types import RepResult
from rehab_coach.engine.units import primary_units
from rehab_coach.session.live.outcome import SessionOutcome
from rehab_coach.session.live.patient_summary import patient_summary
from rehab_coach.ui.strings import tr
from rehab_coach.ui.style import GREEN, MUTED, ORANGE, SKY
from rehab_coach.ui.widgets.check_in import CheckInPanel
from rehab_coach.ui.widgets.plots import QualityBars


def hold_text(template: Template, reps: list[RepResult], language: str = "en") -> tuple[str, str]:
    """For holds the range of motion is the time held against the goal."""
    goal = template.hold.seconds if template.hold is not None else 0.0
    held = max((r.held_seconds or 0.0 for r in reps), default=0.0)
    mark = "✓ " + tr("goal reached", language) if held >= goal else "✗ " + tr("goal not reached", language)
    words = tr("longest hold {0} s · goal {1} s", language, f"{held:.0f}", f"{goal:.0f}")
    return f"{words} · {mark}", GREEN if held >= goal else ORANGE


def rom_text(template: Template, best: float | None, language: str = "en") -> tuple[str, str]:
    """Best angle reached against the target, in words and with a symbol."""
    primary = template.primary
    units = primary_units(template, language)
    if best is None:
        return tr("{0}: no complete rep", language, units.name), MUTED
    sign = 1 if primary.direction == "down" else -1
    reached = sign * best <= sign * primary.target
    ideal = tr(", ideal {0}", language, units.format(primary.ideal)) if primary.ideal is not None else ""
    mark = "✓ " + tr("target reached", language) if reached else "✗ " + tr("target not reached", language)
    scale = "" if units.angle else " " + tr("(× torso length)", language)
    best_words = tr("best {0} {1} · target {2}", language, units.name, units.format(best), units.format(primary.target))
    return f"{best_words}{ideal}{scale} · {mark}", GREEN if reached else ORANGE


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
        self.headline = QLabel()
        self.headline.setStyleSheet("font-size: 26pt; font-weight: 700;")
        self.went_well, self.work_on, self.sets_text = QLabel(), QLabel(), QLabel()
        for label in (self.headline, self.went_well, self.work_on, self.sets_text):
            label.setWordWrap(True)
        for label in (self.went_well, self.work_on, self.sets_text):
            label.setStyleSheet("font-size: 18pt;")
        self.saved_text = QLabel()
        self.saved_text.setObjectName("muted")
        self.calm = True
        self.rom = QLabel()
        self.faults = QLabel()
        self.details = QLabel()
        self.details.setObjectName("muted")
        self.details.setWordWrap(True)
        for label in (self.rom, self.faults):
            label.setWordWrap(True)
            label.setStyleSheet("font-size: 20pt;")
        self.chart = QualityBars(language=language)
        self.chart.setMinimumHeight(110)
        self.check_in = CheckInPanel(language)
        self.again_button = QPushButton(tr("New exercise", language) + "  (Enter)")
        self.again_button.setObjectName("primary")
        self.quit_button = QPushButton(tr("Quit", language) + "  (Ctrl+Q)")
        self.again_button.clicked.connect(self.again)
        self.quit_button.clicked.connect(self.quit)
        self._layout()

    def _tile(self, key: str, caption: str) -> QFrame:
        tile = QFrame()
        tile.setObjectName("card")
        value = QLabel("–")
        value.setStyleSheet("font-size: 44pt; font-weight: 800;")
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
        for column, (key, caption) in enumerate(
            (
                ("reps", tr("Reps", lang)),
                ("partial", tr("Partial reps", lang)),
                ("quality", tr("Average quality", lang)),
                ("sets", tr("Sets", lang)),
            )
        ):
            tiles.addWidget(self._tile(key, caption), 0, column)
        buttons = QHBoxLayout()
        buttons.addWidget(self.quit_button)
        buttons.addStretch(1)
        buttons.addWidget(self.again_button)
        # The content scrolls when the window is small (1280x720 with the check-in open); the
        # buttons stay in view under it.
        content = QWidget()
        content.setObjectName("plain")
        layout = QVBoxLayout(content)
        layout.setContentsMargins(48, 24, 48, 12)
        layout.setSpacing(12)
        self.scroll_area = QScrollArea()  # not `scroll`: QWidget.scroll()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(content)
        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(self.scroll_area, 1)
        page.addLayout(buttons)
        buttons.setContentsMargins(48, 8, 48, 24)
        layout.addWidget(self.title)
        layout.addWidget(self.headline)
        for label in (self.went_well, self.work_on, self.sets_text):
            layout.addWidget(label)
        layout.addWidget(self.check_in)
        layout.addLayout(tiles)
        layout.addWidget(self.rom)
        layout.addWidget(self.faults)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.details)
        layout.addWidget(self.saved_text)
        self.set_calm(True)

    def set_calm(self, calm: bool) -> None:
        """The patient's words only (True), or with the therapist's figures and technical details."""
        self.calm = calm
        for widget in (self.rom, self.faults, self.details, self.title):
            widget.setVisible(not calm)
        partial_tile = self.values["partial"].parentWidget()
        assert partial_tile is not None  # every value label sits in its tile (_tile)
        partial_tile.setVisible(not calm)
        self.saved_text.setVisible(calm)

    def set_actions(self, again: str, quit: str) -> None:
        """Other words for the two buttons (the kiosk has no keys and does not quit)."""
        self.again_button.setText(again)
        self.quit_button.setText(quit)

    def clear(self) -> None:
        """Nothing of the last session left (the kiosk's next patient)."""
        self.title.setText(tr("Session summary", self.language))
        for value in self.values.values():
            value.setText("–")
        for label in (
            self.rom,
            self.faults,
            self.details,
            self.headline,
            self.went_well,
            self.work_on,
            self.sets_text,
            self.saved_text,
        ):
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
        self.title.setText(tr("Session summary", lang) + f": {template.name.get(lang)}")
        quality = summary["average_quality"]
        self.values["reps"].setText(str(summary["rep_count"]))
        self.values["partial"].setText(str(summary["partial_reps"]))
        self.values["quality"].setText(f"{quality:.0f}" if quality is not None else "–")
        self.values["sets"].setText(f"{outcome.sets_completed}/{outcome.sets_planned}")
        if template.kind == "hold":
            text, colour = hold_text(template, outcome.coach.reps, lang)
        else:
            text, colour = rom_text(template, summary["best_extreme"], lang)
        self.rom.setText(tr("Range of motion", lang) + f": {text}")
        self.rom.setStyleSheet(f"font-size: 20pt; color: {colour};")
        faults = outcome.fault_texts(lang)[:3]
        listed = "; ".join(f"“{text}” ×{count}" for text, count in faults) if faults else tr("none", lang)
        self.faults.setText(tr("Most frequent faults", lang) + f": {listed}")
        self.chart.set_reps(outcome.coach.reps)
        self.details.setText(self._details(outcome))
        words = patient_summary(outcome, lang)
        self.headline.setText(words.headline)
        self.headline.setToolTip(template.name.get(lang))
        went_well, work_on = tr("What went well", lang), tr("One thing to work on", lang)
        self.went_well.setText(f"<span style='color:{GREEN}'>✓</span> {went_well}: {words.went_well}")
        self.work_on.setText(f"<span style='color:{SKY}'>➜</span> {work_on}: {words.work_on}")
        self.sets_text.setText(tr("Sets", lang) + f": {words.sets}")
        self.saved_text.setText(self._saved_words(outcome))

    def show_check_in_saved(self, outcome: SessionOutcome, text: str, advice: str = "") -> None:
        if outcome is self.outcome:
            self.check_in.show_result(text, advice)

    def show_saved(self, outcome: SessionOutcome) -> None:
        """The store thread has written the session's end: say where it went."""
        if outcome is self.outcome:
            self.details.setText(self._details(outcome))
            self.saved_text.setText(self._saved_words(outcome))

    def _saved_words(self, outcome: SessionOutcome) -> str:
        return outcome.saved.describe(self.language) if outcome.saved else tr("Saving…", self.language)

    def _details(self, outcome: SessionOutcome) -> str:
        """The technical line of the therapist's view: source, backend, speed, where the session went."""
        lang, perf = self.language, outcome.perf
        saved = self._saved_words(outcome)
        if outcome.exported_to:
            saved += "; " + tr("report {0}", lang, outcome.exported_to)
        latency = tr(
            "latency {0} ms (p95 {1} ms)",
            lang,
            f"{perf.get('latency_ms_mean', 0):.0f}",
            f"{perf.get('latency_ms_p95', 0):.0f}",
        )
        return f"{outcome.source.describe()} · {outcome.backend} · {perf.get('fps', 0):.1f} fps · {latency}\n{saved}"
