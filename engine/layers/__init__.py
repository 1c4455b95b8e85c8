"""Keras-shaped layers: ``Conv2D`` (dilated too), ``Conv2DTranspose``, pooling, ``Flatten``, ``Dense``,
activations, ``Dropout``, ``BatchNormalization``.

Each layer validates its arguments in ``__init__``, makes its weights in ``build(input_shape)``, and has
``forward`` / ``backward`` side by side. Shapes exclude the batch axis; arrays are float32 NHWC.
"""

from __future__ import annotations

from engine.layers.activations import Activation, ReLU, Softmax
from engine.layers.base import LAYER_CLASSES, Layer, ShapeError, set_random_seed
from engine.layers.conv import Conv2D
from engine.layers.conv_transpose import Conv2DTranspose
from engine.layers.dense import Dense
from engine.layers.dropout import Dropout
from engine.layers.normalization import BatchNormalization
from engine.layers.pooling import (
    AveragePooling2D,
    AvgPool2D,
    GlobalAveragePooling2D,
    GlobalMaxPooling2D,
    GlobalMinPooling2D,
    MaxPool2D,
    MaxPooling2D,
    MinPooling2D,
)
from engine.layers.reshape import Flatten

__all__ = [
    "LAYER_CLASSES",
    "Activation",
    "AveragePooling2D",
    "AvgPool2D",
    "BatchNormalization",
    "Conv2D",
    "Conv2DTranspose",
    "Dense",
    "Dropout",
    "Flatten",
    "GlobalAveragePooling2D",
    "GlobalMaxPooling2D",
    "GlobalMinPooling2D",
    "Layer",
    "MaxPool2D",
    "MaxPooling2D",
    "MinPooling2D",
    "ReLU",
    "ShapeError",
    "Softmax",
    "set_random_seed",
]
