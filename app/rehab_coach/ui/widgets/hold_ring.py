"""For holds: a large ring that fills as the hold goes on, with the seconds left in the middle."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from rehab_coach.ui.style import GREEN, GREY, MUTED, SURFACE, TEXT


class HoldRing(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.goal = 0.0
        self.held = 0.0
        self.holding = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(160, 160)

    def minimumSizeHint(self) -> QSize:
        return QSize(90, 90)

    def set_goal(self, seconds: float) -> None:
        self.goal, self.held, self.holding = seconds, 0.0, False
        self.update()

    def show_hold(self, held: float | None) -> None:
        """Seconds held in the current attempt; None: not holding now."""
        holding, value = held is not None, held or 0.0
        if holding != self.holding or abs(value - self.held) >= 0.05:
            self.holding, self.held = holding, value
            self.update()

    @property
    def seconds_left(self) -> int:
        return max(0, math.ceil(self.goal - self.held)) if self.holding else math.ceil(self.goal)

    def paintEvent(self, event: QPaintEvent) -> None:
        side = min(self.width(), self.height()) - 8
        if side <= 0:
            return
        thickness = max(6.0, side * 0.09)
        box = QRectF(
            (self.width() - side) / 2 + thickness / 2,
            (self.height() - side) / 2 + thickness / 2,
            side - thickness,
            side - thickness,
        )
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(SURFACE if self.holding else GREY), thickness))
        painter.drawEllipse(box)
        if self.holding and self.goal > 0:
            share = min(1.0, self.held / self.goal)
            painter.setPen(QPen(QColor(GREEN), thickness, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            painter.drawArc(box, 90 * 16, -round(360 * 16 * share))  # clockwise from 12 o'clock
        font = QFont(self.font())
        font.setPixelSize(max(12, round(side * 0.36)))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor(TEXT if self.holding else MUTED))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, str(self.seconds_left))
        unit = QFont(self.font())
        unit.setPixelSize(max(10, round(side * 0.09)))
        painter.setFont(unit)
        painter.setPen(QColor(MUTED))
        painter.drawText(box.adjusted(0, side * 0.3, 0, 0), Qt.AlignmentFlag.AlignCenter, "s")
        painter.end()
