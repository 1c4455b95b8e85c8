"""Losses on the ``cuda`` tier: sparse categorical cross-entropy and its gradient, fused in one row kernel.

* :func:`sparse_softmax_cross_entropy`: the loss for integer labels on logits (``from_logits=True``) and its
  gradient ``(softmax - onehot) / N``; :func:`sparse_cross_entropy_from_probs`: the same on probabilities (a
  softmax output, ``from_logits=False``), clipped to ``[eps, 1]`` as :mod:`engine.losses` does;
* :func:`batch_metrics`: the batch's mean loss and accuracy, the only copy back to the host in a training
  step.

The kernels are private and loop-only, one thread per row, float32 only.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numba import cuda, float32

from engine.backends.cuda import arrays as _a

__all__ = ["batch_metrics", "sparse_cross_entropy_from_probs", "sparse_softmax_cross_entropy"]


@cuda.jit
def softmax_xent_kernel(logits, labels, losses, correct, dlogits, scale):
    """Per row: ``loss = logsumexp(z) - z[label]``, ``dz = (softmax(z) - onehot) * scale``, argmax ==
    label."""
    r = cuda.grid(1)
    if r >= logits.shape[0]:
        return
    classes = logits.shape[1]
    top = logits[r, 0]
    arg = 0
    for j in range(1, classes):
        if logits[r, j] > top:
            top = logits[r, j]
            arg = j
    total = float32(0.0)
    for j in range(classes):
        total += math.exp(logits[r, j] - top)
    label = labels[r]
    losses[r] = math.log(total) + top - logits[r, label]
    correct[r] = float32(1.0) if arg == label else float32(0.0)
    for j in range(classes):
        p = math.exp(logits[r, j] - top) / total
        if j == label:
            p -= float32(1.0)
        dlogits[r, j] = p * scale


@cuda.jit
def prob_xent_kernel(probs, labels, losses, correct, dprobs, scale, eps):
    """Per row: ``loss = -log(max(p[label], eps))``; ``dp[label] = -scale / max(p, eps)``, 0 elsewhere."""
    r = cuda.grid(1)
    if r >= probs.shape[0]:
        return
    classes = probs.shape[1]
    top = probs[r, 0]
    arg = 0
    for j in range(classes):
        if probs[r, j] > top:
            top = probs[r, j]
            arg = j
        dprobs[r, j] = float32(0.0)
    label = labels[r]
    clipped = min(max(probs[r, label], eps), float32(1.0))
    losses[r] = -math.log(clipped)
    correct[r] = float32(1.0) if arg == label else float32(0.0)
    dprobs[r, label] = -scale / clipped


def _labels_device(labels: Any, n: int) -> Any:
    if _a.is_device_array(labels):
        return labels
    lab = np.asarray(labels).reshape(-1)
    if lab.shape[0] != n:
        raise ValueError(f"labels must hold one class per row ({n}). Received shape: {np.shape(labels)}")
    return cuda.to_device(np.ascontiguousarray(lab, dtype=np.int32))


def _check_2d(a: Any, name: str) -> None:
    if a.ndim != 2:
        raise ValueError(f"{name} must have shape (N, classes). Received shape: {tuple(a.shape)}")


def sparse_softmax_cross_entropy(logits: Any, labels: Any) -> tuple[Any, Any, Any]:
    """Mean sparse categorical cross-entropy on logits, fused with its gradient.

    Parameters
    ----------
    logits : ``(N, classes)`` float32, NumPy or device.
    labels : ``(N,)`` integer class indices, NumPy or device (int32).

    Returns
    -------
    losses : ``(N,)`` device array, each row's loss (the batch loss is their mean).
    correct : ``(N,)`` device array, 1.0 where the arg-max logit is the label.
    dlogits : ``(N, classes)`` device array, the gradient of the *mean* loss: ``(softmax - onehot) / N``.
    """
    zd = _a.to_device(logits)
    _check_2d(zd, "logits")
    n = zd.shape[0]
    lab = _labels_device(labels, n)
    losses, correct = cuda.device_array(n, np.float32), cuda.device_array(n, np.float32)
    dz = cuda.device_array(zd.shape, np.float32)
    _a.launch_1d(softmax_xent_kernel, n, zd, lab, losses, correct, dz, np.float32(1.0 / max(n, 1)))
    return losses, correct, dz


def sparse_cross_entropy_from_probs(probs: Any, labels: Any, eps: float = 1e-7) -> tuple[Any, Any, Any]:
    """Mean sparse categorical cross-entropy on probabilities ``(N, classes)`` (clipped to ``[eps, 1]``).

    Returns ``(losses (N,), correct (N,), dprobs (N, classes))`` as device arrays, like
    :func:`sparse_softmax_cross_entropy`, with :mod:`engine.losses`' formulas: ``dprobs`` is
    ``-1 / (N * max(p, eps))`` at the label and zero elsewhere.
    """
    pd = _a.to_device(probs)
    _check_2d(pd, "probs")
    n = pd.shape[0]
    lab = _labels_device(labels, n)
    losses, correct = cuda.device_array(n, np.float32), cuda.device_array(n, np.float32)
    dp = cuda.device_array(pd.shape, np.float32)
    _a.launch_1d(
        prob_xent_kernel, n, pd, lab, losses, correct, dp, np.float32(1.0 / max(n, 1)), np.float32(eps)
    )
    return losses, correct, dp


def batch_metrics(losses: Any, correct: Any) -> tuple[float, float]:
    """``(mean loss, accuracy)`` of a batch: the only copy to the host in a training step (2 x N floats)."""
    lo, co = _a.to_host(losses), _a.to_host(correct)
    if lo.size == 0:
        return float("nan"), float("nan")
    return float(np.mean(lo, dtype=np.float64)), float(np.mean(co, dtype=np.float64))
