"""The sliding-window walk: every step of a convolution, as the lesson draws it and the GUI animates it.

For each output position, in row-major order, :func:`windows` yields a :class:`Window` holding the input
patch under the filter, the element-wise products, and their sum (plus the bias). The sum is exactly the
output cell of :func:`engine.ops.conv2d` at that position (the tests check it). With ``dilation=d`` the
filter's taps are ``d`` cells apart: the patch holds the cells they read (:meth:`Window.tap_cells`).

The transposed convolution walks the other way (:func:`scatters`): each *input* cell stamps ``x * kernel``
onto a window of the output, and :func:`transposed_cell` writes one output cell as the sum of what reaches
it (:func:`format_transposed_sum`); together they make :func:`engine.ops.conv2d_transpose`.

Example (the lesson's worked example)::

    >>> import numpy as np
    >>> from engine.sliding import windows
    >>> image = np.array([[0, 0, 0], [1, 1, 1], [0, 0, 0]])
    >>> kernel = np.array([[-1, -1, -1], [2, 2, 2], [-1, -1, -1]])
    >>> [w.sum for w in windows(image, kernel)]
    [6.0]

The backward twin, :class:`BackwardWalk`, steps the same windows for the gradients of one convolution
``Z = X * W + b`` (cross-correlation, stride ``s``, ``Xp`` the padded input) given ``dZ = dL/dZ``:

* ``dW[m, n, c, k] = sum over output positions (i, j) of dZ[i, j, k] * Xp[i*s + m, j*s + n, c]``: each
  position adds its input window, weighted by its gradient;
* ``dXp[i*s + m, j*s + n, c] += dZ[i, j, k] * W[m, n, c, k]``: each position sends the filter, weighted, back
  onto its window (``dX`` is ``dXp`` without the padding);
* ``db[k] = sum of dZ[..., k]``.

:func:`conv_gradients` gives the finished sums (what the engine's backward pass must equal; the tests check it
against ``model.gradients``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from engine import shapes
from engine.backends.contract import POOL_MODES

__all__ = [
    "BackwardWalk",
    "PoolWindow",
    "Scatter",
    "TransposedCell",
    "Window",
    "conv_gradients",
    "format_channel_sum",
    "format_number",
    "format_sum",
    "format_total",
    "format_transposed_sum",
    "output_shape",
    "padded_input",
    "pool_windows",
    "scatters",
    "transposed_cell",
    "transposed_output_shape",
    "windows",
]


@dataclass(frozen=True)
class Window:
    """One step of the walk.

    Attributes
    ----------
    row, col : output position.
    top, left : position of the window's top-left cell in the *padded* input.
    patch : ``(KH, KW)`` or ``(KH, KW, C)`` input values under the filter (padding cells are 0).
    kernel : the filter as applied (already rotated 180 degrees when ``flip=True``), same shape as ``patch``.
    products : ``patch * kernel``.
    sum : ``products.sum() + bias`` as a Python float: the output cell.
    bias : the bias added.
    """

    row: int
    col: int
    top: int
    left: int
    patch: np.ndarray
    kernel: np.ndarray
    products: np.ndarray
    sum: float
    bias: float
    #: the kernel's taps are this many cells apart ``(dh, dw)``: ``patch`` holds the cells they read
    dilation: tuple[int, int] = (1, 1)

    def span(self) -> tuple[int, int]:
        """The cells the window covers on the input, ``d (K - 1) + 1`` along each axis (``(KH, KW)`` without
        dilation)."""
        return shapes.effective_kernel((self.patch.shape[0], self.patch.shape[1]), self.dilation)

    def input_cells(self, pads: shapes.Pads) -> tuple[int, int, int, int]:
        """Rows/cols the window spans in *unpadded* input coordinates: ``(r0, r1, c0, c1)``, half-open, may be
        negative or past the edge where the window covers padding (with a dilation the taps read every
        ``d``-th of them: :meth:`tap_cells`)."""
        sh, sw = self.span()
        return self.top - pads[0], self.top - pads[0] + sh, self.left - pads[2], self.left - pads[2] + sw

    def tap_cells(self, pads: shapes.Pads) -> list[tuple[int, int]]:
        """The unpadded input cell ``(row, col)`` each tap reads, in the kernel's row-major order (``patch``'s
        order); a cell in the padding is outside ``[0, H) x [0, W)``."""
        r0, c0 = self.top - pads[0], self.left - pads[2]
        dh, dw = self.dilation
        return [
            (r0 + m * dh, c0 + n * dw) for m in range(self.patch.shape[0]) for n in range(self.patch.shape[1])
        ]

    def channel_sums(self) -> np.ndarray:
        """``(C,)`` float64: the sum of the products of each channel, bias excluded (``(1,)`` for a 2-D
        window). ``channel_sums().sum() + bias`` is :attr:`sum`."""
        prods = self.products if self.products.ndim == 3 else self.products[:, :, None]  # (KH, KW, C)
        return prods.sum(axis=(0, 1), dtype=np.float64)


def _prepare(image, kernel):
    img = np.asarray(image, dtype=np.float32)
    ker = np.asarray(kernel, dtype=np.float32)
    if img.ndim not in (2, 3):
        raise ValueError(f"image must have shape (H, W) or (H, W, C). Received shape: {img.shape}")
    if img.ndim == 3 and ker.ndim == 2:
        ker = np.repeat(ker[:, :, None], img.shape[2], axis=2)  # the same filter on every channel
    if ker.ndim == 4:
        if ker.shape[3] != 1:
            raise ValueError(
                f"kernel must hold one filter (C_out = 1) to step through. Received shape: {ker.shape}"
            )
        ker = ker[:, :, :, 0]
        if img.ndim == 2:
            if ker.shape[2] != 1:
                raise ValueError(f"kernel has {ker.shape[2]} input channels but the image has 1")
            ker = ker[:, :, 0]
    if img.ndim == 2 and ker.ndim != 2:
        raise ValueError(f"a 2-D image needs a (KH, KW) kernel. Received kernel shape: {ker.shape}")
    if img.ndim == 3 and (ker.ndim != 3 or ker.shape[2] != img.shape[2]):
        raise ValueError(
            f"channel mismatch: image has {img.shape[2]} channels, kernel shape is {ker.shape} "
            "(expected (KH, KW) or (KH, KW, C))"
        )
    if ker.shape[0] < 1 or ker.shape[1] < 1:
        raise ValueError(f"kernel must not be empty. Received shape: {ker.shape}")
    return img, ker


def _geometry(img, ker, stride, padding, dilation=1):
    s = shapes.normalize_pair(stride, "stride")
    d = shapes.normalize_pair(dilation, "dilation")
    k_hw = shapes.effective_kernel((ker.shape[0], ker.shape[1]), d)
    pads = shapes.resolve_padding(padding, (img.shape[0], img.shape[1]), k_hw, s)
    oh, ow = shapes.output_hw((img.shape[0], img.shape[1]), k_hw, s, pads)
    if oh < 1 or ow < 1:
        t, b, le, r = pads
        what = (
            f"{k_hw[0]}x{k_hw[1]}"
            if d == (1, 1)
            else f"{ker.shape[0]}x{ker.shape[1]} dilated by {d} spans {k_hw[0]}x{k_hw[1]} and"
        )
        raise ValueError(
            f"the kernel {what} is larger than the padded input "
            f"{img.shape[0] + t + b}x{img.shape[1] + le + r}. Use a smaller kernel"
            + (", a smaller dilation" if d != (1, 1) else "")
            + " or more padding."
        )
    return s, pads, (oh, ow), d


def padded_input(
    image, kernel_size, *, stride=1, padding="valid", dilation=1
) -> tuple[np.ndarray, shapes.Pads]:
    """The input as the filter sees it, zero-padded, and the pads ``(top, bottom, left, right)`` used (a
    dilated kernel pads for the span of its taps, ``d (K - 1) + 1``)."""
    img = np.asarray(image, dtype=np.float32)
    k = shapes.normalize_pair(kernel_size, "kernel_size")
    s = shapes.normalize_pair(stride, "stride")
    k = shapes.effective_kernel(k, shapes.normalize_pair(dilation, "dilation"))
    pads = shapes.resolve_padding(padding, (img.shape[0], img.shape[1]), k, s)
    t, b, le, r = pads
    widths = ((t, b), (le, r)) + (((0, 0),) if img.ndim == 3 else ())
    return np.pad(img, widths), pads


def output_shape(image_shape, kernel_shape, *, stride=1, padding="valid", dilation=1) -> tuple[int, int]:
    """Output ``(H, W)`` of the walk (raises if the kernel does not fit)."""
    img = np.empty(tuple(image_shape)[:2], np.float32)
    ker = np.empty(tuple(kernel_shape)[:2], np.float32)
    return _geometry(img, ker, stride, padding, dilation)[2]


def windows(
    image, kernel, *, stride=1, padding="valid", flip: bool = False, bias: float = 0.0, dilation=1
) -> Iterator[Window]:
    """Yield one :class:`Window` per output position, row by row.

    Parameters
    ----------
    image : ``(H, W)`` or ``(H, W, C)``.
    kernel : ``(KH, KW)`` (applied to every channel of a colour image), ``(KH, KW, C)``, or ``(KH, KW, C,
        1)``.
    stride, padding : as :func:`engine.ops.conv2d`.
    flip : rotate the kernel 180 degrees first (true convolution).
    bias : added to every sum.
    dilation : int or ``(dh, dw)``: the taps are ``d`` cells apart; each window's ``patch`` holds the cells
        they read (:meth:`Window.tap_cells` says where), as :func:`engine.ops.conv2d` with ``dilation``.
    """
    img, ker = _prepare(image, kernel)
    s, pads, (oh, ow), d = _geometry(img, ker, stride, padding, dilation)
    if flip:
        ker = ker[::-1, ::-1]
    ker = np.ascontiguousarray(ker)
    ker.setflags(write=False)
    xp, _ = padded_input(img, (ker.shape[0], ker.shape[1]), stride=s, padding=pads_to_spec(pads))
    span_h, span_w = shapes.effective_kernel((ker.shape[0], ker.shape[1]), d)
    b = float(bias)
    for i in range(oh):
        for j in range(ow):
            top, left = i * s[0], j * s[1]
            patch = xp[top : top + span_h : d[0], left : left + span_w : d[1]].copy()
            products = patch * ker
            total = float(products.sum(dtype=np.float64)) + b
            yield Window(i, j, top, left, patch, ker, products, total, b, d)


def pads_to_spec(pads: shapes.Pads) -> tuple[tuple[int, int], tuple[int, int]]:
    """``(top, bottom, left, right)`` -> ``((top, bottom), (left, right))``, the explicit padding spec."""
    return ((pads[0], pads[1]), (pads[2], pads[3]))


def format_number(value: float, digits: int = 2) -> str:
    """How the walk writes a number: rounded to ``digits`` decimals, trailing zeros dropped, never ``-0``
    (``6``, ``-0.5``, ``0.33``, ``12.35``)."""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _products_text(patch: np.ndarray, kernel: np.ndarray, digits: int, max_terms: int) -> str:
    terms = [
        f"{format_number(p, digits)}*{format_number(k, digits)}"
        for p, k in zip(patch.ravel(), kernel.ravel(), strict=False)
    ]
    if len(terms) > max_terms:
        half = max_terms // 2
        terms = [*terms[:half], "...", *terms[-half:]]
    return " + ".join(terms)


def format_sum(window: Window, digits: int = 2, max_terms: int = 25) -> str:
    """The lesson's way of writing one step: ``0*-1 + 0*-1 + ... + 1*2 + ... = 6``.

    Long sums (more than ``max_terms`` products) are elided in the middle. Every number is written with
    :func:`format_number`.
    """
    text = _products_text(window.patch, window.kernel, digits, max_terms)
    if window.bias:
        text += f" + {format_number(window.bias, digits)}"
    return f"{text} = {format_number(window.sum, digits)}"


def format_channel_sum(window: Window, channel: int, digits: int = 2, max_terms: int = 25) -> str:
    """One channel's share of a colour step, written as the lesson writes sums: the products of that channel's
    window and kernel slice and their total, ``0.2*-1 + ... + 0.8*2 = 1.4`` (no bias: it is added once, by
    :func:`format_total`)."""
    if window.patch.ndim != 3 or not 0 <= channel < window.patch.shape[2]:
        raise ValueError(
            f"channel must index the window's channels (patch shape {window.patch.shape}). "
            f"Received: channel={channel}"
        )
    text = _products_text(window.patch[:, :, channel], window.kernel[:, :, channel], digits, max_terms)
    return f"{text} = {format_number(window.channel_sums()[channel], digits)}"


def format_total(window: Window, digits: int = 2) -> str:
    """The per-channel sums plus the bias, equal to the output cell: ``1.4 + -0.3 + 0.5 + 0.1 = 1.7`` (the
    bias is always written, even when 0, since a colour step shows where it goes)."""
    parts = [format_number(s, digits) for s in window.channel_sums()]
    return f"{' + '.join([*parts, format_number(window.bias, digits)])} = {format_number(window.sum, digits)}"


@dataclass(frozen=True)
class PoolWindow:
    """One step of a pooling walk: the window's cells (padding excluded), the chosen value and where it
    was."""

    row: int
    col: int
    top: int
    left: int
    patch: np.ndarray  # (PH, PW), padding cells are NaN
    value: float
    argmax: tuple[int, int] | None  # (r, c) inside the patch for max/min; None for avg


def pool_windows(
    feature_map, size=2, *, stride=None, mode: str = "max", padding="valid"
) -> Iterator[PoolWindow]:
    """Yield one :class:`PoolWindow` per pooled output cell of a 2-D map, row by row (what the GUI
    animates)."""
    fmap = np.asarray(feature_map, dtype=np.float32)
    if fmap.ndim != 2:
        raise ValueError(f"feature_map must be 2-D (H, W). Received shape: {fmap.shape}")
    if mode not in POOL_MODES:
        raise ValueError(f"mode must be one of {POOL_MODES}. Received: mode={mode!r}")
    k = shapes.normalize_pair(size, "size")
    s = k if stride is None else shapes.normalize_pair(stride, "stride")
    pads = shapes.resolve_padding(padding, fmap.shape, k, s)
    oh, ow = shapes.output_hw(fmap.shape, k, s, pads)
    if oh < 1 or ow < 1:
        raise ValueError(f"input {fmap.shape[0]}x{fmap.shape[1]} is too small for pooling {k[0]}x{k[1]}")
    xp = np.pad(fmap, ((pads[0], pads[1]), (pads[2], pads[3])), constant_values=np.nan)
    for i in range(oh):
        for j in range(ow):
            top, left = i * s[0], j * s[1]
            patch = xp[top : top + k[0], left : left + k[1]].copy()
            real = ~np.isnan(patch)
            if mode == "avg":
                yield PoolWindow(i, j, top, left, patch, float(patch[real].mean()), None)
                continue
            flat = np.where(real, patch, -np.inf if mode == "max" else np.inf).ravel()
            idx = int(np.argmax(flat) if mode == "max" else np.argmin(flat))  # first on ties
            r, c = divmod(idx, k[1])
            yield PoolWindow(i, j, top, left, patch, float(patch[r, c]), (r, c))


# ----------------------------------------------------------------------------------- transposed convolution
@dataclass(frozen=True)
class Scatter:
    """One step of the transposed convolution's walk: input cell ``(row, col)`` stamps ``stamp = x[row, col]
    * kernel`` (summed over the input channels) onto the output, its top-left tap at output cell ``(top,
    left)``. Before the padding is cut off, ``top = row * sh - pad_top``: negative, or past the output's
    edge, where taps fall on cells the padding removes.

    Attributes
    ----------
    row, col : the input cell.
    top, left : output coordinates of the stamp's top-left cell.
    values : ``(C,)`` the input cell's values (``(1,)`` for a 2-D image).
    stamp : ``(KH, KW)`` float64: what the cell adds to the output.
    """

    row: int
    col: int
    top: int
    left: int
    values: np.ndarray
    stamp: np.ndarray

    def output_cells(self) -> list[tuple[int, int]]:
        """The output cell each tap of the stamp lands on (row-major; may be outside the output)."""
        kh, kw = self.stamp.shape
        return [(self.top + m, self.left + n) for m in range(kh) for n in range(kw)]


@dataclass(frozen=True)
class TransposedCell:
    """How one output cell of a transposed convolution is made: the sum of what every input cell whose
    stamp covers it brings.

    Attributes
    ----------
    row, col : the output cell.
    terms : ``[(input_row, input_col, tap_row, tap_col, x, k)]``: input cell ``(input_row, input_col)`` with
        the value ``x`` reached this cell through the kernel's tap ``(tap_row, tap_col)`` of weight ``k``
        (one term per input channel of a colour image: ``x`` and ``k`` are then that channel's).
    bias : added once.
    sum : ``sum(x * k) + bias``: the output cell.
    """

    row: int
    col: int
    terms: list[tuple[int, int, int, int, float, float]]
    bias: float
    sum: float


def _transposed_setup(image, kernel, stride, padding):
    """``(x (H, W, C) float64, k (KH, KW, C) float64, stride, pads, (OH, OW))`` for the transposed walk."""
    x = np.asarray(image, dtype=np.float64)
    k = np.asarray(kernel, dtype=np.float64)
    if x.ndim not in (2, 3):
        raise ValueError(f"image must have shape (H, W) or (H, W, C). Received shape: {x.shape}")
    if x.ndim == 2:
        x = x[:, :, None]
    if k.ndim == 4:  # Keras' Conv2DTranspose kernel (KH, KW, C_out, C_in): one output channel
        if k.shape[2] != 1:
            raise ValueError(
                "kernel must make one output channel (KH, KW, 1, C_in) to step through. "
                f"Received shape: {k.shape}"
            )
        k = k[:, :, 0, :]
    if k.ndim == 2:
        k = np.repeat(k[:, :, None], x.shape[2], axis=2)  # the same filter for every input channel
    if k.ndim != 3 or k.shape[2] != x.shape[2] or min(k.shape) < 1:
        raise ValueError(
            f"channel mismatch: image has {x.shape[2]} channel(s), kernel shape is {np.shape(kernel)} "
            "(expected (KH, KW), (KH, KW, C) or (KH, KW, 1, C))"
        )
    if min(x.shape) < 1:
        raise ValueError(f"image must not be empty. Received shape: {np.shape(image)}")
    s = shapes.normalize_pair(stride, "stride")
    pads, out_hw = shapes.resolve_transpose_padding(padding, x.shape[:2], k.shape[:2], s)
    if out_hw[0] < 1 or out_hw[1] < 1:
        raise ValueError(
            f"the padding {padding!r} cuts off the whole output of the transposed convolution. Use less "
            "padding or a larger kernel."
        )
    return x, k, s, pads, out_hw


def transposed_output_shape(image_shape, kernel_shape, *, stride=1, padding="valid") -> tuple[int, int]:
    """Output ``(OH, OW)`` of the transposed walk: ``(H - 1) s + K`` ("valid"; ``H s`` when ``K < s``),
    ``H s`` ("same"), as :func:`engine.shapes.conv_transpose_output_size`."""
    h, w = tuple(image_shape)[:2]
    kh, kw = tuple(kernel_shape)[:2]
    return _transposed_setup(np.zeros((h, w)), np.zeros((kh, kw)), stride, padding)[4]


def scatters(image, kernel, *, stride=1, padding="valid") -> Iterator[Scatter]:
    """Yield one :class:`Scatter` per input cell, row by row: the transpose of the sliding window, where each
    input cell spreads over a window of the output instead of each output cell gathering one.

    Parameters
    ----------
    image : ``(H, W)`` or ``(H, W, C)``.
    kernel : ``(KH, KW)`` (the same for every channel), ``(KH, KW, C)`` or Keras' ``(KH, KW, 1, C)``.
    stride, padding : as :func:`engine.ops.conv2d_transpose`.

    Adding every stamp at its place and keeping the ``(OH, OW)`` output cells gives
    ``engine.ops.conv2d_transpose`` (the tests check it).
    """
    x, k, s, pads, _ = _transposed_setup(image, kernel, stride, padding)
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            values = x[i, j].copy()
            stamp = np.tensordot(k, values, axes=([2], [0]))  # (KH, KW)
            yield Scatter(i, j, i * s[0] - pads[0], j * s[1] - pads[2], values, stamp)


def transposed_cell(
    image, kernel, row: int, col: int, *, stride=1, padding="valid", bias=0.0
) -> TransposedCell:
    """The written sum of output cell ``(row, col)`` of the transposed convolution (see
    :class:`TransposedCell`): every input cell ``(i, j)`` and tap ``(m, n)`` with ``i * sh + m - pad_top =
    row`` and ``j * sw + n - pad_left = col``, in row-major order of the input."""
    x, k, s, pads, (oh, ow) = _transposed_setup(image, kernel, stride, padding)
    if not (0 <= int(row) < oh and 0 <= int(col) < ow):
        raise ValueError(f"(row, col) must be inside the {oh}x{ow} output. Received: ({row}, {col})")
    kh, kw = k.shape[0], k.shape[1]
    terms: list[tuple[int, int, int, int, float, float]] = []
    total = 0.0
    for i in range(x.shape[0]):
        m = int(row) + pads[0] - i * s[0]
        if not 0 <= m < kh:
            continue
        for j in range(x.shape[1]):
            n = int(col) + pads[2] - j * s[1]
            if not 0 <= n < kw:
                continue
            for c in range(x.shape[2]):
                xv, kv = float(x[i, j, c]), float(k[m, n, c])
                terms.append((i, j, m, n, xv, kv))
                total += xv * kv
    b = float(bias)
    return TransposedCell(int(row), int(col), terms, b, total + b)


def format_transposed_sum(cell: TransposedCell, digits: int = 2, max_terms: int = 25) -> str:
    """The lesson's way of writing an output cell of the transposed convolution, ``x*k`` per input cell
    that reaches it: ``1*1 + 2*1 = 3``; ``0`` when no stamp covers it (a kernel smaller than the stride leaves
    such gaps). Long sums are elided in the middle, as :func:`format_sum` does."""
    terms = [f"{format_number(x, digits)}*{format_number(k, digits)}" for _, _, _, _, x, k in cell.terms]
    if len(terms) > max_terms:
        half = max_terms // 2
        terms = [*terms[:half], "...", *terms[-half:]]
    if cell.bias:
        terms.append(format_number(cell.bias, digits))
    return f"{' + '.join(terms) or '0'} = {format_number(cell.sum, digits)}"


# ---------------------------------------------------------------------------------------------- backward


def _backward_arrays(image, kernel, dz, stride, padding):
    """Check and shape the backward walk's inputs: ``(X (H, W, C_in), W (KH, KW, C_in, C_out),
    dZ (OH, OW, C_out), stride, pads)`` as float64 (the walk's sums are the reference)."""
    x = np.asarray(image, dtype=np.float64)
    w = np.asarray(kernel, dtype=np.float64)
    g = np.asarray(dz, dtype=np.float64)
    if x.ndim == 2:
        x = x[:, :, None]
    if w.ndim == 2:
        w = w[:, :, None, None]
    if g.ndim == 2:
        g = g[:, :, None]
    if x.ndim != 3:
        raise ValueError(f"image must have shape (H, W) or (H, W, C_in). Received shape: {np.shape(image)}")
    if w.ndim != 4 or w.shape[2] != x.shape[2]:
        raise ValueError(
            f"kernel must have shape (KH, KW, C_in, C_out) with C_in = {x.shape[2]} (the image's channels). "
            f"Received shape: {np.shape(kernel)}"
        )
    s = shapes.normalize_pair(stride, "stride")
    k_hw = (w.shape[0], w.shape[1])
    pads = shapes.resolve_padding(padding, (x.shape[0], x.shape[1]), k_hw, s)
    oh, ow = shapes.output_hw((x.shape[0], x.shape[1]), k_hw, s, pads)
    if oh < 1 or ow < 1:
        raise ValueError(
            f"the kernel {k_hw[0]}x{k_hw[1]} is larger than the padded input "
            f"{x.shape[0] + pads[0] + pads[1]}x{x.shape[1] + pads[2] + pads[3]}"
        )
    if g.shape != (oh, ow, w.shape[3]):
        raise ValueError(
            f"dz must have the output's shape (OH, OW, C_out) = {(oh, ow, w.shape[3])}. "
            f"Received shape: {np.shape(dz)}"
        )
    return x, w, g, s, pads


def _input_windows(xp: np.ndarray, k_hw: tuple[int, int], stride: tuple[int, int], out_hw: tuple[int, int]):
    """Input windows at every output position: ``(OH, OW, C, KH, KW)`` views of ``xp (Hp, Wp, C)``."""
    win = sliding_window_view(xp, k_hw, axis=(0, 1))[:: stride[0], :: stride[1]]  # (OH', OW', C, KH, KW)
    return win[: out_hw[0], : out_hw[1]]


def conv_gradients(
    image, kernel, dz, *, stride=1, padding="valid", flip: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The finished sums of the backward walk: ``(dW, dX, db)`` for every channel and filter, in float64.

    Parameters
    ----------
    image : ``(H, W, C_in)`` (or ``(H, W)``), the layer's input, unpadded.
    kernel : ``(KH, KW, C_in, C_out)`` (or ``(KH, KW)``), as the layer holds it.
    dz : ``(OH, OW, C_out)`` (or ``(OH, OW)``), the gradient of the loss with respect to the convolution's
        output (before any activation).
    stride, padding, flip : as :func:`engine.ops.conv2d`.

    Returns
    -------
    dW : ``(KH, KW, C_in, C_out)``; dX : ``(H, W, C_in)``; db : ``(C_out,)``.
    """
    x, w, g, s, pads = _backward_arrays(image, kernel, dz, stride, padding)
    kh, kw = w.shape[:2]
    t, b, le, r = pads
    xp = np.pad(x, ((t, b), (le, r), (0, 0)))  # (Hp, Wp, C_in)
    applied = w[::-1, ::-1] if flip else w  # the filter as it slides
    win = _input_windows(xp, (kh, kw), s, g.shape[:2])  # (OH, OW, C_in, KH, KW)
    dw = np.einsum("ijcmn,ijk->mnck", win, g)  # (KH, KW, C_in, C_out)
    dxp = np.zeros_like(xp)
    for i in range(g.shape[0]):
        for j in range(g.shape[1]):
            top, left = i * s[0], j * s[1]
            dxp[top : top + kh, left : left + kw] += np.einsum("mnck,k->mnc", applied, g[i, j])
    if flip:
        dw = dw[::-1, ::-1]
    hp, wp = xp.shape[:2]
    return dw, dxp[t : hp - b, le : wp - r], g.sum(axis=(0, 1))


class BackwardWalk:
    """Step the backward window of filter ``k`` / input channel ``c`` over the output positions (row-major).

    Position ``p`` is output cell ``divmod(p, OW)``; after position ``p`` the partial sums hold the
    contributions of positions ``0..p`` (see the module docstring for the formulas).

    Parameters
    ----------
    image, kernel, dz, stride, padding, flip : as :func:`conv_gradients`.
    channel : the input channel ``c`` whose ``dW[:, :, c, k]`` and ``dX[:, :, c]`` are stepped.
    filter : the filter (output channel) ``k``.

    Attributes
    ----------
    padded : ``(Hp, Wp, C_in)`` the input with its zero padding (what the windows cover).
    pads : ``(top, bottom, left, right)``.
    out_hw : ``(OH, OW)``; kernel_hw : ``(KH, KW)``; stride : ``(sh, sw)``.
    """

    def __init__(
        self,
        image,
        kernel,
        dz,
        *,
        stride=1,
        padding="valid",
        flip: bool = False,
        channel: int = 0,
        filter: int = 0,
    ) -> None:
        x, w, g, s, pads = _backward_arrays(image, kernel, dz, stride, padding)
        if not 0 <= channel < w.shape[2]:
            raise ValueError(f"channel must be in [0, {w.shape[2]}). Received: channel={channel}")
        if not 0 <= filter < w.shape[3]:
            raise ValueError(f"filter must be in [0, {w.shape[3]}). Received: filter={filter}")
        t, b, le, r = pads
        self.padded = np.pad(x, ((t, b), (le, r), (0, 0)))  # (Hp, Wp, C_in)
        self.pads: shapes.Pads = pads
        self.stride = s
        self.kernel_hw = (int(w.shape[0]), int(w.shape[1]))
        self.out_hw = (int(g.shape[0]), int(g.shape[1]))
        self.channel, self.filter, self.flip = int(channel), int(filter), bool(flip)
        win = _input_windows(self.padded[:, :, channel : channel + 1], self.kernel_hw, s, self.out_hw)
        self._g = np.ascontiguousarray(g[:, :, filter]).reshape(-1)  # (P,) dZ[i, j, k] in walk order
        self._dw_terms = self._g[:, None, None] * win[:, :, 0].reshape(-1, *self.kernel_hw)  # (P, KH, KW)
        applied = w[::-1, ::-1] if flip else w
        self._w = applied[:, :, channel, filter]  # (KH, KW) the filter as it slides

    @property
    def positions(self) -> int:
        """How many output positions the walk steps through (``OH * OW``)."""
        return self.out_hw[0] * self.out_hw[1]

    def _check(self, p: int) -> None:
        if not 0 <= p < self.positions:
            raise IndexError(f"position must be in [0, {self.positions}). Received: {p}")

    def position(self, p: int) -> tuple[int, int]:
        """The output cell ``(i, j)`` of position ``p``."""
        self._check(p)
        i, j = divmod(p, self.out_hw[1])
        return int(i), int(j)

    def window(self, p: int) -> tuple[int, int, int, int]:
        """``(top, left, height, width)`` of position ``p``'s window in the padded input."""
        i, j = self.position(p)
        return i * self.stride[0], j * self.stride[1], *self.kernel_hw

    def gradient_at(self, p: int) -> float:
        """``dZ[i, j, k]`` at position ``p``."""
        self._check(p)
        return float(self._g[p])

    def strongest(self) -> int:
        """The position with the largest ``|dZ[i, j, k]|`` (the first one on ties)."""
        return int(np.abs(self._g).argmax())

    def dw_partial(self, p: int) -> np.ndarray:
        """``dW[:, :, c, k]`` summed over positions ``0..p``: ``(KH, KW)`` float64."""
        self._check(p)
        part = self._dw_terms[: p + 1].sum(axis=0)
        return part[::-1, ::-1] if self.flip else part

    def dx_partial(self, p: int) -> np.ndarray:
        """Filter ``k``'s contribution to ``dXp[:, :, c]`` from positions ``0..p``: ``(Hp, Wp)`` float64, in
        padded coordinates (slice with :attr:`pads` for ``dX``)."""
        self._check(p)
        out = np.zeros(self.padded.shape[:2], np.float64)
        kh, kw = self.kernel_hw
        for q in range(p + 1):
            top, left, _, _ = self.window(q)
            out[top : top + kh, left : left + kw] += self._g[q] * self._w
        return out
