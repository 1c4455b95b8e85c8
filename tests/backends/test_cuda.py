"""The ``cuda`` tier against the reference tier, on tiny shapes with tiny launch sizes.

Under the CUDA simulator (set by conftest when no GPU is present) each CUDA thread is a Python thread, so the
shapes are small; the launch sizes are shrunk too (4 threads per 1-D block, 2x2 or 3x3 tiles) so that every
grid has several blocks and partial blocks at its edges.
"""

from __future__ import annotations

import numpy as np
import pytest

import engine
from engine import config, ops
from engine.backends import cuda_guard, get_module
from engine.backends import reference as ref

pytestmark = pytest.mark.cuda

cb = get_module("cuda")  # the simulator (conftest) or a real GPU
from engine.backends.cuda import arrays as ca  # noqa: E402  (after the tier is chosen: it imports numba.cuda)
from engine.backends.cuda import losses as cl  # noqa: E402
from engine.backends.cuda import optimizers as co  # noqa: E402

TOL = {"rtol": 1e-5, "atol": 1e-5}


@pytest.fixture(autouse=True)
def tiny_launch(monkeypatch):
    """4 threads per 1-D block and 3x3 tiles: several blocks per grid even on tiny arrays; reductions split
    into a few chunks only (each block costs Python threads in the simulator)."""
    keys = ("cuda_threads_per_block", "cuda_tile", "cuda_target_blocks")
    before = [config.get(key) for key in keys]
    for key, value in zip(keys, (4, 3, 16), strict=True):
        config.set(key, value)
    yield
    for key, value in zip(keys, before, strict=True):
        config.set(key, value)


def f32(rng, *shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def check_op(fast, reference, *args, **kw):
    """Run both tiers on the same arguments; compare every output (tuples element-wise, None with None)."""
    got, want = fast(*args, **kw), reference(*args, **kw)
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


# ------------------------------------------------------------------------------------------------ conv2d
CONV_CASES = [
    # (N, H, W, KH, KW, stride, pads)                  padding it stands for
    (2, 5, 6, 3, 3, (1, 1), (0, 0, 0, 0)),  # valid, odd kernel, two images
    (1, 5, 5, 3, 3, (1, 1), (1, 1, 1, 1)),  # same, stride 1
    (1, 4, 5, 2, 2, (1, 1), (0, 1, 0, 1)),  # same, even kernel: extra pad after
    (1, 4, 4, 3, 2, (1, 1), (2, 2, 1, 1)),  # full, mixed kernel
    (2, 7, 6, 3, 3, (2, 2), (1, 1, 1, 1)),  # same, stride 2, two images
    (1, 7, 8, 2, 3, (3, 2), (0, 0, 0, 0)),  # valid, strides 3 and 2
    (1, 6, 7, 4, 2, (2, 3), (1, 2, 0, 1)),  # explicit uneven pads
]


@pytest.mark.parametrize("flip", [False, True])
@pytest.mark.parametrize("n, h, w, kh, kw, stride, pads", CONV_CASES)
def test_conv2d_forward_backward_match_reference(rng, n, h, w, kh, kw, stride, pads, flip):
    x, wt, b = f32(rng, n, h, w, 2), f32(rng, kh, kw, 2, 4), f32(rng, 4)
    y = check_op(cb.conv2d, ref.conv2d, x, wt, b, stride, pads, flip)[0]
    dy = f32(rng, *y.shape)
    check_op(cb.conv2d_backward, ref.conv2d_backward, x, wt, dy, stride, pads, flip, True)


def test_conv2d_backward_without_dx(rng):
    x, wt = f32(rng, 1, 5, 5, 3), f32(rng, 3, 3, 3, 2)
    dy = f32(rng, 1, 3, 3, 2)
    dx, _dw, _db = check_op(
        cb.conv2d_backward, ref.conv2d_backward, x, wt, dy, (1, 1), (0, 0, 0, 0), False, False
    )
    assert dx is None


def test_conv2d_lesson_example_gives_6():
    """The lesson's horizontal line against its horizontal-line detector."""
    image = np.array([0, 0, 0, 1, 1, 1, 0, 0, 0], np.float32).reshape(1, 3, 3, 1)
    kernel = np.array([-1, -1, -1, 2, 2, 2, -1, -1, -1], np.float32).reshape(3, 3, 1, 1)
    y = cb.conv2d(image, kernel, np.zeros(1, np.float32), (1, 1), (0, 0, 0, 0), False)
    assert y.shape == (1, 1, 1, 1) and y[0, 0, 0, 0] == 6.0


def test_conv2d_large_tile_and_block(rng):
    """Default-ish launch sizes: one tile covers everything (no split), still exact."""
    config.set("cuda_tile", 8)
    x, wt, b = f32(rng, 1, 4, 4, 2), f32(rng, 3, 3, 2, 3), f32(rng, 3)
    y = check_op(cb.conv2d, ref.conv2d, x, wt, b, (1, 1), (1, 1, 1, 1), False)[0]
    check_op(
        cb.conv2d_backward, ref.conv2d_backward, x, wt, f32(rng, *y.shape), (1, 1), (1, 1, 1, 1), False, True
    )


# ----------------------------------------------------------------------------------------------- pooling
POOL_CASES = [
    ((2, 2), (2, 2), (0, 0, 0, 0)),  # the lesson's 2x2 halving
    ((3, 3), (1, 1), (1, 1, 1, 1)),  # overlapping windows, 'same'
    ((3, 2), (2, 3), (1, 2, 0, 1)),  # uneven window, strides and pads
    ((2, 2), (2, 2), (0, 1, 0, 1)),  # 'same' on an odd size: the last window is half padding
]


@pytest.mark.parametrize("mode", ["max", "min", "avg"])
@pytest.mark.parametrize("size, stride, pads", POOL_CASES)
def test_pool2d_matches_reference_with_ties(rng, size, stride, pads, mode):
    x = rng.integers(0, 3, (2, 5, 5, 2)).astype(np.float32)  # few distinct values: many ties
    y = check_op(cb.pool2d, ref.pool2d, x, size, stride, pads, mode)[0]
    check_op(cb.pool2d_backward, ref.pool2d_backward, x, f32(rng, *y.shape), size, stride, pads, mode)


def test_max_pool_tie_goes_to_first_cell_in_row_major_order():
    x = np.ones((1, 2, 2, 1), np.float32)
    dx = cb.pool2d_backward(x, np.full((1, 1, 1, 1), 5.0, np.float32), (2, 2), (2, 2), (0, 0, 0, 0), "max")
    np.testing.assert_array_equal(dx[0, :, :, 0], [[5.0, 0.0], [0.0, 0.0]])


@pytest.mark.parametrize("mode", ["max", "min", "avg"])
def test_global_pool_matches_reference(rng, mode):
    x = rng.integers(-2, 3, (3, 3, 4, 3)).astype(np.float32)
    y = check_op(cb.global_pool, ref.global_pool, x, mode)[0]
    assert y.shape == (3, 3)
    check_op(cb.global_pool_backward, ref.global_pool_backward, x, f32(rng, 3, 3), mode)


@pytest.mark.parametrize("mode", ["max", "min"])
def test_windowed_pool_propagates_nan_like_the_reference(mode):
    x = np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1)
    x[0, 1, 1, 0] = np.nan  # the last cell of window (0, 0), not its first
    args = ((2, 2), (2, 2), (0, 0, 0, 0), mode)
    y = np.asarray(cb.pool2d(x, *args))
    np.testing.assert_array_equal(y, ref.pool2d(x, *args))
    assert np.isnan(y[0, 0, 0, 0]) and not np.isnan(y[0, 1, :, 0]).any()
    dy = np.ones((1, 2, 2, 1), np.float32)
    np.testing.assert_array_equal(
        np.asarray(cb.pool2d_backward(x, dy, *args)), ref.pool2d_backward(x, dy, *args)
    )


def test_global_max_pool_propagates_nan():
    x = np.array([1.0, np.nan, 3.0, 2.0], np.float32).reshape(1, 2, 2, 1)
    assert np.isnan(cb.global_pool(x, "max")[0, 0])
    assert np.isnan(ref.global_pool(x, "max")[0, 0])


# ------------------------------------------------------------------------------------------- activations
@pytest.mark.parametrize("name", ["linear", "relu", "leaky_relu", "sigmoid", "tanh", "softmax"])
def test_activations_match_reference(rng, name):
    x = f32(rng, 3, 2, 5, scale=4.0)
    x[0, 0, :2] = [40.0, -40.0]  # far tails: sigmoid/softmax must not overflow
    y = check_op(cb.activation, ref.activation, name, x, 0.1)[0]
    check_op(cb.activation_backward, ref.activation_backward, name, x, y, f32(rng, *x.shape), 0.1)


def test_relu_keeps_nan_and_inf():
    x = np.array([np.nan, np.inf, -np.inf, -1.0, 2.0], np.float32)
    np.testing.assert_array_equal(cb.activation("relu", x, 0.2), [np.nan, np.inf, 0.0, 0.0, 2.0])


# ------------------------------------------------------------------------------------------------- dense
@pytest.mark.parametrize("n, d_in, d_out", [(5, 7, 4), (2, 20, 3), (7, 1, 8)])
def test_dense_matches_reference(rng, n, d_in, d_out):
    x, w, b = f32(rng, n, d_in), f32(rng, d_in, d_out), f32(rng, d_out)
    check_op(cb.dense, ref.dense, x, w, b)
    check_op(cb.dense_backward, ref.dense_backward, x, w, f32(rng, n, d_out))


def test_matmul_split_over_chunks_adds_up(rng):
    """A long inner dimension and a 1x1 output grid: the reduction is split over blockIdx.z chunks."""
    a, b = f32(rng, 2, 31), f32(rng, 31, 2)
    c = cb.matmul(a, b)
    assert cb.is_device_array(c)
    np.testing.assert_allclose(c.copy_to_host(), a.astype(np.float64) @ b, rtol=1e-5, atol=1e-5)
    ct_ = cb.matmul(a, a, trans_b=True)
    np.testing.assert_allclose(ct_.copy_to_host(), a.astype(np.float64) @ a.T, rtol=1e-5, atol=1e-5)


# ------------------------------------------------------------------------------------- device residency
def test_device_in_device_out_numpy_in_numpy_out(rng):
    x, w, b = f32(rng, 1, 4, 4, 1), f32(rng, 2, 2, 1, 2), f32(rng, 2)
    xd, wd, bd = cb.to_device(x), cb.to_device(w), cb.to_device(b)
    yd = cb.conv2d(xd, wd, bd, (1, 1), (0, 0, 0, 0), False)
    assert cb.is_device_array(yd) and not cb.is_device_array(x)
    pd = cb.pool2d(yd, (3, 3), (3, 3), (0, 0, 0, 0), "max")
    ad = cb.activation("relu", pd, 0.0)
    assert cb.is_device_array(pd) and cb.is_device_array(ad)
    want = ref.activation(
        "relu",
        ref.pool2d(ref.conv2d(x, w, b, (1, 1), (0, 0, 0, 0), False), (3, 3), (3, 3), (0, 0, 0, 0), "max"),
        0.0,
    )
    np.testing.assert_allclose(cb.to_host(ad), want, **TOL)
    dx, dw, db = cb.conv2d_backward(
        xd, wd, cb.to_device(np.ones((1, 3, 3, 2), np.float32)), (1, 1), (0, 0, 0, 0), False, True
    )
    assert all(cb.is_device_array(a) for a in (dx, dw, db))
    assert isinstance(cb.conv2d(x, w, b, (1, 1), (0, 0, 0, 0), False), np.ndarray)


def test_ops_run_on_the_cuda_backend(rng, backend_guard):
    engine.set_backend("cuda")
    assert engine.get_backend() == "cuda"
    img = f32(rng, 6, 6)
    k = f32(rng, 3, 3)
    np.testing.assert_allclose(
        ops.conv2d(img, k, padding="same", stride=2),
        ops.conv2d(img, k, padding="same", stride=2, backend="reference"),
        **TOL,
    )
    np.testing.assert_allclose(
        ops.pool2d(img, 2, mode="avg"), ops.pool2d(img, 2, mode="avg", backend="reference"), **TOL
    )


def test_launch_sizes_are_validated():
    config.set("cuda_tile", 40)
    with pytest.raises(ValueError, match=r"cuda_tile must be in 1\.\.32.*Received: cuda_tile=40"):
        cb.dense(np.ones((2, 2), np.float32), np.ones((2, 2), np.float32), np.zeros(2, np.float32))
    config.set("cuda_threads_per_block", 0)
    with pytest.raises(ValueError, match=r"cuda_threads_per_block must be in 1\.\.1024"):
        cb.activation("relu", np.ones(3, np.float32), 0.0)


def test_without_cuda_choosing_it_names_the_way_out(monkeypatch, backend_guard):
    """The driver's own words reach the user (not a blanket "no device"), with the ways out."""
    reason = "the CUDA driver says: CUDA_ERROR_NO_DEVICE (100)\n"
    monkeypatch.setattr(cuda_guard, "unavailable_reason", lambda: reason)
    assert not cuda_guard.cuda_available()
    before = engine.get_backend()
    with pytest.raises(
        cuda_guard.CudaUnavailableError,
        match=r"no CUDA device is usable here: the CUDA driver says: "
        r"CUDA_ERROR_NO_DEVICE \(100\)\. .*'cpu' backend",
    ):
        engine.set_backend("cuda")
    assert engine.get_backend() == before


# ------------------------------------------------------------------------------------------------ losses
def _np_log_softmax(z):
    z = z.astype(np.float64)
    s = z - z.max(axis=1, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=1, keepdims=True))


def test_sparse_softmax_cross_entropy_matches_numpy(rng):
    z = f32(rng, 6, 4, scale=3.0)
    z[0] = [100.0, -100.0, 0.0, 50.0]  # no overflow
    labels = np.array([0, 1, 2, 3, 1, 0])
    losses, correct, dz = cl.sparse_softmax_cross_entropy(z, labels)
    logp = _np_log_softmax(z)
    np.testing.assert_allclose(losses.copy_to_host(), -logp[np.arange(6), labels], rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(correct.copy_to_host(), (z.argmax(axis=1) == labels).astype(np.float32))
    want = np.exp(logp)
    want[np.arange(6), labels] -= 1.0
    np.testing.assert_allclose(dz.copy_to_host(), want / 6, rtol=1e-5, atol=1e-6)
    loss, acc = cl.batch_metrics(losses, correct)
    assert loss == pytest.approx(-logp[np.arange(6), labels].mean(), rel=1e-5)
    assert acc == pytest.approx(np.mean(z.argmax(axis=1) == labels))


def test_cross_entropy_from_probs_matches_engine_losses(rng):
    from engine.losses import SparseCategoricalCrossentropy

    p = ref.activation("softmax", f32(rng, 5, 3, scale=2.0), 0.0)
    p[1] = [1.0, 0.0, 0.0]  # clipped at eps for label 2
    labels = np.array([2, 2, 0, 1, 0])
    losses, correct, dp = cl.sparse_cross_entropy_from_probs(p, labels)
    loss, grad = SparseCategoricalCrossentropy(from_logits=False).forward_backward(labels, p)
    assert cl.batch_metrics(losses, correct)[0] == pytest.approx(loss, rel=1e-5)
    np.testing.assert_allclose(dp.copy_to_host(), grad, rtol=1e-5)


# -------------------------------------------------------------------------------------------- optimizers
def _two_steps(opt, w0, grads):
    wd = cb.to_device(w0)
    for g in grads:
        opt.step([wd], [g])
    return wd.copy_to_host()


def test_sgd_momentum_and_nesterov_two_steps(rng):
    w0, g1, g2 = f32(rng, 2, 3), f32(rng, 2, 3), f32(rng, 2, 3)
    lr, m = 0.1, 0.9
    # plain: w - lr g1 - lr g2
    np.testing.assert_allclose(_two_steps(co.DeviceSGD(lr), w0, [g1, g2]), w0 - lr * g1 - lr * g2, rtol=1e-6)
    v1 = -lr * g1
    v2 = m * v1 - lr * g2
    np.testing.assert_allclose(
        _two_steps(co.DeviceSGD(lr, m), w0, [g1, g2]), w0 + v1 + v2, rtol=1e-5, atol=1e-6
    )
    nest = w0 + (m * v1 - lr * g1) + (m * v2 - lr * g2)
    np.testing.assert_allclose(
        _two_steps(co.DeviceSGD(lr, m, nesterov=True), w0, [g1, g2]), nest, rtol=1e-5, atol=1e-6
    )


def test_adam_two_steps_by_hand(rng):
    w0, g1, g2 = f32(rng, 5), f32(rng, 5), f32(rng, 5)
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-7
    w, m, v = w0.astype(np.float64), np.zeros(5), np.zeros(5)
    for t, g in enumerate([g1, g2], start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        w = w - lr * np.sqrt(1 - b2**t) / (1 - b1**t) * m / (np.sqrt(v) + eps)
    np.testing.assert_allclose(
        _two_steps(co.DeviceAdam(lr, b1, b2, eps), w0, [g1, g2]), w, rtol=1e-5, atol=1e-6
    )


def test_rmsprop_two_steps_by_hand(rng):
    w0, g1, g2 = f32(rng, 3, 2), f32(rng, 3, 2), f32(rng, 3, 2)
    lr, rho, eps = 0.001, 0.9, 1e-7
    w, s = w0.astype(np.float64), np.zeros((3, 2))
    for g in (g1, g2):
        s = rho * s + (1 - rho) * g * g
        w = w - lr * g / (np.sqrt(s) + eps)
    np.testing.assert_allclose(
        _two_steps(co.DeviceRMSprop(lr, rho, eps), w0, [g1, g2]), w, rtol=1e-5, atol=1e-6
    )


def test_device_optimizers_agree_with_engine_optimizers(rng):
    """The device kernels and engine.optimizers give the same two steps (same formulas, float32)."""
    from engine import optimizers

    for name, hyper in (
        ("sgd", {"learning_rate": 0.05, "momentum": 0.8, "nesterov": True}),
        ("adam", {"learning_rate": 0.01}),
        ("rmsprop", {"learning_rate": 0.01, "rho": 0.8}),
    ):
        w0, grads = f32(rng, 4), [f32(rng, 4), f32(rng, 4)]
        host = optimizers.get(name).from_config(hyper)
        w = w0.copy()
        for g in grads:
            host.apply_gradients([("w", g, w)])
        np.testing.assert_allclose(
            _two_steps(co.device_optimizer(name, **hyper), w0, grads), w, rtol=1e-5, atol=1e-6, err_msg=name
        )


def test_optimizer_arguments_are_validated():
    with pytest.raises(ValueError, match=r"optimizer must be one of.*Received: 'adagrad'"):
        co.device_optimizer("adagrad")
    with pytest.raises(ValueError, match=r"momentum must be in \[0, 1\)\. Received: momentum=1\.5"):
        co.DeviceSGD(0.1, momentum=1.5)
    with pytest.raises(TypeError, match="params must be device arrays"):
        co.DeviceAdam().step([np.zeros(2, np.float32)], [np.zeros(2, np.float32)])


# ------------------------------------------------------------------------------- a training step on device
def _lesson_like_model(seed: int):
    from engine import layers as L

    model = engine.Sequential(
        [
            L.Conv2D(3, 3, padding="same", activation="relu", input_shape=(6, 6, 2)),
            L.MaxPooling2D(2),
            L.Conv2D(4, 2, strides=2, activation="tanh"),
            L.Flatten(),
            L.Dropout(0.3, seed=1),
            L.Dense(5, activation="relu"),
            L.Dense(3),
        ],
        seed=seed,
    )
    model.compile(
        optimizer="adam",
        loss=engine.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model


def _other_model(seed: int):
    from engine import layers as L

    model = engine.Sequential(
        [
            L.Conv2D(
                2, 3, padding="same", flip=True, activation="sigmoid", input_shape=(5, 5, 1), trainable=False
            ),
            L.Conv2D(3, 2, padding="full", activation="leaky_relu"),
            L.AveragePooling2D(2, padding="same"),
            L.GlobalMaxPooling2D(),
            L.Dense(4, activation="softmax"),
        ],
        seed=seed,
    )
    model.compile(
        optimizer=engine.optimizers.SGD(0.1, momentum=0.9, nesterov=True),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


@pytest.mark.parametrize(
    "make, shape, classes", [(_lesson_like_model, (6, 6, 2), 3), (_other_model, (5, 5, 1), 4)]
)
def test_two_batch_training_step_on_device_matches_cpu(rng, backend_guard, make, shape, classes):
    """The layers' own forward/backward with device arrays, the fused loss and the device optimizer, in a
    session on the cuda tier, vs the CPU backend's train_on_batch: same losses, accuracies, weights and
    optimizer state after two batches."""
    from engine.session import hold

    config.set("cuda_threads_per_block", 16)
    config.set("cuda_tile", 4)
    x = rng.standard_normal((2, 4, *shape)).astype(np.float32)
    y = rng.integers(0, classes, (2, 4))
    engine.set_backend("cpu")
    cpu_model, dev_model = make(0), make(0)
    cpu_logs = [cpu_model.train_on_batch(x[i], y[i]) for i in range(2)]
    fresh = make(0)
    with hold(dev_model, "cuda") as session:  # weights to the device now, back to the model on exit
        with hold(dev_model, "cuda") as inner:  # re-entrant: the inner block shares the outer session
            assert inner is session
        dev_logs = [dev_model._batch(session, x[i], dev_model._prepare_y(y[i], 4), True) for i in range(2)]
        for layer, layer0 in zip(dev_model.layers, fresh.layers, strict=True):
            for key, p in layer.params.items():  # the host arrays are not pulled back yet...
                np.testing.assert_array_equal(p, layer0.params[key])
        # ...but get_weights reads the device
        for w_cpu, w_dev in zip(cpu_model.get_weights(), dev_model.get_weights(), strict=True):
            np.testing.assert_allclose(w_dev, w_cpu, atol=1e-4, rtol=1e-4)
        np.testing.assert_allclose(dev_model.predict(x[0]), cpu_model.predict(x[0]), atol=1e-4, rtol=1e-4)
    assert dev_model._session is None
    for logs, (loss, acc) in zip(cpu_logs, dev_logs, strict=True):
        assert loss == pytest.approx(logs["loss"], abs=1e-4)
        assert acc == pytest.approx(logs["accuracy"])
    for w_cpu, w_dev in zip(cpu_model.get_weights(), dev_model.get_weights(), strict=True):
        np.testing.assert_allclose(w_dev, w_cpu, atol=1e-4, rtol=1e-4)
    for layer, layer0 in zip(dev_model.layers, fresh.layers, strict=True):
        if "kernel" in layer.params:  # trained kernels moved, a frozen one did not
            assert np.array_equal(layer.params["kernel"], layer0.params["kernel"]) == (not layer.trainable)
    assert dev_model.optimizer.iterations == cpu_model.optimizer.iterations == 2
    assert sorted(dev_model.optimizer.state) == sorted(cpu_model.optimizer.state)
    for key, slots in cpu_model.optimizer.state.items():
        for a, b in zip(slots, dev_model.optimizer.state[key], strict=True):
            np.testing.assert_allclose(b, a, atol=1e-4, rtol=1e-4)
    np.testing.assert_allclose(dev_model.predict(x[0]), cpu_model.predict(x[0]), atol=1e-4, rtol=1e-4)


def test_fit_on_the_cuda_backend_matches_cpu_and_stays_on_the_device(rng, backend_guard, monkeypatch):
    """Two batches of fit on cuda: same weights and losses as cpu to 1e-4, and the only host-to-device copies
    are the weights once plus each batch and its dropout mask."""
    from engine import layers as L

    def make(backend):
        m = engine.Sequential(
            [
                L.Conv2D(3, 3, padding="same", activation="relu", input_shape=(6, 6, 2)),
                L.MaxPooling2D(2),
                L.Flatten(),
                L.Dropout(0.25),
                L.Dense(3),
            ],
            seed=0,
            backend=backend,
        )
        m.compile(
            optimizer="adam",
            loss=engine.losses.SparseCategoricalCrossentropy(from_logits=True),
            metrics=["accuracy"],
        )
        return m

    config.set("cuda_threads_per_block", 16)
    config.set("cuda_tile", 4)
    x = f32(rng, 8, 6, 6, 2)
    y = rng.integers(0, 3, 8)
    a = make("cpu")
    ha = a.fit(x, y, batch_size=4, shuffle=False, verbose=0, seed=3)
    b = make("cuda")
    uploads = []
    real = ca.to_device

    def counting(t):
        uploads.append(ca.is_device_array(t))
        return real(t)

    monkeypatch.setattr(ca, "to_device", counting)  # the tier's wrappers and its training device
    monkeypatch.setattr(cb, "to_device", counting)  # the front door (Dropout's mask)
    hb = b.fit(x, y, batch_size=4, shuffle=False, verbose=0, seed=3)
    for wa, wb in zip(a.get_weights(), b.get_weights(), strict=True):
        np.testing.assert_allclose(wb, wa, atol=1e-4, rtol=1e-4)
    assert hb.history["loss"] == pytest.approx(ha.history["loss"], abs=1e-4)
    assert uploads.count(False) == 4 + 2 * 2
    assert engine.get_backend() == "cpu"  # the model's backend did not leak into the global choice
