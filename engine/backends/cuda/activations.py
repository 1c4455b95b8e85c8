"""Element-wise ops on the ``cuda`` tier: activations (softmax row by row) and the product Dropout applies.

``@cuda.jit`` kernels, private and loop-only, one thread per element (per row for softmax), and their
wrappers. Activations arrive as the small ints of :data:`engine.backends.contract.ACTIVATION_CODES`; the
formulas are the reference tier's (``relu`` keeps NaN, ``sigmoid`` never overflows, softmax subtracts the row
maximum).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numba import cuda, float32

from engine.backends.contract import ACTIVATION_CODES
from engine.backends.cuda import arrays as _a

__all__ = ["activation", "activation_backward", "multiply"]


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


@cuda.jit
def multiply_kernel(a, b, out):
    """``out = a * b`` element-wise on flat arrays (dropout masks)."""
    i = cuda.grid(1)
    if i < out.shape[0]:
        out[i] = a[i] * b[i]


def _rows(d: Any) -> Any:
    """View ``d`` as ``(rows, last axis)`` for the softmax row kernels."""
    last = d.shape[d.ndim - 1] if d.ndim else 1  # (the simulator shape refuses [-1])
    return d.reshape(d.size // last if last else 0, last)


def activation(name: str, x: Any, alpha: float) -> Any:
    """Element-wise activation of any shape (softmax over the last axis, shifted by the row maximum)."""
    code = ACTIVATION_CODES[name]
    on_device = _a.any_device(x)
    xd = _a.to_device(x)
    y = _a.empty(xd.shape)
    if xd.size:
        if name == "softmax":
            rows = _rows(xd)
            _a.launch_1d(softmax_kernel, rows.shape[0], rows, _rows(y))
        else:
            _a.launch_1d(
                activation_kernel, xd.size, xd.reshape(xd.size), y.reshape(y.size), code, np.float32(alpha)
            )
    return _a.finish(y, on_device)


def activation_backward(name: str, x: Any, y: Any, dy: Any, alpha: float) -> Any:
    """``dx`` (shape of ``x``) given the input ``x``, the forward output ``y`` and the upstream ``dy``."""
    code = ACTIVATION_CODES[name]
    on_device = _a.any_device(x, y, dy)
    xd, yd, dyd = _a.to_device(x), _a.to_device(y), _a.to_device(dy)
    dx = _a.empty(xd.shape)
    if xd.size:
        if name == "softmax":
            _a.launch_1d(softmax_backward_kernel, _rows(yd).shape[0], _rows(yd), _rows(dyd), _rows(dx))
        else:
            flat = xd.size
            _a.launch_1d(
                activation_backward_kernel,
                flat,
                xd.reshape(flat),
                yd.reshape(flat),
                dyd.reshape(flat),
                dx.reshape(flat),
                code,
                np.float32(alpha),
            )
    return _a.finish(dx, on_device)


def multiply(a: Any, b: Any) -> Any:
    """``a * b`` element-wise (same shapes): how Dropout applies its mask."""
    on_device = _a.any_device(a, b)
    ad, bd = _a.to_device(a), _a.to_device(b)
    out = _a.empty(tuple(ad.shape))
    _a.launch_1d(multiply_kernel, out.size, ad.reshape(ad.size), bd.reshape(bd.size), out.reshape(out.size))
    return _a.finish(out, on_device)
