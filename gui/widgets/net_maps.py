"""Small arrays drawn as pixel-exact tiles: feature maps, filters, gradients, thumbnails.

:func:`to_qimage` turns a 2-D array into a ``QImage`` (grey for activations, blue-white-red for signed values
such as weights and gradients); :class:`TileGrid` lays tiles out in a wrapping grid with captions and emits
``tileClicked(index)``.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

__all__ = ["TileGrid", "diverging_rgb", "grey_rgb", "to_qimage"]


def grey_rgb(a: np.ndarray, vmin: float | None = None, vmax: float | None = None) -> np.ndarray:
    """``(H, W)`` values -> ``(H, W, 3)`` uint8 grey, ``vmin`` black and ``vmax`` white (default: data
    range)."""
    a = np.nan_to_num(np.asarray(a, dtype=np.float32))
    lo = float(a.min()) if vmin is None else vmin
    hi = float(a.max()) if vmax is None else vmax
    t = np.zeros_like(a) if hi - lo < 1e-12 else np.clip((a - lo) / (hi - lo), 0.0, 1.0)
    g = (t * 255.0 + 0.5).astype(np.uint8)
    return np.repeat(g[..., None], 3, axis=2)


def diverging_rgb(a: np.ndarray, vmax: float | None = None) -> np.ndarray:
    """Signed ``(H, W)`` values -> ``(H, W, 3)`` uint8: blue (negative), white (0), red (positive)."""
    a = np.nan_to_num(np.asarray(a, dtype=np.float32))
    m = float(np.abs(a).max()) if vmax is None else vmax
    t = np.zeros_like(a) if m < 1e-12 else np.clip(a / m, -1.0, 1.0)
    pos, neg = np.clip(t, 0, 1), np.clip(-t, 0, 1)
    r = 1.0 - 0.85 * neg
    g = 1.0 - 0.85 * pos - 0.6 * neg
    b = 1.0 - 0.85 * pos
    rgb = np.stack([r, g, b], axis=-1)
    return (np.clip(rgb, 0, 1) * 255.0 + 0.5).astype(np.uint8)


def to_qimage(
    a: np.ndarray, signed: bool = False, vmin: float | None = None, vmax: float | None = None
) -> QImage:
    """A ``(H, W)`` array as an RGB ``QImage`` (a deep copy: safe after ``a`` is gone).

    ``(H, W, 3)`` arrays in [0, 1] are shown as colour images.
    """
    a = np.asarray(a)
    if a.ndim == 3 and a.shape[2] == 3:
        rgb = (np.clip(np.nan_to_num(a.astype(np.float32)), 0, 1) * 255 + 0.5).astype(np.uint8)
    elif signed:
        rgb = diverging_rgb(a, vmax)
    else:
        rgb = grey_rgb(a, vmin, vmax)
    rgb = np.ascontiguousarray(rgb)
    h, w, _ = rgb.shape
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


class TileGrid(QWidget):
    """A wrapping grid of equal tiles with an optional caption under each; click a tile to select it.

    Parameters
    ----------
    tile : side of a tile in pixels (images are scaled without smoothing, so pixels stay visible).
    """

    tileClicked = Signal(int)

    def __init__(self, tile: int = 48, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tile = tile
        self._images: list[QImage] = []
        self._captions: list[str] = []
        self._caption_colors: list[QColor | None] = []
        self._gap = 6
        self._selected = -1
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMouseTracking(True)

    def set_tiles(
        self,
        images: list[QImage],
        captions: list[str] | None = None,
        colors: list[QColor | None] | None = None,
    ) -> None:
        self._images = images
        self._captions = captions or []
        self._caption_colors = colors or [None] * len(self._captions)
        self._selected = -1 if self._selected >= len(images) else self._selected
        self.updateGeometry()
        self.update()

    def set_tile_size(self, tile: int) -> None:
        self._tile = tile
        self.updateGeometry()
        self.update()

    def count(self) -> int:
        return len(self._images)

    def _caption_h(self) -> int:
        if not self._captions:
            return 0
        lines = max((c.count("\n") + 1 for c in self._captions), default=1)
        return lines * (self.fontMetrics().height()) + 2

    def _cols(self, width: int | None = None) -> int:
        w = self.width() if width is None else width
        return max(1, (w + self._gap) // (self._tile + self._gap))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        n = len(self._images)
        rows = max(1, -(-n // self._cols(width)))
        return rows * (self._tile + self._caption_h() + self._gap)

    def sizeHint(self) -> QSize:
        n = max(1, len(self._images))
        cols = min(n, 8)
        return QSize(cols * (self._tile + self._gap), self.heightForWidth(cols * (self._tile + self._gap)))

    def minimumSizeHint(self) -> QSize:
        return QSize(self._tile + self._gap, self._tile + self._caption_h())

    def _rect(self, i: int) -> QRect:
        cols = self._cols()
        r, c = divmod(i, cols)
        return QRect(
            c * (self._tile + self._gap),
            r * (self._tile + self._caption_h() + self._gap),
            self._tile,
            self._tile,
        )

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        p.setFont(self.font())
        for i, img in enumerate(self._images):
            rect = self._rect(i)
            p.drawImage(rect, img)
            p.setPen(
                QPen(
                    QColor("#d04000") if i == self._selected else QColor("#808080"),
                    3 if i == self._selected else 1,
                )
            )
            p.drawRect(rect.adjusted(0, 0, -1, -1))
            if i < len(self._captions):
                color = self._caption_colors[i] if i < len(self._caption_colors) else None
                p.setPen(color or self.palette().color(self.foregroundRole()))
                cap = QRect(
                    rect.left() - self._gap // 2,
                    rect.bottom() + 1,
                    rect.width() + self._gap,
                    self._caption_h(),
                )
                p.drawText(cap, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, self._captions[i])
        p.end()

    def mousePressEvent(self, event) -> None:
        pos = event.position().toPoint()
        for i in range(len(self._images)):
            if self._rect(i).contains(pos):
                self._selected = i
                self.update()
                self.tileClicked.emit(i)
                return

    def select(self, i: int) -> None:
        self._selected = i
        self.update()


def bold_font(widget: QWidget, scale: float = 1.0) -> QFont:
    f = QFont(widget.font())
    f.setBold(True)
    if scale != 1.0:
        f.setPointSizeF(f.pointSizeF() * scale)
    return f
