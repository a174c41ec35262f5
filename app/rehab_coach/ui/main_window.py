"""The main window: a stack of pages (picker, instructions, live, rest, summary) and the shortcuts.

Navigation between the pages stays here, the session's pages in `SessionFlow` (shared with the
kiosk), the session logic in `SessionController`, the database on the store thread (`StoreThread`): the patient list and today's program are
read there and arrive through `Results`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow, QStackedWidget, QToolBar, QWidget

from rehab_coach.engine.clinical import ClinicalTest, clinical_test
from rehab_coach.engine.templates import Library, Template, load_library, load_template_by_id
from rehab_coach.errors import RehabCoachError
from rehab_coach.session.live.events import SessionState
from rehab_coach.session.live.sets import program_overrides
from rehab_coach.session.live.store_thread import StoreThread
from rehab_coach.session.store import PatientInfo, ProgramItemInfo, today_plan
from rehab_coach.ui.audio import Feedback
from rehab_coach.ui.background import Results
from rehab_coach.ui.controller import SessionController
from rehab_coach.ui.options import LaunchOptions, spec_for_file
from rehab_coach.ui.pages.clinical_result import ClinicalResultPage
from rehab_coach.ui.pages.instructions import InstructionsPage
from rehab_coach.ui.pages.live import LivePage
from rehab_coach.ui.pages.picker import PickerPage
from rehab_coach.ui.pages.rest import RestPage
from rehab_coach.ui.pages.summary import SummaryPage
from rehab_coach.ui.session_flow import FlowPage, FlowPages, SessionFlow, TherapistScreens
from rehab_coach.ui.strings import tr

if TYPE_CHECKING:
    from rehab_coach.ui.therapist.window import TherapistWindow

VIDEO_FILTER = "Videos and keypoint streams (*.mp4 *.avi *.mov *.mkv *.webm *.jsonl);;All files (*)"


class MainWindow(QMainWindow):
    # Closed (Quit, Ctrl+Q, the summary's Quit, SIGTERM): every window is closed, the event loop ends.
    quitRequested = Signal()

    def __init__(self, options: LaunchOptions, library: Library | None = None) -> None:
        super().__init__()
        self.options = options
        self.source = options.source
        self.template: Template | None = None
        self.patient: str | None = options.patient
        self.program_item: ProgramItemInfo | None = options.program_item
        self.overrides: dict[str, Any] = dict(options.overrides)
        self.setWindowTitle("Rehab Coach")
        lang = options.language
        self.picker, self.instructions = PickerPage(lang), InstructionsPage(lang)
        self.live, self.rest, self.summary = LivePage(lang), RestPage(lang), SummaryPage(lang)
        self.test_result = ClinicalResultPage(lang)
        self.test: ClinicalTest | None = None  # chosen from the picker: a standard clinical test
        self.stack = QStackedWidget()
        for page in (self.picker, self.instructions, self.live, self.rest, self.summary, self.test_result):
            self.stack.addWidget(page)
        self.setCentralWidget(self.stack)
        self.feedback = Feedback(lang, enabled=options.audio, parent=self)
        self.feedback.set_muted(options.muted)
        self.store = StoreThread(options.db_url)
        self.results = Results(self)
        self.controller = SessionController(self.live, self.feedback, options, self.store, self)
        self.flow = SessionFlow(
            self.controller,
            FlowPages(self.live, self.rest, self.summary, self.test_result),
            self._show_flow_page,
            self.store,
            self.results,
            lambda: self.patient,
        )
        self._wire()
        self._actions()
        self.status = QLabel()
        self.statusBar().addPermanentWidget(self.status, 1)
        self._status_timer = QTimer(self, interval=500)
        self._status_timer.timeout.connect(self._refresh_status)
        self._status_timer.start()
        self.library = library if library is not None else load_library()
        self.picker.set_templates(list(self.library.templates.values()), self.library.errors, self.library.overridden)
        self.results.watch(
            self.store.call(lambda store: store.list_patients()),
            lambda patients: self.picker.set_patients(patients, options.patient),
            lambda error: self.statusBar().showMessage(f"Patients not available: {error}", 10000),
        )
        self.resize(1400, 900)
        self.view_action.setChecked(options.therapist_view)
        self.set_therapist_view(options.therapist_view)
        self.show_page(self.picker)

    def _wire(self) -> None:
        self.picker.chosen.connect(self.choose)
        self.picker.testChosen.connect(self.choose_test)
        self.test_result.again.connect(self._again)
        self.test_result.done.connect(self._again)
        self.picker.patientChanged.connect(self._patient_changed)
        self.instructions.start.connect(self.start_session)
        self.instructions.back.connect(lambda: self.show_page(self.picker))
        self.summary.again.connect(self._again)
        self.summary.quit.connect(self.close)
        self.live.notice.openVideo.connect(self.open_video)
        self.live.notice.retry.connect(lambda: self.controller.session.switch_source(self.options.source))

    def _action(
        self, text: str, keys: str | QKeySequence.StandardKey, slot: object, *, toolbar: QToolBar | None = None
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        # The key goes in the tooltip, not on the button: short buttons keep the whole toolbar,
        # the therapist's button at its end included, on screen down to a 1024 px window.
        action.setToolTip(f"{text}  [{action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)}]")
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        if toolbar is not None:
            toolbar.addAction(action)
        return action

    def _actions(self) -> None:
        bar = QToolBar(tr("Session", self.options.language))
        bar.setMovable(False)
        self.addToolBar(bar)
        lang = self.options.language
        self.start_action = self._action(tr("Start / Pause", lang), "Space", self.start_or_pause, toolbar=bar)
        self.stop_action = self._action(tr("Finish", lang), "S", self.ask_finish, toolbar=bar)
        self.mute_action = self._action(tr("Mute", lang), "M", lambda: None, toolbar=bar)
        self.mute_action.setCheckable(True)
        self.mute_action.setChecked(self.feedback.muted)
        self.mute_action.toggled.connect(self.feedback.set_muted)
        self._action(tr("Open video…", lang), "O", self.open_video, toolbar=bar)
        self._action(tr("Skip rest", lang), "N", self.rest.finish)
        self._action(tr("Back", lang), "Esc", self.go_back)
        self._action(tr("Full screen", lang), "F11", self.toggle_fullscreen, toolbar=bar)
        self.view_action = self._action(tr("Therapist view", lang), "T", lambda: None, toolbar=bar)
        self.view_action.setCheckable(True)
        self.view_action.toggled.connect(self.set_therapist_view)
        self._action(tr("Quit", lang), "Ctrl+Q", self.close)
        # The therapist's button on a toolbar of its own at the right: when the window is too
        # narrow for every button, the session's toolbar folds its last ones into its » menu and
        # this one stays whole.
        staff = QToolBar(tr("Therapist", lang))
        staff.setObjectName("staff")
        staff.setMovable(False)
        self.addToolBar(staff)
        self.therapist_action = self._action(tr("Therapist…", lang), "Ctrl+T", self.open_therapist, toolbar=staff)
        self.therapist = TherapistScreens(self.options.db_url, self._therapist_closed)
        self._quitting = False
        self._action(tr("Choose", lang), "Return", self.confirm)

    # ---- navigation ----------------------------------------------------------

    def show_page(self, page: QWidget) -> None:
        self.stack.setCurrentWidget(page)
        if page is self.picker:
            self.picker.focus_list()
        else:
            page.setFocus()

    def _show_flow_page(self, page: FlowPage) -> bool:
        self.show_page(self.flow.pages.page(page))
        return True

    def _patient_changed(self, patient: PatientInfo | None) -> None:
        self.patient = patient.code if patient else None
        self.picker.set_program([])
        if patient is not None:
            self.results.watch(
                self.store.call(lambda store: today_plan(store, patient.id)),
                lambda plan: self._show_plan(patient.code, plan.items),
            )

    def _show_plan(self, code: str, items: list[Any]) -> None:
        if self.patient == code:  # still the chosen patient
            self.picker.set_program(items)

    def choose(self, exercise_id: str, item: ProgramItemInfo | None = None) -> None:
        """An exercise from the library (command-line overrides), or a program item (its own)."""
        overrides = program_overrides(item) if item is not None else dict(self.options.overrides)
        try:
            self.template = load_template_by_id(exercise_id, overrides or None)
        except RehabCoachError as exc:
            self.statusBar().showMessage(str(exc), 10000)
            return
        self.program_item, self.overrides, self.test = item, overrides, None
        self.instructions.show_template(
            self.template, f"Source: {self.source.describe()}", notes=item.notes if item is not None else ""
        )
        self.show_page(self.instructions)

    def choose_test(self, test_id: str) -> None:
        """A standard clinical test: its card, then the test (not an exercise: nothing of a program)."""
        self.test = clinical_test(test_id)
        self.instructions.show_test(self.test, f"Source: {self.source.describe()}")
        self.show_page(self.instructions)

    def start_test_directly(self, test_id: str) -> None:
        """`--test ID`: no picker, no card; the framing check and countdown still run."""
        self.choose_test(test_id)
        self.start_session()

    def start_session(self) -> None:
        if self.test is not None:
            self.flow.start_test(self.test, self.source, patient=self.patient)
        elif self.template is not None:
            self.flow.start_exercise(
                self.template,
                self.source,
                patient=self.patient,
                program_item=self.program_item,
                overrides=self.overrides,
            )

    def start_directly(self, exercise_id: str) -> None:
        """`--exercise ID`: no picker, no instruction card; the countdown still runs."""
        self.choose(exercise_id, self.options.program_item)
        if self.template is not None:
            self.start_session()

    def _again(self) -> None:
        self.show_page(self.picker)
        if self.picker.patient is not None:  # today's progress has moved on
            self._patient_changed(self.picker.patient)

    def ask_finish(self) -> None:
        """Finish asks first; S again (or Return) confirms, Esc goes on."""
        if self.controller.session.state in (SessionState.IDLE, SessionState.FINISHING, SessionState.DONE):
            return
        prompt = self.live.finish_prompt
        if prompt.showing:
            prompt.primary.click()
        elif self.stack.currentWidget() is self.live:
            self.live.ask_finish()
        else:  # resting: nothing on screen to lose, end at once
            self.controller.session.finish()

    def start_or_pause(self) -> None:
        if self.live.finish_prompt.showing:
            return  # answer the question first
        page = self.stack.currentWidget()
        if page is self.picker:
            self.picker.activate_current()
        elif page is self.instructions:
            self.start_session()
        elif page is self.live:
            self.controller.session.toggle_pause()
        elif page is self.rest:
            self.rest.finish()

    def confirm(self) -> None:
        if self.live.finish_prompt.showing:
            self.live.finish_prompt.primary.click()
        elif self.stack.currentWidget() in (self.summary, self.test_result):
            if self.test_result.next_button.isVisible() and self.stack.currentWidget() is self.test_result:
                self.flow.next_trial()
            else:
                self._again()
        else:
            self.start_or_pause()

    def go_back(self) -> None:
        if self.live.finish_prompt.showing:
            self.live.finish_prompt.secondary.click()
        elif self.stack.currentWidget() is self.instructions:
            self.show_page(self.picker)
        elif self.isFullScreen():
            self.showNormal()

    def set_therapist_view(self, on: bool) -> None:
        """The therapist's (or a demo's) view: live plot, status line, figures. Off: the patient's calm view."""
        self.live.set_calm(not on)
        self.summary.set_calm(not on)
        self.test_result.set_calm(not on)
        self.instructions.source.setVisible(on)  # which camera or file: a technical detail
        self.statusBar().setVisible(on)

    @property
    def therapist_window(self) -> TherapistWindow | None:
        return self.therapist.window

    def open_therapist(self) -> TherapistWindow:
        """The therapist screens in their own window, behind the therapist PIN (asked there)."""
        window = self.therapist.open(self.library, self.options.language)
        window.show()
        return window

    def _therapist_closed(self) -> None:
        if self._quitting:
            return  # the store thread is gone: nothing to read again
        if self.picker.patient is not None:  # programs may have changed
            self._patient_changed(self.picker.patient)

    def toggle_fullscreen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    def open_video(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a video or keypoint stream", "", VIDEO_FILTER)
        if path:
            self.use_file(Path(path))

    def use_file(self, path: Path) -> None:
        spec = spec_for_file(path, loop=self.source.loop, speed=self.source.speed)
        self.source = spec
        if self.controller.session.state in (SessionState.IDLE, SessionState.DONE):
            self.statusBar().showMessage(f"Source: {spec.describe()}", 5000)
        else:
            self.controller.session.switch_source(spec)

    def _refresh_status(self) -> None:
        self.status.setText(self.controller.status_line())

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._quitting:  # closed once already (Quit, then SIGTERM): all done
            super().closeEvent(event)
            return
        # Quitting mid-session still saves what was done: the store thread writes it before we go.
        self._quitting = True
        self.therapist.close()
        self._status_timer.stop()
        self.controller.shutdown()
        super().closeEvent(event)
        self.quitRequested.emit()
