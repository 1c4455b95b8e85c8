"""Device-side training pieces for the ``cuda`` tier: softmax cross-entropy and the optimizer updates.

Everything here keeps its arrays on the device; only the per-batch metrics (two numbers) come back.

* :func:`sparse_softmax_cross_entropy` - the loss for integer labels on logits (``from_logits=True``) and its
  gradient, fused in one row kernel; :func:`sparse_cross_entropy_from_probs` - the same on probabilities
  (a softmax output, ``from_logits=False``), clipped to ``[eps, 1]`` as :mod:`engine.losses` does.
* :class:`DeviceSGD`, :class:`DeviceAdam`, :class:`DeviceRMSprop` - in-place element-wise updates with the Keras
  formulas (also those of :mod:`engine.optimizers`), their state (velocity, moments) held on the device.

Update rules (``g`` the gradient, ``t`` the step counted from 1)::

    SGD      v = momentum * v - lr * g;  p += v                 (nesterov: p += momentum * v - lr * g)
             p -= lr * g                                         (momentum == 0)
    Adam     m = b1 * m + (1 - b1) * g;  v = b2 * v + (1 - b2) * g**2
             p -= lr * sqrt(1 - b2**t) / (1 - b1**t) * m / (sqrt(v) + eps)
    RMSprop  s = rho * s + (1 - rho) * g**2;  p -= lr * g / (sqrt(s) + eps)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from numba import cuda

from engine.backends import cuda as cb
from engine.backends import cuda_kernels_train as ckt

__all__ = [
    "DeviceAdam",
    "DeviceRMSprop",
    "DeviceSGD",
    "batch_metrics",
    "device_optimizer",
    "device_optimizer_like",
    "sparse_cross_entropy_from_probs",
    "sparse_softmax_cross_entropy",
]


# ------------------------------------------------------------------------------------------------- losses
def _labels_device(labels: Any, n: int) -> Any:
    if cb.is_device_array(labels):
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
    zd = cb.to_device(logits)
    _check_2d(zd, "logits")
    n = zd.shape[0]
    lab = _labels_device(labels, n)
    losses, correct = cuda.device_array(n, np.float32), cuda.device_array(n, np.float32)
    dz = cuda.device_array(zd.shape, np.float32)
    cb.launch_1d(ckt.softmax_xent_kernel, n, zd, lab, losses, correct, dz, np.float32(1.0 / max(n, 1)))
    return losses, correct, dz


def sparse_cross_entropy_from_probs(probs: Any, labels: Any, eps: float = 1e-7) -> tuple[Any, Any, Any]:
    """Mean sparse categorical cross-entropy on probabilities ``(N, classes)`` (clipped to ``[eps, 1]``).

    Returns ``(losses (N,), correct (N,), dprobs (N, classes))`` as device arrays, like
    :func:`sparse_softmax_cross_entropy`, with :mod:`engine.losses`' formulas: ``dprobs`` is
    ``-1 / (N * max(p, eps))`` at the label and zero elsewhere.
    """
    pd = cb.to_device(probs)
    _check_2d(pd, "probs")
    n = pd.shape[0]
    lab = _labels_device(labels, n)
    losses, correct = cuda.device_array(n, np.float32), cuda.device_array(n, np.float32)
    dp = cuda.device_array(pd.shape, np.float32)
    cb.launch_1d(
        ckt.prob_xent_kernel, n, pd, lab, losses, correct, dp, np.float32(1.0 / max(n, 1)), np.float32(eps)
    )
    return losses, correct, dp


def batch_metrics(losses: Any, correct: Any) -> tuple[float, float]:
    """``(mean loss, accuracy)`` of a batch: the only copy to the host in a training step (2 x N floats)."""
    lo, co = cb.to_host(losses), cb.to_host(correct)
    if lo.size == 0:
        return float("nan"), float("nan")
    return float(np.mean(lo, dtype=np.float64)), float(np.mean(co, dtype=np.float64))


# ------------------------------------------------------------------------------------------------ updates
def _flat(a: Any) -> Any:
    return a.reshape(a.size)


class _DeviceOptimizer:
    """Shared bookkeeping: per-weight state arrays on the device, keyed like :mod:`engine.optimizers`' slots."""

    n_slots = 0

    def __init__(self, learning_rate: float) -> None:
        if not (learning_rate > 0 and math.isfinite(learning_rate)):
            raise ValueError(
                f"learning_rate must be a finite number > 0. Received: learning_rate={learning_rate}"
            )
        self.learning_rate = float(learning_rate)
        self.iterations = 0
        self.state: dict[str, list[Any]] = {}  # slot name -> device arrays shaped like the weight

    def _slots(self, key: str, p: Any) -> list[Any]:
        slots = self.state.get(key)
        if slots is None or any(tuple(a.shape) != tuple(p.shape) for a in slots):
            slots = self.state[key] = [cb.zeros(tuple(p.shape)) for _ in range(self.n_slots)]
        return slots

    def step(self, params: Sequence[Any], grads: Sequence[Any], keys: Sequence[str] | None = None) -> None:
        """Update every device array of ``params`` in place from the matching ``grads`` (same shapes).

        ``keys`` name each weight's state (default: its position), as ``engine.optimizers`` slot names do.
        """
        keys = [str(i) for i in range(len(params))] if keys is None else list(keys)
        if not len(params) == len(grads) == len(keys):
            raise ValueError(
                f"params, grads and keys must pair up. Received: {len(params)} params, "
                f"{len(grads)} grads, {len(keys)} keys"
            )
        for p, g in zip(params, grads):
            if not cb.is_device_array(p):
                raise TypeError(
                    f"params must be device arrays (engine.backends.cuda.to_device). Received: {type(p)}"
                )
            if tuple(p.shape) != tuple(g.shape):
                raise ValueError(f"grad shape {tuple(g.shape)} does not match param shape {tuple(p.shape)}")
        self.iterations += 1
        for p, g, key in zip(params, grads, keys):
            self._update(_flat(p), _flat(cb.to_device(g)), [_flat(s) for s in self._slots(key, p)])

    def _update(self, p: Any, g: Any, state: list[Any]) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def load_host_state(self, host: Any) -> None:
        """Copy the step counter and slot arrays of an :class:`engine.optimizers.Optimizer` to the device."""
        self.iterations = int(host.iterations)
        self.state = {
            key: [cb.to_device(a) for a in arrays]
            for key, arrays in host.state.items()
            if len(arrays) == self.n_slots
        }

    def store_host_state(self, host: Any) -> None:
        """Write the step counter and slot arrays back into an :class:`engine.optimizers.Optimizer`."""
        host.iterations = self.iterations
        for key, arrays in self.state.items():
            host.state[key] = [cb.to_host(a) for a in arrays]


class DeviceSGD(_DeviceOptimizer):
    """Stochastic gradient descent with optional (Nesterov) momentum, Keras formulas."""

    def __init__(self, learning_rate: float = 0.01, momentum: float = 0.0, nesterov: bool = False) -> None:
        super().__init__(learning_rate)
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"momentum must be in [0, 1). Received: momentum={momentum}")
        self.momentum, self.nesterov = float(momentum), bool(nesterov)
        self.n_slots = 1 if self.momentum else 0  # a velocity only with momentum, as engine.optimizers keeps

    def _update(self, p: Any, g: Any, state: list[Any]) -> None:
        velocity = state[0] if state else p  # unread by the kernel when momentum == 0
        cb.launch_1d(
            ckt.sgd_kernel,
            p.size,
            p,
            g,
            velocity,
            np.float32(self.learning_rate),
            np.float32(self.momentum),
            self.nesterov,
        )


class DeviceAdam(_DeviceOptimizer):
    """Adam with the bias correction folded into the step size, as Keras does."""

    n_slots = 2

    def __init__(
        self, learning_rate: float = 1e-3, beta_1: float = 0.9, beta_2: float = 0.999, epsilon: float = 1e-7
    ) -> None:
        super().__init__(learning_rate)
        for name, value in (("beta_1", beta_1), ("beta_2", beta_2)):
            if not 0.0 <= value < 1.0:
                raise ValueError(f"{name} must be in [0, 1). Received: {name}={value}")
        self.beta_1, self.beta_2, self.epsilon = float(beta_1), float(beta_2), float(epsilon)

    def _update(self, p: Any, g: Any, state: list[Any]) -> None:
        t = self.iterations
        lr_t = self.learning_rate * math.sqrt(1.0 - self.beta_2**t) / (1.0 - self.beta_1**t)
        cb.launch_1d(
            ckt.adam_kernel,
            p.size,
            p,
            g,
            state[0],
            state[1],
            np.float32(lr_t),
            np.float32(self.beta_1),
            np.float32(self.beta_2),
            np.float32(self.epsilon),
        )


class DeviceRMSprop(_DeviceOptimizer):
    """RMSprop: divide by a running root-mean-square of the gradients (``rho`` its decay)."""

    n_slots = 1

    def __init__(self, learning_rate: float = 1e-3, rho: float = 0.9, epsilon: float = 1e-7) -> None:
        super().__init__(learning_rate)
        if not 0.0 <= rho < 1.0:
            raise ValueError(f"rho must be in [0, 1). Received: rho={rho}")
        self.rho, self.epsilon = float(rho), float(epsilon)

    def _update(self, p: Any, g: Any, state: list[Any]) -> None:
        cb.launch_1d(
            ckt.rmsprop_kernel,
            p.size,
            p,
            g,
            state[0],
            np.float32(self.learning_rate),
            np.float32(self.rho),
            np.float32(self.epsilon),
        )


_OPTIMIZERS = {"sgd": DeviceSGD, "adam": DeviceAdam, "rmsprop": DeviceRMSprop}


def device_optimizer(name: str, **hyper: Any) -> _DeviceOptimizer:
    """Build a device optimizer by name (``"sgd" | "adam" | "rmsprop"``) with its hyper-parameters."""
    key = name.lower()
    if key not in _OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {tuple(_OPTIMIZERS)}. Received: {name!r}")
    return _OPTIMIZERS[key](**hyper)


def device_optimizer_like(host: Any) -> _DeviceOptimizer:
    """The device twin of an :class:`engine.optimizers.Optimizer` (same hyper-parameters and state)."""
    name = type(host).__name__.lower()
    if name not in _OPTIMIZERS:
        raise ValueError(f"the cuda backend trains with {tuple(_OPTIMIZERS)}. Received optimizer: {host!r}")
    dev = _OPTIMIZERS[name](**host.get_config())
    dev.load_host_state(host)
    return dev
