"""Every layer refuses, in ``forward``, an input it was not built for, and in ``backward`` a ``dy`` that is
not shaped like its last output: the tiers' kernels trust the shapes they are given (the cpu kernels do not
check bounds), so a mismatch must never reach them. The check runs once per input shape (the layer remembers
the shapes it accepted)."""

from __future__ import annotations

import numpy as np
import pytest

from engine import layers
from engine.layers.base import ShapeError
from engine.models import Sequential

RNG = np.random.default_rng(0)


def _x(*shape: int) -> np.ndarray:
    return RNG.random(shape, dtype=np.float32)


def _built(layer: layers.Layer, input_shape: tuple) -> layers.Layer:
    layer.build(input_shape, np.random.default_rng(0))
    return layer


def test_dense_refuses_other_feature_counts_with_the_ops_message():
    dense = _built(layers.Dense(64), (3136,))
    dense.forward(_x(1, 3136))
    with pytest.raises(ValueError) as err:
        dense.forward(_x(1, 6400))
    assert str(err.value) == (
        "dense: x has D_in=6400 features but w expects 3136 (w shape (3136, 64), layer 'dense'). "
        "Received shape: (1, 6400)"
    )
    with pytest.raises(
        ShapeError, match=r"dense: x must have shape \(N, 3136\).*Received shape: \(1, 56, 56, 1\)"
    ):
        dense.forward(_x(1, 56, 56, 1))  # Flatten forgotten


@pytest.mark.parametrize(
    ("layer", "built_for", "bad"),
    [
        (layers.Conv2D(4, 3), (None, None, 3), (2, 8, 8, 5)),
        (layers.MaxPooling2D(), (8, 8, 3), (2, 8, 8, 1)),
        (layers.AveragePooling2D(), (8, 8, 3), (2, 8, 8, 4)),
        (layers.GlobalMaxPooling2D(), (None, None, 3), (2, 5, 5, 2)),
        (layers.GlobalAveragePooling2D(), (8, 8, 3), (1, 8, 8, 6)),
        (layers.Flatten(), (4, 4, 3), (2, 4, 4, 2)),
        (layers.Activation("softmax"), (10,), (2, 9)),
        (layers.ReLU(), (6, 6, 3), (2, 6, 6, 4)),
        (layers.Dropout(0.5), (6, 6, 3), (2, 6, 6, 4)),
        (layers.Conv2DTranspose(4, 3), (None, None, 3), (2, 8, 8, 5)),
        (layers.BatchNormalization(), (6, 6, 3), (2, 6, 6, 4)),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, layers.Layer) else None,
)
def test_every_layer_refuses_another_channel_count_even_after_a_good_call(layer, built_for, bad):
    layer = _built(layer, built_for)
    good = tuple(8 if d is None else d for d in built_for)
    layer.forward(_x(bad[0], *good), training=True)  # accepted, and remembered
    with pytest.raises(ShapeError) as err:
        layer.forward(_x(*bad), training=True)
    message = str(err.value)
    assert layer.name in message and f"Received shape: {bad}" in message
    assert str(bad[-1]) in message and str(built_for[-1]) in message


def test_conv_names_the_kernel_channels():
    conv = _built(layers.Conv2D(8, 3, name="c1"), (28, 28, 1))
    with pytest.raises(
        ValueError,
        match=r"channel mismatch: x has 3 channel\(s\) but c1 expects C_in=1 "
        r"\(kernel shape \(3, 3, 1, 8\)",
    ):
        conv.forward(_x(1, 28, 28, 3))


@pytest.mark.parametrize(
    ("layer", "built_for", "bad"),
    [
        (layers.Conv2D(2, 3), (None, None, 1), (1, 8, 8)),
        (layers.MaxPooling2D(), (None, None, 1), (1, 8, 8, 1, 1)),
        (layers.GlobalMaxPooling2D(), (None, None, 3), (2, 3)),
        (layers.Flatten(), (4, 4, 3), (2, 48)),
        (layers.Activation("relu"), (4, 4, 3), (2, 4, 3)),
    ],
)
def test_every_layer_refuses_another_rank(layer, built_for, bad):
    layer = _built(layer, built_for)
    with pytest.raises(ShapeError, match=rf"{layer.name}: x must .*Received shape: \({bad[0]}, "):
        layer.forward(_x(*bad))


@pytest.mark.parametrize(
    ("layer", "bad"),
    [
        (layers.GlobalMaxPooling2D(), (1, 0, 0, 3)),
        (layers.GlobalAveragePooling2D(), (2, 0, 5, 3)),
        (layers.Conv2D(2, 1), (1, 0, 4, 3)),
        (layers.MaxPooling2D(1), (1, 4, 0, 3)),
        (layers.ReLU(), (1, 4, 0, 3)),
        (layers.Conv2DTranspose(2, 3), (1, 0, 4, 3)),
        (layers.BatchNormalization(), (2, 4, 0, 3)),
    ],
)
def test_an_empty_axis_never_reaches_a_kernel(layer, bad):
    layer = _built(layer, (None, None, 3))
    with pytest.raises(ShapeError, match=r"empty axis|each size but the batch's >= 1"):
        layer.forward(np.ones(bad, np.float32))


def test_a_smaller_image_than_the_window_is_refused_by_the_layer():
    pool = _built(layers.MaxPooling2D(3), (None, None, 2))
    with pytest.raises(ShapeError, match=r"input 2x2 is too small for MaxPooling2D 3x3"):
        pool.forward(_x(1, 2, 2, 2))


def test_each_input_shape_is_checked_once(monkeypatch):
    model = Sequential(
        [
            layers.Conv2D(2, 3, activation="relu", input_shape=(None, None, 1)),
            layers.MaxPooling2D(),
            layers.GlobalMaxPooling2D(),
            layers.Dense(3, activation="softmax"),
        ],
        seed=0,
    )
    calls: list[tuple[str, tuple]] = []
    original = layers.Layer.check_input

    def counting(self, x_shape):
        calls.append((self.name, tuple(x_shape)))
        original(self, x_shape)

    monkeypatch.setattr(layers.Layer, "check_input", counting)
    x = _x(2, 10, 10, 1)
    for _ in range(3):
        model.forward(x)
    per_layer = {name for name, _ in calls}
    assert len(calls) == 3 and per_layer == {"conv2d", "max_pooling2d", "global_max_pooling2d"}
    model.forward(_x(5, 10, 10, 1))  # another batch size: the per-sample shape is the same
    assert len(calls) == 3
    model.forward(_x(1, 12, 12, 1))  # another image size: checked once more, by each windowed layer
    assert len(calls) == 6


def test_a_built_again_layer_forgets_the_shapes_it_accepted():
    conv = layers.Conv2D(2, 3)
    conv.build((None, None, 1), np.random.default_rng(0))
    conv.forward(_x(1, 6, 6, 1))
    conv.built = False
    conv.build((None, None, 2), np.random.default_rng(0))
    with pytest.raises(ShapeError, match="channel mismatch"):
        conv.forward(_x(1, 6, 6, 1))


# ------------------------------------------------------------------------------------------------ backward


def _forward(layer: layers.Layer, built_for: tuple, n: int = 2, training: bool = True) -> np.ndarray:
    layer = _built(layer, built_for)
    return layer.forward(_x(n, *built_for), training=training)


@pytest.mark.parametrize(
    ("layer", "built_for"),
    [
        (layers.Conv2D(3, 3, activation="relu"), (6, 6, 2)),
        (layers.Conv2D(3, 3), (6, 6, 2)),
        (layers.Dense(4, activation="relu"), (5,)),
        (layers.Dense(4, activation="tanh"), (5,)),
        (layers.MaxPooling2D(), (6, 6, 2)),
        (layers.AveragePooling2D(), (6, 6, 2)),
        (layers.GlobalAveragePooling2D(), (6, 6, 2)),
        (layers.Flatten(), (3, 3, 2)),
        (layers.Activation("softmax"), (5,)),
        (layers.Dropout(0.5, seed=1), (4, 4, 2)),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, layers.Layer) else None,
)
def test_backward_refuses_a_dy_not_shaped_like_the_last_output(layer, built_for):
    y = _forward(layer, built_for)
    for bad in ((y.shape[0] + 1, *y.shape[1:]), (*y.shape[:-1], y.shape[-1] + 1)):
        with pytest.raises(
            ValueError,
            match=rf"{layer.name}: dy must have the shape of the layer's last output "
            rf"\({y.shape[0]}, .*Received shape: \({bad[0]}, ",
        ):
            layer.backward(np.ones(bad, np.float32), need_dx=True)
    dx = layer.backward(np.ones(y.shape, np.float32), need_dx=True)  # the right shape still goes through
    assert dx.shape == (2, *built_for)
