"""Headless PNG plots with Pillow only: training curves, a confusion matrix, a grid of feature maps.

No display and no Qt: the command line uses these to write figures from a terminal or a CI job. Each
``render_*`` returns a :class:`PIL.Image.Image`; each ``save_*`` writes it atomically and returns the path.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from engine.io import atomic_write, to_rgb8

__all__ = [
    "confusion_matrix",
    "render_confusion",
    "render_curves",
    "render_feature_maps",
    "save_confusion",
    "save_curves",
    "save_feature_maps",
]

PathLike = str | os.PathLike
WHITE, BLACK, GREY, LIGHT = (255, 255, 255), (20, 20, 20), (110, 110, 110), (225, 225, 225)
TRAIN, VAL = (31, 119, 180), (255, 127, 14)


def _font(size: int = 12) -> Any:
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1: fixed-size bitmap font
        return ImageFont.load_default()


def _text_w(draw: ImageDraw.ImageDraw, text: str, font: Any) -> float:
    return float(draw.textlength(text, font=font))


def _save(path: PathLike, image: Image.Image) -> Path:
    p = Path(path)
    fmt = Image.registered_extensions().get(p.suffix.lower())
    if fmt is None:
        raise ValueError(f"{str(p)!r}: unknown image extension {p.suffix!r} (use .png)")
    return atomic_write(p, lambda tmp: image.save(tmp, format=fmt))


# ---------------------------------------------------------------------------------------------- curves


def _nice_step(span: float, n: int = 5) -> float:
    raw = span / max(n, 1)
    mag = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    return next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)


def _panel(
    draw: ImageDraw.ImageDraw,
    box: tuple[int, int, int, int],
    title: str,
    series: Sequence[tuple[str, Sequence[float], tuple[int, int, int]]],
    y_range: tuple[float, float] | None,
    font: Any,
) -> None:
    x0, y0, x1, y1 = box
    draw.text((x0, y0 - 22), title, fill=BLACK, font=_font(14))
    values = [v for _, s, _ in series for v in s if math.isfinite(v)]
    if y_range is None:
        hi = max(values) if values else 1.0
        lo = min(0.0, min(values)) if values else 0.0
        hi = hi * 1.05 if hi > lo else lo + 1.0
    else:
        lo, hi = y_range
    n = max((len(s) for _, s, _ in series), default=1)
    draw.rectangle(box, outline=GREY, fill=WHITE)
    step = _nice_step(hi - lo)
    tick = math.ceil(lo / step) * step
    while tick <= hi + 1e-9:
        y = y1 - (tick - lo) / (hi - lo) * (y1 - y0)
        draw.line([(x0, y), (x1, y)], fill=LIGHT)
        label = f"{tick:.2f}".rstrip("0").rstrip(".") if step < 1 else f"{tick:g}"
        draw.text((x0 - 6 - _text_w(draw, label, font), y - 7), label, fill=GREY, font=font)
        tick += step

    def px(i: int) -> float:
        return x0 + 12 + (i / (n - 1) if n > 1 else 0.5) * (x1 - x0 - 24)

    every = max(1, math.ceil(n / 10))
    for i in range(0, n, every):
        label = str(i + 1)
        draw.text((px(i) - _text_w(draw, label, font) / 2, y1 + 4), label, fill=GREY, font=font)
    draw.text(((x0 + x1) / 2 - 16, y1 + 20), "epoch", fill=GREY, font=font)
    for k, (name, s, colour) in enumerate(series):
        pts = [
            (px(i), y1 - (min(max(v, lo), hi) - lo) / (hi - lo) * (y1 - y0))
            for i, v in enumerate(s)
            if math.isfinite(v)
        ]
        if len(pts) > 1:
            draw.line(pts, fill=colour, width=2)
        for x, y in pts:
            draw.ellipse([x - 3, y - 3, x + 3, y + 3], fill=colour)
        lx, ly = x0 + 100 + 110 * k, y0 - 20  # the legend sits above the box, never over the data
        draw.line([(lx, ly + 7), (lx + 18, ly + 7)], fill=colour, width=3)
        draw.text((lx + 24, ly), name, fill=BLACK, font=font)


def render_curves(history: Mapping[str, Sequence[float]], title: str | None = None) -> Image.Image:
    """Loss and accuracy per epoch, training and validation, side by side.

    ``history`` maps ``loss``, ``accuracy``, ``val_loss``, ``val_accuracy`` (any subset) to one value per
    epoch, as in ``History.history``.
    """
    keys = [k for k in ("loss", "accuracy", "val_loss", "val_accuracy") if history.get(k)]
    if not keys:
        raise ValueError(f"history holds no loss/accuracy values. Received keys: {sorted(history)}")
    font = _font(12)
    panels = [("loss", None), ("accuracy", (0.0, 1.0))]
    panels = [(n, r) for n, r in panels if history.get(n) or history.get(f"val_{n}")]
    width, height = 60 + 400 * len(panels), 330 if title else 300
    img = Image.new("RGB", (width, height), WHITE)
    draw = ImageDraw.Draw(img)
    top = 40
    if title:
        draw.text((16, 8), title, fill=BLACK, font=_font(15))
        top += 30
    for i, (name, yr) in enumerate(panels):
        series = [
            (label, list(map(float, history[key])), colour)
            for label, key, colour in (("training", name, TRAIN), ("validation", f"val_{name}", VAL))
            if history.get(key)
        ]
        _panel(draw, (60 + 400 * i, top, 400 * (i + 1) - 10, height - 45), name, series, yr, font)
    return img


def save_curves(path: PathLike, history: Mapping[str, Sequence[float]], title: str | None = None) -> Path:
    """Write :func:`render_curves` to ``path`` (PNG), atomically."""
    return _save(path, render_curves(history, title))


# -------------------------------------------------------------------------------------------- confusion


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


def render_confusion(matrix: Any, class_names: Sequence[str], title: str | None = None) -> Image.Image:
    """A ``(K, K)`` confusion matrix as coloured cells with their counts (shade = share of the true class)."""
    m = np.asarray(matrix)
    k = m.shape[0]
    if m.ndim != 2 or m.shape != (k, k) or len(class_names) != k:
        raise ValueError(
            f"matrix must be (K, K) with K = len(class_names). Received {m.shape} and "
            f"{len(class_names)} names"
        )
    font = _font(12)
    probe = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    cell = int(max(34, _text_w(probe, str(int(m.max(initial=0))), font) + 10))
    labels = [n if n == str(i) else f"{i}  {n}" for i, n in enumerate(class_names)]
    label_w = int(max(_text_w(probe, label, font) for label in labels)) + 16
    left, top = label_w + 24, 70 if title else 44
    width, height = left + cell * k + 20, top + cell * k + 40
    img = Image.new("RGB", (width, height), WHITE)
    draw = ImageDraw.Draw(img)
    if title:
        draw.text((12, 8), title, fill=BLACK, font=_font(14))
    rows = m.sum(axis=1, keepdims=True)
    share = np.divide(m, rows, out=np.zeros(m.shape, float), where=rows > 0)
    draw.text((left, top - 36), "predicted class", fill=GREY, font=font)
    for j in range(k):
        label = str(j)
        draw.text(
            (left + j * cell + (cell - _text_w(draw, label, font)) / 2, top - 18),
            label,
            fill=BLACK,
            font=font,
        )
    for i in range(k):
        y = top + i * cell
        draw.text((12, y + cell / 2 - 7), labels[i], fill=BLACK, font=font)
        for j in range(k):
            x = left + j * cell
            s = share[i, j]
            colour = tuple(round(255 - s * (255 - c)) for c in ((20, 90, 50) if i == j else (170, 30, 30)))
            draw.rectangle([x, y, x + cell - 1, y + cell - 1], fill=colour, outline=LIGHT)
            text = str(int(m[i, j]))
            draw.text(
                (x + (cell - _text_w(draw, text, font)) / 2, y + cell / 2 - 7),
                text,
                fill=WHITE if s > 0.55 else BLACK,
                font=font,
            )
    draw.text((12, top + k * cell + 12), "rows: true class", fill=GREY, font=font)
    return img


def save_confusion(path: PathLike, matrix: Any, class_names: Sequence[str], title: str | None = None) -> Path:
    """Write :func:`render_confusion` to ``path`` (PNG), atomically."""
    return _save(path, render_confusion(matrix, class_names, title))


# --------------------------------------------------------------------------------------------- features


def _tile(channel: np.ndarray, scale: int) -> Image.Image:
    lo, hi = float(np.nanmin(channel)), float(np.nanmax(channel))
    rgb = to_rgb8(channel, "gray", lo, hi if hi > lo else lo + 1.0)
    im = Image.fromarray(rgb)
    return im.resize((im.width * scale, im.height * scale), Image.Resampling.NEAREST) if scale > 1 else im


def render_feature_maps(
    activations: Sequence[tuple[str, Any]], image: Any = None, max_channels: int = 16, tile: int = 56
) -> Image.Image:
    """Every layer's output for one input as rows of tiles, the input first.

    Parameters
    ----------
    activations : ``[(layer_name, array), ...]`` as from ``model.activations(x)``; arrays are
        ``(1, H, W, C)`` (a tile per channel, each scaled to its own min..max, white = high) or ``(1, D)``
        (one strip of cells, blue negative / red positive).
    image : the input ``(H, W)`` or ``(H, W, C)``, drawn first (optional).
    max_channels : at most this many channels per layer (the rest is counted in the row's label).
    tile : target side of one map in pixels (maps are enlarged by an integer factor).
    """
    font = _font(12)
    rows: list[tuple[str, list[Image.Image]]] = []
    if image is not None:
        a = np.asarray(image, dtype=np.float32)
        a = a[..., 0] if a.ndim == 3 and a.shape[2] == 1 else a
        rgb = Image.fromarray(to_rgb8(a, "gray"))
        scale = max(1, tile * 2 // max(rgb.size))
        rows.append(
            (
                f"input {a.shape[0]}x{a.shape[1]}",
                [rgb.resize((rgb.width * scale, rgb.height * scale), Image.Resampling.NEAREST)],
            )
        )
    for name, arr in activations:
        a = np.asarray(arr, dtype=np.float32)
        a = a[0] if a.ndim in (2, 4) else a
        if a.ndim == 3:
            h, w, c = a.shape
            shown = min(c, max_channels)
            scale = max(1, tile // max(h, w))
            label = f"{name}  {h}x{w}x{c}" + (f"  (first {shown} of {c} channels)" if shown < c else "")
            rows.append((label, [_tile(a[:, :, ch], scale) for ch in range(shown)]))
        elif a.ndim == 1:
            d = a.shape[0]
            shown = min(d, 64)
            strip = to_rgb8(a[None, :shown], "diverging")
            cellw = max(4, min(24, 640 // max(shown, 1)))
            im = Image.fromarray(strip).resize((shown * cellw, 20), Image.Resampling.NEAREST)
            rows.append((f"{name}  {d} values" + (f" (first {shown})" if shown < d else ""), [im]))
    if not rows:
        raise ValueError("nothing to draw: no (1, H, W, C) or (1, D) activations")
    gap, label_h, pad = 6, 18, 12
    widths = [sum(t.width for t in tiles) + gap * (len(tiles) - 1) for _, tiles in rows]
    probe = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    width = int(max(max(widths), *(_text_w(probe, lab, font) for lab, _ in rows))) + 2 * pad
    height = pad + sum(label_h + max(t.height for t in tiles) + pad for _, tiles in rows)
    img = Image.new("RGB", (width, height), WHITE)
    draw = ImageDraw.Draw(img)
    y = pad
    for label, tiles in rows:
        draw.text((pad, y), label, fill=BLACK, font=font)
        y += label_h
        x = pad
        for t in tiles:
            img.paste(t, (x, y))
            draw.rectangle([x - 1, y - 1, x + t.width, y + t.height], outline=LIGHT)
            x += t.width + gap
        y += max(t.height for t in tiles) + pad
    return img


def save_feature_maps(
    path: PathLike, activations: Sequence[tuple[str, Any]], image: Any = None, max_channels: int = 16
) -> Path:
    """Write :func:`render_feature_maps` to ``path`` (PNG), atomically."""
    return _save(path, render_feature_maps(activations, image, max_channels))
