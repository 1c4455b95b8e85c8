"""The Numba CPU tier: every function of the backend contract (:mod:`engine.backends.contract`).

One module per op, each a host wrapper over private ``@njit(cache=True)`` kernels:

* :mod:`~engine.backends.cpu.conv`: convolution as im2col + sgemm. With NumPy's OpenBLAS each Numba thread
  multiplies its own cache-sized block with a single-threaded sgemm (:mod:`~engine.backends.cpu.conv_blocked`,
  :mod:`~engine.backends.cpu._blas`); otherwise ``prange`` im2col / col2im plus one host BLAS call per chunk;
* :mod:`~engine.backends.cpu.fully_connected`: the rows (or the inputs) of each product split between Numba
  threads;
* :mod:`~engine.backends.cpu.pool`: windowed and global max / min / average pooling;
* :mod:`~engine.backends.cpu.activations`: element-wise activations and the row-wise softmax;
* :mod:`~engine.backends.cpu.threads`: the thread count the kernels split their work by.

Inputs are float32, C-contiguous, NHWC, already checked by the caller; every kernel compiles lazily (on first
use) for that single signature and is cached on disk. Jitted kernels and BLAS calls never nest, so Numba's
thread pool and BLAS's do not oversubscribe the cores. The first conv or dense call applies the process tuning
(:func:`engine.tuning.tune_process`: allocator thresholds, a short OpenBLAS spin), unless the caller did
already.

Every function that runs a parallel kernel is :func:`~engine.backends.cpu.threads.serialised`: safe to
call from several threads on every Numba threading layer, ``workqueue`` included.

Optional extras of the contract: :func:`conv2d_relu` and :func:`dense_relu` (bias and ReLU in one sweep) and
:func:`kernel_session` (OpenBLAS kept single-threaded across a whole forward pass).
"""

from __future__ import annotations

import numpy as np

from engine.backends.cpu import activations as _activations
from engine.backends.cpu import conv as _conv
from engine.backends.cpu import fully_connected as _dense
from engine.backends.cpu import pool as _pool
from engine.backends.cpu._blas import single_threaded_blas
from engine.backends.cpu.threads import serialised
from engine.backends.host import HostDevice
from engine.backends.host import host_to_device as to_device
from engine.backends.host import host_to_host as to_host

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
    "multiply",
    "pool2d",
    "pool2d_backward",
    "to_device",
    "to_host",
    "training_device",
]

#: a block inside which several kernel calls share one single-threaded-BLAS setting (see
#: :mod:`engine.inference`): the kernels' own blocks then only count users instead of switching OpenBLAS
kernel_session = single_threaded_blas

activation = serialised(_activations.activation)
activation_backward = serialised(_activations.activation_backward)
global_pool = serialised(_pool.global_pool)
global_pool_backward = serialised(_pool.global_pool_backward)
pool2d = serialised(_pool.pool2d)
pool2d_backward = serialised(_pool.pool2d_backward)



@serialised
def conv2d(
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray,
    stride: tuple[int, int],
    pads: tuple[int, int, int, int],
    flip: bool,
) -> np.ndarray:
    """``y (N, OH, OW, C_out)``; see :func:`engine.backends.cpu.conv.forward`."""
    return _conv.forward(x, w, b, stride, pads, flip, False)


@serialised
def conv2d_relu(
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray,
    stride: tuple[int, int],
    pads: tuple[int, int, int, int],
    flip: bool,
) -> np.ndarray:
    """``relu(conv2d(...))`` in one sweep over the output."""
    return _conv.forward(x, w, b, stride, pads, flip, True)


@serialised
def conv2d_backward(
    x: np.ndarray,
    w: np.ndarray,
    dy: np.ndarray,
    stride: tuple[int, int],
    pads: tuple[int, int, int, int],
    flip: bool,
    need_dx: bool,
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """``(dx | None, dw, db)``; see :func:`engine.backends.cpu.conv.backward`."""
    return _conv.backward(x, w, dy, stride, pads, flip, need_dx)


@serialised
def dense(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``x (N, D_in) @ w (D_in, D_out) + b`` -> ``(N, D_out)``."""
    return _dense.forward(x, w, b, False)


@serialised
def dense_relu(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``relu(dense(x, w, b))`` in one sweep over the output."""
    return _dense.forward(x, w, b, True)


@serialised
def dense_backward(x: np.ndarray, w: np.ndarray, dy: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(dx (N, D_in), dw (D_in, D_out), db (D_out,))``."""
    return _dense.backward(x, w, dy)


def multiply(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a * b`` element-wise (a Dropout mask): one NumPy pass, no parallel region to start for it."""
    return np.multiply(a, b)


def training_device() -> HostDevice:
    """The cpu tier trains in the host's memory: :class:`engine.backends.host.HostDevice`."""
    return HostDevice()
