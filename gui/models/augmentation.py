"""The Training tab's augmentation settings, without Qt: the lesson's values, the app's default, the augmenter
they make and the preview variants.

The settings are the lesson's ``ImageDataGenerator`` arguments (:class:`engine.augment.ImageAugmenter` takes
the same): ``rotation_range`` and ``shear_range`` in degrees, shifts as a fraction of the width / height,
``zoom_range`` ``z`` for factors in ``[1 - z, 1 + z]``, ``horizontal_flip``, ``fill_mode``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "DEFAULT_SETTINGS",
    "FILL_MODES",
    "LESSON_SETTINGS",
    "clean_settings",
    "keras_call",
    "make_augmenter",
    "preview_variants",
]

#: how the pixels that come from outside the image are filled (``"constant"`` is black)
FILL_MODES = ("nearest", "constant", "reflect", "wrap")

#: the lesson's ``ImageDataGenerator(rotation_range=40, width_shift_range=0.2, height_shift_range=0.2,
#: shear_range=0.2, zoom_range=0.2, horizontal_flip=True, fill_mode='nearest')``
LESSON_SETTINGS: dict[str, Any] = {
    "rotation_range": 40.0,
    "width_shift_range": 0.2,
    "height_shift_range": 0.2,
    "shear_range": 0.2,
    "zoom_range": 0.2,
    "horizontal_flip": True,
    "fill_mode": "nearest",
}

#: gentle changes that keep a digit a digit (no flip: a mirrored 2 is not a 2), black around it as in MNIST
DEFAULT_SETTINGS: dict[str, Any] = {
    "rotation_range": 12.0,
    "width_shift_range": 0.1,
    "height_shift_range": 0.1,
    "shear_range": 0.0,
    "zoom_range": 0.1,
    "horizontal_flip": False,
    "fill_mode": "constant",
}

#: the largest value each number may take (the lower bound is 0)
_LIMITS = {
    "rotation_range": 180.0,
    "width_shift_range": 1.0,
    "height_shift_range": 1.0,
    "shear_range": 45.0,
    "zoom_range": 0.9,
}


def clean_settings(settings: dict[str, Any] | None) -> dict[str, Any]:
    """A complete, valid copy of ``settings``: unknown keys dropped, missing ones from
    :data:`DEFAULT_SETTINGS`; ``ValueError`` naming the key for a value out of range or of the wrong type."""
    out = dict(DEFAULT_SETTINGS)
    for key, value in (settings or {}).items():
        if key not in out:
            continue
        if key in _LIMITS:
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
            if not ok or not 0.0 <= float(value) <= _LIMITS[key]:
                top = _LIMITS[key]
                raise ValueError(f"{key} must be a number in [0, {top:g}]. Received: {key}={value!r}")
            out[key] = float(value)
        elif key == "horizontal_flip":
            out[key] = bool(value)
        elif key == "fill_mode":
            if value not in FILL_MODES:
                raise ValueError(f"fill_mode must be one of {FILL_MODES}. Received: fill_mode={value!r}")
            out[key] = value
    return out


def make_augmenter(settings: dict[str, Any] | None, seed: int) -> Any:
    """The :class:`engine.augment.ImageAugmenter` of ``settings`` (black fill for ``"constant"``)."""
    from engine.augment import ImageAugmenter

    return ImageAugmenter(**clean_settings(settings), cval=0.0, seed=int(seed))


def preview_variants(image: np.ndarray, settings: dict[str, Any] | None, seed: int, n: int = 5) -> np.ndarray:
    """``n`` random variants of ``image`` ``(H, W, C)``, drawn as training draws them: ``(n, H, W, C)``
    float32, the same for the same seed (one call of the augmenter on ``n`` copies, as the lesson's loop
    shows one image and its transformations)."""
    img = np.asarray(image, np.float32)
    if img.ndim != 3:
        raise ValueError(f"image must be (H, W, C). Received shape: {img.shape}")
    batch = np.repeat(img[None], n, axis=0)  # (n, H, W, C)
    return make_augmenter(settings, seed).apply(batch)


def keras_call(settings: dict[str, Any] | None) -> str:
    """The lesson's Keras line for ``settings``: ``ImageDataGenerator(rotation_range=40, ...)``."""
    s = clean_settings(settings)
    args = [f"{k}={s[k]:g}" for k in _LIMITS]
    args.append(f"horizontal_flip={s['horizontal_flip']}")
    args.append(f"fill_mode='{s['fill_mode']}'")
    return f"ImageDataGenerator({', '.join(args)})"
