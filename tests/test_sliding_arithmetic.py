"""engine.sliding's dilated windows and the transposed convolution's walk, against engine.ops and
hand-worked cases."""

from __future__ import annotations

import numpy as np
import pytest

from engine import ops, sliding


@pytest.mark.parametrize("padding", ["valid", "same", "full", 1])
@pytest.mark.parametrize("dilation, stride", [(2, 1), ((1, 3), 1), (2, 2), (1, 1)])
@pytest.mark.parametrize("channels", [0, 3])
def test_dilated_windows_give_the_dilated_conv(rng, padding, dilation, stride, channels):
    shape = (9, 10, channels) if channels else (9, 10)
    image = rng.standard_normal(shape).astype(np.float32)
    kernel = rng.standard_normal((3, 2, channels) if channels else (3, 2)).astype(np.float32)
    want = ops.conv2d(
        image,
        kernel[:, :, :, None] if channels else kernel,
        stride=stride,
        padding=padding,
        dilation=dilation,
    )
    want = want[:, :, 0] if channels else want
    steps = list(sliding.windows(image, kernel, stride=stride, padding=padding, dilation=dilation, bias=0.25))
    oh, ow = sliding.output_shape(shape, kernel.shape, stride=stride, padding=padding, dilation=dilation)
    assert (oh, ow) == want.shape and len(steps) == oh * ow
    got = np.array([w.sum for w in steps]).reshape(oh, ow)
    np.testing.assert_allclose(got, want + 0.25, rtol=1e-5, atol=1e-5)
    xp, pads = sliding.padded_input(
        image, kernel.shape[:2], stride=stride, padding=padding, dilation=dilation
    )
    for w in steps[:: max(1, len(steps) // 7)]:  # the taps read the cells they say they read
        for (r, c), value in zip(w.tap_cells(pads), w.patch.reshape(len(w.tap_cells(pads)), -1), strict=True):
            np.testing.assert_array_equal(xp[r + pads[0], c + pads[2]].reshape(-1), value)


def test_dilated_window_hand_worked():
    """A 2x2 kernel dilated by 2 on a 4x4 image: window (0, 0) reads the corners of the 3x3 block."""
    image = np.arange(16).reshape(4, 4)
    (first, *_rest) = sliding.windows(image, np.ones((2, 2)), dilation=2)
    assert first.patch.tolist() == [[0, 2], [8, 10]] and first.sum == 20
    assert first.span() == (3, 3)
    assert first.tap_cells((0, 0, 0, 0)) == [(0, 0), (0, 2), (2, 0), (2, 2)]
    assert first.input_cells((0, 0, 0, 0)) == (0, 3, 0, 3)
    assert sliding.format_sum(first) == "0*1 + 2*1 + 8*1 + 10*1 = 20"
    with pytest.raises(ValueError, match="dilated by \\(3, 3\\) spans 4x4"):
        list(sliding.windows(np.zeros((3, 3)), np.ones((2, 2)), dilation=3))


@pytest.mark.parametrize(
    "stride, padding", [(1, "valid"), (2, "valid"), (2, "same"), (3, "valid"), ((2, 1), "same"), (2, 1)]
)
@pytest.mark.parametrize("channels", [0, 2])
def test_scatters_and_cells_give_the_transposed_conv(rng, stride, padding, channels):
    shape = (3, 4, channels) if channels else (3, 4)
    image = rng.standard_normal(shape)
    kernel = rng.standard_normal((3, 2, channels) if channels else (3, 2))
    w = kernel[:, :, None, :] if channels else kernel  # (KH, KW, C_out=1, C_in)
    want = ops.conv2d_transpose(image, w, np.array([0.5]), stride=stride, padding=padding)
    want = want[:, :, 0] if channels else want
    oh, ow = sliding.transposed_output_shape(shape, kernel.shape, stride=stride, padding=padding)
    assert (oh, ow) == want.shape
    # every stamp added at its place, cells outside the output dropped
    canvas = np.zeros((oh, ow))
    steps = list(sliding.scatters(image, kernel, stride=stride, padding=padding))
    assert [(s.row, s.col) for s in steps] == [(i, j) for i in range(3) for j in range(4)]
    for step in steps:
        for (r, c), v in zip(step.output_cells(), step.stamp.ravel(), strict=True):
            if 0 <= r < oh and 0 <= c < ow:
                canvas[r, c] += v
    np.testing.assert_allclose(canvas + 0.5, want, rtol=1e-5, atol=1e-5)
    for r in range(oh):
        for c in range(ow):
            cell = sliding.transposed_cell(image, kernel, r, c, stride=stride, padding=padding, bias=0.5)
            assert cell.sum == pytest.approx(float(want[r, c]), abs=1e-5)


def test_transposed_walk_hand_worked():
    """[[1, 2], [3, 4]] by a 3x3 of ones, stride 2, 'valid': a 5x5 output where stamps overlap on the middle
    row and column."""
    image = np.array([[1.0, 2.0], [3.0, 4.0]])
    steps = list(sliding.scatters(image, np.ones((3, 3)), stride=2))
    assert [(s.top, s.left) for s in steps] == [(0, 0), (0, 2), (2, 0), (2, 2)]
    np.testing.assert_array_equal(steps[3].stamp, np.full((3, 3), 4.0))
    centre = sliding.transposed_cell(image, np.ones((3, 3)), 2, 2, stride=2)
    assert [(t[0], t[1], t[2], t[3]) for t in centre.terms] == [
        (0, 0, 2, 2),
        (0, 1, 2, 0),
        (1, 0, 0, 2),
        (1, 1, 0, 0),
    ]
    assert sliding.format_transposed_sum(centre) == "1*1 + 2*1 + 3*1 + 4*1 = 10"
    corner = sliding.transposed_cell(image, np.ones((3, 3)), 0, 0, stride=2, bias=0.5)
    assert sliding.format_transposed_sum(corner) == "1*1 + 0.5 = 1.5"
    # a 1x1 kernel with stride 3 leaves gaps that nothing reaches
    gap = sliding.transposed_cell(image, np.ones((1, 1)), 0, 1, stride=3)
    assert gap.terms == [] and sliding.format_transposed_sum(gap) == "0 = 0"
    assert sliding.transposed_output_shape((2, 2), (1, 1), stride=3) == (6, 6)


def test_transposed_walk_errors():
    with pytest.raises(ValueError, match="channel mismatch"):
        list(sliding.scatters(np.zeros((3, 3, 2)), np.zeros((2, 2, 3))))
    with pytest.raises(ValueError, match="one output channel"):
        list(sliding.scatters(np.zeros((3, 3)), np.zeros((2, 2, 2, 1))))
    with pytest.raises(ValueError, match="inside the 4x4 output"):
        sliding.transposed_cell(np.zeros((3, 3)), np.zeros((2, 2)), 4, 0)
    with pytest.raises(ValueError, match="padding must be one of"):
        list(sliding.scatters(np.zeros((3, 3)), np.zeros((2, 2)), padding="nope"))


def full_scatter(x: np.ndarray, k: np.ndarray, s: tuple[int, int], d: tuple[int, int]) -> np.ndarray:
    """The full scatter written as the guide draws it, by the test's own loops: each input cell stamps ``x *
    k`` (summed over the channels) at ``(i s, j s)``, its taps ``d`` apart; nothing cut off."""
    x3 = x if x.ndim == 3 else x[:, :, None]
    k3 = k if k.ndim == 3 else np.repeat(k[:, :, None], x3.shape[2], axis=2)
    (h, w, ch), (kh, kw) = x3.shape, k3.shape[:2]
    out = np.zeros(((h - 1) * s[0] + d[0] * (kh - 1) + 1, (w - 1) * s[1] + d[1] * (kw - 1) + 1))
    for i in range(h):
        for j in range(w):
            for m in range(kh):
                for n in range(kw):
                    for c in range(ch):
                        out[i * s[0] + m * d[0], j * s[1] + n * d[1]] += x3[i, j, c] * k3[m, n, c]
    return out


@pytest.mark.parametrize(
    ("stride", "padding", "dilation"),
    [
        (1, "valid", 2),
        (2, "same", 2),
        (1, "full", (2, 1)),
        (2, 1, 2),
        (3, "valid", 1),  # K < s: Keras' H s, the last rows only bias
        (3, "same", 1),
        ((2, 1), "same", (1, 2)),
    ],
)
@pytest.mark.parametrize("channels", [0, 2])
def test_dilated_scatters_and_every_cell_of_the_canvas(rng, stride, padding, dilation, channels):
    """With a dilation: the stamps added through their footprints make conv2d_transpose; every output cell's
    terms add up to it; the cells the padding cuts off (``cut_off=True``) add up to the rest of the full
    scatter, without the bias."""
    shape = (3, 4, channels) if channels else (3, 4)
    image = rng.standard_normal(shape)
    kernel = rng.standard_normal((2, 3, channels) if channels else (2, 3))
    w = kernel[:, :, None, :] if channels else kernel
    kw = {"stride": stride, "padding": padding, "dilation": dilation}
    want = np.asarray(ops.conv2d_transpose(image, w, np.array([0.5]), **kw))
    want = want[:, :, 0] if channels else want
    geo = sliding.transposed_geometry(shape, kernel.shape, **kw)
    assert geo.out_hw == want.shape == sliding.transposed_output_shape(shape, kernel.shape, **kw)
    full = full_scatter(image, kernel, geo.stride, geo.dilation)
    assert geo.scatter_hw == full.shape
    t, le = geo.pads[0], geo.pads[2]
    ch, cw = geo.canvas_hw
    canvas = np.zeros((ch, cw))
    for step in sliding.scatters(image, kernel, **kw):
        canvas[step.footprint((-t, -le))] += step.stamp
        assert step.output_cells()[-1] == (
            step.top + step.span()[0] - 1,
            step.left + step.span()[1] - 1,
        )
    np.testing.assert_allclose(canvas[: full.shape[0], : full.shape[1]], full, atol=1e-9)
    assert not canvas[full.shape[0] :].any() and not canvas[:, full.shape[1] :].any()
    np.testing.assert_allclose(canvas[t : t + geo.out_hw[0], le : le + geo.out_hw[1]] + 0.5, want, atol=1e-5)
    for r in range(-t, ch - t):
        for c in range(-le, cw - le):
            cell = sliding.transposed_cell(image, kernel, r, c, bias=0.5, cut_off=True, **kw)
            assert cell.kept == geo.kept(r, c) == (0 <= r < geo.out_hw[0] and 0 <= c < geo.out_hw[1])
            if cell.kept:
                assert cell.sum == pytest.approx(float(want[r, c]), abs=1e-5)
                written = sliding.format_transposed_sum(cell, digits=9, max_terms=None)
                assert float(written.rsplit("=", 1)[1]) == pytest.approx(float(want[r, c]), abs=1e-5)
            else:
                assert cell.bias == 0 and cell.sum == pytest.approx(full[r + t, c + le], abs=1e-9)
            assert sum(term.product for term in cell.terms) + cell.bias == pytest.approx(cell.sum)


def test_transposed_cell_after_some_steps_hand_worked():
    """[[1, 2], [3, 4]] by a 3x3 of 1..9, stride 2 (the centre cell (2, 2) gets one tap of each input cell):
    after ``steps`` scatters only the first input cells have landed."""
    image = np.array([[1.0, 2.0], [3.0, 4.0]])
    kernel = np.arange(1.0, 10.0).reshape(3, 3)
    done = [sliding.transposed_cell(image, kernel, 2, 2, stride=2, steps=p, bias=0.5) for p in range(5)]
    assert [len(c.terms) for c in done] == [0, 1, 2, 3, 4]
    assert [c.sum for c in done] == [0.5, 9.5, 9.5 + 2 * 7, 9.5 + 14 + 3 * 3, 9.5 + 14 + 9 + 4 * 1]
    assert sliding.format_transposed_sources(done[2]) == "x[0,0]·w[2,2] + x[0,1]·w[2,0] + b"
    assert sliding.format_transposed_sum(done[2]) == "1*9 + 2*7 + 0.5 = 23.5"
    assert (
        sliding.format_transposed_sources(done[0]) == ""
        and sliding.format_transposed_sum(done[0]) == "0.5 = 0.5"
    )
    # a colour image: one term per channel, the channel written in the sources
    colour = sliding.transposed_cell(np.ones((2, 2, 2)), np.ones((3, 3, 2)), 0, 0, stride=2)
    assert [t.channel for t in colour.terms] == [0, 1]
    assert sliding.format_transposed_sources(colour) == "x[0,0,0]·w[0,0,0] + x[0,0,1]·w[0,0,1]"
    # long sums elided unless asked not to be
    wide = sliding.transposed_cell(np.ones((6, 6)), np.ones((6, 6)), 5, 5)
    assert len(wide.terms) == 36 and "..." in sliding.format_transposed_sum(wide)
    assert sliding.format_transposed_sum(wide, max_terms=None).count("*") == 36


def test_transposed_geometry_follows_the_guide():
    g = sliding.transposed_geometry((5, 5), (3, 3), stride=2, padding="valid")
    assert g.out_hw == ((5 - 1) * 2 + 3,) * 2 == g.scatter_hw == g.canvas_hw and g.pads == (0, 0, 0, 0)
    same = sliding.transposed_geometry((5, 5), (3, 3), stride=2, padding="same")
    assert same.out_hw == (10, 10) and same.pads == (0, 1, 0, 1) and same.canvas_hw == (11, 11)
    assert not same.kept(10, 3) and same.kept(0, 0) and not same.kept(-1, 0)
    dilated = sliding.transposed_geometry((5, 5), (3, 3), dilation=2)
    assert dilated.out_hw == (9, 9) and dilated.span_hw == (5, 5) and dilated.kernel_hw == (3, 3)
    # K < s with "same": the output (H s) reaches past the full scatter
    gaps = sliding.transposed_geometry((2, 2), (1, 1), stride=3, padding="same")
    assert gaps.scatter_hw == (4, 4) and gaps.out_hw == (6, 6) and gaps.canvas_hw == (6, 6)


def test_transposed_cell_and_geometry_errors():
    with pytest.raises(ValueError, match="leaves no output: its full scatter is 4x4"):
        sliding.transposed_geometry((2, 2), (3, 3), padding=3)
    with pytest.raises(ValueError, match="stride"):
        list(sliding.scatters(np.ones((2, 2)), np.ones((3, 3)), stride=0))
    with pytest.raises(ValueError, match="dilation"):
        sliding.transposed_cell(np.ones((2, 2)), np.ones((3, 3)), 0, 0, dilation=0)
    # a cut-off cell is refused unless asked for, and nothing outside the scatter is taken
    same = {"stride": 2, "padding": "same"}
    with pytest.raises(ValueError, match="inside the 4x4 output"):
        sliding.transposed_cell(np.ones((2, 2)), np.ones((3, 3)), 4, 0, **same)
    assert not sliding.transposed_cell(np.ones((2, 2)), np.ones((3, 3)), 4, 0, cut_off=True, **same).kept
    with pytest.raises(ValueError, match="or the 5x5 scatter around it"):
        sliding.transposed_cell(np.ones((2, 2)), np.ones((3, 3)), 5, 0, cut_off=True, **same)
    step = next(sliding.scatters(np.ones((2, 2)), np.ones((3, 3)), padding=1))
    with pytest.raises(ValueError, match="before the array's origin"):
        step.footprint()
