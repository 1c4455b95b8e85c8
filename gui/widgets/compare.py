"""Side-by-side pages of the convolution lab.

* :class:`PaddingComparison`: the same image and filter with valid, same and full padding (the lesson's
  padding section: ``N-K+1``, ``N``, ``N+K-1``).
* :class:`PoolVsStride`: the lesson's claim that "conv + max-pool" and "conv with a larger stride" both shrink
  the map, shown next to each other.

Both only display arrays computed by the tab (through :mod:`engine.ops`); ``None`` shows an explanation
instead.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from engine import shapes
from gui.widgets import colormaps
from gui.widgets.panel import MatrixPanel

__all__ = ["PaddingComparison", "PoolVsStride"]


def _intro() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


def _shared_range(maps: list[np.ndarray | None]) -> tuple[float, float]:
    """One symmetric colour range for all maps so that the panels compare at a glance."""
    values = [m.ravel() for m in maps if m is not None and m.size]
    return colormaps.symmetric_range(np.concatenate(values)) if values else (-1.0, 1.0)


def _show(panel: MatrixPanel, values: np.ndarray | None, rng: tuple[float, float], missing: str) -> None:
    if values is None:
        panel.set_data(np.zeros((0, 0), np.float32), "diverging", rng)
        panel.view.set_placeholder(missing)
    else:
        panel.view.set_placeholder("")
        panel.set_data(values, "diverging", rng)


class PaddingComparison(QWidget):
    """Three feature maps of one image and filter: valid, same, full (stride 1)."""

    MODES = ("valid", "same", "full")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.intro = _intro()
        self.panels = {mode: MatrixPanel() for mode in self.MODES}
        grid = QGridLayout(self)
        grid.addWidget(self.intro, 0, 0, 1, 3)
        for col, mode in enumerate(self.MODES):
            grid.addWidget(self.panels[mode], 1, col)
        grid.setRowStretch(1, 1)
        self._maps: dict[str, np.ndarray | None] = {m: None for m in self.MODES}
        self._n = (0, 0)
        self._k = 0
        self.retranslate()

    def set_maps(self, maps: dict[str, np.ndarray | None], input_hw: tuple[int, int], k: int) -> None:
        """``maps[mode]`` is the ``(OH, OW)`` feature map for that padding, or None when it cannot be
        computed."""
        self._maps = {m: maps.get(m) for m in self.MODES}
        self._n, self._k = input_hw, k
        self.retranslate()

    def retranslate(self) -> None:
        self.intro.setText(
            self.tr(
                "<b>Padding decides the size of the feature map.</b> Same image, same filter, stride 1: "
                "<i>valid</i> keeps only the positions where the filter fits (N - K + 1), "
                "<i>same</i> adds just "
                "enough zeros to keep the size (N), <i>full</i> adds K - 1 zeros on each side (N + K - 1) so "
                "that every pixel is seen by every filter cell."
            )
        )
        titles = {"valid": self.tr("valid"), "same": self.tr("same"), "full": self.tr("full")}
        rng = _shared_range(list(self._maps.values()))
        (h, w), k = self._n, self._k
        for mode, panel in self.panels.items():
            fmap = self._maps[mode]
            panel.title.setText(titles[mode])
            _show(panel, fmap, rng, self.tr("The filter does not fit in the input."))
            formula = shapes.conv_output_formula(mode, 1)
            size = f"{fmap.shape[0]} × {fmap.shape[1]}" if fmap is not None else "-"
            panel.caption.setText(
                self.tr("Output {0} = {1} with N = {2} × {3}, K = {4}").format(
                    f"<b>{size}</b>", formula, h, w, k
                )
            )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class PoolVsStride(QWidget):
    """Feature map (stride 1) next to ReLU + max-pool and next to ReLU of a conv with stride 2."""

    KEYS = ("conv", "pooled", "strided")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.intro = _intro()
        self.panels = {key: MatrixPanel() for key in self.KEYS}
        grid = QGridLayout(self)
        grid.addWidget(self.intro, 0, 0, 1, 3)
        for col, key in enumerate(self.KEYS):
            grid.addWidget(self.panels[key], 1, col)
        grid.setRowStretch(1, 1)
        self._maps: dict[str, np.ndarray | None] = {k: None for k in self.KEYS}
        self.retranslate()

    def set_maps(self, maps: dict[str, np.ndarray | None]) -> None:
        """``conv`` (ReLU of stride-1 conv), ``pooled`` (its 2x2 max-pool), ``strided`` (ReLU of stride-2
        conv)."""
        self._maps = {k: maps.get(k) for k in self.KEYS}
        self.retranslate()

    def retranslate(self) -> None:
        self.intro.setText(
            self.tr(
                "<b>Two ways to shrink a feature map.</b> Left: convolution with stride 1, then ReLU. "
                "Middle: the same map after 2 x 2 max-pooling (keeps the strongest answer of each block). "
                "Right: the convolution computed directly with stride 2, then ReLU. Both divide the size by "
                "about 2, but pooling looks at every position and keeps the best one, while a stride of 2 "
                "skips positions and can miss a detection that falls between two of them."
            )
        )
        titles = {
            "conv": self.tr("Conv stride 1 + ReLU"),
            "pooled": self.tr("... then max-pool 2 x 2"),
            "strided": self.tr("Conv stride 2 + ReLU"),
        }
        rng = _shared_range(list(self._maps.values()))
        for key, panel in self.panels.items():
            fmap = self._maps[key]
            panel.title.setText(titles[key])
            _show(panel, fmap, rng, self.tr("Not available for this image and filter."))
            size = f"{fmap.shape[0]} × {fmap.shape[1]}" if fmap is not None else "-"
            panel.caption.setText(self.tr("Output size: {0}").format(f"<b>{size}</b>"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
