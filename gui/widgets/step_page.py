"""The "step by step" page of the convolution lab: its panels and two steppers, laid out, no logic.

The tab (:mod:`gui.tabs.convolution`) fills the panels; this module only builds and names them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from gui.widgets.calc_panel import CalcPanel
from gui.widgets.grid_view import FitGroup
from gui.widgets.panel import MatrixPanel
from gui.widgets.stepper import Stepper

__all__ = ["StepPage"]


class StepPage(QWidget):
    """Input (padded) | feature map | per-channel partial maps (RGB only), the stepper, then calculation |
    ReLU | pooled with the pooling stepper.

    Attributes: ``input_panel``, ``fmap_panel``, ``partial_panels`` (three, shown in RGB mode, inside
    ``partials_box``), ``stepper``, ``skip_zero`` (a check box), ``calc``, ``relu_panel``, ``pool_panel``,
    ``pool_stepper``, ``pool_formula`` (a label under the pooled map), ``split`` (top / bottom).
    Input and feature map share one cell size, so do ReLU and pooled maps: their sizes compare at a glance.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rgb = False
        self.input_panel = MatrixPanel()
        self.fmap_panel = MatrixPanel()
        # the partial maps use the feature map's colour scale: its colour bar serves all of them
        self.partial_panels = [MatrixPanel(colorbar=False) for _ in range(3)]
        self.partials_box = QWidget()
        partials_lay = QVBoxLayout(self.partials_box)
        partials_lay.setContentsMargins(0, 0, 0, 0)
        partials_lay.setSpacing(2)
        for panel in self.partial_panels:
            panel.view.setMinimumSize(40, 40)
            panel.caption.hide()
            partials_lay.addWidget(panel, 1)
        self.partials_box.hide()
        self.stepper = Stepper()
        self.skip_zero = QCheckBox()
        self.calc = CalcPanel()
        # ReLU and pooled maps use the feature map's colour scale: its colour bar serves all three
        self.relu_panel = MatrixPanel(colorbar=False)
        self.pool_panel = MatrixPanel(colorbar=False)
        self.pool_stepper = Stepper(compact=True)
        for panel in (self.relu_panel, self.pool_panel):
            panel.view.setMinimumSize(60, 50)
        self.pool_formula = QLabel()
        self.pool_formula.setWordWrap(True)
        self.pool_formula.setTextFormat(Qt.TextFormat.RichText)
        self.fit_groups = (
            FitGroup([self.input_panel.view, self.fmap_panel.view]),
            FitGroup([self.relu_panel.view, self.pool_panel.view]),
            FitGroup([p.view for p in self.partial_panels]),
        )
        pool_box = QWidget()
        pool_lay = QVBoxLayout(pool_box)
        pool_lay.setContentsMargins(0, 0, 0, 0)
        pool_lay.setSpacing(2)
        pool_lay.addWidget(self.pool_panel, 1)
        pool_lay.addWidget(self.pool_formula)
        pool_lay.addWidget(self.pool_stepper)
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.input_panel)
        top.addWidget(self.fmap_panel)
        top.addWidget(self.partials_box)
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 3)
        top.setStretchFactor(2, 1)
        top.setChildrenCollapsible(False)
        self._top = top
        bottom = QWidget()
        self._bottom_lay = QGridLayout(bottom)
        self._bottom_lay.setContentsMargins(0, 0, 0, 0)
        self._pool_box = pool_box
        self._lay_bottom(rgb=False)
        top_box = QWidget()
        top_lay = QVBoxLayout(top_box)
        top_lay.setContentsMargins(0, 0, 0, 0)
        top_lay.addWidget(top, 1)
        step_row = QHBoxLayout()
        step_row.addWidget(self.stepper, 1)
        step_row.addWidget(self.skip_zero)
        top_lay.addLayout(step_row)
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.addWidget(top_box)
        self.split.addWidget(bottom)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        self.split.setChildrenCollapsible(False)
        lay = QGridLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.split, 0, 0)

    def set_rgb(self, rgb: bool) -> None:
        """Show the per-channel partial maps and give the three-row calculation more room (RGB mode)."""
        if rgb == self._rgb:
            return
        self._rgb = rgb
        self.partials_box.setVisible(rgb)
        self._lay_bottom(rgb)
        width = sum(self._top.sizes()) or 1
        self._top.setSizes(
            [width * 3 // 8, width * 3 // 8, width // 4] if rgb else [width // 2, width // 2, 0]
        )
        total = sum(self.split.sizes()) or 1
        self.split.setSizes([total * 9 // 20, total * 11 // 20] if rgb else [total * 3 // 5, total * 2 // 5])

    def _lay_bottom(self, rgb: bool) -> None:
        """One channel: calculation | ReLU | pooled side by side. RGB: the three-row calculation takes the
        width, ReLU above pooled beside it."""
        grid = self._bottom_lay
        for w in (self.calc, self.relu_panel, self._pool_box):
            grid.removeWidget(w)
        if rgb:
            grid.addWidget(self.calc, 0, 0, 2, 1)
            grid.addWidget(self.relu_panel, 0, 1)
            grid.addWidget(self._pool_box, 1, 1)
            stretches = (5, 2, 0)
        else:
            grid.addWidget(self.calc, 0, 0)
            grid.addWidget(self.relu_panel, 0, 1)
            grid.addWidget(self._pool_box, 0, 2)
            stretches = (5, 3, 3)
        for col, stretch in enumerate(stretches):
            grid.setColumnStretch(col, stretch)
        grid.setRowStretch(0, 2 if rgb else 1)
        grid.setRowStretch(1, 3 if rgb else 0)  # the pooled map also holds its formula and stepper
