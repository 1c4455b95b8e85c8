"""The transposed convolution, stepped the way the lab steps a convolution, without Qt.

A convolution *gathers*: each output cell is the sum of a window of inputs times the kernel. Its transpose
*scatters*: each input cell ``x[i, j]`` adds ``x[i, j] * kernel`` onto a window of the output, the window
that starts at ``(i s, j s)`` on a canvas of ``(H - 1) s + K`` cells (``K`` the kernel's effective size
``d (K - 1) + 1``, its taps ``d`` apart). Where windows overlap, their contributions add. The padding of
the convolution this is the transpose of is cut off the canvas (``"same"`` keeps ``H s`` cells), and the
bias is added to every output cell: the result is :func:`engine.ops.conv2d_transpose` (the tests check it
at every cell).

:class:`TransposeWalk` gives, after ``p`` steps (input cells, row by row), the canvas with the first ``p``
scatters added (:meth:`TransposeWalk.canvas`), where step ``p`` lands (:meth:`TransposeWalk.step`), and
for any output cell the contributions that add into it (:meth:`TransposeWalk.contributions`), written as
the lesson writes a sum (:func:`format_contributions`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engine import shapes, sliding
from gui.models.marks import Mark

__all__ = [
    "Contribution",
    "Scatter",
    "TransposeMarks",
    "TransposeWalk",
    "format_contributions",
    "format_sources",
    "transpose_marks",
]


@dataclass(frozen=True)
class Scatter:
    """One step: input cell ``(row, col)`` of value ``value`` adds ``block = value * kernel`` ``(K, K)`` at
    canvas cells ``top + m d, left + n d`` (``top = row s``, ``left = col s``)."""

    row: int
    col: int
    value: float
    top: int
    left: int
    block: np.ndarray


@dataclass(frozen=True)
class Contribution:
    """One term of an output cell: input ``x[in_row, in_col]`` times kernel tap ``w[k_row, k_col]``."""

    in_row: int
    in_col: int
    x: float
    k_row: int
    k_col: int
    w: float

    @property
    def product(self) -> float:
        return self.x * self.w


class TransposeWalk:
    """The scatters of one transposed convolution of a plane ``(H, W)`` by a kernel ``(K, K)``.

    Parameters
    ----------
    plane : ``(H, W)`` float32.
    kernel : ``(KH, KW)``, applied as given (rotate it first for a flipped kernel).
    bias : added to every output cell.
    stride, dilation : ints >= 1.
    padding : what :func:`engine.ops.conv2d_transpose` takes (``"valid"``, ``"same"``, ``"full"``, an int).

    Raises ``ValueError`` naming the sizes when nothing of the canvas is left after the padding is cut off.

    Attributes
    ----------
    in_hw, kernel_hw (taps), span_hw (effective size), stride, dilation, pads ``(top, bottom, left, right)``
    cut off the canvas, out_hw, canvas_hw.
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
        s = shapes.normalize_pair(stride, "stride")[0]
        d = shapes.normalize_pair(dilation, "dilation")[0]
        self.plane, self.kernel, self.bias = x, k, float(bias)
        self.stride, self.dilation = s, d
        self.in_hw = (int(x.shape[0]), int(x.shape[1]))
        self.kernel_hw = (int(k.shape[0]), int(k.shape[1]))
        self.span_hw = shapes.effective_kernel(self.kernel_hw, (d, d))
        self.pads, out = shapes.resolve_transpose_padding(padding, self.in_hw, self.span_hw, (s, s))
        if out[0] < 1 or out[1] < 1:
            raise ValueError(
                f"the transposed convolution leaves no output: its full scatter is "
                f"{(self.in_hw[0] - 1) * s + self.span_hw[0]}x{(self.in_hw[1] - 1) * s + self.span_hw[1]} "
                f"and the padding cuts {self.pads} (top, bottom, left, right) off it. Use less padding."
            )
        self.out_hw = (int(out[0]), int(out[1]))
        t, _b, le, _r = self.pads
        self.canvas_hw = (
            max((self.in_hw[0] - 1) * s + self.span_hw[0], t + self.out_hw[0]),
            max((self.in_hw[1] - 1) * s + self.span_hw[1], le + self.out_hw[1]),
        )
        self._last: tuple[int, np.ndarray] = (0, np.zeros(self.canvas_hw, np.float64))
        self._full: np.ndarray | None = None

    # ------------------------------------------------------------------------------------------- steps
    @property
    def total(self) -> int:
        """One step per input cell."""
        return self.in_hw[0] * self.in_hw[1]

    def step(self, index: int) -> Scatter:
        """The scatter of input cell ``divmod(index, W)``."""
        if not 0 <= index < self.total:
            raise IndexError(f"step index must be in [0, {self.total}). Received: {index}")
        i, j = divmod(index, self.in_hw[1])
        v = float(self.plane[i, j])
        return Scatter(i, j, v, i * self.stride, j * self.stride, v * self.kernel)

    def canvas(self, count: int) -> np.ndarray:
        """``canvas_hw`` float32: the sum of the first ``count`` scatters (no bias, nothing cut off)."""
        count = min(max(int(count), 0), self.total)
        if count == self.total and self._full is not None:
            return self._full  # asked on every redraw (the colour scale), kept apart from the stepping
        done, acc = self._last if self._last[0] <= count else (0, np.zeros(self.canvas_hw, np.float64))
        acc = acc.copy()
        kh, kw = self.kernel_hw
        d = self.dilation
        for p in range(done, count):  # from the last canvas asked for (the stepper moves by one)
            sc = self.step(p)
            acc[sc.top : sc.top + d * (kh - 1) + 1 : d, sc.left : sc.left + d * (kw - 1) + 1 : d] += sc.block
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

    def canvas_cells(self, sc: Scatter) -> list[tuple[int, int]]:
        """The canvas cells the taps of ``sc`` land on, ``(row, col)`` per tap, row by row."""
        kh, kw = self.kernel_hw
        d = self.dilation
        return [(sc.top + m * d, sc.left + n * d) for m in range(kh) for n in range(kw)]

    def is_output(self, crow: int, ccol: int) -> bool:
        """Whether canvas cell ``(crow, ccol)`` is kept in the output (not cut off by the padding)."""
        t, le = self.pads[0], self.pads[2]
        return t <= crow < t + self.out_hw[0] and le <= ccol < le + self.out_hw[1]

    # ------------------------------------------------------------------------------------- one cell
    def contributions(self, crow: int, ccol: int, count: int | None = None) -> list[Contribution]:
        """The terms that add into canvas cell ``(crow, ccol)`` from the first ``count`` steps (all by
        default): every input cell ``(i, j)`` and tap ``(m, n)`` with ``i s + m d = crow`` and ``j s + n d =
        ccol``, in step order."""
        limit = self.total if count is None else min(max(int(count), 0), self.total)
        s, d = self.stride, self.dilation
        (kh, kw), (h, w) = self.kernel_hw, self.in_hw
        rows = [(i, m) for m in range(kh) for i in range(h) if i * s + m * d == crow]
        cols = [(j, n) for n in range(kw) for j in range(w) if j * s + n * d == ccol]
        terms = [
            Contribution(i, j, float(self.plane[i, j]), m, n, float(self.kernel[m, n]))
            for i, m in rows
            for j, n in cols
            if i * w + j < limit
        ]
        return sorted(terms, key=lambda c: (c.in_row, c.in_col))

    def cell_value(self, crow: int, ccol: int, count: int | None = None) -> float:
        """The canvas cell as the written sum gives it (bias included when the cell is an output cell)."""
        total = sum((c.product for c in self.contributions(crow, ccol, count)), 0.0)
        return total + (self.bias if self.is_output(crow, ccol) else 0.0)


def format_contributions(terms: list[Contribution], bias: float = 0.0, digits: int = 2) -> str:
    """The lesson's way of writing one output cell: ``1*-1 + 0.5*2 + bias = 0`` (``x*w`` per term; ``0``
    when no input reaches the cell)."""
    parts = [f"{sliding.format_number(c.x, digits)}*{sliding.format_number(c.w, digits)}" for c in terms]
    if bias:
        parts.append(sliding.format_number(bias, digits))
    total = sum((c.product for c in terms), 0.0) + bias
    return f"{' + '.join(parts) or '0'} = {sliding.format_number(total, digits)}"


def format_sources(terms: list[Contribution]) -> str:
    """Where each term comes from: ``x[0,1]·w[2,0] + x[1,1]·w[0,0]``."""
    return " + ".join(f"x[{c.in_row},{c.in_col}]·w[{c.k_row},{c.k_col}]" for c in terms)


@dataclass(frozen=True)
class TransposeMarks:
    """What to outline at one step of the transposed walk, and the written sum to show.

    ``input`` (the input plane) and ``output`` (the canvas, cut-off rim included): the marks of each panel.
    ``scatter``: the step just done (None before the first). ``cell``: the canvas cell whose sum is written
    out (hovered, else selected, else the first cell the current step lands on; None before the first step),
    ``terms`` its contributions known at this step, ``pending`` how many more the next steps add.
    """

    input: list[Mark] = field(default_factory=list)
    output: list[Mark] = field(default_factory=list)
    scatter: Scatter | None = None
    cell: tuple[int, int] | None = None
    terms: list[Contribution] = field(default_factory=list)
    pending: int = 0


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
        cell = (sc.top, sc.left)
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
    terms: list[Contribution] = []
    pending = 0
    if cell is not None:
        marks_out.append(Mark(cell[0], cell[1], 1, 1, "hover"))
        every = tw.contributions(*cell)
        terms = tw.contributions(*cell, pos)
        pending = len(every) - len(terms)
        marks_in += [Mark(t.in_row, t.in_col, 1, 1, "seen", True) for t in every]
    return TransposeMarks(marks_in, marks_out, sc, cell, terms, pending)


def _landing(tw: TransposeWalk, sc: Scatter, role: str) -> list[Mark]:
    sh, sw = tw.span_hw
    if tw.dilation == 1:
        return [Mark(sc.top, sc.left, sh, sw, role, True)]
    return [Mark(sc.top, sc.left, sh, sw, role)] + [
        Mark(r, c, 1, 1, role, True, True) for r, c in tw.canvas_cells(sc)
    ]
