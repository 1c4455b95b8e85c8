"""End to end: the 'small' preset trains on the shipped MNIST subset (4,000 train / 1,000 test) to >= 95 %."""

from __future__ import annotations

import pytest

from engine import losses, optimizers, zoo
from engine.datasets import load_digits


@pytest.mark.slow
def test_small_cnn_reaches_95_percent_on_mnist_subset():
    (x_train, y_train), (x_test, y_test) = load_digits()
    assert x_train.shape[0] == 4000 and x_test.shape[0] == 1000
    x_train, x_test = x_train / 255.0, x_test / 255.0
    model = zoo.build("small", x_train.shape[1:], 10, seed=0)
    model.compile(optimizers.Adam(2e-3), losses.SparseCategoricalCrossentropy(from_logits=True), ["accuracy"])
    history = model.fit(x_train, y_train, epochs=5, batch_size=32, seed=0, verbose=0)
    _test_loss, test_acc = model.evaluate(x_test, y_test, verbose=0)
    assert history.stopped_reason is None
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert test_acc >= 0.95, f"test accuracy {test_acc:.3f} after {len(history.epoch)} epochs"
