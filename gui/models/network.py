"""Every layer's output for one image, as the Network tab draws it, and the arithmetic behind one value.

:func:`layer_outputs` runs in the engine thread. The arithmetic helpers (:func:`softmax_steps`,
:func:`conv_cell`, :func:`pool_cell`, :func:`dense_cell`, :func:`flatten_source`) are plain NumPy on copies
the views already hold; :func:`conv_partial_maps` calls the engine's convolution, so it runs in the engine
thread too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from gui.models.session import leaves

__all__ = [
    "CellArithmetic",
    "LayerOutput",
    "SoftmaxSteps",
    "activation_value",
    "conv_cell",
    "conv_partial_maps",
    "dense_cell",
    "flatten_source",
    "layer_outputs",
    "pool_cell",
    "softmax_steps",
]

#: exp() of float64 overflows above about 709: larger logits are shifted by their maximum first
EXP_LIMIT = 700.0


@dataclass
class LayerOutput:
    """One layer's output for one image. ``array``: ``(H, W, C)`` or ``(D,)`` (batch axis removed)."""

    name: str
    class_name: str
    activation: str
    array: np.ndarray
    kernel: np.ndarray | None = None  # Conv2D ``(KH, KW, C_in, C_out)``, Dense ``(D_in, units)``
    bias: np.ndarray | None = None
    #: the class probabilities, on the model's last output only (a softmax of it when the model gives logits)
    probabilities: np.ndarray | None = None
    #: the class scores before the final softmax, on the last output only (None when they cannot be read)
    logits: np.ndarray | None = None
    #: the layer's ``get_config()`` (padding, strides, pool size...)
    config: dict = field(default_factory=dict)


def _weights(layer: Any) -> tuple[np.ndarray | None, np.ndarray | None]:
    if type(layer).__name__ not in ("Conv2D", "Dense"):
        return None, None
    # get_weights is current even while a GPU run holds the weights
    params = dict(zip(layer.params, layer.get_weights(), strict=True))
    return params["kernel"], params.get("bias")


def layer_outputs(model: Any, image: np.ndarray) -> list[LayerOutput]:
    """``model.activations`` of one ``(H, W, C)`` image, with each layer's type, activation, weights and
    config; the last output also carries the class probabilities and the logits."""
    from engine.training import softmax_rows

    acts = model.activations(np.asarray(image, np.float32)[None])  # [(name, (1, ...))]
    out = []
    layers = leaves(model)
    for (name, arr), layer in zip(acts, layers, strict=False):
        kernel, bias = _weights(layer)
        out.append(
            LayerOutput(
                name,
                type(layer).__name__,
                str(getattr(layer, "activation", "") or ""),
                np.array(arr[0]),
                kernel,
                bias,
                config=dict(layer.get_config()),
            )
        )
    if out:
        last = out[-1]
        if model.output_kind == "probabilities":
            last.probabilities = last.array.copy()
            last.logits = _logits_before_softmax(out)
        else:
            last.probabilities = softmax_rows(last.array)
            last.logits = last.array.astype(np.float32).copy()
    return out


def _logits_before_softmax(out: list[LayerOutput]) -> np.ndarray | None:
    """The scores a final softmax turned into probabilities: a Softmax layer's input, or a Dense layer's
    ``x @ W + b`` when its activation is the softmax."""
    last = out[-1]
    if len(out) < 2:
        return None
    prev = out[-2].array
    if last.class_name == "Softmax":
        return prev.astype(np.float32).copy()
    if last.class_name == "Dense" and last.activation == "softmax" and last.kernel is not None:
        z = prev.astype(np.float64) @ last.kernel.astype(np.float64)
        if last.bias is not None:
            z = z + last.bias
        return z.astype(np.float32)
    return None


# -- softmax -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SoftmaxSteps:
    """The softmax written out: ``p_k = exp(z_k - shift) / sum_j exp(z_j - shift)``.

    ``shift`` is 0 unless a logit is so large that ``exp`` would overflow (then it is the largest logit: the
    ratios do not change). All arrays are float64 ``(K,)``.
    """

    logits: np.ndarray
    shift: float
    exps: np.ndarray
    total: float
    probabilities: np.ndarray


def softmax_steps(logits: Any) -> SoftmaxSteps:
    """The softmax of ``logits (K,)`` step by step (see :class:`SoftmaxSteps`)."""
    z = np.asarray(logits, dtype=np.float64).reshape(-1)
    if z.size == 0 or not np.isfinite(z).all():
        raise ValueError(f"logits must be a non-empty vector of finite numbers. Received: {z!r}")
    shift = float(z.max()) if float(np.abs(z).max()) > EXP_LIMIT else 0.0
    exps = np.exp(z - shift)
    total = float(exps.sum())
    return SoftmaxSteps(z, shift, exps, total, exps / total)


# -- the arithmetic of one value -----------------------------------------------------------------------------
@dataclass
class CellArithmetic:
    """How one output value is computed from the layer's input.

    ``window``: the input values read (``(KH, KW, C_in)`` for a conv, ``(ph, pw)`` for a pooling, ``(D,)`` for
    a Dense), zeros where the window lies on padding; ``terms``: the per-input-channel sums of a conv (or the
    products of a Dense); ``z``: the value before the activation; ``value``: the output.
    """

    kind: str
    window: np.ndarray
    terms: np.ndarray
    bias: float
    z: float
    value: float
    activation: str
    #: top-left corner of the window in the unpadded input (negative on the padding)
    origin: tuple[int, int] = (0, 0)
    weights: np.ndarray | None = None


def activation_value(name: str, z: float) -> float:
    """``name`` (a layer's activation) applied to one number."""
    if name in ("", "linear", "none"):
        return z
    if name == "relu":
        return max(z, 0.0)
    if name == "sigmoid":
        return float(1.0 / (1.0 + np.exp(-z)))
    if name == "tanh":
        return float(np.tanh(z))
    if name == "leaky_relu":
        return z if z > 0 else 0.2 * z
    raise ValueError(f"no single-value formula for activation {name!r}")


def _padded(x: np.ndarray, pads: tuple[int, int, int, int], value: float = 0.0) -> np.ndarray:
    t, b, le, r = pads
    return np.pad(x, ((t, b), (le, r), (0, 0)), constant_values=value)


def conv_cell(layer_input: np.ndarray, out: LayerOutput, channel: int, i: int, j: int) -> CellArithmetic:
    """The arithmetic of ``out.array[i, j, channel]`` for a Conv2D: one window sum per input channel, plus
    the bias, then the activation.

    ``layer_input`` is the layer's input ``(H, W, C_in)``. Returns float64 numbers; ``value`` equals the
    layer's output to float32 rounding.
    """
    from engine import shapes

    assert out.kernel is not None
    cfg = out.config
    kh, kw = out.kernel.shape[:2]
    sh, sw = (int(s) for s in cfg.get("strides", (1, 1)))
    dh, dw = (int(d) for d in cfg.get("dilation_rate", (1, 1)))  # the taps' spacing
    span = shapes.effective_kernel((kh, kw), (dh, dw))
    pads = shapes.resolve_padding(cfg.get("padding", "valid"), layer_input.shape[:2], span, (sh, sw))
    xp = _padded(layer_input.astype(np.float64), pads)
    window = xp[i * sh : i * sh + span[0] : dh, j * sw : j * sw + span[1] : dw, :]  # (KH, KW, C_in)
    k = out.kernel[:, :, :, channel].astype(np.float64)  # (KH, KW, C_in)
    if cfg.get("flip"):
        k = k[::-1, ::-1]
    terms = (window * k).sum(axis=(0, 1))  # (C_in,)
    bias = float(out.bias[channel]) if out.bias is not None else 0.0
    z = float(terms.sum() + bias)
    origin = (i * sh - pads[0], j * sw - pads[2])
    return CellArithmetic(
        "conv", window, terms, bias, z, activation_value(out.activation, z), out.activation, origin, k
    )


def pool_cell(layer_input: np.ndarray, out: LayerOutput, channel: int, i: int, j: int) -> CellArithmetic:
    """The window a pooling layer reads for ``out.array[i, j, channel]`` and its max / min / mean."""
    from engine import shapes

    cfg = out.config
    ph, pw = (int(s) for s in cfg.get("pool_size", (2, 2)))
    sh, sw = (int(s) for s in cfg.get("strides", (ph, pw)))
    pads = shapes.resolve_padding(cfg.get("padding", "valid"), layer_input.shape[:2], (ph, pw), (sh, sw))
    xp = _padded(layer_input[:, :, channel : channel + 1].astype(np.float64), pads, np.nan)
    window = xp[i * sh : i * sh + ph, j * sw : j * sw + pw, 0]  # (ph, pw), NaN on padding
    reduce: dict[str, Callable[[np.ndarray], Any]] = {
        "Max": np.nanmax,
        "Min": np.nanmin,
        "Average": np.nanmean,
    }
    kind = next((k for k in reduce if out.class_name.startswith(k)), "Max")
    value = float(reduce[kind](window))
    origin = (i * sh - pads[0], j * sw - pads[2])
    return CellArithmetic(kind.lower(), window, window.reshape(-1), 0.0, value, value, "", origin)


def dense_cell(layer_input: np.ndarray, out: LayerOutput, unit: int) -> CellArithmetic:
    """``z = sum_d x_d * W[d, unit] + b`` for one Dense unit: the products ``terms (D,)``, then the
    activation (a final softmax is left to :func:`softmax_steps`: ``value`` is then ``z``)."""
    assert out.kernel is not None
    x = layer_input.reshape(-1).astype(np.float64)  # (D,)
    w = out.kernel[:, unit].astype(np.float64)  # (D,)
    terms = x * w
    bias = float(out.bias[unit]) if out.bias is not None else 0.0
    z = float(terms.sum() + bias)
    act = "linear" if out.activation == "softmax" else out.activation
    return CellArithmetic("dense", x, terms, bias, z, activation_value(act, z), act, (0, 0), w)


def flatten_source(shape: tuple[int, ...], index: int) -> tuple[int, int, int]:
    """Where value ``index`` of a Flatten of ``(H, W, C)`` maps comes from: ``(row, column, channel)``.

    The arrays are NHWC, so Flatten reads position by position, all channels of a position together:
    ``index = (row * W + column) * C + channel`` (not map after map).
    """
    h, w, c = (int(v) for v in shape)
    if not 0 <= index < h * w * c:
        raise ValueError(f"index must be in [0, {h * w * c}). Received: index={index}")
    pos, ch = divmod(int(index), c)
    row, col = divmod(pos, w)
    return row, col, ch


def conv_partial_maps(
    layer_input: np.ndarray, out: LayerOutput, channel: int
) -> tuple[np.ndarray, np.ndarray]:
    """Map ``channel`` of a Conv2D split by input channel (engine thread: it runs the engine's convolution).

    Parameters
    ----------
    layer_input : the layer's input ``(H, W, C_in)``.
    out : the layer's :class:`LayerOutput` (kernel, bias, config).
    channel : the output channel.

    Returns
    -------
    partials : ``(C_in, OH, OW)`` float32: input channel ``c`` slid under its kernel slice
        ``kernel[:, :, c, channel]`` with the layer's padding and stride.
    z : ``(OH, OW)`` float32: ``partials.sum(0) + bias``, the map before the activation.
    """
    from engine import ops

    assert out.kernel is not None
    cfg = out.config
    x = np.ascontiguousarray(layer_input, np.float32)  # (H, W, C_in)
    parts = []
    for c in range(x.shape[2]):
        w = np.ascontiguousarray(out.kernel[:, :, c : c + 1, channel : channel + 1], np.float32)
        y = ops.conv2d(
            x[:, :, c : c + 1],
            w,
            stride=tuple(cfg.get("strides", (1, 1))),
            padding=cfg.get("padding", "valid"),
            dilation=tuple(cfg.get("dilation_rate", (1, 1))),
            flip=bool(cfg.get("flip", False)),
        )  # (OH, OW, 1)
        parts.append(np.asarray(y)[:, :, 0])
    partials = np.stack(parts).astype(np.float32)  # (C_in, OH, OW)
    bias = float(out.bias[channel]) if out.bias is not None else 0.0
    z = (partials.astype(np.float64).sum(axis=0) + bias).astype(np.float32)
    return partials, z
