"""gui.models.backprop: one conv layer's gradients for one image, stepped as the Backprop tab shows them."""

from __future__ import annotations

import numpy as np
import pytest

from engine import layers, losses
from engine.models import Sequential
from gui.models.backprop import backprop_snapshot


def _model(strides, padding, flip):
    model = Sequential(
        [
            layers.Conv2D(2, 3, strides=1, padding="same", activation="relu", input_shape=(9, 9, 1)),
            layers.Conv2D(3, 3, strides=strides, padding=padding, activation="relu", flip=flip),
            layers.Flatten(),
            layers.Dense(4),
        ],
        seed=3,
    )
    model.compile(optimizer="sgd", loss=losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


@pytest.mark.parametrize("strides,padding,flip", [(1, "same", False), (2, "valid", False), (2, "same", True)])
def test_backward_walk_sums_equal_engine_gradients(strides, padding, flip):
    model = _model(strides, padding, flip)
    image = np.random.default_rng(0).random((9, 9, 1)).astype(np.float32)
    snap = backprop_snapshot(model, image, 2, 1)
    dw, dx = snap.sums()
    np.testing.assert_allclose(dw, snap.engine_dw, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(dx, snap.engine_dx, rtol=1e-4, atol=1e-6)
    t, b, le, r = snap.pads
    hp, wp = snap.x_padded.shape[:2]
    for c in range(2):
        dx_sum = np.zeros(snap.x_padded.shape[:2])
        for k in range(3):
            walk = snap.walk(c, k)
            last = walk.positions - 1
            np.testing.assert_allclose(
                walk.dw_partial(last), snap.engine_dw[:, :, c, k], rtol=1e-4, atol=1e-6
            )
            dx_sum += walk.dx_partial(last)
        np.testing.assert_allclose(
            dx_sum[t : hp - b, le : wp - r], snap.engine_dx[:, :, c], rtol=1e-4, atol=1e-6
        )
    # one position by hand: the first window times its gradient
    walk = snap.walk(0, 1)
    kh, kw = snap.kernel.shape[:2]
    first = snap.dz[0, 0, 1] * snap.x_padded[:kh, :kw, 0]
    np.testing.assert_allclose(walk.dw_partial(0), first[::-1, ::-1] if flip else first, rtol=1e-6)


def test_snapshot_keeps_the_layer_input_and_its_padding():
    model = _model(2, "same", False)
    image = np.random.default_rng(1).random((9, 9, 1)).astype(np.float32)
    snap = backprop_snapshot(model, image, 0, 1)
    first_output = model.activations(image[None])[0][1][0]  # (9, 9, 2): the second conv's input
    np.testing.assert_allclose(snap.x, first_output, rtol=1e-6)
    assert snap.stride == (2, 2) and snap.layer_name == model.layers[1].name and snap.loss_label == 0
    t, b, le, r = snap.pads
    assert snap.x_padded.shape == (9 + t + b, 9 + le + r, 2)
    np.testing.assert_array_equal(snap.x_padded[t : t + 9, le : le + 9], snap.x)
    assert snap.dz.shape == (5, 5, 3)  # ceil(9 / 2)


def test_only_conv_layers_have_a_backward_walk():
    model = _model(1, "same", False)
    image = np.zeros((9, 9, 1), np.float32)
    with pytest.raises(ValueError, match=r"must point at a Conv2D layer\. Received: 2 \(Flatten\)"):
        backprop_snapshot(model, image, 0, 2)
    with pytest.raises(ValueError, match=r"layer_index must be in \[0, 4\)\. Received: 9"):
        backprop_snapshot(model, image, 0, 9)
