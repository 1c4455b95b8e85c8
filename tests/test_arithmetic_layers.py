"""Conv2D's dilation_rate, Conv2DTranspose and BatchNormalization through the layers and models: output
shapes (Keras' rules), gradients against finite differences, BatchNormalization's training / inference modes
and moving averages against NumPy written out, save / load, the zoo."""

from __future__ import annotations

import numpy as np
import pytest

import engine
from engine import layers, ops, shapes, zoo
from engine.layers.base import ShapeError
from engine.models import Sequential, load_model


def _loss(y: np.ndarray, r: np.ndarray) -> float:
    return float(np.sum(y.astype(np.float64) * r))


def check_gradients(layer, x, rng, training=False, eps=1e-2, rtol=2e-2, atol=2e-3):
    """``layer.backward`` vs central differences of ``sum(forward(x) * r)`` on sampled entries of the input
    and of every weight that has a gradient."""
    if not layer.built:
        layer.build(x.shape[1:], np.random.default_rng(0))
    y = layer.forward(x, training=training)
    r = rng.standard_normal(y.shape)
    dx = layer.backward(r.astype(np.float32))
    analytic = {"x": dx, **layer.grads}
    targets = {"x": x, **{k: layer.params[k] for k in layer.grads}}
    assert set(targets) - {"x"}, "the layer reported no weight gradient"
    for key, arr in targets.items():
        flat = arr.reshape(-1)
        for i in rng.choice(flat.size, size=min(10, flat.size), replace=False):
            old = flat[i]
            flat[i] = old + eps
            up = _loss(layer.forward(x, training=training), r)
            flat[i] = old - eps
            down = _loss(layer.forward(x, training=training), r)
            flat[i] = old
            numeric = (up - down) / (2 * eps)
            got = float(analytic[key].reshape(-1)[i])
            assert got == pytest.approx(numeric, rel=rtol, abs=atol), f"{key}[{i}]: {got} vs {numeric}"


# ------------------------------------------------------------------------------------------------ shapes
@pytest.mark.parametrize(
    "n, k, s, padding, d, want",
    [
        (7, 3, 1, "valid", 2, 3),  # 7 - (2*2 + 1) + 1
        (7, 3, 1, "same", 2, 7),
        (7, 3, 1, "full", 2, 11),  # 7 + 5 - 1
        (7, 3, 2, "same", 3, 4),  # ceil(7 / 2)
        (10, 2, 1, 1, 4, 8),  # 10 + 2 - 5 + 1
    ],
)
def test_dilated_output_sizes(n, k, s, padding, d, want):
    assert shapes.conv_output_size(n, k, s, padding, d) == want
    x = np.zeros((1, n, n, 1), np.float32)
    y = ops.conv2d(x, np.ones((k, k), np.float32)[:, :, None, None], stride=s, padding=padding, dilation=d)
    assert y.shape[1:3] == (want, want)


@pytest.mark.parametrize(
    "n, k, s, padding, d, want",
    [
        (4, 3, 1, "valid", 1, 6),  # (4 - 1) + 3
        (4, 3, 2, "valid", 1, 9),  # (4 - 1) * 2 + 3
        (4, 1, 3, "valid", 1, 12),  # K < s: N s (Keras)
        (4, 3, 2, "same", 1, 8),  # N s
        (5, 4, 3, "same", 1, 15),
        (4, 3, 1, "valid", 2, 8),  # (4 - 1) + 5
        (4, 3, 2, 1, 1, 7),  # (4 - 1) * 2 + 3 - 2
    ],
)
def test_transposed_output_sizes(n, k, s, padding, d, want):
    assert shapes.conv_transpose_output_size(n, k, s, padding, d) == want
    x = np.zeros((1, n, n, 1), np.float32)
    y = ops.conv2d_transpose(x, np.ones((k, k), np.float32), stride=s, padding=padding, dilation=d)
    assert y.shape[1:3] == (want, want)


def test_output_formulas_read_as_the_guide_writes_them():
    assert shapes.conv_output_formula("valid", 1, 2) == "N - d(K - 1)"
    assert shapes.conv_output_formula("same", 2, 2) == "ceil(N / s)"
    assert shapes.conv_output_formula("valid", 1) == "N - K + 1"
    assert shapes.conv_transpose_output_formula("valid", 2) == "s(N - 1) + K"
    assert shapes.conv_transpose_output_formula("same", 2) == "sN"
    assert shapes.conv_transpose_output_formula("valid", 3, kernel=2) == "sN"
    assert shapes.conv_transpose_output_formula(1, 2) == "s(N - 1) + K - 2P"


def test_a_stride_2_transpose_undoes_a_stride_2_conv_shape():
    model = Sequential(
        [
            layers.Conv2D(4, 3, strides=2, padding="same", input_shape=(8, 6, 1)),
            layers.Conv2DTranspose(1, 3, strides=2, padding="same"),
        ]
    )
    assert model.layers[0].output_shape == (4, 3, 4)
    assert model.output_shape == (8, 6, 1)
    assert model.predict(np.zeros((2, 8, 6, 1), np.float32)).shape == (2, 8, 6, 1)


# ---------------------------------------------------------------------------------------------- Conv2D
@pytest.mark.parametrize("kw", [dict(dilation_rate=2), dict(dilation_rate=(1, 3), padding="same")])
def test_dilated_conv2d_layer_gradients(rng, kw):
    check_gradients(layers.Conv2D(3, (3, 2), **kw), rng.standard_normal((2, 7, 8, 2)).astype(np.float32), rng)


def test_dilated_conv2d_layer_forward_matches_ops(rng):
    layer = layers.Conv2D(2, 3, dilation_rate=2, padding="same", activation="relu")
    x = rng.standard_normal((2, 6, 6, 3)).astype(np.float32)
    layer.build(x.shape[1:], rng)
    want = np.maximum(
        ops.conv2d(x, layer.params["kernel"], layer.params["bias"], padding="same", dilation=2), 0
    )
    np.testing.assert_allclose(layer(x), want, rtol=1e-6, atol=1e-6)
    assert layer.compute_output_shape((6, 6, 3)) == (6, 6, 2)


def test_conv2d_refuses_dilation_with_stride_and_too_small_inputs():
    with pytest.raises(ValueError, match="strides > 1 cannot be combined with dilation_rate > 1"):
        layers.Conv2D(2, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match="dilation_rate"):
        layers.Conv2D(2, 3, dilation_rate=0)
    with pytest.raises(ShapeError, match="dilated"):
        Sequential([layers.Conv2D(2, 3, dilation_rate=3, input_shape=(6, 6, 1))])  # spans 7 cells


# ------------------------------------------------------------------------------------- Conv2DTranspose
@pytest.mark.parametrize(
    "kw",
    [
        dict(),
        dict(strides=2),
        dict(strides=2, padding="same", activation="tanh"),
        dict(strides=3, kernel_size=2),
        dict(dilation_rate=2, use_bias=False),
    ],
)
def test_conv2d_transpose_layer_gradients(rng, kw):
    kw = {"kernel_size": 3, **kw}
    layer = layers.Conv2DTranspose(2, **kw)
    check_gradients(layer, rng.standard_normal((2, 3, 4, 3)).astype(np.float32), rng)


def test_conv2d_transpose_layer_weights_and_forward(rng):
    layer = layers.Conv2DTranspose(5, (3, 2), strides=2, padding="same", activation="relu")
    x = rng.standard_normal((2, 3, 4, 3)).astype(np.float32)
    layer.build(x.shape[1:], rng)
    assert layer.params["kernel"].shape == (3, 2, 5, 3)  # (KH, KW, filters, C_in) as Keras
    assert layer.count_params() == 3 * 2 * 5 * 3 + 5
    want = np.maximum(
        ops.conv2d_transpose(x, layer.params["kernel"], layer.params["bias"], stride=2, padding="same"), 0
    )
    np.testing.assert_allclose(layer(x), want, rtol=1e-6, atol=1e-6)
    assert layer(x).shape == (2, 6, 8, 5)


def test_conv2d_transpose_argument_errors():
    with pytest.raises(ValueError, match="padding must be one of"):
        layers.Conv2DTranspose(2, 3, padding="full")
    with pytest.raises(ValueError, match="filters"):
        layers.Conv2DTranspose(0, 3)
    with pytest.raises(ValueError, match="strides > 1 cannot"):
        layers.Conv2DTranspose(2, 3, strides=2, dilation_rate=2)


# ---------------------------------------------------------------------------------- BatchNormalization
def test_batch_norm_training_then_inference_against_numpy(rng):
    layer = layers.BatchNormalization(momentum=0.9, epsilon=1e-3)
    x = (rng.standard_normal((4, 3, 3, 2)) * 2 + 5).astype(np.float32)
    layer.build(x.shape[1:], rng)
    layer.params["gamma"][:] = [2.0, 0.5]
    layer.params["beta"][:] = [1.0, -1.0]
    x64 = x.astype(np.float64)
    mean, var = x64.mean(axis=(0, 1, 2)), x64.var(axis=(0, 1, 2))
    y = layer(x, training=True)
    want = np.array([2.0, 0.5]) * (x64 - mean) / np.sqrt(var + 1e-3) + np.array([1.0, -1.0])
    np.testing.assert_allclose(y, want, rtol=1e-4, atol=1e-4)
    # the call updated the moving statistics once, from zeros and ones
    np.testing.assert_allclose(layer.params["moving_mean"], 0.1 * mean, rtol=1e-5)
    np.testing.assert_allclose(layer.params["moving_variance"], 0.9 + 0.1 * var, rtol=1e-5)
    # inference: the moving statistics, so one image's output does not depend on the rest of the batch
    mm, mv = (
        layer.params["moving_mean"].astype(np.float64),
        layer.params["moving_variance"].astype(np.float64),
    )
    y_inf = layer(x)
    want_inf = np.array([2.0, 0.5]) * (x64 - mm) / np.sqrt(mv + 1e-3) + np.array([1.0, -1.0])
    np.testing.assert_allclose(y_inf, want_inf, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(layer(x[:1]), y_inf[:1], rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(layer.params["moving_mean"], mm, rtol=0)  # inference moved nothing


@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("shape", [(6, 4), (3, 3, 2, 2)])
def test_batch_norm_layer_gradients(rng, training, shape):
    layer = layers.BatchNormalization()
    layer.build(shape[1:], rng)
    layer.params["moving_mean"][:] = rng.standard_normal(shape[-1])
    layer.params["gamma"][:] = rng.standard_normal(shape[-1])
    x = rng.standard_normal(shape).astype(np.float32)
    check_gradients(layer, x, rng, training=training)
    assert set(layer.grads) == {"gamma", "beta"}  # the moving statistics get no gradient


def test_batch_norm_moving_averages_after_several_fit_steps(rng):
    """Three training steps through fit: the moving statistics follow Keras' update with each batch's own
    statistics (the first layer's input is the batch itself), and the optimizer never touches them."""
    bn = layers.BatchNormalization(momentum=0.8, input_shape=(4,))
    model = Sequential([bn, layers.Dense(2)], seed=0)
    model.compile(optimizer="sgd", loss=engine.losses.SparseCategoricalCrossentropy(from_logits=True))
    x = (rng.standard_normal((9, 4)) * 3 + 1).astype(np.float32)
    y = rng.integers(0, 2, 9)
    model.fit(x, y, batch_size=3, epochs=1, shuffle=False, verbose=0)
    mean, var = np.zeros(4), np.ones(4)
    for i in range(3):
        batch = x[3 * i : 3 * i + 3].astype(np.float64)
        mean = 0.8 * mean + 0.2 * batch.mean(axis=0)
        var = 0.8 * var + 0.2 * batch.var(axis=0)
    np.testing.assert_allclose(bn.params["moving_mean"], mean, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(bn.params["moving_variance"], var, rtol=1e-5, atol=1e-6)
    assert model.optimizer is not None
    assert not any("moving" in key for key in model.optimizer.state)
    assert [k for _, _, k in model.trainable_slots()].count("moving_mean") == 0
    assert len(model.non_trainable_weights) == 2
    # evaluate / predict use them and leave them as they are
    before = [p.copy() for p in model.non_trainable_weights]
    model.evaluate(x, y, verbose=0)
    model.predict(x)
    for a, b in zip(before, model.non_trainable_weights, strict=True):
        np.testing.assert_array_equal(a, b)


def test_frozen_batch_norm_runs_in_inference_mode(rng):
    layer = layers.BatchNormalization(trainable=False)
    x = (rng.standard_normal((5, 3)) + 4).astype(np.float32)
    layer.build((3,), rng)
    np.testing.assert_allclose(layer(x, training=True), x / np.sqrt(1 + 1e-3), rtol=1e-6)
    np.testing.assert_array_equal(layer.params["moving_mean"], np.zeros(3))


def test_batch_norm_argument_errors():
    with pytest.raises(ValueError, match="momentum"):
        layers.BatchNormalization(momentum=1.5)
    with pytest.raises(ValueError, match="epsilon"):
        layers.BatchNormalization(epsilon=0)
    with pytest.raises(ShapeError, match="last axis"):
        Sequential([layers.BatchNormalization(axis=1, input_shape=(4, 4, 2))])


# ------------------------------------------------------------------------------------ save / load / zoo
def _arith_model():
    return Sequential(
        [
            layers.Conv2D(3, 3, dilation_rate=2, padding="same", input_shape=(6, 6, 1), use_bias=False),
            layers.BatchNormalization(momentum=0.5, epsilon=1e-2),
            layers.ReLU(),
            layers.Conv2DTranspose(2, 2, strides=2, padding="valid", activation="relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(3),
        ],
        seed=3,
    )


def test_save_load_round_trip_keeps_the_new_layers_and_moving_statistics(tmp_path, rng):
    model = _arith_model()
    model.compile(optimizer="adam", loss=engine.losses.SparseCategoricalCrossentropy(from_logits=True))
    x = rng.standard_normal((8, 6, 6, 1)).astype(np.float32)
    y = rng.integers(0, 3, 8)
    model.fit(x, y, batch_size=4, epochs=2, verbose=0)
    bn = model.layers[1]
    assert not np.allclose(bn.params["moving_mean"], 0)
    model.save(tmp_path / "arith.npz")
    back = load_model(tmp_path / "arith.npz")
    assert [type(layer).__name__ for layer in back.layers] == [type(layer).__name__ for layer in model.layers]
    assert back.layers[0].dilation_rate == (2, 2)
    assert back.layers[3].strides == (2, 2) and back.layers[3].padding == "valid"
    assert back.layers[1].momentum == 0.5 and back.layers[1].epsilon == 1e-2
    for a, b in zip(model.get_weights(), back.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(back.layers[1].params["moving_variance"], bn.params["moving_variance"])
    np.testing.assert_allclose(back.predict(x), model.predict(x), rtol=1e-6, atol=1e-6)
    back.fit(x, y, batch_size=4, epochs=1, verbose=0)  # resumes training with its optimizer state


def test_config_round_trip_of_the_new_layers():
    model = _arith_model()
    clone = engine.models.model_from_config(model.get_config())
    assert clone.get_config() == model.get_config()
    assert clone.output_shape == model.output_shape


@pytest.mark.parametrize("name", ["lesson_bn", "dilated"])
def test_zoo_presets_with_the_new_layers_train(name, rng):
    model = zoo.build(name, (28, 28, 1), 10)
    if name == "lesson_bn":
        assert [type(layer).__name__ for layer in model.layers].count("BatchNormalization") == 3
    else:
        rates = [layer.dilation_rate for layer in model.layers if isinstance(layer, layers.Conv2D)]
        assert rates[:3] == [(1, 1), (2, 2), (4, 4)]
        assert model.layers[2].output_shape == (28, 28, 64)  # "same": dilation loses no resolution
    model.compile(optimizer="adam", loss=engine.losses.SparseCategoricalCrossentropy(from_logits=True))
    x = rng.standard_normal((4, 28, 28, 1)).astype(np.float32)
    history = model.fit(x, rng.integers(0, 10, 4), batch_size=4, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"]).all()


def test_generate_with_batch_norm():
    model = zoo.generate((16, 16, 1), 4, conv_layers=2, batch_norm=True)
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds.count("BatchNormalization") == 2
    assert all(not layer.use_bias for layer in model.layers if isinstance(layer, layers.Conv2D))
    assert model.name.endswith("_bn")
    with pytest.raises(TypeError, match="batch_norm"):
        zoo.generate((16, 16, 1), 4, batch_norm="yes")


def test_batch_norm_set_weights_refuses_a_negative_variance_and_changes_nothing():
    layer = layers.BatchNormalization()
    layer.build((3,), np.random.default_rng(0))
    good = [np.full(3, 2.0), np.ones(3), np.zeros(3), np.full(3, 4.0)]
    layer.set_weights(good)
    bad = [np.zeros(3), np.zeros(3), np.zeros(3), np.array([1.0, -0.5, 1.0])]
    with pytest.raises(ValueError, match="moving_variance must be >= 0"):
        layer.set_weights(bad)
    with pytest.raises(ValueError, match="moving_variance must be >= 0"):
        layer.set_weights([*bad[:3], np.array([1.0, np.nan, 1.0])])
    for a, b in zip(layer.get_weights(), good, strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda x: ops.conv2d(x, np.zeros((3, 3, 2, 1)), dilation=0), ValueError, "dilation must be >= 1"),
        (lambda x: ops.conv2d(x, np.zeros((3, 3, 2, 1)), dilation=3), ValueError, "taps span 7x7"),
        (lambda x: ops.conv2d(x, np.zeros((3, 3, 2, 1)), dilation=True), TypeError, "dilation must be"),
        (lambda x: ops.conv2d_transpose(x, np.zeros((3, 3, 2, 1))), ValueError, r"C_out, C_in"),
        (lambda x: ops.conv2d_transpose(x, np.zeros((3, 3, 1, 2)), padding=5), ValueError, "cuts off"),
        (lambda x: ops.conv2d_transpose(x, np.zeros((3, 3, 1, 2)), stride=0), ValueError, "stride"),
        (
            lambda x: ops.conv2d_transpose_backward(x, np.zeros((3, 3, 1, 2)), np.zeros((1, 5, 5, 1))),
            ValueError,
            r"forward output's shape \(1, 7, 7, 1\)",
        ),
        (lambda x: ops.batch_norm(x, np.zeros(3), np.ones(2)), ValueError, r"mean must have shape \(2,\)"),
        (lambda x: ops.batch_norm(x, np.zeros(2), -np.ones(2)), ValueError, "variance must be >= 0"),
        (lambda x: ops.batch_norm(x, np.zeros(2), np.ones(2), epsilon=0), ValueError, "epsilon"),
        (lambda x: ops.batch_norm_training(x[:0]), ValueError, "at least one sample"),
    ],
)
def test_op_errors_say_what_is_wrong(call, error, match):
    with pytest.raises(error, match=match):
        call(np.zeros((1, 5, 5, 2), np.float32))


def test_receptive_fields_grow_with_dilation_and_refuse_a_transposed_convolution():
    from engine import explain

    model = Sequential(
        [
            layers.Conv2D(1, 3, input_shape=(32, 32, 1)),  # 3
            layers.Conv2D(1, 3, dilation_rate=2),  # spans 5: 3 + 4 = 7
            layers.BatchNormalization(),  # pointwise
            layers.Conv2D(1, 3, dilation_rate=4),  # spans 9: 7 + 8 = 15 (the context module's doubling)
        ]
    )
    assert [f for _, f in explain.receptive_fields(model)] == [
        (3, 3, 1, 1),
        (7, 7, 1, 1),
        (7, 7, 1, 1),
        (15, 15, 1, 1),
    ]
    up = Sequential([layers.Conv2D(1, 3, input_shape=(8, 8, 1)), layers.Conv2DTranspose(1, 3, strides=2)])
    with pytest.raises(ValueError, match="'conv2d_transpose' is a transposed convolution"):
        explain.receptive_fields(up)


def test_a_frozen_base_keeps_its_batch_norm_statistics(rng):
    """Transfer learning as Keras does it: freezing a base freezes its BatchNormalization layers, which then
    run in inference mode (moving statistics used, not updated)."""
    base = zoo.build("lesson_bn", (12, 12, 1), 4, seed=1)
    for layer in base.layers:
        if isinstance(layer, layers.BatchNormalization):
            c = layer.params["moving_mean"].shape[0]
            layer.set_weights([np.ones(c), np.zeros(c), np.full(c, 0.3), np.full(c, 2.0)])
    before = [w.copy() for w in base.get_weights()]
    base.trainable = False
    model = Sequential([base, layers.Dense(2)], seed=0)
    model.compile(optimizer="adam", loss=engine.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(rng.standard_normal((4, 12, 12, 1)).astype(np.float32), rng.integers(0, 2, 4), verbose=0)
    for a, b in zip(before, base.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def _evaluate(formula: str, n: int, k: int, s: int, d: int, p: int) -> int:
    """The printed formula evaluated: implicit products (``sN``, ``s(...)``, ``d(...)``, ``2P``) made
    explicit."""
    import math
    import re

    expr = re.sub(r"\b([sd2])(?=[(NP])", r"\1*", formula)
    return int(eval(expr, {"floor": math.floor, "ceil": math.ceil, "N": n, "K": k, "s": s, "d": d, "P": p}))


@pytest.mark.parametrize("padding", ["valid", "same", "full", 2])
@pytest.mark.parametrize("stride, dilation", [(1, 1), (2, 1), (3, 1), (1, 2), (1, 3), (2, 2)])
def test_printed_formulas_give_the_computed_sizes(padding, stride, dilation):
    """What the GUI prints next to a size is the size: every formula, evaluated, matches
    conv_output_size / conv_transpose_output_size over many N and K."""
    p = padding if isinstance(padding, int) else 0
    for n in range(5, 14):
        for k in (1, 2, 3, 4):
            want = shapes.conv_output_size(n, k, stride, padding, dilation)
            if want > 0:
                formula = shapes.conv_output_formula(padding, stride, dilation)
                assert _evaluate(formula, n, k, stride, dilation, p) == want, (formula, n, k)
            formula = shapes.conv_transpose_output_formula(padding, stride, dilation, kernel=k)
            want = shapes.conv_transpose_output_size(n, k, stride, padding, dilation)
            if want > 0:
                assert _evaluate(formula, n, k, stride, dilation, p) == want, (formula, n, k)
