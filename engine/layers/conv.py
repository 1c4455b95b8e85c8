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
    dilation_rate : int or ``(dh, dw)``: the kernel's taps are ``d`` cells apart (atrous convolution), so a
        ``K``-tap kernel spans ``d (K - 1) + 1`` cells and sees a wider field for the same weights. As in
        Keras, a dilation above 1 cannot go with a stride above 1.

    Notes
    -----
    Weights: ``kernel (KH, KW, C_in, filters)`` (Glorot-uniform), ``bias (filters,)`` (zeros).
    ``OH = floor((H + pad_top + pad_bottom - KH') / sh) + 1`` with ``KH' = dh (KH - 1) + 1``: ``N - K + 1``
    for valid at stride 1 (:func:`engine.shapes.conv_output_formula`).
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
        dilation_rate: Any = 1,
    ) -> None:
        super().__init__(name=name, trainable=trainable, input_shape=input_shape)
        self.filters, self.kernel_size, self.strides, self.dilation_rate, self.padding = check_conv_settings(
            filters, kernel_size, strides, dilation_rate, padding, CONV_PADDINGS
        )
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
        """The cells the kernel spans: ``(KH, KW)``, or ``d (K - 1) + 1`` along a dilated axis."""
        return shapes.effective_kernel(self.kernel_size, self.dilation_rate)

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
        if spatial_too_small((h, w), self.window(), self._pads((h, w))):
            kh, kw = self.kernel_size
            spans = "" if self.dilation_rate == (1, 1) else f" dilated by {self.dilation_rate}"
            raise ShapeError(
                f"input {h}x{w} is too small for Conv2D {kh}x{kw}{spans} (padding={self.padding!r})",
                "use padding='same', a smaller kernel"
                + (" or dilation" if spans else "")
                + " or a larger input",
            )
        (kh, kw), (sh, sw), (dh, dw) = self.kernel_size, self.strides, self.dilation_rate
        oh = None if h is None else shapes.conv_output_size(h, kh, sh, self.padding, dh)
        ow = None if w is None else shapes.conv_output_size(w, kw, sw, self.padding, dw)
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
                y = fused(
                    x, kernel, bias, self.strides, pads, self.flip, self.dilation_rate
                )  # (N, OH, OW, F)
                self._z, self._y = None, y  # ReLU's backward reads y (see ActivationMixin)
                return y
        z = tier.conv2d(x, kernel, bias, self.strides, pads, self.flip, self.dilation_rate)  # (N, OH, OW, F)
        return self._activate(tier, z)

    def backward(self, dy: Array, need_dx: bool = True) -> Array | None:
        x = self._x
        if x is None:
            raise RuntimeError(f"{self.name}: backward called before forward")
        tier = self.kernels()
        kernel = self.live_params["kernel"]
        fused = getattr(tier, "conv2d_relu_backward", None) if self.activation == "relu" else None
        if fused is not None and self.dilation_rate == (1, 1):
            # an optional extra of the contract: the ReLU's mask inside the conv backward
            if self._y is not None and dy.shape != self._y.shape:
                self.check_dy(dy, self._y.shape)
            dx, dw, db = fused(
                x, kernel, self._y, dy, self.strides, self._geometry(x.shape), self.flip, need_dx
            )
        else:
            dz = self._activate_backward(tier, dy)  # (N, OH, OW, filters)
            dx, dw, db = tier.conv2d_backward(
                x, kernel, dz, self.strides, self._geometry(x.shape), self.flip, need_dx, self.dilation_rate
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
            "dilation_rate": list(self.dilation_rate),
        }


def check_conv_settings(
    filters: Any, kernel_size: Any, strides: Any, dilation_rate: Any, padding: Any, paddings: tuple[str, ...]
) -> tuple[int, tuple[int, int], tuple[int, int], tuple[int, int], str]:
    """A convolution layer's ``(filters, kernel_size, strides, dilation_rate, padding)`` checked and
    normalised (pairs as tuples, ``padding`` lower-case, one of ``paddings``)."""
    if isinstance(filters, bool) or not hasattr(filters, "__index__") or int(filters) < 1:
        raise ValueError(f"filters must be a positive int. Received: filters={filters!r}")
    kernel = shapes.normalize_pair(kernel_size, "kernel_size")
    stride = shapes.normalize_pair(strides, "strides")
    dilation = check_strides_and_dilation(stride, dilation_rate)
    if not isinstance(padding, str) or padding.lower() not in paddings:
        raise ValueError(f"padding must be one of {paddings}. Received: padding={padding!r}")
    return int(filters), kernel, stride, dilation, padding.lower()


def check_strides_and_dilation(strides: tuple[int, int], dilation_rate: Any) -> tuple[int, int]:
    """``dilation_rate`` as a pair, refused (as Keras refuses it) above 1 together with a stride above 1."""
    dilation = shapes.normalize_pair(dilation_rate, "dilation_rate")
    if max(strides) > 1 and max(dilation) > 1:
        raise ValueError(
            "strides > 1 cannot be combined with dilation_rate > 1 (as in Keras): a dilated kernel spreads "
            "its taps, a stride skips positions; use one or the other. "
            f"Received: strides={strides}, dilation_rate={dilation}"
        )
    return dilation
