"""Numba CPU activations: element-wise kernels over the flattened array, softmax over the last axis.

The formulas are the reference tier's, operation for operation, so both tiers treat NaN, inf and signed zeros
alike: ``relu`` keeps ``x`` unless ``x < 0`` (so NaN stays NaN), its gradient passes ``dy`` only where
``x > 0``; ``sigmoid`` uses ``exp(-|x|)`` so it never overflows; ``softmax`` subtracts the row maximum.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from engine.backends.contract import ACTIVATION_CODES


@njit(parallel=True, cache=True)
def _forward(x, code, alpha, y):  # pragma: no cover - jitted
    """Element-wise activation ``code`` (:data:`engine.backends.contract.ACTIVATION_CODES`) of the 1-D ``x``
    into ``y`` (softmax is handled by :func:`_softmax`)."""
    one = np.float32(1.0)
    zero = np.float32(0.0)
    a = np.float32(alpha)
    n = x.shape[0]
    if code == 0:
        for i in prange(n):
            y[i] = x[i]
    elif code == 1:
        for i in prange(n):
            v = x[i]
            y[i] = max(v, zero)
    elif code == 2:
        for i in prange(n):
            v = x[i]
            y[i] = a * v if v < zero else v
    elif code == 3:
        for i in prange(n):
            v = x[i]
            e = np.exp(-np.abs(v))
            y[i] = one / (one + e) if v >= zero else e / (one + e)
    else:
        for i in prange(n):
            y[i] = np.tanh(x[i])


@njit(parallel=True, cache=True)
def _backward(x, y, dy, code, alpha, dx):  # pragma: no cover - jitted
    """Element-wise gradient of activation ``code`` (1-D arrays); ``y`` is the forward output."""
    one = np.float32(1.0)
    zero = np.float32(0.0)
    a = np.float32(alpha)
    n = x.shape[0]
    if code == 0:
        for i in prange(n):
            dx[i] = dy[i]
    elif code == 1:
        for i in prange(n):
            dx[i] = dy[i] if x[i] > zero else zero
    elif code == 2:
        for i in prange(n):
            dx[i] = dy[i] if x[i] > zero else a * dy[i]
    elif code == 3:
        for i in prange(n):
            dx[i] = dy[i] * y[i] * (one - y[i])
    else:
        for i in prange(n):
            dx[i] = dy[i] * (one - y[i] * y[i])


@njit(parallel=True, cache=True)
def _softmax(x, y):  # pragma: no cover - jitted
    """Row-wise stable softmax of ``x (rows, D)`` into ``y``."""
    rows, d = x.shape
    for r in prange(rows):
        m = x[r, 0]
        for k in range(1, d):
            # np.max semantics: a NaN anywhere makes the max NaN (and the whole row NaN)
            if x[r, k] > m or np.isnan(x[r, k]):
                m = x[r, k]
                if np.isnan(m):
                    break
        s = np.float32(0.0)
        for k in range(d):
            e = np.exp(x[r, k] - m)
            y[r, k] = e
            s += e
        for k in range(d):
            y[r, k] = y[r, k] / s


@njit(parallel=True, cache=True)
def _softmax_backward(y, dy, dx):  # pragma: no cover - jitted
    """``dx = y * (dy - sum(dy * y))`` per row of ``(rows, D)`` arrays (the Jacobian-vector product)."""
    rows, d = y.shape
    for r in prange(rows):
        s = np.float32(0.0)
        for k in range(d):
            s += dy[r, k] * y[r, k]
        for k in range(d):
            dx[r, k] = y[r, k] * (dy[r, k] - s)


def activation(name: str, x: np.ndarray, alpha: float) -> np.ndarray:
    """Activation ``name`` of ``x`` (any shape, float32 C-contiguous); softmax over the last axis."""
    y = np.empty_like(x)
    if x.size == 0:
        return y
    if name == "softmax":
        d = x.shape[-1]
        _softmax(x.reshape(-1, d), y.reshape(-1, d))
    else:
        _forward(x.reshape(-1), ACTIVATION_CODES[name], float(alpha), y.reshape(-1))
    return y


def activation_backward(name: str, x: np.ndarray, y: np.ndarray, dy: np.ndarray, alpha: float) -> np.ndarray:
    """Gradient of :func:`activation` w.r.t. ``x`` given its output ``y`` and the upstream ``dy``."""
    y = np.ascontiguousarray(y, dtype=np.float32)
    dx = np.empty_like(x)
    if x.size == 0:
        return dx
    if name == "softmax":
        d = x.shape[-1]
        _softmax_backward(y.reshape(-1, d), dy.reshape(-1, d), dx.reshape(-1, d))
    else:
        _backward(
            x.reshape(-1), y.reshape(-1), dy.reshape(-1), ACTIVATION_CODES[name], float(alpha), dx.reshape(-1)
        )
    return dx
