"""Colours, type sizes and symbols shared by every screen.

Colours come from the Okabe-Ito palette, which stays distinguishable with the common
colour-vision deficiencies; and every colour that carries meaning also has a symbol,
a word or a line style, so nothing is said by colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt

from rehab_coach.engine.quality import quality_grade
from rehab_coach.paths import assets_dir
from rehab_coach.ui.strings import QT_TR_NOOP

BLUE = "#0072B2"
SKY = "#56B4E9"
GREEN = "#009E73"  # bluish green
ORANGE = "#E69F00"
VERMILLION = "#D55E00"
YELLOW = "#F0E442"
GREY = "#8c959f"

BACKGROUND = "#14171b"
SURFACE = "#1f242a"
CANVAS = "#0b0d10"  # behind the video, and the blank canvas of keypoint replays
TEXT = "#f4f4f4"
MUTED = "#a9b1ba"

# Point sizes: from 2-3 m away the counter and the cue must read at a glance.
BASE_PT = 15
TITLE_PT = 30
CUE_PT = 34
COUNTER_PT = 110
COUNTER_MAX_PT = 360  # the live counter grows with the window up to this (a 1080p screen read from 3 m)
BIG_PT = 56


@dataclass(frozen=True)
class StatusLook:
    colour: str
    symbol: str
    label: str
    pen: Qt.PenStyle


STATUS = {
    "in_range": StatusLook(GREEN, "✓", QT_TR_NOOP("in range"), Qt.PenStyle.SolidLine),
    "almost": StatusLook(ORANGE, "≈", QT_TR_NOOP("almost"), Qt.PenStyle.DashLine),
    "out_of_range": StatusLook(VERMILLION, "✗", QT_TR_NOOP("out of range"), Qt.PenStyle.DotLine),
    "unknown": StatusLook(GREY, "?", QT_TR_NOOP("not measured"), Qt.PenStyle.DotLine),
    "resting": StatusLook(MUTED, "", QT_TR_NOOP("ready"), Qt.PenStyle.SolidLine),  # between reps: nothing to judge
}


def quality_look(quality: float, complete: bool) -> tuple[str, str]:
    """Bar colour and a one-word grade; partial reps are grey and hatched where drawn."""
    return GRADE_LOOK[quality_grade(quality, complete)]


# The grade's thresholds live in the engine (quality_grade), so the summary's words agree with these.
GRADE_LOOK = {
    "partial": (GREY, QT_TR_NOOP("partial")),
    "good": (GREEN, QT_TR_NOOP("good")),
    "fair": (ORANGE, QT_TR_NOOP("fair")),
    "poor": (VERMILLION, QT_TR_NOOP("poor")),
}


CUE_COLOURS = {"fault": ORANGE, "visibility": SKY, "hold": YELLOW, "info": SKY}

# A tick drawn on checked boxes: a styled indicator loses the platform's own mark.
CHECK_ICON = (assets_dir() / "icons" / "check.svg").as_posix()

STYLESHEET = f"""
QWidget {{ background: {BACKGROUND}; color: {TEXT}; font-size: {BASE_PT}pt; }}
QFrame#card {{ background: {SURFACE}; border-radius: 12px; }}
QLabel, QWidget#plain {{ background: transparent; }}
QLabel#title {{ font-size: {TITLE_PT}pt; font-weight: 600; }}
QLabel#muted {{ color: {MUTED}; }}
QPushButton {{ background: {SURFACE}; border: 2px solid {GREY}; border-radius: 10px; padding: 10px 22px; }}
QPushButton:focus {{ border-color: {SKY}; }}
QPushButton#primary {{ background: {BLUE}; border-color: {BLUE}; font-weight: 600; }}
QListWidget {{ background: {SURFACE}; border-radius: 12px; font-size: {BASE_PT + 5}pt; padding: 8px; }}
QListWidget::item {{ padding: 14px; border-radius: 8px; }}
QListWidget::item:selected {{ background: {BLUE}; }}
QStatusBar {{ background: {SURFACE}; color: {MUTED}; font-size: {BASE_PT - 3}pt; }}
QToolBar {{ background: {SURFACE}; border: none; spacing: 8px; }}
QToolButton {{ padding: 6px 12px; border-radius: 8px; }}
QToolButton:checked {{ background: {BLUE}; }}
QTableWidget, QTableView {{ background: {SURFACE}; alternate-background-color: {BACKGROUND}; gridline-color: {GREY};
    selection-background-color: {BLUE}; selection-color: {TEXT}; border-radius: 8px; }}
QHeaderView::section {{ background: {BACKGROUND}; color: {MUTED}; border: none; border-bottom: 1px solid {GREY};
    padding: 6px 8px; font-weight: 700; }}
QTabWidget::pane {{ border: 1px solid {SURFACE}; border-radius: 8px; }}
QTabBar::tab {{ background: {SURFACE}; color: {MUTED}; padding: 10px 20px; margin-right: 4px;
    border-top-left-radius: 8px; border-top-right-radius: 8px; }}
QTabBar::tab:selected {{ background: {BLUE}; color: {TEXT}; }}
QLineEdit, QPlainTextEdit, QSpinBox, QDoubleSpinBox, QComboBox, QDateEdit {{ background: {SURFACE};
    border: 2px solid {GREY}; border-radius: 8px; padding: 6px 8px; min-height: 28px; }}
QLineEdit:focus, QPlainTextEdit:focus, QSpinBox:focus, QDoubleSpinBox:focus, QComboBox:focus {{ border-color: {SKY}; }}
QComboBox QAbstractItemView {{ background: {SURFACE}; selection-background-color: {BLUE}; }}
QCheckBox {{ spacing: 10px; }}
QCheckBox::indicator {{ width: 26px; height: 26px; border: 2px solid {MUTED}; border-radius: 6px;
    background: {SURFACE}; }}
QCheckBox::indicator:checked {{ background: {GREEN}; border-color: {GREEN}; image: url({CHECK_ICON}); }}
QPushButton:disabled {{ color: {GREY}; border-color: {SURFACE}; }}
QMenuBar, QMenu {{ background: {SURFACE}; }}
QMenu::item:selected {{ background: {BLUE}; }}
"""
