"""Every layer's output for one image, top to bottom: map grids, the flattened vector, class probabilities.

:class:`FeatureMapView` draws the :class:`~gui.models.network.LayerOutput` list that
:func:`gui.models.network.layer_outputs` computes in the engine thread; :class:`ProbabilityBars` draws the
last layer.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from gui.models.network import LayerOutput
from gui.widgets.net_maps import TileGrid, bold_font, to_qimage

__all__ = ["MAX_MAPS", "FeatureMapView", "ProbabilityBars"]

MAX_MAPS = 64  # maps drawn per layer


class ProbabilityBars(QWidget):
    """Horizontal bars, one per class, the most probable highlighted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._p = np.zeros(0)
        self._names: list[str] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_probabilities(self, p: np.ndarray, names: list[str]) -> None:
        self._p = np.asarray(p, dtype=np.float64)
        self._names = list(names)
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def probabilities(self) -> np.ndarray:
        return self._p

    def sizeHint(self) -> QSize:
        return QSize(360, max(1, len(self._p)) * (self.fontMetrics().height() + 6) + 4)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        fm = self.fontMetrics()
        row_h = fm.height() + 6
        names = (self._names + [str(i) for i in range(len(self._names), len(self._p))])[: len(self._p)]
        label_w = max((fm.horizontalAdvance(n) for n in names), default=0) + 10
        pct_w = fm.horizontalAdvance("100.0%") + 10
        bar_w = max(40, min(self.width() - label_w - pct_w, 420))
        best = int(self._p.argmax()) if len(self._p) else -1
        fg = self.palette().color(self.foregroundRole())
        for i, (v, name) in enumerate(zip(self._p, names, strict=False)):
            y = 2 + i * row_h
            p.setPen(fg)
            p.setFont(bold_font(self) if i == best else self.font())
            p.drawText(
                QRectF(0, y, label_w - 6, row_h),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                name,
            )
            p.fillRect(QRectF(label_w, y + 3, bar_w, row_h - 6), QColor("#e8e8e8"))
            p.fillRect(
                QRectF(label_w, y + 3, bar_w * float(v), row_h - 6),
                QColor("#d04000") if i == best else QColor("#1f5fbf"),
            )
            p.drawText(
                QRectF(label_w + bar_w + 6, y, pct_w, row_h), Qt.AlignmentFlag.AlignVCenter, f"{100 * v:.1f}%"
            )
        p.end()


class FeatureMapView(QWidget):
    """Rows of maps, one per layer. ``mapClicked(layer_index, channel)`` when a map is clicked."""

    mapClicked = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lay = QVBoxLayout(self)
        self._lay.setSpacing(4)
        self.outputs: list[LayerOutput] = []
        self.grids: list[TileGrid | None] = []
        self.bars = ProbabilityBars()

    def _title(self, i: int, o: LayerOutput, last: bool) -> str:
        shape = "x".join(str(v) for v in o.array.shape)
        if last:
            return self.tr("{i}. {name} ({cls}): class probabilities (softmax of the {n} outputs)").format(
                i=i + 1, name=o.name, cls=o.class_name, n=o.array.shape[0]
            )
        if o.class_name == "Flatten":
            return self.tr(
                "{i}. {name} (Flatten): a vector of {n} values, read position by position: all the channels "
                "of pixel (0, 0), then of (0, 1)... (NHWC order, not map after map)"
            ).format(i=i + 1, name=o.name, n=o.array.size)
        if "Pooling" in o.class_name:
            return self.tr("{i}. {name} ({cls}): {shape}, after pooling").format(
                i=i + 1, name=o.name, cls=o.class_name, shape=shape
            )
        after = (
            self.tr("after {act}").format(act="ReLU" if o.activation == "relu" else o.activation)
            if o.activation and o.activation != "linear"
            else self.tr("no activation")
        )
        return self.tr("{i}. {name} ({cls}): {shape}, {after}").format(
            i=i + 1, name=o.name, cls=o.class_name, shape=shape, after=after
        )

    def set_outputs(
        self, outputs: list[LayerOutput], class_names: list[str], image: np.ndarray | None = None
    ) -> None:
        """Show ``outputs`` (the first row is the input ``image`` when given)."""
        while self._lay.count():
            item = self._lay.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None and widget is not self.bars:
                widget.deleteLater()
        self.outputs, self.grids = outputs, []
        if image is not None:
            self._add_title(self.tr("Input image"))
            shown = TileGrid(tile=84)
            shown.set_tiles([to_qimage(image[..., 0] if image.shape[-1] == 1 else image, vmin=0, vmax=1)])
            self._lay.addWidget(shown)
        for i, o in enumerate(outputs):
            last = i == len(outputs) - 1
            self._add_title(self._title(i, o, last))
            if last:
                probs = o.probabilities if o.probabilities is not None else o.array
                self.bars.set_probabilities(probs, class_names)
                self._lay.addWidget(self.bars)
                self.grids.append(None)
                continue
            a = o.array
            if a.ndim == 3:
                grid = TileGrid()
                h = a.shape[0]
                grid.set_tile_size(int(max(36, min(80, 2 * h))))
                n = min(a.shape[2], MAX_MAPS)
                vmax = float(a.max()) if a.size else 1.0
                grid.set_tiles(
                    [to_qimage(a[:, :, c], vmin=min(0.0, float(a.min())), vmax=vmax) for c in range(n)],
                    [str(c) for c in range(n)],
                )
                grid.tileClicked.connect(lambda c, li=i: self.mapClicked.emit(li, c))
                self.grids.append(grid)
                self._lay.addWidget(grid)
            elif o.class_name == "Flatten" and i > 0 and outputs[i - 1].array.ndim == 3:
                # one row per position, one column per channel: the order Flatten reads them in
                h, w, c = outputs[i - 1].array.shape
                strip = to_qimage(a.reshape(h * w, c))
                self.grids.append(None)
                px_h = max(1, min(6, 360 // (h * w)))
                self._lay.addWidget(_Strip(strip, max(px_h, min(6, 384 // c)), px_h))
            else:
                width = min(a.size, 64)
                rows = -(-a.size // width)
                padded = np.full(rows * width, np.nan, np.float32)
                padded[: a.size] = a
                strip = to_qimage(np.nan_to_num(padded.reshape(rows, width), nan=float(a.min())))
                self.grids.append(None)
                self._lay.addWidget(_Strip(strip, 6, 6))
        self._lay.addStretch(1)

    def _add_title(self, text: str) -> None:
        label = QLabel(text)
        label.setFont(bold_font(self))
        label.setWordWrap(True)
        self._lay.addWidget(label)


class _Strip(QWidget):
    """A vector drawn as rows of cells (``px_w`` x ``px_h`` screen pixels each)."""

    def __init__(self, image: Any, px_w: int, px_h: int) -> None:
        super().__init__()
        self._img = image
        self.setFixedSize(image.width() * px_w, image.height() * px_h)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.drawImage(self.rect(), self._img)
        p.end()
