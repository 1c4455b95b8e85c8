"""Drawing of the convolution lab's step page from its model (no maths: values come from the engine).

:func:`show_step` and :func:`show_pool` take the page to draw on and the :class:`~gui.models.convolution.
ConvolutionLab` to draw, read the convolution stepper's position from the page, and change nothing but the
page (the pooling stepper's position follows the pooled cells known in the live view).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication, QSignalBlocker
from PySide6.QtGui import QColor

from engine import sliding
from gui.models.convolution import ConvolutionLab, Mark, StepMarks, masked
from gui.widgets import colormaps
from gui.widgets.calc_panel import sign_colour
from gui.widgets.grid_view import Highlight, format_value
from gui.widgets.panel import MatrixPanel
from gui.widgets.step_page import StepPage

__all__ = ["CURRENT", "HOVER", "show_pool", "show_step"]

CURRENT = QColor(255, 140, 0)  # the window being computed
HOVER = QColor(0, 170, 90)  # the window under the mouse


def _highlight(mark: Mark) -> Highlight:
    color = HOVER if mark.role in ("hover", "seen") else CURRENT
    width = 1.5 if mark.tap else 2.0 if mark.role == "seen" else 3.0
    return Highlight(mark.top, mark.left, mark.rows, mark.cols, color, width, mark.fill, mark.role == "next")


def _empty(panel: MatrixPanel, message: str) -> None:
    panel.set_data(np.zeros((0, 0), np.float32), "diverging")
    panel.view.set_placeholder(message)
    panel.view.set_highlights([])


def _input_caption(shape: tuple[int, ...], padded: tuple[int, ...], pads: tuple[int, int, int, int]) -> str:
    rgb = len(shape) == 3
    h, w = shape[0], shape[1]
    if not any(pads):
        text = (
            QCoreApplication.translate("ConvolutionView", "{0} × {1} × 3 image (no padding)")
            if rgb
            else QCoreApplication.translate("ConvolutionView", "{0} × {1} image (no padding)")
        )
        return text.format(h, w)
    text = (
        QCoreApplication.translate(
            "ConvolutionView", "{0} × {1} × 3 image + padding = {2} × {3} × 3 (hatched: the zeros added)"
        )
        if rgb
        else QCoreApplication.translate(
            "ConvolutionView", "{0} × {1} image + padding = {2} × {3} (hatched: the zeros added)"
        )
    )
    return text.format(h, w, padded[0], padded[1])


def show_step(page: StepPage, lab: ConvolutionLab, pool_q: int | None = None) -> None:
    """Redraw the input, feature map, partial maps, calculation and ReLU panels for the stepper's position
    and the hover, then the pooled panel (:func:`show_pool`, with the pooling stepper at ``pool_q``, None for
    the live view)."""
    v, walk, p, res = page, lab.walk, lab.params, lab.result
    v.input_panel.title.setText(
        QCoreApplication.translate("ConvolutionView", "Input image (with its padding)")
    )
    v.fmap_panel.title.setText(
        QCoreApplication.translate("ConvolutionView", "Feature map (output of the convolution)")
    )
    v.relu_panel.title.setText(QCoreApplication.translate("ConvolutionView", "After ReLU: max(0, x)"))
    v.skip_zero.setText(QCoreApplication.translate("ConvolutionView", "Skip all-zero windows"))
    v.skip_zero.setToolTip(
        QCoreApplication.translate(
            "ConvolutionView",
            "Around a digit or in the padding many windows cover only zeros: their output is the bias alone. "
            "Tick to make Play and the step buttons pass over them.",
        )
    )
    rgb = p is not None and p.plane.ndim == 3
    v.set_rgb(rgb)
    v.calc.set_depth(3 if rgb else 1)
    if walk is None or p is None:
        msg = QCoreApplication.translate(
            "ConvolutionView",
            "The filter is larger than the padded image: choose a smaller filter or more padding.",
        )
        for panel in (v.input_panel, v.fmap_panel, v.relu_panel, v.pool_panel, *v.partial_panels):
            _empty(panel, msg)
            panel.caption.setText("")
        v.calc.show_window(None)
        v.pool_formula.setText("")
        return
    pos = v.stepper.position()
    oh, ow = walk.out_hw
    v.input_panel.view.set_placeholder("")
    if rgb:
        v.input_panel.set_data(walk.padded, "rgb", pads=walk.pads, keep_view=True)
    else:
        v.input_panel.set_data(walk.padded, "grey", colormaps.data_range(p.plane), walk.pads, keep_view=True)
    v.input_panel.caption.setText(_input_caption(p.plane.shape, walk.padded.shape, walk.pads))
    hint = QCoreApplication.translate(
        "ConvolutionView", "Wheel: zoom (values appear on large cells), drag: pan, double-click: fit."
    )
    for view in (v.input_panel.view, v.fmap_panel.view, v.relu_panel.view, v.pool_panel.view):
        view.setToolTip(hint)
    marks = lab.step_marks(pos)
    v.input_panel.view.set_highlights([_highlight(m) for m in marks.input])
    fmap = lab.feature_map(pos)
    full = res["conv"] if res is not None and res["conv"].shape == walk.out_hw else fmap
    partials = res.get("partials") if res is not None else None
    rng = colormaps.symmetric_range(np.concatenate([full.ravel(), *(m.ravel() for m in partials or [])]))
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
    if rgb:
        _show_partials(v, lab, pos, rng, marks)
    v.calc.show_window(marks.window, p.flip)
    if walk.dilation > 1:  # the window's cells under the taps only, as the input panel marks them
        v.calc.patch_label.setText(
            QCoreApplication.translate("ConvolutionView", "Taps on the input, {0} cells apart").format(
                walk.dilation
            )
        )
    if res is None:
        _empty(v.relu_panel, QCoreApplication.translate("ConvolutionView", "Compiling kernels..."))
        v.relu_panel.caption.setText("")
    else:
        v.relu_panel.view.set_placeholder("")
        v.relu_panel.set_data(masked(res["relu"], pos), "diverging", rng, keep_view=True)
        v.relu_panel.caption.setText(_relu_caption(res, marks))
        v.relu_panel.setToolTip(
            QCoreApplication.translate(
                "ConvolutionView",
                "ReLU nulls the negatives: blue cells become white (0), positive answers stay. "
                "Same colours as the feature map. Hover a cell: its window and value.",
            )
        )
    show_pool(page, lab, pool_q, marks)


def _show_partials(v: StepPage, lab: ConvolutionLab, pos: int, rng, marks: StepMarks) -> None:
    names = (
        QCoreApplication.translate("ConvolutionView", "Red"),
        QCoreApplication.translate("ConvolutionView", "Green"),
        QCoreApplication.translate("ConvolutionView", "Blue"),
    )
    maps = lab.partial_maps(pos)
    cells = [
        Highlight(m.top, m.left, m.rows, m.cols, CURRENT if m.role == "current" else HOVER)
        for m in marks.output
    ]
    titles = (
        QCoreApplication.translate("ConvolutionView", "Red share"),
        QCoreApplication.translate("ConvolutionView", "Green share"),
        QCoreApplication.translate("ConvolutionView", "Blue share"),
    )
    for c, panel in enumerate(v.partial_panels):
        panel.title.setText(titles[c])
        if not maps:
            _empty(panel, QCoreApplication.translate("ConvolutionView", "Compiling kernels..."))
            panel.caption.setText("")
            continue
        panel.view.set_placeholder("")
        panel.set_data(maps[c], "diverging", rng, keep_view=True)
        panel.view.set_highlights([h for h in cells if h.rows == 1])
        panel.caption.setText("")
        panel.setToolTip(
            QCoreApplication.translate(
                "ConvolutionView",
                "The {0} channel's share of each output cell: the convolution of that channel with its "
                "filter slice. Feature map = red + green + blue shares + bias.",
            ).format(names[c].lower())
        )


def _relu_caption(res: dict, marks: StepMarks) -> str:
    if marks.relu_cell is None:
        return QCoreApplication.translate("ConvolutionView", "Negatives become 0")
    r, c = marks.relu_cell
    z, y = float(res["conv"][r, c]), float(res["relu"][r, c])
    return QCoreApplication.translate("ConvolutionView", "Cell ({0}, {1}): max(0, {2}) = {3}").format(
        r,
        c,
        sliding.format_number(z),
        f"<b style='color: {sign_colour(y)};'>{sliding.format_number(y)}</b>",
    )


def _pool_label(mode: str) -> str:
    return {
        "max": QCoreApplication.translate("ConvolutionView", "Max pooling"),
        "min": QCoreApplication.translate("ConvolutionView", "Min pooling"),
        "avg": QCoreApplication.translate("ConvolutionView", "Average pooling"),
    }.get(mode, mode)


def _pool_formula(mode: str, window: sliding.PoolWindow) -> str:
    values = ", ".join(format_value(float(x)) for x in window.patch.ravel() if np.isfinite(x))
    name = {"max": "max", "min": "min", "avg": QCoreApplication.translate("ConvolutionView", "mean")}[mode]
    return (
        f"<span style='font-family: monospace;'>{name}({values}) = <b>{format_value(window.value)}</b></span>"
    )


def show_pool(
    page: StepPage, lab: ConvolutionLab, q: int | None = None, marks: StepMarks | None = None
) -> None:
    """Redraw the pooled panel: live (``q=None``: cells appear once their window is computed, the pooling
    stepper shows how many) or the pooling stepper's own step ``q``."""
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
    pos = v.stepper.position()
    marks = marks if marks is not None else lab.step_marks(pos)
    step = lab.pool_step(q, pos)
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
        with QSignalBlocker(v.pool_stepper):
            v.pool_stepper.set_total(0)
        return
    total = len(lab.pool_walk)
    if q is None or q >= total:
        with QSignalBlocker(v.pool_stepper):
            v.pool_stepper.set_total(total, step.known)
    rng = v.fmap_panel.view.value_range()
    v.pool_panel.view.set_placeholder("")
    v.pool_panel.set_data(step.shown, "diverging", rng, keep_view=True)
    relu_marks = [_highlight(m) for m in marks.relu]
    pool_marks = [_highlight(m) for m in marks.pooled]
    current = step.current
    if current is not None:
        pool_marks.append(Highlight(current.row, current.col, 1, 1, CURRENT))
        relu_marks.append(Highlight(current.top, current.left, p.pool_size, p.pool_size, CURRENT, 3.0, True))
    v.pool_panel.view.set_highlights(pool_marks)
    v.relu_panel.view.set_highlights(relu_marks)
    if marks.pool_window is not None:
        v.pool_formula.setText(_pool_formula(p.pool_mode, marks.pool_window))
    elif current is not None:
        v.pool_formula.setText(_pool_formula(p.pool_mode, current))
    else:
        v.pool_formula.setText(QCoreApplication.translate("ConvolutionView", "Step the pooling window:"))
    v.pool_panel.caption.setText(
        QCoreApplication.translate("ConvolutionView", "<b>{0} × {1}</b> from {2} × {3}").format(
            step.shown.shape[0], step.shown.shape[1], res["relu"].shape[0], res["relu"].shape[1]
        )
    )
    v.pool_panel.setToolTip(
        QCoreApplication.translate(
            "ConvolutionView", "Hover a pooled cell: its window on the ReLU map and its value."
        )
    )
