"""Flatten: turns the 3-D maps ``(H, W, C)`` of the convolutional base into the 1-D vector a Dense layer
needs."""

from __future__ import annotations

import math
from typing import Any, ClassVar

import numpy as np

from engine.layers.base import Array, Layer, Shape, ShapeError


class Flatten(Layer):
    """``(N, H, W, C) -> (N, H * W * C)`` in row-major (C) order; no weights, no copy.

    Flatten needs a fixed input size (the next Dense layer has one weight per position); use
    GlobalMaxPooling2D / GlobalAveragePooling2D to accept any image size.
    """

    _TRANSIENT: ClassVar[tuple[str, ...]] = (*Layer._TRANSIENT, "_in_shape")

    def __init__(self, *, name: str | None = None, trainable: bool = True, input_shape: Any = None) -> None:
        super().__init__(name=name, trainable=trainable, input_shape=input_shape)

    def _init_transient(self) -> None:
        super()._init_transient()
        self._in_shape: tuple[int, ...] | None = None

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        if any(d is None for d in input_shape):
            raise ShapeError(
                f"Flatten needs a fixed input size. Received input shape: {tuple(input_shape)}",
                "give the model an input_shape without None, or use GlobalMaxPooling2D() instead",
            )
        return (math.prod(int(d) for d in input_shape),)

    def forward(self, x: Array, training: bool = False) -> Array:
        if x.shape[1:] not in self._accepted:
            self.admit(x.shape)
        shape = self._in_shape = x.shape
        if type(x) is np.ndarray and shape[0]:
            return x.reshape(shape[0], -1)  # (N, H*W*C): a view
        return x.reshape(shape[0], math.prod(shape[1:]))  # device arrays (and empty batches) need the size

    def backward(self, dy: Array, need_dx: bool = True) -> Array | None:
        in_shape = self._in_shape
        if in_shape is None:
            raise RuntimeError(f"{self.name}: backward called before forward")
        if not need_dx:
            return None
        if len(dy.shape) != 2 or dy.shape[0] != in_shape[0] or dy.shape[1] != math.prod(in_shape[1:]):
            self.check_dy(dy, (in_shape[0], math.prod(in_shape[1:])))
        return dy.reshape(in_shape)
