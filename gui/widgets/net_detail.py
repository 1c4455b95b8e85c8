"""A feature map opened large, next to the filter(s) that made it and the maps they read."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QGridLayout, QLabel, QScrollArea, QWidget

from gui.models.network import LayerOutput
from gui.widgets.net_maps import TileGrid, bold_font, to_qimage

__all__ = ["MapDetailDialog"]

MAX_INPUTS = 32  # input channels shown for one filter


class MapDetailDialog(QDialog):
    """Map ``channel`` of ``output`` at 8x; for a Conv2D, its filter slice per input channel (blue < 0 < red)
    above the input map each slice is slid over; for pooling, the map it pooled."""

    def __init__(
        self, output: LayerOutput, channel: int, layer_input: np.ndarray | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("{name}: map {c}").format(name=output.name, c=channel))
        a = output.array[:, :, channel]  # (H, W)
        big = TileGrid(tile=int(min(320, max(160, 8 * a.shape[0]))))
        big.set_tiles([to_qimage(a, vmin=min(0.0, float(a.min())), vmax=float(a.max()))])
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
        lay.addWidget(big, 1, 0, Qt.AlignmentFlag.AlignTop)
        side = QWidget()
        side_lay = QGridLayout(side)
        self.filter_grid: TileGrid | None = None
        if output.kernel is not None:
            k = output.kernel[:, :, :, channel]  # (KH, KW, C_in)
            n = min(k.shape[2], MAX_INPUTS)
            vmax = float(np.abs(k).max()) or 1.0
            bias = float(output.bias[channel]) if output.bias is not None else 0.0
            lbl = QLabel(
                self.tr("Its filter {kh}x{kw}, one slice per input channel (bias {b:+.3f}):").format(
                    kh=k.shape[0], kw=k.shape[1], b=bias
                )
            )
            lbl.setWordWrap(True)
            side_lay.addWidget(lbl, 0, 0)
            self.filter_grid = TileGrid(tile=120 if n <= 4 else 56)
            self.filter_grid.set_tiles(
                [to_qimage(k[:, :, c], signed=True, vmax=vmax) for c in range(n)], [str(c) for c in range(n)]
            )
            side_lay.addWidget(self.filter_grid, 1, 0)
            if layer_input is not None and layer_input.ndim == 3:
                side_lay.addWidget(QLabel(self.tr("The input maps these slices are slid over:")), 2, 0)
                inputs = TileGrid(tile=120 if n <= 4 else 56)
                inputs.set_tiles(
                    [to_qimage(layer_input[:, :, c]) for c in range(n)], [str(c) for c in range(n)]
                )
                side_lay.addWidget(inputs, 3, 0)
        elif layer_input is not None and layer_input.ndim == 3 and channel < layer_input.shape[2]:
            side_lay.addWidget(QLabel(self.tr("The map it pools (same channel):")), 0, 0)
            src = TileGrid(tile=int(min(320, max(160, 8 * layer_input.shape[0]))))
            src.set_tiles([to_qimage(layer_input[:, :, channel])])
            side_lay.addWidget(src, 1, 0)
        side_lay.setRowStretch(side_lay.rowCount(), 1)
        scroll = QScrollArea()
        scroll.setWidget(side)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(360)
        lay.addWidget(scroll, 1, 1)
        self.resize(820, 460)
