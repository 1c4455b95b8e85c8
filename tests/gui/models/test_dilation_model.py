"""gui.models.convolution with a dilated kernel: every step's sum equals engine.ops.conv2d(dilation=d), the
window reads only its taps (the test's own zero-inserted kernel as the oracle), the marks draw the taps apart,
and the output-size numbers use the effective size d(K - 1) + 1; without Qt."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from engine import ops, sliding
from gui.models.convolution import ConvolutionLab, LabParams, compute_maps


def params(plane, kernel, padding="valid", stride=1, dilation=1, flip=False, bias=0.0) -> LabParams:
    return LabParams(
        np.asarray(plane, np.float32),
        np.asarray(kernel, np.float32),
        bias,
        padding,
        stride,
        flip,
        "max",
        2,
        2,
        dilation=dilation,
    )


def zero_inserted(kernel: np.ndarray, d: int) -> np.ndarray:
    """The dilated kernel as a plain one: d - 1 zeros between its taps."""
    kh, kw = kernel.shape[:2]
    out = np.zeros((d * (kh - 1) + 1, d * (kw - 1) + 1, *kernel.shape[2:]), kernel.dtype)
    out[::d, ::d] = kernel
    return out


@pytest.mark.parametrize(
    ("shape", "padding", "stride", "dilation", "flip"),
    [
        ((9, 9), "valid", 1, 2, False),
        ((9, 8), "same", 1, 2, True),
        ((10, 10), "full", 2, 3, False),
        ((8, 9), 1, 1, 2, False),
        ((7, 7, 3), "same", 2, 2, False),
    ],
)
def test_every_dilated_step_equals_the_engine(rng, shape, padding, stride, dilation, flip):
    plane = rng.standard_normal(shape).astype(np.float32)
    kernel = rng.standard_normal((3, 3, *shape[2:])).astype(np.float32)
    lab = ConvolutionLab(plane)
    p = params(plane, kernel, padding, stride, dilation, flip, bias=0.5)
    lab.update(p)
    walk = lab.walk
    assert walk is not None and walk.dilation == dilation
    maps = compute_maps(p)
    # the engine's dilated map against the test's zero-inserted kernel through the same op at d = 1
    k = kernel[::-1, ::-1] if flip else kernel
    big = zero_inserted(k, dilation)
    w4 = big[:, :, :, None] if plane.ndim == 3 else big
    plain = np.asarray(ops.conv2d(plane, w4, np.array([0.5], np.float32), stride=stride, padding=padding))
    plain = plain[:, :, 0] if plane.ndim == 3 else plain
    np.testing.assert_allclose(maps["conv"], plain, rtol=1e-5, atol=1e-5)
    assert walk.out_hw == maps["conv"].shape
    for idx in range(walk.total):
        w = walk[idx]
        assert w.sum == pytest.approx(float(maps["conv"][w.row, w.col]), abs=1e-4)
        assert w.patch.shape[:2] == (3, 3)  # the taps only, as at d = 1
        # the patch is what the taps read in the padded input
        for (r, c), value in zip(walk.taps(w.top, w.left), w.patch.reshape(9, -1), strict=True):
            np.testing.assert_array_equal(walk.padded[r, c].reshape(-1), value)
        written = sliding.format_sum(w, digits=6)
        assert written.count("*") == 9 * (1 if plane.ndim == 2 else 3) or "..." in written
        assert float(written.rsplit("=", 1)[1]) == pytest.approx(w.sum, abs=1e-4)


def test_marks_draw_the_taps_apart_and_hover_finds_the_readers(rng):
    plane = rng.standard_normal((9, 9)).astype(np.float32)
    lab = ConvolutionLab(plane)
    lab.update(params(plane, np.ones((3, 3)), dilation=2))
    marks = lab.step_marks(1).input
    span = [m for m in marks if not m.tap]
    taps = [m for m in marks if m.tap]
    assert [(m.top, m.left, m.rows, m.cols, m.fill) for m in span] == [(0, 0, 5, 5, False)]
    assert sorted((m.top, m.left) for m in taps) == [(r, c) for r in (0, 2, 4) for c in (0, 2, 4)]
    assert all(m.fill and m.role == "current" for m in taps)
    # cell (2, 3) of the input: read by windows whose taps land there: rows 0..2 step 2, cols 1, 3
    lab.hover_input(2, 3)
    seen = sorted((m.top, m.left) for m in lab.step_marks(0).output if m.role == "seen")
    assert seen == [(0, 1), (0, 3), (2, 1), (2, 3)]
    for i, j in seen:
        w = lab.walk[lab.walk.index_of(i, j)]
        assert (2, 3) in lab.walk.taps(w.top, w.left)


def test_zero_windows_look_at_the_taps_only():
    plane = np.zeros((7, 7), np.float32)
    plane[1, 1] = 1.0  # between the taps of the window at (0, 0) when d = 2
    lab = ConvolutionLab(plane)
    lab.update(params(plane, np.ones((3, 3)), dilation=2))
    zero = lab.walk.zero_windows().reshape(lab.walk.out_hw)
    direct = np.array(
        [[not any(plane[r, c] for r, c in lab.walk.taps(i, j)) for j in range(3)] for i in range(3)]
    )
    np.testing.assert_array_equal(zero, direct)
    assert zero[0, 0] and not zero[1, 1]


def test_output_size_uses_the_effective_kernel(rng):
    plane = rng.standard_normal((12, 12)).astype(np.float32)
    lab = ConvolutionLab(plane)
    lab.update(params(plane, np.ones((3, 3)), "valid", 1, 3))
    size = lab.output_size()
    assert size is not None
    assert (size.out_h, size.dilation, size.span) == (12 - 3 * 2, 3, 7)
    assert size.formula == "N - d(K - 1)"
    lab.update(dataclasses.replace(lab.params, padding="same", stride=2))
    size = lab.output_size()
    assert (size.out_h, size.formula) == (6, "ceil(N / s)")


def test_a_span_larger_than_the_image_is_explained(rng):
    plane = rng.standard_normal((4, 4)).astype(np.float32)
    lab = ConvolutionLab(plane)
    lab.update(params(plane, np.ones((3, 3)), dilation=2))
    assert lab.walk is None and "5x5" in (lab.walk_error or "")
