"""A sweep's results: validation accuracy against each hyper-parameter it varied (``sweep --plot``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from engine.sweep_axes import category_means, finished_ok, jitter, panel_params, sweep_axis, value_label
from engine.viz._base import VAL_COLOUR, new_figure, root_figure

#: panels per row of a new figure
COLUMNS = 3
MEAN_COLOUR, FAILED_COLOUR, BEST_COLOUR = "0.15", "0.55", "#2ca02c"


def _best_label(row: Mapping[str, Any], names: Sequence[str]) -> str:
    shown = " ".join(f"{n}={value_label(row[n])}" for n in names)
    return f"best: {row['val_accuracy']:.3f} ({shown})"


def plot_sweep(
    rows: Sequence[Mapping[str, Any]],
    params: Sequence[str],
    ax: Axes | Sequence[Axes] | None = None,
    title: str | None = None,
) -> Figure:
    """Validation accuracy (0..1) against each of ``params``, one panel each: a dot per trial, the mean of
    each value joined by a line, the best trial ringed, failed trials as grey crosses along the bottom.

    Parameters
    ----------
    rows : typed results rows (:func:`engine.sweep_results.read_results`, :meth:`engine.sweep.Sweep.rows`).
    params : the hyper-parameters to plot (``"seed"`` too), e.g. those the sweep varied; those with one
        value in ``rows`` get no panel (unless none has more: then the first one).
    ax : one Axes per panel (see :func:`engine.sweep_axes.panel_params`), or None for a new figure.
    title : the figure's title (new figures only), above the best trial.

    Raises
    ------
    ValueError
        No trial finished with a validation accuracy; ``ax`` does not hold one Axes per panel.
    """
    rows = list(rows)
    good = [r for r in rows if finished_ok(r)]
    if not good:
        raise ValueError("nothing to plot: no trial finished with a validation accuracy")
    names = panel_params(rows, params)
    fig: Figure
    if ax is None:
        cols = min(COLUMNS, len(names))
        nrows = -(-len(names) // cols)
        fig = new_figure(0.6 + 3.6 * cols, 0.9 + 3.0 * nrows)
        grid = np.atleast_1d(fig.subplots(nrows, cols, sharey=True, squeeze=False)).ravel()
        for extra in grid[len(names) :]:
            extra.remove()
        axes = list(grid[: len(names)])
    else:
        axes = [ax] if isinstance(ax, Axes) else list(ax)
        if len(axes) != len(names) or not all(isinstance(a, Axes) for a in axes):
            raise ValueError(f"ax must hold {len(names)} Axes, one for each of {names}. Received: {ax!r}")
        fig = root_figure(axes[0])
    best = max(good, key=lambda r: float(r["val_accuracy"]))
    for a, name in zip(axes, names, strict=True):
        _panel(a, name, rows, best)
    for a in axes:
        a.set_ylim(-0.02, 1.02)
        if a.get_subplotspec() is None or a.get_subplotspec().is_first_col():
            a.set_ylabel("validation accuracy")
    if ax is None:
        handles = [
            Line2D([], [], ls="", marker="o", color=VAL_COLOUR, alpha=0.8, label="one trial"),
            Line2D([], [], color=MEAN_COLOUR, marker="s", mfc="white", label="mean per value"),
            Line2D([], [], ls="", marker="o", mfc="none", mec=BEST_COLOUR, mew=2, ms=11, label="best trial"),
        ]
        if len(good) < len(rows):
            handles.append(Line2D([], [], ls="", marker="x", color=FAILED_COLOUR, label="failed trial"))
        fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), frameon=False)
        heading = _best_label(best, names)
        fig.suptitle(f"{title}\n{heading}" if title else heading)
    return fig


def _panel(a: Axes, name: str, rows: Sequence[Mapping[str, Any]], best: Mapping[str, Any]) -> None:
    axis = sweep_axis(name, [r[name] for r in rows])
    xs, accs, failed = [], [], []
    seen: dict[float, int] = {}
    best_at: tuple[float, float] | None = None
    for x, row in zip(axis.positions, rows, strict=True):
        k = seen[x] = seen.get(x, -1) + 1
        shown = x + jitter(k) if axis.categorical else x
        if finished_ok(row):
            xs.append(shown)
            accs.append(float(row["val_accuracy"]))
            if row is best:
                best_at = (shown, float(row["val_accuracy"]))
        else:
            failed.append(shown)
    a.scatter(xs, accs, s=28, color=VAL_COLOUR, alpha=0.8, edgecolors="white", linewidths=0.5, zorder=3)
    if failed:
        a.scatter(failed, [0.0] * len(failed), marker="x", s=36, color=FAILED_COLOUR, zorder=3)
    if best_at is not None:
        a.scatter(*best_at, s=130, facecolors="none", edgecolors=BEST_COLOUR, linewidths=2, zorder=4)
    if axis.categorical:
        ok_x = [x for x, r in zip(axis.positions, rows, strict=True) if finished_ok(r)]
        means = category_means(ok_x, [float(r["val_accuracy"]) for r in rows if finished_ok(r)])
        a.plot(
            [m[0] for m in means], [m[1] for m in means], color=MEAN_COLOUR, marker="s", mfc="white",
            lw=1.5, zorder=2,
        )  # fmt: skip
        a.set_xticks([t[0] for t in axis.ticks], [t[1] for t in axis.ticks])
        a.set_xlim(-0.6, len(axis.ticks) - 0.4)
    elif axis.log:
        a.set_xscale("log")
    a.set_xlabel(name)
    a.grid(alpha=0.3)
