"""Pooling layers: max / min / average over windows, and their global (whole-map) versions."""

from __future__ import annotations

from typing import Any, ClassVar

from engine import shapes
from engine.backends import current
from engine.layers.base import (
    Array,
    Layer,
    Shape,
    ShapeError,
    WindowGeometry,
    check_image_shape,
    spatial_too_small,
)

POOL_PADDINGS = ("valid", "same")


class _Pooling2D(WindowGeometry, Layer):
    """Windowed pooling ``(N, H, W, C) -> (N, OH, OW, C)``; no weights.

    Parameters
    ----------
    pool_size : int or ``(ph, pw)``; the lesson's ``(2, 2)`` halves each side.
    strides : int or ``(sh, sw)``; None means ``pool_size`` (non-overlapping windows).
    padding : ``"valid"`` or ``"same"`` (padded cells are ignored, TensorFlow's convention).

    Notes
    -----
    ``OH = floor((H - ph) / sh) + 1`` for valid, ``ceil(H / sh)`` for same.
    """

    #: one of :data:`engine.backends.contract.POOL_MODES`
    mode: ClassVar[str] = "max"
    _TRANSIENT: ClassVar[tuple[str, ...]] = (*Layer._TRANSIENT, "_x", "_pads_by_shape")

    def __init__(
        self,
        pool_size: Any = 2,
        strides: Any = None,
        padding: str = "valid",
        *,
        name: str | None = None,
        trainable: bool = True,
        input_shape: Any = None,
    ) -> None:
        super().__init__(name=name, trainable=trainable, input_shape=input_shape)
        self.pool_size = shapes.normalize_pair(pool_size, "pool_size")
        self.strides = self.pool_size if strides is None else shapes.normalize_pair(strides, "strides")
        if not isinstance(padding, str) or padding.lower() not in POOL_PADDINGS:
            raise ValueError(f"padding must be one of {POOL_PADDINGS}. Received: padding={padding!r}")
        self.padding = padding.lower()

    def _init_transient(self) -> None:
        super()._init_transient()
        self._x: Array | None = None  # the last input, for backward
        self._pads_by_shape: dict[tuple[int, ...], tuple[int, int, int, int]] = {}

    def window(self) -> tuple[int, int]:
        return self.pool_size

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        check_image_shape(self, input_shape)
        h, w, c = input_shape
        if spatial_too_small((h, w), self.pool_size, self._pads((h, w))):
            ph, pw = self.pool_size
            raise ShapeError(
                f"input {h}x{w} is too small for {type(self).__name__} {ph}x{pw}",
                "remove a pooling layer, use padding='same' or a larger input",
            )
        oh = (
            None
            if h is None
            else shapes.pool_output_size(h, self.pool_size[0], self.strides[0], self.padding)
        )
        ow = (
            None
            if w is None
            else shapes.pool_output_size(w, self.pool_size[1], self.strides[1], self.padding)
        )
        return (oh, ow, c)

    def forward(self, x: Array, training: bool = False) -> Array:
        shape = x.shape
        pads = self._pads_by_shape.get(shape[1:]) or self._geometry(shape)  # (checks a new shape)
        self._x = x  # (N, H, W, C)
        tier = self._tier or current()
        return tier.pool2d(x, self.pool_size, self.strides, pads, self.mode)  # (N, OH, OW, C)

    def backward(self, dy: Array, need_dx: bool = True) -> Array | None:
        x = self._x
        if x is None:
            raise RuntimeError(f"{self.name}: backward called before forward")
        if not need_dx:
            return None
        pads = self._geometry(x.shape)
        oh, ow = shapes.output_hw((x.shape[1], x.shape[2]), self.pool_size, self.strides, pads)
        self.check_dy(dy, (x.shape[0], oh, ow, x.shape[3]))
        return self.kernels().pool2d_backward(x, dy, self.pool_size, self.strides, pads, self.mode)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "pool_size": list(self.pool_size),
            "strides": list(self.strides),
            "padding": self.padding,
        }


class MaxPooling2D(_Pooling2D):
    """Keeps the largest value of each window (the strongest detection)."""

    mode = "max"


class MinPooling2D(_Pooling2D):
    """Keeps the smallest value of each window."""

    mode = "min"


class AveragePooling2D(_Pooling2D):
    """Keeps the mean of each window."""

    mode = "avg"


class _GlobalPooling2D(Layer):
    """Pools each whole feature map to one number: ``(N, H, W, C) -> (N, C)``.

    Unlike Flatten it accepts any image size (``input_shape=(None, None, C)``), and forgets where a feature
    was.
    """

    mode: ClassVar[str] = "max"
    _TRANSIENT: ClassVar[tuple[str, ...]] = (*Layer._TRANSIENT, "_x")

    def __init__(self, *, name: str | None = None, trainable: bool = True, input_shape: Any = None) -> None:
        super().__init__(name=name, trainable=trainable, input_shape=input_shape)

    def _init_transient(self) -> None:
        super()._init_transient()
        self._x: Array | None = None  # the last input, for backward

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        check_image_shape(self, input_shape)
        return (input_shape[2],)

    def forward(self, x: Array, training: bool = False) -> Array:
        if x.shape[1:] not in self._accepted:
            self.admit(x.shape)
        self._x = x  # (N, H, W, C)
        return self.kernels().global_pool(x, self.mode)  # (N, C)

    def check_input(self, x_shape: tuple[int, ...]) -> None:
        super().check_input(x_shape)
        if len(x_shape) != 4 or 0 in x_shape[1:]:  # (also when not built)
            raise ShapeError(
                f"{self.name}: x must be images (N, H, W, C), each size but the batch's >= 1. "
                f"Received shape: {tuple(x_shape)}"
            )

    def backward(self, dy: Array, need_dx: bool = True) -> Array | None:
        x = self._x
        if x is None:
            raise RuntimeError(f"{self.name}: backward called before forward")
        if not need_dx:
            return None
        self.check_dy(dy, (x.shape[0], x.shape[3]))
        return self.kernels().global_pool_backward(x, dy, self.mode)


class GlobalMaxPooling2D(_GlobalPooling2D):
    mode = "max"


class GlobalMinPooling2D(_GlobalPooling2D):
    mode = "min"


class GlobalAveragePooling2D(_GlobalPooling2D):
    mode = "avg"


MaxPool2D = MaxPooling2D
AvgPool2D = AveragePooling2D
