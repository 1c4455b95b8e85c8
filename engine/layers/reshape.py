"""Flatten: turns the 3-D maps ``(H, W, C)`` of the convolutional base into the 1-D vector a Dense layer needs."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import numpy as np

from engine.layers.base import Layer, Shape, ShapeError, Step


class Flatten(Layer):
    """``(N, H, W, C) -> (N, H * W * C)`` in row-major (C) order; no weights, no copy.

    Flatten needs a fixed input size (the next Dense layer has one weight per position); use
    GlobalMaxPooling2D / GlobalAveragePooling2D to accept any image size.
    """

    def __init__(self, *, name: str | None = None, trainable: bool = True, input_shape: Any = None) -> None:
        super().__init__(name=name, trainable=trainable, input_shape=input_shape)
        self._in_shape: tuple[int, ...] | None = None

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        if any(d is None for d in input_shape):
            raise ShapeError(
                f"Flatten needs a fixed input size. Received input shape: {tuple(input_shape)}",
                "give the model an input_shape without None, or use GlobalMaxPooling2D() instead",
            )
        return (int(np.prod(input_shape)),)

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        self._in_shape = x.shape
        return x.reshape(x.shape[0], -1)  # (N, H*W*C)

    def inference_step(self, input_shape: Shape, backend: ModuleType) -> Step:
        return lambda x: x.reshape(x.shape[0], -1)

    def backward(self, dy: np.ndarray, need_dx: bool = True) -> np.ndarray | None:
        if self._in_shape is None:
            raise RuntimeError(f"{self.name}: backward called before forward")
        return dy.reshape(self._in_shape) if need_dx else None
