"""Pooling on the ``cuda`` tier: ``@cuda.jit`` kernels (one thread per output element) and their wrappers.

The kernels are private and loop-only, launched on 1-D grids of ``engine.config`` ``"cuda_threads_per_block"``
threads; modes arrive as the small ints of :data:`engine.backends.contract.POOL_CODES` (0 max, 1 min, 2 avg).
float32 only; NaN is computed through as in the reference tier.

Pooling backward is a *gather*: each input cell visits the few windows that contain it and, for max/min,
recomputes which cell won (the first in row-major order on ties), so no atomics are needed and the result is
deterministic.
"""

from __future__ import annotations

import math
from typing import Any

from numba import cuda, float32, int32

from engine import shapes
from engine.backends.contract import POOL_CODES
from engine.backends.cuda import arrays as _a

__all__ = ["global_pool", "global_pool_backward", "pool2d", "pool2d_backward"]


@cuda.jit(device=True)
def _better(v, best, mode):
    """True when ``v`` beats ``best`` for max (mode 0) or min (mode 1); strict, so ties keep the first.
    A NaN beats any number (it propagates, as in the other tiers); the first NaN stays."""
    if v != v:
        return best == best
    if mode == 0:
        return v > best
    return v < best


@cuda.jit(device=True)
def _window_winner(x, n, c, r0, c0, ph, pw, h, w, mode):
    """Flat index ``row * w + col`` of the max/min real cell of the window at padded origin ``(r0, c0)``."""
    best = float32(0.0)
    best_idx = -1
    for m in range(ph):
        r = r0 + m
        if r < 0 or r >= h:
            continue
        for q in range(pw):
            cc = c0 + q
            if cc < 0 or cc >= w:
                continue
            v = x[n, r, cc, c]
            if best_idx < 0 or _better(v, best, mode):
                best = v
                best_idx = r * w + cc
    return best_idx


@cuda.jit
def pool_forward_kernel(x, y, ph, pw, sh, sw, pt, pl, mode):
    """``y[n, i, j, c]`` = max / min / mean of the real cells of window ``(i, j)``; one thread per output."""
    n_img, h, w, ch = x.shape
    oh, ow = y.shape[1], y.shape[2]
    i = cuda.grid(1)
    if i >= n_img * oh * ow * ch:
        return
    c = i % ch
    rest = i // ch
    ox = rest % ow
    rest //= ow
    oy = rest % oh
    n = rest // oh
    r0 = oy * sh - pt
    c0 = ox * sw - pl
    if mode == 2:
        acc = float32(0.0)
        count = 0
        for m in range(ph):
            r = r0 + m
            if r < 0 or r >= h:
                continue
            for q in range(pw):
                cc = c0 + q
                if cc >= 0 and cc < w:
                    acc += x[n, r, cc, c]
                    count += 1
        y[n, oy, ox, c] = acc / float32(count)
    else:
        k = _window_winner(x, n, c, r0, c0, ph, pw, h, w, mode)
        y[n, oy, ox, c] = x[n, k // w, k % w, c]


@cuda.jit
def pool_backward_kernel(x, dy, dx, ph, pw, sh, sw, pt, pl, mode):
    """``dx[n, r, q, c]``: the sum of ``dy`` over the windows that route to this cell; one thread per
    input."""
    n_img, h, w, ch = x.shape
    oh, ow = dy.shape[1], dy.shape[2]
    i = cuda.grid(1)
    if i >= n_img * h * w * ch:
        return
    c = i % ch
    rest = i // ch
    ix = rest % w
    rest //= w
    iy = rest % h
    n = rest // h
    # windows (oy, ox) with oy * sh - pt <= iy <= oy * sh - pt + ph - 1
    oy_lo = max(0, (iy + pt - ph + sh) // sh)  # ceil((iy + pt - ph + 1) / sh), clipped
    oy_hi = min(oh - 1, (iy + pt) // sh)
    ox_lo = max(0, (ix + pl - pw + sw) // sw)
    ox_hi = min(ow - 1, (ix + pl) // sw)
    me = iy * w + ix
    acc = float32(0.0)
    for oy in range(oy_lo, oy_hi + 1):
        r0 = oy * sh - pt
        for ox in range(ox_lo, ox_hi + 1):
            c0 = ox * sw - pl
            if mode == 2:
                rows = min(r0 + ph, h) - max(r0, 0)
                cols = min(c0 + pw, w) - max(c0, 0)
                acc += dy[n, oy, ox, c] / float32(rows * cols)
            elif _window_winner(x, n, c, r0, c0, ph, pw, h, w, mode) == me:
                acc += dy[n, oy, ox, c]
    dx[n, iy, ix, c] = acc


@cuda.jit
def global_pool_forward_kernel(x, y, mode):
    """``y[n, c]`` = max / min / mean over all positions; one thread per ``(n, c)``. NaN wins, as in NumPy."""
    n_img, h, w, ch = x.shape
    i = cuda.grid(1)
    if i >= n_img * ch:
        return
    n = i // ch
    c = i % ch
    if mode == 2:
        acc = float32(0.0)
        for r in range(h):
            for q in range(w):
                acc += x[n, r, q, c]
        y[n, c] = acc / float32(h * w)
        return
    best = x[n, 0, 0, c]
    for r in range(h):
        for q in range(w):
            v = x[n, r, q, c]
            if not math.isnan(best) and (math.isnan(v) or _better(v, best, mode)):
                best = v
    y[n, c] = best


@cuda.jit
def global_pool_backward_kernel(x, dy, dx, mode):
    """Write the whole ``(n, c)`` plane of ``dx``: ``dy`` at the first arg-extremum (max/min) or spread
    (avg)."""
    n_img, h, w, ch = x.shape
    i = cuda.grid(1)
    if i >= n_img * ch:
        return
    n = i // ch
    c = i % ch
    g = dy[n, c]
    if mode == 2:
        share = g / float32(h * w)
        for r in range(h):
            for q in range(w):
                dx[n, r, q, c] = share
        return
    best = x[n, 0, 0, c]
    best_idx = int32(0)
    for r in range(h):
        for q in range(w):
            v = x[n, r, q, c]
            if not math.isnan(best) and (math.isnan(v) or _better(v, best, mode)):
                best = v
                best_idx = r * w + q
            dx[n, r, q, c] = float32(0.0)
    dx[n, best_idx // w, best_idx % w, c] = g


def pool2d(
    x: Any, size: tuple[int, int], stride: tuple[int, int], pads: tuple[int, int, int, int], mode: str
) -> Any:
    """``y (N, OH, OW, C)``: max / min / mean of every ``size`` window; padded cells are ignored."""
    code = POOL_CODES[mode]
    on_device = _a.any_device(x)
    xd = _a.to_device(x)
    oh, ow = shapes.output_hw((xd.shape[1], xd.shape[2]), size, stride, pads)
    y = _a.empty((xd.shape[0], oh, ow, xd.shape[3]))  # (N, OH, OW, C)
    _a.launch_1d(
        pool_forward_kernel, y.size, xd, y, size[0], size[1], stride[0], stride[1], pads[0], pads[2], code
    )
    return _a.finish(y, on_device)


def pool2d_backward(
    x: Any,
    dy: Any,
    size: tuple[int, int],
    stride: tuple[int, int],
    pads: tuple[int, int, int, int],
    mode: str,
) -> Any:
    """``dx (N, H, W, C)``: max/min route ``dy`` to the first arg-extremum, avg spreads it over real cells."""
    code = POOL_CODES[mode]
    on_device = _a.any_device(x, dy)
    xd, dyd = _a.to_device(x), _a.to_device(dy)
    dx = _a.empty(xd.shape)
    _a.launch_1d(
        pool_backward_kernel,
        dx.size,
        xd,
        dyd,
        dx,
        size[0],
        size[1],
        stride[0],
        stride[1],
        pads[0],
        pads[2],
        code,
    )
    return _a.finish(dx, on_device)


def global_pool(x: Any, mode: str) -> Any:
    """``y (N, C)``: max / min / mean of each image's channel over all positions."""
    code = POOL_CODES[mode]
    on_device = _a.any_device(x)
    xd = _a.to_device(x)
    y = _a.empty((xd.shape[0], xd.shape[3]))
    _a.launch_1d(global_pool_forward_kernel, y.size, xd, y, code)
    return _a.finish(y, on_device)


def global_pool_backward(x: Any, dy: Any, mode: str) -> Any:
    """``dx (N, H, W, C)`` for upstream ``dy (N, C)``."""
    code = POOL_CODES[mode]
    on_device = _a.any_device(x, dy)
    xd, dyd = _a.to_device(x), _a.to_device(dy)
    dx = _a.empty(xd.shape)
    _a.launch_1d(global_pool_backward_kernel, dyd.size, xd, dyd, dx, code)
    return _a.finish(dx, on_device)
