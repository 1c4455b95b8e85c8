"""Datasets: the shipped MNIST subset, a procedural shapes set, and loaders for the user's own data.

Every loader returns images as ``(N, H, W, C)`` uint8 (0 = black, 255 = white) and labels as ``(N,)`` uint8,
like ``keras.datasets.*.load_data()``; divide by 255 before training. :func:`load_dataset` turns one string
(``digits``, ``shapes``, a folder, ``mnist-idx:...``, ``cifar10:...``) into a train/test :class:`Dataset`;
the command line and the app use it.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import NamedTuple

import numpy as np

from engine import config
from engine._dataset_files import DatasetError, load_cifar10, load_mnist_idx
from engine.io import IMAGE_EXTENSIONS, ImageLoadError, _normalize_size, read_image_uint8

__all__ = [
    "CIFAR10_CLASSES",
    "DATASET_SPEC_HELP",
    "DIGIT_CLASSES",
    "SHAPE_CLASSES",
    "Dataset",
    "DatasetError",
    "ImageFolder",
    "load_cifar10",
    "load_dataset",
    "load_digits",
    "load_image_folder",
    "load_mnist_idx",
    "load_shapes",
    "make_shapes",
    "stratified_split",
]

DIGIT_CLASSES = tuple(str(d) for d in range(10))
SHAPE_CLASSES = ("horizontal", "vertical", "diagonal", "cross", "square", "circle")
CIFAR10_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
_MAX_GENERATED_BYTES = 1 << 31
#: a class needs this many images for the 80/20 split to give one to the test set (round(3 * 0.2) = 1)
_MIN_PER_CLASS_FOR_TEST = 3
DATASET_SPEC_HELP = "digits | shapes | DIR | mnist-idx:IMAGES,LABELS[,TEST_IMAGES,TEST_LABELS] | cifar10:DIR"

PathLike = str | os.PathLike


class Dataset(NamedTuple):
    """A train/test split with its class names; images ``(N, H, W, C)`` uint8, labels ``(N,)`` uint8."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple[str, ...]
    name: str
    skipped: tuple[tuple[str, str], ...] = ()
    notes: tuple[tuple[str, str], ...] = ()  # (path, what was done) for images read in an unusual way


class ImageFolder(NamedTuple):
    """What :func:`load_image_folder` found: images, labels, class names, and the files it skipped."""

    x: np.ndarray  # (N, H, W, C) uint8
    y: np.ndarray  # (N,) uint8
    class_names: tuple[str, ...]
    skipped: tuple[tuple[str, str], ...]  # (path, reason) for each unreadable file
    notes: tuple[
        tuple[str, str], ...
    ] = ()  # (path, note) for images read in an unusual way (16-bit, float...)


# --------------------------------------------------------------------------------------------- splits


def stratified_split(
    y: np.ndarray, test_fraction: float = 0.2, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Indices ``(train_idx, test_idx)`` holding ``test_fraction`` of every class out, both shuffled.

    A class with a single sample stays in the training set.
    """
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be in (0, 1). Received: test_fraction={test_fraction}")
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D (one label per sample). Received shape: {y.shape}")
    if y.size == 0:
        raise ValueError("y is empty: there is nothing to split (0 samples)")
    rng = np.random.default_rng(seed)
    train, test = [], []
    for c in np.unique(y):
        idx = np.flatnonzero(y == c)
        idx = idx[rng.permutation(idx.size)]
        n_test = round(idx.size * test_fraction) if idx.size > 1 else 0
        test.append(idx[:n_test])
        train.append(idx[n_test:])
    tr, te = np.concatenate(train), np.concatenate(test)
    return tr[rng.permutation(tr.size)], te[rng.permutation(te.size)]


# ------------------------------------------------------------------------------------------- built-ins


@functools.lru_cache(maxsize=1)
def _digits_arrays() -> tuple[np.ndarray, np.ndarray]:
    path = config.assets_dir() / "mnist_5k.npz"
    if not path.is_file():
        raise DatasetError(f"{str(path)!r}: the shipped digits are missing (set CONVSCOPE_ASSETS?)")
    with np.load(path, allow_pickle=False) as data:
        images, labels = data["images"], data["labels"]
    images.setflags(write=False)
    labels.setflags(write=False)
    return images, labels


def load_digits() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """The 5,000 MNIST digits shipped in ``assets/``, split 4,000 / 1,000 (stratified, always the same).

    Returns
    -------
    (x_train, y_train), (x_test, y_test)
        ``x`` is ``(N, 28, 28, 1)`` uint8 (0 = background, 255 = ink), ``y`` is ``(N,)`` uint8 in 0..9.
    """
    images, labels = _digits_arrays()
    tr, te = stratified_split(labels, 0.2, seed=0)
    x = images[..., None]  # (5000, 28, 28, 1)
    return (x[tr].copy(), labels[tr].copy()), (x[te].copy(), labels[te].copy())


def _draw(kind: str, size: int, rng: np.random.Generator) -> np.ndarray:
    """One anti-aliased shape on a ``(size, size)`` float grid in [0, 1]."""
    r, c = np.mgrid[0:size, 0:size].astype(np.float64)
    half = rng.uniform(0.5, 1.1)  # half the stroke width, in pixels
    margin = size * 0.15
    cy, cx = rng.uniform(size * 0.35, size * 0.65, 2)
    extent = rng.uniform(size * 0.2, size * 0.33)  # half-length / radius
    if kind == "horizontal":
        y0 = rng.uniform(margin, size - 1 - margin)
        d = np.where(np.abs(c - cx) <= extent, np.abs(r - y0), np.inf)
    elif kind == "vertical":
        x0 = rng.uniform(margin, size - 1 - margin)
        d = np.where(np.abs(r - cy) <= extent, np.abs(c - x0), np.inf)
    elif kind == "diagonal":
        sign = rng.choice((-1.0, 1.0))  # '\' or '/'
        u = ((c - cx) + sign * (r - cy)) / np.sqrt(2.0)  # along the line
        v = ((c - cx) - sign * (r - cy)) / np.sqrt(2.0)  # across it
        d = np.where(np.abs(u) <= extent, np.abs(v), np.inf)
    elif kind == "cross":
        dh = np.where(np.abs(c - cx) <= extent, np.abs(r - cy), np.inf)
        dv = np.where(np.abs(r - cy) <= extent, np.abs(c - cx), np.inf)
        d = np.minimum(dh, dv)
    elif kind == "square":
        cheb = np.maximum(np.abs(r - cy), np.abs(c - cx))
        d = np.abs(cheb - extent)
    elif kind == "circle":
        d = np.abs(np.hypot(r - cy, c - cx) - extent)
    else:
        raise ValueError(f"unknown shape class {kind!r}. Known classes: {', '.join(SHAPE_CLASSES)}")
    return np.clip(half + 0.5 - d, 0.0, 1.0) * rng.uniform(0.7, 1.0)


def make_shapes(
    n: int, size: int = 28, classes: tuple[str, ...] = SHAPE_CLASSES, noise: float = 0.1, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """A procedural data set of the lesson's shapes: lines (horizontal, vertical, diagonal), cross, square,
    circle.

    Bright strokes of random position, length and width on a dark background, plus Gaussian noise; classes are
    balanced (``n // len(classes)`` each, the remainder spread over the first ones) and shuffled.

    Parameters
    ----------
    n : number of images.
    size : side of the square images, >= 8.
    classes : which shapes, in label order (a subset of :data:`SHAPE_CLASSES`).
    noise : standard deviation of the added noise, as a fraction of full scale.
    seed : the same seed always gives the same images.

    Returns
    -------
    x : ``(n, size, size, 1)`` uint8.
    y : ``(n,)`` uint8, indices into ``classes``.
    """
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be an int >= 1. Received: n={n!r}")
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 8:
        raise ValueError(f"size must be an int >= 8. Received: size={size!r}")
    _normalize_size(int(size), "size")  # at most max_image_pixels pixels per image
    if int(n) * int(size) ** 2 > _MAX_GENERATED_BYTES:
        raise ValueError(
            f"n * size * size = {int(n) * int(size) ** 2:,} bytes of images, over the 2 GiB limit of "
            f"generated data sets. Received: n={n}, size={size}"
        )
    classes = tuple(classes)
    unknown = [k for k in classes if k not in SHAPE_CLASSES]
    if not classes or unknown:
        raise ValueError(f"classes must be a non-empty subset of {SHAPE_CLASSES}. Received: {classes!r}")
    if not 0.0 <= noise <= 1.0:
        raise ValueError(f"noise must be in [0, 1]. Received: noise={noise}")
    rng = np.random.default_rng(seed)
    y = (np.arange(n) % len(classes))[rng.permutation(n)].astype(np.uint8)
    x = np.empty((n, size, size, 1), np.uint8)
    for i in range(n):
        img = _draw(classes[y[i]], int(size), rng)
        if noise > 0:
            img = img + rng.normal(0.0, noise, img.shape)
        x[i, :, :, 0] = np.rint(np.clip(img, 0.0, 1.0) * 255.0)
    return x, y


def load_shapes(
    n_train: int = 1200, n_test: int = 300, size: int = 28, noise: float = 0.1, seed: int = 0
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Two independent :func:`make_shapes` draws (seeds ``seed`` and ``seed + 1``) as a train/test split."""
    train = make_shapes(n_train, size, noise=noise, seed=seed)
    test = make_shapes(n_test, size, noise=noise, seed=seed + 1)
    return train, test


# ---------------------------------------------------------------------------------------- image folders


def load_image_folder(
    path: PathLike, target_size: tuple[int, int] | int | None, color_mode: str = "grayscale"
) -> ImageFolder:
    """Read ``path/<class>/<image>`` files, one sub-folder per class (Keras' ``flow_from_directory`` layout).

    Classes are the sub-folder names in sorted order; files whose extension is not an image extension
    (and hidden files) are ignored; image files that cannot be read are skipped and listed in ``skipped``.

    Parameters
    ----------
    path : the folder holding one sub-folder per class.
    target_size : ``(height, width)`` (or an int) every image is resized to; None keeps the size, which must
        then be the same for every image.
    color_mode : ``"grayscale"`` (C = 1) or ``"rgb"`` (C = 3).

    Returns
    -------
    ImageFolder
        ``x (N, H, W, C)`` uint8, ``y (N,)`` uint8, ``class_names``, ``skipped`` ``((path, reason), ...)``.
    """
    modes = {"grayscale": "L", "rgb": "RGB"}
    if color_mode not in modes:
        raise ValueError(f"color_mode must be one of {tuple(modes)}. Received: color_mode={color_mode!r}")
    _normalize_size(target_size, "target_size")  # before any file is read
    root = Path(path)
    if not root.is_dir():
        raise DatasetError(f"{str(root)!r}: not a folder")
    class_dirs = sorted(d for d in root.iterdir() if d.is_dir() and not d.name.startswith("."))
    if not class_dirs:
        raise DatasetError(
            f"{str(root)!r}: no class sub-folders; a data set needs at least 1 "
            f"({root.name}/<class>/<image files>, one sub-folder per class)"
        )
    if len(class_dirs) > 256:
        raise DatasetError(f"{str(root)!r}: {len(class_dirs)} class folders; at most 256 are supported")
    images: list[np.ndarray] = []
    labels: list[int] = []
    skipped: list[tuple[str, str]] = []
    notes: list[tuple[str, str]] = []
    for label, d in enumerate(class_dirs):
        for f in sorted(d.rglob("*")):
            if not f.is_file() or f.name.startswith(".") or f.suffix.lower() not in IMAGE_EXTENSIONS:
                continue
            try:
                arr, info = read_image_uint8(f, modes[color_mode], target_size, report=True)
            except ImageLoadError as exc:
                skipped.append((str(f), str(exc)))
                continue
            if images and arr.shape != images[0].shape:
                raise DatasetError(
                    f"{str(f)!r}: size {arr.shape[:2]} differs from the first image's {images[0].shape[:2]}; "
                    "pass target_size=(height, width)"
                )
            images.append(arr)
            labels.append(label)
            notes.extend((str(f), note) for note in info.notes)
    if not images:
        example = f"; e.g. {skipped[0][1]}" if skipped else ""
        raise DatasetError(
            f"{str(root)!r}: 0 readable images in {len(class_dirs)} class folders ({len(skipped)} unreadable)"
            f"; a data set needs at least 1 image ({', '.join(IMAGE_EXTENSIONS)}){example}"
        )
    x = np.stack(images)
    if x.ndim == 3:
        x = x[..., None]  # (N, H, W, 1)
    return ImageFolder(
        x, np.array(labels, np.uint8), tuple(d.name for d in class_dirs), tuple(skipped), tuple(notes)
    )


def _split_or_refuse(y: np.ndarray, seed: int, where: str, remedy: str) -> tuple[np.ndarray, np.ndarray]:
    """:func:`stratified_split` 80/20, refusing a split that leaves no test image (with the counts)."""
    tr, te = stratified_split(y, 0.2, seed)
    if te.size == 0:
        largest = int(np.bincount(y).max())
        raise DatasetError(
            f"{where}: holding 20 % of each class out of {y.size} images leaves 0 test images: a class needs "
            f"at least {_MIN_PER_CLASS_FOR_TEST} images to give one to the test set (the largest has "
            f"{largest}). {remedy}"
        )
    return tr, te


# ---------------------------------------------------------------------------------------------- specs


def _label_names(max_label: int) -> tuple[str, ...]:
    """Digit names for labels 0..9; labels beyond 9 (EMNIST, other IDX sets) are named by their number."""
    return DIGIT_CLASSES if max_label <= 9 else tuple(str(i) for i in range(max_label + 1))


def load_dataset(
    spec: str,
    *,
    n_train: int = 1200,
    n_test: int = 300,
    target_size: tuple[int, int] | None = None,
    color_mode: str = "grayscale",
    seed: int = 0,
) -> Dataset:
    """Load a train/test :class:`Dataset` from a one-string description (the CLI's ``--dataset``).

    ``digits`` (the shipped MNIST subset), ``shapes`` (``n_train`` / ``n_test`` procedural images), ``DIR``
    (one sub-folder per class; ``DIR/train`` and ``DIR/test`` when both exist, else 20 % of each class held
    out), ``mnist-idx:IMAGES,LABELS[,TEST_IMAGES,TEST_LABELS]`` (IDX files, gzipped or not; a single pair is
    split 80/20), ``cifar10:DIR`` (the CIFAR-10 python batches).
    """
    if not isinstance(spec, str) or not spec.strip():
        raise ValueError(f"dataset must be one of: {DATASET_SPEC_HELP}. Received: {spec!r}")
    spec = spec.strip()
    low = spec.lower()
    if low == "digits":
        (xtr, ytr), (xte, yte) = load_digits()
        return Dataset(xtr, ytr, xte, yte, DIGIT_CLASSES, "digits")
    if low == "shapes":
        (xtr, ytr), (xte, yte) = load_shapes(n_train, n_test, seed=seed)
        return Dataset(xtr, ytr, xte, yte, SHAPE_CLASSES, "shapes")
    if low.startswith("mnist-idx:"):
        parts = [p.strip() for p in spec.split(":", 1)[1].split(",")]
        if len(parts) not in (2, 4) or not all(parts):
            raise ValueError(
                f"mnist-idx needs IMAGES,LABELS or IMAGES,LABELS,TEST_IMAGES,TEST_LABELS. Received: {spec!r}"
            )
        x, y = load_mnist_idx(parts[0], parts[1])
        if len(parts) == 4:
            xte, yte = load_mnist_idx(parts[2], parts[3])
            if xte.shape[1:] != x.shape[1:]:
                raise DatasetError(
                    f"{parts[2]!r} holds images of {xte.shape[1:3]}, {parts[0]!r} images of {x.shape[1:3]}"
                )
            names = _label_names(max(int(y.max()), int(yte.max())))
            return Dataset(x, y, xte, yte, names, "mnist-idx")
        tr, te = _split_or_refuse(
            y,
            seed,
            f"mnist-idx {parts[0]!r}",
            "Give a test pair: mnist-idx:IMAGES,LABELS,TEST_IMAGES,TEST_LABELS",
        )
        return Dataset(x[tr], y[tr], x[te], y[te], _label_names(int(y.max())), "mnist-idx")
    if low.startswith("cifar10:"):
        (xtr, ytr), (xte, yte) = load_cifar10(spec.split(":", 1)[1])
        return Dataset(xtr, ytr, xte, yte, CIFAR10_CLASSES, "cifar10")
    root = Path(spec)
    if not root.is_dir():
        raise DatasetError(f"dataset {spec!r} is not a folder nor one of: {DATASET_SPEC_HELP}")
    train_dir, test_dir = root / "train", root / "test"
    if train_dir.is_dir() and test_dir.is_dir():
        tr_f = load_image_folder(train_dir, target_size, color_mode)
        te_f = load_image_folder(test_dir, target_size, color_mode)
        if te_f.class_names != tr_f.class_names:
            raise DatasetError(
                f"{str(root)!r}: train classes {tr_f.class_names} differ from test classes {te_f.class_names}"
            )
        if te_f.x.shape[1:] != tr_f.x.shape[1:]:
            raise DatasetError(
                f"{str(root)!r}: test images are {te_f.x.shape[1:3]}, training images {tr_f.x.shape[1:3]}; "
                "pass target_size=(height, width)"
            )
        return Dataset(
            tr_f.x,
            tr_f.y,
            te_f.x,
            te_f.y,
            tr_f.class_names,
            root.name,
            tr_f.skipped + te_f.skipped,
            tr_f.notes + te_f.notes,
        )
    folder = load_image_folder(root, target_size, color_mode)
    tr, te = _split_or_refuse(
        folder.y,
        seed,
        repr(str(root)),
        f"Add images, or give {root.name}/train and {root.name}/test folders.",
    )
    return Dataset(
        folder.x[tr],
        folder.y[tr],
        folder.x[te],
        folder.y[te],
        folder.class_names,
        root.name,
        folder.skipped,
        folder.notes,
    )
