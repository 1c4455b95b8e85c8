"""The convolution shapes that skip the general im2col + sgemm path of :mod:`engine.backends.cpu.conv`.

:func:`forward` and :func:`backward` return None when no fast path takes the call; the general path then
runs. Which path takes what:

* :mod:`~engine.backends.cpu.winograd` (Winograd F(2x2, 3x3)): 3x3 kernels at stride 1 and dilation 1 with
  at least 8 input and output channels and pads of at most 2, for calls of at least
  :data:`MIN_WINOGRAD_TILES_PER_THREAD` 2x2 output tiles per thread, or half that on one thread (below that
  the fixed costs per call, the filter transform and one parallel region, outweigh the 2.25x fewer
  multiplications);
* nothing else yet: every other shape goes the general way.

Both need NumPy's OpenBLAS (``sgemm`` called from inside the kernels); blocks are sized from the machine's
L2 cache (:func:`engine.backends.cpu.workspace.cache_sizes`).
"""

from __future__ import annotations

import numpy as np

from engine.backends.cpu import winograd
from engine.backends.cpu._blas import single_threaded_blas
from engine.backends.cpu.threads import thread_count
from engine.backends.cpu.workspace import cache_sizes

__all__ = ["MIN_WINOGRAD_TILES_PER_THREAD", "backward", "forward"]

#: Winograd only from this many 2x2 output tiles per thread (a 16x16 map has 64), or half as many when the
#: tier runs on one thread. Measured on a 2-core AMD EPYC (busy), forward / backward in us, direct against
#: Winograd: two threads, 16x16x32->64 at 128 tiles per thread 216 / 395 against 183 / 363, at 64 tiles
#: 112 / 210 against 122 / 225; one thread, that layer at 64 tiles (one image) 100 / 183 against 77 / 154,
#: 8x8x64->64 at 32 tiles 110 / 189 against 78 / 164 and at 16 tiles 59 / 107 against 54 / 115. With two
#: threads Winograd's fixed cost per call is larger (8x8x64->64 at batch 1: 105 us against 54 with one).
MIN_WINOGRAD_TILES_PER_THREAD = 128

Pads = tuple[int, int, int, int]


def _kernel(w: np.ndarray, flip: bool) -> np.ndarray:
    """The cross-correlation kernel: ``w`` rotated by 180 degrees when ``flip``."""
    return np.ascontiguousarray(w[::-1, ::-1]) if flip else w


def _winograd_takes(x_shape: tuple[int, ...], w: np.ndarray, stride: tuple[int, int], pads: Pads) -> bool:
    if not winograd.applies(w.shape, stride, pads):
        return False
    n, h, wd, _ = x_shape
    oh, ow = h + pads[0] + pads[1] - 2, wd + pads[2] + pads[3] - 2
    threads = thread_count()
    least = MIN_WINOGRAD_TILES_PER_THREAD * threads if threads > 1 else MIN_WINOGRAD_TILES_PER_THREAD // 2
    return n * ((oh + 1) // 2) * ((ow + 1) // 2) >= least


def forward(
    sgemm: object,
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray,
    stride: tuple[int, int],
    pads: Pads,
    flip: bool,
    relu: bool,
    dilation: tuple[int, int] = (1, 1),
) -> np.ndarray | None:
    """``y (N, OH, OW, C_out)`` through a fast path, or None when none takes these shapes (or a value was not
    finite: the general path then gives NaN and inf their usual places)."""
    if dilation != (1, 1) or x.shape[0] == 0:
        return None
    if _winograd_takes(x.shape, w, stride, pads):
        with single_threaded_blas():
            return winograd.forward(
                sgemm, x, _kernel(w, flip), b, pads, relu, thread_count(), cache_sizes().l2
            )
    return None


def backward(
    sgemm: object,
    x: np.ndarray,
    w: np.ndarray,
    dy: np.ndarray,
    stride: tuple[int, int],
    pads: Pads,
    flip: bool,
    need_dx: bool,
    relu_y: np.ndarray | None = None,
    dilation: tuple[int, int] = (1, 1),
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray] | None:
    """``(dx | None, dw, db)`` through a fast path, or None (see :func:`forward`). With ``relu_y`` (the
    forward output of a conv followed by a ReLU) ``dy`` is masked by ``relu_y > 0`` first."""
    if dilation != (1, 1) or x.shape[0] == 0:
        return None
    if _winograd_takes(x.shape, w, stride, pads):
        with single_threaded_blas():
            out = winograd.backward(
                sgemm, x, _kernel(w, flip), dy, pads, need_dx, relu_y, thread_count(), cache_sizes().l2
            )
        if out is not None and flip:
            dx, dw, db = out
            return dx, np.ascontiguousarray(dw[::-1, ::-1]), db
        return out
    return None
