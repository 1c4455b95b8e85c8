"""Built-in sample images and the image-file loader of the convolution lab.

Small synthetic samples are made in code (the lesson's 3x3 horizontal line, a 9x9 cross, a checkerboard, a
digit from the MNIST subset); photos come from ``engine.config.assets_dir() / "images"``. Every image is
float32 in ``[0, 1]``, ``(H, W)`` for grey or ``(H, W, 3)`` for colour.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

from engine import config, io

__all__ = [
    "DEFAULT_SAMPLE",
    "IMAGE_FILE_FILTER",
    "MAX_STEP_SIDE",
    "PHOTOS",
    "SAMPLES",
    "ImageLoadError",
    "downscale",
    "load_image_file",
    "load_sample",
    "to_channel",
]

ImageLoadError = io.ImageLoadError

#: images larger than this (either side) are shrunk before stepping: cell by cell on 512x512 is pointless
MAX_STEP_SIDE = 64

#: extensions offered by the open dialog (Pillow reads them all)
IMAGE_FILE_FILTER = "*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.gif *.webp"

PHOTOS = ("camera", "astronaut", "chelsea", "coffee")


def _line() -> np.ndarray:
    """The lesson's worked example: a bright horizontal line, ``(3, 3)``."""
    return np.array([[0, 0, 0], [1, 1, 1], [0, 0, 0]], np.float32)


def _cross() -> np.ndarray:
    """A 9x9 cross: one bright row and one bright column through the centre."""
    img = np.zeros((9, 9), np.float32)
    img[4, 1:8] = 1.0
    img[1:8, 4] = 1.0
    return img


def _checkerboard() -> np.ndarray:
    """A 12x12 checkerboard of 3x3 squares."""
    rows, cols = np.indices((12, 12))
    return (((rows // 3) + (cols // 3)) % 2).astype(np.float32)


def _digit() -> np.ndarray:
    """The first '3' of the shipped MNIST subset, ``(28, 28)`` (a drawn cross if the file is missing)."""
    path = config.assets_dir() / "mnist_5k.npz"
    try:
        with np.load(path) as data:
            images, labels = data["images"], data["labels"]
        idx = int(np.flatnonzero(labels == 3)[0]) if np.any(labels == 3) else 0
        return (images[idx].astype(np.float32) / 255.0).astype(np.float32)
    except (OSError, KeyError, ValueError, IndexError):
        return np.pad(_cross(), 9)


def _photo(name: str) -> np.ndarray:
    path = config.assets_dir() / "images" / f"{name}.png"
    with Image.open(path) as im:
        mode = "L" if im.mode in ("L", "I;16", "I") else "RGB"
    return load_image_file(path, mode)


#: sample key -> factory, in menu order
SAMPLES: dict[str, Callable[[], np.ndarray]] = {
    "digit": _digit,
    "cross": _cross,
    "line": _line,
    "checkerboard": _checkerboard,
    **{name: functools.partial(_photo, name) for name in PHOTOS},
}

DEFAULT_SAMPLE = "digit"


def load_sample(key: str) -> np.ndarray:
    """The sample ``key`` (see :data:`SAMPLES`): ``(H, W)`` or ``(H, W, 3)`` float32 in ``[0, 1]``."""
    if key not in SAMPLES:
        raise ValueError(f"unknown sample {key!r}. Known samples: {', '.join(SAMPLES)}")
    return SAMPLES[key]()


def load_image_file(path: str | Path, mode: str = "RGB") -> np.ndarray:
    """Read an image file (PNG, JPEG, BMP, TIFF...) as float32 in ``[0, 1]``.

    Grey files come back ``(H, W)``; others ``(H, W, 3)`` when ``mode="RGB"``. Raises :class:`ImageLoadError`
    (a ``ValueError``) naming the file when it is missing, empty, corrupt or too large.
    """
    if mode == "RGB":
        try:
            with Image.open(path) as im:
                grey = im.mode in ("L", "LA", "1", "I", "I;16", "F")
        except (OSError, ValueError, Image.DecompressionBombError):
            grey = False  # let the engine's loader produce the error message
        if grey:
            mode = "L"
    return io.load_image(path, mode=mode)


def to_channel(image: np.ndarray, channel: str) -> np.ndarray:
    """One 2-D plane of ``image`` to step through.

    ``channel`` is ``"luminance"`` (ITU-R 601: 0.299 R + 0.587 G + 0.114 B, Pillow's "L") or ``"red"``,
    ``"green"``, ``"blue"``. Grey images come back unchanged whatever the choice.
    """
    img = np.asarray(image, dtype=np.float32)
    if img.ndim == 2:
        return img
    if img.ndim != 3 or img.shape[2] < 3:
        raise ValueError(f"image must be (H, W) or (H, W, 3). Received shape: {img.shape}")
    if channel == "luminance":
        return (img[..., :3] @ np.array([0.299, 0.587, 0.114], np.float32)).astype(np.float32)
    index = {"red": 0, "green": 1, "blue": 2}.get(channel)
    if index is None:
        raise ValueError(f"channel must be luminance, red, green or blue. Received: channel={channel!r}")
    return np.ascontiguousarray(img[..., index])


def downscale(plane: np.ndarray, max_side: int = MAX_STEP_SIDE) -> np.ndarray:
    """Shrink ``plane`` ``(H, W)`` so that its longer side is at most ``max_side`` (aspect kept, antialiased).

    Small planes come back unchanged (the same object).
    """
    h, w = plane.shape
    if max(h, w) <= max_side:
        return plane
    scale = max_side / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    im = Image.fromarray(np.ascontiguousarray(plane, np.float32))
    return np.asarray(im.resize(size, Image.Resampling.LANCZOS), dtype=np.float32).clip(0.0, 1.0)
