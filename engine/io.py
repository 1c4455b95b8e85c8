"""Reading and writing images and filters: Pillow for images, NumPy / text / JSON for kernels.

Every loader refuses bad input with an error that names the file and the problem; every writer is atomic
(:func:`atomic_write`, in :mod:`engine._atomic`: a temporary file in the same folder, then
:func:`os.replace`), so an interrupted save never leaves half a file behind. Images larger than
``engine.config.get("max_image_pixels")`` are refused before being decoded (Pillow's decompression-bomb guard
stays on as a second line of defence); so are requested sizes. Filter files are read and written by
:mod:`engine._filter_files`, re-exported here.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any, Literal, NamedTuple, overload

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from engine import config
from engine._atomic import HAS_FILE_LOCKS, atomic_write, check_writable, is_atomic_temp_name
from engine._colormaps import COLORMAPS, to_rgb8
from engine._filter_files import (
    FILTER_EXTENSIONS,
    MAX_FILTER_FILE_BYTES,
    MAX_FILTER_SIZE,
    FilterLoadError,
    load_filter,
    save_filter,
)
from engine.filters import PRESETS, get_preset, preset_names

__all__ = [
    "COLORMAPS",
    "FILTER_EXTENSIONS",
    "HAS_FILE_LOCKS",
    "HIGH_DEPTH_MODES",
    "IMAGE_EXTENSIONS",
    "MAX_FILTER_FILE_BYTES",
    "MAX_FILTER_SIZE",
    "PRESETS",
    "FilterLoadError",
    "ImageInfo",
    "ImageLoadError",
    "atomic_write",
    "check_writable",
    "get_preset",
    "is_atomic_temp_name",
    "load_filter",
    "load_image",
    "preset_names",
    "read_image_uint8",
    "save_filter",
    "save_image",
    "to_rgb8",
]

PathLike = str | os.PathLike

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp", ".ppm", ".pgm", ".pbm")
IMAGE_MODES = ("L", "RGB")


class ImageLoadError(ValueError):
    """An image file could not be read: missing, empty, truncated, not an image, or too large."""


# ---------------------------------------------------------------------------------------------- images


class ImageInfo(NamedTuple):
    """What :func:`load_image` found in a file and what it did (``load_image(..., report=True)``)."""

    path: str
    format: str | None  # Pillow's name of the file format: "PNG", "TIFF", "JPEG", ...
    file_mode: (
        str  # Pillow's mode of the stored pixels: "L", "RGB", "RGBA", "I;16", "I" (int32), "F" (float32)
    )
    source_hw: tuple[int, int]  # (height, width) as stored, after the EXIF orientation
    value_range: tuple[float, float]  # the stored values read as 0 (black) and 1 (white)
    notes: tuple[str, ...]  # what was done that a user may not expect; () for a plain 8-bit image


#: Pillow modes whose values are not 8-bit levels: 16-bit, 32-bit integer and 32-bit float grey images
HIGH_DEPTH_MODES = ("I;16", "I;16L", "I;16B", "I;16N", "I;16S", "I", "F")


def _open_checked(path: Path) -> Image.Image:
    """Open ``path`` lazily, refusing missing/empty/non-image/oversized files with :class:`ImageLoadError`."""
    if not path.exists():
        raise ImageLoadError(f"{str(path)!r}: no such file")
    if path.is_dir():
        raise ImageLoadError(f"{str(path)!r}: is a folder, not an image file")
    if path.stat().st_size == 0:
        raise ImageLoadError(f"{str(path)!r}: the file is empty (0 bytes)")
    limit = int(config.get("max_image_pixels"))
    # keep Pillow's own guard on, never looser than ours
    Image.MAX_IMAGE_PIXELS = max(limit, Image.MAX_IMAGE_PIXELS or 0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(path)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageLoadError(
            f"{str(path)!r}: image too large ({exc}); the limit is {limit:,} pixels (max_image_pixels)"
        ) from None
    except UnidentifiedImageError:
        raise ImageLoadError(f"{str(path)!r}: not an image file Pillow can read") from None
    except OSError as exc:
        raise ImageLoadError(f"{str(path)!r}: cannot read the file ({exc})") from None
    except (
        Exception
    ) as exc:  # a damaged header can make any decoder raise anything (text-chunk bombs: ValueError)
        raise ImageLoadError(f"{str(path)!r}: damaged image file ({type(exc).__name__}: {exc})") from None
    w, h = im.size
    if w * h > limit:
        im.close()
        raise ImageLoadError(
            f"{str(path)!r}: image too large: {w}x{h} = {w * h:,} pixels, the limit is {limit:,} "
            "(engine.config.set('max_image_pixels', ...) to change it)"
        )
    return im


def _normalize_size(size: Any, name: str = "size") -> tuple[int, int] | None:
    """``size`` as ``(height, width)``, refusing non-sizes and sizes over ``max_image_pixels``."""
    if size is None:
        return None
    if isinstance(size, (int, np.integer)) and not isinstance(size, bool):
        pair: Any = (int(size), int(size))
    else:
        pair = size
    try:
        if isinstance(pair, (str, bytes)) or len(pair) != 2:
            raise TypeError
        if any(isinstance(v, bool) or not isinstance(v, (int, np.integer)) for v in pair):
            raise TypeError
        h, w = (int(v) for v in pair)
    except TypeError:
        raise ValueError(
            f"{name} must be None, an int or (height, width) of ints. Received: {name}={size!r}"
        ) from None
    if h < 1 or w < 1:
        raise ValueError(f"{name} must be >= 1 in both dimensions. Received: {name}={size!r}")
    limit = int(config.get("max_image_pixels"))
    if h * w > limit:
        raise ValueError(
            f"{name}={size!r} asks for {h * w:,} pixels per image, over the limit max_image_pixels="
            f"{limit:,} (engine.config.set('max_image_pixels', ...) changes it)"
        )
    return h, w


def _value_range(a: np.ndarray, mode: str, fmt: str | None) -> tuple[float, float, str | None]:
    """The stored values to read as black and white for a high-depth image, and a note when unusual."""
    vmin, vmax = float(a.min()), float(a.max())
    span = f"{vmin:g}..{vmax:g}"
    sixteen = mode.startswith("I;16") or (mode == "I" and fmt in ("PNG", "PPM"))  # PNG/PNM: 16 bits at most
    if sixteen and vmin >= 0:
        return 0.0, 65535.0, f"16-bit image: values 0..65535 read as 0..1 (this one spans {span})"
    if mode == "F" and vmin >= 0 and vmax <= 1:
        return 0.0, 1.0, None
    kind = "floating-point" if mode == "F" else ("16-bit" if sixteen else "32-bit integer")
    if mode != "F" and vmin >= 0 and vmax <= 255:
        return 0.0, 255.0, f"{kind} image with values in 0..255 (this one spans {span}): read as 8-bit levels"
    if vmin >= 0:
        return 0.0, vmax, f"{kind} image with values {span}: divided by its maximum {vmax:g} (0 is black)"
    if vmax > vmin:
        return vmin, vmax, f"{kind} image with values {span}: rescaled from that range to 0..1"
    return vmin, vmin + 1.0, f"{kind} image of the constant value {vmin:g}: read as black"


def _high_depth(im: Image.Image, where: str, fmt: str | None) -> tuple[np.ndarray, float, float, str | None]:
    """A 16/32-bit or float grey image as float32 ``(H, W)`` in [0, 1], with the range used and a note."""
    a = np.asarray(im)  # (H, W) uint16 / int32 / float32
    if a.dtype.kind == "f":
        bad = ~np.isfinite(a)
        if bad.any():
            r, c = np.argwhere(bad)[0]
            raise ImageLoadError(
                f"{where}: {int(bad.sum()):,} pixels are NaN or infinite (first at row {r + 1}, column "
                f"{c + 1}); an image needs finite values"
            )
    lo, hi, note = _value_range(a, im.mode, fmt)
    if hi - lo > 1e37:  # float32 would overflow on a - lo
        x = ((a.astype(np.float64) - lo) / (hi - lo)).astype(np.float32)
    else:
        x = (a.astype(np.float32) - np.float32(lo)) * np.float32(1.0 / (hi - lo))
    return np.clip(x, 0.0, 1.0, out=x), lo, hi, note


def _has_transparency(im: Image.Image) -> bool:
    if im.mode in ("RGBA", "LA", "PA", "La", "RGBa"):
        return int(np.asarray(im.getchannel("A")).min()) < 255
    return im.mode == "P" and "transparency" in im.info


def _to_mode(im: Image.Image, mode: str, where: str) -> Image.Image:
    """An 8-bit image as ``mode`` ("L" or "RGB"), transparency composited on black."""
    if im.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (0, 0, 0, 255))
        im = Image.alpha_composite(background, rgba)
    try:
        return im.convert(mode)
    except ValueError as exc:
        raise ImageLoadError(
            f"{where}: the colour mode {im.mode!r} cannot be converted to {mode!r} ({exc})"
        ) from None


def _decode(path: PathLike, mode: str, size: Any) -> tuple[np.ndarray, ImageInfo]:
    """``(image, info)``: uint8 for 8-bit files, float32 in [0, 1] for 16-bit, 32-bit and float files."""
    if mode not in IMAGE_MODES:
        raise ValueError(f"mode must be one of {IMAGE_MODES}. Received: mode={mode!r}")
    hw = _normalize_size(size)
    p = Path(path)
    where = repr(str(p))
    im = _open_checked(p)
    notes: list[str] = []
    try:
        with im:
            fmt = im.format
            frames = int(getattr(im, "n_frames", 1) or 1)
            if frames > 1:
                notes.append(f"{frames} frames: the first one was read")
            im.load()
            orientation = im.getexif().get(0x0112, 1)
            upright = ImageOps.exif_transpose(im) or im
            if orientation in range(2, 9):  # 1 is upright; 2-8 are the EXIF flips and turns
                notes.append(f"turned upright as its EXIF orientation ({orientation}) says")
            file_mode = upright.mode
            source_hw = (upright.height, upright.width)
            arr: np.ndarray
            if file_mode in HIGH_DEPTH_MODES:
                x, lo, hi, note = _high_depth(upright, where, fmt)
                if note:
                    notes.append(note)
                if hw is not None and x.shape != hw:
                    x = np.asarray(Image.fromarray(x).resize((hw[1], hw[0]), Image.Resampling.BILINEAR))
                arr = np.ascontiguousarray(np.repeat(x[:, :, None], 3, axis=2) if mode == "RGB" else x)
                value_range = (lo, hi)
            else:
                if _has_transparency(upright):
                    notes.append("transparent pixels were composited on black")
                if file_mode == "CMYK":
                    notes.append("CMYK colours were converted to RGB")
                out = _to_mode(upright, mode, where)
                if hw is not None and (out.height, out.width) != hw:
                    out = out.resize((hw[1], hw[0]), Image.Resampling.BILINEAR)
                arr = np.asarray(out, dtype=np.uint8).copy()
                value_range = (0.0, 255.0)
    except ImageLoadError:
        raise
    except MemoryError:
        raise ImageLoadError(f"{where}: not enough memory to decode this image") from None
    except (
        Exception
    ) as exc:  # Pillow raises OSError, SyntaxError, ValueError, struct.error... on damaged data
        raise ImageLoadError(
            f"{where}: the image data is truncated or corrupt ({type(exc).__name__}: {exc})"
        ) from None
    return arr, ImageInfo(str(p), fmt, file_mode, source_hw, value_range, tuple(notes))


@overload
def read_image_uint8(
    path: PathLike, mode: str = ..., size: Any = ..., *, report: Literal[False] = ...
) -> np.ndarray: ...
@overload
def read_image_uint8(
    path: PathLike, mode: str = ..., size: Any = ..., *, report: Literal[True]
) -> tuple[np.ndarray, ImageInfo]: ...
def read_image_uint8(path: PathLike, mode: str = "L", size: Any = None, *, report: bool = False) -> Any:
    """Read an image as uint8: ``(H, W)`` for ``mode="L"``, ``(H, W, 3)`` for ``mode="RGB"``.

    As :func:`load_image`, quantised to 256 levels (``round(value * 255)``).
    """
    arr, info = _decode(path, mode, size)
    if arr.dtype != np.uint8:
        arr = np.rint(arr * np.float32(255.0)).astype(np.uint8)
    return (arr, info) if report else arr


@overload
def load_image(
    path: PathLike, mode: str = ..., size: Any = ..., *, report: Literal[False] = ...
) -> np.ndarray: ...
@overload
def load_image(
    path: PathLike, mode: str = ..., size: Any = ..., *, report: Literal[True]
) -> tuple[np.ndarray, ImageInfo]: ...
def load_image(path: PathLike, mode: str = "L", size: Any = None, *, report: bool = False) -> Any:
    """Load an image file as float32 in ``[0, 1]``.

    8-bit files are divided by 255; 16-bit files by 65535; 32-bit integer files by 255 when their values fit
    in 0..255, else by their own maximum (or rescaled from their range when negative); float files are kept
    when in [0, 1], else divided by their maximum or rescaled from their range. NaN/inf pixels are refused.
    The EXIF orientation is applied, transparency is composited on black, animations give their first frame.

    Parameters
    ----------
    path : file to read (any format Pillow reads: PNG, JPEG, BMP, GIF, TIFF, WebP, PNM).
    mode : ``"L"`` (grey levels) or ``"RGB"``.
    size : None, an int, or ``(height, width)`` to resize to (bilinear, antialiased); at most
        ``max_image_pixels`` pixels.
    report : also return an :class:`ImageInfo` saying what the file held and what was done; its ``notes`` are
        sentences to show the user when something unusual was done (empty for a plain 8-bit image).

    Returns
    -------
    image : ``(H, W)`` for ``"L"``, ``(H, W, 3)`` for ``"RGB"``; float32, 0 = black, 1 = white.
    info : :class:`ImageInfo`, only with ``report=True``.

    Raises
    ------
    ValueError
        ``mode`` or ``size`` is wrong (``size`` over ``max_image_pixels``), before the file is opened.
    ImageLoadError
        The file is missing, empty, not an image, truncated, over ``max_image_pixels``, or holds NaN/inf.
    """
    arr, info = _decode(path, mode, size)
    img = arr.astype(np.float32) / np.float32(255.0) if arr.dtype == np.uint8 else arr.astype(np.float32)
    return (img, info) if report else img


def save_image(
    path: PathLike,
    array: Any,
    cmap: str = "gray",
    vmin: float | None = None,
    vmax: float | None = None,
    scale: int = 1,
) -> Path:
    """Write a 2-D array (or an ``(H, W, 3)`` RGB array) as an image file, atomically.

    Parameters
    ----------
    path : target; the format follows the extension (see :data:`IMAGE_EXTENSIONS`).
    array : ``(H, W)``, ``(H, W, 1)`` or ``(H, W, 3)``; floats (see :func:`to_rgb8` for the range) or uint8.
    cmap : a name in :data:`COLORMAPS`; ``"gray"`` writes a one-channel image.
    vmin, vmax : the values drawn with the map's first and last colours (see :func:`to_rgb8`).
    scale : integer upscaling factor with nearest-neighbour pixels (to make small maps visible).

    +inf and -inf take the ends of the colour map; NaN pixels are transparent (an alpha channel is added) in
    the formats that have one (PNG, TIFF, WebP), and refused in the others, where they could only look like
    a value.
    """
    p = Path(path)
    if p.suffix.lower() not in IMAGE_EXTENSIONS:
        raise ValueError(
            f"{str(p)!r}: unknown image extension {p.suffix!r}. Allowed: {', '.join(IMAGE_EXTENSIONS)}"
        )
    if not isinstance(scale, (int, np.integer)) or scale < 1:
        raise ValueError(f"scale must be an int >= 1. Received: scale={scale!r}")
    rgb = to_rgb8(array, cmap, vmin, vmax)
    values = np.asarray(array, dtype=np.float64)  # (to_rgb8 converted it already)
    is_grey_rgb = values.ndim == 2 or values.shape[-1] == 1
    im = Image.fromarray(rgb[:, :, 0] if cmap == "gray" and is_grey_rgb else rgb)
    fmt = Image.registered_extensions().get(p.suffix.lower())
    nan = np.isnan(values).any(axis=-1) if values.ndim == 3 else np.isnan(values)
    if nan.any():
        if fmt not in ("PNG", "TIFF", "WEBP"):
            raise ValueError(
                f"{str(p)!r}: the array holds {int(nan.sum())} NaN value(s), which a {fmt} image cannot show "
                "(no transparency): save as .png, or replace them first (numpy.nan_to_num)"
            )
        im.putalpha(Image.fromarray(np.where(nan, 0, 255).astype(np.uint8)))
    if scale > 1:
        im = im.resize((im.width * int(scale), im.height * int(scale)), Image.Resampling.NEAREST)
    if fmt == "JPEG" and im.mode not in ("L", "RGB"):
        im = im.convert("RGB")
    return atomic_write(p, lambda tmp: im.save(tmp, format=fmt))
