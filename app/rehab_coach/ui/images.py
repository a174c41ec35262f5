"""numpy BGR frames to QImage. QImage (unlike QPixmap) may be built on the worker thread."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage


def bgr_to_qimage(image: np.ndarray) -> QImage:
    """A QImage that owns a copy of the pixels, so the array may be freed or reused."""
    image = np.ascontiguousarray(image)
    height, width = image.shape[:2]
    if image.ndim == 2:
        return QImage(image.data, width, height, image.strides[0], QImage.Format.Format_Grayscale8).copy()
    return QImage(image.data, width, height, image.strides[0], QImage.Format.Format_BGR888).copy()
