"""One step of the convolution's sliding window, drawn as the lesson writes it (the arithmetic is
:mod:`engine.sliding`'s)."""

from __future__ import annotations

from itertools import islice
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from engine.viz._base import (
    MAX_CELLS_WITH_VALUES,
    WINDOW_COLOUR,
    add_colorbar,
    as_image,
    figure_and_ax,
    image_scale,
    new_figure,
    signed_scale,
    write_values,
)


def show_step(
    image: Any,
    kernel: Any,
    i: int,
    j: int,
    *,
    padding: Any = "valid",
    stride: Any = 1,
    flip: bool = False,
    bias: float = 0.0,
    ax: Axes | None = None,
) -> Figure:
    """One step of the sliding window at output cell ``(i, j)``, as the app and the lesson show it: the padded
    input with the window, the filter, the products, the output filled up to this cell, and the written sum
    (``0*-1 + 0*-1 + ... + 1*2 + ... = 6``).

    Parameters
    ----------
    image : ``(H, W)`` (or ``(H, W, 1)``) grey levels or any values.
    kernel : ``(KH, KW)``.
    i, j : the output cell.
    padding, stride, flip, bias : as :func:`engine.ops.conv2d` (the arithmetic is :mod:`engine.sliding`'s).
    ax : draw only the padded input with its window into this Axes, the sum as its title.
    """
    from engine import shapes, sliding

    img = as_image(image)
    if img.ndim != 2:
        raise ValueError(
            f"show_step draws one channel: pass image[..., c]. Received shape: {np.shape(image)}"
        )
    ker = np.asarray(kernel, dtype=np.float32)
    if ker.ndim != 2:
        raise ValueError(f"kernel must have shape (KH, KW). Received shape: {ker.shape}")
    oh, ow = sliding.output_shape(img.shape, ker.shape, stride=stride, padding=padding)
    for name, v, n in (("i", i, oh), ("j", j, ow)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or not 0 <= v < n:
            raise ValueError(
                f"{name} must be an int in [0, {n}) for a {oh}x{ow} output. Received: {name}={v!r}"
            )
    walk = list(
        islice(
            sliding.windows(img, ker, stride=stride, padding=padding, flip=flip, bias=bias), i * ow + j + 1
        )
    )
    step = walk[-1]
    xp, pads = sliding.padded_input(img, ker.shape, stride=stride, padding=padding)
    written = f"Z[{i},{j}] = {sliding.format_sum(step)}"
    if ax is not None:
        fig, ax = figure_and_ax(ax, 0, 0)
        _draw_padded_input(ax, xp, pads, step)
        ax.set_title(written, fontsize=9, family="monospace")
        return fig
    fig = new_figure(15.0, 4.8)
    ratios = [1.3 * xp.shape[1] / xp.shape[0], 1.0, 1.0, 1.3 * ow / oh]
    axes = fig.subplots(1, 4, gridspec_kw={"width_ratios": ratios})
    _draw_padded_input(axes[0], xp, pads, step)
    pad_note = "no padding" if not any(pads) else "padding {}/{}/{}/{} (top/bottom/left/right)".format(*pads)
    axes[0].set_title(
        f"input {img.shape[0]}x{img.shape[1]}, {pad_note}\nwindow at row {step.top}, column {step.left} "
        "of the padded input",
        fontsize=10,
    )
    kh, kw = ker.shape
    for a_, values, title in (
        (axes[1], step.kernel, f"filter {kh}x{kw}" + ("\n(rotated 180°: true convolution)" if flip else "")),
        (axes[2], step.products, "products (window x filter)"),
    ):
        cmap, norm = signed_scale(values)
        a_.imshow(values, cmap=cmap, norm=norm)
        write_values(a_, values, cmap, norm)
        a_.set_title(title, fontsize=10)
    out = np.full((oh, ow), np.nan, np.float32)
    for done in walk:
        out[done.row, done.col] = done.sum
    cmap, norm = signed_scale(out)
    shown = axes[3].imshow(out, cmap=cmap, norm=norm, interpolation="nearest")
    axes[3].set_facecolor("0.85")  # cells not computed yet (NaN, transparent) show grey
    axes[3].add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor=WINDOW_COLOUR, linewidth=3))
    if out.size <= MAX_CELLS_WITH_VALUES:
        write_values(axes[3], out, cmap, norm)
    s = shapes.normalize_pair(stride, "stride")
    formula = shapes.conv_output_formula(padding, s[0]) if isinstance(padding, str) else "N + 2P - K + 1"
    axes[3].set_title(
        f"output {oh}x{ow} ({formula}, stride {s[0]}x{s[1]})\nfilled up to Z[{i},{j}]; grey: still to come",
        fontsize=10,
    )
    add_colorbar(fig, shown, axes[3])
    for a_ in axes:
        a_.set_xticks([])
        a_.set_yticks([])
    fig.suptitle(written, fontsize=11, family="monospace")
    return fig


def _draw_padded_input(ax: Axes, xp: np.ndarray, pads: tuple, step: Any) -> None:
    """The padded input, its padding hatched, the window framed and its values written (every value when
    the input is small)."""
    cmap, norm = image_scale(xp)
    ax.imshow(xp, cmap=cmap, norm=norm, interpolation="nearest")
    t, b, le, r = pads
    hp, wp = xp.shape
    for top, left, height, width in (
        (0, 0, t, wp),
        (hp - b, 0, b, wp),
        (t, 0, hp - t - b, le),
        (t, wp - r, hp - t - b, r),
    ):
        if height > 0 and width > 0:
            ax.add_patch(
                Rectangle(
                    (left - 0.5, top - 0.5), width, height, fill=False, hatch="///", edgecolor="0.55", lw=0
                )
            )
    kh, kw = step.patch.shape[:2]
    ax.add_patch(
        Rectangle((step.left - 0.5, step.top - 0.5), kw, kh, fill=False, edgecolor=WINDOW_COLOUR, linewidth=3)
    )
    window = np.zeros(xp.shape, bool)
    window[step.top : step.top + kh, step.left : step.left + kw] = True
    write_values(ax, xp, cmap, norm, cells=None if xp.size <= MAX_CELLS_WITH_VALUES else window)
    ax.set_xticks([])
    ax.set_yticks([])
