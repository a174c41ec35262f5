"""The therapist screens' charts in the app's own dark theme (pyqtgraph ignores style sheets)."""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtGui import QFont

from rehab_coach.ui.style import MUTED, SURFACE, TEXT


def themed_plot(**kwargs: Any) -> pg.PlotWidget:
    plot = pg.PlotWidget(background=SURFACE, **kwargs)
    font = QFont()
    font.setPointSize(11)
    for name in ("left", "bottom", "right"):
        axis = plot.getAxis(name)
        axis.setTextPen(pg.mkPen(MUTED))
        axis.setPen(pg.mkPen(MUTED))
        axis.setTickFont(font)
        axis.enableAutoSIPrefix(False)  # else torso lengths (0.04-0.18) read as -100 to 300
    title = kwargs.get("title")
    if title:
        plot.setTitle(title, color=TEXT)
    return plot
