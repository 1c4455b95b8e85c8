"""Export a :class:`engine.models.Sequential` to ONNX, so that a trained model runs in any ONNX runtime.

The graph takes ``input``: float32 NHWC ``[batch, H, W, C]`` as ConvScope does (``batch`` is dynamic, and so
are ``H`` and ``W`` where the model's input shape has ``None``), transposes it to NCHW, the layout of ONNX's
convolution and pooling operators, runs every layer, and gives ``output``: ``[batch, K]`` for a classifier
(an image-shaped output is transposed back to NHWC). Layers become standard operators:

========================== ==============================================================================
ConvScope                  ONNX
========================== ==============================================================================
Conv2D                     ``Conv``; kernel ``(KH, KW, C_in, C_out)`` transposed to ``(C_out, C_in, KH, KW)``,
                           rotated 180 degrees first when ``flip=True`` (ONNX's Conv is a cross-correlation);
                           ``dilations`` for a dilated one (its pads from the effective size)
Conv2DTranspose            ``ConvTranspose``; kernel ``(KH, KW, C_out, C_in)`` transposed to ``(C_in, C_out,
                           KH, KW)``; ``pads`` (the cells cut off) and ``output_padding`` (the cells added
                           at the bottom/right) give Keras' output size, at any input size
BatchNormalization         ``BatchNormalization`` in inference mode (the moving statistics), over the channels
                           of images or the features of ``(N, D)``
Max/AveragePooling2D       ``MaxPool`` / ``AveragePool`` (``count_include_pad=0``: padded cells are ignored)
MinPooling2D               ``Neg -> MaxPool -> Neg`` (ONNX has no min pooling; ``min(x) = -max(-x)``)
Global{Max,Average}Pool.   ``GlobalMaxPool`` / ``GlobalAveragePool`` then ``Flatten`` to ``(N, C)``
GlobalMinPooling2D         ``Neg -> GlobalMaxPool -> Neg`` then ``Flatten``
Flatten                    ``Transpose`` back to NHWC, then ``Flatten``: the NHWC order ConvScope flattens in,
                           so a following Dense layer's weights are used as they are
Dense                      ``Gemm`` (``MatMul`` without a bias)
activations                ``Relu``, ``LeakyRelu`` (alpha), ``Sigmoid``, ``Tanh``, ``Softmax`` over the
                           channels / last axis; ``linear`` adds nothing
Dropout                    nothing (inference keeps every input)
a nested Sequential        its layers, in place (a frozen base of transfer learning is just more layers)
========================== ==============================================================================

``padding="same"`` follows TensorFlow's rule (the odd cell at the bottom/right). With a fixed input size the
pads are written out; with a dynamic one the operator's ``auto_pad="SAME_UPPER"`` computes the same pads at
run time, except where a window is smaller than its stride (the rule's ``max(..., 0)`` then matters) or the
kernel is dilated (onnxruntime has no ``auto_pad`` with dilations): there the pads are computed in the graph
from the input's shape and applied by a ``Pad`` node.

Converters live in :data:`CONVERTERS`, keyed by layer class name; a layer class without one is refused with an
error that names it (never dropped). Needs the ``onnx`` package (``pip install onnx``); running the file needs
a runtime such as ``onnxruntime``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from engine import shapes

__all__ = ["CONVERTERS", "DEFAULT_OPSET", "MIN_OPSET", "OnnxExportError", "export_onnx", "to_onnx"]

#: the opset written unless asked otherwise (supported by every onnxruntime since 1.12)
DEFAULT_OPSET = 17
#: the oldest opset whose operators mean what the converters expect (Softmax over one axis since 13)
MIN_OPSET = 13
#: the slope ``Conv2D`` / ``Dense`` apply for ``activation="leaky_relu"`` (``ops.activation``'s default)
LAYER_LEAKY_ALPHA = 0.2

PathLike = str | os.PathLike


class OnnxExportError(ValueError):
    """A model that cannot be written as ONNX: not built, a layer class without a converter, a bad opset."""


def _onnx() -> Any:
    try:
        import onnx
    except ImportError:
        raise OnnxExportError(
            "ONNX export needs the 'onnx' package: pip install onnx (or pip install 'convscope[onnx]')"
        ) from None
    return onnx


@dataclass(frozen=True)
class Tensor:
    """A value flowing through the graph: its ONNX name, its layout (``"nchw"`` for images, ``"flat"`` for
    ``(N, D)`` features) and its shape without the batch axis as ConvScope writes it (``(H, W, C)`` or
    ``(D,)``, ``None`` for a size known only at run time)."""

    name: str
    layout: str
    shape: tuple


class GraphBuilder:
    """Collects nodes and initializers with unique names; converters call :meth:`add` and :meth:`constant`."""

    def __init__(self, onnx: Any, opset: int) -> None:
        self.onnx = onnx
        self.opset = opset
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self._taken: set[str] = {"input", "output"}
        self.scope = ""

    def fresh(self, hint: str) -> str:
        """A tensor name not used yet, ``"<scope>/<hint>"`` when a layer is being converted."""
        base = f"{self.scope}/{hint}" if self.scope else hint
        name, k = base, 1
        while name in self._taken:
            name, k = f"{base}_{k}", k + 1
        self._taken.add(name)
        return name

    def constant(self, hint: str, array: Any, dtype: Any = np.float32) -> str:
        """Store ``array`` as an initializer and return its name."""
        name = self.fresh(hint)
        arr = np.ascontiguousarray(np.asarray(array, dtype=dtype))
        self.initializers.append(self.onnx.numpy_helper.from_array(arr, name))
        return name

    def add(self, op: str, inputs: list[str], hint: str | None = None, **attrs: Any) -> str:
        """Append one ``op`` node reading ``inputs``; returns its (single) output's name."""
        out = self.fresh(hint or op.lower())
        node_name = self.fresh(op)
        self.nodes.append(self.onnx.helper.make_node(op, inputs, [out], name=node_name, **attrs))
        return out


Converter = Callable[[GraphBuilder, Any, Tensor], Tensor]


# ------------------------------------------------------------------------------------------------ helpers


def _activation(g: GraphBuilder, x: Tensor, name: str, alpha: float) -> Tensor:
    """Apply the element-wise activation ``name`` (softmax over the channels / last axis)."""
    if name == "linear":
        return x
    if name == "relu":
        return Tensor(g.add("Relu", [x.name]), x.layout, x.shape)
    if name == "leaky_relu":
        return Tensor(g.add("LeakyRelu", [x.name], alpha=float(alpha)), x.layout, x.shape)
    if name == "sigmoid":
        return Tensor(g.add("Sigmoid", [x.name]), x.layout, x.shape)
    if name == "tanh":
        return Tensor(g.add("Tanh", [x.name]), x.layout, x.shape)
    if name == "softmax":
        axis = 1 if x.layout == "nchw" else -1  # ConvScope's softmax runs over the last (channel) axis
        return Tensor(g.add("Softmax", [x.name], axis=axis), x.layout, x.shape)
    raise OnnxExportError(f"no ONNX equivalent for activation {name!r}")


def _require_image(x: Tensor, layer: Any) -> None:
    if x.layout != "nchw":
        raise OnnxExportError(
            f"layer {layer.name!r} ({type(layer).__name__}) expects images but receives flat features "
            f"of shape {x.shape}"
        )


def _static_pads(
    padding: str, hw: tuple, kernel: tuple[int, int], strides: tuple[int, int]
) -> list[int] | None:
    """ONNX ``pads`` ``[top, left, bottom, right]``, or None when they depend on a size unknown until run
    time."""
    if padding == "same" and (hw[0] is None or hw[1] is None):
        return None
    t, b, le, r = shapes.resolve_padding(padding, (hw[0] or 1, hw[1] or 1), kernel, strides)
    return [t, le, b, r]


def _same_pads_in_graph(g: GraphBuilder, x: Tensor, kernel: tuple[int, int], strides: tuple[int, int]) -> str:
    """The ``Pad`` pads ``[0, 0, top, left, 0, 0, bottom, right]`` of TensorFlow's 'same' rule, computed from
    the shape of ``x`` (NCHW) at run time: ``total = max((ceil(n / s) - 1) * s + k - n, 0)``, the odd one
    after."""
    shape = g.add("Shape", [x.name], "shape")
    hw = g.add("Slice", [shape, g.constant("hw_start", [2], np.int64), g.constant("hw_end", [4], np.int64)])
    k = g.constant("k", list(kernel), np.int64)
    s = g.constant("s", list(strides), np.int64)
    one = g.constant("one", [1], np.int64)
    out = g.add("Div", [g.add("Sub", [g.add("Add", [hw, s]), one]), s], "out_hw")  # ceil(n / s)
    need = g.add("Sub", [g.add("Add", [g.add("Mul", [g.add("Sub", [out, one]), s]), k]), hw])
    total = g.add("Max", [need, g.constant("zero", [0, 0], np.int64)], "total_pad")
    before = g.add("Div", [total, g.constant("two", [2, 2], np.int64)], "pad_before")
    after = g.add("Sub", [total, before], "pad_after")
    zeros = g.constant("no_pad", [0, 0], np.int64)
    return g.add("Concat", [zeros, before, zeros, after], "pads", axis=0)


def _window_op(
    g: GraphBuilder,
    x: Tensor,
    op: str,
    kernel: tuple[int, int],
    strides: tuple[int, int],
    padding: str,
    extra_inputs: list[str] | None = None,
    pad_value: float = 0.0,
    dilations: tuple[int, int] = (1, 1),
    **attrs: Any,
) -> str:
    """``op`` (Conv, MaxPool or AveragePool) over ``x`` with ConvScope's ``padding`` resolved as the module
    docstring says, for the window the (dilated) kernel spans; returns the output's name. ``pad_value``
    fills a ``Pad`` node where one is needed."""
    inputs = [x.name, *(extra_inputs or [])]
    common = {"kernel_shape": list(kernel), "strides": list(strides), **attrs}
    if dilations != (1, 1):
        common["dilations"] = list(dilations)
    span = shapes.effective_kernel(kernel, dilations)
    pads = _static_pads(padding, x.shape[:2], span, strides)
    if pads is not None:
        return g.add(op, inputs, **common, pads=pads)
    if span[0] >= strides[0] and span[1] >= strides[1] and dilations == (1, 1):
        # the same pads as ours, never negative (onnxruntime refuses auto_pad with a dilation)
        return g.add(op, inputs, **common, auto_pad="SAME_UPPER")
    pads_name = _same_pads_in_graph(g, x, span, strides)
    padded = g.add("Pad", [x.name, pads_name, g.constant("pad_value", pad_value)], "padded")
    return g.add(op, [padded, *(extra_inputs or [])], **common)


# --------------------------------------------------------------------------------------------- converters


def convert_conv2d(g: GraphBuilder, layer: Any, x: Tensor) -> Tensor:
    """``Conv`` (+ bias) then the layer's activation."""
    _require_image(x, layer)
    kernel = np.asarray(layer.params["kernel"], np.float32)  # (KH, KW, C_in, C_out)
    if layer.flip:
        kernel = kernel[::-1, ::-1]  # a true convolution is a cross-correlation with the rotated kernel
    inputs = [g.constant("kernel", kernel.transpose(3, 2, 0, 1))]  # (C_out, C_in, KH, KW)
    if layer.use_bias:
        inputs.append(g.constant("bias", layer.params["bias"]))
    dilations = tuple(getattr(layer, "dilation_rate", (1, 1)))
    y = _window_op(g, x, "Conv", layer.kernel_size, layer.strides, layer.padding, inputs, dilations=dilations)
    out = Tensor(y, "nchw", tuple(layer.output_shape))
    return _activation(g, out, layer.activation, LAYER_LEAKY_ALPHA)


def convert_conv2d_transpose(g: GraphBuilder, layer: Any, x: Tensor) -> Tensor:
    """``ConvTranspose`` (+ bias) then the layer's activation.

    ONNX's output is ``s (N - 1) + output_padding + K - pad_begin - pad_end`` (``K`` the effective size).
    For "valid" and "same" the cut-off pads (:func:`engine.shapes.resolve_transpose_padding`) do not depend
    on ``N``, and neither does the ``output_padding`` that completes Keras' size, ``max(s - K, 0)`` (the
    cells that no input reaches when the kernel is smaller than the stride): one graph for every input
    size.
    """
    _require_image(x, layer)
    kernel = np.asarray(layer.params["kernel"], np.float32)  # (KH, KW, C_out, C_in)
    inputs = [g.constant("kernel", kernel.transpose(3, 2, 0, 1))]  # (C_in, C_out, KH, KW)
    if layer.use_bias:
        inputs.append(g.constant("bias", layer.params["bias"]))
    span = layer.window()
    (t, b, le, r), _ = shapes.resolve_transpose_padding(layer.padding, (1, 1), span, layer.strides)
    extra = [max(s - k, 0) for s, k in zip(layer.strides, span, strict=True)]
    attrs: dict[str, Any] = {
        "kernel_shape": list(layer.kernel_size),
        "strides": list(layer.strides),
        "pads": [t, le, b, r],
    }
    if any(extra):
        attrs["output_padding"] = extra
    if tuple(layer.dilation_rate) != (1, 1):
        attrs["dilations"] = list(layer.dilation_rate)
    y = g.add("ConvTranspose", [x.name, *inputs], **attrs)
    out = Tensor(y, "nchw", tuple(layer.output_shape))
    return _activation(g, out, layer.activation, LAYER_LEAKY_ALPHA)


def convert_batch_norm(g: GraphBuilder, layer: Any, x: Tensor) -> Tensor:
    """``BatchNormalization`` with the moving statistics (inference mode): channel axis 1 of NCHW images,
    axis 1 of ``(N, D)`` features; ``gamma`` 1 and ``beta`` 0 where the layer learns none."""
    params = layer.params
    c = params["moving_mean"].shape[0]
    gamma = params.get("gamma", np.ones(c, np.float32))
    beta = params.get("beta", np.zeros(c, np.float32))
    inputs = [
        x.name,
        g.constant("gamma", gamma),
        g.constant("beta", beta),
        g.constant("moving_mean", params["moving_mean"]),
        g.constant("moving_variance", params["moving_variance"]),
    ]
    y = g.add("BatchNormalization", inputs, epsilon=float(layer.epsilon))
    return Tensor(y, x.layout, x.shape)


def convert_pooling(g: GraphBuilder, layer: Any, x: Tensor) -> Tensor:
    """``MaxPool`` / ``AveragePool``; min pooling as ``-MaxPool(-x)`` (padded cells ignored in all three)."""
    _require_image(x, layer)
    size, strides, padding = layer.pool_size, layer.strides, layer.padding
    shape = tuple(layer.output_shape)
    if layer.mode == "avg":
        if _static_pads(padding, x.shape[:2], size, strides) is None and (
            size[0] < strides[0] or size[1] < strides[1]
        ):
            return Tensor(_average_with_pad_node(g, x, size, strides), "nchw", shape)
        y = _window_op(g, x, "AveragePool", size, strides, padding, count_include_pad=0)
        return Tensor(y, "nchw", shape)
    source = x if layer.mode == "max" else Tensor(g.add("Neg", [x.name], "negated"), "nchw", x.shape)
    y = _window_op(g, source, "MaxPool", size, strides, padding, pad_value=-np.inf)
    if layer.mode == "min":
        y = g.add("Neg", [y], "min_pool")
    return Tensor(y, "nchw", shape)


def _average_with_pad_node(g: GraphBuilder, x: Tensor, size: tuple, strides: tuple) -> str:
    """Average pooling that ignores padded cells when the pads are computed in the graph: the windowed mean
    of the zero-padded input divided by the windowed mean of a zero-padded mask of ones (sum / count)."""
    pads = _same_pads_in_graph(g, x, size, strides)
    zero = g.constant("pad_value", 0.0)
    ones = g.add("ConstantOfShape", [g.add("Shape", [x.name], "shape")], "ones", value=_one_tensor(g))
    attrs = {"kernel_shape": list(size), "strides": list(strides)}
    total = g.add("AveragePool", [g.add("Pad", [x.name, pads, zero], "padded")], "window_mean", **attrs)
    count = g.add("AveragePool", [g.add("Pad", [ones, pads, zero], "padded_mask")], "window_share", **attrs)
    return g.add("Div", [total, count], "average")


def _one_tensor(g: GraphBuilder) -> Any:
    return g.onnx.numpy_helper.from_array(np.ones(1, np.float32), "one_value")


def convert_global_pooling(g: GraphBuilder, layer: Any, x: Tensor) -> Tensor:
    """``GlobalMaxPool`` / ``GlobalAveragePool`` (min as ``-GlobalMaxPool(-x)``), then ``(N, C, 1, 1)`` to
    ``(N, C)``."""
    _require_image(x, layer)
    if layer.mode == "avg":
        y = g.add("GlobalAveragePool", [x.name])
    elif layer.mode == "max":
        y = g.add("GlobalMaxPool", [x.name])
    else:
        y = g.add("Neg", [g.add("GlobalMaxPool", [g.add("Neg", [x.name], "negated")])], "global_min")
    return Tensor(g.add("Flatten", [y], axis=1), "flat", tuple(layer.output_shape))


def convert_flatten(g: GraphBuilder, layer: Any, x: Tensor) -> Tensor:
    """Back to NHWC, then ``Flatten``: the order of :class:`engine.layers.Flatten`."""
    source = x.name
    if x.layout == "nchw":
        source = g.add("Transpose", [x.name], "nhwc", perm=[0, 2, 3, 1])
    return Tensor(g.add("Flatten", [source], axis=1), "flat", tuple(layer.output_shape))


def convert_dense(g: GraphBuilder, layer: Any, x: Tensor) -> Tensor:
    """``Gemm`` (``x @ kernel + bias``), or ``MatMul`` without a bias, then the layer's activation."""
    if x.layout != "flat":
        raise OnnxExportError(f"layer {layer.name!r} (Dense) receives images of shape {x.shape}")
    kernel = g.constant("kernel", layer.params["kernel"])  # (D_in, units)
    if layer.use_bias:
        y = g.add("Gemm", [x.name, kernel, g.constant("bias", layer.params["bias"])])
    else:
        y = g.add("MatMul", [x.name, kernel])
    out = Tensor(y, "flat", tuple(layer.output_shape))
    return _activation(g, out, layer.activation, LAYER_LEAKY_ALPHA)


def convert_activation(g: GraphBuilder, layer: Any, x: Tensor) -> Tensor:
    """The activation alone (``Activation``, ``ReLU``, ``Softmax``)."""
    return _activation(g, x, layer.activation, layer.alpha)


def convert_identity(g: GraphBuilder, layer: Any, x: Tensor) -> Tensor:
    """Layers that change nothing at inference (Dropout)."""
    return x


#: a converter per layer class name: ``converter(builder, layer, x) -> y``. A class that is not here cannot be
#: exported (a subclass is not taken for its parent: its forward may differ).
CONVERTERS: dict[str, Converter] = {
    "Conv2D": convert_conv2d,
    "Conv2DTranspose": convert_conv2d_transpose,
    "BatchNormalization": convert_batch_norm,
    "MaxPooling2D": convert_pooling,
    "MinPooling2D": convert_pooling,
    "AveragePooling2D": convert_pooling,
    "GlobalMaxPooling2D": convert_global_pooling,
    "GlobalMinPooling2D": convert_global_pooling,
    "GlobalAveragePooling2D": convert_global_pooling,
    "Flatten": convert_flatten,
    "Dense": convert_dense,
    "Activation": convert_activation,
    "ReLU": convert_activation,
    "Softmax": convert_activation,
    "Dropout": convert_identity,
}


# ------------------------------------------------------------------------------------------------ the graph


def _value_info(onnx: Any, name: str, dims: list[Any]) -> Any:
    return onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, dims)


def _check_opset(onnx: Any, opset: Any) -> int:
    newest = int(onnx.defs.onnx_opset_version())
    if isinstance(opset, bool) or not hasattr(opset, "__index__") or not MIN_OPSET <= int(opset) <= newest:
        raise OnnxExportError(
            f"opset must be an int from {MIN_OPSET} to {newest} (the newest this 'onnx' package knows). "
            f"Received: opset={opset!r}"
        )
    return int(opset)


def to_onnx(model: Any, opset: int = DEFAULT_OPSET, metadata: Mapping[str, Any] | None = None) -> Any:
    """The ONNX ``ModelProto`` of ``model`` (checked with ``onnx.checker``, full check), without writing it.

    Parameters
    ----------
    model : a built :class:`engine.models.Sequential`.
    opset : the ONNX operator set, from :data:`MIN_OPSET` to the newest the installed ``onnx`` knows.
    metadata : extra ``metadata_props`` (values that are not strings are written as JSON), e.g. the class
        names; ``output_kind`` (``"logits"`` or ``"probabilities"``) is always written.

    Raises
    ------
    OnnxExportError : the model is not built, a layer class has no converter (the message names it and the
        classes that have one), or the opset is out of range.
    """
    onnx = _onnx()
    opset = _check_opset(onnx, opset)
    if not getattr(model, "built", False) or not getattr(model, "layers", None):
        raise OnnxExportError(
            f"model {getattr(model, 'name', model)!r} is not built: give its first layer an input_shape"
        )
    leaves = list(model.iter_leaves())
    for qname, layer in leaves:
        if type(layer).__name__ not in CONVERTERS:
            raise OnnxExportError(
                f"cannot export layer {qname!r}: no ONNX converter for {type(layer).__name__}. "
                f"Layers that export: {', '.join(sorted(CONVERTERS))}"
            )
    in_shape = tuple(model.layers[0].input_shape)
    g = GraphBuilder(onnx, opset)
    dims: list[Any] = [
        "batch",
        *(d if d is not None else ("height", "width")[i] for i, d in enumerate(in_shape)),
    ]
    if len(in_shape) == 3:
        x = Tensor(g.add("Transpose", ["input"], "nchw", perm=[0, 3, 1, 2]), "nchw", in_shape)
    elif len(in_shape) == 1:
        x = Tensor("input", "flat", in_shape)
    else:
        raise OnnxExportError(f"inputs must be images (H, W, C) or features (D,). Received: {in_shape}")
    for qname, layer in leaves:
        g.scope = qname
        x = CONVERTERS[type(layer).__name__](g, layer, x)
    g.scope = ""
    last = x.name
    if x.layout == "nchw":
        last = g.add("Transpose", [last], "output_nhwc", perm=[0, 2, 3, 1])
    if last == "input":
        last = g.add("Identity", [last])
    g.nodes.append(onnx.helper.make_node("Identity", [last], ["output"], name="output_node"))
    out_dims: list[Any] = ["batch", *(d if d is not None else None for d in x.shape)]
    graph = onnx.helper.make_graph(
        g.nodes,
        str(model.name),
        [_value_info(onnx, "input", dims)],
        [_value_info(onnx, "output", out_dims)],
        g.initializers,
    )
    proto = onnx.helper.make_model(
        graph,
        opset_imports=[onnx.helper.make_opsetid("", opset)],
        producer_name="convscope",
        producer_version=_version(),
        doc_string=f"ConvScope model {model.name!r}: input NHWC float32, output {model.output_kind}",
    )
    props = {"output_kind": model.output_kind, **(metadata or {})}
    onnx.helper.set_model_props(
        proto, {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in props.items()}
    )
    onnx.checker.check_model(proto, full_check=True)
    return proto


def _version() -> str:
    from engine import __version__

    return __version__


def export_onnx(
    model: Any, path: PathLike, opset: int = DEFAULT_OPSET, metadata: Mapping[str, Any] | None = None
) -> Path:
    """Write ``model`` as an ONNX file at ``path`` (atomically: a failed export never leaves a partial file).

    The graph's input is ``input`` (float32 NHWC ``[batch, H, W, C]``), its output ``output``; see the module
    docstring for how each layer is written and :func:`to_onnx` for ``opset``, ``metadata`` and the errors.
    Returns the path written.

    Examples
    --------
    >>> engine.export_onnx(model, "digits.onnx")            # doctest: +SKIP
    >>> import onnxruntime as ort                             # doctest: +SKIP
    >>> ort.InferenceSession("digits.onnx").run(None, {"input": x})[0]  # == model.predict(x)
    """
    from engine.io import atomic_write

    proto = to_onnx(model, opset=opset, metadata=metadata)
    onnx = _onnx()
    return atomic_write(path, lambda tmp: onnx.save_model(proto, str(tmp)))
