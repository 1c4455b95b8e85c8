"""The ``cuda`` tier's training device: what a training run keeps on the GPU and how it updates it.

:class:`CudaDevice` is the tier's :class:`engine.backends.contract.Device`. A run (:mod:`engine.session`)
copies the model's weights and optimizer state over once, at its start; the layers then run their own
``forward`` and ``backward`` with device arrays (the tier's kernels take and return them), the loss and its
gradient are computed here, and the optimizer updates the weights in place on the device. Per batch the only
copies are the batch in (and a Dropout mask) and two numbers out (the loss and the accuracy); at the end of
the run the weights and the optimizer state come back once.

The compiled loss decides how the loss runs: :class:`engine.losses.SparseCategoricalCrossentropy` is fused on
the device (:mod:`engine.backends.cuda.losses`); any other loss runs on the host (one output-sized copy each
way).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from engine import losses
from engine.backends.cuda import arrays as _a
from engine.backends.cuda.losses import (
    batch_metrics,
    sparse_cross_entropy_from_probs,
    sparse_softmax_cross_entropy,
)
from engine.backends.cuda.optimizers import device_optimizer_like

__all__ = ["CudaDevice"]


class CudaDevice:
    """Weights, optimizer state and activations held on the GPU across a run (see the module docstring)."""

    resident = True

    def to_device(self, a: Any) -> Any:
        return _a.to_device(a)

    def to_host(self, a: Any) -> np.ndarray:
        return _a.to_host(a)

    def loss_and_grad(
        self, loss: Any, y_true: np.ndarray, y_pred: Any, accuracy: bool
    ) -> tuple[float, float, Any]:
        """``(mean loss, accuracy or NaN, dL/dy_pred on the device)`` for one batch."""
        if isinstance(loss, losses.SparseCategoricalCrossentropy):
            fused = sparse_softmax_cross_entropy if loss.from_logits else sparse_cross_entropy_from_probs
            per_row, correct, grad = fused(y_pred, np.asarray(y_true))
            value, acc = batch_metrics(per_row, correct)
            return value, acc if accuracy else float("nan"), grad
        host_pred = _a.to_host(y_pred)  # other losses run on the host: one output-sized copy each way
        value, grad = loss.forward_backward(y_true, host_pred)
        acc = float(loss.accuracy(y_true, host_pred)) if accuracy else float("nan")
        return float(value), acc, _a.to_device(grad)

    def optimizer(self, host: Any) -> Any:
        """The device twin of ``host`` (:mod:`engine.backends.cuda.optimizers`), its state copied over."""
        return device_optimizer_like(host)

    def store_optimizer(self, device_optimizer: Any, host: Any) -> None:
        device_optimizer.store_host_state(host)

    def __repr__(self) -> str:
        return "CudaDevice()"
