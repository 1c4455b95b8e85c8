"""The overview's drawing: every layer as a column of small maps, the hover highlight and the colour legend.

:class:`OverviewCanvas` lays the columns out to fit the width it is given, draws the maps through the
diverging colour map (one scale per layer or one for all), answers hovers with what the hovered cell depends
on (:class:`gui.models.overview.DependencyGeometry`) and emits clicks; :class:`ColourLegend` draws the scale.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QLinearGradient, QPainter, QPen
from PySide6.QtWidgets import (
    QSizePolicy,
    QWidget,
)

from gui.models.network import LayerOutput
from gui.models.overview import Dependency, DependencyGeometry
from gui.widgets.colormaps import LUTS
from gui.widgets.net_maps import bold_font

__all__ = ["ColourLegend", "OverviewCanvas", "colour_of", "rgb_image"]


MAX_COLUMN_MAPS = 64  # maps drawn per layer
MAX_UNITS = 128  # units drawn for a vector layer (other than Flatten)
HIGHLIGHT = QColor(255, 150, 0, 120)
HIGHLIGHT_EDGE = QColor(230, 110, 0)
HOVER_EDGE = QColor(122, 46, 184)


def rgb_image(values: np.ndarray, vmax: float) -> QImage:
    """``values (h, w)`` through the diverging colour map on ``[-vmax, vmax]``, as an RGB QImage."""
    lut = LUTS["diverging"]
    m = vmax if vmax > 0 else 1.0
    t = np.clip((np.nan_to_num(np.asarray(values, np.float64)) + m) / (2 * m), 0.0, 1.0)
    rgb = np.ascontiguousarray(lut[np.round(t * 255).astype(np.intp)])  # (h, w, 3)
    h, w, _ = rgb.shape
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


def colour_of(value: float, vmax: float) -> QColor:
    lut = LUTS["diverging"]
    m = vmax if vmax > 0 else 1.0
    r, g, b = lut[round(float(np.clip((value + m) / (2 * m), 0.0, 1.0)) * 255)]
    return QColor(int(r), int(g), int(b))


@dataclass
class _Column:
    """One layer drawn as a column. ``layer``: -1 for the input."""

    layer: int
    name: str
    kind: str  # "maps", "flatten", "units"
    values: np.ndarray  # (h, w, C) maps, (D,) otherwise
    vmax: float = 1.0
    x: float = 0.0
    width: float = 0.0
    rows: int = 1  # maps / units per sub-column
    tile: float = 0.0  # map tile side, or unit cell height
    unit_w: float = 0.0  # unit cell width, or flatten cell width
    images: list[QImage] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # class names of the output column

    @property
    def shown(self) -> int:
        if self.kind == "maps":
            return min(self.values.shape[2], MAX_COLUMN_MAPS)
        if self.kind == "units":
            return min(self.values.size, MAX_UNITS)
        return int(self.values.size)


class OverviewCanvas(QWidget):
    """The columns (see the module docstring). ``cellHovered(layer, channel, i, j)`` (layer -2: none) and
    ``cellClicked(layer, channel, i, j)``; for vector layers ``channel`` is the index in the vector."""

    cellHovered = Signal(int, int, int, int)
    cellClicked = Signal(int, int, int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns: list[_Column] = []
        self.geometry_map: DependencyGeometry | None = None
        self.probabilities: np.ndarray | None = None
        self.scale_mode = "layer"
        self.hovered: tuple[int, int, int, int] | None = None
        self.highlight: list[Dependency] = []
        self._gap = 10
        self._fit_width = 900  # the width the columns are laid out to fit (the scroll area's viewport)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(320)

    # --------------------------------------------------------------------------------------------- data
    def set_data(
        self,
        outputs: list[LayerOutput],
        image: np.ndarray,
        names: list[str],
        geometry: DependencyGeometry | None,
    ) -> None:
        cols = [_Column(-1, "input", "maps", np.asarray(image, np.float32))]
        for i, o in enumerate(outputs):
            if o.array.ndim == 3:
                kind = "maps"
            elif o.class_name == "Flatten" and i > 0 and outputs[i - 1].array.ndim == 3:
                kind = "flatten"
            else:
                kind = "units"
            cols.append(_Column(i, o.name, kind, o.array))
        if outputs:
            cols[-1].labels = (list(names) + [str(k) for k in range(len(names), cols[-1].values.size)])[
                : cols[-1].values.size
            ]
            self.probabilities = outputs[-1].probabilities
        self.columns = cols
        self.geometry_map = geometry
        if self.hovered is not None and not self._valid(self.hovered):
            self.hovered, self.highlight = None, []
        elif self.hovered is not None:
            self.highlight = self._dependencies(*self.hovered)
        self._rescale()
        self._layout()
        self.update()

    def set_scale_mode(self, mode: str) -> None:
        """``"layer"``: each column scaled to its own largest |value|; ``"all"``: one scale."""
        if mode not in ("layer", "all"):
            raise ValueError(f"mode must be 'layer' or 'all'. Received: {mode!r}")
        self.scale_mode = mode
        self._rescale()
        self.update()

    def vmax_of(self, col: _Column) -> float:
        return col.vmax

    def global_vmax(self) -> float:
        return max(
            (float(np.abs(c.values).max()) if c.values.size else 0.0 for c in self.columns), default=1.0
        )

    def _rescale(self) -> None:
        top = self.global_vmax()
        for c in self.columns:
            own = float(np.abs(c.values).max()) if c.values.size else 0.0
            c.vmax = (own if self.scale_mode == "layer" else top) or 1.0
            if c.kind == "maps":
                c.images = [rgb_image(c.values[:, :, k], c.vmax) for k in range(c.shown)]
            elif c.kind == "flatten":
                prev = self.columns[c.layer].values  # the maps it flattens: column index == layer
                h, w, ch = prev.shape
                c.images = [rgb_image(c.values.reshape(h * w, ch), c.vmax)]
            else:
                c.images = []

    # --------------------------------------------------------------------------------------------- layout
    def _small(self) -> QFont:
        """The font of the column headers: a little smaller, so narrow columns keep their names."""
        f = QFont(self.font())
        f.setPointSizeF(f.pointSizeF() * 0.85)
        return f

    def _min_col(self) -> int:
        return QFontMetrics(self._small()).horizontalAdvance("00x00x00") + 2

    def _header_h(self) -> int:
        return 2 * self.fontMetrics().height() + 6

    def _footer_h(self) -> int:
        return self.fontMetrics().height() + 6

    def _avail_h(self) -> float:
        return max(60.0, self.height() - self._header_h() - self._footer_h() - 4)

    def _widths(self, tile: float) -> list[tuple[float, int, float, float]]:
        """Per column (width, rows, tile or cell height, cell width) for map tiles of side ``tile``."""
        avail = self._avail_h()
        fm = self.fontMetrics()
        out = []
        for c in self.columns:
            if c.kind == "maps":
                gap = max(2.0, tile / 8)
                rows = max(1, int((avail + gap) // (tile + gap)))
                subs = math.ceil(c.shown / rows)
                rows = math.ceil(c.shown / subs)  # balanced sub-columns
                out.append((subs * (tile + gap) - gap, rows, tile, 0.0))
            elif c.kind == "flatten":
                prev = self.columns[c.layer].values
                positions, channels = prev.shape[0] * prev.shape[1], prev.shape[2]
                cell_h = min(4.0, avail / positions)
                cell_w = min(4.0, max(1.5, 110.0 / channels))
                out.append((channels * cell_w, positions, cell_h, cell_w))
            else:
                n = c.shown
                cell_h = min(18.0, max(4.0, avail / n))
                rows = max(1, int(avail // cell_h))
                subs = math.ceil(n / rows)
                label = 0.0
                if c.labels:
                    label = max(fm.horizontalAdvance(t) for t in c.labels) + fm.horizontalAdvance(" 100%") + 8
                out.append((subs * 16.0 + label, rows, cell_h, 14.0))
        return out

    def _layout(self) -> None:
        if not self.columns:
            return
        min_col = self._min_col()
        tile = 8.0
        for t in range(56, 7, -2):
            widths = self._widths(float(t))
            total = sum(max(w, min_col) for w, *_ in widths) + self._gap * (len(widths) + 1)
            if total <= self._fit_width:
                tile = float(t)
                break
        widths = self._widths(tile)
        x = float(self._gap)
        for c, (w, rows, cell, unit_w) in zip(self.columns, widths, strict=True):
            c.x, c.width, c.rows, c.tile, c.unit_w = x, w, rows, cell, unit_w
            x += max(w, min_col) + self._gap
        self.setMinimumWidth(int(x))

    def fit_width(self, width: int) -> None:
        """Lay the columns out to fit ``width`` pixels (wider only when the smallest tiles do not fit)."""
        if width != self._fit_width:
            self._fit_width = int(width)
            self._layout()
            self.update()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._layout()

    def sizeHint(self) -> QSize:
        return QSize(900, 520)

    # --------------------------------------------------------------------------------------------- geometry
    def _top(self) -> float:
        return float(self._header_h())

    def _map_rect(self, c: _Column, k: int) -> QRectF:
        gap = max(2.0, c.tile / 8)
        s, r = divmod(k, c.rows)
        return QRectF(c.x + s * (c.tile + gap), self._top() + r * (c.tile + gap), c.tile, c.tile)

    def _unit_rect(self, c: _Column, k: int) -> QRectF:
        s, r = divmod(k, c.rows)
        return QRectF(c.x + s * 16.0, self._top() + r * c.tile, c.unit_w, max(c.tile - 1, 2.0))

    def _flatten_rect(self, c: _Column) -> QRectF:
        prev = self.columns[c.layer].values
        return QRectF(c.x, self._top(), prev.shape[2] * c.unit_w, prev.shape[0] * prev.shape[1] * c.tile)

    def column(self, layer: int) -> _Column | None:
        index = layer + 1
        return self.columns[index] if 0 <= index < len(self.columns) else None

    def _valid(self, cell: tuple[int, int, int, int]) -> bool:
        c = self.column(cell[0])
        if c is None:
            return False
        if c.kind == "maps":
            h, w = c.values.shape[:2]
            return 0 <= cell[1] < c.shown and 0 <= cell[2] < h and 0 <= cell[3] < w
        return 0 <= cell[1] < c.values.size

    def cell_center(self, layer: int, channel: int, i: int = 0, j: int = 0) -> QPointF:
        """Where cell ``(i, j)`` of map ``channel`` of ``layer`` is drawn (value ``channel`` for vectors)."""
        c = self.column(layer)
        if c is None:
            raise ValueError(f"no layer {layer} in the overview")
        if c.kind == "maps":
            r = self._map_rect(c, channel)
            h, w = c.values.shape[:2]
            return QPointF(r.left() + (j + 0.5) * r.width() / w, r.top() + (i + 0.5) * r.height() / h)
        if c.kind == "flatten":
            ch = self.columns[c.layer].values.shape[2]
            pos, k = divmod(channel, ch)
            r = self._flatten_rect(c)
            return QPointF(r.left() + (k + 0.5) * c.unit_w, r.top() + (pos + 0.5) * c.tile)
        return self._unit_rect(c, channel).center()

    def cell_at(self, pos: QPointF) -> tuple[int, int, int, int] | None:
        """The cell drawn at ``pos``: ``(layer, channel, i, j)``, or None."""
        for c in self.columns:
            if not c.x - 2 <= pos.x() <= c.x + c.width + 2:
                continue
            if c.kind == "maps":
                h, w = c.values.shape[:2]
                for k in range(c.shown):
                    r = self._map_rect(c, k)
                    if r.contains(pos):
                        i = min(int((pos.y() - r.top()) / r.height() * h), h - 1)
                        j = min(int((pos.x() - r.left()) / r.width() * w), w - 1)
                        return (c.layer, k, i, j)
            elif c.kind == "flatten":
                r = self._flatten_rect(c)
                if r.contains(pos):
                    ch = self.columns[c.layer].values.shape[2]
                    pos_i = min(int((pos.y() - r.top()) / c.tile), int(r.height() / c.tile) - 1)
                    k = min(int((pos.x() - r.left()) / c.unit_w), ch - 1)
                    return (c.layer, pos_i * ch + k, 0, 0)
            else:
                for k in range(c.shown):
                    if self._unit_rect(c, k).adjusted(0, 0, 0, 1).contains(pos):
                        return (c.layer, k, 0, 0)
        return None

    # --------------------------------------------------------------------------------------------- hover
    def _dependencies(self, layer: int, channel: int, i: int, j: int) -> list[Dependency]:
        if self.geometry_map is None or layer < 0:
            return []
        return self.geometry_map.dependencies(layer, channel, i, j)

    def hover_cell(self, cell: tuple[int, int, int, int] | None) -> None:
        """Highlight what ``cell`` depends on (None: nothing)."""
        if cell == self.hovered:
            return
        self.hovered = cell
        self.highlight = self._dependencies(*cell) if cell is not None else []
        self.update()
        self.cellHovered.emit(*(cell if cell is not None else (-2, 0, 0, 0)))

    def mouseMoveEvent(self, event) -> None:
        self.hover_cell(self.cell_at(event.position()))

    def leaveEvent(self, event) -> None:
        self.hover_cell(None)
        super().leaveEvent(event)

    def mousePressEvent(self, event) -> None:
        cell = self.cell_at(event.position())
        if cell is not None and event.button() == Qt.MouseButton.LeftButton:
            self.cellClicked.emit(*cell)

    # --------------------------------------------------------------------------------------------- paint
    def _box_rects(self, dep: Dependency) -> list[QRectF]:
        c = self.column(dep.layer)
        if c is None:
            return []
        t, le, b, r = dep.box
        if c.kind == "maps":
            h, w = c.values.shape[:2]
            out = []
            for k in range(c.shown):
                if dep.channels is not None and k not in dep.channels:
                    continue
                tile = self._map_rect(c, k)
                sx, sy = tile.width() / w, tile.height() / h
                out.append(QRectF(tile.left() + le * sx, tile.top() + t * sy, (r - le) * sx, (b - t) * sy))
            return out
        if c.kind == "flatten":
            return [self._flatten_rect(c)]
        return [self._unit_rect(c, k) for k in range(min(le, c.shown), min(r, c.shown))]

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        fg = self.palette().color(self.foregroundRole())
        fm = self.fontMetrics()
        for c in self.columns:
            self._paint_header(p, c, fg, fm)
            if c.kind == "maps":
                for k, img in enumerate(c.images):
                    rect = self._map_rect(c, k)
                    p.drawImage(rect, img)
                    p.setPen(QPen(QColor("#909090"), 1))
                    p.drawRect(rect)
                more = c.values.shape[2] - c.shown
                if more > 0:
                    last = self._map_rect(c, c.shown - 1)
                    p.setPen(fg)
                    p.drawText(QPointF(c.x, last.bottom() + fm.height()), self.tr("+{n} more").format(n=more))
            elif c.kind == "flatten":
                rect = self._flatten_rect(c)
                p.drawImage(rect, c.images[0])
                p.setPen(QPen(QColor("#909090"), 1))
                p.drawRect(rect)
            else:
                self._paint_units(p, c, fg, fm)
            self._paint_range(p, c, fg, fm)
        self._paint_highlight(p)
        p.end()

    def _paint_header(self, p: QPainter, c: _Column, fg: QColor, fm: Any) -> None:
        p.setPen(fg)
        small = self._small()
        bold = QFont(small)
        bold.setBold(True)
        width = int(max(c.width, self._min_col()) + self._gap // 2)
        name = self.tr("input") if c.layer == -1 else c.name
        elided = QFontMetrics(bold).elidedText(name, Qt.TextElideMode.ElideRight, width)
        p.setFont(bold)
        p.drawText(QPointF(c.x, fm.ascent() + 1), elided)
        p.setFont(small)
        shape = "x".join(str(v) for v in c.values.shape)
        p.drawText(QPointF(c.x, fm.height() + fm.ascent() + 3), shape)
        p.setFont(self.font())

    def _paint_units(self, p: QPainter, c: _Column, fg: QColor, fm: Any) -> None:
        probs = self.probabilities if c.labels else None
        best = int(np.argmax(probs)) if probs is not None and len(probs) else -1
        for k in range(c.shown):
            rect = self._unit_rect(c, k)
            p.fillRect(rect, colour_of(float(c.values[k]), c.vmax))
            p.setPen(QPen(QColor("#909090"), 1))
            p.drawRect(rect)
            if c.labels and k < len(c.labels):
                p.setPen(fg)
                p.setFont(bold_font(self) if k == best else self.font())
                text = c.labels[k]
                if probs is not None and k < len(probs):
                    text += f" {100 * float(probs[k]):.0f}%"
                p.drawText(
                    QRectF(rect.right() + 4, rect.top() - 3, c.width, rect.height() + 6),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    text,
                )
        p.setFont(self.font())

    def _paint_range(self, p: QPainter, c: _Column, fg: QColor, fm: Any) -> None:
        if self.scale_mode != "layer":
            return
        p.setPen(fg)
        y = self.height() - fm.descent() - 3
        p.drawText(QPointF(c.x, y), f"±{c.vmax:.3g}")

    def _paint_highlight(self, p: QPainter) -> None:
        if self.hovered is None:
            return
        source = self.cell_center(*self.hovered)
        nearest = self.highlight[0].layer if self.highlight else None
        for dep in self.highlight:
            for rect in self._box_rects(dep):
                p.fillRect(rect, HIGHLIGHT)
                p.setPen(QPen(HIGHLIGHT_EDGE, 1))
                p.drawRect(rect)
                if dep.layer == nearest:
                    p.setPen(QPen(QColor(230, 110, 0, 90), 1))
                    p.drawLine(source, rect.center())
        c = self.column(self.hovered[0])
        if c is None:
            return
        if c.kind == "maps":
            tile = self._map_rect(c, self.hovered[1])
            h, w = c.values.shape[:2]
            sx, sy = tile.width() / w, tile.height() / h
            cell = QRectF(tile.left() + self.hovered[3] * sx, tile.top() + self.hovered[2] * sy, sx, sy)
        elif c.kind == "flatten":
            ctr = self.cell_center(*self.hovered)
            cell = QRectF(ctr.x() - c.unit_w / 2, ctr.y() - c.tile / 2, c.unit_w, c.tile)
        else:
            cell = self._unit_rect(c, self.hovered[1])
        p.setPen(QPen(HOVER_EDGE, 2))
        p.drawRect(cell.adjusted(-1, -1, 1, 1))


class ColourLegend(QWidget):
    """The diverging colour bar with its numbers: ``-m``, 0, ``+m`` (or the words "per column")."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vmax: float | None = None
        self.setFixedHeight(self.fontMetrics().height() * 2 + 10)
        self.setMinimumWidth(260)

    def set_range(self, vmax: float | None) -> None:
        """``vmax``: the one scale's largest magnitude; None: each column has its own (written under it)."""
        self.vmax = vmax
        self.update()

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        fm = self.fontMetrics()
        bar = QRectF(4, 2, 200, fm.height())
        grad = QLinearGradient(bar.topLeft(), bar.topRight())
        lut = LUTS["diverging"]
        for t in np.linspace(0, 1, 9):
            r, g, b = lut[round(float(t) * 255)]
            grad.setColorAt(float(t), QColor(int(r), int(g), int(b)))
        p.fillRect(bar, grad)
        p.setPen(QColor("#808080"))
        p.drawRect(bar)
        p.setPen(self.palette().color(self.foregroundRole()))
        y = bar.bottom() + fm.ascent() + 2
        if self.vmax is None:
            left, right = "−max", "+max"
            note = self.tr("each column: its own max, written under it")
        else:
            left, right = f"−{self.vmax:.3g}", f"+{self.vmax:.3g}"
            note = self.tr("one scale for every column")
        p.drawText(QPointF(bar.left(), y), left)
        p.drawText(QPointF(bar.center().x() - fm.horizontalAdvance("0") / 2, y), "0")
        p.drawText(QPointF(bar.right() - fm.horizontalAdvance(right), y), right)
        p.drawText(
            QRectF(bar.right() + 10, 0, self.width() - bar.right() - 10, self.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap,
            note,
        )
        p.end()
