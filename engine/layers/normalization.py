"""BatchNormalization: each channel brought to zero mean and unit variance over the batch, then scaled and
shifted by learned ``gamma`` and ``beta``."""

from __future__ import annotations

import math
from types import ModuleType
from typing import Any, ClassVar

import numpy as np

from engine.backends import current
from engine.layers.base import Array, Layer, Shape, ShapeError


class BatchNormalization(Layer):
    """Normalise every channel (the last axis: the channels of images, the features after ``Dense``), with
    Keras' semantics.

    In training (``fit``, ``train_on_batch``, ``layer(x, training=True)``) each channel is normalised with
    the statistics of the batch itself, over every other axis (every position of every image)::

        mean = sum(x) / M,   variance = sum((x - mean)^2) / M          (biased: divided by M, as Keras)
        y    = gamma * (x - mean) / sqrt(variance + epsilon) + beta

    and, once the step has succeeded, the moving statistics follow them:
    ``moving = momentum * moving + (1 - momentum) * batch``. In inference (``predict``, ``evaluate``, and
    always while the layer is frozen with ``trainable=False``, as in Keras) the moving statistics are used
    instead, so an image's output does not depend on the rest of its batch.

    Parameters
    ----------
    axis : the normalised axis: the last one (``-1``, or its index counting the batch axis, e.g. 3 for
        NHWC images), the only one ConvScope normalises.
    momentum : how slowly the moving statistics follow the batches, in ``[0, 1]`` (Keras' 0.99).
    epsilon : added to the variance before the square root, > 0 (Keras' 1e-3).
    center : learn an offset ``beta`` (else 0).
    scale : learn a factor ``gamma`` (else 1).

    Notes
    -----
    Weights, in Keras' ``get_weights`` order: ``gamma (C,)`` (ones) and ``beta (C,)`` (zeros), trainable;
    ``moving_mean (C,)`` (zeros) and ``moving_variance (C,)`` (ones), not trainable (no gradient, no
    optimizer: :attr:`NON_TRAINABLE`), saved with the model and kept on the device during a cuda run.
    """

    has_training_mode: ClassVar[bool] = True
    NON_TRAINABLE: ClassVar[tuple[str, ...]] = ("moving_mean", "moving_variance")
    _TRANSIENT: ClassVar[tuple[str, ...]] = (*Layer._TRANSIENT, "_x", "_stats", "_pending")

    def __init__(
        self,
        axis: int = -1,
        momentum: float = 0.99,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: bool = True,
        *,
        name: str | None = None,
        trainable: bool = True,
        input_shape: Any = None,
    ) -> None:
        super().__init__(name=name, trainable=trainable, input_shape=input_shape)
        if isinstance(axis, bool) or not hasattr(axis, "__index__"):
            raise TypeError(f"axis must be an int. Received: axis={axis!r}")
        self.axis = int(axis)
        self.momentum = _number(momentum, "momentum")
        if not 0.0 <= self.momentum <= 1.0:
            raise ValueError(f"momentum must be in [0, 1]. Received: momentum={momentum!r}")
        self.epsilon = _number(epsilon, "epsilon")
        if not self.epsilon > 0.0:
            raise ValueError(f"epsilon must be > 0. Received: epsilon={epsilon!r}")
        for flag, value in (("center", center), ("scale", scale)):
            if not isinstance(value, (bool, np.bool_)):
                raise TypeError(f"{flag} must be True or False. Received: {flag}={value!r}")
        self.center = bool(center)
        self.scale = bool(scale)

    def _init_transient(self) -> None:
        super()._init_transient()
        self._x: Array | None = None  # the last input, for backward
        #: (mean, variance, batch statistics?) the last forward normalised with
        self._stats: tuple[Array, Array, bool] | None = None
        #: the last training batch's (mean, variance), until finish_step folds them into the moving ones
        self._pending: tuple[Array, Array] | None = None

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        shape = tuple(input_shape)
        if len(shape) == 0 or shape[-1] is None:
            raise ShapeError(
                f"BatchNormalization needs a known number of channels (the last axis). Received input "
                f"shape: {shape}"
            )
        if self.axis not in (-1, len(shape)):
            dims = ", ".join("?" if d is None else str(d) for d in shape)
            raise ShapeError(
                f"BatchNormalization normalises the last axis only: axis=-1 (or {len(shape)} for inputs "
                f"(batch, {dims})). Received: axis={self.axis}"
            )
        return shape

    def build_weights(self, input_shape: Shape, rng: np.random.Generator) -> None:
        c = int(input_shape[-1])
        if self.scale:
            self.params["gamma"] = np.ones(c, np.float32)
        if self.center:
            self.params["beta"] = np.zeros(c, np.float32)
        self.params["moving_mean"] = np.zeros(c, np.float32)
        self.params["moving_variance"] = np.ones(c, np.float32)

    def _constant(self, tier: ModuleType, value: float, n: int) -> Array:
        """A ``(n,)`` array of ``value`` where ``tier`` reads it (``gamma`` without ``scale``, ``beta``
        without ``center``), made once per tier."""
        key = f"{tier.__name__}:{value}"
        arr = self._zeros.get(key)
        if arr is None:
            arr = self._zeros[key] = tier.to_device(np.full(n, value, np.float32))
        return arr

    def _gamma_beta(self, tier: ModuleType, live: dict[str, Array], n: int) -> tuple[Array, Array]:
        gamma = live.get("gamma")
        beta = live.get("beta")
        return (
            self._constant(tier, 1.0, n) if gamma is None else gamma,
            self._constant(tier, 0.0, n) if beta is None else beta,
        )

    def forward(self, x: Array, training: bool = False) -> Array:
        if x.shape[1:] not in self._accepted:
            self.admit(x.shape)
        tier = self._tier or current()
        live = self.params if self._live is None else self._live
        mean, variance = live["moving_mean"], live["moving_variance"]
        gamma, beta = self._gamma_beta(tier, live, mean.shape[0])
        self._x = x  # (..., C)
        if training and self.trainable:
            y, mean, variance = tier.batch_norm_training(x, gamma, beta, self.epsilon)
            self._stats = (mean, variance, True)
            self._pending = (mean, variance)
            return y
        self._stats = (mean, variance, False)
        self._pending = None
        return tier.batch_norm(x, gamma, beta, mean, variance, self.epsilon)

    def backward(self, dy: Array, need_dx: bool = True) -> Array | None:
        x, stats = self._x, self._stats
        if x is None or stats is None:
            raise RuntimeError(f"{self.name}: backward called before forward")
        tier = self.kernels()
        mean, variance, batch_stats = stats
        live = self.live_params
        gamma, _ = self._gamma_beta(tier, live, mean.shape[0])
        dx, dgamma, dbeta = tier.batch_norm_backward(
            x, gamma, mean, variance, dy, self.epsilon, batch_stats, need_dx
        )
        if self.scale:
            self.grads["gamma"] = dgamma
        if self.center:
            self.grads["beta"] = dbeta
        return dx

    def finish_step(self) -> None:
        """Fold the last training batch's statistics into the moving ones (in place, where they live)."""
        pending = self._pending
        if pending is None:
            return
        self._pending = None
        tier = self.kernels()
        live = self.live_params
        tier.moving_average(live["moving_mean"], pending[0], self.momentum)
        tier.moving_average(live["moving_variance"], pending[1], self.momentum)

    def set_weights(self, weights: list[Any]) -> None:
        """As :meth:`Layer.set_weights`, and ``moving_variance`` must be >= 0 in every channel (a negative
        one would make every output NaN); nothing is changed when it is not."""
        keys = list(self.params)
        if self.built and len(weights) == len(keys):
            variance = np.asarray(weights[keys.index("moving_variance")], dtype=np.float64)
            if not np.all(variance >= 0):  # NaN fails too
                raise ValueError(
                    f"layer {self.name!r} moving_variance must be >= 0 in every channel. Received: "
                    f"{np.array2string(variance, threshold=8, precision=4)}"
                )
        super().set_weights(weights)

    def __call__(self, x: Any, training: bool = False) -> Array:
        """``layer(x, training=True)`` updates the moving statistics at once, as a Keras layer does."""
        y = super().__call__(x, training=training)
        self.finish_step()
        return y

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "axis": self.axis,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
        }


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool):
        raise TypeError(f"{name} must be a number. Received: {name}={value!r}")
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number. Received: {name}={value!r}") from None
    if not math.isfinite(v):
        raise ValueError(f"{name} must be finite. Received: {name}={value!r}")
    return v
