"""The Numba kernel behind :mod:`engine.augment`: a batched affine warp with bilinear sampling. Private.

Conventions: images are NHWC float32, C-contiguous; ``inv`` is ``(N, 2, 3)`` float64 and maps an *output*
pixel, in coordinates centred on the image (``row - (H-1)/2, col - (W-1)/2``), to the *input* position it
samples; ``mode`` is an index into :data:`FILL_MODES`.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

FILL_MODES = ("nearest", "constant", "reflect", "wrap")


@njit(cache=True, inline="always")
def _index(k, n, mode):
    """Map a possibly out-of-range index onto 0..n-1 for the fill mode; -1 means "use cval"."""
    if 0 <= k < n:
        return k
    if mode == 0:  # nearest: repeat the edge pixel   a a | a b c d | d d
        return 0 if k < 0 else n - 1
    if mode == 1:  # constant
        return -1
    if mode == 2:  # reflect about the edge, edge pixel repeated   b a | a b c d | d c
        period = 2 * n
        m = k % period
        return m if m < n else period - 1 - m
    return k % n  # wrap   c d | a b c d | a b


@njit(cache=True, inline="always")
def _warp_row(x, inv, mode, cval, out, b, i):
    """Fill ``out[b, i]``: sample ``x[b]`` bilinearly at ``inv[b] @ (i, j, 1)`` for every ``j``."""
    h, w, c = x.shape[1], x.shape[2], x.shape[3]
    cy = (h - 1) / 2.0
    cx = (w - 1) / 2.0
    a00 = inv[b, 0, 0]
    a01 = inv[b, 0, 1]
    a02 = inv[b, 0, 2]
    a10 = inv[b, 1, 0]
    a11 = inv[b, 1, 1]
    a12 = inv[b, 1, 2]
    yy = i - cy
    for j in range(w):
        xx = j - cx
        sy = a00 * yy + a01 * xx + a02 + cy
        sx = a10 * yy + a11 * xx + a12 + cx
        fy0 = np.floor(sy)
        fx0 = np.floor(sx)
        ty = sy - fy0
        tx = sx - fx0
        y0 = int(fy0)
        x0 = int(fx0)
        r0 = _index(y0, h, mode)
        r1 = _index(y0 + 1, h, mode)
        c0 = _index(x0, w, mode)
        c1 = _index(x0 + 1, w, mode)
        w00 = (1.0 - ty) * (1.0 - tx)
        w01 = (1.0 - ty) * tx
        w10 = ty * (1.0 - tx)
        w11 = ty * tx
        for ch in range(c):
            v00 = x[b, r0, c0, ch] if r0 >= 0 and c0 >= 0 else cval
            v01 = x[b, r0, c1, ch] if r0 >= 0 and c1 >= 0 else cval
            v10 = x[b, r1, c0, ch] if r1 >= 0 and c0 >= 0 else cval
            v11 = x[b, r1, c1, ch] if r1 >= 0 and c1 >= 0 else cval
            out[b, i, j, ch] = w00 * v00 + w01 * v01 + w10 * v10 + w11 * v11


@njit(parallel=True, cache=True)
def warp_affine(x, inv, mode, cval):
    """Return ``out (N, H, W, C)``: ``out[b, i, j]`` is ``x[b]`` sampled at ``inv[b] @ (i, j, 1)`` (rows in
    parallel)."""
    n, h = x.shape[0], x.shape[1]
    out = np.empty_like(x)
    for task in prange(n * h):
        _warp_row(x, inv, mode, cval, out, task // h, task % h)
    return out


@njit(cache=True)
def warp_affine_serial(x, inv, mode, cval):
    """:func:`warp_affine` on one thread: faster for small batches, where waking the thread pool costs more
    than the work (a 32 x 28 x 28 batch is ~25k samples)."""
    n, h = x.shape[0], x.shape[1]
    out = np.empty_like(x)
    for task in range(n * h):
        _warp_row(x, inv, mode, cval, out, task // h, task % h)
    return out
