"""Numba CPU dense layer: the rows of each product split between Numba threads, one single-threaded sgemm each.

Same reason as :mod:`engine.backends.cpu_conv_fused`: NumPy's threaded ``matmul`` between Numba kernels makes
the two thread pools hand the cores over twice per layer, which costs more than the product itself on a small
machine (a 64 x 4096 x 64 product takes a fraction of a millisecond). Here every slot multiplies its own rows::

    forward:   y[rows]      = x[rows] @ w + b
    backward:  dx[rows]     = dy[rows] @ w.T
               dw[in_rows]  = x[:, in_rows].T @ dy       (each slot owns a band of dw: no reduction needed)
               db           = column sums of dy           (float64, by the first slot)
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from engine.backends.cpu_blas import NO_TRANS, ROW_MAJOR, TRANS

_F4 = 4  # bytes per float32


@njit(parallel=True, cache=True)
def _forward(sgemm, x, w, b, slots, y):  # pragma: no cover - jitted
    """``y (N, D_out) = x (N, D_in) @ w (D_in, D_out) + b``."""
    n, d_in = x.shape
    d_out = w.shape[1]
    one = np.float32(1.0)
    zero = np.float32(0.0)
    for t in prange(slots):
        r0 = t * n // slots
        r1 = (t + 1) * n // slots
        if r1 > r0:
            sgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, r1 - r0, d_out, d_in, one, x.ctypes.data + r0 * d_in * _F4,
                  d_in, w.ctypes.data, d_out, zero, y.ctypes.data + r0 * d_out * _F4, d_out)
            for r in range(r0, r1):
                for o in range(d_out):
                    y[r, o] += b[o]


@njit(parallel=True, cache=True)
def _backward(sgemm, x, w, dy, slots, dx, dw, db):  # pragma: no cover - jitted
    """``dx = dy @ w.T``, ``dw = x.T @ dy``, ``db`` = column sums of ``dy`` (float64 accumulation)."""
    n, d_in = x.shape
    d_out = w.shape[1]
    one = np.float32(1.0)
    zero = np.float32(0.0)
    for t in prange(slots):
        r0 = t * n // slots
        r1 = (t + 1) * n // slots
        if r1 > r0:
            sgemm(ROW_MAJOR, NO_TRANS, TRANS, r1 - r0, d_in, d_out, one, dy.ctypes.data + r0 * d_out * _F4,
                  d_out, w.ctypes.data, d_out, zero, dx.ctypes.data + r0 * d_in * _F4, d_in)
        c0 = t * d_in // slots
        c1 = (t + 1) * d_in // slots
        if c1 > c0:
            sgemm(ROW_MAJOR, TRANS, NO_TRANS, c1 - c0, d_out, n, one, x.ctypes.data + c0 * _F4, d_in,
                  dy.ctypes.data, d_out, zero, dw.ctypes.data + c0 * d_out * _F4, d_out)
        if t == 0:
            acc = np.zeros(d_out, dtype=np.float64)
            for r in range(n):
                for o in range(d_out):
                    acc[o] += dy[r, o]
            for o in range(d_out):
                db[o] = np.float32(acc[o])
