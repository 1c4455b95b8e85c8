"""Dense layers on the ``cuda`` tier: a shared-memory tiled matrix product and a column sum, with their
wrappers.

``dense``: ``y = x @ w + b`` is one :func:`matmul` with the bias folded into the kernel's store;
``dense_backward``: ``dx = dy @ w.T`` and ``dw = x.T @ dy`` (the transposes are read in place, never made) and
``db`` a column sum of ``dy``. Kernels are private and loop-only, float32 only (every literal
``float32(...)``); the tile side ``T`` must be a compile-time constant for ``cuda.shared.array``, so the
product kernel is built by a factory per tile size (``engine.config`` ``"cuda_tile"``) and cached.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

from numba import cuda, float32

from engine.backends.cuda import arrays as _a

__all__ = ["column_sum", "dense", "dense_backward", "matmul"]


@cache
def gemm_kernel(tile: int) -> Any:
    """Kernel ``(a, b, c, bias, trans_a, trans_b, use_bias, chunk)``: ``c (+)= op(a) @ op(b) (+ bias)``.

    ``op(a)`` is ``a.T`` when ``trans_a`` (likewise ``b``); ``op(a)`` is ``(M, K)``, ``op(b)`` is ``(K, N)``,
    ``c`` is ``(M, N)``. With one chunk (``chunk >= K``) ``c`` is overwritten; with several (grid ``z > 1``)
    each chunk adds its partial tile atomically and ``c`` must be zeroed first. Launch: grid ``(ceil(N / T),
    ceil(M / T), chunks)``, block ``(T, T)``.
    """
    T = tile

    @cuda.jit
    def _gemm(a, b, c, bias, trans_a, trans_b, use_bias, chunk):
        m_total, n_total = c.shape
        k_total = a.shape[0] if trans_a else a.shape[1]
        a_tile = cuda.shared.array((T, T), float32)
        b_tile = cuda.shared.array((T, T), float32)
        tx = cuda.threadIdx.x
        ty = cuda.threadIdx.y
        row = cuda.blockIdx.y * T + ty
        col = cuda.blockIdx.x * T + tx
        k_start = cuda.blockIdx.z * chunk
        k_stop = min(k_start + chunk, k_total)
        acc = float32(0.0)
        for k0 in range(k_start, k_stop, T):
            ka = k0 + tx
            v = float32(0.0)
            if row < m_total and ka < k_stop:
                v = a[ka, row] if trans_a else a[row, ka]
            a_tile[ty, tx] = v
            kb = k0 + ty
            v = float32(0.0)
            if kb < k_stop and col < n_total:
                v = b[col, kb] if trans_b else b[kb, col]
            b_tile[ty, tx] = v
            cuda.syncthreads()
            for kk in range(T):
                acc += a_tile[ty, kk] * b_tile[kk, tx]
            cuda.syncthreads()
        if row < m_total and col < n_total:
            if use_bias:
                acc += bias[col]
            if cuda.gridDim.z > 1:
                cuda.atomic.add(c, (row, col), acc)
            else:
                c[row, col] = acc

    return _gemm


@cuda.jit
def column_sum_kernel(a, out, chunk):
    """``out[j] += sum of a[i, j]`` over rows ``[z * chunk, (z + 1) * chunk)`` for chunk ``z = blockIdx.y``.

    ``out`` must be zeroed first. Launch: grid ``(ceil(cols / tpb), chunks)``, block ``tpb`` (1-D).
    """
    rows, cols = a.shape
    j = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    if j >= cols:
        return
    start = cuda.blockIdx.y * chunk
    stop = min(start + chunk, rows)
    acc = float32(0.0)
    for i in range(start, stop):
        acc += a[i, j]
    cuda.atomic.add(out, j, acc)


def column_sum(a: Any) -> Any:
    """``a (R, C)`` summed over its rows -> ``(C,)`` device array (chunks of rows add their sums
    atomically)."""
    rows, cols = a.shape
    out = _a.zeros(cols)
    if rows > 0 and cols > 0:
        tpb = _a.threads_per_block()
        col_blocks = math.ceil(cols / tpb)
        per = max(1, math.ceil(rows / max(1, _a.target_blocks() // col_blocks)))
        per = max(per, 32)  # keep each thread's loop worth its atomic add
        column_sum_kernel[(col_blocks, math.ceil(rows / per)), tpb](a, out, per)
    return out


def matmul(a: Any, b: Any, trans_a: bool = False, trans_b: bool = False, bias: Any = None) -> Any:
    """``op(a) @ op(b) (+ bias)`` on the device with the tiled kernel; returns a device array.

    ``op(a)`` is ``a.T`` when ``trans_a``. A long inner dimension with a small output is split over
    ``blockIdx.z`` chunks that add their tiles atomically.
    """
    ad, bd = _a.to_device(a), _a.to_device(b)
    m = ad.shape[1] if trans_a else ad.shape[0]
    k = ad.shape[0] if trans_a else ad.shape[1]
    n = bd.shape[0] if trans_b else bd.shape[1]
    t = _a.tile()
    grid_xy = (math.ceil(n / t), math.ceil(m / t))
    per, chunks = _a.chunk(k, t, grid_xy[0] * grid_xy[1])
    if bias is not None and chunks > 1:  # the bias must be added once, not once per chunk
        per, chunks = max(k, 1), 1
    c = _a.zeros((m, n)) if chunks > 1 else _a.empty((m, n))
    use_bias = bias is not None
    bias_d = _a.to_device(bias) if use_bias else _a.zeros(1)
    if m > 0 and n > 0:
        gemm_kernel(t)[(grid_xy[0], grid_xy[1], chunks), (t, t)](
            ad, bd, c, bias_d, bool(trans_a), bool(trans_b), use_bias, per
        )
    return c


def dense(x: Any, w: Any, b: Any) -> Any:
    """``y (N, D_out) = x (N, D_in) @ w (D_in, D_out) + b``."""
    on_device = _a.any_device(x, w, b)
    return _a.finish(matmul(x, w, bias=b), on_device)


def dense_backward(x: Any, w: Any, dy: Any) -> tuple[Any, Any, Any]:
    """``(dx = dy @ w.T (N, D_in), dw = x.T @ dy (D_in, D_out), db = dy summed over rows (D_out,))``."""
    on_device = _a.any_device(x, w, dy)
    xd, wd, dyd = _a.to_device(x), _a.to_device(w), _a.to_device(dy)
    dx = matmul(dyd, wd, trans_b=True)
    dw = matmul(xd, dyd, trans_a=True)
    db = column_sum(dyd)
    return _a.finish(dx, on_device), _a.finish(dw, on_device), _a.finish(db, on_device)
