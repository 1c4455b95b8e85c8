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

from engine.backends import cpu_dense
from engine.backends.cpu_act import activation, activation_backward
from engine.backends.cpu_blas import SGEMM, single_threaded_blas
from engine.backends.cpu_conv import _add_bias, _add_bias_relu, column_sums, conv2d, conv2d_backward
from engine.backends.cpu_memory import keep_freed_memory
from engine.backends.cpu_pool import global_pool, global_pool_backward, pool2d, pool2d_backward
from engine.backends.cpu_threads import thread_count

keep_freed_memory()  # freed arrays stay in the heap: no page faults re-touching them every batch

#: dense products up to this many multiply-adds run serially in the calling thread (no thread hand-off)
SMALL_DENSE_MACS = 16 * 1024

#: a block inside which several kernel calls share one single-threaded-BLAS setting (see
#: :mod:`engine.inference`): the kernels' own blocks then only count users instead of switching OpenBLAS
kernel_session = single_threaded_blas

__all__ = [
    "activation",
    "activation_backward",
    "conv2d",
    "conv2d_backward",
    "conv2d_relu",
    "dense",
    "dense_backward",
    "dense_relu",
    "global_pool",
    "global_pool_backward",
    "kernel_session",
    "pool2d",
    "pool2d_backward",
]


def dense(x: np.ndarray, w: np.ndarray, b: np.ndarray, relu: bool = False) -> np.ndarray:
    """Fully connected forward: ``x (N, D_in) @ w (D_in, D_out) + b (D_out,)`` -> ``(N, D_out)``; ``relu=True``
    applies the ReLU in the pass that adds the bias."""
    n, d_in = x.shape
    d_out = w.shape[1]
    if n * d_in * d_out <= SMALL_DENSE_MACS:
        y = np.empty((n, d_out), dtype=np.float32)
        cpu_dense._forward_small(x, w, b, bool(relu), y)
        return y
    if SGEMM is not None and n and d_in and d_out:
        y = np.empty((n, d_out), dtype=np.float32)  # (N, D_out)
        slots = thread_count()
        with single_threaded_blas():
            if d_in > n and slots > 1:  # the weights outweigh the batch: each core takes a band of them
                parts = np.empty((slots, n, d_out), dtype=np.float32)
                cpu_dense._forward_ksplit(SGEMM, x, w, b, bool(relu), parts, y)
            else:
                cpu_dense._forward(SGEMM, x, w, b, slots, bool(relu), y)
        return y
    y = np.matmul(x, w)  # (N, D_out)
    if y.size:
        (_add_bias_relu if relu else _add_bias)(y, 0, y.shape[0], b)
    return y


def conv2d_relu(
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray,
    stride: tuple[int, int],
    pads: tuple[int, int, int, int],
    flip: bool,
) -> np.ndarray:
    """``relu(conv2d(...))`` in one sweep over the output (see :func:`engine.backends.cpu_conv.conv2d`)."""
    return conv2d(x, w, b, stride, pads, flip, relu=True)


def dense_relu(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``relu(dense(x, w, b))`` in one sweep over the output."""
    return dense(x, w, b, relu=True)


def dense_backward(x: np.ndarray, w: np.ndarray, dy: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of :func:`dense`: ``dx (N, D_in) = dy @ w.T``, ``dw (D_in, D_out) = x.T @ dy``, ``db = sum(dy)``."""
    n, d_in = x.shape
    d_out = w.shape[1]
    if SGEMM is not None and n and d_in and d_out:
        dx = np.empty((n, d_in), dtype=np.float32)
        dw = np.empty((d_in, d_out), dtype=np.float32)
        db = np.empty(d_out, dtype=np.float32)
        with single_threaded_blas():
            cpu_dense._backward(SGEMM, x, w, dy, thread_count(), dx, dw, db)
        return dx, dw, db
    dx = np.matmul(dy, w.T)  # (N, D_in)
    dw = np.matmul(x.T, dy)  # (D_in, D_out)
    db = column_sums(dy) if dy.shape[0] else np.zeros(dy.shape[1], np.float32)
    return np.ascontiguousarray(dx), np.ascontiguousarray(dw), db
