"""What each conv layer detects, without Qt: for every channel of one layer, the image regions that excite it
most (Zeiler & Fergus 2014), cropped to the layer's receptive field, next to the channel's filter.

:func:`layer_top_patches` gives, channel by channel, what :func:`engine.explain.top_patches` gives for one
channel (same order, same ties), from a single pass of ``model.activations`` over the images instead of one
pass per channel. It runs in the engine thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["ChannelPatches", "LayerPatches", "conv_layers", "layer_top_patches"]

_CHUNK = 128  # images per activations call


@dataclass
class ChannelPatches:
    """One channel: its filter ``(KH, KW, C_in)`` and its ``k`` strongest patches, strongest first.

    ``crops[n]`` is ``(size_h, size_w, C)`` float32, the receptive field of the patch's cell in its image, NaN
    where the field lies outside the image (padding); ``patches[n]`` is the matching
    :class:`engine.explain.TopPatch` (image index, clipped box, activation).
    """

    channel: int
    filter: np.ndarray
    patches: list[Any]
    crops: list[np.ndarray]


@dataclass
class LayerPatches:
    """Every channel of one conv layer (see :func:`layer_top_patches`)."""

    layer_index: int
    name: str
    field: Any  # engine.explain.ReceptiveField
    channels: list[ChannelPatches]
    n_images: int


def conv_layers(model: Any) -> list[tuple[int, str]]:
    """``(index in model.iter_leaves(), name)`` of every Conv2D."""
    return [
        (i, name) for i, (name, layer) in enumerate(model.iter_leaves()) if type(layer).__name__ == "Conv2D"
    ]


def _top(vals: np.ndarray, idx: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` largest ``vals`` with their ``idx``; of equal values the lowest ``idx`` is kept."""
    if vals.size <= k:
        return vals, idx
    kth = np.partition(vals, vals.size - k)[vals.size - k]
    above = np.flatnonzero(vals > kth)
    ties = np.flatnonzero(vals == kth)
    ties = ties[np.argsort(idx[ties], kind="stable")[: k - above.size]]
    keep = np.concatenate([above, ties])
    return vals[keep], idx[keep]


def layer_top_patches(model: Any, images: np.ndarray, layer: int, k: int = 9) -> LayerPatches:
    """The ``k`` strongest patches of every channel of leaf ``layer`` over ``images (N, H, W, C)``.

    Returns
    -------
    LayerPatches
        Per channel, what ``explain.top_patches(model, images, layer, channel, k)`` returns, plus the crops
        and the filter.
    """
    from engine import explain

    leaves = list(model.iter_leaves())
    name, leaf = leaves[layer]
    x = np.ascontiguousarray(images, np.float32)  # (N, H, W, C)
    n, h, w = x.shape[:3]
    field = explain.receptive_field(model, layer, input_hw=(h, w))
    origin = explain.receptive_box(model, layer, 0, 0, input_hw=(h, w))
    channels = cells = width = 0
    best_v: list[np.ndarray] = []
    best_i: list[np.ndarray] = []
    for start in range(0, n, _CHUNK):
        acts = model.activations(x[start : start + _CHUNK])[layer][1]  # (B, h, w, C)
        b, gh, gw, channels = acts.shape
        cells, width = gh * gw, gw
        flat = acts.reshape(b * cells, channels)  # rows in (image, row, column) order
        base = np.arange(b * cells, dtype=np.int64) + start * cells
        if not best_v:
            best_v = [np.empty(0, np.float32) for _ in range(channels)]
            best_i = [np.empty(0, np.int64) for _ in range(channels)]
        for c in range(channels):
            v, i = _top(flat[:, c], base, k)
            best_v[c], best_i[c] = _top(np.concatenate([best_v[c], v]), np.concatenate([best_i[c], i]), k)
    kernel = leaf.params["kernel"] if type(leaf).__name__ == "Conv2D" else None
    out = []
    for c in range(channels):
        vals, idx = best_v[c], best_i[c]
        order = np.lexsort((idx, -vals.astype(np.float64)))
        patches, crops = [], []
        for v, flat_index in zip(vals[order], idx[order], strict=True):
            image, cell = divmod(int(flat_index), cells)
            row, col = divmod(cell, width)
            top, left = origin[0] + row * field.jump_h, origin[1] + col * field.jump_w
            full = (top, left, top + field.size_h, left + field.size_w)
            clipped = (max(full[0], 0), max(full[1], 0), min(full[2], h), min(full[3], w))
            patches.append(explain.TopPatch(image, clipped, float(v)))
            crop = np.full((field.size_h, field.size_w, x.shape[3]), np.nan, np.float32)
            crop[clipped[0] - top : clipped[2] - top, clipped[1] - left : clipped[3] - left] = x[
                image, clipped[0] : clipped[2], clipped[1] : clipped[3]
            ]
            crops.append(crop)
        filt = np.array(kernel[:, :, :, c]) if kernel is not None else np.zeros((1, 1, 1), np.float32)
        out.append(ChannelPatches(c, filt, patches, crops))
    return LayerPatches(layer, name, field, out, n)
