"""Flatten vs GlobalMaxPooling, without Qt: one convolutional base, two heads, run and trained side by side.

The pair is the lesson's network (:func:`engine.zoo.lesson`, a Flatten head) and its GlobalMaxPooling variant
(:func:`engine.zoo.lesson_gmp`, built for any image size), made with the same seed: the model seeds each
layer from its position, so both bases start from the very same weights. :class:`PairTraining` trains them
on the same batches in the same order; :func:`run_head` runs one on an image of any size and reports the
engine's refusal when the Flatten head cannot take it. Everything here runs in the engine thread.
"""

from __future__ import annotations

import copy
import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "HEADS",
    "HeadRun",
    "HeadSummary",
    "PairResult",
    "PairTraining",
    "build_pair",
    "difference_noise",
    "pad_to",
    "run_head",
    "summarize_head",
]

#: the two heads, in display order: key -> zoo preset
HEADS = {"flatten": "lesson", "gmp": "lesson_gmp"}


def build_pair(input_shape: tuple[int, int, int], num_classes: int, seed: int = 0) -> dict[str, Any]:
    """The two compiled models, ``{"flatten": ..., "gmp": ...}``; the GlobalMaxPooling one takes any size."""
    from engine import zoo
    from gui.models.session import compile_model

    h, w, c = input_shape
    models = {
        "flatten": zoo.build("lesson", (h, w, c), num_classes, seed=seed),
        "gmp": zoo.build("lesson_gmp", (None, None, c), num_classes, seed=seed),
    }
    for model in models.values():
        compile_model(model, "Adam", 1e-3)
    return models


@dataclass
class HeadSummary:
    """Sizes and parameter counts of one model of the pair for ``input_hw``."""

    key: str
    base_shape: tuple[int, int, int]  # the base's last maps
    vector_size: int  # what the head's first Dense receives
    base_params: int
    head_params: list[tuple[str, str, int]]  # (name, class, params) after the base
    total_params: int


def _split(model: Any) -> int:
    """Index of the layer that turns maps into a vector (Flatten or a global pooling)."""
    for i, (_, layer) in enumerate(model.iter_leaves()):
        kind = type(layer).__name__
        if kind == "Flatten" or kind.startswith("Global"):
            return i
    raise ValueError(f"model {model.name!r} has no Flatten or global pooling layer")


def summarize_head(model: Any, key: str, input_hw: tuple[int, int]) -> HeadSummary:
    """What the base gives and what the head costs, for images of ``input_hw``."""
    leaves = [layer for _, layer in model.iter_leaves()]
    split = _split(model)
    shape: tuple[Any, ...] = (int(input_hw[0]), int(input_hw[1]), int(model.input_shape[-1]))
    for layer in leaves[:split]:
        shape = tuple(layer.compute_output_shape(shape))
    vector = tuple(leaves[split].compute_output_shape(shape))
    base_shape = (int(shape[0]), int(shape[1]), int(shape[2]))
    base = sum(int(layer.count_params()) for layer in leaves[:split])
    head = [(layer.name, type(layer).__name__, int(layer.count_params())) for layer in leaves[split:]]
    return HeadSummary(key, base_shape, int(vector[0]), base, head, base + sum(p for _, _, p in head))


@dataclass
class HeadRun:
    """One model of the pair on one image: the base's last maps, the vector, the probabilities; or the
    engine's refusal (``error``) and the layer that refused."""

    key: str
    maps: np.ndarray | None = None  # (h, w, C)
    vector: np.ndarray | None = None  # (D,)
    probabilities: np.ndarray | None = None  # (K,)
    error: str = ""
    refused_at: str = ""


def run_head(model: Any, key: str, image: np.ndarray) -> HeadRun:
    """Run ``image (H, W, C)`` through ``model`` layer by layer (on copies of the layers, so the model keeps
    its caches), as inference does; a layer that refuses the size stops the run with its message."""
    from engine import config
    from engine.training import softmax_rows

    split = _split(model)
    result = HeadRun(key)
    a = np.ascontiguousarray(image, np.float32)[None]  # (1, H, W, C)
    with config.using_backend(getattr(model, "backend", None)):
        for i, (name, layer) in enumerate(model.iter_leaves()):
            try:
                a = copy.copy(layer).forward(a, training=False)
            except ValueError as exc:
                result.error, result.refused_at = str(exc), name
                return result
            if i == split - 1:
                result.maps = np.array(a[0])
            elif i == split:
                result.vector = np.array(a[0])
    out = np.asarray(a, np.float64)
    result.probabilities = (out if model.output_kind == "probabilities" else softmax_rows(out))[0]
    return result


def pad_to(image: np.ndarray, size: int) -> np.ndarray:
    """``image (H, W, C)`` centred on a ``size x size`` black canvas (cropped around its centre when larger):
    the digit keeps its size, only the frame around it grows."""
    h, w, c = image.shape
    out = np.zeros((size, size, c), np.float32)
    top, left = (size - h) // 2, (size - w) // 2
    src_t, src_l = max(-top, 0), max(-left, 0)
    dst_t, dst_l = max(top, 0), max(left, 0)
    n_h, n_w = min(h - src_t, size - dst_t), min(w - src_l, size - dst_l)
    out[dst_t : dst_t + n_h, dst_l : dst_l + n_w] = image[src_t : src_t + n_h, src_l : src_l + n_w]
    return out


@dataclass
class PairResult:
    """What :class:`PairTraining` measured for one model: validation accuracy, training seconds (only the
    time inside ``train_on_batch``), batches and epochs."""

    accuracy: float
    seconds: float
    batches: int
    epochs: int
    n_val: int


@dataclass
class PairTraining:
    """Train both models of the pair on the same batches, in the same order, a few batches per call.

    The GUI submits :meth:`step` as engine-thread jobs until :attr:`done`, so the window and other jobs keep
    running between chunks; each model's time counts only its own ``train_on_batch`` calls.
    """

    models: dict[str, Any]
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    epochs: int = 2
    batch_size: int = 32
    seed: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    position: int = 0  # batches done (per model)
    results: dict[str, PairResult] = field(default_factory=dict)

    @property
    def steps_per_epoch(self) -> int:
        return math.ceil(len(self.x_train) / self.batch_size)

    @property
    def total(self) -> int:
        return self.steps_per_epoch * self.epochs

    @property
    def done(self) -> bool:
        return self.position >= self.total and len(self.results) == len(self.models)

    def _batch(self, step: int) -> np.ndarray:
        epoch, b = divmod(step, self.steps_per_epoch)
        order = np.random.default_rng([self.seed, epoch]).permutation(len(self.x_train))
        return order[b * self.batch_size : (b + 1) * self.batch_size]

    def step(self, n: int = 8) -> int:
        """Train up to ``n`` batches on each model, then, after the last one, evaluate both. Returns the
        batches done so far."""
        end = min(self.position + n, self.total)
        for s in range(self.position, end):
            idx = self._batch(s)
            xb, yb = self.x_train[idx], self.y_train[idx]
            for key, model in self.models.items():
                t0 = time.perf_counter()
                model.train_on_batch(xb, yb)
                self.seconds[key] = self.seconds.get(key, 0.0) + time.perf_counter() - t0
        self.position = end
        if self.position >= self.total and not self.results:
            for key, model in self.models.items():
                pred = model.predict(self.x_val, batch_size=128).argmax(axis=1)
                acc = float((pred == self.y_val).mean())
                self.results[key] = PairResult(
                    acc, self.seconds.get(key, 0.0), self.total, self.epochs, len(self.y_val)
                )
        return self.position


def difference_noise(a: float, b: float, n: int) -> float:
    """Standard error of the difference of two accuracies measured on the same ``n`` images, taken as
    independent (a slight overestimate: both models see the same images)."""
    return math.sqrt((a * (1 - a) + b * (1 - b)) / max(n, 1))
