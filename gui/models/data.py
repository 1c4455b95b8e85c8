"""Data sets as the learning tabs use them: float32 images in [0, 1], int labels, class names.

A thin layer over :mod:`engine.datasets` (which returns uint8) that also subsets, so that a lesson-sized run
trains in seconds on two cores.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["DATASET_KINDS", "LabData", "class_subset", "load_lab_data"]

#: the dataset chooser's entries, in order
DATASET_KINDS = ("digits", "shapes", "folder")


@dataclass
class LabData:
    """A train/validation split ready for the engine.

    Attributes
    ----------
    x_train, x_val : ``(N, H, W, C)`` float32 in [0, 1].
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


def _float(x: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(x, dtype=np.float32) / np.float32(255.0)  # (N, H, W, C)


def _take(x: np.ndarray, y: np.ndarray, n: int | None, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A class-balanced-in-expectation random subset of at most ``n`` items (all when ``n`` is None)."""
    if n is None or n >= len(x):
        return x, y
    idx = np.sort(np.random.default_rng(seed).permutation(len(x))[:n])
    return x[idx], y[idx]


def load_lab_data(
    kind: str,
    n_train: int | None = 2000,
    n_val: int | None = 500,
    *,
    folder: str | None = None,
    image_size: int = 28,
    color_mode: str = "grayscale",
    seed: int = 0,
) -> LabData:
    """Load one of :data:`DATASET_KINDS`.

    Parameters
    ----------
    kind : ``"digits"`` (the shipped MNIST subset), ``"shapes"`` (synthetic lines, cross, square, circle) or
        ``"folder"`` (``folder/<class>/<image>``, split 80/20 stratified).
    n_train, n_val : subset sizes (None: everything available).
    folder, image_size, color_mode : for ``"folder"`` only (images resized to ``image_size`` square).
    seed : picks the subset.
    """
    from engine import datasets

    if kind == "digits":
        (xt, yt), (xv, yv) = datasets.load_digits()
        names = list(datasets.DIGIT_CLASSES)
        name = "digits"
    elif kind == "shapes":
        (xt, yt), (xv, yv) = datasets.load_shapes(n_train or 1200, n_val or 300, size=image_size, seed=seed)
        names = list(datasets.SHAPE_CLASSES)
        name = "shapes"
    elif kind == "folder":
        if not folder:
            raise ValueError("folder must name a folder with one sub-folder per class. Received: folder=None")
        found = datasets.load_image_folder(folder, (image_size, image_size), color_mode=color_mode)
        if len(found.class_names) < 2:
            raise ValueError(
                f"the folder {folder!r} must hold at least two sub-folders (one per class) of images. "
                f"Found classes: {list(found.class_names)}"
            )
        tr, te = datasets.stratified_split(found.y, 0.2, seed=seed)
        xt, yt, xv, yv = found.x[tr], found.y[tr], found.x[te], found.y[te]
        names = list(found.class_names)
        name = str(folder)
    else:
        raise ValueError(f"kind must be one of {DATASET_KINDS}. Received: kind={kind!r}")
    xt, yt = _take(xt, yt, n_train, seed)
    xv, yv = _take(xv, yv, n_val, seed + 1)
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
