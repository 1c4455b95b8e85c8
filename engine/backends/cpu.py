"""The Numba CPU tier: every function of the backend contract (see :mod:`engine.backends`).

The kernels live in three private modules, one concept each:

* :mod:`engine.backends.cpu_conv`: convolution as im2col + sgemm; with NumPy's OpenBLAS each Numba thread
  multiplies its own cache-sized block with a single-threaded sgemm (:mod:`engine.backends.cpu_conv_fused`,
  :mod:`engine.backends.cpu_blas`), otherwise ``prange`` im2col / col2im plus one host BLAS call per chunk;
* :mod:`engine.backends.cpu_pool`: windowed and global max / min / average pooling;
* :mod:`engine.backends.cpu_act`: element-wise activations and the row-wise softmax.

Inputs are float32, C-contiguous, NHWC, already validated by :mod:`engine.ops`; every kernel is compiled
lazily (on first use) for that single signature and cached on disk (``cache=True``). Jitted kernels and
BLAS calls never nest, so Numba's thread pool and BLAS's do not oversubscribe the cores; importing
:mod:`engine.backends.cpu_conv` also shortens OpenBLAS's idle spin (:mod:`engine.backends.cpu_threads`) so the two pools can take
turns without one starving the other.

Importing this module also keeps freed array memory in the process (:mod:`engine.backends.cpu_memory`): a
training step allocates and frees tens of megabytes, which otherwise page-fault in again on every batch.

The dense layer: with NumPy's OpenBLAS, :mod:`engine.backends.cpu_dense` (rows split between Numba threads, a
single-threaded sgemm each); otherwise two host BLAS products and a bias add, written here.
"""

from __future__ import annotations

import numpy as np
from numba import get_num_threads

from engine.backends import cpu_dense
from engine.backends.cpu_act import activation, activation_backward
from engine.backends.cpu_blas import SGEMM, single_threaded_blas
from engine.backends.cpu_conv import _add_bias, column_sums, conv2d, conv2d_backward
from engine.backends.cpu_memory import keep_freed_memory
from engine.backends.cpu_pool import global_pool, global_pool_backward, pool2d, pool2d_backward

keep_freed_memory()  # freed arrays stay in the heap: no page faults re-touching them every batch

__all__ = [
    "activation",
    "activation_backward",
    "conv2d",
    "conv2d_backward",
    "dense",
    "dense_backward",
    "global_pool",
    "global_pool_backward",
    "pool2d",
    "pool2d_backward",
]


def dense(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Fully connected forward: ``x (N, D_in) @ w (D_in, D_out) + b (D_out,)`` -> ``(N, D_out)``."""
    if SGEMM is not None and x.shape[0] and x.shape[1] and w.shape[1]:
        y = np.empty((x.shape[0], w.shape[1]), dtype=np.float32)  # (N, D_out)
        with single_threaded_blas():
            cpu_dense._forward(SGEMM, x, w, b, get_num_threads(), y)
        return y
    y = np.matmul(x, w)  # (N, D_out)
    if y.size:
        _add_bias(y, 0, y.shape[0], b)
    return y


def dense_backward(x: np.ndarray, w: np.ndarray, dy: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of :func:`dense`: ``dx (N, D_in) = dy @ w.T``, ``dw (D_in, D_out) = x.T @ dy``, ``db = sum(dy)``."""
    n, d_in = x.shape
    d_out = w.shape[1]
    if SGEMM is not None and n and d_in and d_out:
        dx = np.empty((n, d_in), dtype=np.float32)
        dw = np.empty((d_in, d_out), dtype=np.float32)
        db = np.empty(d_out, dtype=np.float32)
        with single_threaded_blas():
            cpu_dense._backward(SGEMM, x, w, dy, get_num_threads(), dx, dw, db)
        return dx, dw, db
    dx = np.matmul(dy, w.T)  # (N, D_in)
    dw = np.matmul(x.T, dy)  # (D_in, D_out)
    db = column_sums(dy) if dy.shape[0] else np.zeros(dy.shape[1], np.float32)
    return np.ascontiguousarray(dx), np.ascontiguousarray(dw), db
