"""Colour maps for the grid views: grey for images, a diverging blue-white-red map for signed feature maps.

A colour map is a ``(256, 3)`` uint8 lookup table. :func:`apply` turns a 2-D float array into an ``(H, W)``
uint32 ARGB array ready for ``QImage.Format_ARGB32``; NaN cells (output cells not computed yet) become
transparent.
"""

from __future__ import annotations

import numpy as np

__all__ = ["CHANNEL_MAPS", "LUTS", "apply", "apply_rgb", "color_at", "data_range", "symmetric_range"]


def _ramp(stops: list[tuple[float, tuple[int, int, int]]]) -> np.ndarray:
    pos = np.array([p for p, _ in stops])
    cols = np.array([c for _, c in stops], dtype=np.float64)  # (S, 3)
    t = np.linspace(0.0, 1.0, 256)
    lut = np.stack([np.interp(t, pos, cols[:, i]) for i in range(3)], axis=1)  # (256, 3)
    return np.round(lut).astype(np.uint8)


#: name -> (256, 3) uint8 lookup table
LUTS: dict[str, np.ndarray] = {
    "grey": _ramp([(0.0, (0, 0, 0)), (1.0, (255, 255, 255))]),
    # ColorBrewer RdBu, reversed: negative = blue, 0 = white, positive = red
    "diverging": _ramp(
        [
            (0.0, (33, 102, 172)),
            (0.25, (103, 169, 207)),
            (0.5, (247, 247, 247)),
            (0.75, (239, 138, 98)),
            (1.0, (178, 24, 43)),
        ]
    ),
    # one colour channel of an image: black (0) to the pure channel colour (1)
    "red": _ramp([(0.0, (0, 0, 0)), (1.0, (255, 40, 40))]),
    "green": _ramp([(0.0, (0, 0, 0)), (1.0, (40, 210, 40))]),
    "blue": _ramp([(0.0, (0, 0, 0)), (1.0, (60, 90, 255))]),
    # counts (how often a pixel is read): pale yellow to dark brown (ColorBrewer YlOrBr)
    "count": _ramp(
        [
            (0.0, (255, 255, 229)),
            (0.25, (254, 227, 145)),
            (0.5, (254, 153, 41)),
            (0.75, (204, 76, 2)),
            (1.0, (102, 37, 6)),
        ]
    ),
}

#: the colour map of each channel of an RGB image, in channel order
CHANNEL_MAPS = ("red", "green", "blue")


def _index(values: np.ndarray, vmin: float, vmax: float) -> np.ndarray:
    span = vmax - vmin if vmax > vmin else 1.0
    t = np.clip((np.nan_to_num(values, nan=vmin) - vmin) / span, 0.0, 1.0)
    return np.round(t * 255).astype(np.intp)


def apply(values: np.ndarray, cmap: str, vmin: float, vmax: float) -> np.ndarray:
    """Map ``values`` ``(H, W)`` to ``(H, W)`` uint32 ARGB pixels (NaN -> fully transparent)."""
    lut = LUTS[cmap]
    rgb = lut[_index(values, vmin, vmax)].astype(np.uint32)  # (H, W, 3)
    argb = (0xFF << 24) | (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]
    argb = np.where(np.isnan(values), np.uint32(0), argb).astype(np.uint32)
    return np.ascontiguousarray(argb)


def apply_rgb(values: np.ndarray) -> np.ndarray:
    """Map an RGB image ``(H, W, 3)`` in [0, 1] to ``(H, W)`` uint32 ARGB pixels (NaN -> transparent)."""
    rgb = np.round(np.clip(np.nan_to_num(values, nan=0.0), 0.0, 1.0) * 255).astype(np.uint32)  # (H, W, 3)
    argb = (0xFF << 24) | (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]
    argb = np.where(np.isnan(values).any(axis=2), np.uint32(0), argb).astype(np.uint32)
    return np.ascontiguousarray(argb)


def color_at(value: float, cmap: str, vmin: float, vmax: float) -> tuple[int, int, int]:
    """RGB of one value under the colour map."""
    r, g, b = LUTS[cmap][int(_index(np.array([value]), vmin, vmax)[0])]
    return int(r), int(g), int(b)


def symmetric_range(values: np.ndarray) -> tuple[float, float]:
    """``(-m, m)`` with ``m`` the largest finite magnitude (1 when there is none): 0 sits in the middle."""
    finite = np.asarray(values)[np.isfinite(values)]
    m = float(np.abs(finite).max()) if finite.size else 0.0
    m = m if m > 0 else 1.0
    return -m, m


def data_range(values: np.ndarray) -> tuple[float, float]:
    """``(min, max)`` over the finite values, widened to ``[0, 1]`` for images in that range."""
    finite = np.asarray(values)[np.isfinite(values)]
    if not finite.size:
        return 0.0, 1.0
    lo, hi = float(finite.min()), float(finite.max())
    if lo >= 0.0 and hi <= 1.0:
        return 0.0, 1.0
    return (lo, hi) if hi > lo else (lo - 1.0, hi + 1.0)
