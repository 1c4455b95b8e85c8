"""Dense (fully connected) layer: every input feature connected to every unit."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from engine.backends import current
from engine.layers.base import (
    ActivationMixin,
    Array,
    Layer,
    Shape,
    ShapeError,
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

    _TRANSIENT: ClassVar[tuple[str, ...]] = (*Layer._TRANSIENT, "_x", "_z", "_y")

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

    def _init_transient(self) -> None:
        super()._init_transient()
        self._x: Array | None = None  # the last input, for backward
        self._z: Array | None = None
        self._y: Array | None = None

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

    def last_axis_mismatch(self, size: int, x_shape: tuple[int, ...]) -> str:
        kernel = self.params.get("kernel")
        k_shape = None if kernel is None else tuple(kernel.shape)
        d_in = None if self.input_shape is None else self.input_shape[-1]
        return (
            f"dense: x has D_in={size} features but w expects {d_in} "
            f"(w shape {k_shape}, layer {self.name!r}). Received shape: {x_shape}"
        )

    def forward(self, x: Array, training: bool = False) -> Array:
        if x.shape[1:] != self.input_shape:
            self.check_input(x.shape)
        tier = self._tier or current()
        live = self.params if self._live is None else self._live
        kernel, bias = live["kernel"], live.get("bias")
        if bias is None:
            bias = self._bias_or_zeros(tier, live, self.units)
        self._x = x  # (N, D_in)
        if self.activation == "relu":
            fused = getattr(tier, "dense_relu", None)  # an optional extra of the contract
            if fused is not None:
                y = fused(x, kernel, bias)  # (N, units)
                self._z, self._y = None, y  # ReLU's backward reads y (see ActivationMixin)
                return y
        return self._activate(tier, tier.dense(x, kernel, bias))  # (N, units)

    def backward(self, dy: Array, need_dx: bool = True) -> Array | None:
        x = self._x
        if x is None:
            raise RuntimeError(f"{self.name}: backward called before forward")
        tier = self.kernels()
        dz = self._activate_backward(tier, dy)  # (N, units)
        dx, dw, db = tier.dense_backward(x, self.live_params["kernel"], dz)
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
