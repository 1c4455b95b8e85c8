"""gui.models.transposed: the scattered sums equal engine.ops.conv2d_transpose at every cell, the written sum
of each cell adds up to it, and the sizes follow the guide's formulas; without Qt."""

from __future__ import annotations

import numpy as np
import pytest

from engine import ops
from gui.models.transposed import TransposeWalk, format_contributions, format_sources


def reference_scatter(x: np.ndarray, k: np.ndarray, s: int, d: int) -> np.ndarray:
    """The full scatter written as the guide draws it: each input cell stamps ``x * k`` at ``(i s, j s)``."""
    kh, kw = k.shape
    h, w = x.shape
    out = np.zeros(((h - 1) * s + d * (kh - 1) + 1, (w - 1) * s + d * (kw - 1) + 1))
    for i in range(h):
        for j in range(w):
            for m in range(kh):
                for n in range(kw):
                    out[i * s + m * d, j * s + n * d] += x[i, j] * k[m, n]
    return out


@pytest.mark.parametrize(
    ("shape", "k", "stride", "padding", "dilation"),
    [
        ((3, 3), 3, 1, "valid", 1),
        ((3, 4), 3, 2, "valid", 1),
        ((4, 3), 3, 2, "same", 1),
        ((2, 2), 3, 1, "same", 1),
        ((3, 3), 2, 3, "valid", 1),  # K < s: Keras' H s, the last row only bias
        ((3, 3), 3, 3, "same", 1),
        ((4, 4), 3, 1, "valid", 2),
        ((3, 3), 2, 2, 1, 1),
        ((5, 5), 3, 1, "full", 1),
    ],
)
def test_scattered_sums_equal_conv2d_transpose_at_every_cell(rng, shape, k, stride, padding, dilation):
    x = rng.standard_normal(shape).astype(np.float32)
    w = rng.standard_normal((k, k)).astype(np.float32)
    walk = TransposeWalk(x, w, 0.25, stride=stride, padding=padding, dilation=dilation)
    want = np.asarray(
        ops.conv2d_transpose(
            x, w, np.array([0.25], np.float32), stride=stride, padding=padding, dilation=dilation
        )
    )
    assert walk.out_hw == want.shape
    np.testing.assert_allclose(walk.output(), want, rtol=1e-5, atol=1e-5)
    # the full scatter against the test's own loops
    full = reference_scatter(x.astype(np.float64), w.astype(np.float64), stride, dilation)
    canvas = walk.canvas(walk.total)
    np.testing.assert_allclose(canvas[: full.shape[0], : full.shape[1]], full, rtol=1e-5, atol=1e-5)
    assert not canvas[full.shape[0] :, :].any() and not canvas[:, full.shape[1] :].any()
    # every output cell's written sum adds up to the op's value
    t, le = walk.pads[0], walk.pads[2]
    for r in range(walk.out_hw[0]):
        for c in range(walk.out_hw[1]):
            terms = walk.contributions(r + t, c + le)
            assert walk.cell_value(r + t, c + le) == pytest.approx(float(want[r, c]), abs=1e-4)
            written = format_contributions(terms, 0.25, digits=6)
            assert float(written.rsplit("=", 1)[1]) == pytest.approx(float(want[r, c]), abs=1e-4)


def test_the_walk_steps_one_input_cell_at_a_time(rng):
    x = rng.standard_normal((3, 3)).astype(np.float32)
    w = rng.standard_normal((3, 3)).astype(np.float32)
    walk = TransposeWalk(x, w, stride=2)
    assert walk.total == 9 and walk.out_hw == (7, 7) and walk.canvas_hw == (7, 7)
    before = walk.canvas(4)
    sc = walk.step(4)  # the centre cell (1, 1) lands at (2, 2)
    assert (sc.row, sc.col, sc.top, sc.left) == (1, 1, 2, 2)
    np.testing.assert_allclose(walk.canvas(5) - before, np.pad(x[1, 1] * w, ((2, 2), (2, 2))), atol=1e-6)
    # going back gives the same partial canvas as going forward
    np.testing.assert_array_equal(walk.canvas(4), before)
    # a cell's contributions known after 5 steps: only those of the first five input cells
    terms = walk.contributions(2, 2, 5)
    assert [(c.in_row, c.in_col, c.k_row, c.k_col) for c in terms] == [
        (0, 0, 2, 2),
        (0, 1, 2, 0),
        (1, 0, 0, 2),
        (1, 1, 0, 0),
    ]
    assert format_sources(terms[:2]) == "x[0,0]·w[2,2] + x[0,1]·w[2,0]"
    assert walk.canvas_cells(sc)[:2] == [(2, 2), (2, 3)]


def test_output_sizes_follow_the_guide():
    x = np.ones((5, 5), np.float32)
    w = np.ones((3, 3), np.float32)
    assert TransposeWalk(x, w, stride=2, padding="valid").out_hw == ((5 - 1) * 2 + 3,) * 2
    assert TransposeWalk(x, w, stride=2, padding="same").out_hw == (10, 10)
    assert TransposeWalk(x, w, stride=1, padding="valid", dilation=2).out_hw == (9, 9)
    same = TransposeWalk(x, w, stride=2, padding="same")
    assert same.pads == (0, 1, 0, 1) and same.canvas_hw == (11, 11)
    assert not same.is_output(10, 3) and same.is_output(0, 0)


def test_written_sum_of_a_cell_no_input_reaches():
    walk = TransposeWalk(np.ones((2, 2), np.float32), np.ones((1, 1), np.float32), stride=3)
    assert walk.contributions(1, 1) == []
    assert format_contributions([], 0.0) == "0 = 0"


def test_bad_input_is_refused_with_the_sizes():
    with pytest.raises(ValueError, match="no output"):
        TransposeWalk(np.ones((2, 2), np.float32), np.ones((3, 3), np.float32), padding=3)
    with pytest.raises(ValueError, match="plane"):
        TransposeWalk(np.ones((2, 2, 3), np.float32), np.ones((3, 3), np.float32))
    with pytest.raises(ValueError, match="stride"):
        TransposeWalk(np.ones((2, 2), np.float32), np.ones((3, 3), np.float32), stride=0)


# ------------------------------------------------------------------------------------- in the lab's model
def lab_params(plane, kernel, padding="valid", stride=1, dilation=1, flip=False, bias=0.0):
    from gui.models.convolution import LabParams

    return LabParams(plane, kernel, bias, padding, stride, flip, "max", 2, 2, dilation, True)


def test_the_lab_in_transposed_mode_steps_input_cells_and_writes_each_cell(rng):
    from gui.models.convolution import ConvolutionLab, compute_maps

    x = rng.standard_normal((3, 3)).astype(np.float32)
    w = rng.standard_normal((3, 3)).astype(np.float32)
    lab = ConvolutionLab(x)
    p = lab_params(x, w, "same", 2, flip=True, bias=0.5)
    gen = lab.update(p)
    assert lab.walk is None and lab.twalk is not None and lab.steps == 9 and not lab.ready
    maps = compute_maps(p)
    assert lab.accept(gen, maps) and lab.ready
    # the flipped kernel, scattered, is the engine's transposed convolution of the flipped kernel
    want = ops.conv2d_transpose(
        x, w[::-1, ::-1].copy(), np.array([0.5], np.float32), stride=2, padding="same"
    )
    np.testing.assert_allclose(maps["conv"], want, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(lab.twalk.output(), want, rtol=1e-5, atol=1e-5)
    size = lab.output_size()
    assert (size.out_h, size.out_w, size.formula, size.transposed) == (6, 6, "sN", True)
    # step 5 (input cell (1, 1)) lands at (2, 2): the block outlined, its first cell's sum written
    marks = lab.transpose_marks(5)
    assert marks.scatter is not None and (marks.scatter.row, marks.scatter.col) == (1, 1)
    assert any(m.role == "current" and (m.top, m.left, m.rows) == (2, 2, 3) for m in marks.output)
    assert marks.cell == (2, 2) and len(marks.terms) == 4 and marks.pending == 0
    # hover an output cell: its contributions, some still to come
    lab.hover_cell("output", 4, 4)
    marks = lab.transpose_marks(5)
    assert marks.cell == (4, 4) and len(marks.terms) == 1 and marks.pending == 3
    seen = {(m.top, m.left) for m in marks.input if m.role == "seen"}
    assert seen == {(1, 1), (1, 2), (2, 1), (2, 2)}
    # hover an input cell: where it lands
    lab.hover_cell("input", 2, 0)
    marks = lab.transpose_marks(5)
    assert any(m.role == "hover" and (m.top, m.left) == (4, 0) for m in marks.output)
    lab.clear_hover()
    lab.select(0, 0)
    assert lab.transpose_marks(0).cell == (0, 0)


def test_the_lab_in_transposed_mode_explains_a_padding_that_leaves_nothing():
    from gui.models.convolution import ConvolutionLab

    x = np.ones((2, 2), np.float32)
    lab = ConvolutionLab(x)
    lab.update(lab_params(x, np.ones((3, 3), np.float32), padding=3))
    assert lab.twalk is None and lab.walk is None and lab.steps == 0 and "no output" in lab.walk_error
