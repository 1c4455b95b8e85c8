"""Dropout: during training, zero a random fraction of the inputs and scale the rest up (inverted dropout)."""

from __future__ import annotations

from types import ModuleType
from typing import Any, ClassVar

import numpy as np

from engine.layers.base import Layer, Shape, Step


class Dropout(Layer):
    """Zeroes each input with probability ``rate`` while training and multiplies the kept ones by
    ``1 / (1 - rate)``, so that inference (no dropout) sees the same expected values.

    Parameters
    ----------
    rate : fraction dropped, in ``[0, 1)``.
    seed : seed of the mask generator; the model reseeds it from ``fit(seed=...)``.
    """

    has_training_mode: ClassVar[bool] = True

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
        self._mask: np.ndarray | None = None

    def reseed(self, rng: np.random.Generator) -> None:
        self._rng = rng

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        if not training or self.rate == 0.0:
            self._mask = None
            return x
        keep = np.float32(1.0 - self.rate)
        if self._mask is None or self._mask.shape != x.shape:
            self._mask = np.empty(x.shape, np.float32)
        self._rng.random(out=self._mask, dtype=np.float32)
        mask = self._mask  # uniform draws in [0, 1), turned in place into 0 or 1 / keep
        np.copyto(mask, np.where(mask < keep, np.float32(1.0) / keep, np.float32(0.0)))
        return x * mask

    def inference_step(self, input_shape: Shape, backend: ModuleType) -> Step:
        return lambda x: x  # inference keeps every input (the scaling happened in training)

    def backward(self, dy: np.ndarray, need_dx: bool = True) -> np.ndarray | None:
        if not need_dx:
            return None
        return dy if self._mask is None else dy * self._mask

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}
