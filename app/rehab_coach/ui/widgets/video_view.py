"""The video with the skeleton on it, plus big centred text (countdown, paused) and a visibility hint."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, QSizeF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QTextLayout,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from rehab_coach.ui.shown_frame import ShownFrame
from rehab_coach.ui.style import BIG_PT, CANVAS, SKY, TEXT
from rehab_coach.ui.widgets.framing_guide import GuideLook, paint_guide
from rehab_coach.ui.widgets.skeleton import draw_overlay

REPLAY_CANVAS = "#232a33"  # keypoint replays have no picture: a plain canvas of the stream's size
OUTLINE = "#0b0d10"  # round the big text


def fit(frame_size: tuple[int, int], area: QRectF) -> QRectF:
    """The largest rectangle with the frame's aspect ratio centred in `area`."""
    width, height = frame_size
    if width <= 0 or height <= 0:
        return area
    scale = min(area.width() / width, area.height() / height)
    w, h = width * scale, height * scale
    return QRectF(area.center().x() - w / 2, area.center().y() - h / 2, w, h)


def _text_path(text: str, font: QFont, box: QRectF) -> QPainterPath:
    """`text` as glyph outlines, each line wrapped to the box's width and centred in it."""
    lines: list[tuple[str, float]] = []
    for paragraph in text.split("\n"):
        layout = QTextLayout(paragraph, font)
        layout.beginLayout()
        while (line := layout.createLine()).isValid():
            line.setLineWidth(box.width())
            words = paragraph[line.textStart() : line.textStart() + line.textLength()].rstrip()
            lines.append((words, line.naturalTextWidth()))
        layout.endLayout()
    metrics = QFontMetricsF(font)
    path = QPainterPath()
    y = box.center().y() - len(lines) * metrics.lineSpacing() / 2 + metrics.ascent()
    for words, width in lines:
        path.addText(box.center().x() - width / 2, y, font, words)
        y += metrics.lineSpacing()
    return path


def _margins(outer: QRectF, inner: QRectF) -> list[QRectF]:
    """The letterbox bars around the frame: painting only them saves filling the whole view twice."""
    return [
        QRectF(outer.left(), outer.top(), outer.width(), inner.top() - outer.top()),
        QRectF(outer.left(), inner.bottom(), outer.width(), outer.bottom() - inner.bottom()),
        QRectF(outer.left(), inner.top(), inner.left() - outer.left(), inner.height()),
        QRectF(inner.right(), inner.top(), outer.right() - inner.right(), inner.height()),
    ]


class VideoView(QWidget):
    painted = Signal(float)  # the capture time of each frame, the first time it is painted
    resized = Signal(int, int)  # the view's size in device pixels

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # we fill every pixel ourselves
        self.frame: ShownFrame | None = None
        self.big_text = ""
        self.hint = ""
        self.guide: GuideLook | None = None  # the framing check before a set
        self._big_image: tuple[tuple[str, int, int, float], QImage] | None = None  # the outlined big text
        self.frames_painted = 0
        self._reported = True

    def sizeHint(self) -> QSize:
        return QSize(640, 480)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        ratio = self.devicePixelRatioF()
        self.resized.emit(round(self.width() * ratio), round(self.height() * ratio))

    def show_frame(self, shown: ShownFrame) -> None:
        self.frame, self._reported = shown, False
        self.update()

    def clear(self) -> None:
        self.frame, self.big_text, self.hint, self.guide = None, "", "", None
        self.update()

    def set_big_text(self, text: str) -> None:
        if text != self.big_text:
            self.big_text = text
            self.update()

    def set_guide(self, guide: GuideLook | None) -> None:
        if guide != self.guide:
            self.guide = guide
            self.update()

    def set_hint(self, text: str) -> None:
        if text != self.hint:
            self.hint = text
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        if self.frame is not None:
            self._paint_frame(painter, self.frame)
        else:
            painter.fillRect(self.rect(), QColor(CANVAS))
        if self.guide is not None:
            frame_size = self.frame.result.frame_size if self.frame is not None else (4, 3)
            paint_guide(painter, fit(frame_size, QRectF(self.rect())), self.guide)
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
            target = self._draw_image(painter, shown.image, target)
        else:
            painter.fillRect(target, QColor(REPLAY_CANVAS))
        for bar in _margins(QRectF(self.rect()), target):
            if bar.width() > 0 and bar.height() > 0:
                painter.fillRect(bar, QColor(CANVAS))
        if result.person is not None:
            draw_overlay(painter, result.person, result.frame_size, target, result.overlay)

    def _draw_image(self, painter: QPainter, image: QImage, target: QRectF) -> QRectF:
        """Blit the image when the worker already sized it for this view (the usual case); scale otherwise."""
        ratio = self.devicePixelRatioF()
        size = QSizeF(image.width() / ratio, image.height() / ratio)
        if abs(size.width() - target.width()) <= 2 and abs(size.height() - target.height()) <= 2:
            exact = QRectF(
                QPointF(round(target.center().x() - size.width() / 2), round(target.center().y() - size.height() / 2)),
                size,
            )
            image.setDevicePixelRatio(ratio)
            painter.drawImage(exact.topLeft(), image)
            return exact
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        painter.drawImage(target, image)
        return target

    def _paint_big_text(self, painter: QPainter) -> None:
        """Light text in a dark outline all round, so the countdown reads on a bright picture (a
        white wall, a window) as well as on a dark one. Drawn once per text and size into an image
        (stroking the glyphs costs tens of ms), then copied on every frame."""
        ratio = self.devicePixelRatioF()
        key = (self.big_text, self.width(), self.height(), ratio)
        if self._big_image is None or self._big_image[0] != key:
            self._big_image = (key, self._outlined_text(ratio))
        painter.drawImage(0, 0, self._big_image[1])

    def _outlined_text(self, ratio: float) -> QImage:
        font = QFont(self.font())
        font.setPointSize(BIG_PT if len(self.big_text) > 3 else BIG_PT * 2)
        font.setBold(True)
        image = QImage(
            round(self.width() * ratio), round(self.height() * ratio), QImage.Format.Format_ARGB32_Premultiplied
        )
        image.setDevicePixelRatio(ratio)
        image.fill(Qt.GlobalColor.transparent)
        path = _text_path(self.big_text, font, QRectF(self.rect()).adjusted(20, 20, -20, -20))
        width = max(3.0, QFontMetricsF(font).height() / 24)
        outline = QPen(QColor(OUTLINE), 2 * width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        outline.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.strokePath(path, outline)
        painter.fillPath(path, QColor(TEXT))
        painter.end()
        return image

    def _paint_hint(self, painter: QPainter) -> None:
        font = QFont(self.font())
        font.setPointSize(22)
        font.setBold(True)
        painter.setFont(font)
        area = QRectF(self.rect()).adjusted(24, 0, -24, -24)
        text_box = painter.fontMetrics().boundingRect(
            area.toRect(), Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignHCenter, self.hint
        )
        box = QRectF(text_box).adjusted(-18, -10, 18, 10)
        box.moveBottom(area.bottom())
        box.moveLeft(area.center().x() - box.width() / 2)
        painter.setPen(QPen(QColor(SKY), 3))
        painter.setBrush(QColor(0, 0, 0, 210))
        painter.drawRoundedRect(box, 12, 12)
        painter.setPen(QColor(TEXT))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.hint)
