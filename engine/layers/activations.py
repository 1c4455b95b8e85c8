"""Activation layers: ReLU (the lesson's "nulls the negatives") and a generic ``Activation(name)``."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from engine.backends.contract import LEAKY_RELU_SLOPE
from engine.layers.base import ActivationMixin, Array, Layer, normalize_activation


class Activation(ActivationMixin, Layer):
    """Applies an element-wise activation: ``"relu"``, ``"leaky_relu"``, ``"sigmoid"``, ``"tanh"``,
    ``"softmax"`` (over the last axis) or ``"linear"``. Shape is unchanged.

    Parameters
    ----------
    activation : the activation's name.
    alpha : slope for negative inputs of ``"leaky_relu"``.
    """

    _TRANSIENT: ClassVar[tuple[str, ...]] = (*Layer._TRANSIENT, "_z", "_y")

    def __init__(
        self,
        activation: str,
        alpha: float = LEAKY_RELU_SLOPE,
        *,
        name: str | None = None,
        trainable: bool = True,
        input_shape: Any = None,
    ) -> None:
        super().__init__(name=name, trainable=trainable, input_shape=input_shape)
        self.activation = normalize_activation(activation)
        if isinstance(alpha, (bool, np.bool_)) or not isinstance(
            alpha, (int, float, np.integer, np.floating)
        ):
            raise TypeError(f"alpha must be a real number. Received: alpha={alpha!r}")
        if not np.isfinite(alpha):
            raise ValueError(f"alpha must be a finite number. Received: alpha={alpha!r}")
        self.alpha = float(alpha)

    def _init_transient(self) -> None:
        super()._init_transient()
        self._z: Array | None = None
        self._y: Array | None = None

    def forward(self, x: Array, training: bool = False) -> Array:
        if x.shape[1:] not in self._accepted:
            self.admit(x.shape)
        return self._activate(self.kernels(), x)

    def backward(self, dy: Array, need_dx: bool = True) -> Array | None:
        if self._y is None:
            raise RuntimeError(f"{self.name}: backward called before forward")
        return self._activate_backward(self.kernels(), dy) if need_dx else None

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "activation": self.activation, "alpha": self.alpha}


class ReLU(Activation):
    """``max(x, 0)``; with ``negative_slope > 0`` it is the leaky ReLU ``x if x > 0 else negative_slope *
    x``."""

    def __init__(
        self,
        negative_slope: float = 0.0,
        *,
        name: str | None = None,
        trainable: bool = True,
        input_shape: Any = None,
    ) -> None:
        if isinstance(negative_slope, (bool, np.bool_)) or not isinstance(
            negative_slope, (int, float, np.integer, np.floating)
        ):
            raise TypeError(
                f"negative_slope must be a real number. Received: negative_slope={negative_slope!r}"
            )
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
