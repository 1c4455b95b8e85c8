"""How training went and where the model errs: curves, the confusion matrix, the most confident mistakes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from engine.viz._base import (
    GRAY_CMAP,
    TRAIN_COLOUR,
    VAL_COLOUR,
    add_colorbar,
    as_image,
    draw_tiles,
    figure_and_ax,
    image_scale,
    new_figure,
    rgb_for_display,
    root_figure,
)


def plot_history(history: Any, ax: Axes | Sequence[Axes] | None = None, title: str | None = None) -> Figure:
    """Loss and accuracy per epoch, training and validation (a :class:`engine.callbacks.History` or its
    ``history`` dict).

    ``ax``: one Axes when the history holds only one of loss / accuracy, else two (loss first).
    """
    values: Mapping[str, Sequence[float]] = getattr(history, "history", history)
    if not isinstance(values, Mapping):
        raise TypeError(f"history must be a History or a dict of lists. Received: {type(history).__name__}")
    panels = [m for m in ("loss", "accuracy") if values.get(m) or values.get(f"val_{m}")]
    if not panels:
        raise ValueError(f"history holds no loss or accuracy values. Received keys: {sorted(values)}")
    fig: Figure
    if ax is None:
        fig = new_figure(4.6 * len(panels), 3.6)
        axes = list(np.atleast_1d(fig.subplots(1, len(panels))))
    else:
        axes = [ax] if isinstance(ax, Axes) else list(ax)
        if len(axes) != len(panels) or not all(isinstance(a, Axes) for a in axes):
            raise ValueError(f"ax must hold {len(panels)} Axes, one for each of {panels}. Received: {ax!r}")
        fig = root_figure(axes[0])
    for a, metric in zip(axes, panels, strict=False):
        for label, key, colour in (
            ("training", metric, TRAIN_COLOUR),
            ("validation", f"val_{metric}", VAL_COLOUR),
        ):
            series = [float(v) for v in values.get(key) or []]
            if series:
                epochs = np.arange(1, len(series) + 1)
                a.plot(epochs, series, marker="o", color=colour, label=label)
        longest = max(len(values.get(metric) or []), len(values.get(f"val_{metric}") or []), 1)
        a.set_xlim(0.5, longest + 0.5)
        a.set_xlabel("epoch")
        a.set_title(metric)
        a.xaxis.set_major_locator(MaxNLocator(integer=True))
        if metric == "accuracy":
            a.set_ylim(0.0, 1.02)
        else:
            a.set_ylim(bottom=0.0)
        a.grid(alpha=0.3)
        a.legend()
    stopped = getattr(history, "stopped_reason", None)
    heading = title or ""
    if stopped:
        heading = f"{heading}\nstopped: {stopped}" if heading else f"stopped: {stopped}"
    if heading and ax is None:
        fig.suptitle(heading)
    return fig


def confusion_matrix(y_true: Any, y_pred: Any, num_classes: int) -> np.ndarray:
    """``(K, K)`` int64 counts: row = true class, column = predicted class."""
    t = np.asarray(y_true, dtype=np.int64).reshape(-1)
    p = np.asarray(y_pred, dtype=np.int64).reshape(-1)
    if t.shape != p.shape:
        raise ValueError(f"y_true and y_pred must have the same length. Received: {t.size} and {p.size}")
    if t.size and (min(t.min(), p.min()) < 0 or max(t.max(), p.max()) >= num_classes):
        raise ValueError(f"labels must be in [0, {num_classes})")
    return np.bincount(t * num_classes + p, minlength=num_classes * num_classes).reshape(
        num_classes, num_classes
    )


def plot_confusion(
    y_true: Any,
    y_pred: Any,
    class_names: Sequence[str] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """The confusion matrix: rows are the true classes, columns the predicted ones, each cell its count,
    shaded by its share of the true class (the diagonal is each class's recall).

    ``y_pred``: labels ``(N,)`` or scores ``(N, K)`` (their argmax is taken). ``class_names`` default to the
    class numbers.
    """
    pred = np.asarray(y_pred)
    if pred.ndim == 2:
        pred = pred.argmax(axis=1)
    true = np.asarray(y_true).reshape(-1)
    k = (
        len(class_names)
        if class_names is not None
        else int(max(true.max(initial=0), pred.max(initial=0))) + 1
    )
    names = [str(n) for n in class_names] if class_names is not None else [str(c) for c in range(k)]
    cm = confusion_matrix(true, pred, k)
    rows = cm.sum(axis=1, keepdims=True)
    share = np.divide(cm, rows, out=np.zeros(cm.shape, float), where=rows > 0)
    side = 2.4 + 0.5 * k
    fig, ax = figure_and_ax(ax, side + 1.2, side)
    from matplotlib import colormaps
    from matplotlib.colors import Normalize

    cmap, norm = colormaps["Blues"], Normalize(0.0, 1.0)
    shown = ax.imshow(share, cmap=cmap, norm=norm)
    if k <= 30:
        for r in range(k):
            for c in range(k):
                colour = "white" if share[r, c] > 0.55 else "black"
                ax.text(c, r, str(int(cm[r, c])), ha="center", va="center", fontsize=9, color=colour)
    ax.set_xticks(
        np.arange(k),
        names,
        rotation=45 if max(map(len, names)) > 2 else 0,
        ha="right" if max(map(len, names)) > 2 else "center",
    )
    ax.set_yticks(np.arange(k), names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    correct, total = int(np.trace(cm)), int(cm.sum())
    summary = f"accuracy {correct / total:.3f} ({correct}/{total})" if total else "no samples"
    ax.set_title(f"{title}\n{summary}" if title else summary)
    add_colorbar(fig, shown, ax, "share of the true class")
    return fig


def show_mistakes(
    model: Any,
    x: Any,
    y_true: Any,
    class_names: Sequence[str] | None = None,
    n: int = 12,
    ax: Axes | None = None,
) -> Figure:
    """The ``n`` mistakes the model is most sure of: each image with its true class and the predicted one
    with its probability (:meth:`Sequential.predict_proba`)."""
    xa = np.asarray(x)
    true = np.asarray(y_true).reshape(-1)
    if len(xa) != len(true):
        raise ValueError(f"x and y_true must have the same length. Received: {len(xa)} and {len(true)}")
    probs = model.predict_proba(xa)
    pred = probs.argmax(axis=1)
    names = [str(c) for c in (class_names if class_names is not None else range(probs.shape[1]))]
    wrong = np.flatnonzero(pred != true)
    order = wrong[np.argsort(-probs[wrong, pred[wrong]], kind="stable")][: max(int(n), 0)]
    if len(order) == 0:
        fig, ax = figure_and_ax(ax, 4.0, 1.5)
        ax.axis("off")
        ax.text(0.5, 0.5, f"no mistakes among {len(true)} images", ha="center", va="center", fontsize=12)
        return fig
    tiles = [as_image(xa[k], "each image") for k in order]
    captions = [
        f"true {names[true[k]]}\npredicted {names[pred[k]]} ({100 * probs[k, pred[k]]:.0f}%)" for k in order
    ]
    ncols = min(len(tiles), 6)
    nrows = -(-len(tiles) // ncols)
    fig, ax = figure_and_ax(ax, 0.4 + 1.5 * ncols, 0.6 + 1.9 * nrows)
    cmap, norm = (None, None) if tiles[0].ndim == 3 else (GRAY_CMAP, image_scale(np.stack(tiles))[1])
    draw_tiles(ax, [rgb_for_display(t) if t.ndim == 3 else t for t in tiles], ncols, cmap, norm, captions)
    ax.set_title(f"the {len(order)} most confident of {len(wrong)} mistakes ({len(true)} images)")
    return fig
