"""Public functional ops: NumPy in, NumPy out, float32, NHWC, weights ``(KH, KW, C_in, C_out)``.

Each op validates its arguments (errors name the argument, what was received and what is allowed), converts
the input to float32 C-contiguous once, resolves padding with :mod:`engine.shapes`, then calls the current
tier's function (see :func:`engine.set_backend` and :mod:`engine.backends.contract`): the same thin path the
layers (:mod:`engine.layers`) call with arrays they already checked. NaN and inf are computed through, never
zeroed.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from engine import config, shapes
from engine.backends import get_module
from engine.backends.contract import ACTIVATIONS, LEAKY_RELU_SLOPE, POOL_MODES

__all__ = [
    "ACTIVATIONS",
    "POOL_MODES",
    "activation",
    "activation_backward",
    "batch_norm",
    "batch_norm_backward",
    "batch_norm_training",
    "conv2d",
    "conv2d_backward",
    "conv2d_transpose",
    "conv2d_transpose_backward",
    "dense",
    "dense_backward",
    "global_pool",
    "global_pool_backward",
    "leaky_relu",
    "leaky_relu_backward",
    "pad2d",
    "pool2d",
    "pool2d_backward",
    "relu",
    "relu_backward",
    "sigmoid",
    "sigmoid_backward",
    "softmax",
    "softmax_backward",
    "tanh",
    "tanh_backward",
]


def _backend(backend: str | None = None):
    return get_module(backend or config.get("backend"))


def _as_float32(a: Any, name: str) -> np.ndarray:
    try:
        arr = np.asarray(a)
    except Exception as exc:  # pragma: no cover - exotic objects
        raise TypeError(f"{name} must be array-like. Received: {type(a).__name__}") from exc
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == np.bool_):
        raise TypeError(f"{name} must be a numeric array. Received dtype: {arr.dtype}")
    if np.iscomplexobj(arr):
        raise TypeError(f"{name} must be real-valued. Received dtype: {arr.dtype}")
    out = np.ascontiguousarray(arr, dtype=np.float32)
    if not out.flags.writeable:
        # Numba types read-only arrays apart: one would compile every kernel a second time
        out = out.copy()
    return out


def _as_nhwc(x: Any, name: str = "x") -> tuple[np.ndarray, int]:
    """Return ``(x4, rank)``: ``x`` as ``(N, H, W, C)`` float32 and the rank it came in with.

    Height, width and channels must be >= 1 (an empty axis has nothing to compute, and a kernel given one
    would return whatever memory held); the batch may be 0, which gives an empty batch back.
    """
    arr = _as_float32(x, name)
    if arr.ndim not in (2, 3, 4):
        raise ValueError(
            f"{name} must have shape (H, W), (H, W, C) or (N, H, W, C). Received shape: {arr.shape}"
        )
    if 0 in arr.shape[-3:] if arr.ndim == 4 else 0 in arr.shape:
        raise ValueError(
            f"{name} has an empty axis (height, width or channel): each must be >= 1, only the batch of an "
            f"(N, H, W, C) array may be 0. Received shape: {arr.shape}"
        )
    if arr.ndim == 2:
        return arr[None, :, :, None].copy(), 2
    if arr.ndim == 3:
        return arr[None].copy(), 3
    return arr, 4


def _flag(value: Any, name: str) -> bool:
    """``value`` as a bool: only True or False (NumPy's too) are taken, so ``flip='no'`` is not True."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False. Received: {name}={value!r}")
    return bool(value)


def _real(value: Any, name: str, *, finite: bool) -> float:
    """``value`` as a float: any real number type (never a bool or a string); ``finite`` refuses NaN and
    inf."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a real number. Received: {name}={value!r}")
    out = float(value)
    if finite and not np.isfinite(out):
        raise ValueError(f"{name} must be a finite number. Received: {name}={value!r}")
    return out


def _restore_rank(y: np.ndarray, rank: int) -> np.ndarray:
    if rank == 2:
        return y[0, :, :, 0] if y.shape[-1] == 1 else y[0]
    if rank == 3:
        return y[0]
    return y


def _check_fits(in_hw, k_hw, pads, what: str, arg: str = "kernel") -> None:
    t, b, le, r = pads
    ph, pw = in_hw[0] + t + b, in_hw[1] + le + r
    if k_hw[0] > ph or k_hw[1] > pw:
        raise ValueError(
            f"{what}: the {arg} {k_hw[0]}x{k_hw[1]} is larger than the padded input {ph}x{pw} "
            f"(input {in_hw[0]}x{in_hw[1]}, pads top/bottom/left/right={pads}). "
            "Use a smaller kernel, more padding, or a larger input."
        )


def _conv_weights(w: Any, c_in: int) -> np.ndarray:
    wa = _as_float32(w, "w")
    if wa.ndim == 2:
        wa = wa[:, :, None, None]
    if wa.ndim != 4:
        raise ValueError(
            f"w must have shape (KH, KW, C_in, C_out) (or (KH, KW) for one channel in and out). "
            f"Received shape: {wa.shape}"
        )
    if wa.shape[2] != c_in:
        raise ValueError(
            f"channel mismatch: x has {c_in} channel(s) but w expects C_in={wa.shape[2]} "
            f"(w shape {wa.shape}, weights are (KH, KW, C_in, C_out))"
        )
    if wa.shape[0] < 1 or wa.shape[1] < 1 or wa.shape[3] < 1:
        raise ValueError(f"w must have non-zero sizes. Received shape: {wa.shape}")
    return np.ascontiguousarray(wa)


def _bias(b: Any, n: int, name: str = "b") -> np.ndarray:
    if b is None:
        return np.zeros(n, np.float32)
    ba = _as_float32(b, name).reshape(-1) if np.ndim(b) <= 1 else None
    if ba is None or ba.shape[0] != n:
        raise ValueError(f"{name} must have shape ({n},). Received shape: {np.shape(b)}")
    return ba


def _conv_setup(x, w, stride, padding, dilation=1):
    x4, rank = _as_nhwc(x)
    w4 = _conv_weights(w, x4.shape[3])
    s = shapes.normalize_pair(stride, "stride")
    d = shapes.normalize_pair(dilation, "dilation")
    k_eff = shapes.effective_kernel((w4.shape[0], w4.shape[1]), d)
    pads = shapes.resolve_padding(padding, (x4.shape[1], x4.shape[2]), k_eff, s)
    if d == (1, 1):
        _check_fits((x4.shape[1], x4.shape[2]), k_eff, pads, "conv2d")
    else:
        what = (
            f"conv2d (dilation {d}: the {w4.shape[0]}x{w4.shape[1]} kernel's taps span {k_eff[0]}x{k_eff[1]})"
        )
        _check_fits((x4.shape[1], x4.shape[2]), k_eff, pads, what, "dilated kernel")
    return x4, rank, w4, s, pads, d


def conv2d(
    x,
    w,
    b=None,
    *,
    stride=1,
    padding="valid",
    dilation=1,
    flip: bool = False,
    backend: str | None = None,
):
    """2-D convolution (cross-correlation by default) of NHWC images with ``(KH, KW, C_in, C_out)`` weights.

    Parameters
    ----------
    x : array ``(N, H, W, C_in)``, or ``(H, W, C_in)`` / ``(H, W)`` for one image (the same rank comes back).
    w : array ``(KH, KW, C_in, C_out)``; ``(KH, KW)`` is taken as one channel in and out.
    b : array ``(C_out,)`` or None.
    stride : int or ``(sh, sw)``, >= 1.
    padding : ``"valid"``, ``"same"``, ``"full"``, an int, or ``((top, bottom), (left, right))``.
    dilation : int or ``(dh, dw)``, >= 1: the kernel's taps are ``d`` cells apart (atrous convolution), so
        a ``K``-tap kernel spans ``d (K - 1) + 1`` cells and every padding mode uses that size.
    flip : if True compute the true convolution (kernel rotated 180 degrees, the lesson's ``Y(i-m, j-n)``).

    Returns
    -------
    y : ``(N, OH, OW, C_out)`` float32.

    Notes
    -----
    ``OH = floor((H + top + bottom - KH') / sh) + 1`` with ``KH' = dh (KH - 1) + 1``: ``N-K+1`` (valid),
    ``N+K-1`` (full), ``ceil(N/s)`` (same) at dilation 1 (:func:`engine.shapes.conv_output_formula`).
    """
    x4, rank, w4, s, pads, d = _conv_setup(x, w, stride, padding, dilation)
    b1 = _bias(b, w4.shape[3])
    y = _backend(backend).conv2d(x4, w4, b1, s, pads, _flag(flip, "flip"), d)
    return _restore_rank(np.asarray(y), rank)


def conv2d_backward(
    x,
    w,
    dy,
    *,
    stride=1,
    padding="valid",
    dilation=1,
    flip: bool = False,
    need_dx: bool = True,
    backend: str | None = None,
):
    """Gradients of :func:`conv2d`: returns ``(dx, dw, db)`` shaped like ``x``, ``w`` and ``(C_out,)``.

    ``dy`` has the shape of the forward output. With ``need_dx=False`` ``dx`` is None (first layer).
    """
    x4, rank, w4, s, pads, d = _conv_setup(x, w, stride, padding, dilation)
    dy4, _ = _as_nhwc(dy, "dy")
    k_eff = shapes.effective_kernel((w4.shape[0], w4.shape[1]), d)
    oh, ow = shapes.output_hw((x4.shape[1], x4.shape[2]), k_eff, s, pads)
    expected = (x4.shape[0], oh, ow, w4.shape[3])
    if dy4.shape != expected:
        raise ValueError(
            f"dy must have the forward output's shape {expected}. Received shape: {np.shape(dy)}"
        )
    flip, need_dx = _flag(flip, "flip"), _flag(need_dx, "need_dx")
    dx, dw, db = _backend(backend).conv2d_backward(x4, w4, dy4, s, pads, flip, need_dx, d)
    dx = None if dx is None else np.asarray(dx).reshape(x4.shape)
    if dx is not None:
        dx = _restore_rank(dx, rank) if rank != 2 else dx[0, :, :, 0]
    dw = np.asarray(dw)
    if np.ndim(w) == 2:
        dw = dw[:, :, 0, 0]
    return dx, dw, np.asarray(db)


def _transpose_setup(x, w, stride, padding, dilation):
    """Check a transposed convolution's arguments: ``(x4, rank, w4, stride, dilation, pads, out_hw)``."""
    x4, rank = _as_nhwc(x)
    if x4.shape[1] < 1 or x4.shape[2] < 1:
        raise ValueError(f"x must have non-zero height and width. Received shape: {np.shape(x)}")
    wa = _as_float32(w, "w")
    if wa.ndim == 2:
        wa = wa[:, :, None, None]
    if wa.ndim != 4 or min(wa.shape) < 1:
        raise ValueError(
            "w must have shape (KH, KW, C_out, C_in) (or (KH, KW) for one channel in and out), as Keras' "
            f"Conv2DTranspose kernel. Received shape: {wa.shape}"
        )
    if wa.shape[3] != x4.shape[3]:
        raise ValueError(
            f"channel mismatch: x has {x4.shape[3]} channel(s) but w expects C_in={wa.shape[3]} "
            f"(w shape {wa.shape}; transposed-convolution weights are (KH, KW, C_out, C_in))"
        )
    s = shapes.normalize_pair(stride, "stride")
    d = shapes.normalize_pair(dilation, "dilation")
    k_eff = shapes.effective_kernel((wa.shape[0], wa.shape[1]), d)
    pads, out_hw = shapes.resolve_transpose_padding(padding, (x4.shape[1], x4.shape[2]), k_eff, s)
    if out_hw[0] < 1 or out_hw[1] < 1:
        raise ValueError(
            f"conv2d_transpose: the padding {padding!r} cuts off the whole output (pads "
            f"top/bottom/left/right={pads} from a {out_hw[0] + pads[0] + pads[1]}x"
            f"{out_hw[1] + pads[2] + pads[3]} scatter). "
            "Use less padding, a larger kernel or a larger input."
        )
    return x4, rank, np.ascontiguousarray(wa), s, d, pads, out_hw


def conv2d_transpose(x, w, b=None, *, stride=1, padding="valid", dilation=1, backend: str | None = None):
    """Transposed convolution ("deconvolution"): every input cell scatters ``x * kernel`` onto a larger
    output.

    It is the gradient of a convolution with respect to its input: :func:`conv2d` with the same ``w``
    (read as ``(KH, KW, C_in', C_out')``), ``stride``, ``padding`` and ``dilation`` maps an ``(OH, OW)`` image
    to ``(H, W)``, and sends a gradient ``g (N, H, W, C_in)`` back as ``conv2d_backward(..., g).dx (N, OH, OW,
    C_out)``; that is exactly ``conv2d_transpose(g, w)``. So where a convolution sums a window into one cell,
    the transposed convolution spreads one cell over a window: a stride ``s`` convolution shrinks an image
    about ``s`` times, its transpose grows one ``s`` times. As an operator it is the adjoint of the
    convolution: ``<conv2d(u, w), v> = <u, conv2d_transpose(v, w)>`` for every ``u`` and ``v``.

    Parameters
    ----------
    x : array ``(N, H, W, C_in)``, or ``(H, W, C_in)`` / ``(H, W)`` for one image (the same rank comes back).
    w : array ``(KH, KW, C_out, C_in)``, Keras' ``Conv2DTranspose`` kernel; ``(KH, KW)`` for one channel.
    b : array ``(C_out,)`` or None.
    stride : int or ``(sh, sw)``, >= 1: the output grows by this factor.
    padding : ``"valid"`` or ``"same"`` (Keras' rules, below), ``"full"``, an int ``p`` or ``((top, bottom),
        (left, right))``: the pads of the convolution this is the transpose of, cut off the output.
    dilation : int or ``(dh, dw)``: the kernel's taps are ``d`` cells apart.

    Returns
    -------
    y : ``(N, OH, OW, C_out)`` float32.

    Notes
    -----
    As Keras with ``output_padding=None`` (:func:`engine.shapes.conv_transpose_output_size`), with ``K`` the
    effective size ``d (K - 1) + 1``: ``"valid"`` gives ``OH = (H - 1) s + K`` (``H s`` when ``K < s``);
    ``"same"`` gives ``H s``, the ``max(K - s, 0)`` cells of the full scatter beyond it cut off, the odd one
    at the bottom/right; an int ``p`` gives ``(H - 1) s + K - 2p``.
    """
    x4, rank, w4, s, d, pads, out_hw = _transpose_setup(x, w, stride, padding, dilation)
    b1 = _bias(b, w4.shape[2])
    y = _backend(backend).conv2d_transpose(x4, w4, b1, s, pads, out_hw, d)
    return _restore_rank(np.asarray(y), rank)


def conv2d_transpose_backward(
    x,
    w,
    dy,
    *,
    stride=1,
    padding="valid",
    dilation=1,
    need_dx: bool = True,
    backend: str | None = None,
):
    """Gradients of :func:`conv2d_transpose`: ``(dx, dw, db)`` shaped like ``x``, ``w`` and ``(C_out,)``.

    ``dy`` has the shape of the forward output; ``dx`` is the convolution of ``dy`` by ``w`` (None with
    ``need_dx=False``).
    """
    x4, rank, w4, s, d, pads, out_hw = _transpose_setup(x, w, stride, padding, dilation)
    dy4, _ = _as_nhwc(dy, "dy")
    expected = (x4.shape[0], out_hw[0], out_hw[1], w4.shape[2])
    if dy4.shape != expected:
        raise ValueError(
            f"dy must have the forward output's shape {expected}. Received shape: {np.shape(dy)}"
        )
    dx, dw, db = _backend(backend).conv2d_transpose_backward(x4, w4, dy4, s, pads, bool(need_dx), d)
    if dx is not None:
        dx = np.asarray(dx).reshape(x4.shape)
        dx = _restore_rank(dx, rank) if rank != 2 else dx[0, :, :, 0]
    dw = np.asarray(dw)
    if np.ndim(w) == 2:
        dw = dw[:, :, 0, 0]
    return dx, dw, np.asarray(db)


def _pool_setup(x, size, stride, padding, mode, valid_modes=POOL_MODES):
    if mode not in valid_modes:
        raise ValueError(f"mode must be one of {valid_modes}. Received: mode={mode!r}")
    x4, rank = _as_nhwc(x)
    k = shapes.normalize_pair(size, "size")
    s = k if stride is None else shapes.normalize_pair(stride, "stride")
    pads = shapes.resolve_padding(padding, (x4.shape[1], x4.shape[2]), k, s)
    _check_fits((x4.shape[1], x4.shape[2]), k, pads, f"pool2d ({mode})", "pooling window")
    t, b, le, r = pads
    if max(t, b) >= k[0] or max(le, r) >= k[1]:
        raise ValueError(
            f"pool2d: every pad must be smaller than the pooling window {k[0]}x{k[1]} so that each window "
            f"holds at least one real cell. Received pads top/bottom/left/right={pads}"
        )
    return x4, rank, k, s, pads


def pool2d(x, size=2, *, stride=None, mode: str = "max", padding="valid", backend: str | None = None):
    """Max / min / average pooling over ``size`` windows moved by ``stride`` (default: ``size``).

    Padded cells are ignored (TensorFlow's convention for 'same'). Output size as for :func:`conv2d`.
    """
    x4, rank, k, s, pads = _pool_setup(x, size, stride, padding, mode)
    y = _backend(backend).pool2d(x4, k, s, pads, mode)
    return _restore_rank(np.asarray(y), rank)


def pool2d_backward(
    x, dy, size=2, *, stride=None, mode: str = "max", padding="valid", backend: str | None = None
):
    """Gradient of :func:`pool2d` w.r.t. ``x``: max/min route ``dy`` to the arg-extremum (first in row-major
    order on ties), avg spreads it evenly over the window's real cells."""
    x4, rank, k, s, pads = _pool_setup(x, size, stride, padding, mode)
    dy4, _ = _as_nhwc(dy, "dy")
    oh, ow = shapes.output_hw((x4.shape[1], x4.shape[2]), k, s, pads)
    expected = (x4.shape[0], oh, ow, x4.shape[3])
    if dy4.shape != expected:
        raise ValueError(
            f"dy must have the forward output's shape {expected}. Received shape: {np.shape(dy)}"
        )
    dx = np.asarray(_backend(backend).pool2d_backward(x4, dy4, k, s, pads, mode))
    return _restore_rank(dx, rank) if rank != 2 else dx[0, :, :, 0]


def global_pool(x, mode: str = "max", *, backend: str | None = None):
    """Global max / min / average pooling: ``(N, H, W, C) -> (N, C)`` (``(H, W, C) -> (C,)``)."""
    if mode not in POOL_MODES:
        raise ValueError(f"mode must be one of {POOL_MODES}. Received: mode={mode!r}")
    x4, rank = _as_nhwc(x)
    y = np.asarray(_backend(backend).global_pool(x4, mode))
    return y[0] if rank in (2, 3) else y


def global_pool_backward(x, dy, mode: str = "max", *, backend: str | None = None):
    """Gradient of :func:`global_pool` w.r.t. ``x``."""
    if mode not in POOL_MODES:
        raise ValueError(f"mode must be one of {POOL_MODES}. Received: mode={mode!r}")
    x4, rank = _as_nhwc(x)
    dy2 = _as_float32(dy, "dy").reshape(-1, x4.shape[3]) if np.size(dy) == x4.shape[0] * x4.shape[3] else None
    if dy2 is None:
        raise ValueError(f"dy must have shape {(x4.shape[0], x4.shape[3])}. Received shape: {np.shape(dy)}")
    dx = np.asarray(_backend(backend).global_pool_backward(x4, np.ascontiguousarray(dy2), mode))
    return _restore_rank(dx, rank) if rank != 2 else dx[0, :, :, 0]


def _check_activation(name: str) -> None:
    if name not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}. Received: {name!r}")


def _check_softmax_axis(name: str, x: Any, xa: np.ndarray) -> None:
    """Softmax normalises over the last axis: a scalar has none, and an empty one holds no value to
    normalise."""
    if name != "softmax":
        return
    if np.ndim(x) == 0:
        raise ValueError(f"softmax needs an axis to normalise over: x must be an array. Received: x={x!r}")
    if xa.shape[-1] == 0:
        raise ValueError(
            f"softmax normalises over the last axis of x, which must hold at least 1 value. "
            f"Received shape: {xa.shape}"
        )


def activation(name: str, x, *, alpha: float = LEAKY_RELU_SLOPE, backend: str | None = None):
    """Apply the activation ``name`` element-wise (softmax: over the last axis, numerically stable).

    ``alpha`` (leaky_relu's slope for negative inputs) must be a finite real number. An empty ``x`` gives an
    empty result, except for softmax, whose last axis must hold at least one value.
    """
    _check_activation(name)
    a = _real(alpha, "alpha", finite=True)
    xa = _as_float32(x, "x")
    _check_softmax_axis(name, x, xa)
    return np.asarray(_backend(backend).activation(name, xa, a))


def activation_backward(
    name: str, x, dy, *, y=None, alpha: float = LEAKY_RELU_SLOPE, backend: str | None = None
):
    """Gradient of :func:`activation` w.r.t. ``x`` given upstream ``dy`` (``y`` is recomputed if not
    given)."""
    _check_activation(name)
    a = _real(alpha, "alpha", finite=True)
    xa = _as_float32(x, "x")
    _check_softmax_axis(name, x, xa)
    dya = _as_float32(dy, "dy")
    if dya.shape != xa.shape:
        raise ValueError(f"dy must have the shape of x {xa.shape}. Received shape: {dya.shape}")
    be = _backend(backend)
    ya = be.activation(name, xa, a) if y is None else _as_float32(y, "y")
    if ya.shape != xa.shape:
        raise ValueError(f"y must have the shape of x {xa.shape}. Received shape: {ya.shape}")
    return np.asarray(be.activation_backward(name, xa, ya, dya, a))


def relu(x, **kw):
    """``max(x, 0)``: ReLU nulls the negatives (the lesson's words)."""
    return activation("relu", x, **kw)


def relu_backward(x, dy, **kw):
    return activation_backward("relu", x, dy, **kw)


def leaky_relu(x, alpha: float = LEAKY_RELU_SLOPE, **kw):
    """``x`` if ``x > 0`` else ``alpha * x``."""
    return activation("leaky_relu", x, alpha=alpha, **kw)


def leaky_relu_backward(x, dy, alpha: float = LEAKY_RELU_SLOPE, **kw):
    return activation_backward("leaky_relu", x, dy, alpha=alpha, **kw)


def sigmoid(x, **kw):
    """``1 / (1 + exp(-x))``, computed without overflow for large ``|x|``."""
    return activation("sigmoid", x, **kw)


def sigmoid_backward(x, dy, **kw):
    return activation_backward("sigmoid", x, dy, **kw)


def tanh(x, **kw):
    return activation("tanh", x, **kw)


def tanh_backward(x, dy, **kw):
    return activation_backward("tanh", x, dy, **kw)


def softmax(x, **kw):
    """Softmax over the last axis, shifted by the row maximum so that ``exp`` never overflows."""
    return activation("softmax", x, **kw)


def softmax_backward(x, dy, **kw):
    return activation_backward("softmax", x, dy, **kw)


def dense_mismatch(d_in: int, w_shape: tuple[int, ...]) -> str:
    """The message for features ``d_in`` that a ``(D_in, D_out)`` weight matrix does not expect (the ops and
    the Dense layer both give it)."""
    return f"dense: x has D_in={d_in} features but w expects {w_shape[0]} (w shape {tuple(w_shape)})"


def _check_dense_shapes(xa: np.ndarray, wa: np.ndarray) -> None:
    if xa.shape[1] != wa.shape[0]:
        raise ValueError(dense_mismatch(xa.shape[1], wa.shape))
    if wa.shape[0] < 1 or wa.shape[1] < 1:
        raise ValueError(
            f"dense: x has D_in={xa.shape[1]} features and w D_out={wa.shape[1]}; both must be >= 1 "
            f"(an empty axis has nothing to compute). Received shapes: x {xa.shape}, w {wa.shape}"
        )


def dense(x, w, b=None, *, backend: str | None = None):
    """Fully connected layer: ``x (N, D_in) @ w (D_in, D_out) + b``."""
    xa = _as_float32(x, "x")
    wa = _as_float32(w, "w")
    if xa.ndim != 2 or wa.ndim != 2:
        raise ValueError(
            f"dense expects x (N, D_in) and w (D_in, D_out). Received shapes: {xa.shape}, {wa.shape}"
        )
    _check_dense_shapes(xa, wa)
    return np.asarray(_backend(backend).dense(xa, wa, _bias(b, wa.shape[1])))


def dense_backward(x, w, dy, *, backend: str | None = None):
    """Gradients of :func:`dense`: ``(dx, dw, db)``."""
    xa = _as_float32(x, "x")
    wa = _as_float32(w, "w")
    dya = _as_float32(dy, "dy")
    if xa.ndim != 2 or wa.ndim != 2:
        raise ValueError(
            f"dense_backward expects x (N, D_in), w (D_in, D_out). Received shapes: {xa.shape}, {wa.shape}"
        )
    _check_dense_shapes(xa, wa)
    if dya.shape != (xa.shape[0], wa.shape[1]):
        raise ValueError(f"dy must have shape {(xa.shape[0], wa.shape[1])}. Received shape: {dya.shape}")
    dx, dw, db = _backend(backend).dense_backward(xa, wa, dya)
    return np.asarray(dx), np.asarray(dw), np.asarray(db)


def _epsilon(epsilon: Any) -> float:
    try:
        eps = float(epsilon)
    except (TypeError, ValueError):
        raise TypeError(f"epsilon must be a number > 0. Received: epsilon={epsilon!r}") from None
    if not (eps > 0 and np.isfinite(eps)):
        raise ValueError(f"epsilon must be a finite number > 0. Received: epsilon={epsilon!r}")
    return eps


def _channels(x: Any, name: str = "x") -> np.ndarray:
    xa = _as_float32(x, name)
    if xa.ndim < 2 or xa.shape[-1] < 1 or xa.size == 0:
        raise ValueError(
            f"{name} must have a sample axis and a channel axis (last), e.g. (N, H, W, C) or (N, D), and "
            f"hold at least one sample. Received shape: {xa.shape}"
        )
    return xa


def _per_channel(a: Any, c: int, name: str, default: float) -> np.ndarray:
    if a is None:
        return np.full(c, default, np.float32)
    arr = _as_float32(a, name)
    if arr.shape != (c,):
        raise ValueError(f"{name} must have shape ({c},), one value per channel. Received shape: {arr.shape}")
    return arr


def _variance(v: Any, c: int) -> np.ndarray:
    va = _per_channel(v, c, "variance", 1.0)
    if np.any(va < 0):
        raise ValueError(f"variance must be >= 0 in every channel. Received: variance={va.tolist()}")
    return va


def batch_norm(
    x, mean, variance, *, gamma=None, beta=None, epsilon: float = 1e-3, backend: str | None = None
):
    """Batch normalisation with given statistics (inference): ``gamma * (x - mean) / sqrt(variance +
    epsilon) + beta`` per channel, the last axis.

    Parameters
    ----------
    x : array ``(..., C)``: NHWC images or ``(N, D)`` features.
    mean, variance : ``(C,)`` (a layer's moving statistics).
    gamma, beta : ``(C,)`` scale and offset; None for 1 and 0.
    epsilon : added to the variance, > 0 (Keras' default 1e-3).
    """
    xa = _channels(x)
    c = xa.shape[-1]
    be = _backend(backend)
    y = be.batch_norm(
        xa,
        _per_channel(gamma, c, "gamma", 1.0),
        _per_channel(beta, c, "beta", 0.0),
        _per_channel(mean, c, "mean", 0.0),
        _variance(variance, c),
        _epsilon(epsilon),
    )
    return np.asarray(y)


def batch_norm_training(x, *, gamma=None, beta=None, epsilon: float = 1e-3, backend: str | None = None):
    """Batch normalisation with the batch's own statistics (training): ``(y, mean, variance)``, the mean and
    the biased variance (divided by the number of samples, as Keras) of every channel over every other axis.
    """
    xa = _channels(x)
    c = xa.shape[-1]
    y, mean, var = _backend(backend).batch_norm_training(
        xa, _per_channel(gamma, c, "gamma", 1.0), _per_channel(beta, c, "beta", 0.0), _epsilon(epsilon)
    )
    return np.asarray(y), np.asarray(mean), np.asarray(var)


def batch_norm_backward(
    x,
    dy,
    mean,
    variance,
    *,
    gamma=None,
    epsilon: float = 1e-3,
    training: bool = True,
    need_dx: bool = True,
    backend: str | None = None,
):
    """Gradients of batch normalisation: ``(dx, dgamma, dbeta)``.

    ``training=True``: the gradient of :func:`batch_norm_training` (``mean`` and ``variance`` are the batch's,
    and move with ``x``); ``training=False``: of :func:`batch_norm` (constant statistics).
    """
    xa = _channels(x)
    dya = _as_float32(dy, "dy")
    if dya.shape != xa.shape:
        raise ValueError(f"dy must have the shape of x {xa.shape}. Received shape: {dya.shape}")
    c = xa.shape[-1]
    dx, dgamma, dbeta = _backend(backend).batch_norm_backward(
        xa,
        _per_channel(gamma, c, "gamma", 1.0),
        _per_channel(mean, c, "mean", 0.0),
        _variance(variance, c),
        dya,
        _epsilon(epsilon),
        bool(training),
        bool(need_dx),
    )
    return (None if dx is None else np.asarray(dx)), np.asarray(dgamma), np.asarray(dbeta)


def pad2d(x, padding="valid", kernel_size=3, stride=1, *, value: float = 0.0):
    """Return ``x`` padded as :func:`conv2d` would pad it (same rank as ``x``), with ``value`` (a real number,
    0 by default) in the border."""
    x4, rank = _as_nhwc(x)
    fill = _real(value, "value", finite=False)
    k = shapes.normalize_pair(kernel_size, "kernel_size")
    s = shapes.normalize_pair(stride, "stride")
    t, b, le, r = shapes.resolve_padding(padding, (x4.shape[1], x4.shape[2]), k, s)
    out = np.pad(x4, ((0, 0), (t, b), (le, r), (0, 0)), constant_values=fill)
    if rank == 2:
        return out[0, :, :, 0]
    return out[0] if rank == 3 else out
