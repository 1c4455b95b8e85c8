"""Activation layers: ReLU (the lesson's "nulls the negatives") and a generic ``Activation(name)``."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import numpy as np

from engine import ops
from engine.layers.base import Layer, Shape, Step, normalize_activation


class Activation(Layer):
    """Applies an element-wise activation: ``"relu"``, ``"leaky_relu"``, ``"sigmoid"``, ``"tanh"``,
    ``"softmax"`` (over the last axis) or ``"linear"``. Shape is unchanged.

    Parameters
    ----------
    activation : the activation's name.
    alpha : slope for negative inputs of ``"leaky_relu"``.
    """

    def __init__(
        self,
        activation: str,
        alpha: float = 0.2,
        *,
        name: str | None = None,
        trainable: bool = True,
        input_shape: Any = None,
    ) -> None:
        super().__init__(name=name, trainable=trainable, input_shape=input_shape)
        self.activation = normalize_activation(activation)
        self.alpha = float(alpha)
        self._x: np.ndarray | None = None
        self._y: np.ndarray | None = None

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        self._x = x
        self._y = x if self.activation == "linear" else ops.activation(self.activation, x, alpha=self.alpha)
        return self._y

    def inference_step(self, input_shape: Shape, backend: ModuleType) -> Step:
        name, alpha, act = self.activation, self.alpha, backend.activation
        if name == "linear":
            return lambda x: x
        return lambda x: act(name, x, alpha)

    def backward(self, dy: np.ndarray, need_dx: bool = True) -> np.ndarray | None:
        if self._x is None:
            raise RuntimeError(f"{self.name}: backward called before forward")
        if not need_dx:
            return None
        if self.activation == "linear":
            return dy
        return ops.activation_backward(self.activation, self._x, dy, y=self._y, alpha=self.alpha)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "activation": self.activation, "alpha": self.alpha}


class ReLU(Activation):
    """``max(x, 0)``; with ``negative_slope > 0`` it is the leaky ReLU ``x if x > 0 else negative_slope * x``."""

    def __init__(
        self,
        negative_slope: float = 0.0,
        *,
        name: str | None = None,
        trainable: bool = True,
        input_shape: Any = None,
    ) -> None:
        slope = float(negative_slope)
        if not np.isfinite(slope) or slope < 0:
            raise ValueError(
                f"negative_slope must be a finite number >= 0. Received: negative_slope={negative_slope!r}"
            )
        super().__init__(
            "leaky_relu" if slope > 0 else "relu",
            alpha=slope,
            name=name,
            trainable=trainable,
            input_shape=input_shape,
        )
        self.negative_slope = slope

    def get_config(self) -> dict[str, Any]:
        cfg = Layer.get_config(self)
        cfg["negative_slope"] = self.negative_slope
        return cfg


class Softmax(Activation):
    """Softmax over the last axis: turns logits into probabilities that sum to 1."""

    def __init__(self, *, name: str | None = None, trainable: bool = True, input_shape: Any = None) -> None:
        super().__init__("softmax", name=name, trainable=trainable, input_shape=input_shape)

    def get_config(self) -> dict[str, Any]:
        return Layer.get_config(self)
