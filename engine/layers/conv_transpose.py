"""Conv2DTranspose: the transposed convolution ("deconvolution") that learns to upsample."""

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
    check_image_shape,
    glorot_uniform,
    normalize_activation,
)
from engine.layers.conv import check_conv_settings

Geometry = tuple[tuple[int, int, int, int], tuple[int, int]]  # (pads, (OH, OW))


class Conv2DTranspose(ActivationMixin, Layer):
    """2-D transposed convolution layer: ``(N, H, W, C_in) -> (N, OH, OW, filters)``, about ``strides`` times
    larger.

    Each input cell scatters ``x * kernel`` onto the output: the transposed convolution is the gradient of a
    convolution with respect to its input (:func:`engine.ops.conv2d_transpose`), so a stride-2 one undoes
    the shape of a stride-2 ``Conv2D`` (the learned upsampling of decoders and generators).

    Parameters
    ----------
    filters : number of output channels.
    kernel_size : int or ``(KH, KW)``.
    strides : int or ``(sh, sw)``: the output grows by this factor.
    padding : ``"valid"`` (output ``(N - 1) s + K``, ``N s`` when ``K < s``) or ``"same"`` (output ``N s``).
    activation : an activation name or None.
    use_bias : add a learned bias per filter.
    dilation_rate : int or ``(dh, dw)``: the kernel's taps ``d`` cells apart (not with ``strides > 1``).

    Notes
    -----
    Weights as Keras' ``Conv2DTranspose``: ``kernel (KH, KW, filters, C_in)`` (Glorot-uniform), ``bias
    (filters,)`` (zeros). Output sizes are :func:`engine.shapes.conv_transpose_output_size` (Keras' rules
    with ``output_padding=None``).
    """

    _TRANSIENT: ClassVar[tuple[str, ...]] = (*Layer._TRANSIENT, "_x", "_z", "_y", "_geometry_by_hw")

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: str = "valid",
        activation: str | None = None,
        use_bias: bool = True,
        input_shape: Any = None,
        name: str | None = None,
        trainable: bool = True,
        dilation_rate: Any = 1,
    ) -> None:
        super().__init__(name=name, trainable=trainable, input_shape=input_shape)
        self.filters, self.kernel_size, self.strides, self.dilation_rate, self.padding = check_conv_settings(
            filters, kernel_size, strides, dilation_rate, padding, shapes.TRANSPOSE_PADDING_MODES
        )
        self.activation = normalize_activation(activation)
        self.use_bias = bool(use_bias)

    def _init_transient(self) -> None:
        super()._init_transient()
        self._x: Array | None = None  # the last input, for backward
        self._z: Array | None = None
        self._y: Array | None = None
        self._geometry_by_hw: dict[tuple[int, ...], Geometry] = {}  # keyed by the per-sample shape

    def window(self) -> tuple[int, int]:
        """The cells the kernel spans on the output: ``(KH, KW)``, or ``d (K - 1) + 1`` when dilated."""
        return shapes.effective_kernel(self.kernel_size, self.dilation_rate)

    def _resolve(self, in_hw: tuple[int, int]) -> Geometry:
        return shapes.resolve_transpose_padding(self.padding, in_hw, self.window(), self.strides)

    def _geometry(self, x_shape: tuple[int, ...]) -> Geometry:
        """``(pads, (OH, OW))`` for inputs ``(N, H, W, C)`` of this shape, resolved (and the input checked:
        :meth:`Layer.check_input`) once per per-sample shape."""
        sample = tuple(x_shape[1:])
        geometry = self._geometry_by_hw.get(sample)
        if geometry is None:
            self.check_input(x_shape)
            if len(sample) != 3:  # a layer not built yet checks no rank
                raise ShapeError(f"x must have shape (N, H, W, C). Received shape: {tuple(x_shape)}")
            hw = (int(sample[0]), int(sample[1]))
            self.compute_output_shape((hw[0], hw[1], int(sample[2])))
            if len(self._geometry_by_hw) >= 16:
                self._geometry_by_hw.clear()
            geometry = self._geometry_by_hw[sample] = self._resolve(hw)
        return geometry

    def forget_shapes(self) -> None:
        super().forget_shapes()
        self._geometry_by_hw.clear()

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        check_image_shape(self, input_shape)
        h, w, _ = input_shape
        (kh, kw), (sh, sw), (dh, dw) = self.kernel_size, self.strides, self.dilation_rate
        oh = None if h is None else shapes.conv_transpose_output_size(h, kh, sh, self.padding, dh)
        ow = None if w is None else shapes.conv_transpose_output_size(w, kw, sw, self.padding, dw)
        return (oh, ow, self.filters)

    def build_weights(self, input_shape: Shape, rng: np.random.Generator) -> None:
        kh, kw = self.kernel_size
        c_in = input_shape[-1]
        if c_in is None:
            raise ShapeError(
                "Conv2DTranspose needs a known number of input channels. "
                f"Received input shape: {tuple(input_shape)}"
            )
        self.params["kernel"] = glorot_uniform(
            rng, (kh, kw, self.filters, c_in), kh * kw * c_in, kh * kw * self.filters
        )
        if self.use_bias:
            self.params["bias"] = np.zeros(self.filters, np.float32)

    def forward(self, x: Array, training: bool = False) -> Array:
        tier = self._tier or current()
        shape = x.shape
        geometry = self._geometry_by_hw.get(shape[1:]) or self._geometry(shape)  # (checks a new shape)
        pads, out_hw = geometry
        live = self.params if self._live is None else self._live
        kernel, bias = live["kernel"], live.get("bias")
        if bias is None:
            bias = self._bias_or_zeros(tier, live, self.filters)
        self._x = x  # (N, H, W, C_in)
        z = tier.conv2d_transpose(x, kernel, bias, self.strides, pads, out_hw, self.dilation_rate)
        return self._activate(tier, z)  # (N, OH, OW, filters)

    def backward(self, dy: Array, need_dx: bool = True) -> Array | None:
        x = self._x
        if x is None:
            raise RuntimeError(f"{self.name}: backward called before forward")
        tier = self.kernels()
        dz = self._activate_backward(tier, dy)  # (N, OH, OW, filters)
        pads, _ = self._geometry(x.shape)
        dx, dw, db = tier.conv2d_transpose_backward(
            x, self.live_params["kernel"], dz, self.strides, pads, need_dx, self.dilation_rate
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
            "dilation_rate": list(self.dilation_rate),
        }
