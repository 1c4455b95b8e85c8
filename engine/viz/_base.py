"""What :mod:`engine.viz`'s figures share: the figure class, the app's colour maps, tile mosaics, cell values.

Private: the package :mod:`engine.viz` is the public face. Everything draws on
:class:`matplotlib.figure.Figure` with the Agg canvas attached explicitly, so neither ``matplotlib.pyplot``
nor the global backend of a notebook session is ever touched.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import Colormap, ListedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from engine._colormaps import COLORMAPS

PathLike = str | os.PathLike

#: blue < 0 < red, white at 0: the app's colours for signed maps (filters, feature maps, products)
SIGNED_CMAP = ListedColormap(COLORMAPS["diverging"] / 255.0, name="convscope_signed").with_extremes(
    bad=(1.0, 1.0, 1.0, 0.0)
)
#: the upper half of :data:`SIGNED_CMAP` (white at 0, red at the top) for maps without negative values
POSITIVE_CMAP = ListedColormap(COLORMAPS["diverging"][128:] / 255.0, name="convscope_positive").with_extremes(
    bad=(1.0, 1.0, 1.0, 0.0)
)
GRAY_CMAP = ListedColormap(COLORMAPS["gray"] / 255.0, name="convscope_gray").with_extremes(
    bad=(1.0, 1.0, 1.0, 0.0)
)
TRAIN_COLOUR, VAL_COLOUR = "#1f77b4", "#ff7f0e"
#: the frame of the sliding window (the app's amber)
WINDOW_COLOUR = "#e6a100"
#: write values in cells when an array has at most this many cells (a 9x9 map stays readable)
MAX_CELLS_WITH_VALUES = 100


class VizFigure(Figure):
    """A matplotlib ``Figure`` on the Agg canvas that a notebook shows as a PNG when a cell returns it,
    without pyplot (IPython calls :meth:`_repr_png_`; where matplotlib's inline support is active it draws
    the figure itself)."""

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", bbox_inches="tight")
        return buffer.getvalue()


def new_figure(width: float, height: float) -> VizFigure:
    """A ``width`` x ``height`` inch figure (100 dpi) with constrained layout and an Agg canvas."""
    fig = VizFigure(figsize=(max(width, 2.0), max(height, 1.5)), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def subplots(
    nrows: int = 1, ncols: int = 1, figsize: tuple[float, float] | None = None, **kwargs: Any
) -> Any:
    """``(figure, axes)`` like ``pyplot.subplots``, without pyplot: a figure a notebook shows and
    :func:`save_figure` writes, to lay several drawings side by side through their ``ax=``.

    ``figsize`` defaults to 4 x 3.5 inches per Axes; ``kwargs`` go to :meth:`Figure.subplots` (``sharey``,
    ``gridspec_kw``...).
    """
    for name, value in (("nrows", nrows), ("ncols", ncols)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be an int >= 1. Received: {name}={value!r}")
    width, height = figsize if figsize is not None else (4.0 * ncols, 3.5 * nrows)
    fig = new_figure(width, height)
    return fig, fig.subplots(nrows, ncols, **kwargs)


def root_figure(ax: Axes) -> Figure:
    """The top-level figure that holds ``ax`` (through any subfigures)."""
    fig = ax.figure
    while not isinstance(fig, Figure):
        fig = fig.figure
    return fig


def figure_and_ax(ax: Axes | None, width: float, height: float) -> tuple[Figure, Axes]:
    """``ax``'s figure and ``ax``, or a new figure with one Axes."""
    if ax is not None:
        if not isinstance(ax, Axes):
            raise TypeError(f"ax must be a matplotlib Axes or None. Received: {type(ax).__name__}")
        return root_figure(ax), ax
    fig = new_figure(width, height)
    return fig, fig.add_subplot()


def save_figure(fig: Figure, path: PathLike, dpi: int = 100) -> Path:
    """Write ``fig`` to ``path`` (the format from the extension: ``.png``, ``.svg``, ``.pdf``...), atomically;
    returns the path."""
    from engine.io import atomic_write

    p = Path(path)
    formats = FigureCanvasAgg(Figure()).get_supported_filetypes()
    fmt = p.suffix.lower().lstrip(".")
    if fmt not in formats:
        raise ValueError(
            f"{str(p)!r}: unknown figure format {p.suffix!r}; use one of "
            f"{', '.join('.' + f for f in sorted(formats))}"
        )
    if fig.canvas is None or not hasattr(fig.canvas, "print_figure"):
        FigureCanvasAgg(fig)
    return atomic_write(p, lambda tmp: fig.savefig(tmp, format=fmt, dpi=dpi, facecolor="white"))


# ------------------------------------------------------------------------------------------- colours


def signed_scale(values: Any) -> tuple[Colormap, Normalize]:
    """The colour map and range for a signed map, white at 0: ``[-m, m]`` on blue-white-red when any value is
    negative, else ``[0, m]`` on white-red (``m`` = the largest magnitude, 1 for an all-zero map)."""
    a = np.asarray(values, dtype=np.float64)
    finite = a[np.isfinite(a)]
    m = float(np.abs(finite).max()) if finite.size else 0.0
    m = m if m > 0 else 1.0
    if finite.size and float(finite.min()) < 0:
        return SIGNED_CMAP, Normalize(-m, m)
    return POSITIVE_CMAP, Normalize(0.0, m)


def image_scale(values: Any) -> tuple[Colormap, Normalize]:
    """Grey levels for an image: ``[0, 1]`` when the values lie in it, else the data's range; a signed image
    (negative values) gets :func:`signed_scale`."""
    a = np.asarray(values, dtype=np.float64)
    finite = a[np.isfinite(a)]
    lo = float(finite.min()) if finite.size else 0.0
    hi = float(finite.max()) if finite.size else 1.0
    if lo < 0:
        return signed_scale(a)
    if hi <= 1.0:
        return GRAY_CMAP, Normalize(0.0, 1.0)
    return GRAY_CMAP, Normalize(lo, hi if hi > lo else lo + 1.0)


def as_image(image: Any, name: str = "image") -> np.ndarray:
    """``image`` as float ``(H, W)`` or ``(H, W, 3)``: a batch of one, ``(H, W, 1)`` and uint8
    (0..255 -> 0..1) are accepted."""
    a = np.asarray(image)
    if a.ndim == 4 and a.shape[0] == 1:
        a = a[0]
    if a.ndim == 3 and a.shape[2] == 1:
        a = a[:, :, 0]
    if not (a.ndim == 2 or (a.ndim == 3 and a.shape[2] == 3)):
        raise ValueError(
            f"{name} must have shape (H, W), (H, W, 1), (H, W, 3) or (1, H, W, C). Received shape: {a.shape}"
        )
    if a.dtype == np.uint8:
        return a.astype(np.float32) / np.float32(255.0)
    if not np.issubdtype(a.dtype, np.number) and a.dtype != np.bool_:
        raise TypeError(f"{name} must be numeric. Received dtype: {a.dtype}")
    return a.astype(np.float32)


def rgb_for_display(a: np.ndarray) -> np.ndarray:
    """An ``(H, W, 3)`` array in ``[0, 1]``: kept when it lies there, else stretched from its min..max."""
    lo, hi = float(np.nanmin(a)), float(np.nanmax(a))
    if lo >= 0.0 and hi <= 1.0:
        return a
    return (a - lo) / (hi - lo if hi > lo else 1.0)


def add_colorbar(fig: Figure, mappable: Any, ax: Axes, label: str | None = None) -> None:
    bar = fig.colorbar(mappable, ax=ax, shrink=0.9, pad=0.02)
    if label:
        bar.set_label(label)


# -------------------------------------------------------------------------------------------- mosaics


def mosaic(
    tiles: Sequence[np.ndarray], ncols: int, gap_h: int = 1, gap_w: int = 1
) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Tiles of one shape ``(h, w)`` or ``(h, w, 3)`` laid out row by row, ``gap_h`` / ``gap_w`` cells apart,
    as one array whose gaps are NaN (transparent). Returns the array and each tile's ``(top, left)``."""
    h, w = tiles[0].shape[:2]
    nrows = -(-len(tiles) // ncols)
    extra = tiles[0].shape[2:]
    out = np.full((nrows * (h + gap_h) - gap_h, ncols * (w + gap_w) - gap_w, *extra), np.nan, np.float32)
    corners = []
    for k, tile in enumerate(tiles):
        top, left = (k // ncols) * (h + gap_h), (k % ncols) * (w + gap_w)
        out[top : top + h, left : left + w] = tile
        corners.append((top, left))
    return out, corners


def draw_tiles(
    ax: Axes,
    tiles: Sequence[np.ndarray],
    ncols: int,
    cmap: Colormap | None,
    norm: Normalize | None,
    captions: Sequence[str] | None = None,
    caption_size: float = 8.0,
    tile_inches: float = 0.8,
) -> Any:
    """Draw ``tiles`` as one mosaic image in ``ax`` (one ``imshow``), each framed, with its caption above it;
    returns the image (for a colour bar). RGB tiles ignore ``cmap`` / ``norm``.

    ``tile_inches`` is about how tall a tile will be drawn: it sizes the room left for the captions.
    """
    h, w = tiles[0].shape[:2]
    lines = max((c.count("\n") + 1 for c in captions), default=0) if captions else 0
    room = int(np.ceil(lines * caption_size * 1.3 / 72.0 / tile_inches * h)) if lines else 0
    gap_w = max(1, round(w * 0.12))
    grid, corners = mosaic(tiles, ncols, gap_h=max(1, round(h * 0.12)) + room, gap_w=gap_w)
    if grid.ndim == 3:
        alpha = np.isfinite(grid[:, :, :1]).astype(np.float32)
        grid = np.concatenate([np.nan_to_num(grid, nan=1.0), alpha], axis=2)
        image = ax.imshow(np.clip(grid, 0.0, 1.0), interpolation="nearest")
    else:
        image = ax.imshow(grid, cmap=cmap, norm=norm, interpolation="nearest")
    ax.set_ylim(grid.shape[0] - 0.5, -0.5 - room)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    for k, (top, left) in enumerate(corners):
        ax.add_patch(
            Rectangle(
                (left - 0.5, top - 0.5), w, h, fill=False, edgecolor="0.75", linewidth=0.6, clip_on=False
            )
        )
        if captions and k < len(captions):
            ax.text(
                left + w / 2 - 0.5,
                top - 0.5 - room * 0.08,
                captions[k],
                ha="center",
                va="bottom",
                fontsize=caption_size,
                linespacing=1.1,
            )
    return image


def write_values(
    ax: Axes,
    values: np.ndarray,
    cmap: Colormap,
    norm: Normalize,
    cells: Any = None,
    size: float | None = None,
) -> None:
    """Write each value of the 2-D ``values`` (drawn at cell ``(row, col)``) in its cell, in black or white,
    whichever reads better on the cell's colour. ``cells``: a boolean mask of the cells to write (default
    all); ``size``: the font size, default from the cell's size on screen (at most 14 points; nothing is
    written when that would be under 5.5)."""
    h, w = values.shape
    if size is None:
        box = ax.get_window_extent()
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        cell_px = min(box.width / max(abs(x1 - x0), 1e-9), box.height / max(abs(y1 - y0), 1e-9))
        size = min(cell_px * 72.0 / ax.figure.dpi * 0.3, 14.0)
        if size < 5.5:
            return  # cells too small to hold a readable number
    for r in range(h):
        for c in range(w):
            v = values[r, c]
            if not np.isfinite(v) or (cells is not None and not cells[r, c]):
                continue
            red, green, blue, _ = cmap(norm(v))
            dark = 0.299 * red + 0.587 * green + 0.114 * blue < 0.5
            colour = "white" if dark else "black"
            ax.text(c, r, format_value(v), ha="center", va="center", fontsize=size, color=colour)


def format_value(v: float) -> str:
    """``2``, ``-0.5``, ``0.33``: at most two decimals, no trailing zeros, no ``-0``."""
    text = f"{float(v):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
