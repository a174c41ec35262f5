"""A looping demonstration of a correct rep: the generator's keyframes drawn as a stick figure,
seen from where the camera stands; left limbs sky blue, right limbs yellow, the trunk grey."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from rehab_coach.engine.demos import DemoClip, figure_layout
from rehab_coach.keypoints.types import SKELETON
from rehab_coach.ui.style import CANVAS, MUTED, SKY, YELLOW

LEFT = {1, 3, 5, 7, 9, 11, 13, 15}
TORSO = {5, 6, 11, 12}  # the shoulders and hips: the bones between them are the trunk
HOLD_END_SECONDS = 0.8  # a still moment at the end of each loop, so the rep reads as one movement


class DemoFigure(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clip: DemoClip | None = None
        self.points = np.zeros((0, 17, 2))
        self.frame = 0
        self.loops = 0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(220, 220)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._advance)

    def sizeHint(self) -> QSize:
        return QSize(320, 320)

    def set_clip(self, clip: DemoClip | None) -> None:
        self._timer.stop()
        self.clip, self.frame, self.loops = clip, 0, 0
        self.points = clip.points() if clip is not None else np.zeros((0, 17, 2))
        if clip is not None:
            self._timer.start(round(1000 / clip.fps))
        self.update()

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    def _advance(self) -> None:
        if not self.isVisible() or not len(self.points):
            return  # no drawing work while the card is not on screen
        extra = round(HOLD_END_SECONDS * (self.clip.fps if self.clip else 15))
        self.frame += 1
        if self.frame >= len(self.points) + extra:
            self.frame, self.loops = 0, self.loops + 1
        if self.frame < len(self.points):
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor(CANVAS))
        if len(self.points):
            self._draw(painter, self.points[min(self.frame, len(self.points) - 1)])
        painter.end()

    def _draw(self, painter: QPainter, frame: np.ndarray) -> None:
        layout = figure_layout(self.points, self.width(), self.height())  # room for the head on every side
        scale, (dx, dy) = layout.scale, layout.offset

        def at(i: int) -> QPointF | None:
            x, y = frame[i]
            return QPointF(x * scale + dx, y * scale + dy) if math.isfinite(x) and math.isfinite(y) else None

        width = layout.line_width
        for i, j in SKELETON:
            a, b = at(i), at(j)
            if a is None or b is None:
                continue
            if {i, j} <= TORSO:
                colour = MUTED
            else:
                colour = SKY if {i, j} <= LEFT else YELLOW
            painter.setPen(QPen(QColor(colour), width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            painter.drawLine(a, b)
        head = at(0)
        if head is not None:
            painter.setPen(QPen(QColor(SKY), width))
            painter.setBrush(QColor(CANVAS))
            painter.drawEllipse(head, layout.head_radius, layout.head_radius)
