"""One value or one map opened large, with the arithmetic that made it.

:class:`MapDetailDialog`: a feature map at 8x (the clicked cell outlined) next to what made it: for a Conv2D,
the filter slice per input channel, the input maps, and the map split by input channel: each input channel's
partial map, and their sum plus the bias, which is the map before its activation; for a pooling, the map it
pooled. With a cell, the cell's arithmetic is written out (the lesson's ``0*-1 + ... + 1*2 = 6``).
:class:`CellDetailDialog`: the arithmetic of one value of a vector layer (Flatten, global pooling, Dense).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QDialog, QGridLayout, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from gui.models.network import (
    CellArithmetic,
    LayerOutput,
    activation_value,
    conv_cell,
    conv_partial_maps,
    dense_cell,
    flatten_source,
    pool_cell,
)
from gui.widgets.net_maps import TileGrid, bold_font, to_qimage

__all__ = ["CellDetailDialog", "MapDetailDialog", "cell_arithmetic_text"]

MAX_INPUTS = 32  # input channels shown for one filter
MAX_TERMS = 24  # terms written out in a sum


def _f(v: float) -> str:
    return f"{v:.3g}" if abs(v) >= 1e-3 or v == 0 else f"{v:.2e}"


class _MapView(QWidget):
    """A map drawn pixel-exact with one cell outlined."""

    def __init__(
        self, a: np.ndarray, cell: tuple[int, int] | None, side: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._img = to_qimage(a, vmin=min(0.0, float(a.min())), vmax=float(a.max()))
        self._shape = a.shape
        self._cell = cell
        self.setFixedSize(side, side)

    def sizeHint(self) -> QSize:
        return self.size()

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.drawImage(self.rect(), self._img)
        if self._cell is not None:
            h, w = self._shape
            sx, sy = self.width() / w, self.height() / h
            p.setPen(QPen(QColor("#7a2eb8"), 3))
            p.drawRect(QRectF(self._cell[1] * sx, self._cell[0] * sy, sx, sy))
        p.end()


def cell_arithmetic_text(ar: CellArithmetic) -> str:
    """The arithmetic of one value, as rich text (words translated in the ``CellArithmetic`` context)."""
    act = ar.activation if ar.activation not in ("", "linear") else ""
    tail = ""
    if act:
        name = "ReLU" if act == "relu" else act
        tail = f"<br>{name}({_f(ar.z)}) = <b>{_f(ar.value)}</b>"
    if ar.kind == "conv":
        c_in = ar.window.shape[2]
        if c_in == 1 and ar.weights is not None:
            prods = [
                f"{_f(float(x))}×{_f(float(w))}"
                for x, w in zip(ar.window[:, :, 0].ravel(), ar.weights[:, :, 0].ravel(), strict=True)
            ]
            shown = " + ".join(prods[:MAX_TERMS]) + (" + …" if len(prods) > MAX_TERMS else "")
            body = QCoreApplication.translate(
                "CellArithmetic", "Window × filter, summed: {terms} = {s}"
            ).format(terms=shown, s=_f(float(ar.terms.sum())))
        else:
            terms = [f"{_f(float(t))} [{c}]" for c, t in enumerate(ar.terms)]
            shown = " + ".join(terms[:MAX_TERMS])
            if len(terms) > MAX_TERMS:
                shown += " + " + QCoreApplication.translate("CellArithmetic", "… ({n} more)").format(
                    n=len(terms) - MAX_TERMS
                )
            body = QCoreApplication.translate(
                "CellArithmetic",
                "One window sum per input channel (window · filter slice), the channel in brackets: "
                "{terms} = {s}",
            ).format(terms=shown, s=_f(float(ar.terms.sum())))
        z = QCoreApplication.translate("CellArithmetic", "+ bias {b} = {z}").format(b=_f(ar.bias), z=_f(ar.z))
        return body + "<br>" + z + (tail or f"<br>= <b>{_f(ar.value)}</b>")
    if ar.kind in ("max", "min", "average"):
        vals = ", ".join(_f(float(v)) for v in ar.terms if np.isfinite(v))
        op = {"max": "max", "min": "min", "average": QCoreApplication.translate("CellArithmetic", "mean")}[
            ar.kind
        ]
        return f"{op}({vals}) = <b>{_f(ar.value)}</b>"
    if ar.kind == "dense":
        assert ar.weights is not None
        order = np.argsort(-np.abs(ar.terms), kind="stable")[:8]
        top = " + ".join(f"x{d}·w = {_f(float(ar.window[d]))}×{_f(float(ar.weights[d]))}" for d in order)
        body = QCoreApplication.translate(
            "CellArithmetic", "z = Σ of {n} products x·w + bias. The largest: {top}; all together {s}"
        ).format(n=ar.terms.size, top=top, s=_f(float(ar.terms.sum())))
        z = QCoreApplication.translate("CellArithmetic", "+ bias {b} = {z}").format(b=_f(ar.bias), z=_f(ar.z))
        return body + "<br>" + z + tail
    return ""


class MapDetailDialog(QDialog):
    """Map ``channel`` of ``output`` large (see the module docstring). With ``session``, a Conv2D map is
    also split by input channel in the engine thread; :attr:`partials` ``(C_in, OH, OW)`` and :attr:`z`
    ``(OH, OW)`` hold the result once :meth:`ready`."""

    def __init__(
        self,
        output: LayerOutput,
        channel: int,
        layer_input: np.ndarray | None,
        parent: QWidget | None = None,
        cell: tuple[int, int] | None = None,
        session: Any = None,
    ) -> None:
        super().__init__(parent)
        self.output, self.channel, self.layer_input, self.cell = output, channel, layer_input, cell
        self.partials: np.ndarray | None = None
        self.z: np.ndarray | None = None
        self.arithmetic: CellArithmetic | None = None
        self._pending = False
        self.setWindowTitle(self.tr("{name}: map {c}").format(name=output.name, c=channel))
        a = output.array[:, :, channel]  # (H, W)
        lay = QGridLayout(self)
        title = QLabel(
            self.tr("Map {c} of {name} ({cls}), {h}x{w}: min {lo:.3g}, max {hi:.3g}").format(
                c=channel,
                name=output.name,
                cls=output.class_name,
                h=a.shape[0],
                w=a.shape[1],
                lo=float(a.min()),
                hi=float(a.max()),
            )
        )
        title.setFont(bold_font(self, 1.1))
        title.setWordWrap(True)
        lay.addWidget(title, 0, 0, 1, 2)
        left = QVBoxLayout()
        left.addWidget(_MapView(a, cell, int(min(320, max(160, 8 * a.shape[0])))))
        self.cell_text = QLabel()
        self.cell_text.setWordWrap(True)
        self.cell_text.setTextFormat(Qt.TextFormat.RichText)
        self.cell_text.setMaximumWidth(340)
        self.cell_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        left.addWidget(self.cell_text)
        left.addStretch(1)
        lay.addLayout(left, 1, 0)
        if cell is not None and layer_input is not None:
            self._write_cell(a, cell)
        side = QWidget()
        self.side_lay = QVBoxLayout(side)
        self.filter_grid: TileGrid | None = None
        self.partial_grid: TileGrid | None = None
        self.sum_row: QWidget | None = None
        self.check = QLabel()
        self.check.setWordWrap(True)
        is_conv = output.class_name == "Conv2D" and output.kernel is not None
        if is_conv:
            self._conv_side(layer_input, session)
        elif layer_input is not None and layer_input.ndim == 3 and channel < layer_input.shape[2]:
            self.side_lay.addWidget(QLabel(self.tr("The map it pools (same channel):")))
            src = TileGrid(tile=int(min(320, max(160, 8 * layer_input.shape[0]))))
            src.set_tiles([to_qimage(layer_input[:, :, channel])])
            self.side_lay.addWidget(src)
        self.side_lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(side)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(380)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        lay.addWidget(scroll, 1, 1)
        lay.setColumnStretch(1, 1)
        self.resize(940, 600)

    # ------------------------------------------------------------------------------------------ the cell
    def _write_cell(self, a: np.ndarray, cell: tuple[int, int]) -> None:
        o, x = self.output, self.layer_input
        assert x is not None
        i, j = cell
        if o.class_name == "Conv2D" and o.kernel is not None:
            self.arithmetic = conv_cell(x, o, self.channel, i, j)
        elif "Pooling" in o.class_name and not o.class_name.startswith("Global"):
            self.arithmetic = pool_cell(x, o, self.channel, i, j)
        head = self.tr("Cell ({i}, {j}) = {v}").format(i=i, j=j, v=_f(float(a[i, j])))
        body = cell_arithmetic_text(self.arithmetic) if self.arithmetic is not None else ""
        self.cell_text.setText(f"<b>{head}</b><br>{body}")

    # ------------------------------------------------------------------------------------------ conv side
    def _conv_side(self, layer_input: np.ndarray | None, session: Any) -> None:
        o = self.output
        assert o.kernel is not None
        k = o.kernel[:, :, :, self.channel]  # (KH, KW, C_in)
        n = min(k.shape[2], MAX_INPUTS)
        vmax = float(np.abs(k).max()) or 1.0
        bias = float(o.bias[self.channel]) if o.bias is not None else 0.0
        lbl = QLabel(
            self.tr("Its filter {kh}x{kw}, one slice per input channel (bias {b:+.3f}):").format(
                kh=k.shape[0], kw=k.shape[1], b=bias
            )
        )
        lbl.setWordWrap(True)
        self.side_lay.addWidget(lbl)
        tile = 120 if n <= 4 else 56
        self.filter_grid = TileGrid(tile=tile)
        self.filter_grid.set_tiles(
            [to_qimage(k[:, :, c], signed=True, vmax=vmax) for c in range(n)], [str(c) for c in range(n)]
        )
        self.side_lay.addWidget(self.filter_grid)
        if layer_input is None or layer_input.ndim != 3:
            return
        self.side_lay.addWidget(QLabel(self.tr("The input maps these slices are slid over:")))
        inputs = TileGrid(tile=tile)
        inputs.set_tiles([to_qimage(layer_input[:, :, c]) for c in range(n)], [str(c) for c in range(n)])
        self.side_lay.addWidget(inputs)
        split = QLabel(
            self.tr(
                "The map split by input channel: each input map slid under its slice gives a partial map "
                "(blue < 0 < red); their sum plus the bias is the map before {act}."
            ).format(act="ReLU" if o.activation == "relu" else (o.activation or self.tr("its activation")))
        )
        split.setWordWrap(True)
        split.setFont(bold_font(self))
        self.side_lay.addWidget(split)
        self.partial_grid = TileGrid(tile=tile)
        self.side_lay.addWidget(self.partial_grid)
        self.sum_row = QWidget()
        self.sum_lay = QHBoxLayout(self.sum_row)
        self.sum_lay.setContentsMargins(0, 0, 0, 0)
        self.side_lay.addWidget(self.sum_row)
        self.side_lay.addWidget(self.check)
        if session is not None:
            self._pending = True
            x, out, c = layer_input, o, self.channel
            self.check.setText(self.tr("Computing the partial maps..."))
            session.run(lambda: conv_partial_maps(x, out, c), self._show_partials, self._failed)

    def _failed(self, message: str) -> None:
        self._pending = False
        self.check.setText(f"<span style='color:#c00000'>{message}</span>")

    def _show_partials(self, result: tuple[np.ndarray, np.ndarray]) -> None:
        self._pending = False
        self.partials, self.z = result
        o = self.output
        assert self.partial_grid is not None
        n = min(self.partials.shape[0], MAX_INPUTS)
        vmax = float(np.abs(self.partials).max()) or 1.0
        self.partial_grid.set_tiles(
            [to_qimage(self.partials[c], signed=True, vmax=vmax) for c in range(n)],
            [self.tr("from {c}").format(c=c) for c in range(n)],
        )
        total = self.partials.astype(np.float64).sum(axis=0)
        bias = float(o.bias[self.channel]) if o.bias is not None else 0.0
        zmax = float(np.abs(self.z).max()) or 1.0
        mapped = o.array[:, :, self.channel]
        for w, text in (
            (
                to_qimage(total, signed=True, vmax=zmax),
                self.tr("Σ of the {n} partial maps").format(n=self.partials.shape[0]),
            ),
            (None, self.tr("+ bias {b:+.3f} =").format(b=bias)),
            (to_qimage(self.z, signed=True, vmax=zmax), self.tr("before the activation")),
            (None, "→ " + ("ReLU" if o.activation == "relu" else o.activation or "=") + " →"),
            (
                to_qimage(mapped, vmin=min(0.0, float(mapped.min())), vmax=float(mapped.max())),
                self.tr("the map"),
            ),
        ):
            if w is None:
                lbl = QLabel(text)
                lbl.setFont(bold_font(self))
                lbl.setWordWrap(True)
                lbl.setMaximumWidth(90)
                self.sum_lay.addWidget(lbl)
            else:
                cell = QWidget()
                cell_lay = QVBoxLayout(cell)
                cell_lay.setContentsMargins(0, 0, 0, 0)
                g = TileGrid(tile=72)
                g.set_tiles([w])
                cell_lay.addWidget(g)
                caption = QLabel(text)
                caption.setWordWrap(True)
                cell_lay.addWidget(caption)
                cell.setFixedWidth(84)
                self.sum_lay.addWidget(cell, 0, Qt.AlignmentFlag.AlignTop)
        self.sum_lay.addStretch(1)
        after = np.vectorize(lambda v: activation_value(o.activation, float(v)))(self.z.astype(np.float64))
        err = float(np.abs(after - mapped).max())
        self.check.setText(
            self.tr("Check: the activation of (Σ + bias) equals the layer's map to within {e:.1e}.").format(
                e=err
            )
        )

    def ready(self) -> bool:
        return not self._pending


class CellDetailDialog(QDialog):
    """The arithmetic of value ``index`` of a vector layer: where a Flatten value comes from (NHWC), which
    map a global pooling value is the maximum of, or a Dense unit's weighted sum."""

    def __init__(
        self,
        output: LayerOutput,
        index: int,
        layer_input: np.ndarray | None,
        names: list[str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("{name}: value {k}").format(name=output.name, k=index))
        value = float(output.array[index])
        text = ""
        self.arithmetic: CellArithmetic | None = None
        if output.class_name == "Flatten" and layer_input is not None and layer_input.ndim == 3:
            _h, w, c = layer_input.shape
            r, col, ch = flatten_source(layer_input.shape, index)
            text = self.tr(
                "Value {k} of the vector is cell ({r}, {c}) of map {m} of the previous layer ({v}). NHWC "
                "order: index = (row × {w} + column) × {n} + channel = ({r} × {w} + {c}) × {n} + {m} = {k}: "
                "Flatten reads all {n} channels of one position before moving to the next."
            ).format(k=index, r=r, c=col, m=ch, v=_f(value), w=w, n=c)
        elif output.class_name.startswith("Global") and layer_input is not None and layer_input.ndim == 3:
            m = layer_input[:, :, index]
            i, j = np.unravel_index(int(np.argmax(m)), m.shape)
            text = self.tr(
                "Value {k} = the largest of the {n} values of map {k} ({v}), found at ({i}, {j}). Where it "
                "was is not kept: only that the feature was found, and how strongly."
            ).format(k=index, n=m.size, v=_f(value), i=int(i), j=int(j))
        elif output.class_name == "Dense" and output.kernel is not None and layer_input is not None:
            self.arithmetic = dense_cell(layer_input, output, index)
            text = cell_arithmetic_text(self.arithmetic)
            if output.probabilities is not None:
                label = names[index] if names and index < len(names) else str(index)
                text += "<br>" + self.tr(
                    "This is the logit of class {c}; the softmax in the left panel turns the logits into "
                    "probabilities."
                ).format(c=label)
        head = QLabel(
            self.tr("{name} ({cls}), value {k} = {v}").format(
                name=output.name, cls=output.class_name, k=index, v=_f(value)
            )
        )
        head.setFont(bold_font(self, 1.1))
        body = QLabel(text)
        body.setWordWrap(True)
        body.setTextFormat(Qt.TextFormat.RichText)
        body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body = body
        lay = QVBoxLayout(self)
        lay.addWidget(head)
        lay.addWidget(body)
        lay.addStretch(1)
        self.resize(560, 260)
