"""One Conv2D layer's backward pass for one image, as the Backprop tab steps it.

:func:`backprop_snapshot` (engine thread) runs ``model.gradients`` on one image and keeps the layer's input,
filters and ``dL/dZ`` with what the engine computed; :meth:`BackpropSnapshot.walk` steps the backward window
over the output positions with :class:`engine.sliding.BackwardWalk` (the formulas are in
:mod:`engine.sliding`) and :meth:`BackpropSnapshot.sums` gives the finished sums the tab checks against the
engine's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from engine import sliding
from gui.models.session import leaves

__all__ = ["BackpropSnapshot", "backprop_snapshot", "next_position"]


@dataclass
class BackpropSnapshot:
    """One Conv2D layer's forward and backward arrays for one image (batch axis removed).

    Attributes
    ----------
    layer_name : the layer's name.
    x : ``(H, W, C_in)`` the layer's input, unpadded.
    kernel : ``(KH, KW, C_in, C_out)``.
    dz : ``(OH, OW, C_out)`` the gradient of the loss with respect to the convolution's output, before the
        activation.
    pads : ``(top, bottom, left, right)`` the zero padding the layer adds.
    stride : ``(sh, sw)``.
    flip : a true convolution (kernel rotated 180 degrees).
    engine_dw : ``dL/dW`` as the engine computed it, like ``kernel``.
    engine_dx : ``(H, W, C_in)`` ``dL/dX`` as the engine computed it (None for the first layer's input).
    loss_label : the true class the loss was computed for.
    """

    layer_name: str
    x: np.ndarray
    kernel: np.ndarray
    dz: np.ndarray
    pads: tuple[int, int, int, int]
    stride: tuple[int, int]
    flip: bool
    engine_dw: np.ndarray
    engine_dx: np.ndarray | None
    loss_label: int

    @property
    def padding(self) -> tuple[tuple[int, int], tuple[int, int]]:
        """The explicit padding spec ``((top, bottom), (left, right))``."""
        return sliding.pads_to_spec(self.pads)

    @property
    def x_padded(self) -> np.ndarray:
        """``(Hp, Wp, C_in)``: the input with its zero padding, as the windows see it."""
        t, b, le, r = self.pads
        return np.pad(self.x, ((t, b), (le, r), (0, 0)))

    def walk(self, c: int, k: int) -> sliding.BackwardWalk:
        """The backward walk of input channel ``c`` and filter ``k``."""
        return sliding.BackwardWalk(
            self.x,
            self.kernel,
            self.dz,
            stride=self.stride,
            padding=self.padding,
            flip=self.flip,
            channel=c,
            filter=k,
        )

    def sums(self) -> tuple[np.ndarray, np.ndarray]:
        """``(dW, dX)`` for every channel and filter from the walk's formulas (the check on the engine)."""
        dw, dx, _ = sliding.conv_gradients(
            self.x, self.kernel, self.dz, stride=self.stride, padding=self.padding, flip=self.flip
        )
        return dw, dx


def backprop_snapshot(model: Any, image: np.ndarray, label: int, layer_index: int) -> BackpropSnapshot:
    """Run ``model.gradients`` on one ``(H, W, C)`` image and collect the arrays of the Conv2D leaf
    ``layer_index`` (an index into the model's layers, nested models flattened)."""
    from engine import ops, shapes

    layers = leaves(model)
    if not 0 <= layer_index < len(layers):
        raise ValueError(f"layer_index must be in [0, {len(layers)}). Received: {layer_index}")
    layer = layers[layer_index]
    if type(layer).__name__ != "Conv2D":
        raise ValueError(
            f"layer_index must point at a Conv2D layer. Received: {layer_index} ({type(layer).__name__})"
        )
    if tuple(getattr(layer, "dilation_rate", (1, 1))) != (1, 1):
        raise ValueError(
            f"layer {layer.name!r} is dilated (dilation_rate={tuple(layer.dilation_rate)}): the backward "
            "walk steps undilated convolutions only; choose another Conv2D layer"
        )
    x = np.asarray(image, np.float32)[None]  # (1, H, W, C)
    acts = model.activations(x)
    x_in = x if layer_index == 0 else acts[layer_index - 1][1]  # (1, H, W, C_in)
    g = model.gradients(x, np.array([label]))[layer_index]
    kernel = layer.params["kernel"].copy()
    bias = layer.params.get("bias")
    z = ops.conv2d(x_in, kernel, bias, stride=layer.strides, padding=layer.padding, flip=layer.flip)
    act = getattr(layer, "activation", "linear") or "linear"
    dz = g.output if act == "linear" else ops.activation_backward(act, z, g.output)  # (1, OH, OW, C_out)
    pads: tuple[int, int, int, int] = shapes.resolve_padding(
        layer.padding, x_in.shape[1:3], layer.kernel_size, layer.strides
    )
    return BackpropSnapshot(
        layer.name,
        np.asarray(x_in)[0],
        kernel,
        np.asarray(dz)[0],
        pads,
        (int(layer.strides[0]), int(layer.strides[1])),
        bool(layer.flip),
        np.asarray(g.weights["kernel"]),
        None if g.input is None else np.asarray(g.input)[0],
        int(label),
    )


def next_position(
    gradients: np.ndarray, position: int, delta: int, skip_zero: bool = False, wrap: bool = True
) -> int | None:
    """The position after ``position`` moved by ``delta`` (+1 / -1) in a walk whose ``dL/dZ`` are
    ``gradients`` ``(P,)`` (walk order).

    With ``skip_zero`` the positions whose gradient is exactly 0 (they add nothing to ``dW`` or ``dX``) are
    passed over. Past either end the walk goes round with ``wrap``, else the answer is None (stop). When every
    gradient is 0 nothing is skipped.
    """
    g = np.asarray(gradients).ravel()
    n = g.size
    if n == 0:
        return None
    skip = skip_zero and bool(np.any(g != 0))
    v = position
    for _ in range(n):
        v += delta
        if not 0 <= v < n:
            if not wrap:
                return None
            v %= n
        if not skip or g[v] != 0:
            return int(v)
    return int(position)
