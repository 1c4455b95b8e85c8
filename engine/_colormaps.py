"""Colour maps for writing arrays as images: 256-entry RGB lookup tables and :func:`to_rgb8`. Private;
:mod:`engine.io` re-exports them."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["COLORMAPS", "SIGNED_COLORMAPS", "to_rgb8"]


def _ramp(stops: list[tuple[float, tuple[int, int, int]]]) -> np.ndarray:
    """A 256-entry uint8 RGB lookup table interpolated between ``(position, colour)`` stops."""
    pos = np.array([p for p, _ in stops])
    cols = np.array([c for _, c in stops], dtype=np.float64)
    t = np.linspace(0.0, 1.0, 256)
    lut = np.stack([np.interp(t, pos, cols[:, k]) for k in range(3)], axis=1)
    return np.clip(np.rint(lut), 0, 255).astype(np.uint8)  # (256, 3)


COLORMAPS: dict[str, np.ndarray] = {
    "gray": _ramp([(0.0, (0, 0, 0)), (1.0, (255, 255, 255))]),
    # negative = blue, zero = white, positive = red: for signed feature maps and kernels
    "diverging": _ramp([(0.0, (33, 102, 172)), (0.5, (247, 247, 247)), (1.0, (178, 24, 43))]),
    "hot": _ramp([(0.0, (0, 0, 0)), (0.4, (200, 30, 0)), (0.75, (255, 200, 0)), (1.0, (255, 255, 255))]),
}
SIGNED_COLORMAPS = ("diverging",)


def to_rgb8(
    array: Any, cmap: str = "gray", vmin: float | None = None, vmax: float | None = None
) -> np.ndarray:
    """Map a 2-D array to ``(H, W, 3)`` uint8 colours (an ``(H, W, 3)`` array is taken as RGB).

    Default range: ``[0, 1]`` when the values lie in it, else the data's finite min..max; for a signed map
    (``"diverging"``) it is symmetric around zero, ``[-m, m]`` with ``m = max |x|``. ``vmin`` / ``vmax``, when
    given, are finite numbers with ``vmin <= vmax``. Values beyond the range take its end colours, +inf and
    -inf included; NaN shows as black (:func:`engine.io.save_image` makes it transparent).
    """
    if cmap not in COLORMAPS:
        raise ValueError(f"cmap must be one of {tuple(COLORMAPS)}. Received: cmap={cmap!r}")
    for name, value in (("vmin", vmin), ("vmax", vmax)):
        if value is None:
            continue
        if isinstance(value, (bool, np.bool_)) or not isinstance(
            value, (int, float, np.integer, np.floating)
        ):
            raise TypeError(f"{name} must be a real number or None. Received: {name}={value!r}")
        if not np.isfinite(value):
            raise ValueError(f"{name} must be a finite number. Received: {name}={value!r}")
    if vmin is not None and vmax is not None and vmin > vmax:
        raise ValueError(
            f"vmin must not be above vmax (vmin is drawn black, vmax white). Received: vmin={vmin!r}, "
            f"vmax={vmax!r}"
        )
    a = np.asarray(array)
    if a.dtype == np.uint8:
        a = a.astype(np.float32) / np.float32(255.0)
    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 3 and a.shape[2] == 1:
        a = a[:, :, 0]
    if a.ndim == 3 and a.shape[2] == 3:
        lo, hi = (0.0, 1.0) if vmin is None and vmax is None else (vmin or 0.0, 1.0 if vmax is None else vmax)
        scaled = np.clip((np.nan_to_num(a) - lo) / max(hi - lo, 1e-12), 0.0, 1.0)
        return np.rint(scaled * 255.0).astype(np.uint8)
    if a.ndim != 2:
        raise ValueError(f"array must have shape (H, W), (H, W, 1) or (H, W, 3). Received shape: {a.shape}")
    finite = a[np.isfinite(a)]
    if cmap in SIGNED_COLORMAPS and vmin is None and vmax is None:
        m = float(np.abs(finite).max()) if finite.size else 1.0
        lo, hi = -m, m
    else:
        dmin = float(finite.min()) if finite.size else 0.0
        dmax = float(finite.max()) if finite.size else 1.0
        in_unit = dmin >= 0.0 and dmax <= 1.0
        lo = vmin if vmin is not None else (0.0 if in_unit else dmin)
        hi = vmax if vmax is not None else (1.0 if in_unit else dmax)
    span = hi - lo if hi > lo else 1.0
    t = np.clip((a - lo) / span, 0.0, 1.0)
    idx = np.rint(np.nan_to_num(t, nan=0.0) * 255.0).astype(np.intp)
    rgb = COLORMAPS[cmap][idx]  # (H, W, 3)
    rgb[np.isnan(a)] = 0  # (+inf and -inf were clipped to the ends)
    return rgb
