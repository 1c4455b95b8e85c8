"""The training device of the host tiers (reference and cpu): everything stays in NumPy, nothing moves.

The weights a run trains are the model's own arrays, updated in place by the model's own optimizer, and the
loss is the compiled :class:`engine.losses.Loss` itself. See :class:`engine.backends.contract.Device`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["HostDevice", "host_to_device", "host_to_host"]


def host_to_device(a: Any) -> Any:
    """The host tiers' ``to_device``: ``a`` itself (their kernels read NumPy arrays)."""
    return a


def host_to_host(a: Any) -> np.ndarray:
    """The host tiers' ``to_host``: ``a`` as a NumPy array (no copy)."""
    return np.asarray(a)


class HostDevice:
    """:class:`engine.backends.contract.Device` for tiers that compute in the host's memory."""

    resident = False

    def to_device(self, a: Any) -> Any:
        return a

    def to_host(self, a: Any) -> np.ndarray:
        return np.asarray(a)

    def loss_and_grad(
        self, loss: Any, y_true: np.ndarray, y_pred: Any, accuracy: bool
    ) -> tuple[float, float, np.ndarray]:
        value, grad = loss.forward_backward(y_true, y_pred)
        acc = float(loss.accuracy(y_true, y_pred)) if accuracy else float("nan")
        return float(value), acc, np.ascontiguousarray(grad, dtype=np.float32)

    def optimizer(self, host: Any) -> Any:
        return host  # the model's own optimizer updates the model's own arrays

    def store_optimizer(self, device_optimizer: Any, host: Any) -> None:
        """Nothing to copy: the host optimizer was the one that ran."""

    def __repr__(self) -> str:
        return "HostDevice()"
