"""gui.models.transfer: the transfer-learning experiment's models, without Qt."""

from __future__ import annotations

import numpy as np
import pytest

from engine import zoo
from gui.models.session import compile_model
from gui.models.transfer import base_length, transfer_model


def test_transfer_model_freezes_the_base_and_replaces_the_head():
    source = zoo.build("small", (12, 12, 1), 5, seed=0)
    configs = source.get_config()["layers"]
    assert base_length(configs) == 5  # conv, pool, conv, pool, flatten
    model = transfer_model(source, 3, frozen={0, 2}, seed=0)
    assert model.output_shape == (3,)
    for i in (0, 2):
        for a, b in zip(model.layers[i].get_weights(), source.layers[i].get_weights(), strict=False):
            np.testing.assert_array_equal(a, b)
    compile_model(model, "SGD", 0.5)
    rng = np.random.default_rng(0)
    x, y = rng.random((8, 12, 12, 1)).astype(np.float32), rng.integers(0, 3, 8)
    head_before = model.layers[-1].get_weights()[0].copy()
    model.train_on_batch(x, y)
    for i in (0, 2):  # frozen: unchanged by training
        np.testing.assert_array_equal(model.layers[i].get_weights()[0], source.layers[i].get_weights()[0])
    assert not np.array_equal(model.layers[-1].get_weights()[0], head_before)


def test_a_network_without_flatten_has_no_base():
    with pytest.raises(ValueError, match="no Flatten or global pooling layer"):
        base_length([{"class_name": "Conv2D", "config": {}}, {"class_name": "Dense", "config": {}}])
