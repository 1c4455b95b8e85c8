"""The two pictures of the Flatten vs GlobalMaxPooling view: how Flatten reads NHWC maps (a 2x2x3 example,
then the real vector as one row per position), and what GlobalMaxPooling keeps (the lesson's [1, 0, 1]: three
maps with their maximum circled, then the whole vector)."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QSizePolicy,
    QWidget,
)

from gui.widgets.net_maps import bold_font
from gui.widgets.net_overview_canvas import rgb_image

__all__ = ["CHANNEL_COLORS", "FlattenOrder", "GmpVector"]


CHANNEL_COLORS = (QColor("#d7301f"), QColor("#1a9850"), QColor("#2166ac"))


class FlattenOrder(QWidget):
    """How Flatten reads NHWC maps: a 2x2x3 example (channel colours), then the real vector drawn as a block
    of one row per position and one column per channel, read row by row."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.maps: np.ndarray | None = None
        self._img: Any = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(250)

    def set_maps(self, maps: np.ndarray | None) -> None:
        self.maps = maps
        self._img = None
        if maps is not None:
            h, w, c = maps.shape
            self._img = rgb_image(maps.reshape(h * w, c), float(np.abs(maps).max()) or 1.0)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(300, 250)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        fm = self.fontMetrics()
        fg = self.palette().color(self.foregroundRole())
        cell = max(fm.horizontalAdvance("a4") + 6, 20)
        # the 2x2x3 example: three maps a, b, c, then the vector a1 b1 c1 a2 b2 c2 ...
        p.setPen(fg)
        y0 = self._line(p, 0, self.tr("Example: 3 maps of 2x2")) + 4
        for ch, letter in enumerate("abc"):
            x0 = ch * (2 * cell + 10)
            for k in range(4):
                r, c = divmod(k, 2)
                rect = QRectF(x0 + c * cell, y0 + r * cell, cell, cell)
                p.fillRect(rect, CHANNEL_COLORS[ch].lighter(170))
                p.setPen(QPen(CHANNEL_COLORS[ch], 1))
                p.drawRect(rect)
                p.setPen(fg)
                p.drawText(rect, Qt.AlignmentFlag.AlignCenter, f"{letter}{k + 1}")
        y1 = y0 + 2 * cell + 8
        y2 = self._line(p, y1, self.tr("Flatten (NHWC) gives, position by position:")) + 2
        step = min(cell, (self.width() - 2) / 12)
        for n in range(12):
            pos, ch = divmod(n, 3)
            rect = QRectF(n * step, y2, step, cell)
            p.fillRect(rect, CHANNEL_COLORS[ch].lighter(170))
            p.setPen(QPen(CHANNEL_COLORS[ch], 1))
            p.drawRect(rect)
            p.setPen(fg)
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, f"{'abc'[ch]}{pos + 1}")
        y3 = y2 + cell + 4
        p.setPen(QColor("#707070"))
        y4 = self._line(p, y3, self.tr("not map after map (a1 a2 a3 a4 b1 ...)")) + 8
        if self.maps is not None and self._img is not None:
            h, w, c = self.maps.shape
            p.setPen(fg)
            text = self.tr("This image: {p} rows (positions) x {c} columns (channels)").format(p=h * w, c=c)
            top = self._line(p, y4, text) + 2
            avail_h = self.height() - top - 2
            block = QRectF(0, top, min(self.width() - 2, 4.0 * c), min(avail_h, 3.0 * h * w))
            p.drawImage(block, self._img)
            p.setPen(QColor("#909090"))
            p.drawRect(block)
        p.end()

    def _line(self, p: QPainter, y: float, text: str) -> float:
        """Draw ``text`` at ``y``, wrapped to the widget's width (French lines are longer); returns the y
        under it."""
        wrap = Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap
        used = p.boundingRect(QRectF(0, y, self.width(), 4 * self.fontMetrics().height()), wrap, text)
        p.drawText(QRectF(0, y, self.width(), used.height()), wrap, text)
        return y + used.height()


class GmpVector(QWidget):
    """The lesson's [1, 0, 1] on the current image: three of the base's maps (two strong, one weak) with
    their maximum marked, the values GlobalMaxPooling keeps, and the whole vector as a strip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.maps: np.ndarray | None = None
        self.vector: np.ndarray | None = None
        self.picked: list[int] = []
        self._imgs: list[Any] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(270)

    def set_data(self, maps: np.ndarray | None, vector: np.ndarray | None) -> None:
        self.maps, self.vector = maps, vector
        self.picked, self._imgs = [], []
        if maps is not None and vector is not None and vector.size >= 3:
            order = np.argsort(-vector, kind="stable")
            strong, second, weak = int(order[0]), int(order[1]), int(order[-1])
            self.picked = [strong, weak, second]
            vmax = float(np.abs(maps).max()) or 1.0
            self._imgs = [rgb_image(maps[:, :, k], vmax) for k in self.picked]
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(300, 270)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        fm = self.fontMetrics()
        fg = self.palette().color(self.foregroundRole())
        if self.maps is None or self.vector is None or not self.picked:
            p.end()
            return
        h, w, c = self.maps.shape
        p.setPen(fg)
        p.drawText(
            QPointF(0, fm.ascent()), self.tr("Three of the {c} maps, their maximum circled:").format(c=c)
        )
        side = min(72.0, (self.width() - 20) / 3)
        y0 = fm.height() + 4
        for n, (k, img) in enumerate(zip(self.picked, self._imgs, strict=True)):
            rect = QRectF(n * (side + 10), y0, side, side)
            p.drawImage(rect, img)
            p.setPen(QColor("#909090"))
            p.drawRect(rect)
            if float(self.maps[:, :, k].max()) > 0:  # a map that is 0 everywhere has no place to circle
                i, j = np.unravel_index(int(np.argmax(self.maps[:, :, k])), (h, w))
                ctr = QPointF(rect.left() + (j + 0.5) * side / w, rect.top() + (i + 0.5) * side / h)
                p.setPen(QPen(QColor("#7a2eb8"), 2))
                p.drawEllipse(ctr, side / w + 2, side / h + 2)
            p.setPen(fg)
            p.drawText(
                QRectF(rect.left(), rect.bottom() + 2, side + 8, fm.height()),
                Qt.AlignmentFlag.AlignLeft,
                self.tr("map {k}").format(k=k),
            )
        y1 = y0 + side + fm.height() + 6
        values = ", ".join(f"{float(self.vector[k]):.2g}" for k in self.picked)
        p.setFont(bold_font(self))
        wrap = Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap
        kept = self.tr("GlobalMaxPooling keeps [{v}] (the lesson's [1, 0, 1])").format(v=values)
        used = p.boundingRect(QRectF(0, y1, self.width(), 3 * fm.height()), wrap, kept)
        p.drawText(QRectF(0, y1, self.width(), used.height()), wrap, kept)
        p.setFont(self.font())
        y2 = y1 + used.height() + 2
        p.setPen(QColor("#505050"))
        p.drawText(
            QRectF(0, y2, self.width(), 2 * fm.height() + 4),
            Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap,
            self.tr("which features were found (large) or not (near 0), and no longer where."),
        )
        y3 = y2 + 2 * fm.height() + 8
        p.setPen(fg)
        p.drawText(QPointF(0, y3 + fm.ascent()), self.tr("The whole vector ({c} values):").format(c=c))
        top = y3 + fm.height() + 2
        per_row = max(8, int((self.width() - 2) // 9))
        vmax = float(np.abs(self.vector).max()) or 1.0
        img = rgb_image(np.pad(self.vector, (0, (-c) % per_row)).reshape(-1, per_row), vmax)
        rows = img.height()
        p.drawImage(QRectF(0, top, per_row * 9, rows * 9), img)
        p.setPen(QColor("#909090"))
        p.drawRect(QRectF(0, top, per_row * 9, rows * 9))
        p.end()
