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
