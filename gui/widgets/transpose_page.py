"""The transposed mode of the convolution lab's step page: input | output canvas, a stepper over the input
cells, and the calculation (one cell times the kernel, scattered; one output cell's written sum).

Layout only; :mod:`gui.tabs.convolution_transposed` fills it from the lab's model.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QSizePolicy, QSplitter, QVBoxLayout, QWidget

from gui.widgets.grid_view import FitGroup, GridView
from gui.widgets.panel import MatrixPanel
from gui.widgets.stepper import Stepper

__all__ = ["TransposeCalc", "TransposePage"]


def _mini(min_px: int = 64) -> GridView:
    v = GridView()
    v.setMinimumSize(min_px, min_px)
    v.setMaximumSize(170, 170)
    v.min_number_px = 14
    v.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    return v


def _rich(word_wrap: bool = True) -> QLabel:
    label = QLabel()
    label.setWordWrap(word_wrap)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class TransposeCalc(QFrame):
    """``x[i, j]`` x kernel = the block added onto the output (three small grids), then one output cell's
    sum written out. Attributes: ``title``, ``value_view``, ``kernel_view``, ``block_view`` with their
    labels, ``cell_title`` and ``formula`` (the written sum), ``sources`` (which input and tap each term
    is)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = _rich()
        bold = self.title.font()
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.1)
        self.title.setFont(bold)
        self.value_view, self.kernel_view, self.block_view = _mini(40), _mini(), _mini()
        self.value_view.setMaximumSize(90, 90)
        self.value_label, self.kernel_label, self.block_label = QLabel(), QLabel(), QLabel()
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 2.0)
        big.setBold(True)
        grid = QGridLayout(self)
        grid.setContentsMargins(6, 4, 6, 4)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(2)
        grid.addWidget(self.title, 0, 0, 1, 6)
        for col, (label, view) in enumerate(
            ((self.value_label, self.value_view), (self.kernel_label, self.kernel_view)), start=0
        ):
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            grid.addWidget(label, 1, 2 * col)
            grid.addWidget(view, 2, 2 * col)
        self.block_label.setWordWrap(True)
        self.block_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        grid.addWidget(self.block_label, 1, 4)
        grid.addWidget(self.block_view, 2, 4)
        for col, sign in ((1, "\u00d7"), (3, "=")):
            label = QLabel(sign)
            label.setFont(big)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(label, 2, col)
        self.cell_title = _rich()
        self.cell_title.setFont(bold)
        self.sources = _rich()
        self.formula = _rich()
        self.formula.setMinimumHeight(36)
        grid.addWidget(self.cell_title, 3, 0, 1, 6)
        grid.addWidget(self.sources, 4, 0, 1, 6)
        grid.addWidget(self.formula, 5, 0, 1, 6)
        grid.setColumnStretch(5, 1)
        grid.setRowStretch(2, 1)


class TransposePage(QWidget):
    """Input | output canvas (one cell size, so that the growth shows), the stepper, the calculation.

    Attributes: ``input_panel``, ``output_panel``, ``stepper``, ``calc`` (:class:`TransposeCalc`),
    ``fit_group``, ``split``.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.input_panel = MatrixPanel()
        self.output_panel = MatrixPanel()
        self.stepper = Stepper()
        self.calc = TransposeCalc()
        self.fit_group = FitGroup([self.input_panel.view, self.output_panel.view])
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.input_panel)
        top.addWidget(self.output_panel)
        top.setStretchFactor(0, 1)
        top.setStretchFactor(1, 1)
        top.setChildrenCollapsible(False)
        top_box = QWidget()
        top_lay = QVBoxLayout(top_box)
        top_lay.setContentsMargins(0, 0, 0, 0)
        top_lay.addWidget(top, 1)
        top_lay.addWidget(self.stepper)
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.addWidget(top_box)
        self.split.addWidget(self.calc)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        self.split.setChildrenCollapsible(False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.split)
