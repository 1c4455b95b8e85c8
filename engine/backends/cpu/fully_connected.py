"""Numba CPU dense layer: the rows of each product split between Numba threads, one single-threaded sgemm
each.

Same reason as :mod:`engine.backends.cpu.conv_blocked`: NumPy's threaded ``matmul`` between Numba kernels
makes the two thread pools hand the cores over twice per layer, which costs more than the product itself on a
small
machine (a 64 x 4096 x 64 product takes a fraction of a millisecond). Here every slot multiplies its own
rows::

    forward:   y[rows]      = x[rows] @ w + b              (fewer rows than slots: y[:, cols] = x @ w[:, cols]
    + b) backward:  dx[rows]     = dy[rows] @ w.T
               dw[in_rows]  = x[:, in_rows].T @ dy       (each slot owns a band of dw: no reduction needed)
               db           = column sums of dy           (float64, by the first slot)

Products up to :data:`SMALL_DENSE_MACS` multiply-adds, and batches of up to :data:`SMALL_DENSE_ROWS` rows,
run serially in the calling thread; without NumPy's OpenBLAS the host wrappers fall back to two host BLAS
products and a bias add.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from engine.backends.cpu._blas import NO_TRANS, ROW_MAJOR, SGEMM, TRANS, single_threaded_blas
from engine.backends.cpu.conv import _add_bias, _add_bias_relu, column_sums
from engine.backends.cpu.threads import thread_count

_F4 = 4  # bytes per float32

#: dense products up to this many multiply-adds run serially in the calling thread (no thread hand-off)
SMALL_DENSE_MACS = 16 * 1024
#: batches up to this many rows run serially too, whatever the layer's size (see :func:`_forward_small`)
SMALL_DENSE_ROWS = 2


@njit(parallel=True, cache=True)
def _forward(sgemm, x, w, b, slots, relu, y):  # pragma: no cover - jitted
    """``y (N, D_out) = x (N, D_in) @ w (D_in, D_out) + b``, then ``relu`` (bool) in the same pass.

    With at least one row per slot the rows are split; with fewer rows (one image: a matrix-vector product
    that only streams ``w``) the output columns are, so each core reads half of ``w`` and keeps it in its own
    cache from call to call.
    """
    n, d_in = x.shape
    d_out = w.shape[1]
    one = np.float32(1.0)
    zero = np.float32(0.0)
    by_rows = n >= slots
    for t in prange(slots):
        if by_rows:
            r0 = t * n // slots
            r1 = (t + 1) * n // slots
            c0 = 0
            c1 = d_out
        else:
            r0 = 0
            r1 = n
            c0 = t * d_out // slots
            c1 = (t + 1) * d_out // slots
        if r1 > r0 and c1 > c0:
            sgemm(
                ROW_MAJOR,
                NO_TRANS,
                NO_TRANS,
                r1 - r0,
                c1 - c0,
                d_in,
                one,
                x.ctypes.data + r0 * d_in * _F4,
                d_in,
                w.ctypes.data + c0 * _F4,
                d_out,
                zero,
                y.ctypes.data + (r0 * d_out + c0) * _F4,
                d_out,
            )
            for r in range(r0, r1):
                for o in range(c0, c1):
                    v = y[r, o] + b[o]
                    y[r, o] = zero if relu and v < zero else v  # NaN is not < 0: it stays NaN


@njit(parallel=True, cache=True)
def _forward_ksplit(sgemm, x, w, b, relu, parts, y):  # pragma: no cover - jitted
    """``y = x @ w + b`` (then ``relu``) with the *inputs* split between slots: slot ``t`` multiplies its band
    of ``D_in`` into ``parts[t] (N, D_out)``; the bands are then summed in slot order (deterministic).

    For one image, or any batch smaller than ``D_in`` (the weights outweigh the activations), each core then
    streams only its own half of ``w``, which stays in its cache between calls: 9 us against 20 us for the
    row split on the lesson network's 4096 x 64 layer at batch 1 (2 threads), 196 against 218 at batch 64.
    """
    n, d_in = x.shape
    d_out = w.shape[1]
    slots = parts.shape[0]
    one = np.float32(1.0)
    zero = np.float32(0.0)
    for t in prange(slots):
        k0 = t * d_in // slots
        k1 = (t + 1) * d_in // slots
        sgemm(
            ROW_MAJOR,
            NO_TRANS,
            NO_TRANS,
            n,
            d_out,
            k1 - k0,
            one,
            x.ctypes.data + k0 * _F4,
            d_in,
            w.ctypes.data + k0 * d_out * _F4,
            d_out,
            zero,
            parts.ctypes.data + t * n * d_out * _F4,
            d_out,
        )
    for r in range(n):
        for o in range(d_out):
            v = b[o]
            for t in range(slots):
                v += parts[t, r, o]
            y[r, o] = zero if relu and v < zero else v


@njit(cache=True, fastmath={"contract"})
def _forward_small(x, w, b, relu, y):  # pragma: no cover - jitted
    """``y = x @ w + b`` (then ``relu``) in the calling thread, for products too small to be worth waking the
    thread pool (a 64 x 10 output layer: 0.6 us here against 7 us through the parallel path) and for a few
    rows (one image: a matrix-vector product, which OpenBLAS's sgemm runs as a general product, 47 us for
    the lesson network's 1 x 4096 x 64 against 9 us here).

    Four inputs per pass over a local accumulator row: a quarter of the accumulator loads and stores of a
    plain loop over ``y`` (18 -> 9 us on that layer).
    """
    n, d_in = x.shape
    d_out = w.shape[1]
    zero = np.float32(0.0)
    acc = np.empty(d_out, np.float32)
    k4 = d_in - d_in % 4
    for r in range(n):
        for o in range(d_out):
            acc[o] = zero
        for k in range(0, k4, 4):
            a0 = x[r, k]
            a1 = x[r, k + 1]
            a2 = x[r, k + 2]
            a3 = x[r, k + 3]
            for o in range(d_out):
                acc[o] += (a0 * w[k, o] + a1 * w[k + 1, o]) + (a2 * w[k + 2, o] + a3 * w[k + 3, o])
        for k in range(k4, d_in):
            a0 = x[r, k]
            for o in range(d_out):
                acc[o] += a0 * w[k, o]
        for o in range(d_out):
            v = acc[o] + b[o]
            y[r, o] = zero if relu and v < zero else v  # NaN is not < 0: it stays NaN


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
            sgemm(
                ROW_MAJOR,
                NO_TRANS,
                TRANS,
                r1 - r0,
                d_in,
                d_out,
                one,
                dy.ctypes.data + r0 * d_out * _F4,
                d_out,
                w.ctypes.data,
                d_out,
                zero,
                dx.ctypes.data + r0 * d_in * _F4,
                d_in,
            )
        c0 = t * d_in // slots
        c1 = (t + 1) * d_in // slots
        if c1 > c0:
            sgemm(
                ROW_MAJOR,
                TRANS,
                NO_TRANS,
                c1 - c0,
                d_out,
                n,
                one,
                x.ctypes.data + c0 * _F4,
                d_in,
                dy.ctypes.data,
                d_out,
                zero,
                dw.ctypes.data + c0 * d_out * _F4,
                d_out,
            )
        if t == 0:
            acc = np.zeros(d_out, dtype=np.float64)
            for r in range(n):
                for o in range(d_out):
                    acc[o] += dy[r, o]
            for o in range(d_out):
                db[o] = np.float32(acc[o])


def forward(x: np.ndarray, w: np.ndarray, b: np.ndarray, relu: bool) -> np.ndarray:
    """``x (N, D_in) @ w (D_in, D_out) + b (D_out,)`` -> ``(N, D_out)``; ``relu=True`` applies the ReLU in the
    pass that adds the bias."""
    n, d_in = x.shape
    d_out = w.shape[1]
    if n * d_in * d_out <= SMALL_DENSE_MACS or n <= SMALL_DENSE_ROWS:
        y = np.empty((n, d_out), dtype=np.float32)
        _forward_small(x, w, b, bool(relu), y)
        return y
    if SGEMM is not None and n and d_in and d_out:
        y = np.empty((n, d_out), dtype=np.float32)  # (N, D_out)
        slots = thread_count()
        with single_threaded_blas():
            if d_in > n and slots > 1:  # the weights outweigh the batch: each core takes a band of them
                parts = np.empty((slots, n, d_out), dtype=np.float32)
                _forward_ksplit(SGEMM, x, w, b, bool(relu), parts, y)
            else:
                _forward(SGEMM, x, w, b, slots, bool(relu), y)
        return y
    y = np.matmul(x, w)  # (N, D_out)
    if y.size:
        (_add_bias_relu if relu else _add_bias)(y, 0, y.shape[0], b)
    return y


def backward(x: np.ndarray, w: np.ndarray, dy: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of :func:`forward`: ``dx (N, D_in) = dy @ w.T``, ``dw (D_in, D_out) = x.T @ dy``, ``db =
    sum(dy)``."""
    n, d_in = x.shape
    d_out = w.shape[1]
    if SGEMM is not None and n and d_in and d_out:
        dx = np.empty((n, d_in), dtype=np.float32)
        dw = np.empty((d_in, d_out), dtype=np.float32)
        db = np.empty(d_out, dtype=np.float32)
        with single_threaded_blas():
            _backward(SGEMM, x, w, dy, thread_count(), dx, dw, db)
        return dx, dw, db
    dx = np.matmul(dy, w.T)  # (N, D_in)
    dw = np.matmul(x.T, dy)  # (D_in, D_out)
    db = column_sums(dy) if dy.shape[0] else np.zeros(dy.shape[1], np.float32)
    return np.ascontiguousarray(dx), np.ascontiguousarray(dw), db
