"""The backward pass of one Conv2D layer, position by position (pure NumPy, checked against the engine).

For a convolution ``Z = X * W + b`` (cross-correlation, stride ``s``) and the upstream gradient ``dZ = dL/dZ``:

* ``dW[m, n, c, k] = sum over output positions (i, j) of dZ[i, j, k] * Xp[i*s + m, j*s + n, c]``: each output
  position adds its input window, weighted by its gradient;
* ``dXp[i*s + m, j*s + n, c] += dZ[i, j, k] * W[m, n, c, k]``: each output position sends the filter, weighted,
  back onto its window (``Xp`` is the padded input; ``dX`` is ``dXp`` without the padding);
* ``db[k] = sum of dZ[..., k]``.

:func:`backprop_snapshot` (engine thread) gathers the arrays of one layer for one image; :class:`BackwardWalk`
steps through the output positions and gives the partial sums the view draws.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

__all__ = ["BackpropSnapshot", "BackwardWalk", "backprop_snapshot", "full_gradients"]


@dataclass
class BackpropSnapshot:
    """One Conv2D layer's forward and backward arrays for one image (batch axis removed).

    ``x_padded (Hp, Wp, C_in)``, ``kernel (KH, KW, C_in, C_out)``, ``dz (OH, OW, C_out)`` (gradient before the
    activation), ``pads (top, bottom, left, right)``, ``stride (sh, sw)``, and what the engine computed:
    ``engine_dw`` like ``kernel``, ``engine_dx (H, W, C_in)``.
    """

    layer_name: str
    x_padded: np.ndarray
    kernel: np.ndarray
    dz: np.ndarray
    pads: tuple[int, int, int, int]
    stride: tuple[int, int]
    flip: bool
    engine_dw: np.ndarray
    engine_dx: np.ndarray | None
    loss_label: int


def backprop_snapshot(model: Any, image: np.ndarray, label: int, layer_index: int) -> BackpropSnapshot:
    """Run ``model.gradients`` on one image and collect the arrays of the Conv2D leaf ``layer_index``."""
    from engine import ops, shapes
    from gui.widgets.net_session import _leaves

    leaves = _leaves(model)
    layer = leaves[layer_index]
    if type(layer).__name__ != "Conv2D":
        raise ValueError(
            f"layer_index must point at a Conv2D layer. Received: {layer_index} ({type(layer).__name__})"
        )
    x = np.asarray(image, np.float32)[None]  # (1, H, W, C)
    acts = model.activations(x)
    x_in = x if layer_index == 0 else acts[layer_index - 1][1]  # (1, H, W, C_in)
    grads = model.gradients(x, np.array([label]))
    g = grads[layer_index]
    kernel = layer.params["kernel"].copy()
    bias = layer.params.get("bias")
    z = ops.conv2d(x_in, kernel, bias, stride=layer.strides, padding=layer.padding, flip=layer.flip)
    act = getattr(layer, "activation", "linear") or "linear"
    dz = g.output if act == "linear" else ops.activation_backward(act, z, g.output)  # (1, OH, OW, C_out)
    pads: tuple[int, int, int, int] = shapes.resolve_padding(
        layer.padding, x_in.shape[1:3], layer.kernel_size, layer.strides
    )
    t, b, le, r = pads
    xp = np.pad(x_in[0], ((t, b), (le, r), (0, 0)))  # (Hp, Wp, C_in)
    return BackpropSnapshot(
        layer.name,
        xp,
        kernel,
        np.asarray(dz)[0],
        pads,
        tuple(layer.strides),
        bool(layer.flip),
        np.asarray(g.weights["kernel"]),
        None if g.input is None else np.asarray(g.input)[0],
        int(label),
    )


def _windows(snap: BackpropSnapshot, c: int) -> np.ndarray:
    """Input windows of channel ``c`` at every output position: ``(OH, OW, KH, KW)``."""
    kh, kw = snap.kernel.shape[:2]
    sh, sw = snap.stride
    oh, ow = snap.dz.shape[:2]
    win = sliding_window_view(snap.x_padded[:, :, c], (kh, kw))[::sh, ::sw]
    return win[:oh, :ow]


def full_gradients(snap: BackpropSnapshot) -> tuple[np.ndarray, np.ndarray]:
    """``(dW, dX)`` for every channel from the formulas in the module docstring (the check on the engine)."""
    kh, kw, c_in, _ = snap.kernel.shape
    sh, sw = snap.stride
    oh, ow = snap.dz.shape[:2]
    kernel = snap.kernel[::-1, ::-1] if snap.flip else snap.kernel
    dw = np.zeros(snap.kernel.shape, np.float64)
    dxp = np.zeros(snap.x_padded.shape, np.float64)
    for c in range(c_in):
        win = _windows(snap, c)  # (OH, OW, KH, KW)
        dw[:, :, c, :] = np.einsum("ijmn,ijk->mnk", win, snap.dz)
    for i in range(oh):
        for j in range(ow):
            dxp[i * sh : i * sh + kh, j * sw : j * sw + kw, :] += np.einsum(
                "mnck,k->mnc", kernel, snap.dz[i, j]
            )
    if snap.flip:
        dw = dw[::-1, ::-1]
    t, b, le, r = snap.pads
    hp, wp = snap.x_padded.shape[:2]
    return dw, dxp[t : hp - b, le : wp - r]


class BackwardWalk:
    """Step the backward window of filter ``k`` / input channel ``c`` over the output positions (row-major)."""

    def __init__(self, snap: BackpropSnapshot, c: int, k: int) -> None:
        self.snap, self.c, self.k = snap, c, k
        self.oh, self.ow = snap.dz.shape[:2]
        kernel = snap.kernel[::-1, ::-1] if snap.flip else snap.kernel
        win = _windows(snap, c).reshape(self.oh * self.ow, *snap.kernel.shape[:2])  # (P, KH, KW)
        g = snap.dz[:, :, k].reshape(-1)  # (P,)
        self._dw_terms = g[:, None, None] * win  # (P, KH, KW): what each position adds to dW[:, :, c, k]
        self._w = kernel[:, :, c, k]
        self._g = g

    @property
    def positions(self) -> int:
        return self.oh * self.ow

    def position(self, p: int) -> tuple[int, int]:
        return divmod(p, self.ow)

    def window(self, p: int) -> tuple[int, int, int, int]:
        """``(top, left, height, width)`` of position ``p``'s window in the padded input."""
        i, j = self.position(p)
        return i * self.snap.stride[0], j * self.snap.stride[1], *self.snap.kernel.shape[:2]

    def gradient_at(self, p: int) -> float:
        return float(self._g[p])

    def dw_partial(self, p: int) -> np.ndarray:
        """``dW[:, :, c, k]`` summed over positions ``0..p`` (``(KH, KW)``)."""
        part = self._dw_terms[: p + 1].sum(axis=0)
        return part[::-1, ::-1] if self.snap.flip else part

    def dx_partial(self, p: int) -> np.ndarray:
        """Filter ``k``'s contribution to ``dXp[:, :, c]`` from positions ``0..p`` (padded coordinates)."""
        out = np.zeros(self.snap.x_padded.shape[:2], np.float64)
        kh, kw = self.snap.kernel.shape[:2]
        for q in range(p + 1):
            top, left, _, _ = self.window(q)
            out[top : top + kh, left : left + kw] += self._g[q] * self._w
        return out
