"""Dense (fully connected) layer: every input feature connected to every unit."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import numpy as np

from engine import ops
from engine.layers.base import (
    ActivationMixin,
    Layer,
    Shape,
    ShapeError,
    Step,
    glorot_uniform,
    normalize_activation,
)


class Dense(ActivationMixin, Layer):
    """``(N, D_in) -> (N, units)``: ``y = activation(x @ kernel + bias)``.

    Parameters
    ----------
    units : number of outputs (e.g. one per class).
    activation : an activation name or None (linear: the lesson's last layer gives logits).
    use_bias : add a learned bias per unit.

    Notes
    -----
    Weights: ``kernel (D_in, units)`` (Glorot-uniform), ``bias (units,)`` (zeros).
    """

    def __init__(
        self,
        units: int,
        activation: str | None = None,
        use_bias: bool = True,
        input_shape: Any = None,
        name: str | None = None,
        trainable: bool = True,
    ) -> None:
        super().__init__(name=name, trainable=trainable, input_shape=input_shape)
        if isinstance(units, bool) or not hasattr(units, "__index__") or int(units) < 1:
            raise ValueError(f"units must be a positive int. Received: units={units!r}")
        self.units = int(units)
        self.activation = normalize_activation(activation)
        self.use_bias = bool(use_bias)
        self._x: np.ndarray | None = None
        self._z = self._y = None

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        if len(input_shape) != 1 or input_shape[0] is None:
            raise ShapeError(
                f"Dense expects flat features (D,). Received input shape: {tuple(input_shape)}",
                "add Flatten() or GlobalMaxPooling2D() before it",
            )
        return (self.units,)

    def build_weights(self, input_shape: Shape, rng: np.random.Generator) -> None:
        d_in = int(input_shape[0])
        self.params["kernel"] = glorot_uniform(rng, (d_in, self.units), d_in, self.units)
        if self.use_bias:
            self.params["bias"] = np.zeros(self.units, np.float32)

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        self._x = x  # (N, D_in)
        return self._activate(ops.dense(x, self.params["kernel"], self.params.get("bias")))  # (N, units)

    def inference_step(self, input_shape: Shape, backend: ModuleType) -> Step:
        params = self.params
        no_bias = np.zeros(self.units, np.float32)
        dense = self._activation_step(backend, backend.dense, getattr(backend, "dense_relu", None))

        def step(x: np.ndarray) -> np.ndarray:
            return dense(x, params["kernel"], params.get("bias", no_bias))

        return step

    def backward(self, dy: np.ndarray, need_dx: bool = True) -> np.ndarray | None:
        if self._x is None:
            raise RuntimeError(f"{self.name}: backward called before forward")
        dz = self._activate_backward(dy)  # (N, units)
        dx, dw, db = ops.dense_backward(self._x, self.params["kernel"], dz)
        self.grads["kernel"] = dw
        if self.use_bias:
            self.grads["bias"] = db
        return dx if need_dx else None

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "units": self.units,
            "activation": self.activation,
            "use_bias": self.use_bias,
        }
