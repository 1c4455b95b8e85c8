"""The calculation of one step, as the lesson writes it: patch x filter = products, then their sum.

One channel: three small grids (the input patch under the window, the filter as applied, their element-wise
products) and the sum written out term by term (``0*-1 + 0*-1 + ... + 1*2 + ... = 6``, from
:func:`engine.sliding.format_sum`).

All channels (RGB), as CNN Explainer draws it: one row per channel (that channel's window, its kernel slice,
their products and their sum written out, :func:`engine.sliding.format_channel_sum`), then the three partial
sums plus the bias, equal to the output cell (:func:`engine.sliding.format_total`).

Every number is written with :func:`engine.sliding.format_number`, the title's too, and a result is coloured
by its sign as on the maps: blue < 0 < red.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QSizePolicy, QWidget

from engine import sliding
from gui.widgets import colormaps
from gui.widgets.grid_view import GridView

__all__ = ["CHANNEL_COLOURS", "CalcPanel", "sign_colour"]

#: text colour of each channel's name and partial sum (R, G, B)
CHANNEL_COLOURS = ("#c01818", "#138a13", "#2040d0")
MONO = "font-family: monospace;"


def sign_colour(value: float) -> str:
    """The colour a result is written in: the diverging map's blue below 0, its red above, dark grey at 0."""
    lo, hi = colormaps.LUTS["diverging"][0], colormaps.LUTS["diverging"][-1]
    if value < 0:
        return "#{:02x}{:02x}{:02x}".format(*(int(v) for v in lo))
    if value > 0:
        return "#{:02x}{:02x}{:02x}".format(*(int(v) for v in hi))
    return "#404040"


def _mini_view() -> GridView:
    v = GridView()
    v.setMinimumSize(72, 72)
    v.setMaximumSize(190, 190)
    v.min_number_px = 14
    v.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    return v


def _result_html(value: float, large: bool = True) -> str:
    size = " font-size: large;" if large else ""
    return (
        f"<span style='{MONO}{size} font-weight: bold; color: {sign_colour(value)};'>"
        f"{html.escape(sliding.format_number(value))}</span>"
    )


@dataclass
class ChannelRow:
    """The widgets of one channel's row: name, window, x, kernel slice, =, products, written sum."""

    name: QLabel
    patch: GridView
    times: QLabel
    kernel: GridView
    equals: QLabel
    products: GridView
    formula: QLabel

    def widgets(self) -> list[tuple[str, QWidget]]:
        return [
            (k, getattr(self, k))
            for k in ("name", "patch", "times", "kernel", "equals", "products", "formula")
        ]


class CalcPanel(QFrame):
    """Patch x filter = products and the written-out sum of one :class:`engine.sliding.Window` (one row per
    channel for a colour window)."""

    CHANNELS = 3

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._window: sliding.Window | None = None
        self._flip = False
        self._depth = 1
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        bold = self.title.font()
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.1)
        self.title.setFont(bold)
        self.patch_label, self.kernel_label, self.products_label = QLabel(), QLabel(), QLabel()
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 2.0)
        big.setBold(True)
        self.rows: list[ChannelRow] = []
        grid = QGridLayout(self)
        grid.setContentsMargins(6, 4, 6, 4)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(2)
        grid.addWidget(self.title, 0, 0, 1, 7)
        for col, label in ((1, self.patch_label), (3, self.kernel_label), (5, self.products_label)):
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            grid.addWidget(label, 1, col)
        for c in range(self.CHANNELS):
            name = QLabel()
            name.setTextFormat(Qt.TextFormat.RichText)
            times, equals = QLabel("\u00d7"), QLabel("=")
            for sign in (times, equals):
                sign.setFont(big)
                sign.setAlignment(Qt.AlignmentFlag.AlignCenter)
            formula = QLabel()
            formula.setWordWrap(True)
            formula.setTextFormat(Qt.TextFormat.RichText)
            formula.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            formula.setMinimumWidth(120)
            row = ChannelRow(name, _mini_view(), times, _mini_view(), equals, _mini_view(), formula)
            for col, (_key, widget) in enumerate(row.widgets()):
                grid.addWidget(widget, 2 + c, col)
            self.rows.append(row)
        # the views of the first row, by their one-channel names
        self.patch_view = self.rows[0].patch
        self.kernel_view = self.rows[0].kernel
        self.products_view = self.rows[0].products
        self.formula = QLabel()
        self.formula.setWordWrap(True)
        self.formula.setTextFormat(Qt.TextFormat.RichText)
        self.formula.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.formula.setMinimumHeight(40)
        grid.addWidget(self.formula, 2 + self.CHANNELS, 0, 1, 7)
        self._grid = grid
        self._apply_depth()
        self.retranslate()
        self.show_window(None)

    # ----------------------------------------------------------------------------------------------- state
    def shown_window(self) -> sliding.Window | None:
        """The step shown (None before the first step)."""
        return self._window

    def depth(self) -> int:
        """1 (one channel) or 3 (all channels, one row each)."""
        return self._depth

    def set_depth(self, depth: int) -> None:
        """Show one row (``depth=1``) or one row per RGB channel (``depth=3``)."""
        if depth not in (1, self.CHANNELS):
            raise ValueError(f"depth must be 1 or {self.CHANNELS}. Received: depth={depth}")
        if depth != self._depth:
            self._depth = depth
            self._apply_depth()
            self.show_window(None)

    def _apply_depth(self) -> None:
        rgb = self._depth > 1
        for c, row in enumerate(self.rows):
            for key, widget in row.widgets():
                visible = c < self._depth and (rgb or key not in ("name", "formula"))
                widget.setVisible(visible)
            for view in (row.patch, row.kernel, row.products):
                # three rows share the height: small grids, numbers only when the cells are large enough
                view.setMinimumSize(32, 32) if rgb else view.setMinimumSize(72, 72)
                view.setMaximumSize(84, 110) if rgb else view.setMaximumSize(190, 190)
                view.min_number_px = 18 if rgb else 14
        self._grid.setColumnStretch(6, 3 if rgb else 0)
        for c in range(self.CHANNELS):
            self._grid.setRowStretch(2 + c, 1 if c < self._depth else 0)

    def formula_text(self) -> str:
        """The sum as plain text (what the label shows): the written-out sum for one channel, the partial sums
        plus the bias for a colour step, or '' before the first step."""
        w = self._window
        if w is None:
            return ""
        return sliding.format_total(w) if w.patch.ndim == 3 else sliding.format_sum(w)

    def channel_text(self, channel: int) -> str:
        """Channel ``channel``'s written-out sum (colour steps), as plain text."""
        w = self._window
        return "" if w is None or w.patch.ndim != 3 else sliding.format_channel_sum(w, channel)

    # ------------------------------------------------------------------------------------------- drawing
    def show_window(self, window: sliding.Window | None, flip: bool = False) -> None:
        """Show one step (a :class:`engine.sliding.Window`, 2-D or with one slice per channel), or clear the
        panel with None."""
        self._window, self._flip = window, flip
        if window is not None and (window.patch.ndim == 3) != (self._depth > 1):
            self.set_depth(window.patch.shape[2] if window.patch.ndim == 3 else 1)
            self._window = window
        if window is None:
            empty = np.full((1, 1), np.nan, np.float32)
            for row in self.rows:
                for view in (row.patch, row.kernel, row.products):
                    view.set_data(empty)
                row.formula.setText("")
            self.formula.setText(
                self.tr(
                    "Press <b>Step forward</b> (Right arrow) or <b>Play</b> (Space) "
                    "to slide the filter over the image."
                )
            )
            self._retitle()
            return
        if window.patch.ndim == 3:
            self._show_channels(window)
        else:
            self._show_one(window)
        self._retitle()

    def _show_one(self, window: sliding.Window) -> None:
        patch, kern, prod = window.patch, window.kernel, window.products  # (K, K) each
        self.patch_view.set_data(patch, "grey", colormaps.data_range(patch))
        self.kernel_view.set_data(kern, "diverging")
        self.products_view.set_data(prod, "diverging")
        text = html.escape(sliding.format_sum(window))
        head, _, _result = text.rpartition(" = ")
        self.formula.setText(f"<span style='{MONO}'>{head} = </span>{_result_html(window.sum)}")

    def _show_channels(self, window: sliding.Window) -> None:
        prod_range = colormaps.symmetric_range(window.products)
        kern_range = colormaps.symmetric_range(window.kernel)
        names = self._channel_names()
        sums = window.channel_sums()
        for c, row in enumerate(self.rows):
            cmap = colormaps.CHANNEL_MAPS[c]
            row.patch.set_data(window.patch[:, :, c], cmap, (0.0, 1.0))
            row.kernel.set_data(window.kernel[:, :, c], "diverging", kern_range)
            row.products.set_data(window.products[:, :, c], "diverging", prod_range)
            row.name.setText(f"<b style='color: {CHANNEL_COLOURS[c]};'>{names[c][0]}</b>")
            head = html.escape(sliding.format_channel_sum(window, c)).rpartition(" = ")[0]
            row.formula.setText(
                f"<span style='{MONO} font-size: small;'>{head} = </span>"
                f"<span style='{MONO} font-weight: bold; color: {CHANNEL_COLOURS[c]};'>"
                f"{html.escape(sliding.format_number(sums[c]))}</span>"
            )
        parts = [
            f"<span style='color: {CHANNEL_COLOURS[c]};'>{html.escape(sliding.format_number(s))}</span>"
            for c, s in enumerate(sums)
        ]
        parts.append(html.escape(sliding.format_number(window.bias)))
        total = self.tr("{0} + {1} + {2} + bias {3} = ").format(*parts)
        self.formula.setText(f"<span style='{MONO}'>{total}</span>" + _result_html(window.sum))

    def _channel_names(self) -> tuple[str, str, str]:
        return (self.tr("Red"), self.tr("Green"), self.tr("Blue"))

    def _retitle(self) -> None:
        rgb = self._depth > 1
        self.patch_label.setText(self.tr("Window on each channel") if rgb else self.tr("Window on the input"))
        if rgb:
            kernel = self.tr("Filter slices (rotated 180°)") if self._flip else self.tr("Filter slices")
        else:
            kernel = self.tr("Filter (rotated 180°)") if self._flip else self.tr("Filter")
        self.kernel_label.setText(kernel)
        self.products_label.setText(self.tr("Products"))
        for c, row in enumerate(self.rows):
            row.name.setToolTip(self._channel_names()[c])
        w = self._window
        if w is None:
            self.title.setText(self.tr("Calculation of one output cell"))
            return
        value = _result_html(w.sum, large=False)
        if rgb:
            text = self.tr("Output cell ({0}, {1}) = sum over the 3 channels + bias = {2}")
        else:
            text = self.tr("Output cell ({0}, {1}) = sum of the products = {2}")
        self.title.setText(text.format(w.row, w.col, value))

    def retranslate(self) -> None:
        self.show_window(self._window, self._flip)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
