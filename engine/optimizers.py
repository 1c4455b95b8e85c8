"""Optimizers: how each weight moves given its gradient. Updates are in place, float32, allocation-free.

State (velocities, moment estimates) is kept per named slot (``"conv2d/kernel"``), so it survives saving and
loading and follows a weight when layers are frozen or unfrozen.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def _positive(value: Any, name: str) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number. Received: {name}={value!r}") from None
    if not np.isfinite(v) or v <= 0:
        raise ValueError(f"{name} must be a finite number > 0. Received: {name}={value!r}")
    return v


def _unit(value: Any, name: str, *, allow_zero: bool = True) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number. Received: {name}={value!r}") from None
    if not ((0.0 <= v < 1.0) if allow_zero else (0.0 < v < 1.0)):
        raise ValueError(f"{name} must be in {'[0' if allow_zero else '(0'}, 1). Received: {name}={value!r}")
    return v


class Optimizer:
    """Base class. ``learning_rate`` (alias ``lr``, as in the lesson's ``RMSprop(lr=0.0001)``)."""

    #: names of the per-weight state arrays, in save order
    slot_names: tuple[str, ...] = ()

    def __init__(self, learning_rate: float, lr: float | None = None) -> None:
        self.learning_rate = _positive(
            lr if lr is not None else learning_rate, "lr" if lr is not None else "learning_rate"
        )
        self.iterations = 0
        self.state: dict[str, list[np.ndarray]] = {}
        self._tmp: dict[str, np.ndarray] = {}

    def _slots(self, key: str, param: np.ndarray) -> list[np.ndarray]:
        slots = self.state.get(key)
        if slots is None or any(a.shape != param.shape for a in slots):
            slots = [np.zeros_like(param) for _ in self.slot_names]
            self.state[key] = slots
        return slots

    def _scratch(self, key: str, param: np.ndarray) -> np.ndarray:
        tmp = self._tmp.get(key)
        if tmp is None or tmp.shape != param.shape:
            tmp = self._tmp[key] = np.empty_like(param)
        return tmp

    def apply_gradients(self, grads_and_vars: list[tuple[str, np.ndarray, np.ndarray]]) -> None:
        """One step: ``grads_and_vars`` is a list of ``(slot_name, gradient, weight)``; weights change in
        place."""
        self.iterations += 1
        for key, g, w in grads_and_vars:
            self._update(key, g, w)

    def _update(self, key: str, g: np.ndarray, w: np.ndarray) -> None:
        raise NotImplementedError

    def get_config(self) -> dict[str, Any]:
        return {"learning_rate": self.learning_rate}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Optimizer:
        return cls(**config)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with (Nesterov) momentum, Keras' formulation:
    ``v = momentum * v - lr * g``; ``w += v`` (Nesterov: ``w += momentum * v - lr * g``)."""

    slot_names = ("velocity",)

    def __init__(
        self,
        learning_rate: float = 0.01,
        momentum: float = 0.0,
        nesterov: bool = False,
        lr: float | None = None,
    ) -> None:
        super().__init__(learning_rate, lr)
        self.momentum = _unit(momentum, "momentum")
        self.nesterov = bool(nesterov)

    def _update(self, key: str, g: np.ndarray, w: np.ndarray) -> None:
        lr = np.float32(self.learning_rate)
        if self.momentum == 0.0:
            tmp = self._scratch(key, w)
            np.multiply(g, lr, out=tmp)
            w -= tmp
            return
        (v,) = self._slots(key, w)
        m = np.float32(self.momentum)
        tmp = self._scratch(key, w)
        v *= m
        np.multiply(g, lr, out=tmp)
        v -= tmp
        if self.nesterov:
            np.multiply(v, m, out=tmp)
            w += tmp
            np.multiply(g, lr, out=tmp)
            w -= tmp
        else:
            w += v

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}


class Adam(Optimizer):
    """Adam: ``m = b1 m + (1 - b1) g``; ``v = b2 v + (1 - b2) g^2``;
    ``w -= lr_t m / (sqrt(v) + eps)`` with ``lr_t = lr sqrt(1 - b2^t) / (1 - b1^t)`` (Keras' formulation)."""

    slot_names = ("m", "v")

    def __init__(
        self,
        learning_rate: float = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        lr: float | None = None,
    ) -> None:
        super().__init__(learning_rate, lr)
        self.beta_1 = _unit(beta_1, "beta_1")
        self.beta_2 = _unit(beta_2, "beta_2")
        self.epsilon = _positive(epsilon, "epsilon")

    def _update(self, key: str, g: np.ndarray, w: np.ndarray) -> None:
        m, v = self._slots(key, w)
        tmp = self._scratch(key, w)
        t = self.iterations
        b1, b2 = np.float32(self.beta_1), np.float32(self.beta_2)
        lr_t = np.float32(self.learning_rate * np.sqrt(1.0 - self.beta_2**t) / (1.0 - self.beta_1**t))
        m *= b1
        np.multiply(g, np.float32(1.0) - b1, out=tmp)
        m += tmp
        v *= b2
        np.multiply(g, g, out=tmp)
        tmp *= np.float32(1.0) - b2
        v += tmp
        np.sqrt(v, out=tmp)
        tmp += np.float32(self.epsilon)
        np.divide(m, tmp, out=tmp)
        tmp *= lr_t
        w -= tmp

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon}


class RMSprop(Optimizer):
    """RMSprop: ``s = rho s + (1 - rho) g^2``; ``w -= lr g / (sqrt(s) + eps)``."""

    slot_names = ("rms",)

    def __init__(
        self, learning_rate: float = 0.001, rho: float = 0.9, epsilon: float = 1e-7, lr: float | None = None
    ) -> None:
        super().__init__(learning_rate, lr)
        self.rho = _unit(rho, "rho")
        self.epsilon = _positive(epsilon, "epsilon")

    def _update(self, key: str, g: np.ndarray, w: np.ndarray) -> None:
        (s,) = self._slots(key, w)
        tmp = self._scratch(key, w)
        rho = np.float32(self.rho)
        s *= rho
        np.multiply(g, g, out=tmp)
        tmp *= np.float32(1.0) - rho
        s += tmp
        np.sqrt(s, out=tmp)
        tmp += np.float32(self.epsilon)
        np.divide(g, tmp, out=tmp)
        tmp *= np.float32(self.learning_rate)
        w -= tmp

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}


#: optimizer classes by name (Keras' string aliases and class names)
OPTIMIZERS: dict[str, type[Optimizer]] = {
    "sgd": SGD,
    "adam": Adam,
    "rmsprop": RMSprop,
    "SGD": SGD,
    "Adam": Adam,
    "RMSprop": RMSprop,
}


def get(identifier: Any) -> Optimizer:
    """An :class:`Optimizer` from an instance, a name (``"adam"``, ``"sgd"``, ``"rmsprop"``) or a config
    dict."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, dict) and identifier.get("class_name") in OPTIMIZERS:
        return OPTIMIZERS[identifier["class_name"]].from_config(identifier.get("config", {}))
    if isinstance(identifier, str) and identifier.lower() in OPTIMIZERS:
        return OPTIMIZERS[identifier.lower()].from_config({})
    raise ValueError(
        f"optimizer must be an Optimizer instance or one of ('sgd', 'adam', 'rmsprop'). "
        f"Received: optimizer={identifier!r}"
    )


def serialize(opt: Optimizer) -> dict[str, Any]:
    return {"class_name": type(opt).__name__, "config": opt.get_config()}
