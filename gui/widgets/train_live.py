"""The Training tab's live page: first-layer filters, confusion matrix and the most confident mistakes."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from gui.models.data import LabData
from gui.widgets.net_maps import TileGrid, to_qimage
from gui.widgets.train_plots import ConfusionMatrixView

__all__ = ["LiveView"]


def _thumb(image: np.ndarray) -> Any:
    return to_qimage(image[..., 0] if image.shape[-1] == 1 else image, vmin=0, vmax=1)


class LiveView(QWidget):
    """Three boxes side by side; the tab feeds them with :meth:`draw_filters` and :meth:`show_report`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filters = TileGrid(tile=44)
        self.confusion = ConfusionMatrixView()
        self.mistakes = TileGrid(tile=56)
        self.filters_legend = QLabel()
        self.filters_box, self.confusion_box, self.mistakes_box = QGroupBox(), QGroupBox(), QGroupBox()
        for box, w in (
            (self.filters_box, self.filters),
            (self.confusion_box, self.confusion),
            (self.mistakes_box, self.mistakes),
        ):
            lay = QVBoxLayout(box)
            if w is self.filters:
                lay.addWidget(self.filters_legend)
            if w is self.confusion:
                lay.addWidget(w)
                continue
            sc = QScrollArea()
            sc.setWidget(w)
            sc.setWidgetResizable(True)
            sc.setFrameShape(QScrollArea.Shape.NoFrame)
            sc.setMinimumSize(110, 60)
            lay.addWidget(sc)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for box in (self.filters_box, self.confusion_box, self.mistakes_box):
            row.addWidget(box, 3)
        self.retranslate()

    def clear(self) -> None:
        self.confusion.set_matrix(None, [])
        self.mistakes.set_tiles([])

    def draw_filters(self, kernel: np.ndarray | None) -> None:
        """One tile per filter of ``kernel`` ``(KH, KW, C_in, C_out)``: signed colours, or RGB for 3
        inputs."""
        if kernel is None:
            self.filters.set_tiles([])
            return
        k = kernel
        if k.shape[2] == 3:
            lo, hi = float(k.min()), float(k.max())
            tiles = [to_qimage((k[:, :, :, j] - lo) / max(hi - lo, 1e-12)) for j in range(k.shape[3])]
        else:
            vmax = float(np.abs(k).max()) or 1.0
            tiles = [to_qimage(k[:, :, 0, j], signed=True, vmax=vmax) for j in range(k.shape[3])]
        self.filters.set_tiles(tiles, [str(j) for j in range(k.shape[3])])

    def show_report(self, rep: dict, data: LabData) -> None:
        """Confusion matrix and mistakes from :func:`gui.workers.validation_report` on ``data``'s validation
        set."""
        self.confusion.set_matrix(rep["confusion"], list(data.class_names))
        captions = [
            self.tr("{p} ({pct:.0%})\ntrue: {t}").format(
                p=data.class_names[w["pred"]], pct=w["prob"], t=data.class_names[w["true"]]
            )
            for w in rep["wrong"]
        ]
        colors: list[QColor | None] = [QColor("#c00000")] * len(captions)
        self.mistakes.set_tiles([_thumb(data.x_val[w["index"]]) for w in rep["wrong"]], captions, colors)

    def retranslate(self) -> None:
        self.filters_box.setTitle(self.tr("Filters of layer 1"))
        self.filters_box.setToolTip(self.tr("The first layer's kernels as they learn: blue < 0 < red"))
        self.filters_legend.setText(self.tr("blue < 0 < red"))
        self.confusion_box.setTitle(self.tr("Confusion (validation)"))
        self.mistakes_box.setTitle(self.tr("Worst mistakes"))
        self.mistakes_box.setToolTip(
            self.tr(
                "Validation images the network gets wrong with the highest "
                "confidence: predicted class (probability) and true class"
            )
        )
