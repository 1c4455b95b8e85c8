"""Drawing of the convolution lab's step page from the tab's state (no maths: values come from the engine).

Split from :mod:`gui.tabs.convolution` to keep modules small; every function takes the tab.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QCoreApplication

from gui.widgets import colormaps
from gui.widgets.grid_view import Highlight, format_value

if TYPE_CHECKING:
    from gui.tabs.convolution import ConvolutionTab

__all__ = ["refresh", "show_pool"]


def _empty(panel, message: str) -> None:
    panel.set_data(np.zeros((0, 0), np.float32), "diverging")
    panel.view.set_placeholder(message)
    panel.view.set_highlights([])


def refresh(tab: ConvolutionTab) -> None:
    """Redraw the input, feature map, calculation and ReLU panels for the current step and hover."""
    from gui.tabs.convolution import CURRENT, HOVER

    v, walk, p, res = tab.page, tab._walk, tab._params, tab._result
    tab.controls.set_output_text(tab.output_size_text())
    v.input_panel.title.setText(
        QCoreApplication.translate("ConvolutionView", "Input image (with its padding)")
    )
    v.fmap_panel.title.setText(
        QCoreApplication.translate("ConvolutionView", "Feature map (output of the convolution)")
    )
    v.relu_panel.title.setText(QCoreApplication.translate("ConvolutionView", "After ReLU: max(0, x)"))
    if walk is None or p is None:
        msg = QCoreApplication.translate(
            "ConvolutionView",
            "The filter is larger than the padded image: choose a smaller filter or more padding.",
        )
        for panel in (v.input_panel, v.fmap_panel, v.relu_panel, v.pool_panel):
            _empty(panel, msg)
        for caption in (
            v.input_panel.caption,
            v.fmap_panel.caption,
            v.relu_panel.caption,
            v.pool_panel.caption,
        ):
            caption.setText("")
        v.calc.show_window(None)
        v.pool_formula.setText("")
        return
    pos = v.stepper.position()
    (kh, kw), (oh, ow) = walk.kernel_hw, walk.out_hw
    ph, pw = walk.padded.shape
    v.input_panel.view.set_placeholder("")
    v.input_panel.set_data(walk.padded, "grey", colormaps.data_range(p.plane), walk.pads, keep_view=True)
    v.input_panel.caption.setText(
        QCoreApplication.translate(
            "ConvolutionView", "{0} × {1} image + padding = {2} × {3} (hatched: the zeros added)"
        ).format(p.plane.shape[0], p.plane.shape[1], ph, pw)
    )
    hint = QCoreApplication.translate(
        "ConvolutionView", "Wheel: zoom (values appear on large cells), drag: pan, double-click: fit."
    )
    for view in (v.input_panel.view, v.fmap_panel.view, v.relu_panel.view, v.pool_panel.view):
        view.setToolTip(hint)
    hl_in: list[Highlight] = []
    hl_out: list[Highlight] = []
    current = walk[pos - 1] if pos > 0 else None
    shown_window = current
    if current is not None:
        hl_in.append(Highlight(current.top, current.left, kh, kw, CURRENT, 3.0, True))
        hl_out.append(Highlight(current.row, current.col, 1, 1, CURRENT, 3.0))
    if tab._hover_out is not None:
        hw = walk[walk.index_of(*tab._hover_out)]
        shown_window = hw
        hl_in.append(Highlight(hw.top, hw.left, kh, kw, HOVER, 3.0, True))
        hl_out.append(Highlight(hw.row, hw.col, 1, 1, HOVER, 3.0))
    elif tab._hover_in is not None:
        r, c = tab._hover_in
        hl_in.append(Highlight(r, c, 1, 1, HOVER, 3.0, True))
        hl_out += [Highlight(i, j, 1, 1, HOVER, 2.0, True) for i, j in walk.outputs_seeing(r, c)]
    v.input_panel.view.set_highlights(hl_in)
    if res is not None and res["conv"].shape == (oh, ow):
        rng = colormaps.symmetric_range(res["conv"])
        fmap = tab._mask(res["conv"], pos)
    else:
        fmap = walk.sums(pos)
        rng = colormaps.symmetric_range(fmap)
    v.fmap_panel.view.set_placeholder("")
    v.fmap_panel.set_data(fmap, "diverging", rng, keep_view=True)
    v.fmap_panel.view.set_highlights(hl_out)
    v.fmap_panel.caption.setText(
        QCoreApplication.translate(
            "ConvolutionView",
            "<b>{0} × {1}</b>, {2} of {3} cells computed. Blue &lt; 0 &lt; red. "
            "Hover a cell: its window; click: go there.",
        ).format(oh, ow, pos, oh * ow)
    )
    v.calc.show_window(shown_window, p.flip)
    if res is None:
        _empty(v.relu_panel, QCoreApplication.translate("ConvolutionView", "Compiling kernels..."))
        v.relu_panel.caption.setText("")
    else:
        v.relu_panel.view.set_placeholder("")
        v.relu_panel.set_data(tab._mask(res["relu"], pos), "diverging", rng, keep_view=True)
        v.relu_panel.caption.setText(QCoreApplication.translate("ConvolutionView", "Negatives become 0"))
        v.relu_panel.setToolTip(
            QCoreApplication.translate(
                "ConvolutionView",
                "ReLU nulls the negatives: blue cells become white (0), positive answers stay. "
                "Same colours as the feature map.",
            )
        )
    show_pool(tab)


def _pool_label(mode: str) -> str:
    return {
        "max": QCoreApplication.translate("ConvolutionView", "Max pooling"),
        "min": QCoreApplication.translate("ConvolutionView", "Min pooling"),
        "avg": QCoreApplication.translate("ConvolutionView", "Average pooling"),
    }.get(mode, mode)


def show_pool(tab: ConvolutionTab) -> None:
    """Redraw the pooled panel: live (cells appear once their window is computed) or its own pooling step."""
    from gui.tabs.convolution import CURRENT

    v, res, walk = tab.page, tab._result, tab._walk
    s = tab.controls.settings()
    v.pool_panel.title.setText(
        QCoreApplication.translate("ConvolutionView", "{0} {1} × {1}, stride {2}").format(
            _pool_label(s.pool_mode), s.pool_size, s.pool_stride
        )
    )
    v.pool_stepper.setEnabled(bool(tab._pool_walk))
    if walk is None:
        return
    if res is None or res["pooled"] is None:
        msg = (
            QCoreApplication.translate("ConvolutionView", "Compiling kernels...")
            if res is None
            else QCoreApplication.translate(
                "ConvolutionView", "The pooling window is larger than the feature map."
            )
        )
        _empty(v.pool_panel, msg)
        v.pool_panel.caption.setText("")
        v.pool_formula.setText("")
        return
    pooled, pw = res["pooled"], tab._pool_walk
    rng = colormaps.symmetric_range(res["conv"])
    q, total = v.pool_stepper.position(), len(pw)
    current = pw[q - 1] if 0 < q < total else None
    if q < total:
        shown = tab._mask(pooled, q)
    else:  # live: a pooled cell appears once every cell of its window is computed
        ow, pos, k = walk.out_hw[1], v.stepper.position(), s.pool_size
        done = np.array([(w.top + k - 1) * ow + (w.left + k - 1) < pos for w in pw]).reshape(pooled.shape)
        shown = np.where(done, pooled, np.nan).astype(np.float32)
    v.pool_panel.view.set_placeholder("")
    v.pool_panel.set_data(shown, "diverging", rng, keep_view=True)
    relu_hl = [h for h in v.relu_panel.view.highlights() if h.color != CURRENT or h.rows == 1]
    if current is not None:
        v.pool_panel.view.set_highlights([Highlight(current.row, current.col, 1, 1, CURRENT)])
        relu_hl = [Highlight(current.top, current.left, s.pool_size, s.pool_size, CURRENT, 3.0, True)]
        values = ", ".join(format_value(float(x)) for x in current.patch.ravel() if np.isfinite(x))
        name = {"max": "max", "min": "min", "avg": QCoreApplication.translate("ConvolutionView", "mean")}[
            s.pool_mode
        ]
        v.pool_formula.setText(
            f"<span style='font-family: monospace;'>{name}({values}) = "
            f"<b>{format_value(current.value)}</b></span>"
        )
    else:
        v.pool_panel.view.set_highlights([])
        v.pool_formula.setText(QCoreApplication.translate("ConvolutionView", "Step the pooling window:"))
    v.relu_panel.view.set_highlights(relu_hl)
    v.pool_panel.caption.setText(
        QCoreApplication.translate("ConvolutionView", "<b>{0} × {1}</b> from {2} × {3}").format(
            pooled.shape[0], pooled.shape[1], res["relu"].shape[0], res["relu"].shape[1]
        )
    )
