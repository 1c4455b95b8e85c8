"""A 28x28 drawing pad (shown 10x larger): learners draw a digit and the network predicts it live."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from gui.widgets.net_maps import to_qimage

__all__ = ["DrawDialog", "DrawPad"]


class DrawPad(QWidget):
    """Draw with the left button, erase with the right one. ``drawn(image)`` after each stroke:
    ``image`` is ``(side, side)`` float32 in [0, 1], white ink on black like MNIST."""

    drawn = Signal(object)

    def __init__(self, side: int = 28, scale: int = 10, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.side, self.scale = side, scale
        self.image = np.zeros((side, side), np.float32)  # (side, side)
        self._last: QPointF | None = None
        self._erase = False
        self.setFixedSize(QSize(side * scale, side * scale))
        self.setCursor(Qt.CursorShape.CrossCursor)

    def clear(self) -> None:
        self.image[:] = 0
        self.update()
        self.drawn.emit(self.image.copy())

    def stamp(self, x: float, y: float, radius: float = 1.3) -> None:
        """Ink a soft disc of ``radius`` cells centred on cell coordinates ``(x, y)``."""
        yy, xx = np.mgrid[0 : self.side, 0 : self.side]
        d = np.sqrt((xx + 0.5 - x) ** 2 + (yy + 0.5 - y) ** 2)
        ink = np.clip(radius + 0.5 - d, 0.0, 1.0).astype(np.float32)
        self.image = np.clip(self.image - ink, 0, 1) if self._erase else np.maximum(self.image, ink)

    def _line_to(self, pos: QPointF) -> None:
        p = QPointF(pos.x() / self.scale, pos.y() / self.scale)
        a = self._last or p
        steps = max(1, int(np.hypot(p.x() - a.x(), p.y() - a.y()) * 3))
        for t in np.linspace(0, 1, steps + 1):
            self.stamp(a.x() + t * (p.x() - a.x()), a.y() + t * (p.y() - a.y()))
        self._last = p
        self.update()

    def mousePressEvent(self, event) -> None:
        self._erase = event.button() == Qt.MouseButton.RightButton
        self._last = None
        self._line_to(event.position())

    def mouseMoveEvent(self, event) -> None:
        if self._last is not None:
            self._line_to(event.position())

    def mouseReleaseEvent(self, event) -> None:
        self._last = None
        self.drawn.emit(self.image.copy())

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.drawImage(self.rect(), to_qimage(self.image, vmin=0, vmax=1))
        p.setPen(QColor(60, 60, 60))
        for i in range(0, self.side + 1, 7):
            p.drawLine(i * self.scale, 0, i * self.scale, self.height())
            p.drawLine(0, i * self.scale, self.width(), i * self.scale)
        p.end()


class DrawDialog(QDialog):
    """The pad with a Clear button; non-modal, so the feature maps update beside it while drawing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Draw a digit"))
        self.pad = DrawPad()
        clear = QPushButton(self.tr("Clear"))
        clear.clicked.connect(self.pad.clear)
        hint = QLabel(self.tr("Left button: draw. Right button: erase."))
        row = QHBoxLayout()
        row.addWidget(hint, 1)
        row.addWidget(clear)
        lay = QVBoxLayout(self)
        lay.addWidget(self.pad)
        lay.addLayout(row)
