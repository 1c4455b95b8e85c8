"""The convolution lab's model, without Qt: the lazy sliding walk and the engine job that computes every map.

:class:`Walk` wraps :func:`engine.sliding.windows` so that the stepper can go forward, back and jump to any
output cell while only materialising the windows it needs. :func:`compute_maps` is the one engine job the tab
submits to the engine worker each time a setting changes; it returns plain arrays.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine import ops, shapes, sliding

__all__ = ["LabParams", "Walk", "compute_maps", "warm_up"]


@dataclass(frozen=True)
class LabParams:
    """Everything one computation depends on. ``plane`` is ``(H, W)`` float32, ``kernel`` ``(K, K)``."""

    plane: np.ndarray
    kernel: np.ndarray
    bias: float
    padding: str | int
    stride: int
    flip: bool
    pool_mode: str
    pool_size: int
    pool_stride: int


class Walk:
    """The windows of one convolution, produced on demand and kept (index ``i`` is output cell ``divmod(i, OW)``).

    Raises ``ValueError`` (from :mod:`engine.sliding`) when the kernel does not fit in the padded input.
    """

    def __init__(self, p: LabParams) -> None:
        k = p.kernel.shape
        self.out_hw = sliding.output_shape(p.plane.shape, k, stride=p.stride, padding=p.padding)
        self.padded, self.pads = sliding.padded_input(p.plane, k, stride=p.stride, padding=p.padding)
        self.kernel_hw = (int(k[0]), int(k[1]))
        self.stride = p.stride
        self._it: Iterator[sliding.Window] = sliding.windows(
            p.plane, p.kernel, stride=p.stride, padding=p.padding, flip=p.flip, bias=p.bias
        )
        self._done: list[sliding.Window] = []

    @property
    def total(self) -> int:
        return self.out_hw[0] * self.out_hw[1]

    def __getitem__(self, index: int) -> sliding.Window:
        if not 0 <= index < self.total:
            raise IndexError(f"window index must be in [0, {self.total}). Received: {index}")
        while len(self._done) <= index:
            self._done.append(next(self._it))
        return self._done[index]

    def index_of(self, row: int, col: int) -> int:
        return row * self.out_hw[1] + col

    def sums(self, count: int) -> np.ndarray:
        """``(OH, OW)`` map with the first ``count`` sums filled in, NaN elsewhere."""
        out = np.full(self.total, np.nan, np.float32)
        if count > 0:
            self[count - 1]
            out[:count] = [w.sum for w in self._done[:count]]
        return out.reshape(self.out_hw)

    def outputs_seeing(self, prow: int, pcol: int) -> list[tuple[int, int]]:
        """Output cells whose window covers padded-input cell ``(prow, pcol)`` (hover in the other direction)."""
        (kh, kw), s = self.kernel_hw, self.stride
        rows = [i for i in range(self.out_hw[0]) if i * s <= prow < i * s + kh]
        cols = [j for j in range(self.out_hw[1]) if j * s <= pcol < j * s + kw]
        return [(i, j) for i in rows for j in cols]


def _try(fn, *args, **kw) -> np.ndarray | None:
    try:
        return np.asarray(fn(*args, **kw), dtype=np.float32)
    except ValueError:
        return None


def compute_maps(p: LabParams) -> dict[str, Any]:
    """Every map the lab shows, through :mod:`engine.ops` (runs in the engine worker thread).

    Returns
    -------
    dict with ``conv`` ``(OH, OW)``, ``relu`` ``(OH, OW)``, ``pooled`` ``(PH, PW)`` or None when the pooling
    window does not fit, ``pool_error`` (str or None), ``padding_maps`` {"valid"/"same"/"full": map or None},
    and the pool-vs-stride trio ``pvs`` {"conv", "pooled", "strided"}.
    """
    b = np.array([p.bias], np.float32)
    conv = np.asarray(ops.conv2d(p.plane, p.kernel, b, stride=p.stride, padding=p.padding, flip=p.flip))
    relu = np.asarray(ops.relu(conv))
    pooled, pool_error = None, None
    try:
        pooled = np.asarray(ops.pool2d(relu, p.pool_size, stride=p.pool_stride, mode=p.pool_mode))
    except ValueError as exc:
        pool_error = str(exc)
    padding_maps = {
        m: _try(ops.conv2d, p.plane, p.kernel, b, padding=m, flip=p.flip) for m in ("valid", "same", "full")
    }
    base = _try(ops.conv2d, p.plane, p.kernel, b, stride=1, padding=p.padding, flip=p.flip)
    base_relu = None if base is None else np.asarray(ops.relu(base))
    pvs = {
        "conv": base_relu,
        "pooled": None if base_relu is None else _try(ops.pool2d, base_relu, 2, mode="max"),
        "strided": _try(
            lambda: ops.relu(ops.conv2d(p.plane, p.kernel, b, stride=2, padding=p.padding, flip=p.flip))
        ),
    }
    return {
        "conv": conv,
        "relu": relu,
        "pooled": pooled,
        "pool_error": pool_error,
        "padding_maps": padding_maps,
        "pvs": pvs,
    }


def pool_output_text_args(relu_hw: tuple[int, int], size: int, stride: int) -> tuple[int, int]:
    """Pooled ``(PH, PW)`` for a map of ``relu_hw`` (0 when the window does not fit)."""
    return (
        shapes.pool_output_size(relu_hw[0], size, stride),
        shapes.pool_output_size(relu_hw[1], size, stride),
    )


def warm_up() -> str:
    """Compile the kernels the lab uses on tiny arrays (the first Numba compile takes seconds)."""
    x = np.zeros((5, 5), np.float32)
    k = np.ones((3, 3), np.float32)
    y = ops.relu(ops.conv2d(x, k, padding="same"))
    for mode in ops.POOL_MODES:
        ops.pool2d(y, 2, mode=mode)
    ops.conv2d(x, k, stride=2, flip=True)
    import engine

    return engine.get_backend()
