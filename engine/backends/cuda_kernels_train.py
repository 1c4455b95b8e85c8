"""``@cuda.jit`` kernels of a device training step: fused softmax cross-entropy and the optimizer updates.

Private and loop-only; :mod:`engine.backends.cuda_train` launches them on 1-D grids. float32 only: every
literal is ``float32(...)`` and the hyper-parameters arrive as ``np.float32``.
"""

from __future__ import annotations

import math

from numba import cuda, float32


@cuda.jit
def softmax_xent_kernel(logits, labels, losses, correct, dlogits, scale):
    """Per row: ``loss = logsumexp(z) - z[label]``, ``dz = (softmax(z) - onehot) * scale``, argmax == label."""
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


@cuda.jit
def sgd_kernel(p, g, v, lr, momentum, nesterov):
    i = cuda.grid(1)
    if i >= p.shape[0]:
        return
    if momentum == float32(0.0):
        p[i] -= lr * g[i]
        return
    v[i] = momentum * v[i] - lr * g[i]
    if nesterov:
        p[i] += momentum * v[i] - lr * g[i]
    else:
        p[i] += v[i]


@cuda.jit
def adam_kernel(p, g, m, v, lr_t, beta_1, beta_2, eps):
    i = cuda.grid(1)
    if i >= p.shape[0]:
        return
    gi = g[i]
    m[i] = beta_1 * m[i] + (float32(1.0) - beta_1) * gi
    v[i] = beta_2 * v[i] + (float32(1.0) - beta_2) * gi * gi
    p[i] -= lr_t * m[i] / (math.sqrt(v[i]) + eps)


@cuda.jit
def rmsprop_kernel(p, g, s, lr, rho, eps):
    i = cuda.grid(1)
    if i >= p.shape[0]:
        return
    gi = g[i]
    s[i] = rho * s[i] + (float32(1.0) - rho) * gi * gi
    p[i] -= lr * gi / (math.sqrt(s[i]) + eps)


@cuda.jit
def multiply_kernel(a, b, out):
    """``out = a * b`` element-wise on flat arrays (dropout masks)."""
    i = cuda.grid(1)
    if i < out.shape[0]:
        out[i] = a[i] * b[i]
