"""The video with the skeleton on it, plus big centred text (countdown, paused) and a visibility hint."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from rehab_coach.ui.style import BIG_PT, CANVAS, SKY, TEXT
from rehab_coach.ui.widgets.skeleton import draw_overlay
from rehab_coach.ui.worker import ShownFrame

REPLAY_CANVAS = "#232a33"  # keypoint replays have no picture: a plain canvas of the stream's size


def fit(frame_size: tuple[int, int], area: QRectF) -> QRectF:
    """The largest rectangle with the frame's aspect ratio centred in `area`."""
    width, height = frame_size
    if width <= 0 or height <= 0:
        return area
    scale = min(area.width() / width, area.height() / height)
    w, h = width * scale, height * scale
    return QRectF(area.center().x() - w / 2, area.center().y() - h / 2, w, h)


class VideoView(QWidget):
    painted = Signal(float)  # the capture time of each frame, the first time it is painted

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # we fill every pixel ourselves
        self.frame: ShownFrame | None = None
        self.big_text = ""
        self.hint = ""
        self.frames_painted = 0
        self._reported = True

    def sizeHint(self) -> QSize:
        return QSize(640, 480)

    def show_frame(self, shown: ShownFrame) -> None:
        self.frame, self._reported = shown, False
        self.update()

    def clear(self) -> None:
        self.frame, self.big_text, self.hint = None, "", ""
        self.update()

    def set_big_text(self, text: str) -> None:
        if text != self.big_text:
            self.big_text = text
            self.update()

    def set_hint(self, text: str) -> None:
        if text != self.hint:
            self.hint = text
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt name
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(CANVAS))
        if self.frame is not None:
            self._paint_frame(painter, self.frame)
        if self.big_text:
            self._paint_big_text(painter)
        if self.hint:
            self._paint_hint(painter)
        painter.end()
        if self.frame is not None and not self._reported:
            self._reported = True
            self.frames_painted += 1
            self.painted.emit(self.frame.result.captured)

    def _paint_frame(self, painter: QPainter, shown: ShownFrame) -> None:
        result = shown.result
        target = fit(result.frame_size, QRectF(self.rect()))
        if shown.image is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            painter.drawImage(target, shown.image)
        else:
            painter.fillRect(target, QColor(REPLAY_CANVAS))
        if result.person is not None:
            draw_overlay(painter, result.person, result.frame_size, target, result.overlay)

    def _paint_big_text(self, painter: QPainter) -> None:
        font = QFont(self.font())
        font.setPointSize(BIG_PT if len(self.big_text) > 3 else BIG_PT * 2)
        font.setBold(True)
        painter.setFont(font)
        box = QRectF(self.rect()).adjusted(20, 20, -20, -20)
        shadow = box.translated(3, 3)
        painter.setPen(QColor(0, 0, 0, 220))
        painter.drawText(shadow, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.big_text)
        painter.setPen(QColor(TEXT))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.big_text)

    def _paint_hint(self, painter: QPainter) -> None:
        font = QFont(self.font())
        font.setPointSize(22)
        font.setBold(True)
        painter.setFont(font)
        area = QRectF(self.rect()).adjusted(24, 0, -24, -24)
        box = painter.fontMetrics().boundingRect(area.toRect(), Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignHCenter, self.hint)
        box = QRectF(box).adjusted(-18, -10, 18, 10)
        box.moveBottom(area.bottom())
        box.moveLeft(area.center().x() - box.width() / 2)
        painter.setPen(QPen(QColor(SKY), 3))
        painter.setBrush(QColor(0, 0, 0, 210))
        painter.drawRoundedRect(box, 12, 12)
        painter.setPen(QColor(TEXT))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.hint)
