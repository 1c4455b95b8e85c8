"""The convolution lab's model, without Qt: what the Convolution tab shows, as plain data.

:class:`ConvolutionLab` holds the image, the settings of the current computation (:class:`LabParams`), the
lazy walk and the maps the engine computed, and answers what the views ask at a given step: the partial
feature map, the windows to outline (:class:`StepMarks`), the pooled cells known so far
(:class:`PoolStep`) and the numbers of the output-size formula (:class:`OutputSize`).

:class:`Walk` wraps :func:`engine.sliding.windows` (or reads a dilated kernel's taps ``d`` apart) so that the
stepper can go forward, back and jump to any output cell while only materialising the windows it needs (and
skip the windows that see only zeros).
:func:`compute_maps` (in :mod:`gui.models.lab_maps`, re-exported here) is the one engine job the tab submits
to the engine worker each time a setting changes; it returns plain arrays. In transposed mode
(``LabParams.transposed``) the lab steps a :class:`~gui.models.transposed.TransposeWalk` instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from engine import shapes, sliding
from gui.models.lab_maps import LabParams, compute_maps, conv_map, masked, warm_up
from gui.models.marks import Mark
from gui.models.transposed import TransposeMarks, TransposeWalk, transpose_marks

__all__ = [
    "ConvolutionLab",
    "LabParams",
    "Mark",
    "OutputSize",
    "PoolStep",
    "StepMarks",
    "TransposeMarks",
    "Walk",
    "compute_maps",
    "conv_map",
    "masked",
    "warm_up",
]


class Walk:
    """The windows of one convolution, produced on demand and kept (index ``i`` is output cell ``divmod(i,
    OW)``).

    Raises ``ValueError`` (from :mod:`engine.sliding`) when the kernel does not fit in the padded input.
    """

    def __init__(self, p: LabParams) -> None:
        k = (int(p.kernel.shape[0]), int(p.kernel.shape[1]))
        d = p.dilation
        #: the window a dilated kernel covers, ``d (K - 1) + 1`` cells (the kernel itself at d = 1)
        span = shapes.effective_kernel(k, (d, d))
        self.out_hw = sliding.output_shape(p.plane.shape, span, stride=p.stride, padding=p.padding)
        self.padded, self.pads = sliding.padded_input(p.plane, span, stride=p.stride, padding=p.padding)
        self.kernel_hw = span
        self.taps_hw = k
        self.dilation = d
        self.stride = p.stride
        self._it: Iterator[sliding.Window] = (
            sliding.windows(p.plane, p.kernel, stride=p.stride, padding=p.padding, flip=p.flip, bias=p.bias)
            if d == 1
            else self._dilated_windows(p)
        )
        self._done: list[sliding.Window] = []
        self._zero: np.ndarray | None = None

    def _dilated_windows(self, p: LabParams) -> Iterator[sliding.Window]:
        """The walk of a dilated kernel: each window reads the ``K x K`` cells ``d`` apart under its span
        (``patch``, the taps only), so that the written sum holds ``K^2`` products as at ``d = 1``."""
        kernel = np.asarray(p.kernel, np.float32)
        if kernel.ndim == 2 and self.padded.ndim == 3:
            kernel = np.repeat(kernel[:, :, None], self.padded.shape[2], axis=2)
        if p.flip:
            kernel = kernel[::-1, ::-1]
        kernel = np.ascontiguousarray(kernel)
        kernel.setflags(write=False)
        (sh, sw), d, b = (p.stride, p.stride), self.dilation, float(p.bias)
        eh, ew = self.kernel_hw
        for i in range(self.out_hw[0]):
            for j in range(self.out_hw[1]):
                top, left = i * sh, j * sw
                patch = self.padded[top : top + eh : d, left : left + ew : d].copy()  # (KH, KW[, C])
                products = patch * kernel
                total = float(products.sum(dtype=np.float64)) + b
                yield sliding.Window(i, j, top, left, patch, kernel, products, total, b)

    def taps(self, top: int, left: int) -> list[tuple[int, int]]:
        """The padded-input cells the taps of the window at ``(top, left)`` read, row by row."""
        (kh, kw), d = self.taps_hw, self.dilation
        return [(top + m * d, left + n * d) for m in range(kh) for n in range(kw)]

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

    def zero_windows(self) -> np.ndarray:
        """``(OH * OW,)`` bool in walk order: True where the window covers only zeros (padding or black
        pixels, in every channel), so that the output cell is the bias alone."""
        if self._zero is None:
            nonzero = self.padded != 0
            if nonzero.ndim == 3:
                nonzero = nonzero.any(axis=2)  # (Hp, Wp)
            d = self.dilation
            win = sliding_window_view(nonzero, self.kernel_hw)[:: self.stride, :: self.stride, ::d, ::d]
            oh, ow = self.out_hw
            self._zero = ~win[:oh, :ow].any(axis=(2, 3)).reshape(-1)
        return self._zero

    def next_position(self, pos: int, delta: int, skip_zero: bool = False) -> int:
        """The stepper position after ``pos`` moved by ``delta`` (+1 or -1) steps; with ``skip_zero``, the
        windows that see only zeros are passed over (position ``p`` shows window ``p - 1``)."""
        target = min(max(pos + delta, 0), self.total)
        if not skip_zero or delta == 0:
            return target
        zero = self.zero_windows()
        while 0 < target < self.total and zero[target - 1]:
            target += 1 if delta > 0 else -1
        return target

    def outputs_seeing(self, prow: int, pcol: int) -> list[tuple[int, int]]:
        """Output cells whose window reads padded-input cell ``(prow, pcol)`` with one of its taps (hover in
        the other direction)."""
        (kh, kw), s, d = self.kernel_hw, self.stride, self.dilation
        rows = [i for i in range(self.out_hw[0]) if i * s <= prow < i * s + kh and (prow - i * s) % d == 0]
        cols = [j for j in range(self.out_hw[1]) if j * s <= pcol < j * s + kw and (pcol - j * s) % d == 0]
        return [(i, j) for i in rows for j in cols]


@dataclass(frozen=True)
class StepMarks:
    """What to outline at one step, panel by panel, and what the calculation panels write out.

    ``input`` (padded input), ``output`` (feature map), ``relu`` and ``pooled``: the marks of each panel.
    ``window``: the convolution step the calculation panel writes out (the hovered one, else the current one;
    None before the first step). ``relu_cell``: the hovered ReLU cell ``(row, col)``. ``pool_window``: the
    hovered pooled cell's pooling window, else None.
    """

    input: list[Mark] = field(default_factory=list)
    output: list[Mark] = field(default_factory=list)
    window: sliding.Window | None = None
    relu: list[Mark] = field(default_factory=list)
    pooled: list[Mark] = field(default_factory=list)
    relu_cell: tuple[int, int] | None = None
    pool_window: sliding.PoolWindow | None = None


@dataclass(frozen=True)
class PoolStep:
    """The pooled map as shown: ``shown`` ``(PH, PW)`` with NaN for cells not known yet, ``known`` how many
    cells are shown, and the pooling window being stepped (None in the live view)."""

    shown: np.ndarray
    current: sliding.PoolWindow | None
    known: int = 0


@dataclass(frozen=True)
class OutputSize:
    """The numbers of the output-size line: ``out_h x out_w = formula`` with N, K, s, P and the dilation d
    (the formula is the transposed convolution's when ``transposed``)."""

    out_h: int
    out_w: int
    formula: str
    in_h: int
    in_w: int
    kernel: int
    stride: int
    pads: tuple[int, int, int, int]
    dilation: int = 1
    transposed: bool = False

    @property
    def span(self) -> int:
        """The kernel's effective size ``d (K - 1) + 1``."""
        return shapes.effective_kernel_size(self.kernel, self.dilation)

    @property
    def pads_text(self) -> str:
        """``"1"`` when every side has the same padding, else ``"top/bottom/left/right"``."""
        t, b, le, r = self.pads
        return f"{t}/{b}/{le}/{r}" if len({t, b, le, r}) > 1 else str(t)


def _window_marks(walk: Walk, top: int, left: int, role: str, fill: bool) -> list[Mark]:
    """The window at ``(top, left)``: its cells (tinted with ``fill``); for a dilated kernel, its span
    outlined and each tap marked, the cells between the taps left clear."""
    kh, kw = walk.kernel_hw
    if walk.dilation == 1:
        return [Mark(top, left, kh, kw, role, fill)]
    return [Mark(top, left, kh, kw, role)] + [
        Mark(r, c, 1, 1, role, fill, True) for r, c in walk.taps(top, left)
    ]


#: the panels a hovered cell can be on
HOVER_PLACES = ("input", "output", "relu", "pooled")


class ConvolutionLab:
    """The state of the convolution lab (see the module docstring).

    Every change of settings goes through :meth:`update`, which starts a new *generation*: the engine job for
    it reports back with :meth:`accept`, and a result from an older generation is ignored.

    Attributes
    ----------
    source : ``(H, W)`` or ``(H, W, 3)`` float32 in [0, 1], the image as opened.
    source_name, sample_key, source_path : where it came from (a display name, a sample key, a file path).
    params : the settings of the current computation (None before the first :meth:`update`).
    walk : the lazy walk, or None when the filter does not fit in the padded image (or in transposed mode).
    twalk : in transposed mode (``params.transposed``), the scatters; else None.
    walk_error : why there is no walk (the engine's message), else None.
    selected : the canvas cell clicked in transposed mode, whose written sum shows when nothing is hovered.
    result : the maps of :func:`compute_maps` for the current generation, or None while they are computed.
    pool_walk : the pooling windows over the ReLU map (empty until the maps are in, or when pooling does not
        fit).
    hover : the hovered cell ``(place, row, col)`` with ``place`` in :data:`HOVER_PLACES`, or None.
    """

    def __init__(self, image: np.ndarray, *, name: str = "", key: str | None = None, path: str = "") -> None:
        self.source = np.asarray(image, np.float32)
        self.source_name, self.sample_key, self.source_path = name, key, path
        self.params: LabParams | None = None
        self.walk: Walk | None = None
        self.twalk: TransposeWalk | None = None
        self.walk_error: str | None = None
        self.selected: tuple[int, int] | None = None
        self.result: dict[str, Any] | None = None
        self.pool_walk: list[sliding.PoolWindow] = []
        self.generation = 0
        self.hover: tuple[str, int, int] | None = None

    # ------------------------------------------------------------------------------------------ inputs
    def set_source(self, image: np.ndarray, name: str = "", key: str | None = None, path: str = "") -> None:
        """A new image (``(H, W)`` or ``(H, W, 3)`` floats in [0, 1]); call :meth:`update` next."""
        self.source = np.asarray(image, np.float32)
        self.source_name, self.sample_key, self.source_path = name, key, path

    @property
    def is_colour(self) -> bool:
        """Whether the image has three channels (so that the RGB mode can be offered)."""
        return self.source.ndim == 3

    def update(self, params: LabParams) -> int:
        """Start a new computation with ``params``: a new walk (or :attr:`walk_error`), no maps yet.

        Returns the new generation, to pass to :meth:`accept` with the engine's result.
        """
        self.params, self.result, self.pool_walk = params, None, []
        self.generation += 1
        self.hover = None
        self.walk = self.twalk = self.selected = None
        try:
            if params.transposed:
                self.twalk = TransposeWalk(
                    params.plane,
                    params.kernel[::-1, ::-1] if params.flip else params.kernel,
                    params.bias,
                    stride=params.stride,
                    padding=params.padding,
                    dilation=params.dilation,
                )
            else:
                self.walk = Walk(params)
            self.walk_error = None
        except ValueError as exc:
            self.walk_error = str(exc)
        return self.generation

    @property
    def steps(self) -> int:
        """How many steps the stepper has: output cells (convolution) or input cells (transposed); 0 when
        nothing can be computed."""
        if self.twalk is not None:
            return self.twalk.total
        return 0 if self.walk is None else self.walk.total

    def accept(self, generation: int, result: dict[str, Any]) -> bool:
        """Take the maps of :func:`compute_maps` if they are for the current generation; returns whether
        taken."""
        if generation != self.generation or self.params is None:
            return False
        if self.walk is None:
            if self.twalk is not None:
                self.result = result
            return self.twalk is not None
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
        return (self.walk is None and self.twalk is None) or self.result is not None

    # ------------------------------------------------------------------------------------------- hover
    def hover_cell(self, place: str, row: int, col: int) -> None:
        """The mouse is over cell ``(row, col)`` of the panel ``place`` (see :data:`HOVER_PLACES`)."""
        if place not in HOVER_PLACES:
            raise ValueError(f"place must be one of {HOVER_PLACES}. Received: place={place!r}")
        self.hover = (place, int(row), int(col))

    def hover_output(self, row: int, col: int) -> None:
        self.hover_cell("output", row, col)

    def hover_input(self, row: int, col: int) -> None:
        self.hover_cell("input", row, col)

    def clear_hover(self) -> bool:
        """Forget the hovered cell; returns whether there was one."""
        had = self.hover is not None
        self.hover = None
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

    def partial_maps(self, pos: int) -> list[np.ndarray]:
        """The per-channel partial maps (RGB mode) with their first ``pos`` cells shown, NaN elsewhere; ``[]``
        for one channel or while the maps are computed."""
        res = self.result
        if res is None or res.get("partials") is None:
            return []
        return [masked(m, pos) for m in res["partials"]]

    def step_marks(self, pos: int) -> StepMarks:
        """The windows to outline after ``pos`` steps, with the hovered cell's."""
        walk = self.walk
        if walk is None:
            return StepMarks()
        marks_in: list[Mark] = []
        marks_out: list[Mark] = []
        marks_relu: list[Mark] = []
        marks_pool: list[Mark] = []
        relu_cell = None
        pool_window = None
        current = walk[pos - 1] if pos > 0 else None
        shown = current
        if current is not None:
            marks_in += _window_marks(walk, current.top, current.left, "current", True)
            marks_out.append(Mark(current.row, current.col, 1, 1, "current"))
        elif walk.total:
            first = walk[0]
            marks_in += _window_marks(walk, first.top, first.left, "next", False)  # where the filter starts
        place, r, c = self.hover if self.hover is not None else ("", 0, 0)
        if place in ("output", "relu") and 0 <= r < walk.out_hw[0] and 0 <= c < walk.out_hw[1]:
            hw = walk[walk.index_of(r, c)]
            shown = hw
            marks_in += _window_marks(walk, hw.top, hw.left, "hover", True)
            marks_out.append(Mark(hw.row, hw.col, 1, 1, "hover"))
            if place == "relu":
                marks_relu.append(Mark(r, c, 1, 1, "hover"))
                relu_cell = (r, c)
        elif place == "input":
            marks_in.append(Mark(r, c, 1, 1, "hover", True))
            marks_out += [Mark(i, j, 1, 1, "seen", True) for i, j in walk.outputs_seeing(r, c)]
        elif place == "pooled" and self.params is not None:
            pool_window = self._pool_window_at(r, c)
            if pool_window is not None:
                shown = self._hover_pool_marks(pool_window, marks_in, marks_out, marks_relu) or shown
                marks_pool.append(Mark(r, c, 1, 1, "hover"))
        return StepMarks(marks_in, marks_out, shown, marks_relu, marks_pool, relu_cell, pool_window)

    def _pool_window_at(self, row: int, col: int) -> sliding.PoolWindow | None:
        res = self.result
        if res is None or res["pooled"] is None:
            return None
        ph, pw = res["pooled"].shape
        return self.pool_walk[row * pw + col] if 0 <= row < ph and 0 <= col < pw else None

    def _hover_pool_marks(
        self, pw: sliding.PoolWindow, marks_in: list[Mark], marks_out: list[Mark], marks_relu: list[Mark]
    ) -> sliding.Window | None:
        """Outline a pooling window on the ReLU and feature maps and the input it reads; return the
        convolution step of its winning cell (max / min pooling), else None."""
        walk, p = self.walk, self.params
        assert walk is not None and p is not None
        oh, ow = walk.out_hw
        rows, cols = min(p.pool_size, oh - pw.top), min(p.pool_size, ow - pw.left)
        marks_relu.append(Mark(pw.top, pw.left, rows, cols, "hover", True))
        marks_out.append(Mark(pw.top, pw.left, rows, cols, "hover"))
        (kh, kw), s = walk.kernel_hw, walk.stride
        marks_in.append(
            Mark(pw.top * s, pw.left * s, (rows - 1) * s + kh, (cols - 1) * s + kw, "hover", True)
        )
        if pw.argmax is None:
            return None
        return walk[walk.index_of(pw.top + pw.argmax[0], pw.left + pw.argmax[1])]

    def pool_step(self, q: int | None, pos: int) -> PoolStep | None:
        """The pooled map with the pooling stepper at ``q`` (of ``len(pool_walk)``) and the convolution at
        ``pos``; None while the maps are computed or when the pooling window does not fit.

        ``q=None`` (or ``q >= len(pool_walk)``) is the live view: a pooled cell appears once every cell of its
        window has been computed by the convolution's stepper.
        """
        res, walk, p = self.result, self.walk, self.params
        if res is None or res["pooled"] is None or walk is None or p is None:
            return None
        pooled, total = res["pooled"], len(self.pool_walk)
        if q is not None and q < total:
            return PoolStep(masked(pooled, q), self.pool_walk[q - 1] if q > 0 else None, q)
        ow, oh, k = walk.out_hw[1], walk.out_hw[0], p.pool_size
        done = np.array(
            [
                min(w.top + k, oh) * ow - ow + min(w.left + k, ow) - 1 < pos  # the window's last cell
                for w in self.pool_walk
            ]
        )
        shown = np.where(done.reshape(pooled.shape), pooled, np.nan).astype(np.float32)
        return PoolStep(shown, None, int(done.sum()))

    def select(self, crow: int, ccol: int) -> None:
        """Transposed mode: write out the sum of canvas cell ``(crow, ccol)`` when nothing is hovered."""
        self.selected = (int(crow), int(ccol))

    def transpose_marks(self, pos: int) -> TransposeMarks:
        """Transposed mode after ``pos`` steps: see :func:`gui.models.transposed.transpose_marks` (empty
        outside transposed mode)."""
        if self.twalk is None:
            return TransposeMarks()
        return transpose_marks(self.twalk, pos, self.hover, self.selected)

    def output_size(self) -> OutputSize | None:
        """The numbers of the output-size formula, or None when the filter does not fit."""
        p, walk = self.params, self.walk
        if p is not None and self.twalk is not None:
            tw = self.twalk
            return OutputSize(
                tw.out_hw[0],
                tw.out_hw[1],
                shapes.conv_transpose_output_formula(p.padding, p.stride, p.dilation, tw.kernel_hw[0]),
                tw.in_hw[0],
                tw.in_hw[1],
                tw.kernel_hw[0],
                p.stride,
                tw.pads,
                p.dilation,
                True,
            )
        if p is None or walk is None:
            return None
        return OutputSize(
            walk.out_hw[0],
            walk.out_hw[1],
            shapes.conv_output_formula(p.padding, p.stride, p.dilation),
            int(p.plane.shape[0]),
            int(p.plane.shape[1]),
            int(p.kernel.shape[0]),
            p.stride,
            walk.pads,
            p.dilation,
        )
