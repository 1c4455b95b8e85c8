"""A titled matrix panel: a :class:`GridView`, its colour bar and a caption line (shape, output size...)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QLinearGradient, QPainter, QPen
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from gui.widgets import colormaps
from gui.widgets.grid_view import GridView, format_value

__all__ = ["ColorBar", "MatrixPanel"]


class ColorBar(QWidget):
    """A vertical colour bar with its min, middle and max values written next to it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._cmap = "grey"
        self._range = (0.0, 1.0)
        self.setFixedWidth(58)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)

    def set_range(self, cmap: str, vmin: float, vmax: float) -> None:
        self._cmap, self._range = cmap, (float(vmin), float(vmax))
        self.update()

    def labels(self) -> list[str]:
        """The three tick texts, top to bottom."""
        lo, hi = self._range
        return [format_value(hi), format_value((lo + hi) / 2.0), format_value(lo)]

    def sizeHint(self) -> QSize:
        return QSize(58, 100)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        bar = QRectF(4, 8, 14, max(self.height() - 16, 10))
        grad = QLinearGradient(bar.topLeft(), bar.bottomLeft())
        lut = colormaps.LUTS[self._cmap]
        for i in range(0, 256, 15):
            r, g, b = (int(v) for v in lut[255 - i])
            grad.setColorAt(i / 255.0, QColor(r, g, b))
        r, g, b = (int(v) for v in lut[0])
        grad.setColorAt(1.0, QColor(r, g, b))
        p.fillRect(bar, grad)
        p.setPen(QPen(QColor(90, 90, 90), 1))
        p.drawRect(bar)
        font = QFont(self.font())
        font.setPixelSize(11)
        p.setFont(font)
        p.setPen(self.palette().text().color())
        for frac, text in zip((0.0, 0.5, 1.0), self.labels(), strict=False):
            y = bar.top() + frac * bar.height()
            p.drawLine(int(bar.right()), int(y), int(bar.right()) + 4, int(y))
            p.drawText(
                QRectF(bar.right() + 6, y - 8, self.width() - bar.right() - 6, 16),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                text,
            )
        p.end()


class MatrixPanel(QFrame):
    """Title, :class:`GridView` (attribute ``view``), optional colour bar, caption under the grid."""

    def __init__(self, colorbar: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.TextFormat.RichText)
        self.caption.setStyleSheet("color: palette(dark);")
        self.view = GridView()
        self.colorbar = ColorBar() if colorbar else None
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.view, 1)
        if self.colorbar is not None:
            row.addWidget(self.colorbar)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 4, 6, 4)
        lay.setSpacing(3)
        lay.addWidget(self.title)
        lay.addLayout(row, 1)
        lay.addWidget(self.caption)

    def set_data(
        self,
        values: np.ndarray,
        cmap: str = "grey",
        value_range: tuple[float, float] | None = None,
        pads: tuple[int, int, int, int] = (0, 0, 0, 0),
        keep_view: bool = False,
    ) -> None:
        """Show ``values`` ``(H, W)`` (or an RGB image ``(H, W, 3)`` with ``cmap="rgb"``, which has no colour
        bar) and update the colour bar to the same range."""
        self.view.set_data(values, cmap, value_range, pads, keep_view)
        if self.colorbar is not None:
            self.colorbar.setVisible(cmap != "rgb")
            if cmap != "rgb":
                self.colorbar.set_range(cmap, *self.view.value_range())
