"""Conv2D: a bank of learned filters slid over the image (cross-correlation, or true convolution with ``flip``)."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import numpy as np

from engine import ops, shapes
from engine.layers.base import (
    ActivationMixin,
    Layer,
    Shape,
    ShapeError,
    Step,
    check_image_shape,
    glorot_uniform,
    normalize_activation,
    spatial_too_small,
)

CONV_PADDINGS = ("valid", "same", "full")


class Conv2D(ActivationMixin, Layer):
    """2-D convolution layer: ``(N, H, W, C_in) -> (N, OH, OW, filters)``.

    Parameters
    ----------
    filters : number of output channels (feature maps).
    kernel_size : int or ``(KH, KW)``.
    strides : int or ``(sh, sw)``.
    padding : ``"valid"`` (no border), ``"same"`` (output ``ceil(N / s)``) or ``"full"``.
    activation : ``"relu"``, ``"sigmoid"``, ``"tanh"``, ``"softmax"``, ``"leaky_relu"``, ``"linear"`` or None.
    use_bias : add a learned bias per filter.
    flip : compute the true convolution (kernel rotated 180 degrees) instead of cross-correlation.

    Notes
    -----
    Weights: ``kernel (KH, KW, C_in, filters)`` (Glorot-uniform), ``bias (filters,)`` (zeros).
    ``OH = floor((H + pad_top + pad_bottom - KH) / sh) + 1``: ``N - K + 1`` for valid at stride 1.
    """

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: str = "valid",
        activation: str | None = None,
        use_bias: bool = True,
        input_shape: Any = None,
        flip: bool = False,
        name: str | None = None,
        trainable: bool = True,
    ) -> None:
        super().__init__(name=name, trainable=trainable, input_shape=input_shape)
        if isinstance(filters, bool) or not hasattr(filters, "__index__") or int(filters) < 1:
            raise ValueError(f"filters must be a positive int. Received: filters={filters!r}")
        self.filters = int(filters)
        self.kernel_size = shapes.normalize_pair(kernel_size, "kernel_size")
        self.strides = shapes.normalize_pair(strides, "strides")
        if not isinstance(padding, str) or padding.lower() not in CONV_PADDINGS:
            raise ValueError(f"padding must be one of {CONV_PADDINGS}. Received: padding={padding!r}")
        self.padding = padding.lower()
        self.activation = normalize_activation(activation)
        self.use_bias = bool(use_bias)
        self.flip = bool(flip)
        self._x: np.ndarray | None = None
        self._z = self._y = None

    def _pads(self, in_hw: tuple[Any, Any]) -> tuple[int, int, int, int]:
        hw = tuple(1 if d is None else d for d in in_hw)
        return shapes.resolve_padding(self.padding, hw, self.kernel_size, self.strides)  # type: ignore[arg-type]

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        check_image_shape(self, input_shape)
        h, w, _ = input_shape
        if spatial_too_small((h, w), self.kernel_size, self._pads((h, w))):
            kh, kw = self.kernel_size
            raise ShapeError(
                f"input {h}x{w} is too small for Conv2D {kh}x{kw} (padding={self.padding!r})",
                "use padding='same', a smaller kernel or a larger input",
            )
        oh = (
            None
            if h is None
            else shapes.conv_output_size(h, self.kernel_size[0], self.strides[0], self.padding)
        )
        ow = (
            None
            if w is None
            else shapes.conv_output_size(w, self.kernel_size[1], self.strides[1], self.padding)
        )
        return (oh, ow, self.filters)

    def build_weights(self, input_shape: Shape, rng: np.random.Generator) -> None:
        kh, kw = self.kernel_size
        c_in = input_shape[-1]
        if c_in is None:
            raise ShapeError(
                f"Conv2D needs a known number of input channels. Received input shape: {tuple(input_shape)}"
            )
        self.params["kernel"] = glorot_uniform(
            rng, (kh, kw, c_in, self.filters), kh * kw * c_in, kh * kw * self.filters
        )
        if self.use_bias:
            self.params["bias"] = np.zeros(self.filters, np.float32)

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        self._x = x  # (N, H, W, C_in)
        z = ops.conv2d(
            x,
            self.params["kernel"],
            self.params.get("bias"),
            stride=self.strides,
            padding=self.padding,
            flip=self.flip,
        )  # (N, OH, OW, filters)
        return self._activate(z)

    def inference_step(self, input_shape: Shape, backend: ModuleType) -> Step:
        pads = self._pads(input_shape[:2])
        stride, flip, params = self.strides, self.flip, self.params
        no_bias = np.zeros(self.filters, np.float32)
        conv = self._activation_step(backend, backend.conv2d, getattr(backend, "conv2d_relu", None))

        def step(x: np.ndarray) -> np.ndarray:
            return conv(x, params["kernel"], params.get("bias", no_bias), stride, pads, flip)

        return step

    def backward(self, dy: np.ndarray, need_dx: bool = True) -> np.ndarray | None:
        if self._x is None:
            raise RuntimeError(f"{self.name}: backward called before forward")
        dz = self._activate_backward(dy)  # (N, OH, OW, filters)
        dx, dw, db = ops.conv2d_backward(
            self._x,
            self.params["kernel"],
            dz,
            stride=self.strides,
            padding=self.padding,
            flip=self.flip,
            need_dx=need_dx,
        )
        self.grads["kernel"] = dw
        if self.use_bias:
            self.grads["bias"] = db
        return dx

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": list(self.kernel_size),
            "strides": list(self.strides),
            "padding": self.padding,
            "activation": self.activation,
            "use_bias": self.use_bias,
            "flip": self.flip,
        }
