"""Layers through their public API: backward vs central finite differences, forward vs readable NumPy,
shapes, initialisation and argument errors."""

from __future__ import annotations

import numpy as np
import pytest

from engine import layers
from engine.layers.base import ShapeError


def _loss(y: np.ndarray, r: np.ndarray) -> float:
    return float(np.sum(y.astype(np.float64) * r))


def check_layer_gradients(
    layer,
    x: np.ndarray,
    rng: np.random.Generator,
    eps: float = 1e-2,
    n_checks: int = 12,
    rtol: float = 2e-2,
    atol: float = 2e-3,
) -> None:
    """Compare ``layer.backward`` with central differences of ``L = sum(forward(x) * r)`` on sampled entries
    of the input and of every weight."""
    if not layer.built:
        layer.build(x.shape[1:], np.random.default_rng(0))
    y = layer.forward(x)
    r = rng.standard_normal(y.shape)
    dx = layer.backward(r.astype(np.float32))
    analytic = {"x": dx, **{k: g for k, g in layer.grads.items()}}
    targets = {"x": x, **layer.params}
    for key, arr in targets.items():
        flat = arr.reshape(-1)
        for i in rng.choice(flat.size, size=min(n_checks, flat.size), replace=False):
            old = flat[i]
            flat[i] = old + eps
            up = _loss(layer.forward(x), r)
            flat[i] = old - eps
            down = _loss(layer.forward(x), r)
            flat[i] = old
            numeric = (up - down) / (2 * eps)
            got = float(analytic[key].reshape(-1)[i])
            assert got == pytest.approx(numeric, rel=rtol, abs=atol), f"{key}[{i}]: {got} vs {numeric}"


def _spread(rng: np.random.Generator, shape: tuple[int, ...], gap: float = 0.05) -> np.ndarray:
    """Distinct values at least ``gap`` apart (no ties for max/min pooling, no values near ReLU's kink)."""
    n = int(np.prod(shape))
    vals = (np.arange(n) - n / 2 + 0.5) * gap
    return rng.permutation(vals).reshape(shape).astype(np.float32)


@pytest.mark.parametrize(
    "kw",
    [
        dict(padding="valid"),
        dict(padding="same"),
        dict(padding="same", strides=2),
        dict(padding="full"),
        dict(padding="valid", flip=True),
        dict(padding="same", activation="tanh"),
        dict(padding="valid", use_bias=False),
    ],
)
def test_conv2d_backward_matches_finite_differences(rng, kw):
    layer = layers.Conv2D(3, (3, 2), **kw)
    x = rng.standard_normal((2, 5, 6, 2)).astype(np.float32)
    check_layer_gradients(layer, x, rng)


def test_conv2d_forward_matches_numpy(rng):
    layer = layers.Conv2D(4, 3, padding="same", activation="relu")
    x = rng.standard_normal((2, 6, 5, 3)).astype(np.float32)
    layer.build(x.shape[1:], np.random.default_rng(0))
    layer.params["bias"][:] = rng.standard_normal(4).astype(np.float32)
    w, b = layer.params["kernel"].astype(np.float64), layer.params["bias"].astype(np.float64)
    xp = np.pad(x.astype(np.float64), ((0, 0), (1, 1), (1, 1), (0, 0)))
    expected = np.zeros((2, 6, 5, 4))
    for i in range(6):
        for j in range(5):
            expected[:, i, j, :] = np.einsum("nhwc,hwcf->nf", xp[:, i : i + 3, j : j + 3, :], w) + b
    np.testing.assert_allclose(layer.forward(x), np.maximum(expected, 0), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "softmax", "linear", "relu"])
def test_dense_backward_matches_finite_differences(rng, activation):
    layer = layers.Dense(4, activation=activation)
    x = _spread(rng, (3, 5), gap=0.1)
    layer.build((5,), np.random.default_rng(3))
    if activation == "relu":  # keep pre-activations away from 0 so the difference quotient is exact
        layer.params["kernel"][:] = np.abs(layer.params["kernel"]) + 0.2
        x = np.abs(x) + 0.5
    check_layer_gradients(layer, x, rng)


def test_dense_forward_matches_numpy(rng):
    layer = layers.Dense(3, activation="sigmoid")
    x = rng.standard_normal((4, 6)).astype(np.float32)
    layer.build((6,), np.random.default_rng(0))
    expected = 1 / (1 + np.exp(-(x.astype(np.float64) @ layer.params["kernel"])))
    np.testing.assert_allclose(layer.forward(x), expected, rtol=1e-5)


@pytest.mark.parametrize("cls", [layers.MaxPooling2D, layers.MinPooling2D, layers.AveragePooling2D])
@pytest.mark.parametrize("kw", [dict(), dict(pool_size=3, strides=2, padding="same"), dict(pool_size=(2, 3))])
def test_pooling_backward_matches_finite_differences(rng, cls, kw):
    x = _spread(rng, (2, 6, 7, 2))
    check_layer_gradients(cls(**kw), x, rng, eps=1e-2)


def test_max_pooling_forward_by_hand():
    x = np.array([[1, 2, 5, 0], [3, 4, 1, 1], [0, -1, 7, 8], [2, 2, 9, 6]], np.float32)[None, :, :, None]
    np.testing.assert_array_equal(layers.MaxPooling2D((2, 2))(x)[0, :, :, 0], [[4, 5], [2, 9]])
    np.testing.assert_array_equal(layers.MinPooling2D()(x)[0, :, :, 0], [[1, 0], [-1, 6]])
    np.testing.assert_allclose(layers.AveragePooling2D()(x)[0, :, :, 0], [[2.5, 1.75], [0.75, 7.5]])


@pytest.mark.parametrize(
    "cls", [layers.GlobalMaxPooling2D, layers.GlobalAveragePooling2D, layers.GlobalMinPooling2D]
)
def test_global_pooling_backward_and_forward(rng, cls):
    x = _spread(rng, (2, 3, 4, 5))
    layer = cls()
    ref = {"max": x.max(axis=(1, 2)), "avg": x.mean(axis=(1, 2)), "min": x.min(axis=(1, 2))}[cls.mode]
    np.testing.assert_allclose(layer(x), ref, rtol=1e-6)
    check_layer_gradients(cls(), x, rng)


@pytest.mark.parametrize("name", ["relu", "sigmoid", "tanh", "softmax", "leaky_relu", "linear"])
def test_activation_layers_backward(rng, name):
    x = _spread(rng, (2, 3, 4), gap=0.07)  # no value within 0.035 of ReLU's kink
    check_layer_gradients(layers.Activation(name), x, rng, eps=1e-2)


def test_relu_layer_nulls_negatives_and_leaky_slope():
    x = np.array([[-2.0, -0.5, 0.0, 3.0]], np.float32)
    np.testing.assert_array_equal(layers.ReLU()(x), [[0, 0, 0, 3]])
    np.testing.assert_allclose(layers.ReLU(negative_slope=0.1)(x), [[-0.2, -0.05, 0, 3]], rtol=1e-6)
    np.testing.assert_allclose(layers.Softmax()(x).sum(), 1.0, rtol=1e-6)


def test_flatten_roundtrip_and_shapes(rng):
    x = rng.standard_normal((2, 3, 4, 5)).astype(np.float32)
    f = layers.Flatten()
    y = f(x)
    assert y.shape == (2, 60) and np.array_equal(y[1], x[1].reshape(-1))
    np.testing.assert_array_equal(f.backward(y), x)
    with pytest.raises(ShapeError, match="Flatten needs a fixed input size"):
        layers.Flatten().compute_output_shape((None, None, 3))


def test_dropout_training_mask_and_inference(rng):
    d = layers.Dropout(0.25, seed=0)
    x = np.ones((200, 50), np.float32)
    np.testing.assert_array_equal(d(x), x)  # inference: identity
    y = d.forward(x, training=True)
    kept = y != 0
    np.testing.assert_allclose(y[kept], 1 / 0.75, rtol=1e-6)
    assert abs(1 - kept.mean() - 0.25) < 0.02
    dy = rng.standard_normal(x.shape).astype(np.float32)
    np.testing.assert_allclose(d.backward(dy), np.where(kept, dy / 0.75, 0), rtol=1e-6)


def test_output_shapes_follow_the_lesson():
    conv = layers.Conv2D(32, (3, 3), padding="same")
    assert conv.compute_output_shape((32, 32, 3)) == (32, 32, 32)
    assert layers.Conv2D(8, 3).compute_output_shape((32, 32, 3)) == (30, 30, 8)  # N - K + 1
    assert layers.Conv2D(8, 3, padding="full").compute_output_shape((32, 32, 3)) == (34, 34, 8)  # N + K - 1
    assert layers.Conv2D(8, 3, strides=2, padding="same").compute_output_shape((33, 32, 3)) == (17, 16, 8)
    assert layers.MaxPooling2D((2, 2)).compute_output_shape((32, 32, 32)) == (16, 16, 32)
    assert layers.MaxPooling2D(3, strides=1).compute_output_shape((5, 5, 1)) == (3, 3, 1)
    assert layers.GlobalMaxPooling2D().compute_output_shape((None, None, 7)) == (7,)
    assert layers.Conv2D(4, 3, padding="same").compute_output_shape((None, None, 3)) == (None, None, 4)
    assert layers.Dense(10).compute_output_shape((4096,)) == (10,)


def test_too_small_inputs_name_the_layer_kind():
    with pytest.raises(ShapeError, match=r"input 1x1 is too small for MaxPooling2D 2x2"):
        layers.MaxPooling2D((2, 2)).compute_output_shape((1, 1, 3))
    with pytest.raises(ShapeError, match=r"input 2x2 is too small for Conv2D 3x3"):
        layers.Conv2D(4, 3).compute_output_shape((2, 2, 3))
    with pytest.raises(ShapeError, match="add Flatten"):
        layers.Dense(4).compute_output_shape((4, 4, 3))


def test_glorot_uniform_init_is_seeded_and_bounded():
    a, b = layers.Conv2D(8, 3), layers.Conv2D(8, 3)
    a.build((10, 10, 4), np.random.default_rng(7))
    b.build((10, 10, 4), np.random.default_rng(7))
    k = a.params["kernel"]
    assert k.dtype == np.float32 and k.shape == (3, 3, 4, 8)
    np.testing.assert_array_equal(k, b.params["kernel"])
    limit = np.sqrt(6 / (9 * 4 + 9 * 8))
    assert np.abs(k).max() <= limit and np.abs(k).max() > 0.8 * limit
    assert abs(k.mean()) < 0.05 * limit * 3
    np.testing.assert_array_equal(a.params["bias"], np.zeros(8, np.float32))
    assert a.count_params() == 3 * 3 * 4 * 8 + 8


@pytest.mark.parametrize(
    "factory, match",
    [
        (lambda: layers.Conv2D(0, 3), "filters must be a positive int"),
        (lambda: layers.Conv2D(4, 3, padding="middle"), "padding must be one of"),
        (lambda: layers.Conv2D(4, 0), "kernel_size must be >= 1"),
        (lambda: layers.Conv2D(4, 3, activation="swish"), "activation must be one of"),
        (lambda: layers.MaxPooling2D(2, padding="full"), "padding must be one of"),
        (lambda: layers.Dense(-1), "units must be a positive int"),
        (lambda: layers.Dropout(1.0), r"rate must be in \[0, 1\)"),
        (lambda: layers.Conv2D(4, 3, input_shape=(0, 3, 1)), "input_shape must hold positive ints"),
        (lambda: layers.Dense(3, name="a/b"), "name must be a non-empty string"),
    ],
)
def test_argument_errors_name_the_argument(factory, match):
    with pytest.raises(ValueError, match=match):
        factory()


def test_set_weights_checks_shapes():
    d = layers.Dense(3)
    d.build((2,))
    d.set_weights([np.ones((2, 3)), np.arange(3)])
    np.testing.assert_array_equal(d.get_weights()[1], [0, 1, 2])
    with pytest.raises(ValueError, match=r"kernel must have shape \(2, 3\)"):
        d.set_weights([np.ones((3, 2)), np.zeros(3)])


def test_layer_config_roundtrip():
    conv = layers.Conv2D(5, (3, 1), strides=(1, 2), padding="same", activation="tanh", flip=True, name="c")
    again = layers.Conv2D.from_config(conv.get_config())
    assert again.get_config() == conv.get_config()
