"""The sliding-window walk: every step of a convolution, as the lesson draws it and the GUI animates it.

For each output position, in row-major order, :func:`windows` yields a :class:`Window` holding the input
patch under the filter, the element-wise products, and their sum (plus the bias). The sum is exactly the output
cell of :func:`engine.ops.conv2d` at that position (the tests check it).

Example (the lesson's worked example)::

    >>> import numpy as np
    >>> from engine.sliding import windows
    >>> image = np.array([[0, 0, 0], [1, 1, 1], [0, 0, 0]])
    >>> kernel = np.array([[-1, -1, -1], [2, 2, 2], [-1, -1, -1]])
    >>> [w.sum for w in windows(image, kernel)]
    [6.0]
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from engine import shapes
from engine.backends.contract import POOL_MODES

__all__ = ["PoolWindow", "Window", "format_sum", "output_shape", "padded_input", "pool_windows", "windows"]


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

    def input_cells(self, pads: shapes.Pads) -> tuple[int, int, int, int]:
        """Rows/cols of the window in *unpadded* input coordinates: ``(r0, r1, c0, c1)``, half-open, may be
        negative or past the edge where the window covers padding."""
        kh, kw = self.patch.shape[0], self.patch.shape[1]
        return self.top - pads[0], self.top - pads[0] + kh, self.left - pads[2], self.left - pads[2] + kw


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


def _geometry(img, ker, stride, padding):
    s = shapes.normalize_pair(stride, "stride")
    k_hw = (ker.shape[0], ker.shape[1])
    pads = shapes.resolve_padding(padding, (img.shape[0], img.shape[1]), k_hw, s)
    oh, ow = shapes.output_hw((img.shape[0], img.shape[1]), k_hw, s, pads)
    if oh < 1 or ow < 1:
        t, b, le, r = pads
        raise ValueError(
            f"the kernel {k_hw[0]}x{k_hw[1]} is larger than the padded input "
            f"{img.shape[0] + t + b}x{img.shape[1] + le + r}. Use a smaller kernel or more padding."
        )
    return s, pads, (oh, ow)


def padded_input(image, kernel_size, *, stride=1, padding="valid") -> tuple[np.ndarray, shapes.Pads]:
    """The input as the filter sees it, zero-padded, and the pads ``(top, bottom, left, right)`` used."""
    img = np.asarray(image, dtype=np.float32)
    k = shapes.normalize_pair(kernel_size, "kernel_size")
    s = shapes.normalize_pair(stride, "stride")
    pads = shapes.resolve_padding(padding, (img.shape[0], img.shape[1]), k, s)
    t, b, le, r = pads
    widths = ((t, b), (le, r)) + (((0, 0),) if img.ndim == 3 else ())
    return np.pad(img, widths), pads


def output_shape(image_shape, kernel_shape, *, stride=1, padding="valid") -> tuple[int, int]:
    """Output ``(H, W)`` of the walk (raises if the kernel does not fit)."""
    img = np.empty(tuple(image_shape)[:2], np.float32)
    ker = np.empty(tuple(kernel_shape)[:2], np.float32)
    return _geometry(img, ker, stride, padding)[2]


def windows(
    image, kernel, *, stride=1, padding="valid", flip: bool = False, bias: float = 0.0
) -> Iterator[Window]:
    """Yield one :class:`Window` per output position, row by row.

    Parameters
    ----------
    image : ``(H, W)`` or ``(H, W, C)``.
    kernel : ``(KH, KW)`` (applied to every channel of a colour image), ``(KH, KW, C)``, or ``(KH, KW, C, 1)``.
    stride, padding : as :func:`engine.ops.conv2d`.
    flip : rotate the kernel 180 degrees first (true convolution).
    bias : added to every sum.
    """
    img, ker = _prepare(image, kernel)
    s, pads, (oh, ow) = _geometry(img, ker, stride, padding)
    if flip:
        ker = ker[::-1, ::-1]
    ker = np.ascontiguousarray(ker)
    ker.setflags(write=False)
    xp, _ = padded_input(img, (ker.shape[0], ker.shape[1]), stride=s, padding=pads_to_spec(pads))
    kh, kw = ker.shape[0], ker.shape[1]
    b = float(bias)
    for i in range(oh):
        for j in range(ow):
            top, left = i * s[0], j * s[1]
            patch = xp[top : top + kh, left : left + kw].copy()
            products = patch * ker
            yield Window(i, j, top, left, patch, ker, products, float(products.sum(dtype=np.float64)) + b, b)


def pads_to_spec(pads: shapes.Pads) -> tuple[tuple[int, int], tuple[int, int]]:
    """``(top, bottom, left, right)`` -> ``((top, bottom), (left, right))``, the explicit padding spec."""
    return ((pads[0], pads[1]), (pads[2], pads[3]))


def format_sum(window: Window, digits: int = 2, max_terms: int = 25) -> str:
    """The lesson's way of writing one step: ``0*-1 + 0*-1 + ... + 1*2 + ... = 6``.

    Long sums (more than ``max_terms`` products) are elided in the middle.
    """

    def num(v: float) -> str:
        text = f"{v:.{digits}f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text

    terms = [f"{num(p)}*{num(k)}" for p, k in zip(window.patch.ravel(), window.kernel.ravel())]
    if len(terms) > max_terms:
        half = max_terms // 2
        terms = terms[:half] + ["..."] + terms[-half:]
    text = " + ".join(terms)
    if window.bias:
        text += f" + {num(window.bias)}"
    return f"{text} = {num(window.sum)}"


@dataclass(frozen=True)
class PoolWindow:
    """One step of a pooling walk: the window's cells (padding excluded), the chosen value and where it was."""

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
    """Yield one :class:`PoolWindow` per pooled output cell of a 2-D map, row by row (what the GUI animates)."""
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
