"""The instruction card: a looping demonstration of a correct rep, what to do, the therapist's notes
for this patient, where to put the camera (not on a kiosk, whose camera is fixed), how much; then Start."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from rehab_coach.engine.clinical import ClinicalTest
from rehab_coach.engine.demos import load_demo
from rehab_coach.engine.templates import Template
from rehab_coach.i18n import _
from rehab_coach.paths import demos_dir, user_demos_dir
from rehab_coach.session.live.instruction_notes import prescription_notes
from rehab_coach.ui.pages.picker import VIEW_WORDS, dosage_text
from rehab_coach.ui.strings import QT_TR_NOOP, tr
from rehab_coach.ui.style import MUTED, SKY, TEXT, YELLOW
from rehab_coach.ui.widgets.demo_figure import DemoFigure

FRAMING = {  # what must be in the picture, by the body region the exercise works
    "upper_limb": QT_TR_NOOP("Upper body in frame, head to hips, with both hands."),
    "lower_limb": QT_TR_NOOP("Whole body in frame, head to feet."),
    "trunk": QT_TR_NOOP("Whole body in frame, head to feet."),
}


class CameraSketch(QWidget):
    """A top-down sketch: the patient, the camera to the side or in front, 2-3 m away."""

    def __init__(self, language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self.view = "side"
        self.setMinimumSize(260, 220)

    def set_view(self, view: str) -> None:
        self.view = view
        self.update()

    def labels(self) -> tuple[str, str]:
        """The words painted on the sketch (a painted text is no label a walk of the page can read)."""
        return tr("you", self.language), tr("camera", self.language)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = QRectF(self.rect()).adjusted(20, 20, -20, -20)
        person = (
            QPointF(r.left() + 40, r.center().y()) if self.view == "side" else QPointF(r.center().x(), r.top() + 40)
        )
        camera = QPointF(r.right() - 30, person.y()) if self.view == "side" else QPointF(person.x(), r.bottom() - 30)
        p.setPen(QPen(QColor(MUTED), 2, Qt.PenStyle.DashLine))
        p.drawLine(person, camera)
        p.setPen(QColor(TEXT))
        middle = QPointF((person.x() + camera.x()) / 2, (person.y() + camera.y()) / 2)
        p.drawText(
            QRectF(middle.x() - 60, middle.y() - 34, 120, 28)
            if self.view == "side"
            else QRectF(middle.x() + 8, middle.y() - 14, 120, 28),
            Qt.AlignmentFlag.AlignCenter if self.view == "side" else Qt.AlignmentFlag.AlignLeft,
            "2–3 m",
        )
        p.setPen(QPen(QColor("black"), 2))
        p.setBrush(QColor(YELLOW))
        p.drawEllipse(person, 26, 26)
        p.setBrush(QColor(SKY))
        p.drawRoundedRect(QRectF(camera.x() - 22, camera.y() - 16, 44, 32), 6, 6)
        p.setPen(QColor(TEXT))
        p.drawText(QRectF(person.x() - 60, person.y() - 62, 120, 30), Qt.AlignmentFlag.AlignCenter, self.labels()[0])
        p.drawText(QRectF(camera.x() - 60, camera.y() + 18, 120, 30), Qt.AlignmentFlag.AlignCenter, self.labels()[1])
        p.end()


class InstructionsPage(QWidget):
    start = Signal()
    back = Signal()

    def __init__(self, language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self.title = QLabel()
        self.title.setObjectName("title")
        self.what = QLabel()
        self.camera = QLabel()
        self.dosage = QLabel()
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("font-size: 20pt;")
        self.demo = DemoFigure()
        self.source = QLabel()
        self.source.setObjectName("muted")
        for label in (self.what, self.camera):
            label.setWordWrap(True)
            label.setStyleSheet("font-size: 20pt;")
        self.dosage.setStyleSheet("font-size: 22pt; font-weight: 600;")
        self.sketch = CameraSketch(language)
        self.start_button = QPushButton(tr("Start", language) + "  (Space)")
        self.start_button.setObjectName("primary")
        self.back_button = QPushButton(tr("Back", language) + "  (Esc)")
        self.start_button.clicked.connect(self.start)
        self.back_button.clicked.connect(self.back)
        self._layout()

    def _card(self, heading: str, body: QWidget) -> QFrame:
        card = QFrame()
        card.setObjectName("card")
        label = QLabel(heading.upper())
        label.setStyleSheet(f"color: {MUTED}; font-weight: 700; letter-spacing: 2px;")
        layout = QVBoxLayout(card)
        layout.addWidget(label)
        layout.addWidget(body)
        return card

    def _layout(self) -> None:
        placement = QWidget()
        placement.setObjectName("plain")
        row = QHBoxLayout(placement)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.camera, 1)
        row.addWidget(self.sketch)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.source)
        buttons.addWidget(self.start_button)
        self.notes_card = self._card(tr("From your therapist", self.language), self.notes)
        self.camera_card = self._card(tr("Camera placement", self.language), placement)
        self.demo_card = self._card(tr("How it looks", self.language), self.demo)
        text = QVBoxLayout()
        text.setSpacing(18)
        text.addWidget(self._card(tr("What to do", self.language), self.what))
        text.addWidget(self.notes_card)
        text.addWidget(self.camera_card)
        text.addWidget(self.dosage)
        text.addStretch(1)
        row = QHBoxLayout()
        row.setSpacing(18)
        row.addWidget(self.demo_card, 2)
        row.addLayout(text, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 32)
        layout.setSpacing(18)
        layout.addWidget(self.title)
        layout.addLayout(row, 1)
        layout.addLayout(buttons)
        self.notes_card.hide()

    def clear(self) -> None:
        for label in (self.title, self.what, self.camera, self.dosage, self.source, self.notes):
            label.setText("")
        self.notes_card.hide()
        self.demo.set_clip(None)

    def show_template(self, template: Template, source: str, *, notes: str = "", kiosk: bool = False) -> None:
        """`notes`: the therapist's notes for this patient's program item; `kiosk`: the camera is fixed,
        so nothing about placing it."""
        lang = self.language
        self.title.setText(template.name.get(lang))
        self.what.setText(template.instructions.get(lang))
        notes = prescription_notes(template, notes, lang)
        self.notes.setText(notes)
        self.notes_card.setVisible(bool(notes))
        view = tr(VIEW_WORDS.get(template.view, template.view), lang)
        framing = tr(FRAMING.get(template.region, FRAMING["lower_limb"]), lang)
        self.camera.setText(f"{view[:1].upper()}{view[1:]}: {template.camera.get(lang)}\n{framing}")
        self.camera_card.setVisible(not kiosk)
        self.sketch.set_view(template.view)
        self.demo.set_clip(load_demo(template.id, demos_dir(), user_demos_dir()))
        self.demo_card.setVisible(self.demo.clip is not None)
        self.dosage.setText(
            tr(
                "{0} · {1} s rest between sets",
                lang,
                dosage_text(template, lang),
                f"{template.dosage.rest_seconds:.0f}",
            )
        )
        self.source.setText(source)

    def show_test(self, test: ClinicalTest, source: str, *, kiosk: bool = False) -> None:
        """A standard clinical test's card: what to do, where the camera goes, what is measured; the
        demonstration is the exercise the test is made of."""
        lang = self.language
        self.title.setText(_(test.name, lang))
        self.what.setText(_(test.instructions, lang))
        self.notes.setText(tr("Have someone stand beside you for safety.", lang))
        self.notes_card.setVisible(True)
        view = tr(str(VIEW_WORDS.get(test.view, test.view)), lang)
        self.camera.setText(f"{view[:1].upper()}{view[1:]}: {_(test.camera, lang)}")
        self.camera_card.setVisible(not kiosk)
        self.sketch.set_view(test.view)
        self.demo.set_clip(load_demo(test.template, demos_dir(), user_demos_dir()))
        self.demo_card.setVisible(self.demo.clip is not None)
        self.dosage.setText(tr("Measured: {0}", lang, _(test.convention, lang)))
        self.dosage.setWordWrap(True)
        self.source.setText(source)
