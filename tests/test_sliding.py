"""The sliding-window walk agrees with the convolution, step by step."""

import numpy as np
import pytest

from engine import ops, shapes, sliding

LESSON_IMAGE = np.array([[0, 0, 0], [1, 1, 1], [0, 0, 0]], np.float32)
LESSON_FILTER = np.array([[-1, -1, -1], [2, 2, 2], [-1, -1, -1]], np.float32)


def test_lesson_example_written_out():
    (step,) = list(sliding.windows(LESSON_IMAGE, LESSON_FILTER))
    assert step.sum == 6.0
    np.testing.assert_array_equal(step.products, [[0, 0, 0], [2, 2, 2], [0, 0, 0]])
    assert sliding.format_sum(step) == "0*-1 + 0*-1 + 0*-1 + 1*2 + 1*2 + 1*2 + 0*-1 + 0*-1 + 0*-1 = 6"


@pytest.mark.parametrize("padding", ["valid", "same", "full", 1, ((0, 2), (1, 0))])
@pytest.mark.parametrize("stride", [1, 2, 3])
@pytest.mark.parametrize("flip", [False, True])
@pytest.mark.parametrize("kshape", [(3, 3), (2, 4)])
def test_every_step_equals_conv2d(rng, padding, stride, flip, kshape):
    image = rng.standard_normal((7, 9)).astype(np.float32)
    kernel = rng.standard_normal(kshape).astype(np.float32)
    y = ops.conv2d(image, kernel, stride=stride, padding=padding, flip=flip, backend="reference")
    steps = list(sliding.windows(image, kernel, stride=stride, padding=padding, flip=flip, bias=0.5))
    assert len(steps) == y.size
    assert [(s.row, s.col) for s in steps] == [(i, j) for i in range(y.shape[0]) for j in range(y.shape[1])]
    for s in steps:
        np.testing.assert_allclose(s.sum, y[s.row, s.col] + 0.5, rtol=1e-5, atol=1e-5)
        np.testing.assert_array_equal(s.products, s.patch * s.kernel)
    s = shapes.normalize_pair(stride, "stride")
    assert y.shape[0] == shapes.conv_output_size(
        7, kshape[0], s[0], padding if not isinstance(padding, tuple) else padding[0]
    )


def test_window_position_in_padded_input():
    image = np.arange(16, dtype=np.float32).reshape(4, 4)
    xp, pads = sliding.padded_input(image, 3, padding="same")
    assert pads == (1, 1, 1, 1) and xp.shape == (6, 6)
    steps = list(sliding.windows(image, np.ones((3, 3)), padding="same"))
    first, last = steps[0], steps[-1]
    assert (first.top, first.left) == (0, 0)
    np.testing.assert_array_equal(first.patch, [[0, 0, 0], [0, 0, 1], [0, 4, 5]])
    assert first.input_cells(pads) == (-1, 2, -1, 2)
    assert (last.top, last.left) == (3, 3)


def test_colour_image_uses_filter_on_every_channel(rng):
    image = rng.random((5, 6, 3)).astype(np.float32)
    steps = list(sliding.windows(image, LESSON_FILTER))
    y = ops.conv2d(image, np.repeat(LESSON_FILTER[:, :, None, None], 3, axis=2), backend="reference")
    np.testing.assert_allclose([s.sum for s in steps], y.ravel(), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("padding", ["valid", "same", "full"])
@pytest.mark.parametrize("flip", [False, True])
def test_colour_step_channel_sums_plus_bias_equal_conv2d(rng, padding, flip):
    image = rng.random((6, 5, 3)).astype(np.float32)
    kernel = rng.standard_normal((3, 3, 3)).astype(np.float32)  # one slice per channel
    y = ops.conv2d(image, kernel[:, :, :, None], [0.25], padding=padding, flip=flip, backend="reference")
    planes = [
        ops.conv2d(image[:, :, c], kernel[:, :, c], padding=padding, flip=flip, backend="reference")
        for c in range(3)
    ]
    for s in sliding.windows(image, kernel, padding=padding, flip=flip, bias=0.25):
        parts = s.channel_sums()
        assert parts.shape == (3,)
        np.testing.assert_allclose(parts.sum() + s.bias, y[s.row, s.col, 0], rtol=1e-5, atol=1e-5)
        for c in range(3):  # each channel's share is that channel's own single-channel convolution
            np.testing.assert_allclose(parts[c], planes[c][s.row, s.col], rtol=1e-5, atol=1e-5)


def test_colour_step_written_out_by_hand():
    patch = np.zeros((3, 3, 3), np.float32)
    patch[1, :, 0] = 1.0  # the lesson's line in the red channel only
    patch[:, :, 2] = 0.5
    kernel = np.stack([LESSON_FILTER, np.ones((3, 3), np.float32), -LESSON_FILTER], axis=2)
    (step,) = list(sliding.windows(patch, kernel, bias=-1.0))
    assert sliding.format_channel_sum(step, 0) == (
        "0*-1 + 0*-1 + 0*-1 + 1*2 + 1*2 + 1*2 + 0*-1 + 0*-1 + 0*-1 = 6"
    )
    assert sliding.format_channel_sum(step, 1).endswith("= 0")
    assert sliding.format_channel_sum(step, 2) == (
        "0.5*1 + 0.5*1 + 0.5*1 + 0.5*-2 + 0.5*-2 + 0.5*-2 + 0.5*1 + 0.5*1 + 0.5*1 = 0"
    )
    assert sliding.format_total(step) == "6 + 0 + 0 + -1 = 5"
    assert step.sum == 5.0
    with pytest.raises(ValueError, match="channel must index"):
        sliding.format_channel_sum(step, 3)
    (grey,) = list(sliding.windows(LESSON_IMAGE, LESSON_FILTER))
    np.testing.assert_array_equal(grey.channel_sums(), [6.0])
    with pytest.raises(ValueError, match="channel must index"):
        sliding.format_channel_sum(grey, 0)


def test_format_number_rounds_like_the_written_sum():
    assert [sliding.format_number(v) for v in (6.0, -0.5, 1 / 3, 12.345678, -0.001, 0.0)] == [
        "6",
        "-0.5",
        "0.33",
        "12.35",
        "0",
        "0",
    ]
    assert sliding.format_number(2.0 / 3.0, digits=3) == "0.667"


def test_walk_errors():
    with pytest.raises(ValueError, match="larger than the padded input 2x2"):
        list(sliding.windows(np.zeros((2, 2)), np.ones((3, 3))))
    with pytest.raises(ValueError, match="channel mismatch"):
        list(sliding.windows(np.zeros((4, 4, 3)), np.ones((3, 3, 2))))


@pytest.mark.parametrize("mode", ["max", "min", "avg"])
@pytest.mark.parametrize("size,stride,padding", [(2, None, "valid"), (3, 2, "same"), (2, 1, "valid")])
def test_pool_walk_equals_pool2d(rng, mode, size, stride, padding):
    fmap = rng.standard_normal((7, 6)).astype(np.float32)
    y = ops.pool2d(fmap, size, stride=stride, mode=mode, padding=padding, backend="reference")
    steps = list(sliding.pool_windows(fmap, size, stride=stride, mode=mode, padding=padding))
    np.testing.assert_allclose([s.value for s in steps], y.ravel(), rtol=1e-6)
    for s in steps:
        if s.argmax is not None:
            assert s.patch[s.argmax] == s.value


# ---------------------------------------------------------------------------------------------- backward


def test_backward_walk_by_hand_on_the_lesson_example():
    """One position: dW = dZ x the window, dX = dZ x the filter, db = dZ."""
    dz = np.array([[2.0]])
    dw, dx, db = sliding.conv_gradients(LESSON_IMAGE, LESSON_FILTER, dz)
    np.testing.assert_array_equal(dw[:, :, 0, 0], 2 * LESSON_IMAGE)
    np.testing.assert_array_equal(dx[:, :, 0], 2 * LESSON_FILTER)
    np.testing.assert_array_equal(db, [2.0])
    walk = sliding.BackwardWalk(LESSON_IMAGE, LESSON_FILTER, dz)
    assert walk.positions == 1 and walk.window(0) == (0, 0, 3, 3) and walk.gradient_at(0) == 2.0
    np.testing.assert_array_equal(walk.dw_partial(0), 2 * LESSON_IMAGE)
    np.testing.assert_array_equal(walk.dx_partial(0), 2 * LESSON_FILTER)


def test_backward_walk_steps_in_row_major_order_with_stride_and_padding():
    image = np.arange(16, dtype=np.float64).reshape(4, 4)
    kernel = np.ones((3, 3))
    dz = np.arange(1, 5, dtype=np.float64).reshape(2, 2)  # "same", stride 2: 2x2 outputs, pads (0, 1, 0, 1)
    walk = sliding.BackwardWalk(image, kernel, dz, stride=2, padding="same")
    assert walk.pads == (0, 1, 0, 1) and walk.padded.shape == (5, 5, 1)
    assert [walk.position(p) for p in range(4)] == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert [walk.window(p)[:2] for p in range(4)] == [(0, 0), (0, 2), (2, 0), (2, 2)]
    assert walk.strongest() == 3
    xp = np.pad(image, ((0, 1), (0, 1)))
    expected = dz[0, 0] * xp[0:3, 0:3] + dz[0, 1] * xp[0:3, 2:5]
    np.testing.assert_array_equal(walk.dw_partial(1), expected)
    dxp = np.zeros((5, 5))
    dxp[0:3, 0:3] += 1
    dxp[0:3, 2:5] += 2
    np.testing.assert_array_equal(walk.dx_partial(1), dxp)


@pytest.mark.parametrize("strides,padding,flip", [(1, "same", False), (2, "valid", False), (2, "same", True)])
def test_backward_walk_sums_equal_model_gradients(strides, padding, flip):
    from engine import layers, losses
    from engine.models import Sequential

    model = Sequential(
        [
            layers.Conv2D(2, 3, strides=1, padding="same", activation="relu", input_shape=(9, 9, 1)),
            layers.Conv2D(3, 3, strides=strides, padding=padding, flip=flip),  # linear: dL/dZ is its output's
            layers.ReLU(),
            layers.Flatten(),
            layers.Dense(4),
        ],
        seed=3,
    )
    model.compile(optimizer="sgd", loss=losses.SparseCategoricalCrossentropy(from_logits=True))
    x = np.random.default_rng(0).random((1, 9, 9, 1)).astype(np.float32)
    x_in = model.activations(x)[0][1][0]  # (9, 9, 2): the second conv's input
    g = model.gradients(x, np.array([2]))[1]
    conv = model.layers[1]
    kernel, dz = conv.params["kernel"], g.output[0]  # (3, 3, 2, 3), (OH, OW, 3)
    dw, dx, db = sliding.conv_gradients(x_in, kernel, dz, stride=strides, padding=padding, flip=flip)
    np.testing.assert_allclose(dw, g.weights["kernel"], rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(dx, g.input[0], rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(db, g.weights["bias"], rtol=1e-4, atol=1e-6)
    for c in range(2):
        dx_sum = None
        for k in range(3):
            walk = sliding.BackwardWalk(
                x_in, kernel, dz, stride=strides, padding=padding, flip=flip, channel=c, filter=k
            )
            last = walk.positions - 1
            np.testing.assert_allclose(
                walk.dw_partial(last), g.weights["kernel"][:, :, c, k], rtol=1e-4, atol=1e-6
            )
            dx_sum = walk.dx_partial(last) if dx_sum is None else dx_sum + walk.dx_partial(last)
        t, b, le, r = walk.pads
        hp, wp = walk.padded.shape[:2]
        np.testing.assert_allclose(dx_sum[t : hp - b, le : wp - r], g.input[0][:, :, c], rtol=1e-4, atol=1e-6)
    # one position by hand: the first window times its gradient
    walk = sliding.BackwardWalk(
        x_in, kernel, dz, stride=strides, padding=padding, flip=flip, channel=0, filter=1
    )
    first = dz[0, 0, 1] * walk.padded[:3, :3, 0]
    np.testing.assert_allclose(walk.dw_partial(0), first[::-1, ::-1] if flip else first, rtol=1e-6)


def test_backward_walk_errors():
    with pytest.raises(ValueError, match=r"dz must have the output's shape \(OH, OW, C_out\) = \(1, 1, 1\)"):
        sliding.BackwardWalk(LESSON_IMAGE, LESSON_FILTER, np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"C_in = 3 \(the image's channels\)"):
        sliding.conv_gradients(np.zeros((4, 4, 3)), np.zeros((3, 3, 2, 1)), np.zeros((2, 2, 1)))
    with pytest.raises(ValueError, match=r"filter must be in \[0, 1\)\. Received: filter=1"):
        sliding.BackwardWalk(LESSON_IMAGE, LESSON_FILTER, np.zeros((1, 1)), filter=1)
    with pytest.raises(ValueError, match="larger than the padded input 2x2"):
        sliding.conv_gradients(np.zeros((2, 2)), np.ones((3, 3)), np.zeros((1, 1)))
    walk = sliding.BackwardWalk(LESSON_IMAGE, LESSON_FILTER, np.zeros((1, 1)))
    with pytest.raises(IndexError, match=r"position must be in \[0, 1\)\. Received: 1"):
        walk.dw_partial(1)
