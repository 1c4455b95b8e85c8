"""The Numba CPU tier: every function of the backend contract (:mod:`engine.backends.contract`).

One module per op, each a host wrapper over private ``@njit(cache=True)`` kernels:

* :mod:`~engine.backends.cpu.conv`: convolution as im2col + sgemm. With NumPy's OpenBLAS each Numba thread
  multiplies its own cache-sized block with a single-threaded sgemm (:mod:`~engine.backends.cpu.conv_blocked`,
  :mod:`~engine.backends.cpu._blas`); otherwise ``prange`` im2col / col2im plus one host BLAS call per chunk;
* :mod:`~engine.backends.cpu.conv_transpose`: the transposed convolution, through the convolution's own
  backward (``dx``) and forward kernels;
* :mod:`~engine.backends.cpu.batch_norm`: batch normalisation, its statistics and its backward;
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

Optional extras of the contract: :func:`conv2d_relu` and :func:`dense_relu` (bias and ReLU in one sweep),
:func:`conv2d_relu_backward` (the ReLU's mask applied inside the conv backward where a fast path takes it) and
:func:`kernel_session` (OpenBLAS kept single-threaded across a whole forward pass).

Convolutions go through :mod:`~engine.backends.cpu.conv_fast` first (Winograd for 3x3 stride-1 layers, ...),
which hands the shapes it does not take back to :mod:`~engine.backends.cpu.conv`.
"""

from __future__ import annotations

import numpy as np

from engine.backends.cpu import activations as _activations
from engine.backends.cpu import batch_norm as _bn
from engine.backends.cpu import conv as _conv
from engine.backends.cpu import conv_fast as _conv_fast
from engine.backends.cpu import conv_transpose as _conv_t
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
    "batch_norm",
    "batch_norm_backward",
    "batch_norm_training",
    "conv2d",
    "conv2d_backward",
    "conv2d_relu",
    "conv2d_relu_backward",
    "conv2d_transpose",
    "conv2d_transpose_backward",
    "dense",
    "dense_backward",
    "dense_relu",
    "global_pool",
    "global_pool_backward",
    "kernel_session",
    "moving_average",
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
    dilation: tuple[int, int] = (1, 1),
) -> np.ndarray:
    """``y (N, OH, OW, C_out)``; see :func:`engine.backends.cpu.conv.forward`."""
    return _conv.forward(x, w, b, stride, pads, flip, False, dilation)


@serialised
def conv2d_relu(
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray,
    stride: tuple[int, int],
    pads: tuple[int, int, int, int],
    flip: bool,
    dilation: tuple[int, int] = (1, 1),
) -> np.ndarray:
    """``relu(conv2d(...))`` in one sweep over the output."""
    return _conv.forward(x, w, b, stride, pads, flip, True, dilation)


@serialised
def conv2d_backward(
    x: np.ndarray,
    w: np.ndarray,
    dy: np.ndarray,
    stride: tuple[int, int],
    pads: tuple[int, int, int, int],
    flip: bool,
    need_dx: bool,
    dilation: tuple[int, int] = (1, 1),
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """``(dx | None, dw, db)``; see :func:`engine.backends.cpu.conv.backward`."""
    return _conv.backward(x, w, dy, stride, pads, flip, need_dx, dilation)


@serialised
def conv2d_transpose(
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray,
    stride: tuple[int, int],
    pads: tuple[int, int, int, int],
    out_hw: tuple[int, int],
    dilation: tuple[int, int] = (1, 1),
) -> np.ndarray:
    """``y (N, OH, OW, C_out)``; see :func:`engine.backends.cpu.conv_transpose.forward`."""
    return _conv_t.forward(x, w, b, stride, pads, out_hw, dilation)


@serialised
def conv2d_transpose_backward(
    x: np.ndarray,
    w: np.ndarray,
    dy: np.ndarray,
    stride: tuple[int, int],
    pads: tuple[int, int, int, int],
    need_dx: bool,
    dilation: tuple[int, int] = (1, 1),
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """``(dx | None, dw, db)``; see :func:`engine.backends.cpu.conv_transpose.backward`."""
    return _conv_t.backward(x, w, dy, stride, pads, need_dx, dilation)


@serialised
def batch_norm(
    x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, mean: np.ndarray, variance: np.ndarray, epsilon: float
) -> np.ndarray:
    """``y`` normalised with the given statistics; see :mod:`engine.backends.cpu.batch_norm`."""
    return _bn.forward(x, gamma, beta, mean, variance, epsilon)


@serialised
def batch_norm_training(
    x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, epsilon: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(y, mean, variance)`` with the batch's statistics; see :mod:`engine.backends.cpu.batch_norm`."""
    return _bn.training_forward(x, gamma, beta, epsilon)


@serialised
def batch_norm_backward(
    x: np.ndarray,
    gamma: np.ndarray,
    mean: np.ndarray,
    variance: np.ndarray,
    dy: np.ndarray,
    epsilon: float,
    training: bool,
    need_dx: bool,
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """``(dx | None, dgamma, dbeta)``; see :mod:`engine.backends.cpu.batch_norm`."""
    return _bn.backward(x, gamma, mean, variance, dy, epsilon, training, need_dx)


@serialised
def moving_average(moving: np.ndarray, value: np.ndarray, momentum: float) -> None:
    """``moving = momentum * moving + (1 - momentum) * value``, in place."""
    _bn.moving_average(moving, value, momentum)


@serialised
def conv2d_relu_backward(
    x: np.ndarray,
    w: np.ndarray,
    y: np.ndarray,
    dy: np.ndarray,
    stride: tuple[int, int],
    pads: tuple[int, int, int, int],
    flip: bool,
    need_dx: bool,
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """Gradients of :func:`conv2d_relu` given its output ``y (N, OH, OW, C_out)``: ``dy`` is masked by ``y >
    0`` inside the fast path's own pass over ``dy`` when one takes the call, else by a ReLU backward first."""
    if _conv.SGEMM is not None:
        fast = _conv_fast.backward(_conv.SGEMM, x, w, dy, stride, pads, flip, need_dx, relu_y=y)
        if fast is not None:
            return fast
    dz = activation_backward("relu", y, y, dy, 0.0)
    return _conv.backward(x, w, dz, stride, pads, flip, need_dx)


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
