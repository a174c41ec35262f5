"""The live coaching screen: video with overlay, cue banner, rep counter, plots, and large
Pause and Finish buttons (Finish asks before it ends the session).

Two modes. The patient's (calm) mode shows what helps while exercising, readable from 3 m:
the picture, one cue, the counter (or a countdown ring for holds) and the quality of each rep.
The therapist's (or demo) mode adds the live angle plot with its thresholds. Standing still
between reps (or rising back up) is no error: it reads "Ready" or the angle in a neutral colour,
never a red "out of range" (engine/feedback.py's live_status decides, for the joint's arc too)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from rehab_coach.engine.clinical import ClinicalTest
from rehab_coach.engine.clinical.result import TrialProgress
from rehab_coach.engine.feedback import live_status
from rehab_coach.engine.framing import FramingState, turn_words
from rehab_coach.engine.templates import Template
from rehab_coach.engine.types import FrameUpdate, RangeStatus
from rehab_coach.engine.units import MeasureUnits, primary_units
from rehab_coach.engine.visibility import unseen_joints_text
from rehab_coach.i18n import _
from rehab_coach.session.live.sets import SetProgress, finish_question
from rehab_coach.ui.shown_frame import ShownFrame
from rehab_coach.ui.strings import QT_TR_NOOP, tr
from rehab_coach.ui.style import MUTED, STATUS
from rehab_coach.ui.widgets.cue_banner import CueBanner
from rehab_coach.ui.widgets.framing_guide import GuideLook
from rehab_coach.ui.widgets.notice import NoticeBar
from rehab_coach.ui.widgets.plots import AnglePlot, QualityBars
from rehab_coach.ui.widgets.prompt import PromptOverlay
from rehab_coach.ui.widgets.rep_panel import RepPanel
from rehab_coach.ui.widgets.test_readout import TestReadout
from rehab_coach.ui.widgets.video_view import VideoView

STAND_WORDS = {"side": QT_TR_NOOP("Stand side-on to the camera"), "front": QT_TR_NOOP("Stand facing the camera")}


def framing_look(state: FramingState, language: str) -> GuideLook:
    """The framing check in words: the one thing to do now, and what is missing or worth a note."""
    wanted = tr(STAND_WORDS.get(state.wanted_view, STAND_WORDS["front"]), language)
    if state.status == "no_person":
        title, detail = tr("Step into the camera view", language), wanted
    elif state.status == "joints_missing":
        title, detail = (
            tr("Move so your whole body is in the picture", language),
            unseen_joints_text(state.missing_joints, language),
        )
    elif state.status == "wrong_view":
        title, detail = turn_words(state.wanted_view, state.turn_side, language), wanted  # the coach's words
    elif state.status == "reading_view":
        title, detail = tr("Stand still for a moment", language), wanted
    else:
        title = tr("Go!", language) if state.go else tr("Good, hold still", language)
        detail = (
            tr("Turned part way: turn a little more for the best reading", language) if state.turned_part_way else ""
        )
    return GuideLook(state.wanted_view, state.ready, state.hold_progress, title, detail, "✓" if state.ready else "")


class LivePage(QWidget):
    pauseRequested = Signal()  # the Pause / Resume button
    finishConfirmed = Signal()  # Finish, then "Finish" again in the confirmation
    skipFramingRequested = Signal()  # start the set without waiting for the framing check

    def __init__(self, language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self.banner = CueBanner(language=language)
        self.notice = NoticeBar(language=language)
        self.video = VideoView()
        self.reps = RepPanel(language)
        self.test_readout = TestReadout(language)  # a clinical test's one number, where the counter is
        self.test_readout.hide()
        self.angle_plot = AnglePlot(language=language)
        self.quality = QualityBars(language=language)
        self.angle_plot.setMinimumHeight(120)
        self.quality.setMinimumHeight(90)
        self.pause_button = QPushButton(tr("Pause", language))
        self.pause_button.setObjectName("pause")
        self.finish_button = QPushButton(tr("Finish", language))
        self.finish_button.setObjectName("primary")
        for button in (self.pause_button, self.finish_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space and Return stay the window's shortcuts
            button.setMinimumHeight(72)
        self.skip_framing_button = QPushButton(tr("Start now", language))
        self.skip_framing_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.skip_framing_button.setMinimumHeight(72)
        self.skip_framing_button.setVisible(False)
        self.skip_framing_button.clicked.connect(self.skipFramingRequested)
        self.pause_button.clicked.connect(self.pauseRequested)
        self.finish_button.clicked.connect(self.ask_finish)
        self._layout()
        self.finish_prompt = PromptOverlay(self)
        self.finish_prompt.accepted.connect(self.finishConfirmed)
        self.reps_done = 0
        self.progress: SetProgress | None = None  # what the counter shows, and so the Finish question
        self.hold_goal: float | None = None
        self.units: MeasureUnits | None = None
        self.calm = True
        self.test_mode = False  # a clinical test runs: its readout in place of the counter
        self.set_calm(True)

    def _layout(self) -> None:
        # The counter has the side column to itself; the per-rep quality bars sit under it with
        # the live plot, in the therapist's view only.
        self.quality_box = QFrame()
        self.quality_box.setObjectName("card")
        column = QVBoxLayout(self.quality_box)
        caption = QLabel(tr("QUALITY THIS SET", self.language))
        caption.setStyleSheet(f"color: {MUTED}; font-weight: 700; letter-spacing: 2px;")
        column.addWidget(caption)
        column.addWidget(self.quality, 1)
        grid = QGridLayout(self)
        grid.setContentsMargins(12, 12, 12, 12)
        grid.setSpacing(10)
        grid.addWidget(self.banner, 0, 0, 1, 2)
        grid.addWidget(self.notice, 1, 0, 1, 2)
        grid.addWidget(self.video, 2, 0)
        grid.addWidget(self.reps, 2, 1)
        grid.addWidget(self.test_readout, 2, 1)
        grid.addWidget(self.angle_plot, 3, 0)
        grid.addWidget(self.quality_box, 3, 1)
        controls = QHBoxLayout()
        controls.addWidget(self.pause_button, 1)
        controls.addStretch(1)
        controls.addWidget(self.skip_framing_button, 1)
        controls.addStretch(1)
        controls.addWidget(self.finish_button, 1)
        grid.addLayout(controls, 4, 0, 1, 2)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(2, 1)

    def begin(self, template: Template, progress: SetProgress) -> None:
        self.hold_goal = template.hold.seconds if template.hold is not None else None
        self.units = primary_units(template, self.language)
        self.reps.set_hold(self.hold_goal)
        self.banner.setProperty("idle_text", template.name.get(self.language))
        self.banner.history.clear()
        self.banner.clear()
        self.notice.hide_notice()
        self.video.clear()
        self.angle_plot.clear_samples()
        self.angle_plot.set_thresholds(template.primary, self.units)
        self.quality.set_reps([])
        self.reps.show_progress(progress)
        self.reps.show_status(" ", MUTED)
        self.reps_done = 0
        self.progress = progress
        self.show_paused(False)
        self.show_framing(None)
        self.finish_prompt.dismiss()
        self.show_test_mode(False)

    def begin_test(self, test: ClinicalTest, trial: int, trials: int, side: str | None) -> None:
        """A clinical test's trial: its one number in place of the counter; no plots or quality (no coaching)."""
        self.show_test_mode(True)
        self.test_readout.begin(test, trial, trials, side)
        self.banner.setProperty("idle_text", _(test.name, self.language))
        self.banner.clear()

    def show_trial(self, progress: TrialProgress) -> None:
        self.test_readout.show_progress(progress)

    def show_test_mode(self, on: bool) -> None:
        self.test_mode = on
        self.reps.setVisible(not on)
        self.test_readout.setVisible(on)
        # A timed test cannot pause: the button stops the trial (it is kept, not completed).
        self.pause_button.setText(tr("Stop", self.language) if on else tr("Pause", self.language))
        self.set_calm(self.calm)

    def reset(self) -> None:
        """Nothing of the last session left: picture, cues, charts, counts (the kiosk's next patient)."""
        self.banner.setProperty("idle_text", "")
        self.banner.history.clear()
        self.banner.clear()
        self.notice.hide_notice()
        self.video.clear()
        self.angle_plot.clear_samples()
        self.quality.set_reps([])
        self.reps.reset()
        self.reps_done = 0
        self.progress = None
        self.show_paused(False)
        self.show_framing(None)
        self.finish_prompt.dismiss()
        self.show_test_mode(False)

    def show_framing(self, state: FramingState | None) -> None:
        """The framing check over the picture (None: hide it)."""
        self.video.set_guide(framing_look(state, self.language) if state is not None else None)
        self.skip_framing_button.setVisible(state is not None)
        if state is not None:
            self.video.set_hint("")

    def set_calm(self, calm: bool) -> None:
        """The patient's calm view (True) or the therapist's view with the live plot (False)."""
        self.calm = calm
        coaching = not self.test_mode  # a test has no angle to plot, no rep quality
        self.angle_plot.setVisible(not calm and coaching)
        self.quality_box.setVisible(not calm and coaching)

    def show_paused(self, paused: bool) -> None:
        if self.test_mode and not paused:
            self.pause_button.setText(tr("Stop", self.language))
            return
        self.pause_button.setText(tr("Resume" if paused else "Pause", self.language))

    def ask_finish(self) -> None:
        """Finish asks first: one tap more ends the session, the other goes on with it."""
        self.finish_prompt.ask(
            tr("Finish this exercise?", self.language),
            self.finish_message(),
            tr("Finish", self.language),
            tr("Keep going", self.language),
        )

    def finish_message(self) -> str:
        if self.progress is None:
            return ""
        return finish_question(self.progress, self.hold_goal is not None, self.language)

    def show_frame(self, shown: ShownFrame) -> None:
        result = shown.result
        self.video.show_frame(shown)
        self.angle_plot.add_samples(result.samples)
        if result.update is not None:
            self._show_update(result.update)

    def _show_update(self, update: FrameUpdate) -> None:
        if self.hold_goal is not None:
            self.reps.show_hold(update.hold_seconds)
        self.reps.show_status(*self.status_text(update))
        self.video.set_hint(update.visibility_hint)  # the engine's: after a second out of view

    def status_text(self, update: FrameUpdate) -> tuple[str, str]:
        """The line under the counter: how the movement is going now, and its colour."""
        lang = self.language
        if update.phase == "absent":
            look = STATUS["unknown"]
            return f"{look.symbol} {tr(look.label, lang)}", look.colour
        status = live_status(update.phase, update.primary_status)
        value = self.units.for_patient(update.primary_value) if self.units else ""
        if status == RangeStatus.RESTING:  # between reps, or not yet in the hold position: nothing wrong
            if update.phase != "top":  # rising back after the bottom: the value, neutral
                return value or tr("Ready", lang), MUTED
            words = tr("Get into position", lang) if self.hold_goal is not None else tr("Ready", lang)
            return words, MUTED
        look = STATUS[status]
        held = ""
        if update.hold_seconds is not None and self.hold_goal:
            held = f"  ·  {update.hold_seconds:.0f} / {self.hold_goal:.0f} s"
        return f"{value + '  ' if value else ''}{look.symbol} {tr(look.label, lang)}{held}", look.colour

    def show_progress(self, progress: SetProgress) -> None:
        self.reps_done = sum(1 for reps in progress.per_set for r in reps if r.complete)
        self.progress = progress
        self.reps.show_progress(progress)
        self.quality.set_reps(progress.current)
        if self.finish_prompt.showing:  # a rep landed while the question is up: it says the new count
            self.finish_prompt.set_message(self.finish_message())
