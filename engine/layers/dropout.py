"""Dropout: during training, zero a random fraction of the inputs and scale the rest up (inverted dropout)."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from engine.layers.base import Array, Layer


class Dropout(Layer):
    """Zeroes each input with probability ``rate`` while training and multiplies the kept ones by
    ``1 / (1 - rate)``, so that inference (no dropout) sees the same expected values.

    Parameters
    ----------
    rate : fraction dropped, in ``[0, 1)``.
    seed : seed of the mask generator; the model reseeds it from ``fit(seed=...)``.
    """

    has_training_mode: ClassVar[bool] = True
    _TRANSIENT: ClassVar[tuple[str, ...]] = (*Layer._TRANSIENT, "_mask", "_draws")

    def __init__(
        self,
        rate: float,
        seed: int | None = None,
        *,
        name: str | None = None,
        trainable: bool = True,
        input_shape: Any = None,
    ) -> None:
        super().__init__(name=name, trainable=trainable, input_shape=input_shape)
        try:
            r = float(rate)
        except (TypeError, ValueError):
            raise TypeError(f"rate must be a number in [0, 1). Received: rate={rate!r}") from None
        if not 0.0 <= r < 1.0:
            raise ValueError(f"rate must be in [0, 1). Received: rate={rate!r}")
        self.rate = r
        self.seed = seed
        self._rng = np.random.default_rng(seed)

    def _init_transient(self) -> None:
        super()._init_transient()
        self._mask: Array | None = None  # the last training mask (where the input was), for backward
        self._draws: np.ndarray | None = None  # the host buffer the mask is drawn into

    def reseed(self, rng: np.random.Generator) -> None:
        self._rng = rng

    def forward(self, x: Array, training: bool = False) -> Array:
        if x.shape[1:] not in self._accepted:
            self.admit(x.shape)
        if not training or self.rate == 0.0:
            self._mask = None
            return x
        shape = tuple(x.shape)
        draws = self._draws
        if draws is None or draws.shape != shape:
            draws = self._draws = np.empty(shape, np.float32)
        self._rng.random(out=draws, dtype=np.float32)  # the layer's own stream, whatever the tier
        keep = np.float32(1.0 - self.rate)
        mask: Array = np.where(draws < keep, np.float32(1.0) / keep, np.float32(0.0)).astype(np.float32)
        tier = self.kernels()
        if not isinstance(x, np.ndarray):  # x lives on a device: the mask joins it once, for both passes
            mask = tier.to_device(mask)
        self._mask = mask
        return tier.multiply(x, mask)

    def backward(self, dy: Array, need_dx: bool = True) -> Array | None:
        if not need_dx:
            return None
        mask = self._mask
        if mask is None:
            return dy
        if dy.shape != mask.shape:
            self.check_dy(dy, mask.shape)
        return self.kernels().multiply(dy, mask)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}
