"""Numba CPU pooling: windowed max / min / average and global pooling, forward and backward.

Conventions (the backend contract, identical to the reference tier):

* padded cells are ignored: max/min over the real cells of a window, the average divided by their count;
* ties go to the first real cell of the window in row-major order (strict ``>`` / ``<`` while scanning), so a
  NaN wins a window only when it is that first cell, exactly like the reference;
* global max/min follow NumPy's ``max``/``argmax``: a NaN anywhere in a plane gives NaN, routed to the first
  NaN.

Modes are passed to the kernels as small ints (:data:`engine.backends.contract.POOL_CODES`: 0 max, 1 min,
2 avg) so each kernel compiles once.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from engine import shapes
from engine.backends.contract import POOL_CODES


@njit(inline="always")
def _better(v, best, mode):  # pragma: no cover - jitted
    # a NaN beats any number (it propagates, as in PyTorch); the first NaN stays, as the first of any tie
    if np.isnan(v):
        return not np.isnan(best)
    return v > best if mode == 0 else v < best


@njit(parallel=True, cache=True)
def _pool_forward(x, ph, pw, sh, sw, pt, pl, mode, y):  # pragma: no cover - jitted
    """``y[n, oy, ox, c]`` = max / min / mean of the real cells of the window at ``(oy*sh - pt, ox*sw -
    pl)``."""
    h, w, c = x.shape[1], x.shape[2], x.shape[3]
    oh, ow = y.shape[1], y.shape[2]
    for r in prange(y.shape[0] * oh):
        n = r // oh
        oy = r - n * oh
        i0 = max(0, oy * sh - pt)
        i1 = min(h, oy * sh - pt + ph)
        for ox in range(ow):
            j0 = max(0, ox * sw - pl)
            j1 = min(w, ox * sw - pl + pw)
            for ch in range(c):
                y[n, oy, ox, ch] = x[n, i0, j0, ch]
            if mode == 2:
                for ch in range(c):
                    y[n, oy, ox, ch] = np.float32(0.0)
            for i in range(i0, i1):
                for j in range(j0, j1):
                    if mode == 2:
                        for ch in range(c):
                            y[n, oy, ox, ch] += x[n, i, j, ch]
                    else:
                        for ch in range(c):
                            v = x[n, i, j, ch]
                            if _better(v, y[n, oy, ox, ch], mode):
                                y[n, oy, ox, ch] = v
            if mode == 2:
                cnt = np.float32((i1 - i0) * (j1 - j0))
                for ch in range(c):
                    y[n, oy, ox, ch] /= cnt


@njit(inline="always")
def _winner_2x2(x, n, i, j, ch, sgn):  # pragma: no cover - jitted
    """``(best, k)`` of the 2x2 window at ``(i, j)`` of ``x[n, :, :, ch]`` scaled by ``sgn``: the largest
    value and its cell 0..3 in row-major order (the first on ties; the first NaN wins). Min pooling passes
    ``sgn = -1`` (min is the max of the negated values; NaN stays NaN). Bitwise ``&`` / ``|`` on the
    comparisons keep it branch-free, so the channel loops around it vectorise (3x faster than
    :func:`_better`)."""
    a = x[n, i, j, ch] * sgn
    b = x[n, i, j + 1, ch] * sgn
    e = x[n, i + 1, j, ch] * sgn
    f = x[n, i + 1, j + 1, ch] * sgn
    win = (b > a) | (np.isnan(b) & (not np.isnan(a)))
    best = b if win else a
    k = np.int32(1) if win else np.int32(0)
    win = (e > best) | (np.isnan(e) & (not np.isnan(best)))
    best = e if win else best
    k = np.int32(2) if win else k
    win = (f > best) | (np.isnan(f) & (not np.isnan(best)))
    best = f if win else best
    k = np.int32(3) if win else k
    return best, k


@njit(parallel=True, cache=True)
def _pool2x2_forward(x, mode, y):  # pragma: no cover - jitted
    """Max/min forward for 2x2 windows at stride 2 without padding (the usual pooling): branch-free selects
    in row-major order (same ties and NaN rule as :func:`_pool_forward`), channels innermost so the loop
    vectorises. 2x faster than :func:`_pool_forward` on a 32x32x32 map (one image, 2 threads: 8 -> 4 us)."""
    oh, ow, c = y.shape[1], y.shape[2], y.shape[3]
    sgn = np.float32(1.0) if mode == 0 else np.float32(-1.0)
    for u in prange(y.shape[0] * oh):
        n = u // oh
        oy = u - n * oh
        i = 2 * oy
        for ox in range(ow):
            j = 2 * ox
            for ch in range(c):
                best, _ = _winner_2x2(x, n, i, j, ch, sgn)
                y[n, oy, ox, ch] = best * sgn


@njit(parallel=True, cache=True)
def _pool_backward(x, dy, ph, pw, sh, sw, pt, pl, mode, rows_independent, dx):  # pragma: no cover - jitted
    """Scatter ``dy`` onto ``dx`` (any contents: overwritten): to the window's winner (max/min) or evenly
    (avg).

    Parallel over (image, output row) when windows of different rows do not overlap (``sh >= ph``), else
    over images, so two threads never add into the same cell. Each unit first zeroes its own band of input
    rows (the bands tile the image; the windows of a unit lie inside its band), so ``dx`` needs no separate
    zeroing pass.
    """
    h, w, c = x.shape[1], x.shape[2], x.shape[3]
    n_img, oh, ow = dy.shape[0], dy.shape[1], dy.shape[2]
    rows_per_unit = 1 if rows_independent else oh
    units = n_img * (oh // rows_per_unit)
    for u in prange(units):
        n = (u * rows_per_unit) // oh
        oy_start = (u * rows_per_unit) - n * oh
        best = np.empty(c, dtype=x.dtype)  # per-thread scratch: the window's winner per channel
        bi = np.empty(c, dtype=np.int64)
        bj = np.empty(c, dtype=np.int64)
        oy_end = oy_start + rows_per_unit
        r_start = 0 if oy_start == 0 else oy_start * sh - pt
        r_end = h if oy_end == oh else min(h, oy_end * sh - pt)
        for i in range(r_start, r_end):
            for j in range(w):
                for ch in range(c):
                    dx[n, i, j, ch] = np.float32(0.0)
        for oy in range(oy_start, oy_end):
            i0 = max(0, oy * sh - pt)
            i1 = min(h, oy * sh - pt + ph)
            for ox in range(ow):
                j0 = max(0, ox * sw - pl)
                j1 = min(w, ox * sw - pl + pw)
                if mode == 2:
                    cnt = np.float32((i1 - i0) * (j1 - j0))
                    for i in range(i0, i1):
                        for j in range(j0, j1):
                            for ch in range(c):
                                dx[n, i, j, ch] += dy[n, oy, ox, ch] / cnt
                else:
                    # one row-major scan of the window, channels innermost (contiguous in NHWC)
                    for ch in range(c):
                        best[ch] = x[n, i0, j0, ch]
                        bi[ch] = i0
                        bj[ch] = j0
                    for i in range(i0, i1):
                        for j in range(j0, j1):
                            for ch in range(c):
                                v = x[n, i, j, ch]
                                if _better(v, best[ch], mode):
                                    best[ch] = v
                                    bi[ch] = i
                                    bj[ch] = j
                    for ch in range(c):
                        dx[n, bi[ch], bj[ch], ch] += dy[n, oy, ox, ch]


@njit(parallel=True, cache=True)
def _pool2x2_backward(x, dy, mode, dx):  # pragma: no cover - jitted
    """Max/min backward for 2x2 windows at stride 2 without padding (the usual pooling): branch-free.

    The winner of each window is picked with selects in row-major order (same ties and NaN rule as
    :func:`_pool_backward`), and every cell of ``dx`` is written exactly once (``dy`` or 0), channels
    innermost so the loop vectorises; rows / columns left over by an odd size get 0.
    """
    h, w, c = x.shape[1], x.shape[2], x.shape[3]
    n_img, oh, ow = dy.shape[0], dy.shape[1], dy.shape[2]
    zero = np.float32(0.0)
    sgn = np.float32(1.0) if mode == 0 else np.float32(-1.0)
    for u in prange(n_img * oh):
        n = u // oh
        oy = u - n * oh
        i = 2 * oy
        for ox in range(ow):
            j = 2 * ox
            for ch in range(c):
                _, k = _winner_2x2(x, n, i, j, ch, sgn)
                g = dy[n, oy, ox, ch]
                dx[n, i, j, ch] = g if k == 0 else zero
                dx[n, i, j + 1, ch] = g if k == 1 else zero
                dx[n, i + 1, j, ch] = g if k == 2 else zero
                dx[n, i + 1, j + 1, ch] = g if k == 3 else zero
        rows_end = h if oy == oh - 1 else i + 2  # the last unit also zeroes a leftover row
        for r in range(i, rows_end):
            for jj in range(0 if r >= i + 2 else 2 * ow, w):
                for ch in range(c):
                    dx[n, r, jj, ch] = zero


@njit(parallel=True, cache=True)
def _global_forward(x, mode, y):  # pragma: no cover - jitted
    """``y[n, c]``: max / min (NaN-propagating, like ``np.max``) or mean (float64 sum) of ``x[n, :, :,
    c]``."""
    n_img, h, w, c = x.shape
    for n in prange(n_img):
        if mode == 2:
            acc = np.zeros(c, dtype=np.float64)
            for i in range(h):
                for j in range(w):
                    for ch in range(c):
                        acc[ch] += x[n, i, j, ch]
            for ch in range(c):
                y[n, ch] = np.float32(acc[ch] / (h * w))
        else:
            for ch in range(c):
                y[n, ch] = x[n, 0, 0, ch]
            for i in range(h):
                for j in range(w):
                    for ch in range(c):
                        v = x[n, i, j, ch]
                        cur = y[n, ch]
                        if not np.isnan(cur) and (np.isnan(v) or _better(v, cur, mode)):
                            y[n, ch] = v


@njit(parallel=True, cache=True)
def _global_backward(x, dy, mode, dx):  # pragma: no cover - jitted
    """Gradient of :func:`_global_forward` into ``dx`` (zeroed by the caller for max/min)."""
    n_img, h, w, c = x.shape
    for n in prange(n_img):
        if mode == 2:
            cnt = np.float32(h * w)
            for i in range(h):
                for j in range(w):
                    for ch in range(c):
                        dx[n, i, j, ch] = dy[n, ch] / cnt
        else:
            best = np.empty(c, dtype=x.dtype)  # per-image scratch: the winner per channel, channels innermost
            bi = np.zeros(c, dtype=np.int64)
            bj = np.zeros(c, dtype=np.int64)
            for ch in range(c):
                best[ch] = x[n, 0, 0, ch]
            for i in range(h):
                for j in range(w):
                    for ch in range(c):
                        v = x[n, i, j, ch]
                        cur = best[ch]
                        if not np.isnan(cur) and (np.isnan(v) or _better(v, cur, mode)):
                            best[ch] = v
                            bi[ch] = i
                            bj[ch] = j
            for ch in range(c):
                dx[n, bi[ch], bj[ch], ch] = dy[n, ch]


def pool2d(
    x: np.ndarray, size: tuple[int, int], stride: tuple[int, int], pads: tuple[int, int, int, int], mode: str
) -> np.ndarray:
    """Pooling forward: ``x (N, H, W, C)`` -> ``y (N, OH, OW, C)``, ``OH = (H + top + bottom - ph) // sh +
    1``."""
    n, h, w, c = x.shape
    t, _, le, _ = pads
    oh, ow = shapes.output_hw((h, w), size, stride, pads)
    y = np.empty((n, oh, ow, c), dtype=np.float32)
    if not y.size:
        return y
    if mode != "avg" and tuple(size) == (2, 2) and tuple(stride) == (2, 2) and not any(pads):
        _pool2x2_forward(x, POOL_CODES[mode], y)
    else:
        _pool_forward(x, size[0], size[1], stride[0], stride[1], t, le, POOL_CODES[mode], y)
    return y


def pool2d_backward(
    x: np.ndarray,
    dy: np.ndarray,
    size: tuple[int, int],
    stride: tuple[int, int],
    pads: tuple[int, int, int, int],
    mode: str,
) -> np.ndarray:
    """Pooling backward: ``dx (N, H, W, C)`` from ``dy (N, OH, OW, C)``."""
    if not dy.size:
        return np.zeros(x.shape, dtype=np.float32)
    dx = np.empty(x.shape, dtype=np.float32)  # every cell written by the kernel
    if mode != "avg" and tuple(size) == (2, 2) and tuple(stride) == (2, 2) and not any(pads):
        _pool2x2_backward(x, dy, POOL_CODES[mode], dx)
        return dx
    _pool_backward(
        x,
        dy,
        size[0],
        size[1],
        stride[0],
        stride[1],
        pads[0],
        pads[2],
        POOL_CODES[mode],
        stride[0] >= size[0],
        dx,
    )
    return dx


def global_pool(x: np.ndarray, mode: str) -> np.ndarray:
    """Global pooling: ``x (N, H, W, C)`` -> ``(N, C)``."""
    y = np.empty((x.shape[0], x.shape[3]), dtype=np.float32)
    if x.size:
        _global_forward(x, POOL_CODES[mode], y)
    return y


def global_pool_backward(x: np.ndarray, dy: np.ndarray, mode: str) -> np.ndarray:
    """Gradient of :func:`global_pool`: ``dx (N, H, W, C)`` from ``dy (N, C)``."""
    dx = np.zeros(x.shape, dtype=np.float32)
    if x.size:
        _global_backward(x, dy, POOL_CODES[mode], dx)
    return dx
