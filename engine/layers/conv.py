"""Conv2D: a bank of learned filters slid over the image (cross-correlation, or true convolution with
``flip``)."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from engine import shapes
from engine.backends import current
from engine.layers.base import (
    ActivationMixin,
    Array,
    Layer,
    Shape,
    ShapeError,
    WindowGeometry,
    check_image_shape,
    glorot_uniform,
    normalize_activation,
    spatial_too_small,
)

CONV_PADDINGS = ("valid", "same", "full")


class Conv2D(ActivationMixin, WindowGeometry, Layer):
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

    _TRANSIENT: ClassVar[tuple[str, ...]] = (*Layer._TRANSIENT, "_x", "_z", "_y", "_pads_by_shape")

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

    def _init_transient(self) -> None:
        super()._init_transient()
        self._x: Array | None = None  # the last input, for backward
        self._z: Array | None = None
        self._y: Array | None = None
        self._pads_by_shape: dict[tuple[int, ...], tuple[int, int, int, int]] = {}

    def window(self) -> tuple[int, int]:
        return self.kernel_size

    def last_axis_mismatch(self, size: int, x_shape: tuple[int, ...]) -> str:
        kernel = self.params.get("kernel")
        k_shape = None if kernel is None else tuple(kernel.shape)
        return (
            f"channel mismatch: x has {size} channel(s) but {self.name} expects C_in="
            f"{None if self.input_shape is None else self.input_shape[-1]} (kernel shape {k_shape}, kernels "
            f"are (KH, KW, C_in, C_out)). Received shape: {x_shape}"
        )

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

    def forward(self, x: Array, training: bool = False) -> Array:
        tier = self._tier or current()
        shape = x.shape
        pads = self._pads_by_shape.get(shape[1:]) or self._geometry(shape)  # (checks a new shape)
        live = self.params if self._live is None else self._live
        kernel, bias = live["kernel"], live.get("bias")
        if bias is None:
            bias = self._bias_or_zeros(tier, live, self.filters)
        self._x = x  # (N, H, W, C_in)
        if self.activation == "relu":
            fused = getattr(tier, "conv2d_relu", None)  # an optional extra of the contract
            if fused is not None:
                y = fused(x, kernel, bias, self.strides, pads, self.flip)  # (N, OH, OW, filters)
                self._z, self._y = None, y  # ReLU's backward reads y (see ActivationMixin)
                return y
        return self._activate(tier, tier.conv2d(x, kernel, bias, self.strides, pads, self.flip))

    def backward(self, dy: Array, need_dx: bool = True) -> Array | None:
        x = self._x
        if x is None:
            raise RuntimeError(f"{self.name}: backward called before forward")
        tier = self.kernels()
        dz = self._activate_backward(tier, dy)  # (N, OH, OW, filters)
        kernel = self.live_params["kernel"]
        dx, dw, db = tier.conv2d_backward(
            x, kernel, dz, self.strides, self._geometry(x.shape), self.flip, need_dx
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
