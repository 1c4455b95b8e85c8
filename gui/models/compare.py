"""The comparison pages' numbers, without Qt: padding coverage and the "pooling vs stride" experiment.

* :func:`coverage` counts, for each input pixel, how many output positions read it (the lesson's "K² times in
  the centre, 1 to K on the edges" for valid padding; every pixel K² times with full padding).
* :class:`PoolStrideRace` trains two small networks that differ only in "conv + max-pool" versus "conv with a
  larger stride" on the shipped digits, with the same seeds, batches and epochs, a few batches per call, so
  that the GUI can run it as a series of short engine-thread jobs (progress between them, cancel at any time).
  :func:`race_verdict` says what the accuracies show, with the seed-to-seed variation as the yardstick.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine import shapes

__all__ = [
    "ARCHITECTURES",
    "PoolStrideRace",
    "RaceProgress",
    "RaceSettings",
    "RaceVerdict",
    "SeedResult",
    "build_pair",
    "coverage",
    "race_verdict",
]

#: the two networks of the race, in display order
ARCHITECTURES = ("pool", "stride")


def _coverage_1d(n: int, k: int, stride: int, pad_before: int, out_n: int) -> np.ndarray:
    """``(n,)``: for each input index, how many of the ``out_n`` windows (size ``k``, step ``stride``) cover
    it."""
    padded = np.arange(n) + pad_before  # (n,) positions in the padded input
    starts = np.arange(out_n)[:, None] * stride  # (out_n, 1)
    return ((starts <= padded) & (padded < starts + k)).sum(axis=0)


def coverage(in_hw: tuple[int, int], kernel: int, padding: Any = "valid", stride: int = 1) -> np.ndarray:
    """How many output positions see each input pixel: ``(H, W)`` int.

    A window covers pixel ``(r, c)`` when it covers row ``r`` and column ``c``, so the count is the product of
    the row count and the column count. Raises ``ValueError`` when the kernel does not fit.
    """
    h, w = int(in_hw[0]), int(in_hw[1])
    s = shapes.normalize_pair(stride, "stride")
    pads = shapes.resolve_padding(padding, (h, w), (kernel, kernel), s)
    oh, ow = shapes.output_hw((h, w), (kernel, kernel), s, pads)
    if oh < 1 or ow < 1:
        raise ValueError(f"the kernel {kernel}x{kernel} does not fit in the padded input of {h}x{w}")
    rows = _coverage_1d(h, kernel, s[0], pads[0], oh)  # (H,)
    cols = _coverage_1d(w, kernel, s[1], pads[2], ow)  # (W,)
    return (rows[:, None] * cols[None, :]).astype(np.int64)


# ------------------------------------------------------------------------------------------------- the race


@dataclass(frozen=True)
class RaceSettings:
    """The experiment: both networks get ``filters`` ``kernel`` x ``kernel`` filters (ReLU), then either a
    max-pool of ``pool_size`` with step ``stride`` or nothing (their conv has stride ``stride``), then Flatten
    and Dense(10). Trained with Adam on the shipped digits for ``epochs`` epochs per seed in ``seeds``."""

    pool_size: int = 2
    stride: int = 2
    epochs: int = 2
    seeds: tuple[int, ...] = (0, 1, 2)
    filters: int = 8
    kernel: int = 3
    batch_size: int = 32
    n_train: int | None = None  # None: all 4,000 training digits

    def __post_init__(self) -> None:
        for name in ("pool_size", "stride", "epochs", "filters", "kernel", "batch_size"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be an int >= 1. Received: {name}={value!r}")
        if not self.seeds:
            raise ValueError("seeds must hold at least one seed. Received: seeds=()")


def build_pair(settings: RaceSettings, seed: int, input_shape=(28, 28, 1), classes: int = 10):
    """The two compiled networks for one seed: ``(pool, stride)``.

    ``pool``: Conv2D(stride 1, ReLU) -> MaxPooling2D(pool_size, strides=stride) -> Flatten -> Dense.
    ``stride``: Conv2D(strides=stride, ReLU) -> Flatten -> Dense. Both start from the same weights where the
    shapes agree (the convolution always; the dense layer when both maps have the same size).
    """
    from engine import Sequential, losses
    from engine.layers import Conv2D, Dense, Flatten, MaxPooling2D

    k, f = settings.kernel, settings.filters
    pool = Sequential(
        [
            Conv2D(f, k, activation="relu", input_shape=input_shape),
            MaxPooling2D(settings.pool_size, strides=settings.stride),
            Flatten(),
            Dense(classes),
        ],
        name="conv_maxpool",
        seed=seed,
    )
    strided = Sequential(
        [
            Conv2D(f, k, strides=settings.stride, activation="relu", input_shape=input_shape),
            Flatten(),
            Dense(classes),
        ],
        name="conv_stride",
        seed=seed,
    )
    start = pool.get_weights()
    if [w.shape for w in start] == [w.shape for w in strided.get_weights()]:
        strided.set_weights(start)
    else:
        strided.layers[0].set_weights(pool.layers[0].get_weights())
    for model in (pool, strided):
        model.compile(
            optimizer="adam",
            loss=losses.SparseCategoricalCrossentropy(from_logits=True),
            metrics=["accuracy"],
        )
    return pool, strided


@dataclass(frozen=True)
class SeedResult:
    """One seed's outcome: test accuracy, training seconds (batches only) and parameter count of each."""

    seed: int
    accuracy: dict[str, float]
    seconds: dict[str, float]
    params: dict[str, int]

    def to_json(self) -> dict[str, Any]:
        return {"seed": self.seed, "accuracy": self.accuracy, "seconds": self.seconds, "params": self.params}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SeedResult:
        return cls(
            int(data["seed"]),
            {k: float(data["accuracy"][k]) for k in ARCHITECTURES},
            {k: float(data["seconds"][k]) for k in ARCHITECTURES},
            {k: int(data["params"][k]) for k in ARCHITECTURES},
        )


@dataclass(frozen=True)
class RaceProgress:
    """Where the race is after one call of :meth:`PoolStrideRace.run`."""

    done_batches: int
    total_batches: int
    seed: int | None
    results: list[SeedResult] = field(default_factory=list)
    finished: bool = False
    cancelled: bool = False

    @property
    def fraction(self) -> float:
        return self.done_batches / self.total_batches if self.total_batches else 1.0


class PoolStrideRace:
    """Train :func:`build_pair`'s two networks for every seed, a few batches per :meth:`run` call.

    For each seed both networks see the same shuffled batches (the seed's permutation) in the same order, one
    batch of each in turn, so that the machine's load weighs on both alike; the time counted is the time of
    their ``train_on_batch`` calls. Before the first seed, one batch of each network is run untimed, so that
    the kernels' first compilation is not counted. Accuracy is measured on the 1,000 test digits.

    ``data`` is ``((x_train, y_train), (x_test, y_test))`` with images ``(N, 28, 28, 1)`` in [0, 1]; None
    loads the shipped digits on the first :meth:`run` (in the engine thread).
    """

    def __init__(self, settings: RaceSettings, data=None) -> None:
        self.settings = settings
        self._data = data
        self._cancel = threading.Event()
        self.results: list[SeedResult] = []
        self.models: dict[int, tuple[Any, Any]] = {}  # seed -> (pool, stride), kept for inspection
        self._done = 0
        self._seed: int | None = None
        self._steps: Generator[None, None, None] | None = None
        self.finished = False

    # ---------------------------------------------------------------------------------------------- inputs
    def _load(self) -> None:
        if self._data is None:
            from engine.datasets import load_digits

            (xtr, ytr), (xte, yte) = load_digits()
            self._data = (
                (xtr.astype(np.float32) / 255.0, ytr.astype(np.int64)),
                (xte.astype(np.float32) / 255.0, yte.astype(np.int64)),
            )
        (xtr, ytr), _ = self._data
        n = self.settings.n_train
        if n is not None:
            self._data = ((xtr[:n], ytr[:n]), self._data[1])

    @property
    def steps_per_epoch(self) -> int:
        n = self.settings.n_train if self._data is None else len(self._data[0][0])
        n = 4000 if n is None else n
        return -(-n // self.settings.batch_size)

    @property
    def total_batches(self) -> int:
        """Batches of both networks together over every seed and epoch."""
        s = self.settings
        return 2 * len(s.seeds) * s.epochs * self.steps_per_epoch

    # -------------------------------------------------------------------------------------------- running
    def cancel(self) -> None:
        """Stop at the next batch (safe to call from any thread)."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def progress(self) -> RaceProgress:
        return RaceProgress(
            self._done, self.total_batches, self._seed, list(self.results), self.finished, self.cancelled
        )

    def run(self, max_batches: int = 40) -> RaceProgress:
        """Train up to ``max_batches`` batches (both networks counted) and report (in the engine thread)."""
        if self._steps is None:
            self._load()
            self._steps = self._all_steps()
        for _ in range(max_batches):
            if self.finished or self.cancelled:
                break
            try:
                next(self._steps)
            except StopIteration:
                self.finished = True
        return self.progress()

    def _all_steps(self) -> Generator[None, None, None]:
        assert self._data is not None
        s = self.settings
        (xtr, ytr), (xte, yte) = self._data
        warm = build_pair(s, 0, xtr.shape[1:])
        for model in warm:  # the first compilation of the kernels, not counted
            model.train_on_batch(xtr[: s.batch_size], ytr[: s.batch_size])
        n, bs = len(xtr), s.batch_size
        for seed in s.seeds:
            self._seed = seed
            nets = dict(zip(ARCHITECTURES, build_pair(s, seed, xtr.shape[1:]), strict=True))
            seconds = dict.fromkeys(ARCHITECTURES, 0.0)
            rng = np.random.default_rng(seed)
            for _epoch in range(s.epochs):
                perm = rng.permutation(n)
                for b in range(0, n, bs):
                    idx = perm[b : b + bs]
                    xb, yb = xtr[idx], ytr[idx]  # (B, H, W, 1), (B,)
                    for name in ARCHITECTURES:
                        t0 = time.perf_counter()
                        nets[name].train_on_batch(xb, yb)
                        seconds[name] += time.perf_counter() - t0
                        self._done += 1
                        yield
            accuracy = {
                name: float(np.mean(nets[name].predict(xte, batch_size=256).argmax(axis=1) == yte))
                for name in ARCHITECTURES
            }
            params = {name: int(nets[name].count_params()) for name in ARCHITECTURES}
            self.models[seed] = (nets["pool"], nets["stride"])
            self.results.append(SeedResult(int(seed), accuracy, seconds, params))


@dataclass(frozen=True)
class RaceVerdict:
    """What a finished race shows.

    ``kind``: ``"same"`` (the mean accuracy difference lies within the seed-to-seed variation, or below half a
    point), ``"pool"`` or ``"stride"`` (that network is ahead by more); accuracies in percent; ``diff`` is
    stride minus pool in points and ``spread`` the standard deviation of the per-seed differences (0 for one
    seed); ``speedup`` is the pooling network's training time over the strided one's.
    """

    kind: str
    pool: float
    stride: float
    diff: float
    spread: float
    seeds: int
    seconds_pool: float
    seconds_stride: float

    @property
    def speedup(self) -> float:
        return self.seconds_pool / self.seconds_stride if self.seconds_stride > 0 else float("inf")


#: differences below this many accuracy points count as none, whatever the spread
NEGLIGIBLE_POINTS = 0.5


def race_verdict(results: list[SeedResult]) -> RaceVerdict:
    """Summarise ``results`` (at least one seed)."""
    if not results:
        raise ValueError("race_verdict needs at least one seed's result. Received: []")
    pool = np.array([r.accuracy["pool"] for r in results]) * 100.0
    stride = np.array([r.accuracy["stride"] for r in results]) * 100.0
    d = stride - pool  # (seeds,) paired differences, in points
    diff = float(d.mean())
    spread = float(d.std(ddof=1)) if len(d) > 1 else 0.0
    kind = "same" if abs(diff) <= max(spread, NEGLIGIBLE_POINTS) else ("stride" if diff > 0 else "pool")
    return RaceVerdict(
        kind,
        float(pool.mean()),
        float(stride.mean()),
        diff,
        spread,
        len(results),
        float(sum(r.seconds["pool"] for r in results)),
        float(sum(r.seconds["stride"] for r in results)),
    )
