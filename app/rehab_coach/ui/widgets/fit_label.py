"""A label whose text grows to fill its box: big numbers use the room the window gives them."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

_REFERENCE_PT = 100.0
_SMALLEST = QSize(60, 90)  # still readable across a room, and all a small window has to give


class FitLabel(QLabel):
    """Does not ask for room (it would force a small window to grow); fills what it gets, up to `max_pt`."""

    def __init__(
        self,
        text: str = "",
        max_pt: float = 110.0,
        min_pt: float = 24.0,
        style: str = "font-weight: 800;",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(text, parent)
        self.max_pt, self.min_pt, self.base_style = max_pt, min_pt, style  # not `style`: QWidget.style()
        self.point_size = 0.0
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return _SMALLEST

    def minimumSizeHint(self) -> QSize:
        return _SMALLEST

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        font = QFont(self.font())
        font.setPointSizeF(_REFERENCE_PT)
        metrics = QFontMetricsF(font)
        width = max(1.0, metrics.horizontalAdvance(self.text() or "0"))
        height = max(1.0, metrics.height())
        scale = min(0.95 * self.width() / width, 0.95 * self.height() / height)
        size = round(max(self.min_pt, min(self.max_pt, _REFERENCE_PT * scale)))
        if size != self.point_size:
            # The app's style sheet sets every font size, and a style sheet beats setFont().
            self.point_size = size
            self.setStyleSheet(f"font-size: {size}pt; {self.base_style}")
