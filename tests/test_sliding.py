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
