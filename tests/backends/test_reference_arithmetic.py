"""The reference tier's dilation, transposed convolution and batch normalisation, against constructions
independent of it: a dilated kernel is a bigger kernel with zeros inserted; the transposed convolution is
the adjoint of the convolution (``<conv(u), v> = <u, conv_transpose(v)>``); batch normalisation written out
in NumPy. Every backward against central finite differences in float64."""

from __future__ import annotations

import numpy as np
import pytest

from engine import shapes
from engine.backends import reference as R


def numerical_gradient(f, x, eps=1e-6):
    """Central differences of the scalar ``f()`` with respect to every entry of ``x`` (changed in place)."""
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        grad[i] = (up - down) / (2 * eps)
    return grad


def dilate_kernel(w, dilation):
    """The kernel with ``d - 1`` zeros inserted between its taps along each axis: ``(d(K-1)+1, ...)``."""
    dh, dw = dilation
    kh, kw = w.shape[:2]
    big = np.zeros((dh * (kh - 1) + 1, dw * (kw - 1) + 1, *w.shape[2:]), w.dtype)
    big[::dh, ::dw] = w
    return big


# (stride, dilation, padding spec given to engine.shapes.resolve_padding)
DILATED_CASES = [
    ((1, 1), (2, 2), "valid"),
    ((1, 1), (2, 3), "same"),
    ((1, 1), (3, 2), "full"),
    ((2, 2), (2, 2), "same"),  # the tier takes any combination (the layer refuses stride and dilation > 1)
    ((1, 2), (2, 1), 1),
    ((1, 1), (1, 2), ((0, 2), (1, 0))),
]


@pytest.mark.parametrize("flip", [False, True])
@pytest.mark.parametrize("stride, dilation, padding", DILATED_CASES)
def test_dilated_conv_is_the_conv_by_the_kernel_with_zeros_inserted(rng, stride, dilation, padding, flip):
    x = rng.standard_normal((2, 9, 8, 2))
    w = rng.standard_normal((3, 2, 2, 3))
    b = rng.standard_normal(3)
    big = dilate_kernel(w, dilation)
    pads = shapes.resolve_padding(padding, (9, 8), big.shape[:2], stride)
    y = R.conv2d(x, w, b, stride, pads, flip, dilation)
    np.testing.assert_allclose(y, R.conv2d(x, big, b, stride, pads, flip), rtol=1e-12, atol=1e-12)
    g = rng.standard_normal(y.shape)
    dx, dw, db = R.conv2d_backward(x, w, g, stride, pads, flip, True, dilation)
    dx_big, dw_big, db_big = R.conv2d_backward(x, big, g, stride, pads, flip, True)
    np.testing.assert_allclose(dx, dx_big, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dw, dw_big[:: dilation[0], :: dilation[1]], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(db, db_big, rtol=1e-12, atol=1e-12)


def test_dilated_conv_hand_worked():
    """A 2x2 kernel dilated by 2 reads the four corners of each 3x3 window."""
    x = np.arange(16, dtype=np.float64).reshape(1, 4, 4, 1)
    w = np.array([[1.0, 10.0], [100.0, 1000.0]]).reshape(2, 2, 1, 1)
    y = R.conv2d(x, w, np.zeros(1), (1, 1), (0, 0, 0, 0), False, (2, 2))
    assert y.shape == (1, 2, 2, 1)
    # window at (0, 0): x[0,0] + 10 x[0,2] + 100 x[2,0] + 1000 x[2,2] = 0 + 20 + 800 + 10000
    assert y[0, 0, 0, 0] == 10820.0
    assert y[0, 1, 1, 0] == 5 + 10 * 7 + 100 * 13 + 1000 * 15


@pytest.mark.parametrize("flip", [False, True])
@pytest.mark.parametrize("stride, dilation, padding", DILATED_CASES[:4])
def test_dilated_conv_backward_matches_finite_differences(rng, stride, dilation, padding, flip):
    x = rng.standard_normal((2, 7, 6, 2))
    w = rng.standard_normal((2, 3, 2, 2))
    b = rng.standard_normal(2)
    pads = shapes.resolve_padding(padding, (7, 6), shapes.effective_kernel((2, 3), dilation), stride)
    y = R.conv2d(x, w, b, stride, pads, flip, dilation)
    g = rng.standard_normal(y.shape)

    def loss():
        return float(np.sum(g * R.conv2d(x, w, b, stride, pads, flip, dilation)))

    dx, dw, db = R.conv2d_backward(x, w, g, stride, pads, flip, True, dilation)
    np.testing.assert_allclose(dx, numerical_gradient(loss, x), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(dw, numerical_gradient(loss, w), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(db, numerical_gradient(loss, b), rtol=1e-6, atol=1e-6)


# ---------------------------------------------------------------------------------- transposed convolution
# (H, W, kernel, stride, dilation, padding)
TRANSPOSE_CASES = [
    (3, 4, (3, 3), (1, 1), (1, 1), "valid"),
    (3, 3, (3, 3), (2, 2), (1, 1), "valid"),
    (3, 4, (4, 3), (2, 2), (1, 1), "same"),
    (2, 3, (3, 2), (3, 2), (1, 1), "same"),
    (4, 3, (1, 2), (3, 3), (1, 1), "valid"),  # kernel smaller than the stride: gaps in the output
    (3, 3, (2, 2), (1, 1), (2, 3), "valid"),
    (4, 4, (3, 3), (1, 1), (2, 2), "same"),
    (4, 3, (3, 3), (2, 1), (1, 1), 1),
    (4, 4, (3, 2), (1, 1), (1, 1), "full"),
]


def _transpose_geometry(h, w, kernel, stride, dilation, padding):
    return shapes.resolve_transpose_padding(
        padding, (h, w), shapes.effective_kernel(kernel, dilation), stride
    )


@pytest.mark.parametrize("h, w, kernel, stride, dilation, padding", TRANSPOSE_CASES)
def test_conv_transpose_is_the_adjoint_of_conv(rng, h, w, kernel, stride, dilation, padding):
    """``<conv2d(u, w), v> = <u, conv2d_transpose(v, w)>`` for random ``u`` (the transposed convolution's
    output shape) and ``v`` (its input shape): the convolution maps ``(OH, OW)`` to ``(H, W)``."""
    c_in, c_out = 3, 2  # of the transposed convolution: w (KH, KW, C_out, C_in)
    wt = rng.standard_normal((*kernel, c_out, c_in))
    pads, (oh, ow) = _transpose_geometry(h, w, kernel, stride, dilation, padding)
    v = rng.standard_normal((2, h, w, c_in))
    u = rng.standard_normal((2, oh, ow, c_out))
    conv_u = R.conv2d(u, wt, np.zeros(c_in), stride, pads, False, dilation)
    assert conv_u.shape == v.shape  # the convolution really maps the output size back to the input size
    t_v = R.conv2d_transpose(v, wt, np.zeros(c_out), stride, pads, (oh, ow), dilation)
    assert t_v.shape == u.shape
    np.testing.assert_allclose(np.sum(conv_u * v), np.sum(u * t_v), rtol=1e-12)


@pytest.mark.parametrize("h, w, kernel, stride, dilation, padding", TRANSPOSE_CASES)
def test_conv_transpose_is_the_input_gradient_of_conv(rng, h, w, kernel, stride, dilation, padding):
    """The operator itself, not only its inner products: ``conv2d_backward(u, w, v).dx`` plus the bias."""
    wt = rng.standard_normal((*kernel, 2, 3))
    b = rng.standard_normal(2)
    pads, (oh, ow) = _transpose_geometry(h, w, kernel, stride, dilation, padding)
    v = rng.standard_normal((1, h, w, 3))
    u = np.zeros((1, oh, ow, 2))
    dx, _, _ = R.conv2d_backward(u, wt, v, stride, pads, False, True, dilation)
    y = R.conv2d_transpose(v, wt, b, stride, pads, (oh, ow), dilation)
    np.testing.assert_allclose(y, dx + b, rtol=1e-12, atol=1e-12)


def test_conv_transpose_hand_worked():
    """One channel, stride 2, 'valid': each input cell stamps ``x * kernel`` two cells apart; overlaps
    add."""
    x = np.array([[1.0, 2.0], [3.0, 4.0]]).reshape(1, 2, 2, 1)
    k = np.array([[1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]).reshape(3, 3, 1, 1)
    pads, out_hw = shapes.resolve_transpose_padding("valid", (2, 2), (3, 3), (2, 2))
    assert pads == (0, 0, 0, 0) and out_hw == (5, 5)  # (2 - 1) * 2 + 3
    y = R.conv2d_transpose(x, k, np.zeros(1), (2, 2), pads, out_hw)[0, :, :, 0]
    want = np.array(
        [
            [1, 1, 3, 2, 2],
            [1, 1, 3, 2, 2],
            [4, 4, 10, 6, 6],
            [3, 3, 7, 4, 4],
            [3, 3, 7, 4, 4],
        ],
        dtype=np.float64,
    )
    np.testing.assert_array_equal(y, want)


@pytest.mark.parametrize("h, w, kernel, stride, dilation, padding", TRANSPOSE_CASES)
def test_conv_transpose_backward_matches_finite_differences(rng, h, w, kernel, stride, dilation, padding):
    x = rng.standard_normal((2, h, w, 2))
    wt = rng.standard_normal((*kernel, 3, 2))
    b = rng.standard_normal(3)
    pads, out_hw = _transpose_geometry(h, w, kernel, stride, dilation, padding)
    g = rng.standard_normal((2, *out_hw, 3))

    def loss():
        return float(np.sum(g * R.conv2d_transpose(x, wt, b, stride, pads, out_hw, dilation)))

    dx, dw, db = R.conv2d_transpose_backward(x, wt, g, stride, pads, True, dilation)
    np.testing.assert_allclose(dx, numerical_gradient(loss, x), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(dw, numerical_gradient(loss, wt), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(db, numerical_gradient(loss, b), rtol=1e-6, atol=1e-6)
    assert R.conv2d_transpose_backward(x, wt, g, stride, pads, False, dilation)[0] is None


# ------------------------------------------------------------------------------------- batch normalisation
def numpy_batch_norm(x, gamma, beta, eps):
    """Written out: statistics over every axis but the last, biased variance."""
    axes = tuple(range(x.ndim - 1))
    mean = x.mean(axis=axes)
    var = ((x - mean) ** 2).mean(axis=axes)
    return gamma * (x - mean) / np.sqrt(var + eps) + beta, mean, var


@pytest.mark.parametrize("shape", [(4, 3), (2, 3, 4, 5), (1, 2, 2, 1)])
def test_batch_norm_training_and_inference_match_numpy(rng, shape):
    x = rng.standard_normal(shape) * 3 + 2
    c = shape[-1]
    gamma, beta = rng.standard_normal(c), rng.standard_normal(c)
    y, mean, var = R.batch_norm_training(x, gamma, beta, 1e-3)
    want_y, want_mean, want_var = numpy_batch_norm(x, gamma, beta, 1e-3)
    np.testing.assert_allclose(mean, want_mean, rtol=1e-12)
    np.testing.assert_allclose(var, want_var, rtol=1e-12)
    np.testing.assert_allclose(y, want_y, rtol=1e-12, atol=1e-12)
    moving_mean, moving_var = rng.standard_normal(c), rng.random(c) + 0.5
    np.testing.assert_allclose(
        R.batch_norm(x, gamma, beta, moving_mean, moving_var, 1e-3),
        gamma * (x - moving_mean) / np.sqrt(moving_var + 1e-3) + beta,
        rtol=1e-12,
        atol=1e-12,
    )


def test_batch_norm_hand_worked():
    """One channel, values 1, 2, 3, 6: mean 3, biased variance (4 + 1 + 0 + 9) / 4 = 3.5."""
    x = np.array([[1.0], [2.0], [3.0], [6.0]])
    y, mean, var = R.batch_norm_training(x, np.array([2.0]), np.array([1.0]), 0.5)
    assert mean[0] == 3.0 and var[0] == 3.5
    np.testing.assert_allclose(y[:, 0], 2.0 * (x[:, 0] - 3.0) / 2.0 + 1.0)  # sqrt(3.5 + 0.5) = 2


@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("shape", [(5, 3), (2, 3, 2, 2)])
def test_batch_norm_backward_matches_finite_differences(rng, training, shape):
    x = rng.standard_normal(shape)
    c = shape[-1]
    gamma, beta = rng.standard_normal(c), rng.standard_normal(c)
    moving_mean, moving_var = rng.standard_normal(c), rng.random(c) + 0.5
    g = rng.standard_normal(shape)

    def forward():
        if training:
            return R.batch_norm_training(x, gamma, beta, 1e-3)[0]
        return R.batch_norm(x, gamma, beta, moving_mean, moving_var, 1e-3)

    def loss():
        return float(np.sum(g * forward()))

    if training:
        _, mean, var = R.batch_norm_training(x, gamma, beta, 1e-3)
    else:
        mean, var = moving_mean, moving_var
    dx, dgamma, dbeta = R.batch_norm_backward(x, gamma, mean, var, g, 1e-3, training, True)
    np.testing.assert_allclose(dx, numerical_gradient(loss, x), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(dgamma, numerical_gradient(loss, gamma), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(dbeta, numerical_gradient(loss, beta), rtol=1e-6, atol=1e-6)
    assert R.batch_norm_backward(x, gamma, mean, var, g, 1e-3, training, False)[0] is None


def test_moving_average_in_place():
    moving = np.array([1.0, 2.0])
    R.moving_average(moving, np.array([3.0, -2.0]), 0.75)
    np.testing.assert_allclose(moving, [1.5, 1.0])
