"""The calculation of one step, as the lesson writes it: patch x filter = products, then their sum.

Shows three small grids (the input patch under the window, the filter as applied, their element-wise products)
and the sum written out term by term (``0*-1 + 0*-1 + ... + 1*2 + ... = 6``, from
:func:`engine.sliding.format_sum`).
"""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QSizePolicy, QWidget

from engine import sliding
from gui.widgets import colormaps
from gui.widgets.grid_view import GridView, format_value

__all__ = ["CalcPanel"]


def _mini_view() -> GridView:
    v = GridView()
    v.setMinimumSize(72, 72)
    v.setMaximumSize(190, 190)
    v.min_number_px = 14
    v.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    return v


class CalcPanel(QFrame):
    """Patch x filter = products and the written-out sum of one :class:`engine.sliding.Window`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._window: sliding.Window | None = None
        self._flip = False
        self.title = QLabel()
        bold = self.title.font()
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.1)
        self.title.setFont(bold)
        self.patch_view, self.kernel_view, self.products_view = _mini_view(), _mini_view(), _mini_view()
        self.patch_label, self.kernel_label, self.products_label = QLabel(), QLabel(), QLabel()
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 2.0)
        big.setBold(True)
        times, equals = QLabel("\u00d7"), QLabel("=")
        for sign in (times, equals):
            sign.setFont(big)
            sign.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.formula = QLabel()
        self.formula.setWordWrap(True)
        self.formula.setTextFormat(Qt.TextFormat.RichText)
        self.formula.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.formula.setMinimumHeight(40)
        grid = QGridLayout(self)
        grid.setContentsMargins(6, 4, 6, 4)
        grid.addWidget(self.title, 0, 0, 1, 5)
        for col, (view, label) in enumerate(
            (
                (self.patch_view, self.patch_label),
                (self.kernel_view, self.kernel_label),
                (self.products_view, self.products_label),
            )
        ):
            grid.addWidget(label, 1, 2 * col, Qt.AlignmentFlag.AlignHCenter)
            grid.addWidget(view, 2, 2 * col)
        grid.addWidget(times, 2, 1)
        grid.addWidget(equals, 2, 3)
        grid.addWidget(self.formula, 3, 0, 1, 5)
        grid.setRowStretch(2, 1)
        self.retranslate()
        self.show_window(None)

    def shown_window(self) -> sliding.Window | None:
        """The step shown (None before the first step)."""
        return self._window

    def formula_text(self) -> str:
        """The sum as plain text (what the label shows), or '' before the first step."""
        return sliding.format_sum(self._window) if self._window is not None else ""

    def show_window(self, window: sliding.Window | None, flip: bool = False) -> None:
        """Show one step (a 2-D :class:`engine.sliding.Window`), or clear the panel with None."""
        self._window, self._flip = window, flip
        if window is None:
            empty = np.full((1, 1), np.nan, np.float32)
            for v in (self.patch_view, self.kernel_view, self.products_view):
                v.set_data(empty)
            self.formula.setText(
                self.tr(
                    "Press <b>Step forward</b> (Right arrow) or <b>Play</b> (Space) "
                    "to slide the filter over the image."
                )
            )
            self._retitle()
            return
        patch, kern, prod = window.patch, window.kernel, window.products  # (K, K) each
        self.patch_view.set_data(patch, "grey", colormaps.data_range(patch))
        self.kernel_view.set_data(kern, "diverging")
        self.products_view.set_data(prod, "diverging")
        text = html.escape(sliding.format_sum(window))
        head, _, result = text.rpartition(" = ")
        self.formula.setText(
            f"<span style='font-family: monospace;'>{head} = </span>"
            f"<span style='font-family: monospace; font-size: large; font-weight: bold; color: #b2182b;'>"
            f"{result}</span>"
        )
        self._retitle()

    def _retitle(self) -> None:
        self.patch_label.setText(self.tr("Window on the input"))
        self.kernel_label.setText(self.tr("Filter (rotated 180°)") if self._flip else self.tr("Filter"))
        self.products_label.setText(self.tr("Products"))
        w = self._window
        if w is None:
            self.title.setText(self.tr("Calculation of one output cell"))
            return
        self.title.setText(
            self.tr("Output cell ({0}, {1}) = sum of the products = {2}").format(
                w.row, w.col, format_value(w.sum)
            )
        )

    def retranslate(self) -> None:
        self.show_window(self._window, self._flip)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
