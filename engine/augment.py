"""Data augmentation: random rotations, shifts, shears, zooms and flips, like Keras' ``ImageDataGenerator``.

One affine matrix per image is drawn from the augmenter's ranges and applied by a Numba kernel with bilinear
sampling (:func:`affine_warp`). Pass an :class:`ImageAugmenter` to ``model.fit(..., augment=augmenter)``:
every training batch is transformed afresh, so the network rarely sees the same picture twice.

Geometry (``(row, col)`` coordinates centred on the image): the content is flipped, zoomed, sheared,
rotated counter-clockwise by ``theta`` degrees, then moved ``tx`` pixels right and ``ty`` pixels down.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from engine._augment_kernel import FILL_MODES, warp_affine, warp_affine_serial
from engine.backends.cpu.threads import serialised

__all__ = ["FILL_MODES", "PRESETS", "Flow", "ImageAugmenter", "affine_warp", "transform_matrices"]

#: named augmentation settings (``convscope train --augment NAME``, the sweeps' ``augment`` values):
#: ``ImageAugmenter(**PRESETS[name], seed=seed)``. ``light`` turns and shifts a little; ``lesson`` is the
#: lesson's ``ImageDataGenerator`` (rotate 40 degrees, shift/zoom 20 %, shear, horizontal flips).
PRESETS: dict[str, dict[str, Any]] = {
    "light": {"rotation_range": 10, "width_shift_range": 0.1, "height_shift_range": 0.1, "zoom_range": 0.1},
    "lesson": {
        "rotation_range": 40,
        "width_shift_range": 0.2,
        "height_shift_range": 0.2,
        "shear_range": 0.2,
        "zoom_range": 0.2,
        "horizontal_flip": True,
        "fill_mode": "nearest",
    },
}

#: below this many output values (N*H*W*C) the single-threaded kernel is used (thread start-up dominates)
PARALLEL_THRESHOLD = 1 << 18
_warp_parallel = serialised(warp_affine)  # safe from several threads on Numba's workqueue layer too
PARAM_KEYS = ("theta", "tx", "ty", "shear", "zx", "zy", "flip_horizontal", "flip_vertical")
_IDENTITY = {
    "theta": 0.0,
    "tx": 0.0,
    "ty": 0.0,
    "shear": 0.0,
    "zx": 1.0,
    "zy": 1.0,
    "flip_horizontal": False,
    "flip_vertical": False,
}


def _as_images(x: Any) -> tuple[np.ndarray, np.dtype]:
    arr = np.asarray(x)
    if arr.ndim != 4:
        raise ValueError(f"x must be a batch of images (N, H, W, C). Received shape: {arr.shape}")
    if not (np.issubdtype(arr.dtype, np.floating) or np.issubdtype(arr.dtype, np.integer)):
        raise TypeError(f"x must hold numbers. Received dtype: {arr.dtype}")
    return np.ascontiguousarray(arr, dtype=np.float32), arr.dtype


def _finite_number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a finite number. Received: {name}={value!r}")
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number. Received: {name}={value!r}")
    return float(value)


def _flag(value: Any, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False. Received: {name}={value!r}")
    return bool(value)


def _back_to(out: np.ndarray, dtype: np.dtype) -> np.ndarray:
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        return np.clip(np.rint(out), info.min, info.max).astype(dtype)
    return out.astype(dtype, copy=False)


def affine_warp(x: Any, inverse: Any, fill_mode: str = "nearest", cval: float = 0.0) -> np.ndarray:
    """Resample every image of a batch through its own affine map (bilinear interpolation).

    Parameters
    ----------
    x : ``(N, H, W, C)`` images (any real dtype; integers are rounded back).
    inverse : ``(N, 2, 3)`` or ``(2, 3)``, finite: maps an output pixel ``(row, col)`` centred on the image
        to the input position it samples: ``src = inverse[:, :2] @ (r, c) + inverse[:, 2]``.
    fill_mode : how positions outside the input are filled: ``"nearest"`` (edge pixel), ``"constant"``
        (``cval``, a finite number), ``"reflect"`` (mirror, edge repeated), ``"wrap"`` (periodic).

    Returns
    -------
    ``(N, H, W, C)`` in the dtype of ``x``.
    """
    if fill_mode not in FILL_MODES:
        raise ValueError(f"fill_mode must be one of {FILL_MODES}. Received: fill_mode={fill_mode!r}")
    cval = _finite_number(cval, "cval")
    xf, dtype = _as_images(x)
    try:
        m = np.asarray(inverse, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"inverse must be an array of numbers. Received: {type(inverse).__name__}") from None
    if not np.isfinite(m).all():
        raise ValueError("inverse must hold finite numbers. Received NaN or infinite values")
    if m.shape == (2, 3):
        m = np.broadcast_to(m, (xf.shape[0], 2, 3))
    if m.shape != (xf.shape[0], 2, 3):
        raise ValueError(
            f"inverse must have shape (2, 3) or ({xf.shape[0]}, 2, 3). Received shape: {m.shape}"
        )
    if xf.shape[0] == 0:
        return np.asarray(x).copy()
    kernel = _warp_parallel if xf.size >= PARALLEL_THRESHOLD else warp_affine_serial
    out = kernel(xf, np.ascontiguousarray(m), FILL_MODES.index(fill_mode), float(cval))
    return _back_to(out, dtype)


def transform_matrices(params: dict[str, Any], n: int) -> np.ndarray:
    """Inverse maps ``(n, 2, 3)`` for the parameters (keys of :data:`PARAM_KEYS`, scalars or ``(n,)`` arrays).

    ``theta`` and ``shear`` are in degrees; ``tx``/``ty`` in pixels; ``zx``/``zy`` > 1 enlarge the content.
    """
    unknown = set(params) - set(PARAM_KEYS)
    if unknown:
        raise ValueError(f"unknown transform parameters {sorted(unknown)}. Allowed: {PARAM_KEYS}")
    p = {
        k: np.broadcast_to(np.asarray(params.get(k, d), dtype=np.float64), (n,)) for k, d in _IDENTITY.items()
    }
    for k, v in p.items():
        if not np.isfinite(v).all():
            bad = v[~np.isfinite(v)][0]
            raise ValueError(f"{k} must be finite (one value per image). Received: {k} containing {bad}")
    if np.any(p["zx"] <= 0) or np.any(p["zy"] <= 0):
        raise ValueError("zoom factors zx and zy must be > 0")
    th, sh = np.deg2rad(p["theta"]), np.deg2rad(p["shear"])
    fwd = np.zeros((n, 3, 3))
    fwd[:, 2, 2] = 1.0
    # forward map of the content, in centred (row, col): T . R . Shear . Zoom . Flip
    flip_r = np.where(p["flip_vertical"] > 0, -1.0, 1.0)
    flip_c = np.where(p["flip_horizontal"] > 0, -1.0, 1.0)
    zr, zc = p["zy"] * flip_r, p["zx"] * flip_c  # zoom and flip: diag(zr, zc)
    t = np.tan(sh)  # shear: col += tan(shear) * row
    cos, sin = np.cos(th), np.sin(th)  # rotation: [[cos, -sin], [sin, cos]]
    # R @ [[1, 0], [t, 1]] @ diag(zr, zc)
    fwd[:, 0, 0] = (cos - sin * t) * zr
    fwd[:, 0, 1] = -sin * zc
    fwd[:, 1, 0] = (sin + cos * t) * zr
    fwd[:, 1, 1] = cos * zc
    fwd[:, 0, 2] = p["ty"]
    fwd[:, 1, 2] = p["tx"]
    return np.linalg.inv(fwd)[:, :2, :]


def _range(value: Any, name: str) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float, np.integer, np.floating))
        or not np.isfinite(value)
        or value < 0
    ):
        raise ValueError(f"{name} must be a finite number >= 0. Received: {name}={value!r}")
    return float(value)


class ImageAugmenter:
    """Random geometric augmentation of NHWC image batches (the lesson's ``ImageDataGenerator`` parameters).

    Parameters
    ----------
    rotation_range : degrees; each image turns by a uniform angle in ``[-r, r]``.
    width_shift_range, height_shift_range : a fraction of the width/height when < 1, else pixels;
        uniform in ``[-r, r]``.
    shear_range : shear angle in degrees (as in Keras), uniform in ``[-r, r]``.
    zoom_range : ``z`` for factors in ``[1 - z, 1 + z]``, or ``(low, high)``; width and height zoom
        independently.
    horizontal_flip, vertical_flip : True or False; True flips half of the images.
    fill_mode : ``"nearest"``, ``"constant"``, ``"reflect"`` or ``"wrap"`` for pixels coming from outside.
    cval : the fill value for ``"constant"``.
    seed : seeds the generator, so two augmenters with the same seed produce the same batches.

    Examples
    --------
    >>> aug = ImageAugmenter(rotation_range=40, width_shift_range=0.2, height_shift_range=0.2,
    ...                      shear_range=0.2, zoom_range=0.2, horizontal_flip=True, seed=0)
    >>> model.fit(x, y, epochs=5, augment=aug)  # doctest: +SKIP
    """

    def __init__(
        self,
        rotation_range: float = 0.0,
        width_shift_range: float = 0.0,
        height_shift_range: float = 0.0,
        shear_range: float = 0.0,
        zoom_range: float | tuple[float, float] = 0.0,
        horizontal_flip: bool = False,
        vertical_flip: bool = False,
        fill_mode: str = "nearest",
        cval: float = 0.0,
        seed: int | None = None,
    ) -> None:
        self.rotation_range = _range(rotation_range, "rotation_range")
        self.width_shift_range = _range(width_shift_range, "width_shift_range")
        self.height_shift_range = _range(height_shift_range, "height_shift_range")
        self.shear_range = _range(shear_range, "shear_range")
        if isinstance(zoom_range, (tuple, list)):
            if len(zoom_range) != 2:
                raise ValueError(
                    f"zoom_range must be a number or (low, high). Received: zoom_range={zoom_range!r}"
                )
            lo, hi = (_range(v, "zoom_range") for v in zoom_range)
        else:
            z = _range(zoom_range, "zoom_range")
            lo, hi = 1.0 - z, 1.0 + z
        if not 0.0 < lo <= hi:
            raise ValueError(
                f"zoom_range must give 0 < low <= high (a number below 1, or (low, high)). "
                f"Received: zoom_range={zoom_range!r}"
            )
        self.zoom_range = (lo, hi)
        self.horizontal_flip = _flag(horizontal_flip, "horizontal_flip")
        self.vertical_flip = _flag(vertical_flip, "vertical_flip")
        if fill_mode not in FILL_MODES:
            raise ValueError(f"fill_mode must be one of {FILL_MODES}. Received: fill_mode={fill_mode!r}")
        self.fill_mode = fill_mode
        self.cval = _finite_number(cval, "cval")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))):
            raise TypeError(f"seed must be an int or None. Received: seed={seed!r}")
        if seed is not None and seed < 0:
            raise ValueError(f"seed must be an int >= 0 or None. Received: seed={seed!r}")
        self.seed = seed
        self._rng = np.random.default_rng(seed)

    def __repr__(self) -> str:
        fields = (
            "rotation_range",
            "width_shift_range",
            "height_shift_range",
            "shear_range",
            "zoom_range",
            "horizontal_flip",
            "vertical_flip",
            "fill_mode",
            "cval",
            "seed",
        )
        return f"ImageAugmenter({', '.join(f'{f}={getattr(self, f)!r}' for f in fields)})"

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments, so ``ImageAugmenter(**aug.get_config())`` rebuilds it."""
        keys = (
            "rotation_range",
            "width_shift_range",
            "height_shift_range",
            "shear_range",
            "horizontal_flip",
            "vertical_flip",
            "fill_mode",
            "cval",
            "seed",
        )
        return {**{k: getattr(self, k) for k in keys}, "zoom_range": list(self.zoom_range)}

    @property
    def is_identity(self) -> bool:
        """True when every range is zero and no flip is on (``apply`` then returns a copy)."""
        return (
            self.rotation_range
            == self.width_shift_range
            == self.height_shift_range
            == self.shear_range
            == 0.0
            and self.zoom_range == (1.0, 1.0)
            and not self.horizontal_flip
            and not self.vertical_flip
        )

    def random_params(self, n: int, height: int, width: int) -> dict[str, np.ndarray]:
        """Draw the transform parameters of ``n`` images (arrays of length ``n``, as
        :func:`transform_matrices` takes them)."""
        rng = self._rng

        def sym(r: float) -> np.ndarray:
            return rng.uniform(-r, r, n) if r > 0 else np.zeros(n)

        wsr, hsr = self.width_shift_range, self.height_shift_range
        return {
            "theta": sym(self.rotation_range),
            "tx": sym(wsr * width if wsr < 1 else wsr),
            "ty": sym(hsr * height if hsr < 1 else hsr),
            "shear": sym(self.shear_range),
            "zx": rng.uniform(*self.zoom_range, n),
            "zy": rng.uniform(*self.zoom_range, n),
            "flip_horizontal": (rng.random(n) < 0.5) if self.horizontal_flip else np.zeros(n, bool),
            "flip_vertical": (rng.random(n) < 0.5) if self.vertical_flip else np.zeros(n, bool),
        }

    def apply_transform(self, x: Any, params: dict[str, Any]) -> np.ndarray:
        """Apply given parameters (scalars or one per image) to the batch ``x (N, H, W, C)``."""
        arr = np.asarray(x)
        if arr.ndim != 4:
            raise ValueError(f"x must be a batch of images (N, H, W, C). Received shape: {arr.shape}")
        return affine_warp(arr, transform_matrices(params, arr.shape[0]), self.fill_mode, self.cval)

    def apply(self, x: Any) -> np.ndarray:
        """A randomly transformed copy of the batch ``x (N, H, W, C)``: same shape, same dtype.

        Values stay within the input's range (bilinear sampling mixes neighbours), plus ``cval`` in
        ``"constant"`` mode.
        """
        arr = np.asarray(x)
        if arr.ndim != 4:
            raise ValueError(f"x must be a batch of images (N, H, W, C). Received shape: {arr.shape}")
        if self.is_identity:
            return arr.copy()
        return self.apply_transform(arr, self.random_params(arr.shape[0], arr.shape[1], arr.shape[2]))

    def flow(self, x: Any, y: Any = None, batch_size: int = 32, shuffle: bool = True) -> Flow:
        """Endless augmented batches ``(x_batch, y_batch)`` (or ``x_batch`` when ``y`` is None), like Keras.

        ``len(flow)`` is the number of batches per epoch; the order is reshuffled every epoch.
        """
        return Flow(self, x, y, batch_size, shuffle)


class Flow(Iterator):
    """The iterator :meth:`ImageAugmenter.flow` returns; it never ends (stop after ``len(flow)`` batches)."""

    def __init__(self, augmenter: ImageAugmenter, x: Any, y: Any, batch_size: int, shuffle: bool) -> None:
        self.x = np.asarray(x)
        if self.x.ndim != 4 or self.x.shape[0] == 0:
            raise ValueError(
                f"x must be a non-empty batch of images (N, H, W, C). Received shape: {self.x.shape}"
            )
        self.y = None if y is None else np.asarray(y)
        if self.y is not None and self.y.ndim == 0:
            raise ValueError(f"y must hold one label per image. Received shape: {self.y.shape}")
        if self.y is not None and self.y.shape[0] != self.x.shape[0]:
            raise ValueError(
                f"x and y must hold as many samples. Received: {self.x.shape[0]} images, "
                f"{self.y.shape[0]} labels"
            )
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
            raise ValueError(f"batch_size must be an int >= 1. Received: batch_size={batch_size!r}")
        self.augmenter = augmenter
        self.batch_size = int(batch_size)
        self.shuffle = bool(shuffle)
        self._order = np.arange(self.x.shape[0])
        self._pos = 0
        self._new_epoch()

    def _new_epoch(self) -> None:
        if self.shuffle:
            self._order = self.augmenter._rng.permutation(self.x.shape[0])
        self._pos = 0

    def __len__(self) -> int:
        return -(-self.x.shape[0] // self.batch_size)

    def __next__(self) -> Any:
        if self._pos >= self.x.shape[0]:
            self._new_epoch()
        idx = self._order[self._pos : self._pos + self.batch_size]
        self._pos += self.batch_size
        xb = self.augmenter.apply(self.x[idx])
        return xb if self.y is None else (xb, self.y[idx])
