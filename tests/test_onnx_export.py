"""engine.onnx_export: the ONNX file, run in onnxruntime, gives model.predict's outputs (within 1e-5) for
every layer kind, padding, stride and flip, at fixed and at variable input sizes, and for every zoo preset."""

from __future__ import annotations

import json

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")

import engine  # noqa: E402
from engine import layers as L  # noqa: E402
from engine import zoo  # noqa: E402
from engine.onnx_export import OnnxExportError, export_onnx, to_onnx  # noqa: E402

TOL = 1e-5


def run_onnx(proto, x: np.ndarray) -> np.ndarray:
    session = ort.InferenceSession(proto.SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run(None, {"input": x})[0]


def assert_matches(model, x: np.ndarray, opset: int = 17) -> None:
    proto = to_onnx(model, opset=opset)
    onnx.checker.check_model(proto, full_check=True)
    got = run_onnx(proto, x)
    expected = model.predict(x)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=0, atol=TOL * max(1.0, float(np.abs(expected).max())))


def images(rng, n, h, w, c) -> np.ndarray:
    return rng.standard_normal((n, h, w, c)).astype(np.float32)


def randomize(model, rng) -> None:
    """Non-zero biases too (a fresh layer's are zeros, which would hide a missing bias); variances (the
    moving statistics of BatchNormalization) stay positive."""
    weights = []
    for _, layer in model.iter_leaves():
        for key, w in layer.params.items():
            value = rng.standard_normal(w.shape).astype(np.float32) * 0.5
            weights.append(np.abs(value) + 0.1 if key == "moving_variance" else value)
    model.set_weights(weights)


# --------------------------------------------------------------------------------- convolution variants

CONV_CASES = [
    # kernel, strides, padding, flip
    (3, 1, "valid", False),
    (3, 1, "same", False),
    (3, 1, "full", False),
    (3, 2, "same", True),
    ((2, 3), (2, 1), "same", False),
    ((2, 3), (1, 2), "valid", True),
    (4, 3, "full", True),
    (1, 3, "same", False),  # kernel smaller than the stride: 'same' pads depend on N mod s
    ((1, 2), (3, 4), "same", True),
    (5, 2, "same", False),
]


@pytest.mark.parametrize(("kernel", "strides", "padding", "flip"), CONV_CASES)
def test_conv_fixed_size(rng, kernel, strides, padding, flip):
    model = engine.Sequential(
        [L.Conv2D(4, kernel, strides=strides, padding=padding, flip=flip, input_shape=(11, 9, 3))], seed=0
    )
    randomize(model, rng)
    assert_matches(model, images(rng, 3, 11, 9, 3))


@pytest.mark.parametrize(("kernel", "strides", "padding", "flip"), CONV_CASES)
def test_conv_variable_size(rng, kernel, strides, padding, flip):
    model = engine.Sequential(
        [L.Conv2D(3, kernel, strides=strides, padding=padding, flip=flip, input_shape=(None, None, 2))],
        seed=0,
    )
    randomize(model, rng)
    proto = to_onnx(model)
    dims = proto.graph.input[0].type.tensor_type.shape.dim
    assert [d.dim_param or d.dim_value for d in dims] == ["batch", "height", "width", 2]
    for h, w in ((9, 11), (12, 12), (7, 10), (13, 8)):  # every remainder mod the strides
        x = images(rng, 2, h, w, 2)
        np.testing.assert_allclose(run_onnx(proto, x), model.predict(x), rtol=0, atol=TOL * 10)


def test_flip_is_exported_as_the_rotated_kernel(rng):
    """A true convolution with kernel K equals a cross-correlation with K rotated: the two exports agree with
    each other's model, so the flip is neither dropped nor applied twice."""
    kernel = rng.standard_normal((3, 3, 1, 1)).astype(np.float32)
    x = images(rng, 1, 6, 6, 1)
    flipped = engine.Sequential([L.Conv2D(1, 3, flip=True, use_bias=False, input_shape=(6, 6, 1))])
    flipped.set_weights([kernel])
    plain = engine.Sequential([L.Conv2D(1, 3, use_bias=False, input_shape=(6, 6, 1))])
    plain.set_weights([kernel[::-1, ::-1].copy()])
    np.testing.assert_allclose(run_onnx(to_onnx(flipped), x), plain.predict(x), atol=TOL)
    assert not np.allclose(
        flipped.predict(x),
        engine.Sequential([L.Conv2D(1, 3, use_bias=False, input_shape=(6, 6, 1))]).predict(x),
    )


# ------------------------------------------------------------------------------------------- pooling

POOL_CASES = [
    # size, strides, padding
    (2, None, "valid"),
    (2, None, "same"),
    (3, 2, "same"),
    (3, 1, "valid"),
    ((2, 3), (1, 2), "same"),
    (1, 3, "same"),  # window smaller than the stride
    ((2, 1), (3, 2), "same"),
]


@pytest.mark.parametrize("layer_cls", [L.MaxPooling2D, L.MinPooling2D, L.AveragePooling2D])
@pytest.mark.parametrize(("size", "strides", "padding"), POOL_CASES)
def test_pooling_fixed_and_variable(rng, layer_cls, size, strides, padding):
    fixed = engine.Sequential([layer_cls(size, strides=strides, padding=padding, input_shape=(9, 7, 3))])
    assert_matches(fixed, images(rng, 2, 9, 7, 3))
    variable = engine.Sequential(
        [layer_cls(size, strides=strides, padding=padding, input_shape=(None, None, 3))]
    )
    proto = to_onnx(variable)
    for h, w in ((9, 7), (8, 8), (10, 11), (5, 6)):
        x = images(rng, 2, h, w, 3)
        np.testing.assert_allclose(run_onnx(proto, x), variable.predict(x), rtol=0, atol=TOL)


def test_min_pooling_is_negated_max_pooling(rng):
    proto = to_onnx(engine.Sequential([L.MinPooling2D(2, input_shape=(4, 4, 1))]))
    ops = [node.op_type for node in proto.graph.node]
    assert ops.count("Neg") == 2 and "MaxPool" in ops
    x = images(rng, 1, 4, 4, 1)
    expected = x.reshape(2, 2, 2, 2).transpose(0, 2, 1, 3).reshape(4, 4).min(axis=1).reshape(1, 2, 2, 1)
    np.testing.assert_allclose(run_onnx(proto, x), expected, atol=0)  # by hand: the min of each 2x2 block


def test_average_pooling_ignores_padding_by_hand():
    """'same' 2x2 average of a 3x3 map: the bottom/right windows hold 2 and 1 real cells (padding ignored)."""
    x = np.arange(9, dtype=np.float32).reshape(1, 3, 3, 1)
    proto = to_onnx(engine.Sequential([L.AveragePooling2D(2, padding="same", input_shape=(3, 3, 1))]))
    expected = np.array([[(0 + 1 + 3 + 4) / 4, (2 + 5) / 2], [(6 + 7) / 2, 8]], np.float32)
    np.testing.assert_allclose(run_onnx(proto, x)[0, :, :, 0], expected, atol=1e-6)


@pytest.mark.parametrize("layer_cls", [L.GlobalMaxPooling2D, L.GlobalMinPooling2D, L.GlobalAveragePooling2D])
def test_global_pooling(rng, layer_cls):
    fixed = engine.Sequential([layer_cls(input_shape=(5, 6, 4))])
    assert_matches(fixed, images(rng, 3, 5, 6, 4))
    variable = engine.Sequential([L.Conv2D(3, 3, padding="same", input_shape=(None, None, 2)), layer_cls()])
    randomize(variable, rng)
    proto = to_onnx(variable)
    for h, w in ((5, 6), (9, 4), (16, 16)):
        x = images(rng, 2, h, w, 2)
        np.testing.assert_allclose(run_onnx(proto, x), variable.predict(x), atol=TOL * 10)


# -------------------------------------------------------------------------------- dense and activations


@pytest.mark.parametrize("activation", ["linear", "relu", "leaky_relu", "sigmoid", "tanh", "softmax"])
def test_activations_in_conv_and_dense(rng, activation):
    model = engine.Sequential(
        [
            L.Conv2D(4, 3, padding="same", activation=activation, input_shape=(6, 5, 2)),
            L.Flatten(),
            L.Dense(5, activation=activation),
        ],
        seed=1,
    )
    randomize(model, rng)
    assert_matches(model, images(rng, 4, 6, 5, 2))


@pytest.mark.parametrize(
    "layer",
    [
        lambda: L.Activation("leaky_relu", alpha=0.05),
        lambda: L.Activation("sigmoid"),
        lambda: L.Activation("tanh"),
        lambda: L.Activation("linear"),
        lambda: L.ReLU(),
        lambda: L.ReLU(negative_slope=0.3),
        lambda: L.Softmax(),
        lambda: L.Dropout(0.5),
    ],
)
def test_activation_layers_on_images_and_features(rng, layer):
    on_images = engine.Sequential([L.Conv2D(3, 2, input_shape=(5, 5, 2)), layer()], seed=0)
    randomize(on_images, rng)
    assert_matches(on_images, images(rng, 2, 5, 5, 2))
    on_features = engine.Sequential([L.Dense(6, input_shape=(7,)), layer()], seed=0)
    randomize(on_features, rng)
    assert_matches(on_features, rng.standard_normal((3, 7)).astype(np.float32))


def test_dense_without_bias_and_dropout_dropped(rng):
    model = engine.Sequential(
        [L.Flatten(input_shape=(3, 4, 2)), L.Dense(5, use_bias=False), L.Dropout(0.4), L.Dense(2)], seed=3
    )
    randomize(model, rng)
    assert_matches(model, images(rng, 3, 3, 4, 2))
    ops = [node.op_type for node in to_onnx(model).graph.node]
    assert "Dropout" not in ops and "MatMul" in ops and "Gemm" in ops


def test_flatten_keeps_the_nhwc_order(rng):
    """Flatten then an identity-like Dense picking feature k: the ONNX output is x.reshape(N, -1)[:, k]."""
    model = engine.Sequential([L.Flatten(input_shape=(2, 3, 4)), L.Dense(24, use_bias=False)])
    model.set_weights([np.eye(24, dtype=np.float32)])
    x = images(rng, 2, 2, 3, 4)
    np.testing.assert_allclose(run_onnx(to_onnx(model), x), x.reshape(2, -1), atol=0)


def test_an_image_output_comes_back_nhwc(rng):
    model = engine.Sequential([L.Conv2D(5, 3, padding="same", input_shape=(None, None, 1))], seed=0)
    proto = to_onnx(model)
    x = images(rng, 1, 7, 9, 1)
    out = run_onnx(proto, x)
    assert out.shape == (1, 7, 9, 5)
    np.testing.assert_allclose(out, model.predict(x), atol=TOL)


def test_a_model_of_pass_through_layers_still_has_an_output(rng):
    model = engine.Sequential([L.Dropout(0.2, input_shape=(4,))])
    x = rng.standard_normal((2, 4)).astype(np.float32)
    np.testing.assert_array_equal(run_onnx(to_onnx(model), x), x)


# ------------------------------------------------------------------------------------- whole models


@pytest.mark.parametrize("preset", sorted(zoo.PRESETS))
@pytest.mark.parametrize("shape", [(28, 28, 1), (32, 32, 3)])
def test_every_zoo_preset(rng, preset, shape):
    model = zoo.build(preset, shape, 10, seed=5)
    randomize(model, rng)
    assert_matches(model, rng.random((4, *shape), dtype=np.float32))


def test_lesson_gmp_at_any_size(rng):
    model = zoo.build("lesson_gmp", (None, None, 1), 6, seed=2)
    proto = to_onnx(model)
    for h, w in ((28, 28), (40, 33), (17, 50)):
        x = rng.random((2, h, w, 1), dtype=np.float32)
        np.testing.assert_allclose(run_onnx(proto, x), model.predict(x), atol=TOL * 10)


def test_a_nested_model_is_flattened_into_the_graph(rng):
    base = engine.Sequential(
        [L.Conv2D(4, 3, activation="relu", input_shape=(10, 10, 1)), L.MaxPooling2D()], name="base", seed=0
    )
    base.trainable = False
    model = engine.Sequential([base, L.GlobalAveragePooling2D(), L.Dense(3, activation="softmax")], seed=1)
    randomize(model, rng)
    assert_matches(model, images(rng, 3, 10, 10, 1))
    names = {node.name for node in to_onnx(model).graph.node}
    assert any(name.startswith("base/conv2d/") for name in names)


@pytest.mark.parametrize("opset", [13, 17, 21])
def test_opsets(rng, opset):
    model = zoo.build("small", (12, 12, 1), 4, seed=0)
    model.add(L.Softmax())
    proto = to_onnx(model, opset=opset)
    assert proto.opset_import[0].version == opset
    x = rng.random((2, 12, 12, 1), dtype=np.float32)
    np.testing.assert_allclose(run_onnx(proto, x), model.predict(x), atol=TOL)


def test_a_trained_model_predicts_the_same_classes(rng):
    from engine import datasets, losses

    (x, y), _ = datasets.load_digits()
    x = x[:256].astype(np.float32) / 255.0
    model = zoo.build("small", (28, 28, 1), 10, seed=0)
    model.compile("adam", losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(x, y[:256], epochs=1, verbose=0, seed=0)
    got = run_onnx(to_onnx(model), x)
    np.testing.assert_allclose(got, model.predict(x), atol=1e-4)
    np.testing.assert_array_equal(got.argmax(axis=1), model.predict(x).argmax(axis=1))


# --------------------------------------------------------------------------------------- the file


def test_export_writes_a_checked_file_with_names_and_metadata(tmp_path, rng):
    model = zoo.build("small", (28, 28, 1), 3, seed=0)
    path = export_onnx(model, tmp_path / "m.onnx", metadata={"class_names": ["a", "b", "c"], "note": "x"})
    loaded = onnx.load(str(path))
    onnx.checker.check_model(loaded, full_check=True)
    assert [i.name for i in loaded.graph.input] == ["input"]
    assert [o.name for o in loaded.graph.output] == ["output"]
    out_dims = loaded.graph.output[0].type.tensor_type.shape.dim
    assert [d.dim_param or d.dim_value for d in out_dims] == ["batch", 3]
    props = {p.key: p.value for p in loaded.metadata_props}
    assert json.loads(props["class_names"]) == ["a", "b", "c"] and props["note"] == "x"
    assert props["output_kind"] == "logits" and loaded.producer_name == "convscope"
    x = rng.random((5, 28, 28, 1), dtype=np.float32)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    np.testing.assert_allclose(session.run(None, {"input": x})[0], model.predict(x), atol=TOL)
    again = model.export_onnx(tmp_path / "again.onnx", metadata={"class_names": ["a", "b", "c"], "note": "x"})
    assert again.read_bytes() == path.read_bytes()


class Doubling(engine.layers.Layer):
    """A layer class no converter knows."""

    def forward(self, x, training=False):
        return 2 * x


def test_errors_name_what_is_wrong(tmp_path):
    model = engine.Sequential([L.Conv2D(2, 3, input_shape=(6, 6, 1)), Doubling(), L.Flatten()])
    with pytest.raises(OnnxExportError, match=r"layer 'doubling'.*no ONNX converter for Doubling.*Conv2D"):
        export_onnx(model, tmp_path / "x.onnx")
    assert list(tmp_path.iterdir()) == []  # nothing written, not even a temporary file
    with pytest.raises(OnnxExportError, match="not built"):
        to_onnx(engine.Sequential([L.Conv2D(2, 3), L.Flatten()]))
    small = zoo.build("small", (28, 28, 1), 2)
    for bad in (12, 0, "17", True, 10_000):
        with pytest.raises(OnnxExportError, match="opset must be an int from 13"):
            to_onnx(small, opset=bad)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        export_onnx(small, tmp_path / "no" / "folder.onnx")
    assert isinstance(OnnxExportError("x"), ValueError)
