"""Batch normalisation on the ``cuda`` tier: ``@cuda.jit`` kernels over the last axis and their wrappers.

``x`` is seen as ``(M, C)`` (``M`` samples: every position of every image). The per-channel sums are split
into ``chunks`` of rows: thread ``(chunk, c)`` sums its rows of channel ``c`` in float64 (neighbouring threads
read neighbouring channels of a row, so reads coalesce) into ``parts[chunk, c]``, and a second kernel adds the
chunks of each channel in order: deterministic, no atomics. The variance takes two passes (mean, then squared
deviations). Element-wise passes run one thread per element. See :mod:`engine.backends.cpu.batch_norm` for
the formulas; every float literal is ``float32`` except the float64 accumulators.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numba import cuda, float32, float64

from engine.backends.cuda import arrays as _a

__all__ = ["batch_norm", "batch_norm_backward", "batch_norm_training", "moving_average"]


@cuda.jit
def _partial_sums_kernel(x2, center, squares, per, parts):
    """``parts[chunk, c]`` = sum over rows ``[chunk * per, (chunk + 1) * per)`` of ``x2[r, c]`` (or of
    ``(x2[r, c] - center[c])^2`` when ``squares``), in float64. One thread per ``(chunk, c)``."""
    m, c = x2.shape
    i = cuda.grid(1)
    if i >= parts.shape[0] * c:
        return
    chunk = i // c
    j = i - chunk * c
    acc = float64(0.0)
    stop = min(m, (chunk + 1) * per)
    if squares:
        mu = float64(center[j])
        for r in range(chunk * per, stop):
            d = float64(x2[r, j]) - mu
            acc += d * d
    else:
        for r in range(chunk * per, stop):
            acc += float64(x2[r, j])
    parts[chunk, j] = acc


@cuda.jit
def _gradient_partials_kernel(x2, dy2, mean, inv_sigma, per, parts):
    """``parts[0, chunk, c] = sum dy`` and ``parts[1, chunk, c] = sum dy * xhat`` over the chunk's rows."""
    m, c = x2.shape
    chunks = parts.shape[1]
    i = cuda.grid(1)
    if i >= chunks * c:
        return
    chunk = i // c
    j = i - chunk * c
    s_dy = float64(0.0)
    s_dy_xhat = float64(0.0)
    mu = mean[j]
    inv = inv_sigma[j]
    for r in range(chunk * per, min(m, (chunk + 1) * per)):
        g = float64(dy2[r, j])
        s_dy += g
        s_dy_xhat += g * float64((x2[r, j] - mu) * inv)
    parts[0, chunk, j] = s_dy
    parts[1, chunk, j] = s_dy_xhat


@cuda.jit
def _finish_kernel(parts, scale, out):
    """``out[c] = scale * sum over chunks of parts[chunk, c]`` (chunks in order), as float32."""
    j = cuda.grid(1)
    if j >= out.shape[0]:
        return
    acc = float64(0.0)
    for chunk in range(parts.shape[0]):
        acc += parts[chunk, j]
    out[j] = float32(acc * scale)


@cuda.jit
def _coefficients_kernel(gamma, variance, epsilon, inv_sigma, coef):
    """``inv_sigma = 1 / sqrt(variance + epsilon)`` and ``coef = gamma * inv_sigma`` per channel (float64
    inside)."""
    j = cuda.grid(1)
    if j < gamma.shape[0]:
        inv = 1.0 / math.sqrt(float64(variance[j]) + epsilon)
        inv_sigma[j] = float32(inv)
        coef[j] = float32(float64(gamma[j]) * inv)


@cuda.jit
def _normalize_kernel(x, mean, coef, beta, y):
    """``y = (x - mean[c]) * coef[c] + beta[c]`` for flat NHWC ``x`` (``c = i % C``)."""
    i = cuda.grid(1)
    if i < x.shape[0]:
        j = i % mean.shape[0]
        y[i] = (x[i] - mean[j]) * coef[j] + beta[j]


@cuda.jit
def _input_gradient_kernel(x, dy, mean, inv_sigma, coef, mean_dy, mean_dy_xhat, training, dx):
    """``dx = coef * (dy - mean_dy - xhat * mean_dy_xhat)`` (``training``) or ``coef * dy``, flat arrays."""
    i = cuda.grid(1)
    if i < x.shape[0]:
        j = i % mean.shape[0]
        if training:
            xhat = (x[i] - mean[j]) * inv_sigma[j]
            dx[i] = coef[j] * (dy[i] - mean_dy[j] - xhat * mean_dy_xhat[j])
        else:
            dx[i] = coef[j] * dy[i]


@cuda.jit
def _moving_average_kernel(moving, value, momentum):
    """``moving = momentum * moving + (1 - momentum) * value``, in place."""
    i = cuda.grid(1)
    if i < moving.shape[0]:
        moving[i] = momentum * moving[i] + (float32(1.0) - momentum) * value[i]


def _chunks(m: int, c: int) -> tuple[int, int]:
    """``(rows per chunk, chunks)``: about :func:`engine.backends.cuda.arrays.target_blocks` blocks of
    threads over ``chunks * C`` threads (at least 16 rows a chunk, so a thread's loop pays for itself)."""
    wanted = max(1, (_a.target_blocks() * _a.threads_per_block()) // max(c, 1))
    per = max(16, math.ceil(m / wanted))
    return per, max(1, math.ceil(m / per))


def _moments(x2: Any) -> tuple[Any, Any]:
    """Per-channel ``(mean, biased variance)`` of the device array ``x2 (M, C)``: ``(C,)`` float32 each."""
    m, c = x2.shape
    per, chunks = _chunks(m, c)
    parts = cuda.device_array((chunks, c), dtype=np.float64)
    mean, variance = _a.empty(c), _a.empty(c)
    scale = 1.0 / m if m else float("nan")
    _a.launch_1d(_partial_sums_kernel, chunks * c, x2, mean, False, per, parts)
    _a.launch_1d(_finish_kernel, c, parts, scale, mean)
    _a.launch_1d(_partial_sums_kernel, chunks * c, x2, mean, True, per, parts)
    _a.launch_1d(_finish_kernel, c, parts, scale, variance)
    return mean, variance


def _coefficients(gamma: Any, variance: Any, epsilon: float) -> tuple[Any, Any]:
    c = gamma.shape[0]
    inv_sigma, coef = _a.empty(c), _a.empty(c)
    _a.launch_1d(_coefficients_kernel, c, gamma, variance, float(epsilon), inv_sigma, coef)
    return inv_sigma, coef


def _normalize(xd: Any, gamma: Any, beta: Any, mean: Any, variance: Any, epsilon: float) -> Any:
    _, coef = _coefficients(gamma, variance, epsilon)
    y = _a.empty(xd.shape)
    _a.launch_1d(_normalize_kernel, xd.size, xd.reshape(xd.size), mean, coef, beta, y.reshape(y.size))
    return y


def batch_norm(x: Any, gamma: Any, beta: Any, mean: Any, variance: Any, epsilon: float) -> Any:
    """``y`` (shape of ``x``) normalised over the last axis with the given statistics."""
    on_device = _a.any_device(x, gamma, beta, mean, variance)
    xd, gd, bd, md, vd = (_a.to_device(a) for a in (x, gamma, beta, mean, variance))
    return _a.finish(_normalize(xd, gd, bd, md, vd, epsilon), on_device)


def batch_norm_training(x: Any, gamma: Any, beta: Any, epsilon: float) -> tuple[Any, Any, Any]:
    """``(y, mean (C,), variance (C,))`` with the batch's own statistics (biased variance)."""
    on_device = _a.any_device(x, gamma, beta)
    xd, gd, bd = (_a.to_device(a) for a in (x, gamma, beta))
    c = tuple(xd.shape)[-1]  # (the simulator's shapes take no negative index)
    mean, variance = _moments(xd.reshape(xd.size // c, c))
    y = _normalize(xd, gd, bd, mean, variance, epsilon)
    return _a.finish(y, on_device), _a.finish(mean, on_device), _a.finish(variance, on_device)


def batch_norm_backward(
    x: Any,
    gamma: Any,
    mean: Any,
    variance: Any,
    dy: Any,
    epsilon: float,
    training: bool,
    need_dx: bool,
) -> tuple[Any, Any, Any]:
    """``(dx | None, dgamma (C,), dbeta (C,))`` for ``dy`` shaped like ``x``."""
    on_device = _a.any_device(x, gamma, mean, variance, dy)
    xd, gd, md, vd, dyd = (_a.to_device(a) for a in (x, gamma, mean, variance, dy))
    c = tuple(xd.shape)[-1]  # (the simulator's shapes take no negative index)
    m = xd.size // c
    inv_sigma, coef = _coefficients(gd, vd, epsilon)
    per, chunks = _chunks(m, c)
    parts = cuda.device_array((2, chunks, c), dtype=np.float64)
    _a.launch_1d(
        _gradient_partials_kernel, chunks * c, xd.reshape(m, c), dyd.reshape(m, c), md, inv_sigma, per, parts
    )
    dbeta, dgamma = _a.empty(c), _a.empty(c)
    _a.launch_1d(_finish_kernel, c, parts[0], 1.0, dbeta)
    _a.launch_1d(_finish_kernel, c, parts[1], 1.0, dgamma)
    dx = None
    if need_dx:
        mean_dy, mean_dy_xhat = _a.empty(c), _a.empty(c)
        _a.launch_1d(_finish_kernel, c, parts[0], 1.0 / max(m, 1), mean_dy)
        _a.launch_1d(_finish_kernel, c, parts[1], 1.0 / max(m, 1), mean_dy_xhat)
        dx = _a.empty(xd.shape)
        _a.launch_1d(
            _input_gradient_kernel,
            xd.size,
            xd.reshape(xd.size),
            dyd.reshape(dyd.size),
            md,
            inv_sigma,
            coef,
            mean_dy,
            mean_dy_xhat,
            bool(training),
            dx.reshape(dx.size),
        )
        dx = _a.finish(dx, on_device)
    return dx, _a.finish(dgamma, on_device), _a.finish(dbeta, on_device)


def moving_average(moving: Any, value: Any, momentum: float) -> None:
    """``moving = momentum * moving + (1 - momentum) * value``, in place (on the device when ``moving`` is a
    device array, else in NumPy)."""
    if not _a.is_device_array(moving):
        moving[...] = momentum * moving + (1.0 - momentum) * _a.to_host(value)
        return
    _a.launch_1d(_moving_average_kernel, moving.size, moving, _a.to_device(value), np.float32(momentum))
