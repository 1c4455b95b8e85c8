"""Numba CPU batch normalisation over the last axis (the channels of NHWC images, the features of ``(N,
D)``).

``x`` is seen as ``(M, C)``: ``M`` samples (every position of every image) of ``C`` channels. Reductions
split the rows between the Numba threads, each summing into its own float64 partial ``(slots, C)``; the
partials are added in slot order, so results do not depend on timing and no two threads write the same cell.
The variance takes two passes (the mean first, then the squared deviations from it), so a large mean does
not cancel a small spread. Element-wise passes are parallel over rows::

    training    mean = sum(x) / M ;  variance = sum((x - mean)^2) / M        (biased, as Keras)
    forward     y  = (x - mean) * (gamma / sigma) + beta                    sigma = sqrt(variance + eps)
    backward    dbeta = sum(dy) ;  dgamma = sum(dy * xhat)                   xhat = (x - mean) / sigma
                dx = gamma / sigma * (dy - dbeta / M - xhat * dgamma / M)    (training: batch statistics)
                dx = gamma / sigma * dy                                      (inference: constants)
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from engine.backends.cpu.conv import SAFE_FASTMATH
from engine.backends.cpu.threads import thread_count

__all__ = ["backward", "forward", "moving_average", "training_forward"]


@njit(parallel=True, cache=True, fastmath=SAFE_FASTMATH)
def _moments(x2, slots):  # pragma: no cover - jitted
    """Per-column mean and biased variance of ``x2 (M, C)``, float64 accumulation: ``(mean, var)``
    float32."""
    m, c = x2.shape
    parts = np.zeros((slots, c), dtype=np.float64)
    for t in prange(slots):
        for r in range(t * m // slots, (t + 1) * m // slots):
            for j in range(c):
                parts[t, j] += x2[r, j]
    mean = np.zeros(c, dtype=np.float64)
    for t in range(slots):
        for j in range(c):
            mean[j] += parts[t, j]
    for j in range(c):
        mean[j] /= m
    squares = np.zeros((slots, c), dtype=np.float64)
    for t in prange(slots):
        for r in range(t * m // slots, (t + 1) * m // slots):
            for j in range(c):
                d = x2[r, j] - mean[j]
                squares[t, j] += d * d
    var = np.zeros(c, dtype=np.float64)
    for t in range(slots):
        for j in range(c):
            var[j] += squares[t, j]
    for j in range(c):
        var[j] /= m
    return mean.astype(np.float32), var.astype(np.float32)


@njit(parallel=True, cache=True)
def _normalize(x2, mean, scale, beta, y2):  # pragma: no cover - jitted
    """``y2 = (x2 - mean) * scale + beta`` row by row (``scale = gamma / sigma``, per column)."""
    m, c = x2.shape
    for r in prange(m):
        for j in range(c):
            y2[r, j] = (x2[r, j] - mean[j]) * scale[j] + beta[j]


@njit(parallel=True, cache=True, fastmath=SAFE_FASTMATH)
def _gradient_sums(x2, dy2, mean, inv_sigma, slots):  # pragma: no cover - jitted
    """``(sum(dy), sum(dy * xhat))`` per column, float64: the gradients of ``beta`` and ``gamma``."""
    m, c = x2.shape
    parts = np.zeros((slots, 2, c), dtype=np.float64)
    for t in prange(slots):
        for r in range(t * m // slots, (t + 1) * m // slots):
            for j in range(c):
                g = dy2[r, j]
                parts[t, 0, j] += g
                parts[t, 1, j] += g * ((x2[r, j] - mean[j]) * inv_sigma[j])
    sums = np.zeros((2, c), dtype=np.float64)
    for t in range(slots):
        for j in range(c):
            sums[0, j] += parts[t, 0, j]
            sums[1, j] += parts[t, 1, j]
    return sums[0], sums[1]


@njit(parallel=True, cache=True)
def _input_gradient(x2, dy2, mean, inv_sigma, coef, mean_dy, mean_dy_xhat, training, dx2):  # pragma: no cover
    """``dx2``: ``coef * (dy - mean_dy - xhat * mean_dy_xhat)`` with ``training``, else ``coef * dy``
    (``coef = gamma / sigma`` per column)."""
    m, c = x2.shape
    for r in prange(m):
        if training:
            for j in range(c):
                xhat = (x2[r, j] - mean[j]) * inv_sigma[j]
                dx2[r, j] = coef[j] * (dy2[r, j] - mean_dy[j] - xhat * mean_dy_xhat[j])
        else:
            for j in range(c):
                dx2[r, j] = coef[j] * dy2[r, j]


def _inv_sigma(variance: np.ndarray, epsilon: float) -> np.ndarray:
    """``1 / sqrt(variance + epsilon)`` computed in float64, as float32 ``(C,)``."""
    return (1.0 / np.sqrt(variance.astype(np.float64) + float(epsilon))).astype(np.float32)


def forward(
    x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, mean: np.ndarray, variance: np.ndarray, epsilon: float
) -> np.ndarray:
    """``y`` (shape of ``x``) normalised with the given per-channel statistics."""
    c = x.shape[-1]
    y = np.empty_like(x)
    if x.size:
        scale = (gamma * _inv_sigma(variance, epsilon)).astype(np.float32)
        _normalize(x.reshape(-1, c), mean, scale, beta, y.reshape(-1, c))
    return y


def training_forward(
    x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, epsilon: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(y, mean (C,), variance (C,))`` with the batch's own statistics (biased variance); NaN statistics for
    an empty batch."""
    if x.size == 0:
        nan = np.full(x.shape[-1], np.nan, np.float32)
        return np.empty_like(x), nan, nan.copy()
    mean, variance = _moments(x.reshape(-1, x.shape[-1]), thread_count())
    return forward(x, gamma, beta, mean, variance, epsilon), mean, variance


def backward(
    x: np.ndarray,
    gamma: np.ndarray,
    mean: np.ndarray,
    variance: np.ndarray,
    dy: np.ndarray,
    epsilon: float,
    training: bool,
    need_dx: bool,
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """``(dx | None, dgamma (C,), dbeta (C,))`` (see the module docstring)."""
    c = x.shape[-1]
    x2, dy2 = x.reshape(-1, c), dy.reshape(-1, c)
    m = x2.shape[0]
    inv_sigma = _inv_sigma(variance, epsilon)
    sum_dy, sum_dy_xhat = _gradient_sums(x2, dy2, mean, inv_sigma, thread_count())
    dx = None
    if need_dx:
        dx = np.empty_like(x)
        coef = (gamma * inv_sigma).astype(np.float32)
        mean_dy = (sum_dy / max(m, 1)).astype(np.float32)
        mean_dy_xhat = (sum_dy_xhat / max(m, 1)).astype(np.float32)
        _input_gradient(
            x2, dy2, mean, inv_sigma, coef, mean_dy, mean_dy_xhat, bool(training), dx.reshape(-1, c)
        )
    return dx, sum_dy_xhat.astype(np.float32), sum_dy.astype(np.float32)


def moving_average(moving: np.ndarray, value: np.ndarray, momentum: float) -> None:
    """``moving = momentum * moving + (1 - momentum) * value``, in place (``(C,)`` arrays: no kernel)."""
    moving[...] = momentum * moving + (1.0 - momentum) * value
