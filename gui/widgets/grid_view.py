"""A zoomable matrix view: one coloured square per cell, the value written on it when the cells are big
enough.

:class:`GridView` draws a 2-D float array with a colour map (or an ``(H, W, 3)`` RGB image), marks padding
cells with a hatch (hatching means padding, nothing else), draws highlighted windows (the filter's position,
the hovered cell) and reports the cell under the mouse. The mouse wheel zooms around the cursor, dragging
pans, a double click fits the whole array again. NaN cells are drawn flat grey: that is how a feature map
"fills in" while the stepper runs.

Views added to one :class:`FitGroup` share their cell size, so that arrays of different sizes look their size
side by side (a 13 x 13 map is drawn half as wide as a 26 x 26 one).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QMouseEvent, QPainter, QPen, QWheelEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from gui.widgets import colormaps

__all__ = ["FitGroup", "GridView", "Highlight", "format_value"]

#: cells at least this many pixels wide get their value written on them
NUMBER_MIN_CELL_PX = 22
#: background of cells without a value (NaN: not computed yet)
EMPTY_COLOR = QColor(214, 214, 220)


def format_value(v: float) -> str:
    """Short text for a cell: ``2``, ``-0.5``, ``0.33``, ``12.4``, ``1e+03``."""
    if not np.isfinite(v):
        return "" if np.isnan(v) else ("inf" if v > 0 else "-inf")
    if abs(v - round(v)) < 1e-4 and abs(v) < 1e4:
        return str(round(v)) if round(v) != 0 else "0"
    a = abs(v)
    if a >= 1e4 or a < 1e-3:
        return f"{v:.0e}"
    if a >= 10:
        return f"{v:.1f}"
    text = f"{v:.2f}" if a >= 0.1 else f"{v:.3f}"  # small values keep a significant digit: never "-0"
    return text.rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Highlight:
    """A rectangle of cells drawn over the grid: ``rows`` x ``cols`` cells from ``(top, left)``."""

    top: int
    left: int
    rows: int
    cols: int
    color: QColor
    width: float = 3.0
    fill: bool = False
    dashed: bool = False


class FitGroup:
    """Grid views drawn at one cell size: the largest at which every view of the group shows its whole
    array (each view still zooms on its own with the wheel)."""

    def __init__(self, views: list[GridView] | None = None) -> None:
        self._views: list[GridView] = []
        for view in views or []:
            self.add(view)

    def add(self, view: GridView) -> None:
        view._group = self
        self._views.append(view)
        self.refresh()

    def views(self) -> list[GridView]:
        return list(self._views)

    def fit_px(self) -> float:
        """The shared cell size in pixels (that of the view with the least room per cell)."""
        sizes = [v.own_fit_px() for v in self._views if v.has_data() and v.isVisible()]
        return min(sizes) if sizes else 1.0

    def refresh(self) -> None:
        for view in self._views:
            view.update()


class GridView(QWidget):
    """Draw a 2-D array as coloured cells with optional values, padding hatch and highlights.

    Signals
    -------
    cellHovered(row, col) : the mouse moved over a cell (array coordinates).
    hoverLeft() : the mouse left the array.
    cellClicked(row, col) : a cell was clicked without dragging.
    """

    cellHovered = Signal(int, int)
    hoverLeft = Signal()
    cellClicked = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values = np.zeros((0, 0), np.float32)  # (H, W)
        self._image: QImage | None = None
        self._cmap = "grey"
        self._range = (0.0, 1.0)
        self._pads = (0, 0, 0, 0)
        self._highlights: list[Highlight] = []
        self._zoom = 1.0  # multiplies the fit scale
        self._center = QPointF(0.0, 0.0)  # array coordinates shown at the widget centre
        self._drag_start: QPointF | None = None
        self._dragged = False
        self._hover: tuple[int, int] | None = None
        self._placeholder = ""
        self._group: FitGroup | None = None
        self.show_numbers = True
        self.min_number_px = NUMBER_MIN_CELL_PX
        self.setMouseTracking(True)
        self.setMinimumSize(80, 80)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    # ----------------------------------------------------------------- data
    def set_data(
        self,
        values: np.ndarray,
        cmap: str = "grey",
        value_range: tuple[float, float] | None = None,
        pads: tuple[int, int, int, int] = (0, 0, 0, 0),
        keep_view: bool = False,
    ) -> None:
        """Show ``values`` ``(H, W)`` with the colour map ``cmap``, or an RGB image ``(H, W, 3)`` in [0, 1]
        with ``cmap="rgb"``; ``pads`` (top, bottom, left, right) marks the padding border cells."""
        arr = np.asarray(values, dtype=np.float32)
        if cmap == "rgb":
            if arr.ndim != 3 or arr.shape[2] != 3:
                raise ValueError(f"an RGB image must have shape (H, W, 3). Received shape: {arr.shape}")
        elif arr.ndim != 2:
            raise ValueError(f"values must be 2-D (H, W). Received shape: {arr.shape}")
        elif cmap not in colormaps.LUTS:
            raise ValueError(f"cmap must be one of {(*colormaps.LUTS, 'rgb')}. Received: cmap={cmap!r}")
        same_shape = arr.shape == self._values.shape
        self._values = arr
        self._cmap = cmap
        if value_range is not None:
            self._range = value_range
        elif cmap == "diverging":
            self._range = colormaps.symmetric_range(arr)
        else:
            self._range = colormaps.data_range(arr)
        t, b, le, r = (int(p) for p in pads)
        self._pads = (t, b, le, r)
        argb = colormaps.apply_rgb(arr) if cmap == "rgb" else colormaps.apply(arr, cmap, *self._range)
        h, w = arr.shape[:2]
        self._image = QImage(argb.data, w, h, 4 * w, QImage.Format.Format_ARGB32).copy() if arr.size else None
        if not (keep_view and same_shape):
            self.fit()
        if self._group is not None:
            self._group.refresh()
        self.update()

    def values(self) -> np.ndarray:
        """The array shown, ``(H, W)`` (``(H, W, 3)`` for an RGB image)."""
        return self._values

    def has_data(self) -> bool:
        return self._values.size > 0

    def grid_shape(self) -> tuple[int, int]:
        """``(rows, cols)`` of the array shown."""
        return int(self._values.shape[0]), int(self._values.shape[1])

    def value_range(self) -> tuple[float, float]:
        return self._range

    def colormap(self) -> str:
        return self._cmap

    def set_highlights(self, highlights: list[Highlight]) -> None:
        self._highlights = list(highlights)
        self.update()

    def highlights(self) -> list[Highlight]:
        return list(self._highlights)

    def set_placeholder(self, text: str) -> None:
        """Text drawn when there is nothing to show (e.g. 'compiling kernels...')."""
        self._placeholder = text
        self.update()

    # ------------------------------------------------------------ geometry
    def fit(self) -> None:
        """Show the whole array."""
        h, w = self.grid_shape()
        self._zoom = 1.0
        self._center = QPointF(w / 2.0, h / 2.0)
        self.update()

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        """Zoom by ``factor`` keeping the array point under ``anchor`` (widget pixels) in place."""
        new_zoom = float(np.clip(self._zoom * factor, 0.5, 64.0))
        if anchor is not None:
            before = self.to_cell_f(anchor)
            self._zoom = new_zoom
            after = self.to_cell_f(anchor)
            self._center += before - after
        else:
            self._zoom = new_zoom
        self.update()

    def own_fit_px(self) -> float:
        """The cell size that fits the whole array in this view."""
        h, w = self.grid_shape()
        if h == 0 or w == 0:
            return 1.0
        return max(min((self.width() - 4) / w, (self.height() - 4) / h), 0.01)

    def cell_px(self) -> float:
        """Side of one cell in widget pixels (shared by the views of a :class:`FitGroup`)."""
        fit = self._group.fit_px() if self._group is not None else self.own_fit_px()
        return fit * self._zoom

    def _origin(self) -> QPointF:
        s = self.cell_px()
        return QPointF(self.width() / 2.0 - self._center.x() * s, self.height() / 2.0 - self._center.y() * s)

    def to_cell_f(self, pos: QPointF) -> QPointF:
        """Widget pixel -> array coordinates (x = column, y = row), fractional."""
        s, o = self.cell_px(), self._origin()
        return QPointF((pos.x() - o.x()) / s, (pos.y() - o.y()) / s)

    def cell_at(self, pos: QPointF) -> tuple[int, int] | None:
        """``(row, col)`` under a widget pixel, or None outside the array."""
        p = self.to_cell_f(pos)
        r, c = int(np.floor(p.y())), int(np.floor(p.x()))
        h, w = self.grid_shape()
        return (r, c) if 0 <= r < h and 0 <= c < w else None

    def cell_rect(self, row: float, col: float, rows: float = 1, cols: float = 1) -> QRectF:
        """Widget rectangle covering cells ``[row, row + rows) x [col, col + cols)``."""
        s, o = self.cell_px(), self._origin()
        return QRectF(o.x() + col * s, o.y() + row * s, cols * s, rows * s)

    def numbers_visible(self) -> bool:
        return self.show_numbers and self._cmap != "rgb" and self.cell_px() >= self.min_number_px

    def sizeHint(self) -> QSize:
        # small on purpose: views expand into the room they get, and a large hint would make every
        # word-wrapped panel around them ask its scroll area for that height (Qt sums preferred heights for
        # heightForWidth)
        return QSize(120, 120)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._group is not None:
            self._group.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._group is not None:
            self._group.refresh()

    # -------------------------------------------------------------- events
    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_by(1.25**steps, event.position())
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._drag_start = event.position()
            self._dragged = False

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if self._drag_start is not None and event.buttons() & Qt.MouseButton.LeftButton:
            delta = pos - self._drag_start
            if self._dragged or abs(delta.x()) + abs(delta.y()) > 4:
                self._dragged = True
                s = self.cell_px()
                self._center -= QPointF(delta.x() / s, delta.y() / s)
                self._drag_start = pos
                self.update()
        cell = self.cell_at(pos)
        if cell != self._hover:
            self._hover = cell
            if cell is None:
                self.hoverLeft.emit()
            else:
                self.cellHovered.emit(*cell)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and not self._dragged:
            cell = self.cell_at(event.position())
            if cell is not None:
                self.cellClicked.emit(*cell)
        self._drag_start = None

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.fit()

    def leaveEvent(self, event) -> None:
        if self._hover is not None:
            self._hover = None
            self.hoverLeft.emit()

    # ------------------------------------------------------------ painting
    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), self.palette().window())
        h, w = self.grid_shape()
        if self._image is None or h == 0:
            if self._placeholder:
                p.setPen(self.palette().text().color())
                p.drawText(
                    self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._placeholder
                )
            return
        full = self.cell_rect(0, 0, h, w)
        # empty (NaN) cells: not computed yet, a flat grey distinct from the white of 0 (no pattern: hatching
        # is kept for padding)
        p.fillRect(full, EMPTY_COLOR)
        p.drawImage(full, self._image)
        s = self.cell_px()
        if s >= 6:
            p.setPen(QPen(QColor(150, 150, 150, 120), 1))
            for r in range(h + 1):
                y = full.top() + r * s
                p.drawLine(QPointF(full.left(), y), QPointF(full.right(), y))
            for c in range(w + 1):
                x = full.left() + c * s
                p.drawLine(QPointF(x, full.top()), QPointF(x, full.bottom()))
        self._paint_padding(p, h, w)
        if self.numbers_visible():
            self._paint_numbers(p, h, w, s)
        for hl in self._highlights:
            rect = self.cell_rect(hl.top, hl.left, hl.rows, hl.cols)
            if hl.fill:
                fill = QColor(hl.color)
                fill.setAlpha(40)
                p.fillRect(rect, fill)
            p.setPen(QPen(hl.color, hl.width, Qt.PenStyle.DashLine if hl.dashed else Qt.PenStyle.SolidLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(rect)
        if self._placeholder:
            p.setPen(QColor(60, 60, 60))
            box = QRectF(self.rect()).adjusted(8, 8, -8, -8)
            p.fillRect(QRectF(box.left(), box.top(), box.width(), 28), QColor(255, 255, 220, 230))
            p.drawText(
                QRectF(box.left(), box.top(), box.width(), 28),
                Qt.AlignmentFlag.AlignCenter,
                self._placeholder,
            )
        p.end()

    def _paint_padding(self, p: QPainter, h: int, w: int) -> None:
        t, b, le, r = self._pads
        if not any(self._pads):
            return
        hatch = QBrush(QColor(120, 90, 200, 110), Qt.BrushStyle.BDiagPattern)
        tint = QColor(200, 190, 235, 90)
        bands = [(0, 0, t, w), (h - b, 0, b, w), (t, 0, h - t - b, le), (t, w - r, h - t - b, r)]
        for top, left, rows, cols in bands:
            if rows > 0 and cols > 0:
                rect = self.cell_rect(top, left, rows, cols)
                p.fillRect(rect, tint)
                p.fillRect(rect, hatch)
        inner = self.cell_rect(t, le, h - t - b, w - le - r)
        pen = QPen(QColor(110, 70, 190), 2, Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(inner)

    def _paint_numbers(self, p: QPainter, h: int, w: int, s: float) -> None:
        tl = self.to_cell_f(QPointF(0, 0))
        br = self.to_cell_f(QPointF(self.width(), self.height()))
        r0, r1 = max(int(np.floor(tl.y())), 0), min(int(np.ceil(br.y())), h)
        c0, c1 = max(int(np.floor(tl.x())), 0), min(int(np.ceil(br.x())), w)
        if (r1 - r0) * (c1 - c0) > 2500:
            return
        texts = {
            (r, c): format_value(float(self._values[r, c]))
            for r in range(r0, r1)
            for c in range(c0, c1)
            if not np.isnan(self._values[r, c])
        }
        widest = max((len(t) for t in texts.values()), default=1)
        font = QFont(self.font())
        # as large as the cell allows, and small enough for the longest number to fit inside its cell
        font.setPixelSize(int(np.clip(min(s * 0.34, 1.55 * s / max(widest, 2)), 7, 18)))
        p.setFont(font)
        vmin, vmax = self._range
        for (r, c), text in texts.items():
            red, green, blue = colormaps.color_at(float(self._values[r, c]), self._cmap, vmin, vmax)
            light = 0.299 * red + 0.587 * green + 0.114 * blue > 140
            p.setPen(QColor(20, 20, 20) if light else QColor(250, 250, 250))
            p.drawText(self.cell_rect(r, c), Qt.AlignmentFlag.AlignCenter, text)
