"""The "step by step" page of the convolution lab: its panels and two steppers, laid out, no logic.

The tab (:mod:`gui.tabs.convolution`) fills the panels; this module only builds and names them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from gui.widgets.calc_panel import CalcPanel
from gui.widgets.panel import MatrixPanel
from gui.widgets.stepper import Stepper

__all__ = ["StepPage"]


class StepPage(QWidget):
    """Input (padded) | feature map, the stepper, then calculation | ReLU | pooled with the pooling stepper.

    Attributes: ``input_panel``, ``fmap_panel``, ``stepper``, ``calc``, ``relu_panel``, ``pool_panel``,
    ``pool_stepper``, ``pool_formula`` (a label under the pooled map).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.input_panel = MatrixPanel()
        self.fmap_panel = MatrixPanel()
        self.stepper = Stepper()
        self.calc = CalcPanel()
        # ReLU and pooled maps use the feature map's colour scale: its colour bar serves all three
        self.relu_panel = MatrixPanel(colorbar=False)
        self.pool_panel = MatrixPanel(colorbar=False)
        self.pool_stepper = Stepper(compact=True)
        self.pool_formula = QLabel()
        self.pool_formula.setWordWrap(True)
        self.pool_formula.setTextFormat(Qt.TextFormat.RichText)
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
        top.setChildrenCollapsible(False)
        bottom = QWidget()
        bottom_lay = QHBoxLayout(bottom)
        bottom_lay.setContentsMargins(0, 0, 0, 0)
        for w, stretch in ((self.calc, 5), (self.relu_panel, 3), (pool_box, 3)):
            bottom_lay.addWidget(w, stretch)
        top_box = QWidget()
        top_lay = QVBoxLayout(top_box)
        top_lay.setContentsMargins(0, 0, 0, 0)
        top_lay.addWidget(top, 1)
        top_lay.addWidget(self.stepper)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top_box)
        split.addWidget(bottom)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        lay = QGridLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(split, 0, 0)
