"""Reading every text a person can see on a window, for the "no English left in Chinese" tests:
labels, buttons, tabs, table headers and cells, combo entries, placeholders, spin boxes, plot
titles, axes and legends."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import pyqtgraph as pg
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTabWidget,
    QWidget,
)

WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")
# Latin text that is right in Chinese too: file formats, scale names, units, keys, the product's name.
ALLOWED = {"CSV", "PDF", "FHIR", "Borg", "CR10", "s", "x", "Rehab", "Coach", "Space", "Esc", "Ctrl", "F11", "M", "O"}
ALLOWED |= {"S", "T", "N", "Q", "Enter"}


def readable_texts(root: QWidget) -> Iterator[str]:
    """Every text on `root` a person can read now."""
    yield root.windowTitle()
    for widget in [root, *root.findChildren(QWidget)]:
        if widget is not root and not widget.isVisibleTo(root):
            continue
        if isinstance(widget, (QLabel, QAbstractButton)):
            yield widget.text()
        if isinstance(widget, QAbstractButton):
            yield widget.toolTip()
        if isinstance(widget, QTabWidget):
            yield from (widget.tabText(i) for i in range(widget.count()))
        if isinstance(widget, QTableWidget):
            yield from _table_texts(widget)
        if isinstance(widget, QComboBox):
            yield from (widget.itemText(i) for i in range(widget.count()))
        if isinstance(widget, QLineEdit):
            yield widget.placeholderText()
        if isinstance(widget, QAbstractSpinBox):
            yield widget.text()
            yield widget.specialValueText()
        if isinstance(widget, pg.PlotWidget):
            yield from plot_texts(widget.getPlotItem())


def _table_texts(table: QTableWidget) -> Iterator[str]:
    for column in range(table.columnCount()):
        header = table.horizontalHeaderItem(column)
        if header is not None:
            yield header.text()
            yield header.toolTip()
        for row in range(table.rowCount()):
            item = table.item(row, column)
            if item is not None:
                yield item.text()


def plot_texts(plot: pg.PlotItem) -> Iterator[str]:
    yield plot.titleLabel.text
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        yield axis.labelText
        low, high = axis.range
        yield from axis.tickStrings([low, (low + high) / 2, high], 1.0, max(high - low, 1e-9) / 2)
    yield from (text for level in plot.getAxis("right")._tickLevels or [] for _value, text in level)  # set ticks
    if plot.legend is not None:
        yield from (label.text for _sample, label in plot.legend.items)


def english_left(texts: Iterable[str], user_data: Iterable[str] = ()) -> list[str]:
    """Texts with a Latin word that is neither allowed nor part of the patients' own data."""
    found = []
    for text in texts:
        shown = re.sub(r"<[^>]+>", " ", text or "").replace("&nbsp;", " ")
        shown = re.sub(r"\b[A-Z]+-?\d+\b", " ", shown)  # codes and keys: P-0042, DEMO-01, F11
        for data in user_data:  # names, codes, the program's name: the therapist typed them
            shown = shown.replace(data, " ")
        words = [w for w in WORD.findall(shown) if w not in ALLOWED]
        if words:
            found.append(f"{text!r}: {words}")
    return found
