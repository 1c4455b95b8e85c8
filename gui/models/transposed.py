"""The lab's transposed mode, without Qt: the stepper over :func:`engine.sliding.scatters` and what it marks.

A convolution *gathers*: each output cell is the sum of a window of inputs times the kernel. Its transpose
*scatters*: each input cell adds ``x * kernel`` onto a window of the output. The arithmetic (where each
stamp lands, the terms and sum of one cell, the sizes, the padding) is :mod:`engine.sliding`'s
(:func:`~engine.sliding.scatters`, :func:`~engine.sliding.transposed_cell`,
:class:`~engine.sliding.TransposedGeometry`); this module keeps the stepper's state and draws it on a
*canvas*: the full scatter with the rim the padding cuts off, its cell ``(0, 0)`` being output cell
``(-pad_top, -pad_left)``, so that every coordinate the lab shows is ``>= 0``.

:class:`TransposeWalk` gives, after ``p`` steps (input cells, row by row), the canvas with the first ``p``
stamps added (:meth:`TransposeWalk.canvas`), the scatter of step ``p`` (:meth:`TransposeWalk.step`), and
for any canvas cell its :class:`~engine.sliding.TransposedCell` (:meth:`TransposeWalk.cell`);
:func:`transpose_marks` says what the views outline.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from engine import sliding
from gui.models.marks import Mark

__all__ = ["TransposeMarks", "TransposeWalk", "transpose_marks"]


class TransposeWalk:
    """The scatters of one transposed convolution of a plane ``(H, W)`` by a kernel ``(K, K)``, stepped.

    Parameters
    ----------
    plane : ``(H, W)`` float32.
    kernel : ``(KH, KW)``, applied as given (rotate it first for a flipped kernel).
    bias : added to every output cell.
    stride, dilation : ints >= 1.
    padding : what :func:`engine.ops.conv2d_transpose` takes (``"valid"``, ``"same"``, ``"full"``, an int).

    Raises ``ValueError`` (from :mod:`engine.sliding`) naming the sizes when nothing of the scatter is left
    after the padding is cut off.

    Attributes
    ----------
    geometry : the engine's :class:`~engine.sliding.TransposedGeometry`; in_hw, kernel_hw (taps), span_hw,
    pads ``(top, bottom, left, right)``, out_hw, canvas_hw are its; stride, dilation the ints.
    """

    def __init__(
        self,
        plane: np.ndarray,
        kernel: np.ndarray,
        bias: float = 0.0,
        *,
        stride: int = 1,
        padding: str | int = "valid",
        dilation: int = 1,
    ) -> None:
        x = np.asarray(plane, np.float32)
        k = np.asarray(kernel, np.float32)
        if x.ndim != 2 or k.ndim != 2:
            raise ValueError(
                f"the transposed walk takes a plane (H, W) and a kernel (K, K). "
                f"Received shapes: {x.shape} and {k.shape}"
            )
        self.plane, self.kernel, self.bias = x, k, float(bias)
        self._spec = {"stride": stride, "padding": padding, "dilation": dilation}
        g = sliding.transposed_geometry(x.shape, k.shape, stride=stride, padding=padding, dilation=dilation)
        self.geometry = g
        self.stride, self.dilation = g.stride[0], g.dilation[0]
        self.in_hw, self.kernel_hw, self.span_hw = g.in_hw, g.kernel_hw, g.span_hw
        self.pads, self.out_hw, self.canvas_hw = g.pads, g.out_hw, g.canvas_hw
        self._scatters: Iterator[sliding.Scatter] = sliding.scatters(
            x, k, stride=stride, padding=padding, dilation=dilation
        )
        self._done: list[sliding.Scatter] = []
        self._last: tuple[int, np.ndarray] = (0, np.zeros(self.canvas_hw, np.float64))
        self._full: np.ndarray | None = None

    # ------------------------------------------------------------------------------------------- steps
    @property
    def total(self) -> int:
        """One step per input cell."""
        return self.in_hw[0] * self.in_hw[1]

    def step(self, index: int) -> sliding.Scatter:
        """The scatter of input cell ``divmod(index, W)`` (the engine's, in output coordinates: see
        :meth:`origin` for the canvas')."""
        if not 0 <= index < self.total:
            raise IndexError(f"step index must be in [0, {self.total}). Received: {index}")
        while len(self._done) <= index:  # produced on demand and kept
            self._done.append(next(self._scatters))
        return self._done[index]

    def origin(self, sc: sliding.Scatter) -> tuple[int, int]:
        """The canvas cell of the top-left tap of ``sc``."""
        return sc.top + self.pads[0], sc.left + self.pads[2]

    def canvas(self, count: int) -> np.ndarray:
        """``canvas_hw`` float32: the sum of the first ``count`` stamps (no bias, nothing cut off)."""
        count = min(max(int(count), 0), self.total)
        if count == self.total and self._full is not None:
            return self._full  # asked on every redraw (the colour scale), kept apart from the stepping
        done, acc = self._last if self._last[0] <= count else (0, np.zeros(self.canvas_hw, np.float64))
        acc = acc.copy()
        at = (-self.pads[0], -self.pads[2])
        for p in range(done, count):  # from the last canvas asked for (the stepper moves by one)
            sc = self.step(p)
            acc[sc.footprint(at)] += sc.stamp
        out = acc.astype(np.float32)
        if count == self.total:
            self._full = out
            out.setflags(write=False)
        else:
            self._last = (count, acc)
        return out

    def output(self, count: int | None = None) -> np.ndarray:
        """``out_hw`` float32: the canvas after ``count`` steps (all by default) with the padding cut off,
        plus the bias: after every step, :func:`engine.ops.conv2d_transpose`."""
        c = self.canvas(self.total if count is None else count)
        t, le = self.pads[0], self.pads[2]
        return c[t : t + self.out_hw[0], le : le + self.out_hw[1]] + np.float32(self.bias)

    def canvas_cells(self, sc: sliding.Scatter) -> list[tuple[int, int]]:
        """The canvas cells the taps of ``sc`` land on, ``(row, col)`` per tap, row by row."""
        t, le = self.pads[0], self.pads[2]
        return [(r + t, c + le) for r, c in sc.output_cells()]

    def is_output(self, crow: int, ccol: int) -> bool:
        """Whether canvas cell ``(crow, ccol)`` is kept in the output (not cut off by the padding)."""
        return self.geometry.kept(crow - self.pads[0], ccol - self.pads[2])

    # ------------------------------------------------------------------------------------- one cell
    def cell(self, crow: int, ccol: int, count: int | None = None) -> sliding.TransposedCell:
        """Canvas cell ``(crow, ccol)`` as the first ``count`` steps (all by default) make it: the engine's
        :func:`~engine.sliding.transposed_cell` (its ``row, col`` in output coordinates; the bias only on an
        output cell)."""
        return sliding.transposed_cell(
            self.plane,
            self.kernel,
            crow - self.pads[0],
            ccol - self.pads[2],
            bias=self.bias,
            steps=count,
            cut_off=True,
            **self._spec,
        )


@dataclass(frozen=True)
class TransposeMarks:
    """What to outline at one step of the transposed walk, and the written sum to show.

    ``input`` (the input plane) and ``output`` (the canvas, cut-off rim included): the marks of each panel.
    ``scatter``: the step just done (None before the first). ``cell``: the canvas cell whose sum is written
    out (hovered, else selected, else the first cell the current step lands on; None before the first step),
    ``sum`` that cell as known at this step (None when there is no cell), ``pending`` how many more terms
    the next steps add.
    """

    input: list[Mark] = field(default_factory=list)
    output: list[Mark] = field(default_factory=list)
    scatter: sliding.Scatter | None = None
    cell: tuple[int, int] | None = None
    sum: sliding.TransposedCell | None = None
    pending: int = 0

    @property
    def terms(self) -> list[sliding.TransposedTerm]:
        """The terms of :attr:`sum` known at this step."""
        return [] if self.sum is None else self.sum.terms


def transpose_marks(
    tw: TransposeWalk,
    pos: int,
    hover: tuple[str, int, int] | None = None,
    selected: tuple[int, int] | None = None,
) -> TransposeMarks:
    """Transposed mode after ``pos`` steps: the input cell just scattered and where its ``x * kernel``
    landed, the hovered cell's links (an input cell: where it lands; a canvas cell: the input cells that
    add into it), and the written sum of one canvas cell."""
    marks_in: list[Mark] = []
    marks_out: list[Mark] = []
    sc = tw.step(pos - 1) if pos > 0 else None
    (sh, sw), cell = tw.span_hw, None
    if sc is not None:
        marks_in.append(Mark(sc.row, sc.col, 1, 1, "current", True))
        marks_out += _landing(tw, sc, "current")
        cell = tw.origin(sc)
    elif tw.total:
        marks_out.append(Mark(0, 0, sh, sw, "next"))
    place, r, c = hover if hover is not None else ("", -1, -1)
    ch, cw = tw.canvas_hw
    if place == "input" and 0 <= r < tw.in_hw[0] and 0 <= c < tw.in_hw[1]:
        marks_in.append(Mark(r, c, 1, 1, "hover", True))
        marks_out += _landing(tw, tw.step(r * tw.in_hw[1] + c), "hover")
    elif place == "output" and 0 <= r < ch and 0 <= c < cw:
        cell = (r, c)
    elif selected is not None and 0 <= selected[0] < ch and 0 <= selected[1] < cw:
        cell = selected
    known, pending = None, 0
    if cell is not None:
        marks_out.append(Mark(cell[0], cell[1], 1, 1, "hover"))
        every = tw.cell(*cell).terms
        known = tw.cell(*cell, pos)
        pending = len(every) - len(known.terms)
        marks_in += [Mark(t.in_row, t.in_col, 1, 1, "seen", True) for t in every]
    return TransposeMarks(marks_in, marks_out, sc, cell, known, pending)


def _landing(tw: TransposeWalk, sc: sliding.Scatter, role: str) -> list[Mark]:
    (sh, sw), (top, left) = tw.span_hw, tw.origin(sc)
    if tw.dilation == 1:
        return [Mark(top, left, sh, sw, role, True)]
    return [Mark(top, left, sh, sw, role)] + [
        Mark(r, c, 1, 1, role, True, True) for r, c in tw.canvas_cells(sc)
    ]
