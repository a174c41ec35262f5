"""The framing check drawn over the video: a dashed silhouette where the body should stand
(side-on or facing, as the exercise wants), what to do in words, and the go hold filling up.

Only paints what it is given (`GuideLook`); `rehab_coach.engine.framing` decides it."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen

from rehab_coach.ui.style import ORANGE, SKY, TEXT

BODY_TOP, BODY_SHARE = 0.2, 0.76  # of the picture's height: the words above the head, the hold bar below the feet


@dataclass(frozen=True)
class GuideLook:
    wanted_view: str  # "side" or "front"
    ready: bool
    progress: float  # 0..1 of the go hold
    title: str  # the one thing to do now (or "hold still")
    detail: str = ""  # what is missing, or a note
    symbol: str = ""  # ✓ when ready, so the state is never said by colour alone


def silhouette(area: QRectF, wanted_view: str) -> QPainterPath:
    """A standing figure centred in `area`: shoulders wide when facing, a narrow profile side-on."""
    height = area.height() * BODY_SHARE
    top = area.top() + area.height() * BODY_TOP
    cx = area.center().x()
    unit = height / 8  # a head's height
    wide = wanted_view != "side"
    shoulders = unit * (1.0 if wide else 0.45)
    hips = unit * (0.7 if wide else 0.45)
    path = QPainterPath()
    path.addEllipse(QPointF(cx, top + unit / 2), unit * 0.4, unit * 0.5)
    torso = QPainterPath()
    torso.moveTo(cx - shoulders, top + unit * 1.3)
    torso.lineTo(cx + shoulders, top + unit * 1.3)
    torso.lineTo(cx + hips, top + unit * 4.0)
    torso.lineTo(cx - hips, top + unit * 4.0)
    torso.closeSubpath()
    path.addPath(torso)
    leg = unit * (0.28 if wide else 0.22)
    for x in (cx - hips * 0.55, cx + hips * 0.55) if wide else (cx,):
        path.addRoundedRect(QRectF(x - leg, top + unit * 4.0, 2 * leg, unit * 4.0), leg, leg)
    arm = unit * 0.2
    if wide:  # side-on, the near arm hides along the body
        for x in (cx - shoulders - arm * 1.2, cx + shoulders + arm * 1.2):
            path.addRoundedRect(QRectF(x - arm, top + unit * 1.4, 2 * arm, unit * 2.8), arm, arm)
    else:  # the foot points one way, so side-on reads at a glance
        path.addRoundedRect(QRectF(cx - leg, top + unit * 7.7, unit * 1.1, unit * 0.3), unit * 0.15, unit * 0.15)
    return path


def paint_guide(painter: QPainter, frame: QRectF, look: GuideLook) -> None:
    colour = QColor(SKY if look.ready else ORANGE)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    pen = QPen(colour, max(3.0, frame.height() / 160))
    pen.setStyle(Qt.PenStyle.SolidLine if look.ready else Qt.PenStyle.DashLine)
    painter.setPen(pen)
    fill = QColor(colour)
    fill.setAlpha(40)
    painter.setBrush(fill)
    painter.drawPath(silhouette(frame, look.wanted_view).simplified())
    _paint_title(painter, frame, look, colour)
    if look.ready:
        _paint_hold(painter, frame, look.progress, colour)
    painter.restore()


def _paint_title(painter: QPainter, frame: QRectF, look: GuideLook, colour: QColor) -> None:
    area = frame.adjusted(20, 16, -20, -16)
    font = QFont(painter.font())
    font.setPointSize(26)
    font.setBold(True)
    painter.setFont(font)
    title = f"{look.symbol} {look.title}".strip()
    flags = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignHCenter
    box = QRectF(painter.fontMetrics().boundingRect(area.toRect(), int(flags), title))
    detail_box = QRectF()
    if look.detail:
        small = QFont(font)
        small.setPointSize(17)
        small.setBold(False)
        painter.setFont(small)
        detail_box = QRectF(painter.fontMetrics().boundingRect(area.toRect(), int(flags), look.detail))
        painter.setFont(font)
    width = max(box.width(), detail_box.width()) + 36
    panel = QRectF(area.center().x() - width / 2, area.top(), width, box.height() + detail_box.height() + 24)
    painter.setPen(QPen(colour, 3))
    painter.setBrush(QColor(0, 0, 0, 215))
    painter.drawRoundedRect(panel, 12, 12)
    painter.setPen(QColor(TEXT))
    painter.drawText(
        QRectF(panel.left(), panel.top() + 10, panel.width(), box.height()),
        int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
        title,
    )
    if look.detail:
        small = QFont(font)
        small.setPointSize(17)
        small.setBold(False)
        painter.setFont(small)
        painter.drawText(
            QRectF(panel.left(), panel.top() + 12 + box.height(), panel.width(), detail_box.height()),
            int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
            look.detail,
        )


def _paint_hold(painter: QPainter, frame: QRectF, progress: float, colour: QColor) -> None:
    """A bar along the bottom that fills over the go hold."""
    bar = QRectF(frame.left() + frame.width() * 0.2, frame.bottom() - 22, frame.width() * 0.6, 14)
    painter.setPen(QPen(colour, 2))
    painter.setBrush(QColor(0, 0, 0, 180))
    painter.drawRoundedRect(bar, 7, 7)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawRoundedRect(
        QRectF(bar.left(), bar.top(), bar.width() * max(0.0, min(1.0, progress)), bar.height()), 7, 7
    )
