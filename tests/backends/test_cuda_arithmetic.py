"""The cuda tier's dilated convolution, transposed convolution and batch normalisation against the reference
tier, on tiny shapes and tiny launch sizes (the simulator when there is no GPU, see conftest), and a training
step of a model with the new layers on the device against the CPU backend."""

from __future__ import annotations

import numpy as np
import pytest

import engine
from engine import config, shapes
from engine.backends import get_module
from engine.backends import reference as ref

pytestmark = pytest.mark.cuda

cb = get_module("cuda")

TOL = {"rtol": 1e-5, "atol": 1e-5}


@pytest.fixture(autouse=True)
def tiny_launch():
    keys = ("cuda_threads_per_block", "cuda_tile", "cuda_target_blocks")
    before = [config.get(key) for key in keys]
    for key, value in zip(keys, (4, 3, 16), strict=True):
        config.set(key, value)
    yield
    for key, value in zip(keys, before, strict=True):
        config.set(key, value)


def f32(rng, *shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def check_op(fast, reference, *args):
    got, want = fast(*args), reference(*args)
    if not isinstance(want, tuple):
        got, want = (got,), (want,)
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        if w is None:
            assert g is None
            continue
        assert isinstance(g, np.ndarray) and g.dtype == np.float32
        assert g.shape == w.shape
        np.testing.assert_allclose(g, w, **TOL)
    return got


# (N, H, W, kernel, stride, dilation, padding spec)
DILATED_CASES = [
    (1, 6, 5, (2, 2), (1, 1), (2, 2), "valid"),
    (2, 5, 5, (3, 2), (1, 1), (2, 3), "same"),
    (1, 4, 5, (2, 3), (1, 1), (1, 2), "full"),
    (1, 7, 6, (2, 2), (2, 1), (2, 2), 1),
]


@pytest.mark.parametrize("flip", [False, True])
@pytest.mark.parametrize("n, h, w, kernel, stride, dilation, padding", DILATED_CASES)
def test_dilated_conv2d_matches_reference(rng, n, h, w, kernel, stride, dilation, padding, flip):
    x, wt, b = f32(rng, n, h, w, 2), f32(rng, *kernel, 2, 3), f32(rng, 3)
    pads = shapes.resolve_padding(padding, (h, w), shapes.effective_kernel(kernel, dilation), stride)
    y = check_op(cb.conv2d, ref.conv2d, x, wt, b, stride, pads, flip, dilation)[0]
    dy = f32(rng, *y.shape)
    check_op(cb.conv2d_backward, ref.conv2d_backward, x, wt, dy, stride, pads, flip, True, dilation)


# (N, H, W, kernel, stride, dilation, padding)
TRANSPOSE_CASES = [
    (2, 3, 3, (3, 3), (1, 1), (1, 1), "valid"),
    (1, 3, 2, (3, 3), (2, 2), (1, 1), "same"),
    (1, 2, 3, (1, 2), (3, 2), (1, 1), "valid"),  # kernel smaller than the stride
    (1, 3, 3, (2, 2), (1, 1), (2, 2), "same"),
    (1, 3, 4, (3, 2), (2, 1), (1, 1), 1),
]


@pytest.mark.parametrize("n, h, w, kernel, stride, dilation, padding", TRANSPOSE_CASES)
def test_conv2d_transpose_matches_reference(rng, n, h, w, kernel, stride, dilation, padding):
    x, wt, b = f32(rng, n, h, w, 2), f32(rng, *kernel, 3, 2), f32(rng, 3)
    pads, out_hw = shapes.resolve_transpose_padding(
        padding, (h, w), shapes.effective_kernel(kernel, dilation), stride
    )
    y = check_op(cb.conv2d_transpose, ref.conv2d_transpose, x, wt, b, stride, pads, out_hw, dilation)[0]
    assert y.shape == (n, *out_hw, 3)
    dy = f32(rng, *y.shape)
    for need_dx in (True, False):
        check_op(
            cb.conv2d_transpose_backward,
            ref.conv2d_transpose_backward,
            x,
            wt,
            dy,
            stride,
            pads,
            need_dx,
            dilation,
        )


@pytest.mark.parametrize("shape", [(5, 3), (2, 3, 3, 2), (1, 1, 1, 3)])
def test_batch_norm_matches_reference(rng, shape):
    x = f32(rng, *shape, scale=3.0) + 2
    c = shape[-1]
    gamma, beta = f32(rng, c), f32(rng, c)
    mean, variance = f32(rng, c), (rng.random(c) + 0.1).astype(np.float32)
    check_op(cb.batch_norm, ref.batch_norm, x, gamma, beta, mean, variance, 1e-3)
    _, bmean, bvar = check_op(cb.batch_norm_training, ref.batch_norm_training, x, gamma, beta, 1e-3)
    dy = f32(rng, *shape)
    for training, (m, v) in ((True, (bmean, bvar)), (False, (mean, variance))):
        for need_dx in (True, False):
            check_op(
                cb.batch_norm_backward, ref.batch_norm_backward, x, gamma, m, v, dy, 1e-3, training, need_dx
            )


def test_moving_average_in_place_on_the_device_and_on_the_host(rng):
    moving, value = f32(rng, 5), f32(rng, 5)
    want = 0.9 * moving.astype(np.float64) + 0.1 * value
    md = cb.to_device(moving)
    cb.moving_average(md, cb.to_device(value), 0.9)
    np.testing.assert_allclose(cb.to_host(md), want, rtol=1e-6)
    host = moving.copy()
    cb.moving_average(host, value, 0.9)
    np.testing.assert_allclose(host, want, rtol=1e-6)


def _arith_model(seed, backend):
    from engine import layers as L

    model = engine.Sequential(
        [
            L.Conv2D(2, 2, dilation_rate=2, padding="same", input_shape=(4, 4, 1)),
            L.BatchNormalization(momentum=0.5),
            L.Conv2DTranspose(2, 2, strides=2, activation="relu"),
            L.Conv2D(2, 3, strides=2),
            L.Flatten(),
            L.Dense(3),
        ],
        seed=seed,
        backend=backend,
    )
    model.compile(
        optimizer="sgd", loss=engine.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=[]
    )
    return model


def test_fit_with_the_new_layers_on_cuda_matches_cpu(rng, backend_guard):
    """Two batches of fit: weights, moving statistics included, and losses agree with the CPU backend."""
    config.set("cuda_threads_per_block", 16)
    config.set("cuda_tile", 4)
    x = f32(rng, 4, 4, 4, 1)
    y = rng.integers(0, 3, 4)
    a, b = _arith_model(0, "cpu"), _arith_model(0, "cuda")
    ha = a.fit(x, y, batch_size=2, shuffle=False, verbose=0, seed=1)
    hb = b.fit(x, y, batch_size=2, shuffle=False, verbose=0, seed=1)
    assert hb.history["loss"] == pytest.approx(ha.history["loss"], abs=1e-4)
    for wa, wb in zip(a.get_weights(), b.get_weights(), strict=True):
        np.testing.assert_allclose(wb, wa, atol=1e-4, rtol=1e-4)
    bn = b.layers[1]
    assert not np.allclose(bn.params["moving_mean"], 0.0)  # two steps moved them, on the device and back
    np.testing.assert_allclose(b.predict(x), a.predict(x), atol=1e-4, rtol=1e-4)


def test_device_arrays_in_device_arrays_out(rng):
    """The new functions keep device inputs on the device, as the contract asks (a training run never copies
    back between layers)."""
    x, w, b = f32(rng, 1, 3, 3, 2), f32(rng, 2, 2, 3, 2), f32(rng, 3)
    xd, wd, bd = cb.to_device(x), cb.to_device(w), cb.to_device(b)
    pads, out_hw = shapes.resolve_transpose_padding("same", (3, 3), (2, 2), (2, 2))
    yd = cb.conv2d_transpose(xd, wd, bd, (2, 2), pads, out_hw, (1, 1))
    assert cb.is_device_array(yd)
    np.testing.assert_allclose(
        cb.to_host(yd), ref.conv2d_transpose(x, w, b, (2, 2), pads, out_hw, (1, 1)), **TOL
    )
    dx, dw, db = cb.conv2d_transpose_backward(xd, wd, yd, (2, 2), pads, True, (1, 1))
    assert all(cb.is_device_array(a) for a in (dx, dw, db))
    g, be = cb.to_device(np.ones(3, np.float32)), cb.to_device(np.zeros(3, np.float32))
    y2, mean, var = cb.batch_norm_training(yd, g, be, 1e-3)
    assert all(cb.is_device_array(a) for a in (y2, mean, var))
    dx2, dg, dbeta = cb.batch_norm_backward(yd, g, mean, var, y2, 1e-3, True, True)
    assert all(cb.is_device_array(a) for a in (dx2, dg, dbeta))
    assert cb.is_device_array(cb.batch_norm(yd, g, be, mean, var, 1e-3))
