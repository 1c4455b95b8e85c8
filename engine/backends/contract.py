"""The backend contract, as code: the functions every tier provides, their signatures, and the names they
share.

A tier is a module (``engine.backends.reference``) or a package front door (``engine.backends.cpu``,
``engine.backends.cuda``) that provides every function of :data:`REQUIRED` with exactly the signature written
below (``tests/backends/test_contract.py`` checks the three tiers), and may provide those of :data:`OPTIONAL`.

What a tier receives
--------------------
The layers (:mod:`engine.layers`) and the public ops (:mod:`engine.ops`) call the tier with arrays that are
already checked, so a tier never validates:

* every array is ``float32``, C-contiguous and writeable (each Numba kernel compiles one signature); images
  are NHWC ``(N, H, W, C)``; conv weights ``(KH, KW, C_in, C_out)``; dense weights ``(D_in, D_out)``; biases
  1-D (zeros when a layer has none). The cuda tier also takes its own device arrays, and then returns device
  arrays;
* ``stride`` and ``dilation`` are ``(sh, sw)`` / ``(dh, dw)`` with ints >= 1; ``pads`` is ``(top, bottom,
  left, right)`` with ints >= 0, resolved from "valid"/"same"/"full" by :mod:`engine.shapes` with the
  kernel's effective size ``d (K - 1) + 1``; that window fits in the padded input; ``flip`` is a bool;
* a transposed convolution's weights are ``(KH, KW, C_out, C_in)`` (Keras' ``Conv2DTranspose``), its
  ``pads`` and ``out_hw`` those of the convolution it is the adjoint of
  (:func:`engine.shapes.resolve_transpose_padding`);
* batch normalisation works over the last axis (channels of NHWC images, features of ``(N, D)``): every
  other axis is a sample; ``gamma``, ``beta``, ``mean``, ``variance`` are ``(C,)`` (ones and zeros when a
  layer has no scale or centre); ``epsilon`` > 0 and ``momentum`` in ``[0, 1]`` are floats;
* pooling ``size`` is ``(ph, pw)``; each pad is smaller than the window along its axis; padded cells are
  *ignored* (max/min over the real cells only, the average divided by their count: TensorFlow's convention);
  ties in max/min go to the first cell of the window in row-major order; a NaN wins its window;
* ``mode`` is one of :data:`POOL_MODES`; ``name`` one of :data:`ACTIVATIONS`; ``alpha`` is leaky_relu's slope.

Output sizes are :func:`engine.shapes.output_hw` (``floor((H + top + bottom - KH') / sh) + 1``, ``KH'`` the
effective size).

Training on a tier
------------------
:func:`training_device` returns the tier's :class:`Device`: what a training run needs that differs between
tiers (where arrays live, the loss and its gradient, the optimizer update). The host tiers (reference, cpu)
share :class:`engine.backends.host.HostDevice`, which keeps everything in NumPy; the cuda tier's device keeps
the weights and the optimizer state on the GPU for a whole run (:mod:`engine.session` pushes them once and
pulls them once).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol, runtime_checkable

import numpy as np

__all__ = [
    "ACTIVATIONS",
    "ACTIVATION_CODES",
    "LEAKY_RELU_SLOPE",
    "OPTIONAL",
    "POOL_CODES",
    "POOL_MODES",
    "PROBABILITY_ACTIVATIONS",
    "REQUIRED",
    "Device",
    "DeviceOptimizer",
    "signature_of",
]

# ------------------------------------------------------------------------------------------------------ names
#: element-wise activations every tier computes (softmax: over the last axis)
ACTIVATIONS = ("linear", "relu", "leaky_relu", "sigmoid", "tanh", "softmax")
#: activations whose outputs are probabilities (rows summing to 1 for softmax, one probability for sigmoid)
PROBABILITY_ACTIVATIONS = ("softmax", "sigmoid")
#: pooling modes (windowed and global)
POOL_MODES = ("max", "min", "avg")
#: the slope of leaky_relu for negative inputs when nobody chose one (Keras 3's ``leaky_relu`` default)
LEAKY_RELU_SLOPE = 0.2

#: small ints the jitted kernels receive instead of names (one compiled signature for every activation)
ACTIVATION_CODES = {name: code for code, name in enumerate(ACTIVATIONS)}
#: likewise for pooling modes: 0 max, 1 min, 2 avg
POOL_CODES = {mode: code for code, mode in enumerate(POOL_MODES)}

Array = Any  # a float32 NumPy array, or a device array of the cuda tier
Pair = tuple[int, int]
Pads = tuple[int, int, int, int]


# ------------------------------------------------------------------------------------- the required functions
def conv2d(
    x: Array, w: Array, b: Array, stride: Pair, pads: Pads, flip: bool, dilation: Pair = (1, 1)
) -> Array:
    """``y (N, OH, OW, C_out)`` from ``x (N, H, W, C_in)``, ``w (KH, KW, C_in, C_out)``, ``b (C_out,)``;
    ``flip=True`` is the true convolution (kernel rotated 180 degrees); the kernel's taps are ``dilation``
    cells apart: ``y[n, i, j, o] = sum w[m, q, c, o] * xp[n, i*sh + m*dh, j*sw + q*dw, c] + b[o]``."""
    raise NotImplementedError


def conv2d_backward(
    x: Array,
    w: Array,
    dy: Array,
    stride: Pair,
    pads: Pads,
    flip: bool,
    need_dx: bool,
    dilation: Pair = (1, 1),
) -> tuple[Array | None, Array, Array]:
    """``(dx (N, H, W, C_in) | None, dw (KH, KW, C_in, C_out), db (C_out,))`` for ``dy (N, OH, OW, C_out)``;
    ``dx`` is None when ``need_dx`` is False (the first layer)."""
    raise NotImplementedError


def conv2d_transpose(
    x: Array, w: Array, b: Array, stride: Pair, pads: Pads, out_hw: Pair, dilation: Pair = (1, 1)
) -> Array:
    """``y (N, OH, OW, C_out)`` from ``x (N, H, W, C_in)``, ``w (KH, KW, C_out, C_in)``, ``b (C_out,)``: the
    gradient with respect to its input of ``conv2d(., w, 0, stride, pads, False, dilation)`` on inputs of
    ``out_hw = (OH, OW)`` (which it maps to ``(H, W)``), given ``x`` as the upstream gradient, plus ``b``.
    Every input cell scatters ``x * kernel`` onto the output."""
    raise NotImplementedError


def conv2d_transpose_backward(
    x: Array,
    w: Array,
    dy: Array,
    stride: Pair,
    pads: Pads,
    need_dx: bool,
    dilation: Pair = (1, 1),
) -> tuple[Array | None, Array, Array]:
    """``(dx (N, H, W, C_in) | None, dw (KH, KW, C_out, C_in), db (C_out,))`` for ``dy (N, OH, OW, C_out)``:
    ``dx`` is the convolution ``conv2d(dy, w, 0, stride, pads, False, dilation)``."""
    raise NotImplementedError


def pool2d(x: Array, size: Pair, stride: Pair, pads: Pads, mode: str) -> Array:
    """``y (N, OH, OW, C)``: max / min / mean of the real cells of every ``size`` window."""
    raise NotImplementedError


def pool2d_backward(x: Array, dy: Array, size: Pair, stride: Pair, pads: Pads, mode: str) -> Array:
    """``dx (N, H, W, C)``: max/min route ``dy`` to the window's winner, avg spreads it over the real
    cells."""
    raise NotImplementedError


def global_pool(x: Array, mode: str) -> Array:
    """``(N, C)``: max / min / mean of each image's channel over every position."""
    raise NotImplementedError


def global_pool_backward(x: Array, dy: Array, mode: str) -> Array:
    """``dx (N, H, W, C)`` for ``dy (N, C)``."""
    raise NotImplementedError


def activation(name: str, x: Array, alpha: float) -> Array:
    """Element-wise activation of any shape (softmax over the last axis, shifted by the row maximum)."""
    raise NotImplementedError


def activation_backward(name: str, x: Array, y: Array, dy: Array, alpha: float) -> Array:
    """``dx`` (shape of ``x``) given the input ``x``, the output ``y`` and the upstream ``dy``."""
    raise NotImplementedError


def dense(x: Array, w: Array, b: Array) -> Array:
    """``y (N, D_out) = x (N, D_in) @ w (D_in, D_out) + b``."""
    raise NotImplementedError


def dense_backward(x: Array, w: Array, dy: Array) -> tuple[Array, Array, Array]:
    """``(dx = dy @ w.T, dw = x.T @ dy, db = dy summed over rows)``."""
    raise NotImplementedError


def batch_norm(x: Array, gamma: Array, beta: Array, mean: Array, variance: Array, epsilon: float) -> Array:
    """``y = gamma * (x - mean) / sqrt(variance + epsilon) + beta`` per channel (the last axis), with the
    statistics given (a layer's moving statistics, in inference)."""
    raise NotImplementedError


def batch_norm_training(x: Array, gamma: Array, beta: Array, epsilon: float) -> tuple[Array, Array, Array]:
    """``(y, mean (C,), variance (C,))``: the batch's per-channel mean and biased variance (divided by the
    number of samples ``M``, as Keras / TensorFlow), and ``x`` normalised with them as :func:`batch_norm`."""
    raise NotImplementedError


def batch_norm_backward(
    x: Array,
    gamma: Array,
    mean: Array,
    variance: Array,
    dy: Array,
    epsilon: float,
    training: bool,
    need_dx: bool,
) -> tuple[Array | None, Array, Array]:
    """``(dx | None, dgamma (C,), dbeta (C,))`` for ``dy`` shaped like ``x``. With ``training`` the
    statistics are the batch's own (they depend on ``x``): ``dx = gamma / (M sigma) (M dy - sum dy - xhat
    sum dy xhat)``; without, they are constants: ``dx = gamma dy / sigma``. ``xhat = (x - mean) / sigma``,
    ``sigma = sqrt(variance + epsilon)``; ``dgamma = sum dy xhat``, ``dbeta = sum dy``."""
    raise NotImplementedError


def moving_average(moving: Array, value: Array, momentum: float) -> None:
    """In place: ``moving = momentum * moving + (1 - momentum) * value`` (Keras' moving statistics)."""
    raise NotImplementedError


def multiply(a: Array, b: Array) -> Array:
    """``a * b`` element-wise (same shapes): how Dropout applies its mask."""
    raise NotImplementedError


def to_device(a: Array) -> Array:
    """``a`` where this tier's kernels read it fastest (a device array on cuda; unchanged on the host
    tiers)."""
    raise NotImplementedError


def to_host(a: Array) -> np.ndarray:
    """``a`` as a NumPy array (copied back from the device on cuda)."""
    raise NotImplementedError


def training_device() -> Device:
    """The tier's :class:`Device` for training runs."""
    raise NotImplementedError


# ------------------------------------------------------------------------------------- the optional extras
def conv2d_relu(
    x: Array, w: Array, b: Array, stride: Pair, pads: Pads, flip: bool, dilation: Pair = (1, 1)
) -> Array:
    """``relu(conv2d(...))`` in one sweep over ``y``."""
    raise NotImplementedError


def conv2d_relu_backward(
    x: Array, w: Array, y: Array, dy: Array, stride: Pair, pads: Pads, flip: bool, need_dx: bool
) -> tuple[Array | None, Array, Array]:
    """Gradients of :func:`conv2d_relu` from its output ``y``: ``dy`` passes where ``y > 0`` (the ReLU's
    gradient), then as :func:`conv2d_backward`, in fewer sweeps over ``dy``."""
    raise NotImplementedError


def dense_relu(x: Array, w: Array, b: Array) -> Array:
    """``relu(dense(x, w, b))`` in one sweep over ``y``."""
    raise NotImplementedError


def kernel_session() -> AbstractContextManager[Any]:
    """A context manager held around a whole forward pass (the cpu tier keeps OpenBLAS single-threaded in
    it)."""
    raise NotImplementedError


def signature_of(fn: Callable[..., Any]) -> list[tuple[str, Any, Any]]:
    """What the contract compares: each parameter's ``(name, kind, default)`` (annotations are left out: the
    reference tier also runs in float64 and is not annotated)."""
    return [(p.name, p.kind, p.default) for p in inspect.signature(fn).parameters.values()]


_REQUIRED_FUNCTIONS = (
    conv2d,
    conv2d_backward,
    conv2d_transpose,
    conv2d_transpose_backward,
    pool2d,
    pool2d_backward,
    global_pool,
    global_pool_backward,
    activation,
    activation_backward,
    dense,
    dense_backward,
    batch_norm,
    batch_norm_training,
    batch_norm_backward,
    moving_average,
    multiply,
    to_device,
    to_host,
    training_device,
)
_OPTIONAL_FUNCTIONS = (conv2d_relu, conv2d_relu_backward, dense_relu, kernel_session)

#: every tier provides these, each with exactly this signature
REQUIRED: dict[str, inspect.Signature] = {fn.__name__: inspect.signature(fn) for fn in _REQUIRED_FUNCTIONS}
#: a tier may provide these (same rule for the signature when it does); callers fall back to the plain calls
OPTIONAL: dict[str, inspect.Signature] = {fn.__name__: inspect.signature(fn) for fn in _OPTIONAL_FUNCTIONS}


# ------------------------------------------------------------------------------------------------ training
@runtime_checkable
class DeviceOptimizer(Protocol):
    """Updates weights where they live: ``apply_gradients([(slot_name, grad, weight), ...])``, in place."""

    def apply_gradients(self, grads_and_vars: Sequence[tuple[str, Array, Array]]) -> None: ...


@runtime_checkable
class Device(Protocol):
    """What a training run needs from a tier, beyond the kernels.

    ``resident`` is True when the weights live apart from the model's NumPy arrays during a run (the cuda
    tier): :mod:`engine.session` then copies them over once when the run starts and back once when it ends.
    """

    resident: bool

    def to_device(self, a: Array) -> Array:
        """``a`` on the device (no copy when it already is there; unchanged on the host)."""
        ...

    def to_host(self, a: Array) -> np.ndarray:
        """``a`` as a NumPy array (a new array when it was on a device)."""
        ...

    def loss_and_grad(
        self, loss: Any, y_true: np.ndarray, y_pred: Array, accuracy: bool
    ) -> tuple[float, float, Array]:
        """``(loss value, accuracy or NaN, dL/dy_pred)`` for the compiled ``loss`` (an
        :class:`engine.losses.Loss`); the gradient lives where ``y_pred`` does."""
        ...

    def optimizer(self, host: Any) -> DeviceOptimizer:
        """The optimizer that updates this device's weights like ``host`` (an
        :class:`engine.optimizers.Optimizer`, whose hyper-parameters and state it starts from)."""
        ...

    def store_optimizer(self, device_optimizer: DeviceOptimizer, host: Any) -> None:
        """Write ``device_optimizer``'s step count and state back into ``host`` (nothing to do on the
        host)."""
        ...
