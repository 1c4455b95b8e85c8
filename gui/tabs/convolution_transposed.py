"""Drawing of the lab's transposed mode from its model (:class:`~gui.models.convolution.ConvolutionLab` with
``params.transposed``): the input with the cell just scattered, the output canvas growing, and the
calculation. No maths here: the numbers come from :mod:`gui.models.transposed` (checked against
:func:`engine.ops.conv2d_transpose`).
"""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import QCoreApplication

from engine import sliding
from gui.models.convolution import ConvolutionLab, Mark
from gui.models.transposed import format_contributions, format_sources
from gui.tabs.convolution_view import CURRENT, HOVER
from gui.widgets import colormaps
from gui.widgets.calc_panel import MONO, sign_colour
from gui.widgets.grid_view import Highlight
from gui.widgets.transpose_page import TransposePage

__all__ = ["show_transposed"]


def _highlight(mark: Mark) -> Highlight:
    color = HOVER if mark.role in ("hover", "seen") else CURRENT
    width = 1.5 if mark.tap or mark.role == "seen" else 3.0
    return Highlight(mark.top, mark.left, mark.rows, mark.cols, color, width, mark.fill, mark.role == "next")


def _value_html(value: float) -> str:
    return (
        f"<span style='{MONO} font-weight: bold; color: {sign_colour(value)};'>"
        f"{html.escape(sliding.format_number(value))}</span>"
    )


def show_transposed(page: TransposePage, lab: ConvolutionLab) -> None:
    """Redraw ``page`` for its stepper's position and the lab's hover / selected cell."""
    tw, p = lab.twalk, lab.params
    page.input_panel.title.setText(
        QCoreApplication.translate("TransposedView", "Input (each cell scatters onto the output)")
    )
    page.output_panel.title.setText(
        QCoreApplication.translate("TransposedView", "Output of the transposed convolution")
    )
    calc = page.calc
    calc.value_label.setText(QCoreApplication.translate("TransposedView", "Input cell"))
    calc.kernel_label.setText(
        QCoreApplication.translate("TransposedView", "Filter (rotated 180°)")
        if p is not None and p.flip
        else QCoreApplication.translate("TransposedView", "Filter")
    )
    calc.block_label.setText(QCoreApplication.translate("TransposedView", "Added onto the output"))
    if tw is None or p is None:
        for panel in (page.input_panel, page.output_panel):
            panel.set_data(np.zeros((0, 0), np.float32), "diverging")
            panel.view.set_placeholder(lab.walk_error or "")
            panel.view.set_highlights([])
            panel.caption.setText("")
        calc.title.setText(
            QCoreApplication.translate("TransposedView", "Nothing to scatter: {0}").format(
                html.escape(lab.walk_error or "")
            )
        )
        for text in (calc.cell_title, calc.sources, calc.formula):
            text.setText("")
        return
    pos = page.stepper.position()
    marks = lab.transpose_marks(pos)
    page.input_panel.view.set_placeholder("")
    page.input_panel.set_data(tw.plane, "grey", colormaps.data_range(tw.plane), keep_view=True)
    page.input_panel.view.set_highlights([_highlight(m) for m in marks.input])
    page.input_panel.caption.setText(
        QCoreApplication.translate(
            "TransposedView", "<b>{0} × {1}</b>, {2} of {3} cells scattered. Hover a cell: where it lands."
        ).format(tw.in_hw[0], tw.in_hw[1], pos, tw.total)
    )
    t, le = tw.pads[0], tw.pads[2]
    ch, cw = tw.canvas_hw
    shown = tw.canvas(pos)
    final = tw.canvas(tw.total)
    inside = np.zeros(tw.canvas_hw, bool)
    inside[t : t + tw.out_hw[0], le : le + tw.out_hw[1]] = True
    shown = np.where(inside, shown + np.float32(tw.bias), shown).astype(np.float32)
    rng = colormaps.symmetric_range(np.where(inside, final + np.float32(tw.bias), final))
    cut = (t, ch - t - tw.out_hw[0], le, cw - le - tw.out_hw[1])
    page.output_panel.view.set_placeholder("")
    page.output_panel.set_data(shown, "diverging", rng, cut, keep_view=True)
    page.output_panel.view.set_highlights([_highlight(m) for m in marks.output])
    caption = QCoreApplication.translate(
        "TransposedView", "<b>{0} × {1}</b> = {2}. Blue &lt; 0 &lt; red. Hover or click a cell: its sum."
    ).format(tw.out_hw[0], tw.out_hw[1], size.formula if (size := lab.output_size()) is not None else "")
    if any(cut):
        caption += " " + QCoreApplication.translate(
            "TransposedView", "Hatched: the {0} × {1} scatter's cells the padding cuts off."
        ).format(ch, cw)
    page.output_panel.caption.setText(caption)
    _show_calc(page, lab, marks)


def _show_calc(page: TransposePage, lab: ConvolutionLab, marks) -> None:
    tw = lab.twalk
    assert tw is not None
    calc = page.calc
    sc = marks.scatter
    krange = colormaps.symmetric_range(tw.kernel)
    calc.kernel_view.set_data(tw.kernel, "diverging", krange)
    if sc is None:
        calc.value_view.set_data(np.full((1, 1), np.nan, np.float32))
        calc.block_view.set_data(np.full(tw.kernel_hw, np.nan, np.float32))
        calc.title.setText(
            QCoreApplication.translate(
                "TransposedView",
                "Press <b>Step forward</b> (Right arrow) or <b>Play</b> (Space): each input cell in turn "
                "adds x × filter onto the output.",
            )
        )
    else:
        calc.value_view.set_data(np.array([[sc.value]], np.float32), "grey", colormaps.data_range(tw.plane))
        calc.block_view.set_data(sc.block, "diverging", colormaps.symmetric_range(sc.block))
        calc.title.setText(
            QCoreApplication.translate(
                "TransposedView",
                "Step {0}: input cell ({1}, {2}) = {3} adds {3} × filter at ({4}, {5}) of the scatter",
            ).format(
                sc.row * tw.in_hw[1] + sc.col + 1,
                sc.row,
                sc.col,
                _value_html(sc.value),
                sc.top,
                sc.left,
            )
        )
    if marks.cell is None:
        calc.cell_title.setText("")
        calc.sources.setText("")
        calc.formula.setText(
            QCoreApplication.translate(
                "TransposedView", "Hover or click an output cell to see what adds into it."
            )
        )
        return
    crow, ccol = marks.cell
    t, le = tw.pads[0], tw.pads[2]
    kept = tw.is_output(crow, ccol)
    if kept:
        head = QCoreApplication.translate(
            "TransposedView", "Output cell ({0}, {1}) = the sum of what lands on it"
        ).format(crow - t, ccol - le)
    else:
        head = QCoreApplication.translate(
            "TransposedView", "Scatter cell ({0}, {1}), cut off by the padding"
        ).format(crow, ccol)
    calc.cell_title.setText(head)
    terms = marks.terms
    bias = tw.bias if kept else 0.0
    calc.sources.setText(
        f"<span style='{MONO}'>{html.escape(format_sources(terms))}" + (" + b" if bias else "") + "</span>"
        if terms
        else QCoreApplication.translate("TransposedView", "Nothing has landed on this cell yet.")
    )
    written = html.escape(format_contributions(terms, bias))
    left, _, _right = written.rpartition(" = ")
    value = sum((c.product for c in terms), 0.0) + bias
    text = f"<span style='{MONO}'>{left} = </span>{_value_html(value)}"
    if marks.pending:
        text += " " + QCoreApplication.translate(
            "TransposedView", "(so far: {0} more to come from the next steps)"
        ).format(marks.pending)
    calc.formula.setText(text)
