"""Data sets as the learning tabs use them: float32 images in [0, 1], int labels, class names.

A thin layer over :mod:`engine.datasets` (which returns uint8) that also subsets, so that a lesson-sized run
trains in seconds on two cores.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "COLOR_MODES",
    "DATASET_KINDS",
    "LabData",
    "class_subset",
    "convert_images",
    "default_format",
    "fit_image",
    "load_lab_data",
]

#: the dataset chooser's entries, in order
DATASET_KINDS = ("digits", "shapes", "folder", "cifar10")

#: ``"grayscale"``: one channel; ``"rgb"``: three
COLOR_MODES = ("grayscale", "rgb")

#: what each data set is made of, and the size its images come in: (colour mode, (height, width)); a folder's
#: colour mode None means "as the images are" (colour when any image has colour)
_DEFAULTS: dict[str, tuple[str | None, tuple[int, int]]] = {
    "digits": ("grayscale", (28, 28)),
    "shapes": ("grayscale", (28, 28)),
    "folder": (None, (28, 28)),
    "cifar10": ("rgb", (32, 32)),
}

#: ITU-R 601 luminance weights, as Pillow's "L" mode (and the convolution lab's grey) use
_LUMA = np.array([0.299, 0.587, 0.114])


@dataclass
class LabData:
    """A train/validation split ready for the engine.

    Attributes
    ----------
    x_train, x_val : ``(N, H, W, C)`` float32 in [0, 1], ``C`` = 1 (grey) or 3 (colour).
    y_train, y_val : ``(N,)`` int64 class indices.
    class_names : one name per class, in label order.
    name : what the chooser shows (e.g. ``"digits"``, or the folder path).
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    class_names: list[str]
    name: str

    @property
    def input_shape(self) -> tuple[int, int, int]:
        h, w, c = self.x_train.shape[1:]
        return int(h), int(w), int(c)

    @property
    def num_classes(self) -> int:
        return len(self.class_names)


def default_format(kind: str) -> tuple[str | None, tuple[int, int]]:
    """``(colour mode, (height, width))`` a data set loads with by default; the mode is None for a folder
    (grey or colour as its images are)."""
    if kind not in _DEFAULTS:
        raise ValueError(f"kind must be one of {DATASET_KINDS}. Received: kind={kind!r}")
    return _DEFAULTS[kind]


def _float(x: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(x, dtype=np.float32) / np.float32(255.0)  # (N, H, W, C)


def _take(x: np.ndarray, y: np.ndarray, n: int | None, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A class-balanced-in-expectation random subset of at most ``n`` items (all when ``n`` is None)."""
    if n is None or n >= len(x):
        return x, y
    idx = np.sort(np.random.default_rng(seed).permutation(len(x))[:n])
    return x[idx], y[idx]


def _size(image_size: int | tuple[int, int]) -> tuple[int, int]:
    hw = (image_size, image_size) if isinstance(image_size, (int, np.integer)) else tuple(image_size)
    if len(hw) != 2 or not all(isinstance(v, (int, np.integer)) and 4 <= v <= 512 for v in hw):
        raise ValueError(f"image_size must be (height, width) with sides in 4..512. Received: {image_size!r}")
    return int(hw[0]), int(hw[1])


def convert_images(x: np.ndarray, color_mode: str, size: tuple[int, int]) -> np.ndarray:
    """``x`` ``(N, H, W, C)`` uint8 (C = 1 or 3) as ``color_mode`` and ``size`` ``(height, width)``.

    Grey becomes colour by repeating the plane; colour becomes grey by its luminance (0.299 R + 0.587 G +
    0.114 B); images are resized with a bilinear filter. Returns ``(N, height, width, 1 or 3)`` uint8 (``x``
    itself when nothing changes).
    """
    if color_mode not in COLOR_MODES:
        raise ValueError(f"color_mode must be one of {COLOR_MODES}. Received: color_mode={color_mode!r}")
    out = x
    if color_mode == "rgb" and out.shape[-1] == 1:
        out = np.repeat(out, 3, axis=-1)
    elif color_mode == "grayscale" and out.shape[-1] == 3:
        out = np.rint(out.astype(np.float64) @ _LUMA).clip(0, 255).astype(np.uint8)[..., None]
    if tuple(out.shape[1:3]) != size:
        from PIL import Image

        h, w = size
        resized = np.empty((len(out), h, w, out.shape[-1]), np.uint8)
        for i, img in enumerate(out):
            im = Image.fromarray(img[..., 0] if img.shape[-1] == 1 else img)
            resized[i] = np.asarray(im.resize((w, h), Image.Resampling.BILINEAR)).reshape(h, w, -1)
        out = resized
    return out


def fit_image(image: np.ndarray, shape: tuple) -> np.ndarray:
    """``image`` ``(H, W)`` or ``(H, W, C)`` in [0, 1] (C = 1, 3, or 4 with the alpha ignored) made into what
    a network of input ``shape`` ``(height, width, channels)`` takes, exactly as :func:`load_lab_data` makes
    its images: 8-bit, grey by luminance (or grey repeated into colour), resized with a bilinear filter. A
    height or width of None keeps the image's. So an image opened in the window and the same image in a
    data set give the network the same input.

    Returns ``(height, width, channels)`` float32 in [0, 1]. Raises ``ValueError`` for another shape, NaN or
    inf values, or a network that takes neither 1 nor 3 channels.
    """
    img = np.asarray(image, np.float32)
    if img.ndim == 2:
        img = img[..., None]
    if img.ndim != 3 or img.shape[-1] not in (1, 3, 4) or img.size == 0:
        raise ValueError(f"image must be (H, W), (H, W, 1) or (H, W, 3). Received shape: {np.shape(image)}")
    if not np.isfinite(img).all():
        raise ValueError("image contains NaN or inf values")
    channels = int(shape[2])
    if channels not in (1, 3):
        raise ValueError(
            f"the network takes {channels} channels; only 1 (grey) or 3 (colour) images can be fitted"
        )
    size = (int(shape[0] or img.shape[0]), int(shape[1] or img.shape[1]))
    u8 = np.rint(img[..., :3].clip(0.0, 1.0) * 255.0).astype(np.uint8)[None]
    return _float(convert_images(u8, "rgb" if channels == 3 else "grayscale", size))[0]


def _all_grey(x: np.ndarray) -> bool:
    return x.shape[-1] == 1 or bool((x[..., 0] == x[..., 1]).all() and (x[..., 1] == x[..., 2]).all())


def load_lab_data(
    kind: str,
    n_train: int | None = 2000,
    n_val: int | None = 500,
    *,
    folder: str | None = None,
    image_size: int | tuple[int, int] | None = None,
    color_mode: str | None = None,
    seed: int = 0,
) -> LabData:
    """Load one of :data:`DATASET_KINDS`.

    Parameters
    ----------
    kind : ``"digits"`` (the shipped MNIST subset), ``"shapes"`` (synthetic lines, cross, square, circle),
        ``"folder"`` (``folder/<class>/<image>``, split 80/20 stratified) or ``"cifar10"`` (the CIFAR-10
        python batches in ``folder``: ``data_batch_1`` ... ``data_batch_5`` and ``test_batch``).
    n_train, n_val : subset sizes (None: everything available).
    folder : the folder of ``"folder"`` and ``"cifar10"``.
    image_size : ``(height, width)`` or one side; None: the data set's own (:func:`default_format`).
    color_mode : ``"grayscale"`` or ``"rgb"``; None: the data set's own (a folder: colour when any of its
        images has colour).
    seed : picks the subset.
    """
    from engine import datasets

    if kind not in _DEFAULTS:
        raise ValueError(f"kind must be one of {DATASET_KINDS}. Received: kind={kind!r}")
    if color_mode is not None and color_mode not in COLOR_MODES:
        raise ValueError(
            f"color_mode must be one of {COLOR_MODES} or None. Received: color_mode={color_mode!r}"
        )
    native_mode, native_size = _DEFAULTS[kind]
    size = native_size if image_size is None else _size(image_size)
    if kind in ("folder", "cifar10") and not folder:
        raise ValueError(f"folder must name a folder for {kind!r}. Received: folder={folder!r}")
    where = str(folder or "")
    if kind == "digits":
        (xt, yt), (xv, yv) = datasets.load_digits()
        names = list(datasets.DIGIT_CLASSES)
        name = "digits"
    elif kind == "shapes":
        (xt, yt), (xv, yv) = datasets.load_shapes(n_train or 1200, n_val or 300, size=max(size), seed=seed)
        names = list(datasets.SHAPE_CLASSES)
        name = "shapes"
    elif kind == "folder":
        found = datasets.load_image_folder(where, size, color_mode=color_mode or "rgb")
        if len(found.class_names) < 2:
            raise ValueError(
                f"the folder {folder!r} must hold at least two sub-folders (one per class) of images. "
                f"Found classes: {list(found.class_names)}"
            )
        tr, te = datasets.stratified_split(found.y, 0.2, seed=seed)
        xt, yt, xv, yv = found.x[tr], found.y[tr], found.x[te], found.y[te]
        names = list(found.class_names)
        name = str(folder)
        if color_mode is None:
            native_mode = "grayscale" if _all_grey(found.x) else "rgb"
    else:
        (xt, yt), (xv, yv) = datasets.load_cifar10(where)
        names = list(datasets.CIFAR10_CLASSES)
        name = "cifar10"
    xt, yt = _take(xt, yt, n_train, seed)
    xv, yv = _take(xv, yv, n_val, seed + 1)
    mode = color_mode or native_mode or "grayscale"
    xt, xv = convert_images(xt, mode, size), convert_images(xv, mode, size)
    return LabData(_float(xt), yt.astype(np.int64), _float(xv), yv.astype(np.int64), names, name)


def class_subset(data: LabData, classes: list[int], name: str | None = None) -> LabData:
    """Only the images of ``classes``, relabelled ``0..len(classes)-1`` (e.g. digits 5-9 for transfer
    learning)."""
    if not classes:
        raise ValueError("classes must name at least one class. Received: []")
    bad = [c for c in classes if not 0 <= c < data.num_classes]
    if bad:
        raise ValueError(f"classes must be in 0..{data.num_classes - 1}. Received: {bad}")
    lut = np.full(data.num_classes, -1, np.int64)
    lut[classes] = np.arange(len(classes))

    def pick(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        keep = lut[y] >= 0
        return x[keep], lut[y[keep]]

    xt, yt = pick(data.x_train, data.y_train)
    xv, yv = pick(data.x_val, data.y_val)
    names = [data.class_names[c] for c in classes]
    return LabData(xt, yt, xv, yv, names, name or f"{data.name} {names[0]}-{names[-1]}")
