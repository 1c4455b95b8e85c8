"""Images and grids of images: grey levels, RGB, or blue-white-red for signed maps."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from engine.viz._base import (
    MAX_CELLS_WITH_VALUES,
    add_colorbar,
    as_image,
    draw_tiles,
    figure_and_ax,
    image_scale,
    rgb_for_display,
    write_values,
)


def show_image(
    image: Any,
    ax: Axes | None = None,
    title: str | None = None,
    *,
    colorbar: bool = True,
    values: bool | None = None,
) -> Figure:
    """One image or map: grey levels for an image in ``[0, 1]`` (or 0..255), blue-white-red for a signed map.

    Parameters
    ----------
    image : ``(H, W)``, ``(H, W, 1)``, ``(H, W, 3)`` or ``(1, H, W, C)``.
    ax : draw into this Axes.
    title : default ``"HxW"``.
    colorbar : add a colour bar (single-channel images).
    values : write each value in its cell; default: when the image has at most 100 cells.
    """
    a = as_image(image)
    h, w = a.shape[:2]
    fig, ax = figure_and_ax(ax, 1.2 + 4.0 * min(1.0, w / max(h, w)), 4.0)
    ax.set_title(title if title is not None else f"{h}x{w}" + (" RGB" if a.ndim == 3 else ""))
    ax.set_xticks([])
    ax.set_yticks([])
    if a.ndim == 3:
        ax.imshow(rgb_for_display(a), interpolation="nearest")
        return fig
    cmap, norm = image_scale(a)
    shown = ax.imshow(a, cmap=cmap, norm=norm, interpolation="nearest")
    if values if values is not None else a.size <= MAX_CELLS_WITH_VALUES:
        write_values(ax, a, cmap, norm)
    if colorbar:
        add_colorbar(fig, shown, ax)
    return fig


def show_images(
    images: Any, titles: Sequence[str] | None = None, ncols: int | None = None, ax: Axes | None = None
) -> Figure:
    """A grid of images of one size, ``(N, H, W)`` / ``(N, H, W, C)`` (e.g. a batch, or augmented copies),
    each with its title."""
    batch = np.asarray(images)
    if batch.ndim not in (3, 4) or len(batch) == 0:
        raise ValueError(
            f"images must have shape (N, H, W) or (N, H, W, C) with N >= 1. Received: {batch.shape}"
        )
    tiles = [as_image(im, "each image") for im in batch]
    if titles is not None and len(titles) != len(tiles):
        raise ValueError(f"titles must name each image: {len(tiles)} images, {len(titles)} titles")
    ncols = min(len(tiles), ncols or 8)
    nrows = -(-len(tiles) // ncols)
    fig, ax = figure_and_ax(ax, 0.2 + 1.25 * ncols, 0.3 + 1.45 * nrows)
    cmap, norm = (None, None) if tiles[0].ndim == 3 else image_scale(np.stack(tiles))
    if tiles[0].ndim == 3:
        tiles = [rgb_for_display(t) for t in tiles]
    draw_tiles(ax, tiles, ncols, cmap, norm, titles)
    return fig
