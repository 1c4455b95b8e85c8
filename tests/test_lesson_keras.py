"""The lesson's Keras code (cnn-lesson-fr.md, "En pratique" and "Transfer learning") run on ConvScope with
only
its imports changed, on small random 32x32x3 data of 10 classes."""

from __future__ import annotations

import numpy as np
import pytest

import engine
from engine import layers, models  # was: from tensorflow.keras import datasets, layers, models


@pytest.fixture
def cifar_like(rng):
    train_images = rng.integers(0, 256, (24, 32, 32, 3)).astype(np.uint8)
    train_labels = rng.integers(0, 10, (24, 1))  # keras.datasets.cifar10 gives labels shaped (N, 1)
    test_images = rng.integers(0, 256, (8, 32, 32, 3)).astype(np.uint8)
    test_labels = rng.integers(0, 10, (8, 1))
    return train_images, train_labels, test_images, test_labels


def test_lesson_cifar_code_runs_verbatim(cifar_like, capsys):
    train_images, train_labels, test_images, test_labels = cifar_like
    # --- the lesson's code from here, imports aside ---
    train_images = train_images / 255.0
    test_images = test_images / 255.0

    model = models.Sequential()

    model.add(layers.Conv2D(32, (3, 3), activation="relu", padding="same", input_shape=(32, 32, 3)))
    model.add(layers.MaxPooling2D((2, 2)))
    model.add(layers.Conv2D(64, (3, 3), activation="relu", padding="same"))
    model.add(layers.MaxPooling2D((2, 2)))
    model.add(layers.Conv2D(64, (3, 3), activation="relu", padding="same"))

    model.add(layers.Flatten())
    model.add(layers.Dense(64, activation="relu"))
    model.add(layers.Dense(10))

    model.compile(
        optimizer="adam",
        loss=engine.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )

    history = model.fit(train_images, train_labels, epochs=1, validation_data=(test_images, test_labels))

    test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=2)
    print(test_acc)
    # --- end of the lesson's code ---
    out = capsys.readouterr()
    assert len(history.history["accuracy"]) == 1 and 0.0 <= history.history["accuracy"][0] <= 1.0
    assert history.history["val_loss"][0] == pytest.approx(test_loss, rel=1e-5)
    assert np.isfinite(test_loss) and 0.0 <= test_acc <= 1.0
    assert "Epoch 1/1" in out.err and "accuracy:" in out.out
    assert [la.name for la in model.layers][:3] == ["conv2d", "max_pooling2d", "conv2d_1"]
    assert model.count_params() == 319_178  # what Keras' summary shows for this network


def test_lesson_transfer_learning_code(cifar_like, tmp_path, rng):
    train_images, _, _, _ = cifar_like
    labels = rng.integers(0, 2, train_images.shape[0])
    base = models.Sequential(
        [layers.Conv2D(8, (3, 3), activation="relu", input_shape=(32, 32, 3)), layers.MaxPooling2D((2, 2))]
    )
    base.save(tmp_path / "pretrained.npz")

    # --- the lesson's code, with a ConvScope model file in place of the downloaded network ---
    pretrained_base = engine.load_model(tmp_path / "pretrained.npz")
    pretrained_base.trainable = False

    model = engine.Sequential([pretrained_base, layers.GlobalAveragePooling2D(), layers.Dense(1)])

    model.compile(
        optimizer=engine.optimizers.RMSprop(lr=0.0001),
        loss=engine.losses.BinaryCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    loss0, accuracy0 = model.evaluate(train_images / 255.0, labels, verbose=0)
    history = model.fit(train_images / 255.0, labels, epochs=2, verbose=0)
    print(history.history["accuracy"])
    # --- end ---
    assert np.isfinite(loss0) and 0.0 <= accuracy0 <= 1.0 and len(history.history["accuracy"]) == 2
    for a, b in zip(base.get_weights(), pretrained_base.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)  # the frozen base did not move
