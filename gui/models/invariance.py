"""Translation invariance, without Qt: how much each layer's output changes when the image moves a few
pixels, and how the class probability follows the shift. :func:`invariance` runs in the engine thread."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "CURVE_SHIFTS",
    "MAX_SHIFT",
    "InvarianceResult",
    "LayerRow",
    "accuracy_against_shift",
    "invariance",
    "shift_batch",
]

#: the largest shift the view offers, in pixels, each way
MAX_SHIFT = 4
#: the shifts of the probability curves (horizontal and vertical)
CURVE_SHIFTS = tuple(range(-MAX_SHIFT, MAX_SHIFT + 1))


@dataclass
class LayerRow:
    """One layer (or the input) for the shifted image: how many values changed, their share, and by how
    much (``relative = ||a_shifted - a|| / ||a||``); ``where (h, w)`` sums ``|a_shifted - a|`` over the
    channels of a layer with maps (None for vectors)."""

    name: str
    class_name: str
    shape: tuple[int, ...]
    changed: int
    total: int
    relative: float
    where: np.ndarray | None

    @property
    def share(self) -> float:
        return self.changed / self.total if self.total else 0.0


@dataclass
class InvarianceResult:
    """The image shifted by ``shift = (dy, dx)``: per layer rows (input first), the predictions before and
    after, and the probability of ``class_index`` for every shift in :data:`CURVE_SHIFTS`, horizontal
    (``curve_x``) and vertical (``curve_y``)."""

    shift: tuple[int, int]
    shifted: np.ndarray  # (H, W, C)
    rows: list[LayerRow]
    class_index: int
    predicted_before: int
    probability_before: float
    predicted_after: int
    probability_after: float
    class_probability_after: float
    curve_x: np.ndarray  # (len(CURVE_SHIFTS),)
    curve_y: np.ndarray


def _where(a0: np.ndarray, a1: np.ndarray) -> np.ndarray | None:
    if a0.ndim != 3:
        return None
    return np.abs(a1.astype(np.float64) - a0).sum(axis=2).astype(np.float32)  # (h, w)


def invariance(
    model: Any, image: np.ndarray, shift: tuple[int, int], class_index: int | None = None
) -> InvarianceResult:
    """Shift ``image (H, W, C)`` by ``shift = (dy, dx)`` pixels (zeros entering) and compare every layer with
    the unshifted image (:func:`engine.explain.shift_response`); ``class_index`` (default: the class
    predicted for the unshifted image) is followed along the curves."""
    from engine import explain

    dy, dx = (int(v) for v in shift)
    moves = [(0, 0), (dy, dx)] + [(0, s) for s in CURVE_SHIFTS] + [(s, 0) for s in CURVE_SHIFTS]
    responses = explain.shift_response(model, image, moves)
    still, moved = responses[0], responses[1]
    if still.predicted is None or moved.predicted is None or moved.probabilities is None:
        raise ValueError(f"model {model.name!r} does not output a vector of class scores")
    c = still.predicted if class_index is None else int(class_index)
    x0 = np.asarray(still.image, np.float64)
    diff = np.abs(np.asarray(moved.image, np.float64) - x0)
    changed_px = int((diff > 1e-5 * max(float(np.abs(x0).max()), 1e-12)).sum())
    norm = float(np.linalg.norm(x0))
    rows = [
        LayerRow(
            "input",
            "Input",
            tuple(x0.shape),
            changed_px,
            int(x0.size),
            float(np.linalg.norm(diff)) / norm if norm > 0 else 0.0,
            diff.sum(axis=2).astype(np.float32),
        )
    ]
    leaves = [leaf for _, leaf in model.iter_leaves()]
    for before, after, leaf in zip(still.layers, moved.layers, leaves, strict=True):
        rows.append(
            LayerRow(
                before.name,
                type(leaf).__name__,
                tuple(after.output.shape),
                after.changed,
                after.total,
                after.relative_change,
                _where(before.output, after.output),
            )
        )
    n = len(CURVE_SHIFTS)
    curves = [np.nan if r.probabilities is None else r.probabilities[c] for r in responses[2:]]
    return InvarianceResult(
        (dy, dx),
        np.asarray(moved.image),
        rows,
        c,
        still.predicted,
        float(still.probability or 0.0),
        moved.predicted,
        float(moved.probability or 0.0),
        float(moved.probabilities[c]),
        np.array(curves[:n], np.float64),
        np.array(curves[n:], np.float64),
    )


def shift_batch(x: np.ndarray, dy: int, dx: int) -> np.ndarray:
    """Every image of ``x (N, H, W, C)`` moved ``dy`` px down and ``dx`` px right, zeros entering (what
    :func:`engine.explain.shift_image` does to one image)."""
    n, h, w, c = x.shape
    out = np.zeros((n, h, w, c), np.float32)
    if abs(dy) < h and abs(dx) < w:
        out[:, max(dy, 0) : h + min(dy, 0), max(dx, 0) : w + min(dx, 0)] = x[
            :, max(-dy, 0) : h - max(dy, 0), max(-dx, 0) : w - max(dx, 0)
        ]
    return out


def accuracy_against_shift(
    model: Any, x: np.ndarray, y: np.ndarray, shifts: tuple[int, ...] = CURVE_SHIFTS
) -> tuple[np.ndarray, np.ndarray]:
    """The accuracy on ``(x (N, H, W, C), y (N,))`` with every image shifted by each of ``shifts`` pixels,
    horizontally then vertically: ``(accuracy_x, accuracy_y)``, each ``(len(shifts),)`` float64. Engine
    thread: ``2 * len(shifts)`` predictions of the whole set."""
    xa = np.ascontiguousarray(x, np.float32)
    labels = np.asarray(y)
    out = []
    for vertical in (False, True):
        accs = []
        for s in shifts:
            moved = shift_batch(xa, s, 0) if vertical else shift_batch(xa, 0, s)
            pred = model.predict(moved, batch_size=256).argmax(axis=1)
            accs.append(float((pred == labels).mean()))
        out.append(np.array(accs, np.float64))
    return out[0], out[1]
