"""The convolution lab's model, without Qt: what the Convolution tab shows, as plain data.

:class:`ConvolutionLab` holds the image, the settings of the current computation (:class:`LabParams`), the
lazy walk and the maps the engine computed, and answers what the views ask at a given step: the partial
feature map, the windows to outline (:class:`StepMarks`), the pooled cells known so far
(:class:`PoolStep`) and the numbers of the output-size formula (:class:`OutputSize`).

:class:`Walk` wraps :func:`engine.sliding.windows` so that the stepper can go forward, back and jump to any
output cell while only materialising the windows it needs. :func:`compute_maps` is the one engine job the tab
submits to the engine worker each time a setting changes; it returns plain arrays.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine import ops, shapes, sliding

__all__ = [
    "ConvolutionLab",
    "LabParams",
    "Mark",
    "OutputSize",
    "PoolStep",
    "StepMarks",
    "Walk",
    "compute_maps",
    "masked",
    "warm_up",
]


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
    """The windows of one convolution, produced on demand and kept (index ``i`` is output cell ``divmod(i,
    OW)``).

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
        """Output cells whose window covers padded-input cell ``(prow, pcol)`` (hover in the other
        direction)."""
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


def masked(full: np.ndarray, count: int) -> np.ndarray:
    """A float32 copy of ``full`` with every cell from row-major index ``count`` on set to NaN (not yet
    computed)."""
    flat = full.astype(np.float32).ravel().copy()
    flat[count:] = np.nan
    return flat.reshape(full.shape)


@dataclass(frozen=True)
class Mark:
    """A rectangle of cells to outline: ``rows`` x ``cols`` cells from ``(top, left)``.

    ``role``: ``"current"`` (the window just computed), ``"hover"`` (under the mouse) or ``"seen"`` (an output
    cell whose window covers the hovered input cell); ``fill``: tint the cells too.
    """

    top: int
    left: int
    rows: int
    cols: int
    role: str
    fill: bool = False


@dataclass(frozen=True)
class StepMarks:
    """What to outline at one step: on the padded input, on the feature map, and the window the calculation
    panel writes out (the hovered one, else the current one; None before the first step)."""

    input: list[Mark] = field(default_factory=list)
    output: list[Mark] = field(default_factory=list)
    window: sliding.Window | None = None


@dataclass(frozen=True)
class PoolStep:
    """The pooled map as shown: ``shown`` ``(PH, PW)`` with NaN for cells not known yet, and the pooling
    window being stepped (None when the pooling stepper is at its end, the live view)."""

    shown: np.ndarray
    current: sliding.PoolWindow | None


@dataclass(frozen=True)
class OutputSize:
    """The numbers of the output-size line: ``out_h x out_w = formula`` with N, K, s and P."""

    out_h: int
    out_w: int
    formula: str
    in_h: int
    in_w: int
    kernel: int
    stride: int
    pads: tuple[int, int, int, int]

    @property
    def pads_text(self) -> str:
        """``"1"`` when every side has the same padding, else ``"top/bottom/left/right"``."""
        t, b, le, r = self.pads
        return f"{t}/{b}/{le}/{r}" if len({t, b, le, r}) > 1 else str(t)


class ConvolutionLab:
    """The state of the convolution lab (see the module docstring).

    Every change of settings goes through :meth:`update`, which starts a new *generation*: the engine job for
    it reports back with :meth:`accept`, and a result from an older generation is ignored.

    Attributes
    ----------
    source : ``(H, W)`` or ``(H, W, 3)`` float32 in [0, 1], the image as opened.
    source_name, sample_key, source_path : where it came from (a display name, a sample key, a file path).
    params : the settings of the current computation (None before the first :meth:`update`).
    walk : the lazy walk, or None when the filter does not fit in the padded image.
    walk_error : why there is no walk (the engine's message), else None.
    result : the maps of :func:`compute_maps` for the current generation, or None while they are computed.
    pool_walk : the pooling windows over the ReLU map (empty until the maps are in, or when pooling does not
        fit).
    hover_out, hover_in : the hovered output cell or padded-input cell ``(row, col)``, at most one of them.
    """

    def __init__(self, image: np.ndarray, *, name: str = "", key: str | None = None, path: str = "") -> None:
        self.source = np.asarray(image, np.float32)
        self.source_name, self.sample_key, self.source_path = name, key, path
        self.params: LabParams | None = None
        self.walk: Walk | None = None
        self.walk_error: str | None = None
        self.result: dict[str, Any] | None = None
        self.pool_walk: list[sliding.PoolWindow] = []
        self.generation = 0
        self.hover_out: tuple[int, int] | None = None
        self.hover_in: tuple[int, int] | None = None

    # ------------------------------------------------------------------------------------------ inputs
    def set_source(self, image: np.ndarray, name: str = "", key: str | None = None, path: str = "") -> None:
        """A new image (``(H, W)`` or ``(H, W, 3)`` floats in [0, 1]); call :meth:`update` next."""
        self.source = np.asarray(image, np.float32)
        self.source_name, self.sample_key, self.source_path = name, key, path

    def update(self, params: LabParams) -> int:
        """Start a new computation with ``params``: a new walk (or :attr:`walk_error`), no maps yet.

        Returns the new generation, to pass to :meth:`accept` with the engine's result.
        """
        self.params, self.result, self.pool_walk = params, None, []
        self.generation += 1
        try:
            self.walk, self.walk_error = Walk(params), None
        except ValueError as exc:
            self.walk, self.walk_error = None, str(exc)
        return self.generation

    def accept(self, generation: int, result: dict[str, Any]) -> bool:
        """Take the maps of :func:`compute_maps` if they are for the current generation; returns whether
        taken."""
        if generation != self.generation or self.walk is None or self.params is None:
            return False
        self.result = result
        p = self.params
        self.pool_walk = (
            []
            if result["pooled"] is None
            else list(
                sliding.pool_windows(result["relu"], p.pool_size, stride=p.pool_stride, mode=p.pool_mode)
            )
        )
        return True

    @property
    def ready(self) -> bool:
        """True when nothing is being computed for the current settings."""
        return self.walk is None or self.result is not None

    # ------------------------------------------------------------------------------------------- hover
    def hover_output(self, row: int, col: int) -> None:
        self.hover_out, self.hover_in = (row, col), None

    def hover_input(self, row: int, col: int) -> None:
        self.hover_in, self.hover_out = (row, col), None

    def clear_hover(self) -> bool:
        """Forget the hovered cell; returns whether there was one."""
        had = self.hover_in is not None or self.hover_out is not None
        self.hover_in = self.hover_out = None
        return had

    # ----------------------------------------------------------------------------------- at one step
    def feature_map(self, pos: int) -> np.ndarray:
        """``(OH, OW)``: the first ``pos`` cells of the feature map (NaN elsewhere), from the engine's map
        when it is in, else from the walk's own sums."""
        if self.walk is None:
            raise ValueError(f"no feature map: {self.walk_error}")
        res = self.result
        if res is not None and res["conv"].shape == self.walk.out_hw:
            return masked(res["conv"], pos)
        return self.walk.sums(pos)

    def step_marks(self, pos: int) -> StepMarks:
        """The windows to outline after ``pos`` steps, with the hovered cell's."""
        walk = self.walk
        if walk is None:
            return StepMarks()
        kh, kw = walk.kernel_hw
        marks_in: list[Mark] = []
        marks_out: list[Mark] = []
        current = walk[pos - 1] if pos > 0 else None
        shown = current
        if current is not None:
            marks_in.append(Mark(current.top, current.left, kh, kw, "current", True))
            marks_out.append(Mark(current.row, current.col, 1, 1, "current"))
        if self.hover_out is not None:
            hw = walk[walk.index_of(*self.hover_out)]
            shown = hw
            marks_in.append(Mark(hw.top, hw.left, kh, kw, "hover", True))
            marks_out.append(Mark(hw.row, hw.col, 1, 1, "hover"))
        elif self.hover_in is not None:
            r, c = self.hover_in
            marks_in.append(Mark(r, c, 1, 1, "hover", True))
            marks_out += [Mark(i, j, 1, 1, "seen", True) for i, j in walk.outputs_seeing(r, c)]
        return StepMarks(marks_in, marks_out, shown)

    def pool_step(self, q: int, pos: int) -> PoolStep | None:
        """The pooled map with the pooling stepper at ``q`` (of ``len(pool_walk)``) and the convolution at
        ``pos``; None while the maps are computed or when the pooling window does not fit.

        At the pooling stepper's end the view is live: a pooled cell appears once every cell of its window
        has been computed by the convolution's stepper.
        """
        res, walk, p = self.result, self.walk, self.params
        if res is None or res["pooled"] is None or walk is None or p is None:
            return None
        pooled, total = res["pooled"], len(self.pool_walk)
        if q < total:
            return PoolStep(masked(pooled, q), self.pool_walk[q - 1] if q > 0 else None)
        ow, k = walk.out_hw[1], p.pool_size
        done = np.array([(w.top + k - 1) * ow + (w.left + k - 1) < pos for w in self.pool_walk])
        shown = np.where(done.reshape(pooled.shape), pooled, np.nan).astype(np.float32)
        return PoolStep(shown, None)

    def output_size(self) -> OutputSize | None:
        """The numbers of the output-size formula, or None when the filter does not fit."""
        p, walk = self.params, self.walk
        if p is None or walk is None:
            return None
        return OutputSize(
            walk.out_hw[0],
            walk.out_hw[1],
            shapes.conv_output_formula(p.padding, p.stride),
            int(p.plane.shape[0]),
            int(p.plane.shape[1]),
            int(p.kernel.shape[0]),
            p.stride,
            walk.pads,
        )
