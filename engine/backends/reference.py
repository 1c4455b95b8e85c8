"""The reference tier: plain NumPy loops that read like the lesson. The oracle every fast tier is tested
against.

Nothing here is optimised. Each function follows the backend contract (:mod:`engine.backends.contract`) and
works for any float dtype (the tests run it in float64 against finite differences). The convolution is written
exactly as the lesson writes it: for every output position, take the window of the (padded) input under the
filter,
multiply element by element, and sum::

    [0,0,0,1,1,1,0,0,0] . [-1,-1,-1,2,2,2,-1,-1,-1] = 0*-1 + ... + 1*2 + ... = 6
"""

from __future__ import annotations

import numpy as np

from engine import shapes
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
    "conv2d_transpose",
    "conv2d_transpose_backward",
    "dense",
    "dense_backward",
    "global_pool",
    "global_pool_backward",
    "moving_average",
    "multiply",
    "pool2d",
    "pool2d_backward",
    "to_device",
    "to_host",
    "training_device",
]


def _pad(x: np.ndarray, pads, value=0.0) -> np.ndarray:
    """Surround every image of ``x (N, H, W, C)`` with ``pads = (top, bottom, left, right)`` cells of
    ``value``."""
    t, b, le, r = pads
    return np.pad(x, ((0, 0), (t, b), (le, r), (0, 0)), constant_values=value)


# ---------------------------------------------------------------------------------------------- convolution
def _taps(top, left, kernel_hw, dilation):
    """The slices of a (padded) image that a kernel of ``kernel_hw`` taps, spaced ``dilation`` apart, reads
    when its first tap is at ``(top, left)``: rows ``top, top + dh, ...`` and likewise for the columns."""
    (kh, kw), (dh, dw) = kernel_hw, dilation
    return slice(top, top + (kh - 1) * dh + 1, dh), slice(left, left + (kw - 1) * dw + 1, dw)


def conv2d(x, w, b, stride, pads, flip, dilation=(1, 1)):
    """``y[n, i, j, o] = sum_{m, q, c} xp[n, i*sh + m*dh, j*sw + q*dw, c] * w[m, q, c, o] + b[o]``.

    With ``flip`` the kernel is first rotated by 180 degrees (true convolution, the lesson's ``Y(i-m, j-n)``).
    With a dilation ``d > 1`` the kernel's taps are ``d`` cells apart: the window spans ``d (K - 1) + 1``
    cells and reads every ``d``-th one.
    """
    if flip:
        w = w[::-1, ::-1]
    sh, sw = stride
    kh, kw, _, c_out = w.shape
    xp = _pad(x, pads)  # (N, H + t + b, W + l + r, C)
    n_img = x.shape[0]
    k_eff = shapes.effective_kernel((kh, kw), dilation)
    oh, ow = shapes.output_hw((x.shape[1], x.shape[2]), k_eff, stride, pads)
    y = np.zeros((n_img, oh, ow, c_out), dtype=x.dtype)
    for n in range(n_img):
        for i in range(oh):
            for j in range(ow):
                rows, cols = _taps(i * sh, j * sw, (kh, kw), dilation)
                window = xp[n, rows, cols, :]  # (KH, KW, C)
                for o in range(c_out):
                    y[n, i, j, o] = np.sum(window * w[:, :, :, o]) + b[o]
    return y


def conv2d_backward(x, w, dy, stride, pads, flip, need_dx, dilation=(1, 1)):
    """Gradients of :func:`conv2d`. Each output cell ``y[n, i, j, o]`` used one window of the padded input,
    so:

    * ``dW[:, :, :, o] += dy[n, i, j, o] * window`` (the window seen at that position),
    * ``dXp[window position] += dy[n, i, j, o] * W[:, :, :, o]`` (spread back onto the cells it read),
    * ``db[o] = sum of dy[..., o]``.
    The padding is then cut off ``dXp`` (padded zeros have no gradient), and with ``flip`` ``dW`` is rotated
    back. A dilated window reads (and so sends gradients back to) every ``d``-th cell of its span.
    """
    wk = w[::-1, ::-1] if flip else w
    sh, sw = stride
    kh, kw, _, c_out = wk.shape
    xp = _pad(x, pads)
    dxp = np.zeros_like(xp)
    dw = np.zeros_like(wk)
    n_img, oh, ow, _ = dy.shape
    for n in range(n_img):
        for i in range(oh):
            for j in range(ow):
                rows, cols = _taps(i * sh, j * sw, (kh, kw), dilation)
                window = xp[n, rows, cols, :]
                for o in range(c_out):
                    g = dy[n, i, j, o]
                    dw[:, :, :, o] += g * window
                    dxp[n, rows, cols, :] += g * wk[:, :, :, o]
    db = dy.sum(axis=(0, 1, 2))
    if flip:
        dw = dw[::-1, ::-1]
    t, _, le, _ = pads
    dx = dxp[:, t : t + x.shape[1], le : le + x.shape[2], :] if need_dx else None
    return (None if dx is None else np.ascontiguousarray(dx)), np.ascontiguousarray(dw), db


def conv2d_transpose(x, w, b, stride, pads, out_hw, dilation=(1, 1)):
    """The transposed convolution, written as a scatter: every input cell ``x[n, i, j, c]`` adds
    ``x[n, i, j, c] * w[:, :, :, c]`` (a ``(KH, KW, C_out)`` stamp of the kernel, taps ``d`` apart) onto the
    output at ``(i*sh, j*sw)``; the pads are then cut off the full scatter, and ``b`` added.

    This is :func:`conv2d_backward`'s ``dx`` with ``x`` as the upstream gradient: each cell of a
    convolution's output spreads its gradient back over the window it read.
    """
    n_img, h, wd, c_in = x.shape
    kh, kw, c_out, _ = w.shape
    sh, sw = stride
    t, bottom, le, r = pads
    oh, ow = out_hw
    full = np.zeros((n_img, oh + t + bottom, ow + le + r, c_out), dtype=x.dtype)  # padded output coordinates
    for n in range(n_img):
        for i in range(h):
            for j in range(wd):
                rows, cols = _taps(i * sh, j * sw, (kh, kw), dilation)
                for c in range(c_in):
                    full[n, rows, cols, :] += x[n, i, j, c] * w[:, :, :, c]
    y = full[:, t : t + oh, le : le + ow, :] + b
    return np.ascontiguousarray(y, dtype=x.dtype)


def conv2d_transpose_backward(x, w, dy, stride, pads, need_dx, dilation=(1, 1)):
    """Gradients of :func:`conv2d_transpose`. Input cell ``x[n, i, j, c]`` stamped the kernel onto one
    window of the (padded) output, so it reads its gradient back from that window:

    * ``dx[n, i, j, c] = sum(window of dy * w[:, :, :, c])``: a convolution of ``dy`` by ``w``;
    * ``dW[:, :, :, c] += x[n, i, j, c] * window of dy``;
    * ``db = sum of dy`` over every position.
    The cells the pads cut off had no effect: their gradient is 0.
    """
    n_img, h, wd, c_in = x.shape
    sh, sw = stride
    kh, kw = w.shape[0], w.shape[1]
    dyp = _pad(dy, pads)  # the cut-off cells with a zero gradient
    dx = np.zeros_like(x)
    dw = np.zeros_like(w)
    for n in range(n_img):
        for i in range(h):
            for j in range(wd):
                rows, cols = _taps(i * sh, j * sw, (kh, kw), dilation)
                window = dyp[n, rows, cols, :]  # (KH, KW, C_out)
                for c in range(c_in):
                    dx[n, i, j, c] = np.sum(window * w[:, :, :, c])
                    dw[:, :, :, c] += x[n, i, j, c] * window
    return (dx if need_dx else None), dw, dy.sum(axis=(0, 1, 2))


# -------------------------------------------------------------------------------------------------- pooling
def _window_cells(x_img, r0, c0, size, pads, ch):
    """The real (non-padding) cells of one pooling window: list of ``(value, row, col)`` in row-major
    order."""
    ph, pw = size
    h, w = x_img.shape[0], x_img.shape[1]
    cells = []
    for m in range(ph):
        for q in range(pw):
            r, c = r0 + m - pads[0], c0 + q - pads[2]
            if 0 <= r < h and 0 <= c < w:
                cells.append((x_img[r, c, ch], r, c))
    return cells


def _pick(cells, mode):
    """Index into ``cells`` of the max (or min): the first one in row-major order on ties; a NaN wins."""
    best = 0
    for k in range(1, len(cells)):
        v, b = cells[k][0], cells[best][0]
        if np.isnan(v):
            if not np.isnan(b):  # NaN wins (it propagates, never silently dropped); the first NaN stays
                best = k
        elif (mode == "max" and v > b) or (mode == "min" and v < b):
            best = k
    return best


def pool2d(x, size, stride, pads, mode):
    """Max / min / mean of every window; padded cells are ignored."""
    n_img, h, w, c = x.shape
    oh, ow = shapes.output_hw((h, w), size, stride, pads)
    y = np.zeros((n_img, oh, ow, c), dtype=x.dtype)
    for n in range(n_img):
        for i in range(oh):
            for j in range(ow):
                for ch in range(c):
                    cells = _window_cells(x[n], i * stride[0], j * stride[1], size, pads, ch)
                    values = [v for v, _, _ in cells]
                    if mode == "avg":
                        y[n, i, j, ch] = sum(values) / len(values)
                    else:
                        y[n, i, j, ch] = cells[_pick(cells, mode)][0]
    return y


def pool2d_backward(x, dy, size, stride, pads, mode):
    """Max/min: the whole ``dy`` goes to the cell that won. Avg: each real cell gets ``dy / count``."""
    dx = np.zeros_like(x)
    n_img, oh, ow, c = dy.shape
    for n in range(n_img):
        for i in range(oh):
            for j in range(ow):
                for ch in range(c):
                    cells = _window_cells(x[n], i * stride[0], j * stride[1], size, pads, ch)
                    g = dy[n, i, j, ch]
                    if mode == "avg":
                        for _, r, col in cells:
                            dx[n, r, col, ch] += g / len(cells)
                    else:
                        _, r, col = cells[_pick(cells, mode)]
                        dx[n, r, col, ch] += g
    return dx


def global_pool(x, mode):
    """One number per image and channel: the max / min / mean over all positions."""
    n_img, _, _, c = x.shape
    y = np.zeros((n_img, c), dtype=x.dtype)
    for n in range(n_img):
        for ch in range(c):
            plane = x[n, :, :, ch]
            y[n, ch] = plane.max() if mode == "max" else plane.min() if mode == "min" else plane.mean()
    return y


def global_pool_backward(x, dy, mode):
    dx = np.zeros_like(x)
    n_img, h, w, c = x.shape
    for n in range(n_img):
        for ch in range(c):
            plane = x[n, :, :, ch]
            if mode == "avg":
                dx[n, :, :, ch] = dy[n, ch] / (h * w)
            else:
                flat = int(np.argmax(plane) if mode == "max" else np.argmin(plane))  # first on ties
                dx[n, flat // w, flat % w, ch] = dy[n, ch]
    return dx


# ---------------------------------------------------------------------------------------------- activations
def activation(name, x, alpha):
    if name == "linear":
        return x.copy()
    if name == "relu":
        return np.where(x < 0, 0, x).astype(x.dtype)  # written with "< 0" so that NaN stays NaN
    if name == "leaky_relu":
        return np.where(x < 0, alpha * x, x).astype(x.dtype)
    if name == "sigmoid":
        # two branches so exp never overflows: exp(-|x|) is always <= 1
        e = np.exp(-np.abs(x))
        return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype)
    if name == "tanh":
        return np.tanh(x)
    if name == "softmax":
        shifted = x - np.max(x, axis=-1, keepdims=True)  # the largest becomes exp(0) = 1: no overflow
        e = np.exp(shifted)
        return (e / np.sum(e, axis=-1, keepdims=True)).astype(x.dtype)
    raise ValueError(f"unknown activation {name!r}")


def activation_backward(name, x, y, dy, alpha):
    if name == "linear":
        return dy.copy()
    if name == "relu":
        return np.where(x > 0, dy, 0).astype(x.dtype)
    if name == "leaky_relu":
        return np.where(x > 0, dy, alpha * dy).astype(x.dtype)
    if name == "sigmoid":
        return (dy * y * (1 - y)).astype(x.dtype)
    if name == "tanh":
        return (dy * (1 - y * y)).astype(x.dtype)
    if name == "softmax":
        # Jacobian-vector product: dx_i = y_i * (dy_i - sum_j dy_j y_j)
        return (y * (dy - np.sum(dy * y, axis=-1, keepdims=True))).astype(x.dtype)
    raise ValueError(f"unknown activation {name!r}")


# -------------------------------------------------------------------------------------------------- dense
def dense(x, w, b):
    """``y[n, o] = sum_i x[n, i] * w[i, o] + b[o]``, written as loops over the outputs."""
    n_img, d_out = x.shape[0], w.shape[1]
    y = np.zeros((n_img, d_out), dtype=x.dtype)
    for n in range(n_img):
        for o in range(d_out):
            y[n, o] = np.sum(x[n, :] * w[:, o]) + b[o]
    return y


def dense_backward(x, w, dy):
    dx = np.zeros_like(x)
    dw = np.zeros_like(w)
    for n in range(x.shape[0]):
        for o in range(w.shape[1]):
            dx[n, :] += dy[n, o] * w[:, o]
            dw[:, o] += dy[n, o] * x[n, :]
    return dx, dw, dy.sum(axis=0)


# ------------------------------------------------------------------------------------------- batch norm
def batch_norm(x, gamma, beta, mean, variance, epsilon):
    """``y = gamma * (x - mean) / sqrt(variance + epsilon) + beta``, channel by channel (the last axis)."""
    y = np.empty_like(x)
    for c in range(x.shape[-1]):
        sigma = np.sqrt(variance[c] + epsilon)
        y[..., c] = gamma[c] * (x[..., c] - mean[c]) / sigma + beta[c]
    return y


def batch_norm_training(x, gamma, beta, epsilon):
    """The batch's own statistics, channel by channel: ``mean = sum(x) / M`` and the biased ``variance =
    sum((x - mean)**2) / M`` over the ``M`` samples (every position of every image); ``x`` normalised with
    them."""
    channels = x.shape[-1]
    mean = np.zeros(channels, dtype=x.dtype)
    variance = np.zeros(channels, dtype=x.dtype)
    for c in range(channels):
        values = x[..., c]
        mean[c] = values.mean()
        variance[c] = ((values - mean[c]) ** 2).mean()
    return batch_norm(x, gamma, beta, mean, variance, epsilon), mean, variance


def batch_norm_backward(x, gamma, mean, variance, dy, epsilon, training, need_dx):
    """Gradients of :func:`batch_norm` (``training=False``: constant statistics) or of
    :func:`batch_norm_training` (``training=True``: the mean and variance move with ``x``, which gives
    ``dx = gamma / (M sigma) * (M dy - sum(dy) - xhat * sum(dy xhat))``)."""
    channels = x.shape[-1]
    m = x.size // channels  # samples per channel
    dgamma = np.zeros(channels, dtype=x.dtype)
    dbeta = np.zeros(channels, dtype=x.dtype)
    dx = np.empty_like(x) if need_dx else None
    for c in range(channels):
        sigma = np.sqrt(variance[c] + epsilon)
        xhat = (x[..., c] - mean[c]) / sigma
        g = dy[..., c]
        dbeta[c] = g.sum()
        dgamma[c] = (g * xhat).sum()
        if dx is None:
            continue
        if training:
            dx[..., c] = gamma[c] / (m * sigma) * (m * g - dbeta[c] - xhat * dgamma[c])
        else:
            dx[..., c] = gamma[c] * g / sigma
    return dx, dgamma, dbeta


def moving_average(moving, value, momentum):
    """``moving = momentum * moving + (1 - momentum) * value``, in place."""
    moving[...] = momentum * moving + (1 - momentum) * value


# ------------------------------------------------------------------------------------------------ the rest
def multiply(a, b):
    """``a * b``, element by element (how Dropout applies its mask)."""
    return a * b


def training_device():
    """The reference tier trains in the host's memory: :class:`engine.backends.host.HostDevice`."""
    return HostDevice()
