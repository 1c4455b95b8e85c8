"""The Network tab's cell arithmetic and partial maps, and the backprop tab's snapshot, on a dilated Conv2D
(issue 16): the written sums still equal the layer's outputs; the backward walk refuses a dilated layer."""

from __future__ import annotations

import numpy as np
import pytest

from engine import layers
from engine.models import Sequential
from gui.models import network
from gui.models.backprop import backprop_snapshot


@pytest.fixture(scope="module")
def dilated():
    model = Sequential(
        [
            layers.Conv2D(3, 3, dilation_rate=2, padding="same", activation="relu", input_shape=(9, 8, 2)),
            layers.Conv2D(2, (2, 3), dilation_rate=(3, 1)),
            layers.Flatten(),
            layers.Dense(3),
        ],
        seed=1,
    )
    rng = np.random.default_rng(2)
    model.set_weights([rng.standard_normal(w.shape).astype(np.float32) for w in model.get_weights()])
    return model, rng.standard_normal((9, 8, 2)).astype(np.float32)


def test_conv_cell_and_partial_maps_of_dilated_layers_match_the_outputs(dilated):
    model, image = dilated
    outs = network.layer_outputs(model, image)
    for out, layer_input in ((outs[0], image), (outs[1], outs[0].array)):
        oh, ow, channels = out.array.shape
        for c in range(channels):
            for i, j in ((0, 0), (oh - 1, ow - 1), (oh // 2, 1)):
                cell = network.conv_cell(layer_input, out, c, i, j)
                assert cell.window.shape[:2] == out.kernel.shape[:2]  # the taps, not the span
                assert cell.value == pytest.approx(float(out.array[i, j, c]), abs=1e-5)
        _, z = network.conv_partial_maps(layer_input, out, 1)
        assert z.shape == (oh, ow)
        act = np.maximum(z, 0) if out.activation == "relu" else z
        np.testing.assert_allclose(act, out.array[:, :, 1], atol=1e-5)


def test_backprop_snapshot_refuses_a_dilated_layer(dilated):
    model, image = dilated
    with pytest.raises(ValueError, match="is dilated"):
        backprop_snapshot(model, image, 0, 0)
