"""``@cuda.jit`` kernels for pooling, global pooling and activations (one thread per output element).

Private and loop-only; :mod:`engine.backends.cuda` launches them on 1-D grids of ``engine.config``
``"cuda_threads_per_block"`` threads. Modes and activations are passed as small integer codes (see
:data:`POOL_CODES` and :data:`ACTIVATION_CODES`). float32 only; NaN is computed through as in the reference tier.

Pooling backward is a *gather*: each input cell visits the few windows that contain it and, for max/min,
recomputes which cell won (the first in row-major order on ties), so no atomics are needed and the result is
deterministic.
"""

from __future__ import annotations

import math

from numba import cuda, float32, int32

POOL_CODES = {"max": 0, "min": 1, "avg": 2}
ACTIVATION_CODES = {"linear": 0, "relu": 1, "leaky_relu": 2, "sigmoid": 3, "tanh": 4, "softmax": 5}


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
    """``dx[n, r, q, c]``: the sum of ``dy`` over the windows that route to this cell; one thread per input."""
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
    """Write the whole ``(n, c)`` plane of ``dx``: ``dy`` at the first arg-extremum (max/min) or spread (avg)."""
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


@cuda.jit(device=True)
def _sigmoid(v):
    if v >= float32(0.0):
        return float32(1.0) / (float32(1.0) + math.exp(-v))
    e = math.exp(v)
    return e / (float32(1.0) + e)


@cuda.jit
def activation_kernel(x, y, code, alpha):
    """Element-wise activation on flat arrays (softmax has its own row kernel). NaN stays NaN."""
    i = cuda.grid(1)
    if i >= x.shape[0]:
        return
    v = x[i]
    if code == 1:
        y[i] = float32(0.0) if v < float32(0.0) else v
    elif code == 2:
        y[i] = alpha * v if v < float32(0.0) else v
    elif code == 3:
        y[i] = _sigmoid(v)
    elif code == 4:
        y[i] = math.tanh(v)
    else:
        y[i] = v


@cuda.jit
def activation_backward_kernel(x, y, dy, dx, code, alpha):
    """Element-wise ``dx = f'(x) * dy`` on flat arrays, using the forward output ``y`` where it is cheaper."""
    i = cuda.grid(1)
    if i >= x.shape[0]:
        return
    g = dy[i]
    if code == 1:
        dx[i] = g if x[i] > float32(0.0) else float32(0.0)
    elif code == 2:
        dx[i] = g if x[i] > float32(0.0) else alpha * g
    elif code == 3:
        dx[i] = g * y[i] * (float32(1.0) - y[i])
    elif code == 4:
        dx[i] = g * (float32(1.0) - y[i] * y[i])
    else:
        dx[i] = g


@cuda.jit
def softmax_kernel(x, y):
    """Row softmax of ``x (R, L)``, shifted by the row maximum; one thread per row."""
    r = cuda.grid(1)
    if r >= x.shape[0]:
        return
    length = x.shape[1]
    top = x[r, 0]
    for j in range(1, length):
        if x[r, j] > top:
            top = x[r, j]
    total = float32(0.0)
    for j in range(length):
        e = math.exp(x[r, j] - top)
        y[r, j] = e
        total += e
    for j in range(length):
        y[r, j] = y[r, j] / total


@cuda.jit
def softmax_backward_kernel(y, dy, dx):
    """``dx = y * (dy - sum(dy * y))`` per row of ``(R, L)``; one thread per row."""
    r = cuda.grid(1)
    if r >= y.shape[0]:
        return
    dot = float32(0.0)
    for j in range(y.shape[1]):
        dot += dy[r, j] * y[r, j]
    for j in range(y.shape[1]):
        dx[r, j] = y[r, j] * (dy[r, j] - dot)
