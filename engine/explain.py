"""What a trained network looks at and what its layers detect, headless (no Qt): saliency, Grad-CAM,
occlusion, receptive fields, the patches that excite a channel most, and every layer's response to a shift.

Every gradient here comes from the layers' own ``backward`` pass, on the model's backend
(``Sequential(backend=...)`` or the current one), so the maps are whatever the engine computes, on any tier.
The gradient passes run on shallow copies of the layers (sharing the weights): the model's own layers, their
``grads`` and cached inputs are left as they were. Images are one ``(H, W, C)`` array (``(H, W)`` for a
one-channel model), any numeric dtype, scaled as the model was trained.

"Score of class c" means the value before a final softmax or sigmoid (the logit): when the model ends in one
(``model.output_kind == "probabilities"``), the layer that applies it is run without its activation.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from engine import config, shapes
from engine.layers import Conv2D, Conv2DTranspose, Layer
from engine.training import softmax_rows

__all__ = [
    "LayerChange",
    "ReceptiveField",
    "ShiftResponse",
    "TopPatch",
    "grad_cam",
    "occlusion",
    "receptive_box",
    "receptive_field",
    "receptive_fields",
    "saliency",
    "shift_image",
    "shift_response",
    "top_patches",
]

#: ``(top, left, bottom, right)``, bottom and right exclusive: ``image[top:bottom, left:right]``
Box = tuple[int, int, int, int]

_PROBABILITY_ACTIVATIONS = ("softmax", "sigmoid")
#: images per predict/activations call (occlusion, top patches, shifts): bounds the memory of one batch
_CHUNK = 256


# -- validation ----------------------------------------------------------------------------------------------
def _leaves(model: Any) -> list[tuple[str, Layer]]:
    if not callable(getattr(model, "iter_leaves", None)):
        raise TypeError(f"model must be an engine Sequential. Received: {type(model).__name__}")
    leaves = list(model.iter_leaves())
    if not leaves:
        raise ValueError(f"model {model.name!r} has no layers")
    return leaves


def _int(value: Any, name: str, low: int | None = None, high: int | None = None, what: str = "") -> int:
    """``value`` as an int in ``[low, high]``; a ValueError/TypeError naming ``name`` otherwise."""
    if isinstance(value, bool) or not hasattr(value, "__index__"):
        raise TypeError(f"{name} must be an int. Received: {name}={value!r}")
    v = int(value)
    if (low is not None and v < low) or (high is not None and v > high):
        allowed = f">= {low}" if high is None else f"in [{low}, {high}]"
        raise ValueError(f"{name} must be {allowed}{what}. Received: {name}={value!r}")
    return v


def _images(model: Any, x: Any, name: str, batch: bool) -> np.ndarray:
    """``x`` checked against the model's input as float32 ``(N, H, W, C)`` (``batch``) or ``(H, W, C)``."""
    xa = np.asarray(x)
    if xa.dtype == object or not (np.issubdtype(xa.dtype, np.number) or xa.dtype == np.bool_):
        raise TypeError(f"{name} must be a numeric array. Received dtype: {xa.dtype}")
    if not model.built:
        if xa.ndim != 3 + int(batch):
            raise ValueError(
                f"model {model.name!r} is not built: give its first layer input_shape=(H, W, C), or pass "
                f"{name} with a channel axis. Received shape: {xa.shape}"
            )
        model.build(xa.shape[1:] if batch else xa.shape)
    expected = tuple(model.input_shape)
    rank = len(expected) + int(batch)
    if xa.ndim == rank - 1 and expected[-1] == 1:
        xa = xa[..., None]  # one-channel images given without their channel axis
    sizes = xa.shape[int(batch) :]
    if xa.ndim != rank or any(e is not None and e != d for e, d in zip(expected, sizes, strict=True)):
        want = ", ".join("?" if e is None else str(e) for e in expected)
        want = f"(N, {want})" if batch else f"({want})"
        raise ValueError(
            f"{name} must have shape {want} for model {model.name!r}. Received shape: {np.shape(x)}"
        )
    if batch and xa.shape[0] == 0:
        raise ValueError(f"{name} is empty: give at least one image")
    xa = np.ascontiguousarray(xa, dtype=np.float32)
    if not xa.flags.writeable:  # Numba compiles read-only arrays as another type: one more compile per kernel
        xa = xa.copy()
    if not np.isfinite(xa).all():
        raise ValueError(f"{name} contains NaN or inf values")
    return xa


def _layer_index(model: Any, layer: Any, leaves: list[tuple[str, Layer]]) -> int:
    """Position in ``model.iter_leaves()`` of ``layer``: a (qualified) name, an index, or the layer itself."""
    names = [n for n, _ in leaves]
    if isinstance(layer, str):
        if layer in names:
            return names.index(layer)
        short = [i for i, (n, _) in enumerate(leaves) if n.rsplit("/", 1)[-1] == layer]
        if len(short) == 1:
            return short[0]
        raise ValueError(f"no layer named {layer!r} in model {model.name!r}. Layers: {names}")
    if isinstance(layer, Layer):
        for i, (_, leaf) in enumerate(leaves):
            if leaf is layer:
                return i
        raise ValueError(f"layer {layer.name!r} is not in model {model.name!r}. Layers: {names}")
    n = len(leaves)
    i = _int(layer, "layer", -n, n - 1, f" (model {model.name!r} has {n} layers)")
    return i % n


def _class_count(model: Any, image_shape: tuple[int, ...], what: str) -> int:
    out = tuple(model.compute_output_shape(image_shape))
    if len(out) != 1:
        raise ValueError(
            f"{what} needs a model whose output is a vector of class scores (K,). "
            f"Model {model.name!r} outputs shape {out}"
        )
    return int(out[0])


def _class_index(class_index: Any, k: int) -> int:
    return _int(class_index, "class_index", 0, k - 1, f" (the model has {k} outputs)")


def _probabilities(model: Any, x: np.ndarray) -> np.ndarray:
    """Class probabilities ``(N, K)`` for the batch ``x``: the outputs, softmaxed when they are logits."""
    out = model.predict(x, batch_size=_CHUNK)
    return out if model.output_kind == "probabilities" else softmax_rows(out)


# -- gradients through the layers' own backward pass ---------------------------------------------------------
def _score_path(model: Any, leaves: list[tuple[str, Layer]]) -> list[Layer]:
    """Shallow copies of the leaves (own ``grads``, shared weights) computing the class scores: when the model
    ends in a softmax or sigmoid (``output_kind``), the copy of the layer applying it gets a linear
    ``activation`` (a Dense keeps its ``x @ W + b``, a Softmax layer becomes the identity)."""
    path = []
    for _, layer in leaves:
        clone: Any = copy.copy(layer)
        clone.grads = {}
        path.append(clone)
    if model.output_kind == "probabilities":
        for clone in reversed(path):
            if getattr(clone, "activation", None) in _PROBABILITY_ACTIVATIONS:
                clone.activation = "linear"
                break
    return path


def _score_gradient(
    model: Any, x: np.ndarray, class_index: int, down_to: int
) -> tuple[np.ndarray, np.ndarray]:
    """Run ``x (H, W, C)`` through the score path, then back-propagate ``d score_c``; returns the gradient of
    the score w.r.t. the input of leaf ``down_to`` (the image for 0) and that input, without batch axis."""
    path = _score_path(model, _leaves(model))
    with config.using_backend(getattr(model, "backend", None)):
        a = x[None]  # (1, H, W, C)
        kept = a
        for i, layer in enumerate(path):
            if i == down_to:
                kept = a
            a = layer.forward(a, training=False)
        if down_to == len(path):
            kept = a
        grad = np.zeros_like(a)  # (1, K)
        grad[0, class_index] = 1.0
        for layer in reversed(path[down_to:]):
            dx = layer.backward(grad, need_dx=True)
            assert dx is not None  # need_dx=True always returns the input gradient
            grad = dx
    return np.asarray(grad[0], dtype=np.float32), np.asarray(kept[0], dtype=np.float32)


def saliency(model: Any, x: Any, class_index: int) -> np.ndarray:
    """Vanilla gradient saliency map of class ``class_index`` for one image.

    Parameters
    ----------
    model : a built (or buildable) :class:`engine.models.Sequential` whose output is a vector of K classes.
    x : one image ``(H, W, C)`` (``(H, W)`` for one channel), scaled as the model's training data.
    class_index : the class whose score is explained, in ``[0, K)``.

    Returns
    -------
    np.ndarray
        ``(H, W)`` float32: ``max_c |d logit_class / d x[:, :, c]|`` over the input channels. Large where a
        small change of the pixel would change the class score most.

    Notes
    -----
    Simonyan, Vedaldi & Zisserman (2014), "Deep Inside Convolutional Networks: Visualising Image
    Classification Models and Saliency Maps", section 3. The score is taken before a final softmax, as there.
    """
    _leaves(model)
    xa = _images(model, x, "x", batch=False)
    c = _class_index(class_index, _class_count(model, xa.shape, "saliency"))
    grad, _ = _score_gradient(model, xa, c, 0)  # (H, W, C)
    return np.abs(grad).max(axis=-1).astype(np.float32)  # (H, W)


def _is_map(shape: Sequence[Any]) -> bool:
    return len(shape) == 3


def grad_cam(model: Any, x: Any, class_index: int, layer: Any = None) -> np.ndarray:
    """Grad-CAM heat map of class ``class_index`` at the resolution of one layer's feature maps.

    Parameters
    ----------
    model : a :class:`engine.models.Sequential` whose output is a vector of K classes.
    x : one image ``(H, W, C)`` (``(H, W)`` for one channel).
    class_index : the class whose score is explained, in ``[0, K)``.
    layer : the layer whose maps ``A (h, w, K_maps)`` are weighted: a name (``"base/conv2d_1"`` in a nested
        model), an index into ``model.iter_leaves()``, or the layer object. Default: the last ``Conv2D``. Any
        layer whose output is a stack of feature maps (a pooling after the conv, say) is accepted.

    Returns
    -------
    np.ndarray
        ``(h, w)`` float32 in ``[0, 1]``: ``relu(sum_k alpha_k A_k)`` with ``alpha_k`` the spatial mean of
        ``d logit_class / d A_k``, divided by its maximum when that is > 0 (all zeros otherwise: no region
        speaks for the class). Upsample it to ``(H, W)`` to overlay it on the image.

    Notes
    -----
    Selvaraju et al. (2017), "Grad-CAM: Visual Explanations from Deep Networks via Gradient-based
    Localization", equations 1 and 2. Behind a Flatten head each position has its own weights; their spatial
    means are then mostly negative and the weighted sum can be below zero everywhere, leaving an empty map
    (66 of 100 test digits for ``zoo.small`` trained one epoch on the digits, whose last conv is followed by
    pooling and Flatten; none for ``zoo.lesson`` or ``zoo.lesson_gmp``, whose last conv is at 7x7).
    """
    leaves = _leaves(model)
    xa = _images(model, x, "x", batch=False)
    c = _class_index(class_index, _class_count(model, xa.shape, "grad_cam"))
    convs = [name for name, leaf in leaves if isinstance(leaf, Conv2D)]
    if layer is None:
        if not convs:
            raise ValueError(
                f"grad_cam needs a convolutional layer, and model {model.name!r} has none. "
                f"Layers: {[n for n, _ in leaves]}"
            )
        index = [n for n, _ in leaves].index(convs[-1])
    else:
        index = _layer_index(model, layer, leaves)
    out_shape = xa.shape
    for _, leaf in leaves[: index + 1]:
        out_shape = tuple(leaf.compute_output_shape(out_shape))
    if not _is_map(out_shape):
        raise ValueError(
            f"grad_cam needs a layer with feature maps (h, w, channels), such as a conv layer: "
            f"{leaves[index][0]!r} outputs shape {out_shape}. Conv layers: {convs}"
        )
    # the gradient w.r.t. layer index's output is the gradient w.r.t. the next layer's input
    d_a, a = _score_gradient(model, xa, c, index + 1)  # (h, w, K_maps) each
    alpha = d_a.astype(np.float64).mean(axis=(0, 1))  # (K_maps,)
    cam = np.maximum(a.astype(np.float64) @ alpha, 0.0)  # (h, w)
    top = cam.max()
    return (cam / top if top > 0 else cam).astype(np.float32)


# -- occlusion -----------------------------------------------------------------------------------------------
def occlusion(
    model: Any, x: Any, class_index: int, patch: int = 4, stride: int = 2, fill: float = 0.0
) -> np.ndarray:
    """Occlusion sensitivity: how much the class probability drops when a square of the image is hidden.

    Parameters
    ----------
    model : a :class:`engine.models.Sequential` whose output is a vector of K classes.
    x : one image ``(H, W, C)`` (``(H, W)`` for one channel).
    class_index : the class whose probability is watched, in ``[0, K)``.
    patch : side of the hidden square, in pixels (``1 <= patch <= min(H, W)``).
    stride : pixels between the top-left corners of neighbouring squares (>= 1).
    fill : the value written into the square (0 = background for images scaled to [0, 1]).

    Returns
    -------
    np.ndarray
        ``(oh, ow)`` float32 with ``oh = (H - patch) // stride + 1`` (the corners a valid convolution would
        use): ``p_class(x) - p_class(x with the square at (i * stride, j * stride) set to fill)``. Positive
        where hiding the region hurts the class; the occluded images go through ``model.predict`` in batches.

    Notes
    -----
    Zeiler & Fergus (2014), "Visualizing and Understanding Convolutional Networks", section 4.2.
    """
    _leaves(model)
    xa = _images(model, x, "x", batch=False)
    c = _class_index(class_index, _class_count(model, xa.shape, "occlusion"))
    h, w = xa.shape[:2]
    patch = _int(patch, "patch", 1, min(h, w), f" (the image is {h}x{w})")
    stride = _int(stride, "stride", 1)
    try:
        value = float(fill)
    except (TypeError, ValueError):
        raise TypeError(f"fill must be a number. Received: fill={fill!r}") from None
    if not np.isfinite(value):
        raise ValueError(f"fill must be a finite number. Received: fill={fill!r}")
    oh, ow = (h - patch) // stride + 1, (w - patch) // stride + 1
    base = float(_probabilities(model, xa[None])[0, c])
    corners = [(i * stride, j * stride) for i in range(oh) for j in range(ow)]
    drop = np.empty(len(corners), np.float32)
    for start in range(0, len(corners), _CHUNK):
        chunk = corners[start : start + _CHUNK]
        batch = np.repeat(xa[None], len(chunk), axis=0)  # (B, H, W, C)
        for b, (top, left) in enumerate(chunk):
            batch[b, top : top + patch, left : left + patch, :] = value
        drop[start : start + len(chunk)] = base - _probabilities(model, batch)[:, c]
    return drop.reshape(oh, ow)


# -- receptive fields ----------------------------------------------------------------------------------------
class ReceptiveField(NamedTuple):
    """The input pixels one output cell of a layer sees (``size``) and the distance between the fields of
    two neighbouring cells (``jump``, the product of the strides below). For layers without a spatial grid
    (Flatten, Dense, global pooling) the field is the whole input and ``jump`` equals ``size``."""

    size_h: int
    size_w: int
    jump_h: int
    jump_w: int


@dataclass(frozen=True)
class _Geometry:
    size: tuple[int, int]
    jump: tuple[int, int]
    start: tuple[int | None, int | None]  # input row/column where cell (0, 0)'s field starts (padding: < 0)
    out_shape: tuple[Any, ...]
    whole: bool  # no spatial grid: every output sees the whole input


def _window(layer: Layer) -> tuple[tuple[int, int], tuple[int, int], Any] | None:
    """``(effective window, strides, padding)`` of a layer that slides a window (conv, windowed pooling)."""
    size = getattr(layer, "kernel_size", None) or getattr(layer, "pool_size", None)
    strides = getattr(layer, "strides", None)
    if size is None or strides is None:
        return None
    rate = getattr(layer, "dilation_rate", (1, 1))
    k = (int((size[0] - 1) * rate[0] + 1), int((size[1] - 1) * rate[1] + 1))
    return k, (int(strides[0]), int(strides[1])), getattr(layer, "padding", "valid")


def _geometries(model: Any, leaves: list[tuple[str, Layer]], input_hw: Any) -> list[_Geometry]:
    """Receptive-field geometry after each leaf, walking from the input (the standard recurrence:
    ``size += (k - 1) * jump``, ``start -= pad_before * jump``, ``jump *= stride``)."""
    first = model.input_shape if model.built else leaves[0][1].input_shape
    shape: tuple[Any, ...] = tuple(first or ())
    if len(shape) != 3:
        raise ValueError(
            f"receptive fields need a model taking images (H, W, C). Model {model.name!r} input: {shape}"
        )
    if input_hw is not None:
        if not isinstance(input_hw, (tuple, list)) or len(input_hw) != 2:
            raise ValueError(f"input_hw must be a pair (H, W). Received: input_hw={input_hw!r}")
        hw = (_int(input_hw[0], "input_hw[0]", 1), _int(input_hw[1], "input_hw[1]", 1))
        for fixed, given in zip(shape[:2], hw, strict=True):
            if fixed is not None and fixed != given:
                raise ValueError(
                    f"model {model.name!r} takes {shape[0]}x{shape[1]} images. "
                    f"Received: input_hw={input_hw!r}"
                )
        shape = (*hw, shape[2])
    size, jump, start = [1, 1], [1, 1], [0, 0]
    known: list[bool] = [True, True]
    whole = False
    out: list[_Geometry] = []
    for name, layer in leaves:
        out_shape = tuple(layer.compute_output_shape(shape))
        if isinstance(layer, Conv2DTranspose) and not whole:
            raise ValueError(
                f"receptive fields: layer {name!r} is a transposed convolution, which spreads each input "
                "cell over a window of its output (a stride s one makes neighbouring outputs 1/s input "
                "cells apart); this module models sliding windows only"
            )
        window = None if whole else _window(layer)
        if window is not None and _is_map(shape):
            k, s, padding = window
            if padding == "same" and None in shape[:2]:
                pads = None
            else:
                sizes = (1 if shape[0] is None else shape[0], 1 if shape[1] is None else shape[1])
                pads = shapes.resolve_padding(padding, sizes, k, s)
            for axis in (0, 1):
                size[axis] += (k[axis] - 1) * jump[axis]
                if pads is None:
                    known[axis] = False
                else:
                    start[axis] -= pads[2 * axis] * jump[axis]
                jump[axis] *= s[axis]
        elif not whole and not _is_map(out_shape):
            whole = True
        elif not whole and not (_is_map(shape) and out_shape[:2] == shape[:2]):
            raise ValueError(
                f"receptive fields: layer {name!r} ({type(layer).__name__}) changes the map size from "
                f"{shape[:2]} to {out_shape[:2]} in a way this module does not model"
            )
        out.append(
            _Geometry(
                (size[0], size[1]),
                (jump[0], jump[1]),
                (start[0] if known[0] else None, start[1] if known[1] else None),
                out_shape,
                whole,
            )
        )
        shape = out_shape
    return out


def _field(geo: _Geometry, in_hw: tuple[Any, ...], name: str, model: Any) -> ReceptiveField:
    if geo.whole:
        if None in in_hw[:2]:
            raise ValueError(
                f"layer {name!r} sees the whole input, and model {model.name!r} accepts any image size: "
                "pass input_hw=(H, W)"
            )
        return ReceptiveField(int(in_hw[0]), int(in_hw[1]), int(in_hw[0]), int(in_hw[1]))
    return ReceptiveField(geo.size[0], geo.size[1], geo.jump[0], geo.jump[1])


def _input_hw(model: Any, leaves: list[tuple[str, Layer]], input_hw: Any) -> tuple[Any, ...]:
    if input_hw is not None:
        return tuple(int(d) for d in input_hw)
    shape = tuple(model.input_shape) if model.built else tuple(leaves[0][1].input_shape or (None, None))
    return shape[:2]


def receptive_field(model: Any, layer: Any, input_hw: Any = None) -> ReceptiveField:
    """How many input pixels one cell of ``layer``'s output sees, and how far apart neighbouring fields start.

    Parameters
    ----------
    model : a :class:`engine.models.Sequential` taking images.
    layer : a name, an index into ``model.iter_leaves()`` or the layer object.
    input_hw : ``(H, W)`` of the input, needed only when the model accepts any size and the layer sees the
        whole input (after Flatten, global pooling, Dense).

    Returns
    -------
    ReceptiveField
        ``(size_h, size_w, jump_h, jump_w)``. Padding does not change them; layers that keep the map size
        (activations, dropout) pass them through.

    Notes
    -----
    From the input (``size = jump = 1``) through each window layer of kernel ``k`` and stride ``s``:
    ``size += (k - 1) * jump`` then ``jump *= s`` (Araujo, Norris & Sim, 2019, "Computing Receptive Fields
    of Convolutional Neural Networks", Distill). 3x3 conv -> 2x2 pool -> 3x3 conv: 3, 4 (jump 2), then 8.
    """
    leaves = _leaves(model)
    index = _layer_index(model, layer, leaves)
    geos = _geometries(model, leaves, input_hw)
    return _field(geos[index], _input_hw(model, leaves, input_hw), leaves[index][0], model)


def receptive_fields(model: Any, input_hw: Any = None) -> list[tuple[str, ReceptiveField]]:
    """:func:`receptive_field` of every leaf, in order: ``[(qualified_name, field), ...]`` (for a summary
    table)."""
    leaves = _leaves(model)
    geos = _geometries(model, leaves, input_hw)
    in_hw = _input_hw(model, leaves, input_hw)
    return [(name, _field(geo, in_hw, name, model)) for (name, _), geo in zip(leaves, geos, strict=True)]


def _boxes(
    geo: _Geometry, rows: np.ndarray, cols: np.ndarray, in_hw: tuple[int, int], clip: bool
) -> np.ndarray:
    """``(n, 4)`` int boxes ``(top, left, bottom, right)`` of the cells ``(rows, cols)``."""
    if geo.whole:
        boxes = np.tile(np.array([0, 0, in_hw[0], in_hw[1]]), (rows.size, 1))
        return boxes
    start_row, start_col = geo.start
    assert start_row is not None and start_col is not None  # unknown only for a whole-image geometry
    top = start_row + rows * geo.jump[0]
    left = start_col + cols * geo.jump[1]
    boxes = np.stack([top, left, top + geo.size[0], left + geo.size[1]], axis=1)
    if clip:
        boxes[:, 0::2] = np.clip(boxes[:, 0::2], 0, in_hw[0])
        boxes[:, 1::2] = np.clip(boxes[:, 1::2], 0, in_hw[1])
    return boxes


def receptive_box(model: Any, layer: Any, i: int, j: int, *, clip: bool = False, input_hw: Any = None) -> Box:
    """The input region ``(top, left, bottom, right)`` that cell ``(i, j)`` of ``layer``'s output sees.

    Parameters
    ----------
    model, layer : as for :func:`receptive_field`.
    i, j : the cell's row and column in the layer's output map (``(0, 0)`` for layers without a grid).
    clip : clip the box to the image; unclipped, a padded layer's box starts outside it (negative).
    input_hw : ``(H, W)``; needed when the model accepts any image size.

    Returns
    -------
    tuple of int
        ``(top, left, bottom, right)`` with bottom and right exclusive (``image[top:bottom, left:right]``):
        ``top = start_h + i * jump_h``, where ``start_h = -sum(pad_top * jump)`` over the window layers below,
        and ``bottom = top + size_h``.
    """
    leaves = _leaves(model)
    index = _layer_index(model, layer, leaves)
    geo = _geometries(model, leaves, input_hw)[index]
    in_hw = _input_hw(model, leaves, input_hw)
    name = leaves[index][0]
    if None in in_hw[:2]:
        raise ValueError(f"model {model.name!r} accepts any image size: pass input_hw=(H, W)")
    grid = (1, 1) if geo.whole else geo.out_shape[:2]
    i = _int(i, "i", 0, grid[0] - 1, f" (layer {name!r} has {grid[0]} rows)")
    j = _int(j, "j", 0, grid[1] - 1, f" (layer {name!r} has {grid[1]} columns)")
    box = _boxes(geo, np.array([i]), np.array([j]), (int(in_hw[0]), int(in_hw[1])), bool(clip))[0]
    return (int(box[0]), int(box[1]), int(box[2]), int(box[3]))


# -- top patches ---------------------------------------------------------------------------------------------
class TopPatch(NamedTuple):
    """One of the strongest responses of a channel: which image, where (the cell's receptive field clipped
    to the image, ``(top, left, bottom, right)``, bottom/right exclusive), and the activation value."""

    image_index: int
    box: Box
    activation: float


def _top_k(vals: np.ndarray, idx: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` largest ``vals`` and their ``idx`` (unordered); of equal values the lowest ``idx`` wins."""
    if vals.size <= k:
        return vals, idx
    kth = np.partition(vals, vals.size - k)[vals.size - k]  # the k-th largest value
    above = np.flatnonzero(vals > kth)
    ties = np.flatnonzero(vals == kth)
    ties = ties[np.argsort(idx[ties], kind="stable")[: k - above.size]]
    keep = np.concatenate([above, ties])
    return vals[keep], idx[keep]


def top_patches(model: Any, images: Any, layer: Any, channel: int, k: int = 9) -> list[TopPatch]:
    """The ``k`` image regions that excite one channel of one layer most (Zeiler & Fergus 2014, section 4).

    Parameters
    ----------
    model : a :class:`engine.models.Sequential` taking images.
    images : ``(N, H, W, C)`` (``(N, H, W)`` for one channel), e.g. validation images.
    layer : a name, an index into ``model.iter_leaves()`` or the layer object; a layer without a spatial grid
        (Dense, global pooling) counts as one cell per image, whose field is the whole image.
    channel : the channel (or unit) of that layer, in ``[0, channels)``.
    k : how many patches (fewer when the images have fewer cells).

    Returns
    -------
    list of TopPatch
        Strongest first; ties keep the order of (image, row, column). Activations come from
        ``model.activations`` in batches, the best cells kept by a partial sort (``np.partition``).
    """
    leaves = _leaves(model)
    xa = _images(model, images, "images", batch=True)
    index = _layer_index(model, layer, leaves)
    name = leaves[index][0]
    k = _int(k, "k", 1)
    in_hw = (int(xa.shape[1]), int(xa.shape[2]))
    geo = _geometries(model, leaves, in_hw)[index]
    channels = int(geo.out_shape[-1])
    channel = _int(channel, "channel", 0, channels - 1, f" (layer {name!r} has {channels} channels)")
    best_vals = np.empty(0, np.float32)
    best_idx = np.empty(0, np.int64)  # flat index over (image, row, column)
    cells = 1
    for start in range(0, xa.shape[0], _CHUNK):
        acts = model.activations(xa[start : start + _CHUNK])[index][1][..., channel]  # (B, h, w) or (B,)
        cells = int(np.prod(acts.shape[1:], dtype=np.int64))
        vals = acts.reshape(-1)
        idx = np.arange(vals.size, dtype=np.int64) + start * cells
        vals, idx = _top_k(vals, idx, k)
        best_vals, best_idx = _top_k(np.concatenate([best_vals, vals]), np.concatenate([best_idx, idx]), k)
    order = np.lexsort((best_idx, -best_vals.astype(np.float64)))  # strongest first, then flat position
    best_vals, best_idx = best_vals[order], best_idx[order]
    image, cell = np.divmod(best_idx, cells)
    width = 1 if geo.whole or len(geo.out_shape) != 3 else int(geo.out_shape[1])
    rows, cols = np.divmod(cell, width)
    boxes = _boxes(geo, rows, cols, in_hw, clip=True)
    return [
        TopPatch(int(n), (int(b[0]), int(b[1]), int(b[2]), int(b[3])), float(v))
        for n, b, v in zip(image, boxes, best_vals, strict=True)
    ]


# -- translation ---------------------------------------------------------------------------------------------
def shift_image(x: Any, dy: int, dx: int, fill: float = 0.0) -> np.ndarray:
    """``x`` moved ``dy`` pixels down and ``dx`` right (negative: up, left), ``fill`` entering at the borders.

    Parameters
    ----------
    x : ``(H, W)`` or ``(H, W, C)``.
    dy, dx : the shift in pixels; a shift of the full size or more leaves only ``fill``.

    Returns
    -------
    np.ndarray
        float32, shaped like ``x``: ``out[r, c] = x[r - dy, c - dx]`` where that pixel exists, else ``fill``.
    """
    xa = np.asarray(x)
    if xa.ndim not in (2, 3):
        raise ValueError(f"x must have shape (H, W) or (H, W, C). Received shape: {xa.shape}")
    dy, dx = _int(dy, "dy"), _int(dx, "dx")
    h, w = xa.shape[:2]
    out = np.full(xa.shape, fill, np.float32)
    if abs(dy) < h and abs(dx) < w:
        src = xa[max(-dy, 0) : h - max(dy, 0), max(-dx, 0) : w - max(dx, 0)]
        out[max(dy, 0) : h + min(dy, 0), max(dx, 0) : w + min(dx, 0)] = src
    return out


@dataclass(frozen=True)
class LayerChange:
    """One layer's output for a shifted image and how many of its values differ from the unshifted one's.

    ``relative_change`` says by how much: ``||a_shifted - a|| / ||a||`` (L2 over the whole output; 0 when
    nothing changed, inf when only a zero output changed). Many values can change by little: for
    ``zoo.lesson_gmp`` trained on the digits, a 1-px shift changes 99 % of the global max pooling values,
    by 8 % in L2 (100 test digits).
    """

    name: str
    output: np.ndarray  # the layer's output for the shifted image, without the batch axis
    changed: int
    total: int
    relative_change: float

    @property
    def share(self) -> float:
        """``changed / total``, in [0, 1]."""
        return self.changed / self.total if self.total else 0.0


@dataclass(frozen=True)
class ShiftResponse:
    """The network's response to the image shifted by ``shift = (dy, dx)``: per layer (input to output) the
    changed values, and the prediction. ``predicted``, ``probability`` and ``probabilities`` are None when
    the model's output is not a vector of classes."""

    shift: tuple[int, int]
    image: np.ndarray  # (H, W, C) the shifted image
    layers: list[LayerChange]
    predicted: int | None
    probability: float | None
    probabilities: np.ndarray | None  # (K,)

    def layer(self, name: str) -> LayerChange:
        """The change record of the layer named ``name``."""
        for change in self.layers:
            if change.name == name:
                return change
        raise KeyError(f"no layer named {name!r}. Layers: {[c.name for c in self.layers]}")


def _shifts(shifts: Any) -> list[tuple[int, int]]:
    if isinstance(shifts, (str, bytes)) or not isinstance(shifts, Iterable):
        raise TypeError(f"shifts must be a list of (dy, dx) pairs. Received: {shifts!r}")
    out = []
    for item in shifts:
        if not isinstance(item, (tuple, list, np.ndarray)) or len(item) != 2:
            raise ValueError(f"each shift must be a pair (dy, dx) of ints. Received: {item!r}")
        out.append((_int(item[0], "dy"), _int(item[1], "dx")))
    if not out:
        raise ValueError("shifts is empty: give at least one (dy, dx) pair")
    return out


def shift_response(model: Any, x: Any, shifts: Any, rtol: float = 1e-5) -> list[ShiftResponse]:
    """How every layer responds when the image moves: the lesson's claim that pooling removes position.

    Parameters
    ----------
    model : a :class:`engine.models.Sequential` taking images.
    x : one image ``(H, W, C)`` (``(H, W)`` for one channel).
    shifts : ``[(dy, dx), ...]``: pixels down and right (negative: up, left); zeros enter at the border.
    rtol : a value counts as changed when it differs from the unshifted one by more than ``rtol`` times the
        largest magnitude in that layer's unshifted output (float32 rounding is not a change).

    Returns
    -------
    list of ShiftResponse
        One per shift, in order; the images (unshifted first) go through ``model.activations`` together.
    """
    leaves = _leaves(model)
    xa = _images(model, x, "x", batch=False)
    moves = _shifts(shifts)
    tol = float(rtol)
    if not np.isfinite(tol) or tol < 0:
        raise ValueError(f"rtol must be a finite number >= 0. Received: rtol={rtol!r}")
    out_shape = tuple(model.compute_output_shape(xa.shape))
    k = int(out_shape[0]) if len(out_shape) == 1 else None
    probs_kind = model.output_kind == "probabilities"
    batch = np.stack([xa] + [shift_image(xa, dy, dx) for dy, dx in moves])  # (1 + S, H, W, C)
    outputs: list[list[np.ndarray]] = [[] for _ in leaves]
    for start in range(0, batch.shape[0], _CHUNK):
        for i, (_, a) in enumerate(model.activations(batch[start : start + _CHUNK])):
            outputs[i].append(a)
    per_layer = [np.concatenate(parts) for parts in outputs]  # each (1 + S, ...)
    result = []
    for s, move in enumerate(moves, start=1):
        changes = []
        for (name, _), a in zip(leaves, per_layer, strict=True):
            a0 = a[0].astype(np.float64)
            diff = np.abs(a[s].astype(np.float64) - a0)
            changed = int((diff > tol * float(np.abs(a0).max())).sum())
            norm, dnorm = float(np.linalg.norm(a0)), float(np.linalg.norm(diff)) if changed else 0.0
            relative = dnorm / norm if norm > 0 else (0.0 if dnorm == 0 else float("inf"))
            changes.append(LayerChange(name, a[s].copy(), changed, int(a[s].size), relative))
        predicted = probability = probabilities = None
        if k is not None:
            last = per_layer[-1][s]  # (K,)
            probabilities = last.copy() if probs_kind else softmax_rows(last[None])[0]
            predicted = int(np.argmax(probabilities))
            probability = float(probabilities[predicted])
        result.append(ShiftResponse(move, batch[s], changes, predicted, probability, probabilities))
    return result
