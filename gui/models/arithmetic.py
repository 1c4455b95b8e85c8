"""The cases of the convolution arithmetic guide (Dumoulin & Visin, 2016), as data, without Qt.

Each :class:`ArithCase` is one figure of the guide: an input of ``N x N`` cells, a ``K x K`` kernel, a stride,
a padding, a dilation, or a transposed convolution. :func:`compute_case` gives what the lab's "Convolution
arithmetic" page draws for it: the input as the kernel sees it (padded), the output computed through
:mod:`engine.ops` (the reference tier: a few tiny arrays, no kernel to compile in the GUI thread), where the
first window reads, and the output-size formula with its numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine import ops, shapes

__all__ = ["CASES", "GUIDE_KERNEL", "ArithCase", "CaseResult", "case_input", "compute_case"]

#: the guide's running example kernel (its Figure 1.1)
GUIDE_KERNEL = np.array([[0, 1, 2], [2, 2, 0], [0, 1, 2]], np.float32)


@dataclass(frozen=True)
class ArithCase:
    """One case: ``key`` names it; ``n`` input cells a side, ``k`` kernel, ``stride``, ``padding`` (what
    :func:`engine.ops.conv2d` takes), ``dilation``; ``transposed``: the transpose of that convolution."""

    key: str
    n: int
    k: int
    stride: int = 1
    padding: str | int = "valid"
    dilation: int = 1
    transposed: bool = False


#: the guide's cases, in the order it teaches them (the sizes of its figures)
CASES: tuple[ArithCase, ...] = (
    ArithCase("no_padding", 4, 3),  # Figure 2.1: 4 -> 2
    ArithCase("padding", 5, 4, padding=2),  # Figure 2.2: 5, p = 2 -> 6
    ArithCase("half", 5, 3, padding="same"),  # Figure 2.3: half (same) padding keeps 5
    ArithCase("full", 5, 3, padding="full"),  # Figure 2.4: 5 -> 7
    ArithCase("stride", 5, 3, stride=2),  # Figure 2.6: 5 -> 2
    ArithCase("dilation", 7, 3, dilation=2),  # Figure 5.1: 7 -> 3
    ArithCase("transposed", 2, 3, stride=2, transposed=True),  # 2 -> (2 - 1) 2 + 3 = 5
)


@dataclass(frozen=True)
class CaseResult:
    """What the page draws for one case.

    ``shown_input`` ``(N + pads)`` the input as the kernel reads it (zeros where padded; the plain input for a
    transposed case), ``pads`` ``(top, bottom, left, right)``, ``output`` ``(O, O)``, ``formula`` (e.g.
    ``"N - K + 1"``), ``numbers`` (the formula with this case's numbers, ``"4 - 3 + 1 = 2"``), ``span`` the
    kernel's effective size, ``taps`` the input cells the first window reads (padded coordinates; for a
    transposed case, the output cells the first input cell lands on).
    """

    case: ArithCase
    shown_input: np.ndarray
    pads: tuple[int, int, int, int]
    output: np.ndarray
    formula: str
    numbers: str
    span: int
    taps: list[tuple[int, int]]


def case_input(case: ArithCase) -> np.ndarray:
    """The case's input ``(N, N)``: small integers, as the guide's figures write them (seeded by the size)."""
    values = np.arange(case.n * case.n, dtype=np.float32).reshape(case.n, case.n)
    return (values * 7 + 3) % 4  # 3, 2, 1, 0, 3, ... a pattern without a long run of one value


def _numbers(case: ArithCase, pads: tuple[int, int, int, int], out: int) -> str:
    """The case's formula with its numbers put in, ending in ``= out``."""
    n, k, s, d = case.n, case.k, case.stride, case.dilation
    if case.transposed:
        return f"{s}·({n} - 1) + {k} = {out}"
    if d > 1:
        return f"{n} - {d}·({k} - 1) = {out}"
    if case.padding == "same":
        return f"{n} = {out}"
    if case.padding == "full":
        return f"{n} + {k} - 1 = {out}"
    if s > 1:
        return f"floor(({n} - {k}) / {s}) + 1 = {out}"
    if pads[0]:
        return f"{n} + 2·{pads[0]} - {k} + 1 = {out}"
    return f"{n} - {k} + 1 = {out}"


def _formula(case: ArithCase) -> str:
    if case.transposed:
        return shapes.conv_transpose_output_formula(case.padding, case.stride, case.dilation, case.k)
    if isinstance(case.padding, int):
        return "N + 2P - K + 1"
    return shapes.conv_output_formula(case.padding, case.stride, case.dilation)


def compute_case(case: ArithCase, kernel: np.ndarray | None = None) -> CaseResult:
    """The drawing of ``case`` with ``kernel`` ``(K, K)`` (by default :data:`GUIDE_KERNEL`'s values, tiled to
    the case's size)."""
    k = np.resize(GUIDE_KERNEL, (case.k, case.k)) if kernel is None else np.asarray(kernel, np.float32)
    x = case_input(case)
    span = shapes.effective_kernel_size(case.k, case.dilation)
    if case.transposed:
        out = np.asarray(
            ops.conv2d_transpose(x, k, stride=case.stride, padding=case.padding, backend="reference")
        )
        taps = [(m * case.dilation, n * case.dilation) for m in range(case.k) for n in range(case.k)]
        return CaseResult(
            case, x, (0, 0, 0, 0), out, _formula(case), _numbers(case, (0,) * 4, out.shape[0]), span, taps
        )
    pads = shapes.resolve_padding(case.padding, x.shape, (span, span), (case.stride, case.stride))
    t, b, le, r = pads
    out = np.asarray(
        ops.conv2d(
            x, k, stride=case.stride, padding=case.padding, dilation=case.dilation, backend="reference"
        )
    )
    taps = [(m * case.dilation, n * case.dilation) for m in range(case.k) for n in range(case.k)]
    shown = np.pad(x, ((t, b), (le, r)))
    return CaseResult(case, shown, pads, out, _formula(case), _numbers(case, pads, out.shape[0]), span, taps)
