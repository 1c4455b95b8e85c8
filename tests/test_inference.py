"""Inference plans (engine.inference): ``activations`` and ``predict`` chain the layers' own ``forward``.

The oracle is the same model run layer by layer on the reference tier (readable NumPy loops): the plan's tier
computes every layer with other kernels (the cpu tier fuses bias and ReLU), under the plan's shape checks and
kernel session; the paddings themselves are checked against hand-worked values below and in test_shapes.
"""

from __future__ import annotations

import numpy as np
import pytest

from engine import config, layers, losses, zoo
from engine.inference import _PLANS, MAX_PLANS, InferencePlan, plan_for
from engine.models import Sequential


def _reference_outputs(model: Sequential, x: np.ndarray) -> list[tuple[str, np.ndarray]]:
    out, result = x, []
    with config.using_backend("reference"):
        for name, layer in model.iter_leaves():
            out = layer.forward(out, training=False)
            result.append((name, np.array(out)))
    return result


def _zoo_of_layers() -> Sequential:
    """Every layer kind, odd geometries and activations included."""
    base = Sequential(
        [
            layers.Conv2D(4, 3, padding="same", activation="relu", input_shape=(9, 7, 2)),
            layers.Conv2D(
                3, (2, 3), strides=(2, 1), padding="valid", activation="leaky_relu", use_bias=False
            ),
            layers.Conv2D(5, 2, padding="full", activation="tanh", flip=True),
        ],
        name="base",
        seed=1,
    )
    return Sequential(
        [
            base,
            layers.MaxPooling2D(2, padding="same"),
            layers.AveragePooling2D((2, 1), strides=1),
            layers.MinPooling2D(2),
            layers.ReLU(negative_slope=0.1),
            layers.Conv2D(6, 1, activation="sigmoid"),
            layers.Dropout(0.5),
            layers.Flatten(),
            layers.Dense(7, activation="relu"),
            layers.Activation("tanh"),
            layers.Dense(4, use_bias=False),
            layers.Softmax(),
        ],
        name="all",
        seed=2,
    )


@pytest.mark.parametrize("backend", ["cpu", "reference"])
@pytest.mark.parametrize(
    "make",
    [
        lambda: zoo.lesson((32, 32, 3), 10, seed=0),
        _zoo_of_layers,
        lambda: zoo.lesson_gmp((None, None, 3), 5, seed=3),
    ],
)
def test_activations_match_the_reference_forward_layer_by_layer(rng, backend, make):
    model = make()
    shape = model.layers[0].input_shape if not isinstance(model.layers[0], Sequential) else (9, 7, 2)
    shape = tuple(11 if d is None else d for d in shape)
    x = rng.standard_normal((3, *shape)).astype(np.float32)
    x[0, 1, 1, 0] = np.nan  # NaN goes through every layer of image 0, never into images 1 and 2
    expected = _reference_outputs(model, x)
    model.backend = backend
    got = model.activations(x)
    assert [n for n, _ in got] == [n for n, _ in expected]
    for (name, g), (_, e) in zip(got, expected, strict=True):
        assert g.dtype == np.float32 and g.shape == e.shape, name
        np.testing.assert_allclose(g, e, rtol=2e-4, atol=2e-5, err_msg=name)
    assert np.isnan(got[-1][1][0]).all() and not np.isnan(got[-1][1][1:]).any()
    np.testing.assert_allclose(model.predict(x, batch_size=2), expected[-1][1], rtol=2e-4, atol=2e-5)


def test_plans_see_new_weights_and_new_layers(rng):
    model = zoo.lesson((12, 12, 1), 3, seed=0)
    x = rng.standard_normal((2, 12, 12, 1)).astype(np.float32)
    before = model.predict(x)
    weights = model.get_weights()
    weights[-1] = weights[-1] + 1.0  # the last bias: every logit moves by exactly 1
    model.set_weights(weights)
    np.testing.assert_allclose(model.predict(x), before + 1.0, rtol=1e-5, atol=1e-5)
    model.add(layers.Softmax())
    probs = model.predict(x)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-6)
    assert [n for n, _ in model.activations(x)][-1] == "softmax"
    model.pop()
    np.testing.assert_allclose(model.predict(x), before + 1.0, rtol=1e-5, atol=1e-5)


def test_a_plan_is_made_once_per_shape_and_backend_and_the_cache_is_bounded(rng):
    model = zoo.lesson_gmp((None, None, 1), 2, seed=0)
    p1 = plan_for(model, (8, 8, 1), "cpu")
    assert plan_for(model, (8, 8, 1), "cpu") is p1
    assert plan_for(model, (8, 8, 1), "reference") is not p1
    for size in range(9, 9 + MAX_PLANS + 2):
        plan_for(model, (size, size, 1), "cpu")
    assert len(_PLANS[model]) == MAX_PLANS
    assert plan_for(model, (8, 8, 1), "cpu") is not p1  # the oldest was dropped, so it is made again


def test_a_plan_resolves_same_padding_for_its_own_input_size(rng):
    """'same' pads depend on the input size at stride 2: 7 gets (1, 1) per axis, 8 gets (0, 1) (TensorFlow's
    rule: the extra pad goes to the bottom/right), so a ones image's top-left window holds 4 or 9 real
    ones."""
    model = Sequential(
        [layers.Conv2D(1, 3, strides=2, padding="same", use_bias=False, input_shape=(None, None, 1))], seed=0
    )
    model.layers[0].set_weights([np.ones((3, 3, 1, 1), np.float32)])
    for size, expected_first in [(7, 4.0), (8, 9.0)]:
        y = model.predict(np.ones((1, size, size, 1), np.float32))
        assert y.shape == (1, -(-size // 2), -(-size // 2), 1)
        assert y[0, 0, 0, 0] == expected_first and y[0, -1, -1, 0] == 4.0


def test_inspecting_between_batches_leaves_training_unchanged(rng):
    """Inference runs the layers' own forward, which keeps references (never copies) to what backward needs. A
    training step is one forward and its backward, so activations() and predict() between two steps (what the
    GUI does while a run is paused) change nothing: the weights end bit for bit as in a run without them."""
    x = rng.standard_normal((3, 4, 8, 8, 1)).astype(np.float32)
    y = rng.integers(0, 2, (3, 4))
    plain, inspected = zoo.lesson((8, 8, 1), 2, seed=0), zoo.lesson((8, 8, 1), 2, seed=0)
    for model in (plain, inspected):
        model.compile(optimizer="sgd", loss=losses.SparseCategoricalCrossentropy(from_logits=True))
    for i in range(3):
        plain.train_on_batch(x[i], y[i])
        inspected.activations(x[i][:1])
        inspected.predict(x[(i + 1) % 3])
        inspected.train_on_batch(x[i], y[i])
    for a, b in zip(plain.get_weights(), inspected.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    image = np.ascontiguousarray(x[0][:1])
    inspected.activations(image)
    assert inspected.layers[0]._x is image  # a reference to the input, not a copy of it


def test_read_only_input_is_accepted(rng):
    model = zoo.lesson((8, 8, 1), 2, seed=0)
    x = rng.standard_normal((2, 8, 8, 1)).astype(np.float32)
    expected = model.predict(x)
    x.setflags(write=False)
    np.testing.assert_array_equal(model.predict(x), expected)
    np.testing.assert_array_equal(model.activations(x)[-1][1], expected)


def test_plan_reports_its_shapes():
    model = zoo.lesson((32, 32, 3), 10, seed=0)
    plan = InferencePlan(model.iter_leaves(), (32, 32, 3), "cpu")
    assert plan.output_shape == (10,) and plan.names[0] == "conv2d" and len(plan.names) == len(model.layers)


def test_a_copied_or_pickled_model_predicts_with_its_own_weights(rng):
    """Plans live outside the model: a deep copy or a pickle round trip never reuses the original's steps."""
    import copy
    import gc
    import pickle
    import weakref

    model = zoo.lesson((8, 8, 1), 3, seed=0)
    x = rng.standard_normal((2, 8, 8, 1)).astype(np.float32)
    before = model.predict(x)  # the original now has a plan
    for clone in (copy.deepcopy(model), pickle.loads(pickle.dumps(model))):
        weights = clone.get_weights()
        weights[-1] = weights[-1] + 1.0
        clone.set_weights(weights)
        np.testing.assert_allclose(clone.predict(x), before + 1.0, rtol=1e-5, atol=1e-5)
        np.testing.assert_array_equal(model.predict(x), before)
    alive = weakref.ref(model)
    del model, clone
    gc.collect()
    assert alive() is None  # the plan cache does not keep a model alive
