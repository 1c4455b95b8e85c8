"""What a network holds and computes: its learned filters, and each layer's feature maps for one image."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from engine.viz._base import (
    add_colorbar,
    draw_tiles,
    figure_and_ax,
    new_figure,
    signed_scale,
    write_values,
)
from engine.viz.images import show_image


def _pick_layer(model: Any, layer: Any) -> tuple[int, str, Any]:
    """``(position, qualified name, layer)`` among ``model.iter_leaves()`` for a name, a position or a
    layer."""
    leaves = list(model.iter_leaves())
    for k, (qname, leaf) in enumerate(leaves):
        if leaf is layer or (isinstance(layer, str) and layer in (qname, leaf.name)):
            return k, qname, leaf
    if (
        isinstance(layer, (int, np.integer))
        and not isinstance(layer, bool)
        and -len(leaves) <= layer < len(leaves)
    ):
        k = int(layer) % len(leaves)
        return k, leaves[k][0], leaves[k][1]
    raise ValueError(
        f"layer must be a name, a position or a layer of model {model.name!r}. Received: {layer!r}. "
        f"Layers: {[q for q, _ in leaves]}"
    )


def _layer_label(qname: str, layer: Any) -> str:
    activation = getattr(layer, "activation", None)
    extra = f", {activation}" if activation not in (None, "linear") else ""
    return f"{qname} ({type(layer).__name__}{extra})"


def show_filters(
    model: Any,
    layer: Any = None,
    ax: Axes | None = None,
    *,
    max_filters: int | None = None,
    max_channels: int = 8,
) -> Figure:
    """A convolution layer's filters as the network learned them, on one blue-white-red scale centred on 0.

    Parameters
    ----------
    model : a built :class:`engine.models.Sequential`.
    layer : a ``Conv2D`` by name (``"conv2d"``, ``"base/conv2d"``), position in ``model.iter_leaves()`` or
        object; default: the first ``Conv2D``.
    max_filters, max_channels : at most this many filters (columns; default 32 for one input channel, else
        16) and input channels (rows) are drawn. With one input channel the filters are laid out in rows of 8.
    """
    if layer is None:
        convs = [(q, la) for q, la in model.iter_leaves() if type(la).__name__ == "Conv2D"]
        if not convs:
            raise ValueError(f"model {model.name!r} has no Conv2D layer: no filters to show")
        layer = convs[0][1]
    _, qname, conv = _pick_layer(model, layer)
    kernel = conv.params.get("kernel") if isinstance(getattr(conv, "params", None), dict) else None
    if kernel is None or np.ndim(kernel) != 4:
        raise ValueError(f"show_filters needs a Conv2D layer; {qname!r} is {type(conv).__name__}")
    kh, kw, c_in, c_out = kernel.shape
    if max_filters is None:
        max_filters = 32 if c_in == 1 else 16
    n_f, n_c = min(c_out, max(int(max_filters), 1)), min(c_in, max(int(max_channels), 1))
    if c_in == 1:
        tiles = [kernel[:, :, 0, f] for f in range(n_f)]
        ncols = min(n_f, 8)
        captions = [f"filter {f}" for f in range(n_f)]
    else:
        tiles = [kernel[:, :, c, f] for c in range(n_c) for f in range(n_f)]
        ncols, captions = n_f, None
    nrows = -(-len(tiles) // ncols)
    fig, ax = figure_and_ax(ax, 1.6 + 0.9 * ncols, 1.0 + 0.95 * nrows)
    cmap, norm = signed_scale(np.stack(tiles))
    shown = draw_tiles(ax, tiles, ncols, cmap, norm, captions, tile_inches=0.75)
    if len(tiles) <= 8 and kh * kw <= 25:
        grid = np.ma.filled(np.ma.asarray(shown.get_array(), dtype=np.float64), np.nan)
        write_values(ax, grid, cmap, norm)
    if c_in > 1:
        ax.set_xlabel(f"filters 0..{n_f - 1}" + (f" (of {c_out})" if n_f < c_out else ""))
        ax.set_ylabel(f"input channels 0..{n_c - 1}" + (f" (of {c_in})" if n_c < c_in else ""))
    shown_note = f", first {n_f}" if n_f < c_out else ""
    flip = ", applied rotated 180° (flip=True)" if getattr(conv, "flip", False) else ""
    ax.set_title(f"{qname}: {c_out} filters {kh}x{kw}x{c_in}{shown_note}{flip}")
    add_colorbar(fig, shown, ax, "weight")
    return fig


def _feature_row(
    fig: Figure,
    ax: Axes,
    name: str,
    layer: Any,
    arr: np.ndarray,
    max_channels: int,
    class_names: Any,
    output_kind: str | None = None,
) -> None:
    """One layer's output in ``ax``: a tile per channel, or the values of a flat vector (``output_kind``:
    what the model's last layer gives, said in its title)."""
    a = np.asarray(arr, dtype=np.float32)[0]
    label = _layer_label(name, layer) if layer is not None else name
    kind = f" ({output_kind})" if output_kind else ""
    if a.ndim == 3:
        h, w, c = a.shape
        shown = min(c, max_channels)
        tiles = [a[:, :, ch] for ch in range(shown)]
        cmap, norm = signed_scale(np.stack(tiles))
        captions = [str(ch) for ch in range(shown)]
        image = draw_tiles(ax, tiles, min(shown, 16), cmap, norm, captions, 7.0, tile_inches=0.75)
        more = f", channels 0..{shown - 1} of {c}" if shown < c else ""
        ax.set_title(f"{label}: {h}x{w}x{c}{more}", fontsize=10, loc="left")
        ax.set_anchor("W")
        add_colorbar(fig, image, ax)
        return
    d = a.shape[0]
    cmap, norm = signed_scale(a)
    if d <= 32:
        bars = ax.bar(np.arange(d), a, color=[cmap(norm(v)) for v in a], edgecolor="0.4", linewidth=0.5)
        if output_kind and d > 1:  # the model's answer: the highest score, framed
            bars[int(np.argmax(a))].set(edgecolor="black", linewidth=2.0)
        ax.axhline(0.0, color="0.3", linewidth=0.8)
        names = list(class_names) if class_names is not None and len(class_names) == d else None
        ax.set_xticks(np.arange(d), names if names else [str(i) for i in range(d)], fontsize=8)
        if names and max(len(n) for n in names) > 3:
            ax.tick_params(axis="x", labelrotation=30)
        ax.set_xlim(-0.6, d - 0.4)
        top = int(np.argmax(a))
        verdict = f": predicted {names[top] if names else top}" if output_kind and d > 1 else ""
        ax.set_title(f"{label}: {d} values{kind}{verdict}", fontsize=10, loc="left")
        return
    width = 64
    grid = np.full(-(-d // width) * width, np.nan, np.float32)
    grid[:d] = a
    image = ax.imshow(grid.reshape(-1, width), cmap=cmap, norm=norm, interpolation="nearest", aspect="auto")
    ax.set_yticks([])
    ax.set_xticks([0, width - 1])
    ax.set_title(f"{label}: {d} values, in rows of {width}{kind}", fontsize=10, loc="left")
    add_colorbar(fig, image, ax)


def show_feature_maps(
    model: Any,
    x: Any,
    layer: Any = None,
    ax: Axes | None = None,
    *,
    max_channels: int = 16,
    class_names: Sequence[str] | None = None,
) -> Figure:
    """What each layer makes of one image: a map per channel (blue-white-red, white at 0, a colour bar per
    layer), a flat layer's values as bars (up to 32) or rows of cells.

    Parameters
    ----------
    model : a built :class:`engine.models.Sequential`.
    x : one image ``(H, W, C)`` (``(H, W)`` for one channel) or a batch of one ``(1, H, W, C)``.
    layer : one layer (name, position in ``model.iter_leaves()``, or object); None draws the input and
        every layer, one row each (then ``ax`` cannot be given).
    max_channels : at most this many channels per layer.
    class_names : labels for the last layer's bars.
    """
    acts = model.activations(x)
    image = np.asarray(x)
    leaves = [la for _, la in model.iter_leaves()]
    max_channels = max(int(max_channels), 1)
    per_row = min(max_channels, 16)
    width = 1.8 + 0.9 * per_row
    kinds = [None] * (len(acts) - 1) + [model.output_kind]
    if layer is not None:
        k, qname, picked = _pick_layer(model, layer)
        fig, ax = figure_and_ax(ax, width, _row_height(acts[k][1], max_channels))
        _feature_row(fig, ax, qname, picked, acts[k][1], max_channels, class_names, kinds[k])
        return fig
    if ax is not None:
        raise ValueError("ax can only be given with one layer (layer=...); layer=None draws every layer")
    heights = [2.2] + [_row_height(arr, max_channels) for _, arr in acts]
    fig = new_figure(width, sum(heights) + 0.4)
    axes = fig.subplots(len(heights), 1, gridspec_kw={"height_ratios": heights})
    show_image(image, ax=axes[0], title=f"input {'x'.join(map(str, np.shape(image)[-3:]))}", colorbar=False)
    axes[0].set_anchor("W")
    for row_ax, (name, arr), leaf, kind in zip(axes[1:], acts, leaves, kinds, strict=False):
        _feature_row(fig, row_ax, name, leaf, arr, max_channels, class_names, kind)
    fig.suptitle(f"{model.name}: each layer's output for one image", fontsize=12)
    return fig


def _row_height(arr: Any, max_channels: int) -> float:
    """Inches for one layer's row in :func:`show_feature_maps`."""
    shape = np.shape(arr)
    if len(shape) == 4:
        return 0.5 + 1.0 * -(-min(shape[3], max_channels) // 16)
    d = int(np.prod(shape[1:]))
    return 1.8 if d <= 32 else float(np.clip(0.7 + 0.08 * -(-d // 64), 1.2, 3.0))
