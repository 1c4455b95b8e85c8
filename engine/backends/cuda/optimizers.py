"""Optimizer updates on the ``cuda`` tier: in-place element-wise kernels, their state held on the device.

:class:`DeviceSGD`, :class:`DeviceAdam`, :class:`DeviceRMSprop` follow the Keras formulas, which are also
those of
:mod:`engine.optimizers` (``g`` the gradient, ``t`` the step counted from 1)::

    SGD      v = momentum * v - lr * g;  p += v                 (nesterov: p += momentum * v - lr * g)
             p -= lr * g                                         (momentum == 0)
    Adam     m = b1 * m + (1 - b1) * g;  v = b2 * v + (1 - b2) * g**2
             p -= lr * sqrt(1 - b2**t) / (1 - b1**t) * m / (sqrt(v) + eps)
    RMSprop  s = rho * s + (1 - rho) * g**2;  p -= lr * g / (sqrt(s) + eps)

Each keeps its state per named slot (``"conv2d/kernel"``) like the host optimizers, takes it over from one
(:meth:`load_host_state`) and writes it back (:meth:`store_host_state`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from numba import cuda, float32

from engine.backends.cuda import arrays as _a

__all__ = ["DeviceAdam", "DeviceRMSprop", "DeviceSGD", "device_optimizer", "device_optimizer_like"]


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


def _flat(a: Any) -> Any:
    return a.reshape(a.size)


class _DeviceOptimizer:
    """Shared bookkeeping: per-weight state arrays on the device, keyed like :mod:`engine.optimizers`'
    slots."""

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
            slots = self.state[key] = [_a.zeros(tuple(p.shape)) for _ in range(self.n_slots)]
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
        for p, g in zip(params, grads, strict=True):
            if not _a.is_device_array(p):
                raise TypeError(
                    f"params must be device arrays (engine.backends.cuda.to_device). Received: {type(p)}"
                )
            if tuple(p.shape) != tuple(g.shape):
                raise ValueError(f"grad shape {tuple(g.shape)} does not match param shape {tuple(p.shape)}")
        self.iterations += 1
        for p, g, key in zip(params, grads, keys, strict=True):
            self._update(_flat(p), _flat(_a.to_device(g)), [_flat(s) for s in self._slots(key, p)])

    def apply_gradients(self, grads_and_vars: Sequence[tuple[str, Any, Any]]) -> None:
        """One step, in :meth:`engine.optimizers.Optimizer.apply_gradients`' form: ``[(slot_name, grad,
        weight)]`` with device weights (updated in place)."""
        items = list(grads_and_vars)
        self.step([w for _, _, w in items], [g for _, g, _ in items], [key for key, _, _ in items])

    def _update(self, p: Any, g: Any, state: list[Any]) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def load_host_state(self, host: Any) -> None:
        """Copy the step counter and slot arrays of an :class:`engine.optimizers.Optimizer` to the device."""
        self.iterations = int(host.iterations)
        self.state = {
            key: [_a.to_device(a) for a in arrays]
            for key, arrays in host.state.items()
            if len(arrays) == self.n_slots
        }

    def store_host_state(self, host: Any) -> None:
        """Write the step counter and slot arrays back into an :class:`engine.optimizers.Optimizer`."""
        host.iterations = self.iterations
        for key, arrays in self.state.items():
            host.state[key] = [_a.to_host(a) for a in arrays]


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
        _a.launch_1d(
            sgd_kernel,
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
        _a.launch_1d(
            adam_kernel,
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
        _a.launch_1d(
            rmsprop_kernel,
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
