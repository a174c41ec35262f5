"""Live plots: the primary angle over the last seconds, and quality per rep."""

from __future__ import annotations

import math
from collections import deque
from functools import cache

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from rehab_coach.engine.templates import Primary
from rehab_coach.engine.types import RepResult
from rehab_coach.engine.units import MeasureUnits
from rehab_coach.ui.strings import QT_TR_NOOP, tr
from rehab_coach.ui.style import GREEN, GREY, MUTED, SKY, SURFACE, TEXT, quality_look


@cache
def _label_font() -> QFont:
    # Built on first use: a QFont made at import time would come before the QApplication.
    return QFont("", 13, QFont.Weight.Bold)


def _styled(plot: pg.PlotWidget, left: str, bottom: str) -> None:
    plot.setBackground(SURFACE)
    plot.setMenuEnabled(False)
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()
    font = QFont()
    font.setPointSize(12)
    for name, label in (("left", left), ("bottom", bottom)):
        axis = plot.getAxis(name)
        axis.setTextPen(pg.mkPen(MUTED))
        axis.setPen(pg.mkPen(MUTED))
        axis.setTickFont(font)
        axis.enableAutoSIPrefix(False)  # else a 0.14 torso-length target reads 140 on the axis
        plot.setLabel(name, label, color=MUTED)


class AnglePlot(pg.PlotWidget):
    """The primary measure live, with the template's thresholds as labelled lines.

    Time runs along a fixed axis of "seconds ago" and the data slides along it: moving
    the axis instead would make pyqtgraph redo ticks and lines on every frame.
    """

    def __init__(self, window_seconds: float = 10.0, parent: object | None = None, language: str = "en") -> None:
        super().__init__(parent)
        self.window_seconds = window_seconds
        _styled(self, tr("angle (°)", language), tr("seconds ago", language))
        self.setXRange(-window_seconds, 0, padding=0)
        self.showAxis("right")
        right = self.getAxis("right")
        right.setTextPen(pg.mkPen(TEXT))
        right.setPen(pg.mkPen(MUTED))
        self.curve = self.plot(pen=pg.mkPen(SKY, width=4), connect="finite", skipFiniteCheck=True)
        self._t: deque[float] = deque()
        self._v: deque[float] = deque()
        self._lines: list[pg.InfiniteLine] = []
        self.received = 0  # samples ever received (tests and diagnostics)

    def set_thresholds(self, primary: Primary, units: MeasureUnits) -> None:
        for line in self._lines:
            self.removeItem(line)
        # Line style as well as colour tells the lines apart; their names sit on the right axis.
        marks = [
            (QT_TR_NOOP("start"), primary.start, MUTED, Qt.PenStyle.DashLine),
            (QT_TR_NOOP("end"), primary.end, MUTED, Qt.PenStyle.DotLine),
            (QT_TR_NOOP("target"), primary.target, GREEN, Qt.PenStyle.SolidLine),
        ]
        if primary.ideal is not None:
            marks.append((QT_TR_NOOP("ideal"), primary.ideal, GREEN, Qt.PenStyle.DashDotLine))
        self._lines = []
        for _, value, colour, style in marks:
            line = pg.InfiniteLine(pos=value, angle=0, pen=pg.mkPen(colour, width=2, style=style))
            self.addItem(line)
            self._lines.append(line)
        ticks = [(value, f"{tr(label, units.language)} {units.format(value)}") for label, value, _, _ in marks]
        self.getAxis("right").setTicks([ticks])
        self.setYRange(*units.axis_range([v for _, v, _, _ in marks]), padding=0)
        self.setLabel("left", units.axis_label, color=MUTED)

    def sizeHint(self) -> QSize:
        return QSize(600, 180)

    def add_samples(self, samples: list[tuple[float, float]]) -> None:
        if not samples:
            return
        for t, value in samples:
            self._t.append(t)
            self._v.append(value)
        self.received += len(samples)
        newest = self._t[-1]
        while self._t and newest - self._t[0] > self.window_seconds:
            self._t.popleft()
            self._v.popleft()
        self.curve.setData(np.fromiter(self._t, float) - newest, np.fromiter(self._v, float))

    def clear_samples(self) -> None:
        self._t.clear()
        self._v.clear()
        self.curve.setData([], [])

    @property
    def visible_samples(self) -> int:
        return sum(1 for v in self._v if math.isfinite(v))


class QualityBars(pg.PlotWidget):
    """Quality of each rep; partial reps are grey and hatched, and every bar carries its number."""

    def __init__(self, parent: object | None = None, language: str = "en") -> None:
        super().__init__(parent)
        _styled(self, tr("quality", language), tr("rep", language))
        self.setYRange(0, 105, padding=0)
        self.getAxis("left").setTicks([[(v, str(v)) for v in (0, 50, 100)]])  # readable in a small chart
        self.bars: pg.BarGraphItem | None = None
        self._labels: list[pg.TextItem] = []
        self.reps: list[RepResult] = []
        self._count = 0
        self.set_reps([])

    def set_reps(self, reps: list[RepResult]) -> None:
        """Show these reps. Called once per rep: bars and labels already shown are kept, since
        rebuilding the chart mid-set stalls the live screen."""
        reps = list(reps)
        keep = len(self.reps) if reps[: len(self.reps)] == self.reps else 0
        for label in self._labels[keep:]:
            self.removeItem(label)
        self._labels = self._labels[:keep]
        for i, rep in enumerate(reps[keep:], start=keep + 1):
            self._labels.append(self._label(i, rep))
        self.reps = reps
        self._bars(reps)
        count = max(5, len(reps))
        if count != self._count:
            self._count = count
            self.setXRange(0.4, count + 0.6, padding=0)
            self.getAxis("bottom").setTicks([[(float(i), str(i)) for i in range(1, count + 1)]])

    def _bars(self, reps: list[RepResult]) -> None:
        if not reps:
            if self.bars is not None:
                self.removeItem(self.bars)
                self.bars = None
            return
        opts = {
            "x": np.arange(1, len(reps) + 1),
            "height": [r.quality for r in reps],
            "width": 0.7,
            "brushes": [self._brush(r) for r in reps],
            "pen": pg.mkPen(TEXT, width=1),
        }
        if self.bars is None:
            self.bars = pg.BarGraphItem(**opts)
            self.addItem(self.bars)
        else:
            self.bars.setOpts(**opts)

    def _label(self, x: int, rep: RepResult) -> pg.TextItem:
        text = f"{rep.quality:.0f}" if rep.complete else "P"
        # Inside the top of a tall bar (a small chart has no room above it), above a short one.
        inside = rep.quality >= 30
        label = pg.TextItem(
            text, color="#111111" if inside and rep.complete else TEXT, anchor=(0.5, 0.0 if inside else 1.0)
        )
        label.setFont(_label_font())
        label.setZValue(10)  # above the bars, which may be created after the labels
        label.setPos(float(x), min(rep.quality, 100) - 1 if inside else rep.quality + 2)
        self.addItem(label)
        return label

    def sizeHint(self) -> QSize:
        return QSize(240, 160)

    @staticmethod
    def _brush(rep: RepResult) -> QBrush:
        colour, _ = quality_look(rep.quality, rep.complete)
        if rep.complete:
            return QBrush(QColor(colour))
        return QBrush(QColor(GREY), Qt.BrushStyle.BDiagPattern)
