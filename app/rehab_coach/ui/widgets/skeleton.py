"""Drawing the patient's skeleton, the joints the exercise uses and the primary angle arc.

Keypoints arrive in source-frame pixels; `to_view` maps them into the rectangle where
the frame is painted, so the overlay fits whatever size the window has.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen

from rehab_coach.keypoints.types import SKELETON, Person
from rehab_coach.session.live.step import AngleArc, Overlay
from rehab_coach.ui.style import BLUE, STATUS, TEXT, YELLOW

MIN_CONF = 0.3  # below this a joint is a guess: drawing it would show a skeleton that is not there


def to_view(person: Person, frame_size: tuple[int, int], target: QRectF) -> list[QPointF | None]:
    width, height = frame_size
    sx = target.width() / width if width else 1.0
    sy = target.height() / height if height else 1.0
    points: list[QPointF | None] = []
    for x, y, conf in person.keypoints:
        ok = conf >= MIN_CONF and math.isfinite(x) and math.isfinite(y)
        points.append(QPointF(target.left() + x * sx, target.top() + y * sy) if ok else None)
    return points


# Pens are built once: a frame draws dozens of lines, and wide antialiased round caps are
# what makes software painting slow. The dark outline is drawn without antialiasing (its
# edge hardly shows) and the coloured line on top with it, flat-capped (joint dots cover the ends).
_OUTLINE = QPen(QColor(0, 0, 0), 1, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
_BONE = QPen(QColor(TEXT), 1, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap)
_KEY_BONE = QPen(QColor(YELLOW), 1, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap)
_DOT_EDGE = QPen(QColor("black"), 2)
_KEY_FILL, _DOT_FILL = QColor(BLUE), QColor(TEXT)


def _bones(points: list[QPointF | None], used: set[int]) -> list[tuple[QPointF, QPointF, bool]]:
    bones = []
    for i, j in SKELETON:
        a, b = points[i], points[j]
        if a is not None and b is not None:
            bones.append((a, b, i in used and j in used))
    return bones


def draw_skeleton(painter: QPainter, points: list[QPointF | None], overlay: Overlay, scale: float) -> None:
    used = set(overlay.highlight)
    bones = _bones(points, used)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    for a, b, key in bones:
        _OUTLINE.setWidthF((8 if key else 6) * scale)
        painter.setPen(_OUTLINE)
        painter.drawLine(a, b)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    for a, b, key in bones:
        pen = _KEY_BONE if key else _BONE
        pen.setWidthF((5 if key else 3) * scale)
        painter.setPen(pen)
        painter.drawLine(a, b)
    _DOT_EDGE.setWidthF(2 * scale)
    painter.setPen(_DOT_EDGE)
    for index, point in enumerate(points):
        if point is not None:
            key = index in used
            radius = (8 if key else 4) * scale
            painter.setBrush(_KEY_FILL if key else _DOT_FILL)
            painter.drawEllipse(point, radius, radius)


def _direction(origin: QPointF, point: QPointF) -> float:
    """Angle in degrees as Qt's arcs count it: counter-clockwise from 3 o'clock, y up."""
    return math.degrees(math.atan2(-(point.y() - origin.y()), point.x() - origin.x()))


def draw_arc(
    painter: QPainter, points: list[QPointF | None], arc: AngleArc, status: str, scale: float, taken: list[QRectF]
) -> None:
    a, b, c = (points[i] for i in arc.joints)
    if a is None or b is None or c is None:
        return
    look = STATUS.get(status, STATUS["unknown"])
    shortest = min(math.dist((a.x(), a.y()), (b.x(), b.y())), math.dist((c.x(), c.y()), (b.x(), b.y())))
    radius = max(18 * scale, min(70 * scale, 0.45 * shortest))
    start = _direction(b, a)
    span = (_direction(b, c) - start + 540) % 360 - 180  # the interior side, never the reflex one
    box = QRectF(b.x() - radius, b.y() - radius, 2 * radius, 2 * radius)
    path = QPainterPath(b)
    path.arcTo(box, start, span)
    path.closeSubpath()
    fill = QColor(look.colour)
    fill.setAlpha(70)
    painter.setBrush(fill)
    painter.setPen(QPen(QColor(look.colour), 6 * scale, look.pen, Qt.PenCapStyle.FlatCap))
    painter.drawPath(path)
    _angle_label(
        painter, b, start + span / 2, radius, f"{arc.value:.0f}° {look.symbol}".rstrip(), look.colour, scale, taken
    )


def _angle_label(
    painter: QPainter,
    vertex: QPointF,
    bisector: float,
    radius: float,
    text: str,
    colour: str,
    scale: float,
    taken: list[QRectF],
) -> None:
    """The value sits outside the angle (opposite the bisector), where it hides no limb;
    a second label (the other knee of a lunge) moves down rather than cover the first."""
    away = math.radians(bisector + 180)
    font = QFont(painter.font())
    font.setPointSizeF(20 * scale)
    font.setBold(True)
    painter.setFont(font)
    metrics = painter.fontMetrics()
    w, h = metrics.horizontalAdvance(text) + 16 * scale, metrics.height() + 6 * scale
    cx = vertex.x() + math.cos(away) * (radius + w / 2)
    cy = vertex.y() - math.sin(away) * (radius + h / 2)
    box = QRectF(cx - w / 2, cy - h / 2, w, h)
    while any(box.intersects(other) for other in taken):
        box.translate(0, h + 4 * scale)
    taken.append(box)
    painter.setPen(QPen(QColor(colour), 3 * scale))
    painter.setBrush(QColor(0, 0, 0, 200))
    painter.drawRoundedRect(box, 8 * scale, 8 * scale)
    painter.setPen(QColor(TEXT))
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)


def draw_overlay(
    painter: QPainter, person: Person, frame_size: tuple[int, int], target: QRectF, overlay: Overlay
) -> None:
    # Line widths follow the painted size, so a small window is not covered in thick lines.
    scale = max(0.5, min(1.6, target.height() / 720))
    points = to_view(person, frame_size, target)
    draw_skeleton(painter, points, overlay, scale)
    taken: list[QRectF] = []
    for arc in overlay.arcs:
        draw_arc(painter, points, arc, overlay.status, scale, taken)
