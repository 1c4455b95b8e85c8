"""Side-by-side pages of the convolution lab, drawn so that they compare.

* :class:`PaddingComparison`: the input and its feature maps with valid, same and full padding (the lesson's
  padding section: ``N-K+1``, ``N``, ``N+K-1``), then for each mode how many outputs read each input pixel
  (the lesson's "K² times in the centre, 1 to K on the edges").
* :class:`PoolVsStride`: the input, the stride-1 map after ReLU, that map pooled with the lab's pooling
  settings, and the map computed directly with the pooling stride; below, :class:`~gui.widgets.train_both.
  TrainBoth` trains two networks that differ only there.

On each page the maps share one cell size (a 13 x 13 map is drawn half as wide as a 26 x 26 one, a 30 x 30 map
wider than a 28 x 28 one) and one colour scale, with one colour bar. The pages only display arrays computed by
the tab (through :mod:`engine.ops`); ``None`` shows an explanation instead.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QWidget

from engine import shapes
from gui.models.compare import coverage
from gui.widgets import colormaps
from gui.widgets.grid_view import FitGroup
from gui.widgets.panel import ColorBar, MatrixPanel
from gui.widgets.train_both import TrainBoth

__all__ = ["PaddingComparison", "PoolVsStride"]


def _intro() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
    return label


def _shared_range(maps: list[np.ndarray | None]) -> tuple[float, float]:
    """One symmetric colour range for all maps so that the panels compare at a glance."""
    values = [m.ravel() for m in maps if m is not None and m.size]
    return colormaps.symmetric_range(np.concatenate(values)) if values else (-1.0, 1.0)


def _show(
    panel: MatrixPanel, values: np.ndarray | None, cmap: str, rng: tuple[float, float], missing: str
) -> None:
    if values is None:
        panel.set_data(np.zeros((0, 0), np.float32), "diverging", rng)
        panel.view.set_placeholder(missing)
    else:
        panel.view.set_placeholder("")
        panel.set_data(values, cmap, rng)


def _show_input(panel: MatrixPanel, plane: np.ndarray | None) -> None:
    if plane is None or not plane.size:
        panel.set_data(np.zeros((0, 0), np.float32))
        return
    if plane.ndim == 3:
        panel.set_data(plane, "rgb")
    else:
        panel.set_data(plane, "grey", colormaps.data_range(plane))


def _size(shape: tuple[int, ...]) -> str:
    return f"{shape[0]} × {shape[1]}"


class PaddingComparison(QWidget):
    """The input and its three feature maps (valid, same, full; stride 1) at one cell size and one colour
    scale, then the coverage count of each mode over the input."""

    MODES = ("valid", "same", "full")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.intro = _intro()
        self.input_panel = MatrixPanel(colorbar=False)
        self.panels = {mode: MatrixPanel(colorbar=False) for mode in self.MODES}
        self.colorbar = ColorBar()
        self.coverage_intro = QLabel()
        self.coverage_intro.setWordWrap(True)
        self.coverage_intro.setTextFormat(Qt.TextFormat.RichText)
        self.coverage_intro.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.coverage_panels = {mode: MatrixPanel(colorbar=False) for mode in self.MODES}
        for panel in self.coverage_panels.values():
            panel.view.min_number_px = 12  # one- or two-digit counts fit small cells
        self.coverage_bar = ColorBar()
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 4, 4, 4)
        grid.addWidget(self.intro, 0, 0, 1, 5)
        grid.addWidget(self.input_panel, 1, 0)
        grid.addWidget(self.coverage_intro, 2, 0)
        for col, mode in enumerate(self.MODES, start=1):
            grid.addWidget(self.panels[mode], 1, col)
            grid.addWidget(self.coverage_panels[mode], 2, col)
        grid.addWidget(self.colorbar, 1, 4)
        grid.addWidget(self.coverage_bar, 2, 4)
        grid.setRowStretch(1, 3)
        grid.setRowStretch(2, 2)
        for col in range(4):
            grid.setColumnStretch(col, 1)
        self.fit_group = FitGroup([self.input_panel.view, *(p.view for p in self.panels.values())])
        self.coverage_group = FitGroup([p.view for p in self.coverage_panels.values()])
        self._maps: dict[str, np.ndarray | None] = dict.fromkeys(self.MODES)
        self._plane: np.ndarray | None = None
        self._k = 0
        self.retranslate()

    def set_maps(self, maps: dict[str, np.ndarray | None], plane: np.ndarray, k: int) -> None:
        """``maps[mode]`` is the ``(OH, OW)`` feature map for that padding, or None when it cannot be
        computed; ``plane`` the input ``(H, W)`` or ``(H, W, 3)``; ``k`` the filter size."""
        self._maps = {m: maps.get(m) for m in self.MODES}
        self._plane, self._k = plane, k
        self.retranslate()

    def coverage_maps(self) -> dict[str, np.ndarray | None]:
        """For each mode, how many outputs read each input pixel, ``(H, W)`` (None when the filter does not
        fit)."""
        if self._plane is None:
            return dict.fromkeys(self.MODES)
        hw = (int(self._plane.shape[0]), int(self._plane.shape[1]))
        out: dict[str, np.ndarray | None] = {}
        for mode in self.MODES:
            try:
                out[mode] = coverage(hw, self._k, mode)
            except ValueError:
                out[mode] = None
        return out

    def retranslate(self) -> None:
        self.intro.setText(
            self.tr(
                "<b>Padding decides the size of the feature map.</b> Same image, same filter, stride 1, "
                "drawn at the same scale: <i>valid</i> keeps only the positions where the filter fits "
                "(N - K + 1), "
                "<i>same</i> adds just enough zeros to keep the size (N), <i>full</i> adds K - 1 zeros on "
                "each side (N + K - 1)."
            )
        )
        self.coverage_intro.setText(
            self.tr(
                "<b>How many outputs read each pixel.</b> Without padding a K × K filter reads the centre "
                "K² times but the corners once and the edges 1 to K times: shapes on the border count less. "
                "Full padding gives every pixel the same weight, K² readings."
            )
        )
        titles = {"valid": self.tr("valid"), "same": self.tr("same"), "full": self.tr("full")}
        rng = _shared_range(list(self._maps.values()))
        plane = self._plane
        hw = (0, 0) if plane is None else (int(plane.shape[0]), int(plane.shape[1]))
        self.input_panel.title.setText(self.tr("Input"))
        _show_input(self.input_panel, plane)
        self.input_panel.caption.setText(f"<b>{_size(hw)}</b>")
        for mode, panel in self.panels.items():
            fmap = self._maps[mode]
            panel.title.setText(titles[mode])
            _show(panel, fmap, "diverging", rng, self.tr("The filter does not fit in the input."))
            size = _size(fmap.shape) if fmap is not None else "-"
            panel.caption.setText(
                self.tr("Output {0} = {1} with N = {2} × {3}, K = {4}").format(
                    f"<b>{size}</b>", shapes.conv_output_formula(mode, 1), hw[0], hw[1], self._k
                )
            )
        self.colorbar.set_range("diverging", *rng)
        self.colorbar.setToolTip(self.tr("One colour scale for the three feature maps"))
        counts = self.coverage_maps()
        top = max([int(c.max()) for c in counts.values() if c is not None and c.size] or [1])
        for mode, panel in self.coverage_panels.items():
            c = counts[mode]
            panel.title.setText(self.tr("{0}: readings per pixel").format(titles[mode]))
            _show(panel, None if c is None else c.astype(np.float32), "count", (0.0, float(top)), "")
            panel.caption.setText(self._coverage_caption(c))
        self.coverage_bar.set_range("count", 0.0, float(top))

    def _coverage_caption(self, c: np.ndarray | None) -> str:
        if c is None or not c.size:
            return ""
        h, w = c.shape
        return self.tr("corner {0}×, edge {1}×, centre {2}×").format(
            int(c[0, 0]), int(c[0, w // 2]), int(c[h // 2, w // 2])
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class PoolVsStride(QWidget):
    """Input | stride-1 map (ReLU) | that map pooled | map with the pooling stride (ReLU), one cell size and
    one colour scale, and :class:`TrainBoth` under them."""

    KEYS = ("conv", "pooled", "strided")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.intro = _intro()
        self.input_panel = MatrixPanel(colorbar=False)
        self.panels = {key: MatrixPanel(colorbar=False) for key in self.KEYS}
        self.colorbar = ColorBar()
        self.train_both = TrainBoth()
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 4, 4, 4)
        grid.addWidget(self.intro, 0, 0, 1, 5)
        grid.addWidget(self.input_panel, 1, 0)
        for col, key in enumerate(self.KEYS, start=1):
            grid.addWidget(self.panels[key], 1, col)
        grid.addWidget(self.colorbar, 1, 4)
        grid.addWidget(self.train_both, 2, 0, 1, 5)
        grid.setRowStretch(1, 1)
        for col in range(4):
            grid.setColumnStretch(col, 1)
        self.fit_group = FitGroup([self.input_panel.view, *(p.view for p in self.panels.values())])
        self._maps: dict[str, np.ndarray | None] = dict.fromkeys(self.KEYS)
        self._plane: np.ndarray | None = None
        self._pool = ("max", 2, 2)
        self.retranslate()

    def set_maps(
        self,
        maps: dict[str, np.ndarray | None],
        plane: np.ndarray,
        pool: tuple[str, int, int] = ("max", 2, 2),
    ) -> None:
        """``conv`` (ReLU of the stride-1 conv), ``pooled`` (it pooled with ``pool`` = ``(mode, size,
        stride)``), ``strided`` (ReLU of the conv with the pooling stride); ``plane`` the input."""
        self._maps = {k: maps.get(k) for k in self.KEYS}
        self._plane, self._pool = plane, pool
        self.train_both.set_geometry(pool[1], pool[2])
        self.retranslate()

    def retranslate(self) -> None:
        mode, size, stride = self._pool
        mode_name = {
            "max": self.tr("max-pooling"),
            "min": self.tr("min-pooling"),
            "avg": self.tr("average pooling"),
        }[mode]
        self.intro.setText(
            self.tr(
                "<b>Two ways to shrink a feature map</b>, drawn at the same scale. Convolution with stride 1 "
                "then ReLU, followed by {0} {1} × {1} with stride {2} (it looks at every position and keeps "
                "one answer per window); or the convolution computed directly with stride {2} (it skips "
                "positions and can miss a detection that falls between two of them). The lesson says the "
                "second can replace the first without losing accuracy: <b>Train both</b> tests it."
            ).format(mode_name, size, stride)
        )
        titles = {
            "conv": self.tr("Conv stride 1 + ReLU"),
            "pooled": self.tr("... then {0} {1} × {1}, stride {2}").format(mode_name, size, stride),
            "strided": self.tr("Conv stride {0} + ReLU").format(stride),
        }
        rng = _shared_range(list(self._maps.values()))
        self.input_panel.title.setText(self.tr("Input"))
        _show_input(self.input_panel, self._plane)
        if self._plane is not None:
            self.input_panel.caption.setText(f"<b>{_size(self._plane.shape)}</b>")
        for key, panel in self.panels.items():
            fmap = self._maps[key]
            panel.title.setText(titles[key])
            _show(panel, fmap, "diverging", rng, self.tr("Not available for this image and filter."))
            size_text = _size(fmap.shape) if fmap is not None else "-"
            panel.caption.setText(self.tr("Output size: {0}").format(f"<b>{size_text}</b>"))
        self.colorbar.set_range("diverging", *rng)
        self.colorbar.setToolTip(self.tr("One colour scale for the three maps"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
