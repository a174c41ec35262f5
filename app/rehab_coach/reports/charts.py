"""Static line charts painted with QPainter, for the PDF report.

The on-screen plots use pyqtgraph; a report needs a picture that renders the same on a
server without widgets or a display, so this draws into a QImage with QtGui only.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QImage, QPainter, QPainterPath, QPen

ToPixel = Callable[[float, float], QPointF]  # data coordinates to the point on the page

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2")


@dataclass
class Series:
    label: str
    points: Sequence[tuple[float, float]]
    color: str = ""
    markers: bool = False


@dataclass
class Chart:
    title: str
    y_label: str
    series: list[Series]
    x_label: str = ""
    x_ticks: list[tuple[float, str]] = field(default_factory=list)  # custom labels (e.g. dates)
    reference: float | None = None  # a horizontal line, e.g. the target angle
    reference_label: str = ""


def _nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    if not math.isfinite(low) or not math.isfinite(high) or high <= low:
        return [low]
    raw = (high - low) / count
    step = 10 ** math.floor(math.log10(raw))
    step *= next(m for m in (1, 2, 2.5, 5, 10) if raw <= m * step)
    first = math.ceil(low / step) * step
    return [first + i * step for i in range(int((high - first) / step) + 1)]


def _bounds(chart: Chart) -> tuple[float, float, float, float]:
    xs = [x for s in chart.series for x, _ in s.points]
    ys = [y for s in chart.series for _, y in s.points]
    if chart.reference is not None:
        ys.append(chart.reference)
    if not xs:
        return 0.0, 1.0, 0.0, 1.0
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    pad = (y1 - y0) * 0.08 or 1.0
    return x0, (x1 if x1 > x0 else x0 + 1), y0 - pad, y1 + pad


LATIN_FONT = "DejaVu Sans"
# CJK families in the order they are preferred; Debian/Ubuntu: fonts-noto-cjk (scripts/setup.sh), fonts-wqy-*.
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
)
CJK_LANGUAGES = {"zh": QFontDatabase.WritingSystem.SimplifiedChinese}


def report_font(language: str = "en") -> str:
    """The font family the report is set in: one that has the language's characters.

    Named rather than left to Qt's fallback, so the PDF embeds one font that has every glyph and
    the text layer holds the characters themselves. Without a CJK font installed: the Latin one
    (Qt then falls back per glyph as it can, and logs nothing)."""
    system = CJK_LANGUAGES.get(language)
    if system is None:
        return LATIN_FONT
    families = QFontDatabase.families(system)
    return next((f for f in CJK_FONTS if f in families), families[0] if families else LATIN_FONT)


def report_font_families(language: str = "en") -> list[str]:
    """The report's text fonts, first choice first: the Latin font, then the language's own.

    Latin letters and digits must come from the Latin font: set in Noto Sans CJK, Qt shapes digits
    in a Latin run to glyphs its PDF writer cannot map back to characters, and pdftotext read
    "DEMO-01" as "DEMO-". Characters the Latin font lacks fall back to the CJK one."""
    own = report_font(language)
    return [LATIN_FONT] if own == LATIN_FONT else [LATIN_FONT, own]


def render_chart(chart: Chart, language: str = "en", width: int = 1600, height: int = 700) -> QImage:
    """The chart as an image (drawn at print resolution; the report scales it down)."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont(report_font(language))
    font.setPixelSize(max(12, height // 28))
    painter.setFont(font)
    plot = QRectF(width * 0.08, height * 0.17, width * 0.86, height * 0.68)
    x0, x1, y0, y1 = _bounds(chart)

    def at(x: float, y: float) -> QPointF:
        return QPointF(
            plot.left() + (x - x0) / (x1 - x0) * plot.width(), plot.bottom() - (y - y0) / (y1 - y0) * plot.height()
        )

    _axes(painter, chart, plot, (x0, x1, y0, y1), at)
    for number, series in enumerate(chart.series):
        _series(painter, series, PALETTE[number % len(PALETTE)], at, width)
    if chart.reference is not None:
        painter.setPen(QPen(QColor("#555555"), max(2, width // 600), Qt.PenStyle.DashLine))
        painter.drawLine(at(x0, chart.reference), at(x1, chart.reference))
        painter.drawText(
            at(x1, chart.reference) + QPointF(-painter.fontMetrics().horizontalAdvance(chart.reference_label) - 8, -8),
            chart.reference_label,
        )
    _legend(painter, chart, plot, width)
    painter.end()
    return image


def _axes(
    painter: QPainter, chart: Chart, plot: QRectF, bounds: tuple[float, float, float, float], at: ToPixel
) -> None:
    x0, x1, y0, y1 = bounds
    metrics = painter.fontMetrics()
    painter.setPen(QPen(QColor("#dddddd"), 1))
    for y in _nice_ticks(y0, y1):
        painter.drawLine(at(x0, y), at(x1, y))
    painter.setPen(QPen(QColor("black"), 2))
    painter.drawRect(plot)
    for y in _nice_ticks(y0, y1):
        label = f"{y:g}"
        painter.drawText(at(x0, y) - QPointF(metrics.horizontalAdvance(label) + 8, -metrics.ascent() / 3), label)
    ticks = chart.x_ticks or [(x, f"{x:g}") for x in _nice_ticks(x0, x1)]
    for x, label in ticks:
        point = at(x, y0)
        painter.drawLine(point, point + QPointF(0, 6))
        painter.drawText(point + QPointF(-metrics.horizontalAdvance(label) / 2, metrics.height() + 6), label)
    title = QFont(painter.font())
    title.setBold(True)
    painter.save()
    painter.setFont(title)
    painter.drawText(QPointF(plot.left(), plot.top() - metrics.height() * 1.7), chart.title)
    painter.restore()
    painter.drawText(
        QPointF(plot.left() - metrics.horizontalAdvance("000") - 12, plot.top() - metrics.height() * 0.4), chart.y_label
    )
    if chart.x_label:
        painter.drawText(
            QPointF(plot.right() - metrics.horizontalAdvance(chart.x_label), plot.bottom() + 2.4 * metrics.height()),
            chart.x_label,
        )


def _series(painter: QPainter, series: Series, fallback: str, at: ToPixel, width: int) -> None:
    color = QColor(series.color or fallback)
    painter.setPen(QPen(color, max(2, width // 500)))
    points = [at(x, y) for x, y in series.points if math.isfinite(y)]
    if len(points) > 1:
        path = QPainterPath(points[0])
        for point in points[1:]:
            path.lineTo(point)
        painter.drawPath(path)
    if series.markers or len(points) == 1:
        painter.setBrush(color)
        radius = max(4, width // 250)
        for point in points:
            painter.drawEllipse(point, radius, radius)
        painter.setBrush(Qt.BrushStyle.NoBrush)


def _legend(painter: QPainter, chart: Chart, plot: QRectF, width: int) -> None:
    """One entry per distinct label, in a row above the plot, right-aligned."""
    metrics = painter.fontMetrics()
    entries: dict[str, QColor] = {}
    for number, series in enumerate(chart.series):
        entries.setdefault(series.label, QColor(series.color or PALETTE[number % len(PALETTE)]))
    x = plot.right() - sum(metrics.horizontalAdvance(label) + 70 for label in entries)
    y = plot.top() - metrics.height() * 0.4
    for label, color in entries.items():
        painter.setPen(QPen(color, max(3, width // 400)))
        painter.drawLine(QPointF(x, y - metrics.ascent() / 3), QPointF(x + 36, y - metrics.ascent() / 3))
        painter.setPen(QColor("black"))
        painter.drawText(QPointF(x + 44, y), label)
        x += metrics.horizontalAdvance(label) + 70
