"""The oracle itself is checked: the reference tier against independent formulas (SciPy, NumPy reshapes, the
lesson's worked example) and every backward against central finite differences in float64."""

import numpy as np
import pytest
from scipy import signal

from engine import ops
from engine.backends import reference as R


def test_lesson_worked_example_gives_6():
    image = np.array([0, 0, 0, 1, 1, 1, 0, 0, 0], np.float32).reshape(3, 3)
    kernel = np.array([-1, -1, -1, 2, 2, 2, -1, -1, -1], np.float32).reshape(3, 3)
    assert ops.conv2d(image, kernel, backend="reference").item() == 6.0
    # the same dot product written out, as the lesson does
    assert float(np.dot(image.ravel(), kernel.ravel())) == 6.0


def scipy_conv(x, w, stride, mode, flip):
    """Independent multi-channel conv: sum over input channels of scipy's 2-D correlation, then subsample."""
    n, _, _, c = x.shape
    kh, kw, _, co = w.shape
    fn = signal.convolve2d if flip else signal.correlate2d
    outs = []
    for img in range(n):
        maps = []
        for o in range(co):
            acc = (
                sum(
                    fn(x[img, :, :, ci], w[:, :, ci, o], mode="valid" if mode == "same" else mode)
                    for ci in range(c)
                )
                if mode != "same"
                else None
            )
            if mode == "same":
                # TF same: pad (total K-1 at stride 1), the extra one bottom/right, then valid
                pt, pb = (kh - 1) // 2, kh - 1 - (kh - 1) // 2
                pl, pr = (kw - 1) // 2, kw - 1 - (kw - 1) // 2
                xp = np.pad(x[img], ((pt, pb), (pl, pr), (0, 0)))
                acc = sum(fn(xp[:, :, ci], w[:, :, ci, o], mode="valid") for ci in range(c))
            maps.append(acc[::stride, ::stride])
        outs.append(np.stack(maps, -1))
    return np.stack(outs)


# scipy has no strided 'same': strided same is checked against explicit TF padding below
@pytest.mark.parametrize("mode,stride", [("valid", 1), ("valid", 2), ("full", 1), ("full", 2), ("same", 1)])
@pytest.mark.parametrize("flip", [False, True])
@pytest.mark.parametrize("k", [(3, 3), (2, 2), (3, 2)])
def test_reference_conv_matches_scipy(rng, mode, flip, k, stride):
    x = rng.standard_normal((2, 7, 6, 2))
    w = rng.standard_normal((*k, 2, 3))
    pads = {
        "valid": (0, 0, 0, 0),
        "full": (k[0] - 1, k[0] - 1, k[1] - 1, k[1] - 1),
        "same": ((k[0] - 1) // 2, k[0] - 1 - (k[0] - 1) // 2, (k[1] - 1) // 2, k[1] - 1 - (k[1] - 1) // 2),
    }[mode]
    y = R.conv2d(x, w, np.zeros(3), (stride, stride), pads, flip)
    np.testing.assert_allclose(y, scipy_conv(x, w, stride, mode, flip), rtol=1e-10, atol=1e-10)


def test_strided_same_equals_explicit_tf_padding(rng):
    x = rng.standard_normal((1, 7, 8, 1)).astype(np.float32)
    w = rng.standard_normal((4, 3, 1, 2)).astype(np.float32)
    # TF: out = ceil(7/2)=4 rows -> total pad (4-1)*2+4-7 = 3 -> (1, 2);
    #     cols ceil(8/2)=4 -> (4-1)*2+3-8=1 -> (0, 1)
    y_same = ops.conv2d(x, w, stride=2, padding="same", backend="reference")
    y_expl = ops.conv2d(x, w, stride=2, padding=((1, 2), (0, 1)), backend="reference")
    assert y_same.shape == (1, 4, 4, 2)
    np.testing.assert_array_equal(y_same, y_expl)


def test_reference_pool_matches_reshape(rng):
    x = rng.standard_normal((2, 6, 8, 3))
    blocks = x.reshape(2, 3, 2, 4, 2, 3)
    for mode, fn in (("max", np.max), ("min", np.min), ("avg", np.mean)):
        np.testing.assert_allclose(R.pool2d(x, (2, 2), (2, 2), (0, 0, 0, 0), mode), fn(blocks, axis=(2, 4)))


def test_same_pooling_ignores_padding():
    x = -np.ones((1, 3, 3, 1))  # all negative: zero padding would win a max if it were counted
    y = R.pool2d(x, (2, 2), (2, 2), (0, 1, 0, 1), "max")
    np.testing.assert_array_equal(y[0, :, :, 0], -np.ones((2, 2)))
    y = R.pool2d(np.arange(9.0).reshape(1, 3, 3, 1), (2, 2), (2, 2), (0, 1, 0, 1), "avg")
    np.testing.assert_allclose(y[0, :, :, 0], [[2.0, 3.5], [6.5, 8.0]])


def test_max_pool_tie_goes_to_first_cell():
    x = np.ones((1, 2, 2, 1))
    dx = R.pool2d_backward(x, np.ones((1, 1, 1, 1)), (2, 2), (2, 2), (0, 0, 0, 0), "max")
    np.testing.assert_array_equal(dx[0, :, :, 0], [[1, 0], [0, 0]])


def numerical_gradient(f, x, eps=1e-6):
    """Central differences of the scalar ``f`` at ``x`` (float64)."""
    g = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        idx = it.multi_index
        old = x[idx]
        x[idx] = old + eps
        fp = f()
        x[idx] = old - eps
        fm = f()
        x[idx] = old
        g[idx] = (fp - fm) / (2 * eps)
    return g


@pytest.mark.parametrize(
    "stride,pads,flip,k",
    [
        ((1, 1), (0, 0, 0, 0), False, (3, 3)),
        ((2, 1), (1, 1, 0, 2), False, (2, 3)),
        ((2, 2), (2, 2, 2, 2), True, (3, 3)),
        ((3, 2), (1, 0, 1, 0), True, (2, 2)),
    ],
)
def test_conv_backward_matches_finite_differences(rng, stride, pads, flip, k):
    x = rng.standard_normal((2, 5, 6, 2))
    w = rng.standard_normal((*k, 2, 3))
    b = rng.standard_normal(3)
    y = R.conv2d(x, w, b, stride, pads, flip)
    g = rng.standard_normal(y.shape)  # loss = sum(g * y)

    def loss():
        return float(np.sum(g * R.conv2d(x, w, b, stride, pads, flip)))

    dx, dw, db = R.conv2d_backward(x, w, g, stride, pads, flip, True)
    np.testing.assert_allclose(dx, numerical_gradient(loss, x), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(dw, numerical_gradient(loss, w), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(db, numerical_gradient(loss, b), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("mode", ["max", "min", "avg"])
@pytest.mark.parametrize(
    "size,stride,pads",
    [((2, 2), (2, 2), (0, 0, 0, 0)), ((3, 3), (2, 2), (1, 1, 1, 1)), ((2, 3), (1, 2), (0, 1, 0, 0))],
)
def test_pool_backward_matches_finite_differences(rng, mode, size, stride, pads):
    x = rng.permutation(np.arange(2 * 5 * 6 * 2, dtype=np.float64)).reshape(2, 5, 6, 2) * 0.1  # no ties
    y = R.pool2d(x, size, stride, pads, mode)
    g = rng.standard_normal(y.shape)
    dx = R.pool2d_backward(x, g, size, stride, pads, mode)
    num = numerical_gradient(lambda: float(np.sum(g * R.pool2d(x, size, stride, pads, mode))), x, eps=1e-4)
    np.testing.assert_allclose(dx, num, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("mode", ["max", "min", "avg"])
def test_global_pool_backward_matches_finite_differences(rng, mode):
    x = rng.permutation(np.arange(2 * 3 * 4 * 2, dtype=np.float64)).reshape(2, 3, 4, 2) * 0.1
    g = rng.standard_normal((2, 2))
    dx = R.global_pool_backward(x, g, mode)
    num = numerical_gradient(lambda: float(np.sum(g * R.global_pool(x, mode))), x, eps=1e-4)
    np.testing.assert_allclose(dx, num, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name", ["linear", "relu", "leaky_relu", "sigmoid", "tanh", "softmax"])
def test_activation_backward_matches_finite_differences(rng, name):
    x = rng.standard_normal((3, 5))
    x[np.abs(x) < 1e-3] = 0.5  # keep away from relu's kink
    g = rng.standard_normal(x.shape)
    y = R.activation(name, x, 0.2)
    dx = R.activation_backward(name, x, y, g, 0.2)
    num = numerical_gradient(lambda: float(np.sum(g * R.activation(name, x, 0.2))), x)
    np.testing.assert_allclose(dx, num, rtol=1e-5, atol=1e-7)


def test_activation_values():
    x = np.array([-1000.0, -2.0, 0.0, 3.0, 1000.0])
    np.testing.assert_allclose(R.activation("relu", x, 0.2), [0, 0, 0, 3, 1000])
    np.testing.assert_allclose(R.activation("leaky_relu", x, 0.1), [-100, -0.2, 0, 3, 1000])
    np.testing.assert_allclose(
        R.activation("sigmoid", x, 0.2), [0, 1 / (1 + np.exp(2)), 0.5, 1 / (1 + np.exp(-3)), 1], atol=1e-300
    )
    s = R.activation("softmax", np.array([[1000.0, 1000.0, -1000.0]]), 0.2)  # no overflow
    np.testing.assert_allclose(s, [[0.5, 0.5, 0.0]])


def test_dense_matches_matmul_and_finite_differences(rng):
    x, w, b = rng.standard_normal((4, 5)), rng.standard_normal((5, 3)), rng.standard_normal(3)
    np.testing.assert_allclose(R.dense(x, w, b), x @ w + b)
    g = rng.standard_normal((4, 3))
    dx, dw, db = R.dense_backward(x, w, g)
    loss = lambda: float(np.sum(g * R.dense(x, w, b)))  # noqa: E731
    np.testing.assert_allclose(dx, numerical_gradient(loss, x), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(dw, numerical_gradient(loss, w), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(db, numerical_gradient(loss, b), rtol=1e-6, atol=1e-7)


def test_nan_and_inf_are_computed_not_zeroed():
    x = np.zeros((1, 3, 3, 1), np.float32)
    x[0, 1, 1, 0] = np.nan
    y = ops.conv2d(x, np.ones((2, 2), np.float32)[:, :, None, None], backend="reference")
    assert np.isnan(y).all()  # every 2x2 window touches the centre
    assert np.isnan(ops.relu(np.array([np.nan]), backend="reference")).all()
    assert np.isinf(ops.relu(np.array([np.inf]), backend="reference")).all()
    fmap = np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1)
    fmap[0, 1, 1, 0] = np.nan  # not the first cell of its window
    for backend in ("reference", "cpu"):
        for mode in ("max", "min", "avg"):
            y = ops.pool2d(fmap, 2, mode=mode, backend=backend)[0, :, :, 0]
            assert np.isnan(y[0, 0]) and not np.isnan(y[0, 1]) and not np.isnan(y[1, :]).any(), (
                backend,
                mode,
            )
        assert np.isnan(ops.global_pool(fmap, "max", backend=backend)).all()
