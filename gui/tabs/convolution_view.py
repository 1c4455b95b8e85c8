"""Drawing of the convolution lab's step page from its model (no maths: values come from the engine).

:func:`show_step` and :func:`show_pool` take the page to draw on and the :class:`~gui.models.convolution.
ConvolutionLab` to draw, read the steppers' positions from the page, and change nothing but the page.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from gui.models.convolution import ConvolutionLab, Mark, masked
from gui.widgets import colormaps
from gui.widgets.grid_view import Highlight, format_value
from gui.widgets.panel import MatrixPanel
from gui.widgets.step_page import StepPage

__all__ = ["CURRENT", "HOVER", "show_pool", "show_step"]

CURRENT = QColor(255, 140, 0)  # the window being computed
HOVER = QColor(0, 170, 90)  # the window under the mouse


def _highlight(mark: Mark) -> Highlight:
    color = CURRENT if mark.role == "current" else HOVER
    return Highlight(
        mark.top, mark.left, mark.rows, mark.cols, color, 2.0 if mark.role == "seen" else 3.0, mark.fill
    )


def _empty(panel: MatrixPanel, message: str) -> None:
    panel.set_data(np.zeros((0, 0), np.float32), "diverging")
    panel.view.set_placeholder(message)
    panel.view.set_highlights([])


def show_step(page: StepPage, lab: ConvolutionLab) -> None:
    """Redraw the input, feature map, calculation and ReLU panels for the stepper's position and the hover,
    then the pooled panel (:func:`show_pool`)."""
    v, walk, p, res = page, lab.walk, lab.params, lab.result
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
            panel.caption.setText("")
        v.calc.show_window(None)
        v.pool_formula.setText("")
        return
    pos = v.stepper.position()
    oh, ow = walk.out_hw
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
    marks = lab.step_marks(pos)
    v.input_panel.view.set_highlights([_highlight(m) for m in marks.input])
    fmap = lab.feature_map(pos)
    full = res["conv"] if res is not None and res["conv"].shape == walk.out_hw else fmap
    rng = colormaps.symmetric_range(full)
    v.fmap_panel.view.set_placeholder("")
    v.fmap_panel.set_data(fmap, "diverging", rng, keep_view=True)
    v.fmap_panel.view.set_highlights([_highlight(m) for m in marks.output])
    v.fmap_panel.caption.setText(
        QCoreApplication.translate(
            "ConvolutionView",
            "<b>{0} × {1}</b>, {2} of {3} cells computed. Blue &lt; 0 &lt; red. "
            "Hover a cell: its window; click: go there.",
        ).format(oh, ow, pos, oh * ow)
    )
    v.calc.show_window(marks.window, p.flip)
    if res is None:
        _empty(v.relu_panel, QCoreApplication.translate("ConvolutionView", "Compiling kernels..."))
        v.relu_panel.caption.setText("")
    else:
        v.relu_panel.view.set_placeholder("")
        v.relu_panel.set_data(masked(res["relu"], pos), "diverging", rng, keep_view=True)
        v.relu_panel.caption.setText(QCoreApplication.translate("ConvolutionView", "Negatives become 0"))
        v.relu_panel.setToolTip(
            QCoreApplication.translate(
                "ConvolutionView",
                "ReLU nulls the negatives: blue cells become white (0), positive answers stay. "
                "Same colours as the feature map.",
            )
        )
    show_pool(page, lab)


def _pool_label(mode: str) -> str:
    return {
        "max": QCoreApplication.translate("ConvolutionView", "Max pooling"),
        "min": QCoreApplication.translate("ConvolutionView", "Min pooling"),
        "avg": QCoreApplication.translate("ConvolutionView", "Average pooling"),
    }.get(mode, mode)


def show_pool(page: StepPage, lab: ConvolutionLab) -> None:
    """Redraw the pooled panel: live (cells appear once their window is computed) or its own pooling step."""
    v, res, p = page, lab.result, lab.params
    if p is not None:
        v.pool_panel.title.setText(
            QCoreApplication.translate("ConvolutionView", "{0} {1} × {1}, stride {2}").format(
                _pool_label(p.pool_mode), p.pool_size, p.pool_stride
            )
        )
    v.pool_stepper.setEnabled(bool(lab.pool_walk))
    if lab.walk is None or p is None:
        return
    step = lab.pool_step(v.pool_stepper.position(), v.stepper.position())
    if res is None or step is None:
        _empty(
            v.pool_panel,
            QCoreApplication.translate("ConvolutionView", "Compiling kernels...")
            if res is None
            else QCoreApplication.translate(
                "ConvolutionView", "The pooling window is larger than the feature map."
            ),
        )
        v.pool_panel.caption.setText("")
        v.pool_formula.setText("")
        return
    rng = colormaps.symmetric_range(res["conv"])
    v.pool_panel.view.set_placeholder("")
    v.pool_panel.set_data(step.shown, "diverging", rng, keep_view=True)
    current = step.current
    if current is not None:
        v.pool_panel.view.set_highlights([Highlight(current.row, current.col, 1, 1, CURRENT)])
        v.relu_panel.view.set_highlights(
            [Highlight(current.top, current.left, p.pool_size, p.pool_size, CURRENT, 3.0, True)]
        )
        values = ", ".join(format_value(float(x)) for x in current.patch.ravel() if np.isfinite(x))
        name = {"max": "max", "min": "min", "avg": QCoreApplication.translate("ConvolutionView", "mean")}[
            p.pool_mode
        ]
        v.pool_formula.setText(
            f"<span style='font-family: monospace;'>{name}({values}) = "
            f"<b>{format_value(current.value)}</b></span>"
        )
    else:
        v.pool_panel.view.set_highlights([])
        v.relu_panel.view.set_highlights([])
        v.pool_formula.setText(QCoreApplication.translate("ConvolutionView", "Step the pooling window:"))
    v.pool_panel.caption.setText(
        QCoreApplication.translate("ConvolutionView", "<b>{0} × {1}</b> from {2} × {3}").format(
            step.shown.shape[0], step.shown.shape[1], res["relu"].shape[0], res["relu"].shape[1]
        )
    )
