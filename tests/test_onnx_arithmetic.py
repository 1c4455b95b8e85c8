"""ONNX export of dilated convolutions, Conv2DTranspose and BatchNormalization: the file, run in
onnxruntime, gives model.predict's outputs, at fixed and at variable input sizes."""

from __future__ import annotations

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")

import engine  # noqa: E402
from engine import layers as L  # noqa: E402
from engine.onnx_export import to_onnx  # noqa: E402

TOL = 1e-5


def run_onnx(proto, x: np.ndarray) -> np.ndarray:
    session = ort.InferenceSession(proto.SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run(None, {"input": x})[0]


def randomize(model, rng) -> None:
    """Random weights everywhere, biases and moving means included; positive moving variances."""
    weights = []
    for _, layer in model.iter_leaves():
        for key, w in layer.params.items():
            value = rng.standard_normal(w.shape).astype(np.float32) * 0.5
            weights.append(np.abs(value) + 0.1 if key == "moving_variance" else value)
    model.set_weights(weights)


def assert_matches(model, xs, opset: int = 17) -> None:
    proto = to_onnx(model, opset=opset)
    onnx.checker.check_model(proto, full_check=True)
    for x in xs:
        got, expected = run_onnx(proto, x), model.predict(x)
        assert got.shape == expected.shape
        np.testing.assert_allclose(got, expected, rtol=0, atol=TOL * max(1.0, float(np.abs(expected).max())))


def images(rng, n, h, w, c) -> np.ndarray:
    return rng.standard_normal((n, h, w, c)).astype(np.float32)


DILATED = [
    # kernel, dilation, padding
    (3, 2, "valid"),
    (3, 2, "same"),
    ((2, 3), (3, 2), "same"),
    (2, 2, "full"),
    (3, (1, 3), "same"),
]


@pytest.mark.parametrize(("kernel", "dilation", "padding"), DILATED)
def test_dilated_conv_fixed_and_variable_size(rng, kernel, dilation, padding):
    fixed = engine.Sequential(
        [L.Conv2D(3, kernel, dilation_rate=dilation, padding=padding, input_shape=(11, 9, 2))], seed=0
    )
    randomize(fixed, rng)
    assert_matches(fixed, [images(rng, 2, 11, 9, 2)])
    variable = engine.Sequential(
        [L.Conv2D(3, kernel, dilation_rate=dilation, padding=padding, input_shape=(None, None, 2))], seed=0
    )
    randomize(variable, rng)
    assert_matches(variable, [images(rng, 2, h, w, 2) for h, w in ((11, 9), (8, 13), (16, 16))])


TRANSPOSED = [
    # kernel, strides, padding, dilation
    (3, 1, "valid", 1),
    (3, 2, "valid", 1),
    (3, 2, "same", 1),
    (4, 2, "same", 1),
    ((2, 3), (3, 2), "same", 1),
    (1, 3, "valid", 1),  # kernel smaller than the stride: output_padding completes N s
    ((1, 2), (3, 3), "same", 1),
    (2, 1, "valid", 2),
    (3, 1, "same", (2, 3)),
]


@pytest.mark.parametrize(("kernel", "strides", "padding", "dilation"), TRANSPOSED)
def test_conv_transpose_fixed_and_variable_size(rng, kernel, strides, padding, dilation):
    def make(shape):
        layer = L.Conv2DTranspose(
            4, kernel, strides=strides, padding=padding, dilation_rate=dilation, input_shape=shape
        )
        return engine.Sequential([layer], seed=0)

    fixed = make((5, 4, 3))
    randomize(fixed, rng)
    assert_matches(fixed, [images(rng, 2, 5, 4, 3)])
    variable = make((None, None, 3))
    randomize(variable, rng)
    assert_matches(variable, [images(rng, 2, h, w, 3) for h, w in ((5, 4), (3, 7), (1, 1))])


@pytest.mark.parametrize("activation", [None, "relu", "sigmoid"])
def test_conv_transpose_activation_and_no_bias(rng, activation):
    model = engine.Sequential(
        [
            L.Conv2D(2, 3, strides=2, padding="same", input_shape=(8, 8, 1)),
            L.Conv2DTranspose(3, 3, strides=2, padding="same", activation=activation, use_bias=False),
        ],
        seed=0,
    )
    randomize(model, rng)
    assert_matches(model, [images(rng, 3, 8, 8, 1)])


def test_batch_norm_on_images_and_on_features(rng):
    model = engine.Sequential(
        [
            L.Conv2D(4, 3, padding="same", use_bias=False, input_shape=(None, None, 2)),
            L.BatchNormalization(epsilon=1e-2),
            L.ReLU(),
            L.GlobalAveragePooling2D(),
            L.Dense(5),
            L.BatchNormalization(center=False, scale=False),
            L.Dense(3),
        ],
        seed=0,
    )
    randomize(model, rng)
    assert_matches(model, [images(rng, 3, h, w, 2) for h, w in ((6, 6), (9, 4))])


def test_batch_norm_after_training_uses_the_moving_statistics(rng):
    model = engine.Sequential(
        [
            L.Conv2D(3, 3, dilation_rate=2, padding="same", input_shape=(8, 8, 1)),
            L.BatchNormalization(momentum=0.5),
            L.Conv2DTranspose(2, 2, strides=2, activation="relu"),
            L.Flatten(),
            L.Dense(3),
        ],
        seed=0,
    )
    model.compile(optimizer="adam", loss=engine.losses.SparseCategoricalCrossentropy(from_logits=True))
    x = images(rng, 8, 8, 8, 1) * 3 + 1
    model.fit(x, rng.integers(0, 3, 8), batch_size=4, epochs=2, verbose=0)
    assert not np.allclose(model.layers[1].params["moving_mean"], 0)
    assert_matches(model, [x])
