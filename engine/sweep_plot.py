"""A sweep's results as one PNG: validation accuracy against each hyper-parameter the sweep varied.

Drawn with Pillow alone (no display, no Qt, no matplotlib) so that ``convscope sweep --plot`` works wherever
the sweep does; :func:`render_sweep` is the one function to replace should the project draw its figures with
another library. One panel per parameter: a dot per trial, and the mean of each value joined by a line.
A parameter with few values gets one column per value; one drawn from a range (random search) gets a
continuous axis, logarithmic for the learning rate.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from engine.io import atomic_write
from engine.sweep_space import PARAMS

__all__ = ["render_sweep", "save_sweep"]

WHITE, BLACK, GREY, LIGHT = (255, 255, 255), (20, 20, 20), (110, 110, 110), (225, 225, 225)
DOT, MEAN, FAILED = (31, 119, 180), (214, 39, 40), (150, 150, 150)
PANEL_W, PANEL_H, COLUMNS = 330, 250, 3
#: a numeric parameter with more distinct values than this gets a continuous axis
MAX_CATEGORIES = 8


def _font(size: int) -> Any:
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1: one bitmap size
        return ImageFont.load_default()


def _label(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _positions(name: str, values: Sequence[Any]) -> tuple[list[float], list[tuple[float, str]]]:
    """Where each trial's value goes on a 0..1 axis, and the ticks ``(position, text)``."""
    numeric = all(isinstance(v, (int, float)) for v in values)
    distinct = sorted(set(values)) if numeric else sorted(set(values), key=_choice_order(name))
    if not numeric or len(distinct) <= MAX_CATEGORIES:
        step = 1.0 / len(distinct)
        where = {v: step * (i + 0.5) for i, v in enumerate(distinct)}
        return [where[v] for v in values], [(where[v], _label(v)) for v in distinct]
    log = name == "lr"
    lo, hi = (math.log(distinct[0]), math.log(distinct[-1])) if log else (distinct[0], distinct[-1])

    def to_axis(v: float) -> float:
        x = math.log(v) if log else v
        return 0.05 + 0.9 * (x - lo) / (hi - lo)

    ticks = []
    for i in range(5):
        x = lo + (hi - lo) * i / 4
        v = math.exp(x) if log else x
        ticks.append((to_axis(v), f"{v:.2g}" if log or isinstance(distinct[0], float) else f"{v:.0f}"))
    return [to_axis(v) for v in values], ticks


def _choice_order(name: str) -> Any:
    choices = PARAMS[name].choices if name in PARAMS else ()
    return lambda v: (choices.index(v) if v in choices else len(choices), str(v))


def _ok(row: Mapping[str, Any]) -> bool:
    acc = row.get("val_accuracy")
    return row.get("status") == "ok" and acc is not None and math.isfinite(float(acc))


def _panel(
    draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], name: str, rows: Sequence[Mapping]
) -> None:
    x0, y0, x1, y1 = box
    font, small = _font(13), _font(11)
    draw.text((x0, y0 - 20), name, fill=BLACK, font=font)
    draw.rectangle(box, fill=WHITE)
    for k in range(6):
        acc = k / 5
        y = y1 - acc * (y1 - y0)
        draw.line([(x0, y), (x1, y)], fill=LIGHT)
        text = f"{acc:.1f}"
        draw.text((x0 - 6 - draw.textlength(text, font=small), y - 6), text, fill=GREY, font=small)
    draw.rectangle(box, outline=GREY)
    all_xs, ticks = _positions(name, [row[name] for row in rows])
    for u, row in zip(all_xs, rows, strict=True):  # failed trials: a cross at the bottom of their column
        if not _ok(row):
            x = x0 + u * (x1 - x0)
            draw.line([(x - 4, y1 - 12), (x + 4, y1 - 4)], fill=FAILED, width=2)
            draw.line([(x - 4, y1 - 4), (x + 4, y1 - 12)], fill=FAILED, width=2)
    xs = [u for u, row in zip(all_xs, rows, strict=True) if _ok(row)]
    rows = [row for row in rows if _ok(row)]

    def px(u: float) -> float:
        return x0 + u * (x1 - x0)

    for u, text in ticks:
        width = draw.textlength(text, font=small)
        draw.text(
            (min(max(px(u) - width / 2, x0 - 10), x1 - width + 10), y1 + 4), text, fill=GREY, font=small
        )
    means: dict[float, list[float]] = {}
    for i, (u, row) in enumerate(zip(xs, rows, strict=True)):
        acc = float(row["val_accuracy"])
        jitter = ((i * 7919) % 11 - 5) * 1.2  # a fixed spread, so that equal results stay visible
        x, y = px(u) + jitter, y1 - acc * (y1 - y0)
        draw.ellipse([x - 3, y - 3, x + 3, y + 3], fill=DOT)
        means.setdefault(u, []).append(acc)
    if all(any(abs(u - t) < 1e-9 for t, _ in ticks) for u in means):  # categories: a mean per value
        points = [(px(u), y1 - sum(a) / len(a) * (y1 - y0)) for u, a in sorted(means.items())]
        if len(points) > 1:
            draw.line(points, fill=MEAN, width=2)
        for x, y in points:
            draw.rectangle([x - 4, y - 4, x + 4, y + 4], outline=MEAN, width=2)


def render_sweep(
    rows: Sequence[Mapping[str, Any]], params: Sequence[str], title: str | None = None
) -> Image.Image:
    """Validation accuracy (0..1) against each of ``params``, one panel each, from typed results rows.

    Parameters
    ----------
    rows : typed rows (:func:`engine.sweep_results.read_results`); failed trials are grey crosses at the
        bottom of their column.
    params : the hyper-parameters to plot (``"seed"`` too), e.g. those the sweep varied; those with one
        value in ``rows`` get no panel (unless none has more).
    title : drawn above the panels.

    Raises
    ------
    ValueError
        No trial with a validation accuracy, or no parameter to plot.
    """
    if not any(_ok(r) for r in rows):
        raise ValueError("nothing to plot: no trial finished with a validation accuracy")
    candidates = list(params) or ["seed"]
    names = [n for n in candidates if len({r[n] for r in rows}) > 1] or candidates[:1]
    cols = min(COLUMNS, len(names))
    n_rows = -(-len(names) // cols)
    top = 44 if title else 12
    legend = "validation accuracy (dots: trials, squares: mean per value, grey crosses: failed trials)"
    probe = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    width = max(60 + cols * PANEL_W, int(probe.textlength(legend, font=_font(11))) + 32)
    height = top + n_rows * (PANEL_H + 60) + 10
    img = Image.new("RGB", (width, height), WHITE)
    draw = ImageDraw.Draw(img)
    if title:
        draw.text((16, 10), title, fill=BLACK, font=_font(15))
    for i, name in enumerate(names):
        r, c = divmod(i, cols)
        x0 = 60 + c * PANEL_W
        y0 = top + 30 + r * (PANEL_H + 60)
        _panel(draw, (x0, y0, x0 + PANEL_W - 40, y0 + PANEL_H - 20), name, rows)
    draw.text((16, height - 22), legend, fill=GREY, font=_font(11))
    return img


def save_sweep(
    path: str | os.PathLike,
    rows: Sequence[Mapping[str, Any]],
    params: Sequence[str],
    title: str | None = None,
) -> Path:
    """Write :func:`render_sweep` to ``path`` (PNG), atomically."""
    target = Path(path)
    fmt = Image.registered_extensions().get(target.suffix.lower())
    if fmt is None:
        raise ValueError(f"{str(target)!r}: unknown image extension {target.suffix!r} (use .png)")
    image = render_sweep(rows, params, title)
    return atomic_write(target, lambda tmp: image.save(tmp, format=fmt))
