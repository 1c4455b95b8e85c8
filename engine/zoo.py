"""Ready-made architectures for the command line (``--model small|lesson|lesson_gmp|lesson_bn|dilated``)
and the app, and a generator of networks from hyper-parameters (:func:`generate`, what hyper-parameter
sweeps train).

``build(name, input_shape, num_classes, seed=0)`` and ``generate(input_shape, num_classes, ...)`` return an
uncompiled :class:`engine.models.Sequential` whose last layer gives logits (compile it with
``SparseCategoricalCrossentropy(from_logits=True)``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from engine import layers
from engine.models import Sequential, model_from_config

Builder = Callable[[tuple, int, int], Sequential]


def small(input_shape: tuple, num_classes: int, seed: int = 0) -> Sequential:
    """A small CNN for 28x28 digits: two conv + max-pool stages, then a dense head (about 30k weights)."""
    return Sequential(
        [
            layers.Conv2D(16, (3, 3), activation="relu", padding="same", input_shape=input_shape),
            layers.MaxPooling2D((2, 2)),
            layers.Conv2D(32, (3, 3), activation="relu", padding="same"),
            layers.MaxPooling2D((2, 2)),
            layers.Flatten(),
            layers.Dense(num_classes),
        ],
        name="small",
        seed=seed,
    )


def _lesson_base(input_shape: tuple) -> list[layers.Layer]:
    return [
        layers.Conv2D(32, (3, 3), activation="relu", padding="same", input_shape=input_shape),
        layers.MaxPooling2D((2, 2)),
        layers.Conv2D(64, (3, 3), activation="relu", padding="same"),
        layers.MaxPooling2D((2, 2)),
        layers.Conv2D(64, (3, 3), activation="relu", padding="same"),
    ]


def lesson(input_shape: tuple, num_classes: int, seed: int = 0) -> Sequential:
    """The lesson's CIFAR-10 network, layer for layer: conv32-pool-conv64-pool-conv64, Flatten, Dense(64),
    Dense."""
    return Sequential(
        [
            *_lesson_base(input_shape),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(num_classes),
        ],
        name="lesson",
        seed=seed,
    )


def lesson_gmp(input_shape: tuple, num_classes: int, seed: int = 0) -> Sequential:
    """The lesson's network with a GlobalMaxPooling2D head instead of Flatten (accepts any image size when
    ``input_shape`` is ``(None, None, C)``, but forgets where features were)."""
    return Sequential(
        [
            *_lesson_base(input_shape),
            layers.GlobalMaxPooling2D(),
            layers.Dense(64, activation="relu"),
            layers.Dense(num_classes),
        ],
        name="lesson_gmp",
        seed=seed,
    )


def _conv_bn_relu(
    filters: int, kernel: int, input_shape: tuple | None = None, strides: int = 1
) -> list[layers.Layer]:
    """A convolution without bias (BatchNormalization's ``beta`` does that job), BatchNormalization, then
    ReLU: the block of MobileNetV2 and of most CNNs that came after the lesson's."""
    return [
        layers.Conv2D(
            filters,
            (kernel, kernel),
            strides=strides,
            padding="same",
            use_bias=False,
            input_shape=input_shape,
        ),
        layers.BatchNormalization(),
        layers.ReLU(),
    ]


def lesson_bn(input_shape: tuple, num_classes: int, seed: int = 0) -> Sequential:
    """The lesson's network with batch normalisation: each convolution becomes convolution (no bias) ->
    BatchNormalization -> ReLU; the same pools, Flatten, Dense(64) and Dense head. Trains faster and
    tolerates larger learning rates; its moving statistics are saved with it."""
    return Sequential(
        [
            *_conv_bn_relu(32, 3, input_shape),
            layers.MaxPooling2D((2, 2)),
            *_conv_bn_relu(64, 3),
            layers.MaxPooling2D((2, 2)),
            *_conv_bn_relu(64, 3),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(num_classes),
        ],
        name="lesson_bn",
        seed=seed,
    )


def dilated(input_shape: tuple, num_classes: int, seed: int = 0) -> Sequential:
    """Dilated (atrous) convolutions in place of the lesson's first pooling: three 3x3 convolutions with
    dilations 1, 2 and 4 ("same" padding, the map keeps its size) see 3, 7 then 15 pixels, as far as
    conv-pool-conv-pool would, with no resolution lost; then a pool, a 3x3 convolution, a global average
    and the Dense head (the context module of Yu & Koltun, 2016, in small)."""
    return Sequential(
        [
            layers.Conv2D(32, (3, 3), activation="relu", padding="same", input_shape=input_shape),
            layers.Conv2D(32, (3, 3), activation="relu", padding="same", dilation_rate=2),
            layers.Conv2D(64, (3, 3), activation="relu", padding="same", dilation_rate=4),
            layers.MaxPooling2D((2, 2)),
            layers.Conv2D(64, (3, 3), activation="relu", padding="same"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(num_classes),
        ],
        name="dilated",
        seed=seed,
    )


#: architecture builders by name
PRESETS: dict[str, Builder] = {
    "small": small,
    "lesson": lesson,
    "lesson_gmp": lesson_gmp,
    "lesson_bn": lesson_bn,
    "dilated": dilated,
}

#: how each block of :func:`generate` halves the image: 2x2 max or average pooling, or a stride-2 convolution
POOLINGS = ("max", "avg", "stride2")
#: what turns the last feature maps into one vector: Flatten (keeps where) or GlobalMaxPooling2D (any size)
HEADS = ("flatten", "global_max")
#: the keyword arguments of :func:`generate` and their defaults
GENERATOR_DEFAULTS: dict[str, Any] = {
    "conv_layers": 2,
    "filters": 16,
    "kernel_size": 3,
    "dense_units": 64,
    "pooling": "max",
    "head": "flatten",
    "batch_norm": False,
}


def _count(value: Any, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not hasattr(value, "__index__") or int(value) < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}. Received: {name}={value!r}")
    return int(value)


def generate(
    input_shape: Any,
    num_classes: int,
    *,
    conv_layers: int = 2,
    filters: int = 16,
    kernel_size: int = 3,
    dense_units: int = 64,
    pooling: str = "max",
    head: str = "flatten",
    seed: int = 0,
    batch_norm: bool = False,
) -> Sequential:
    """A CNN built from the hyper-parameters a learner chooses (the lesson's "En pratique").

    ``conv_layers`` blocks; block ``i`` is a ``kernel_size x kernel_size`` convolution with
    ``filters * 2**i`` filters ("same" padding, ReLU), then halves the image: ``pooling="max"`` or ``"avg"``
    adds a 2x2 pooling layer, ``"stride2"`` gives the convolution itself a stride of 2. Then the ``head``
    (``"flatten"`` or ``"global_max"``), a ``Dense(dense_units, relu)`` layer unless ``dense_units`` is 0,
    and ``Dense(num_classes)`` giving logits. With ``batch_norm=True`` each convolution loses its bias and
    is followed by ``BatchNormalization()`` then the ReLU (convolution -> BN -> ReLU, as in
    :func:`lesson_bn`).

    Parameters
    ----------
    input_shape : ``(H, W, C)``; ``H`` and ``W`` may be None with ``head="global_max"``.
    num_classes : outputs of the last layer.
    seed : seeds the initial weights.

    Returns
    -------
    Sequential
        Uncompiled, built for ``input_shape``; named ``conv{conv_layers}_f{filters}_k{kernel_size}`` (with
        ``_bn`` after it when ``batch_norm``).

    Notes
    -----
    A 2x2 pooling (valid) takes a side ``N`` to ``floor(N / 2)``, so it needs ``N >= 2``: a 28x28 image
    takes at most 4 pooling blocks (28, 14, 7, 3 -> 1). A stride-2 "same" convolution gives
    ``ceil(N / 2)``, never less than 1.
    """
    if isinstance(num_classes, bool) or not hasattr(num_classes, "__index__") or int(num_classes) < 1:
        raise ValueError(f"num_classes must be a positive int. Received: num_classes={num_classes!r}")
    conv_layers = _count(conv_layers, "conv_layers", 1)
    filters = _count(filters, "filters", 1)
    kernel_size = _count(kernel_size, "kernel_size", 1)
    dense_units = _count(dense_units, "dense_units", 0)
    if pooling not in POOLINGS:
        raise ValueError(f"pooling must be one of {POOLINGS}. Received: pooling={pooling!r}")
    if head not in HEADS:
        raise ValueError(f"head must be one of {HEADS}. Received: head={head!r}")
    shape = tuple(input_shape)
    if len(shape) != 3:
        raise ValueError(f"input_shape must be (H, W, C). Received: input_shape={shape!r}")
    sides = [s for s in shape[:2] if s is not None and pooling != "stride2"]  # ceil(n / 2) stays >= 1
    for side in sides:
        n = int(side)
        for block in range(conv_layers):
            if n < 2:
                raise ValueError(
                    f"conv_layers={conv_layers} is too deep for {shape[0]}x{shape[1]} images: block "
                    f"{block + 1} would halve a side of {n} ({pooling} pooling); use at most {block} "
                    "conv layers"
                )
            n //= 2
    if not isinstance(batch_norm, (bool, np.bool_)):
        raise TypeError(f"batch_norm must be True or False. Received: batch_norm={batch_norm!r}")
    stack: list[layers.Layer] = []
    for i in range(conv_layers):
        strides = 2 if pooling == "stride2" else 1
        if batch_norm:
            stack.extend(_conv_bn_relu(filters * 2**i, kernel_size, shape if i == 0 else None, strides))
        else:
            stack.append(
                layers.Conv2D(
                    filters * 2**i,
                    (kernel_size, kernel_size),
                    strides=strides,
                    activation="relu",
                    padding="same",
                    input_shape=shape if i == 0 else None,
                )
            )
        if pooling == "max":
            stack.append(layers.MaxPooling2D((2, 2)))
        elif pooling == "avg":
            stack.append(layers.AveragePooling2D((2, 2)))
    stack.append(layers.Flatten() if head == "flatten" else layers.GlobalMaxPooling2D())
    if dense_units:
        stack.append(layers.Dense(dense_units, activation="relu"))
    stack.append(layers.Dense(int(num_classes)))
    name = f"conv{conv_layers}_f{filters}_k{kernel_size}" + ("_bn" if batch_norm else "")
    return Sequential(stack, name=name, seed=seed)


def build(name: str | os.PathLike, input_shape: Any, num_classes: int, seed: int = 0) -> Sequential:
    """Build the preset ``name`` (``"small"``, ``"lesson"``, ``"lesson_gmp"``, ``"lesson_bn"``,
    ``"dilated"``) for ``input_shape`` ``(H, W, C)`` and ``num_classes`` outputs, weights seeded by ``seed``.
    ``name`` may also be a ``.json`` file holding a :meth:`Sequential.get_config` architecture (its first
    layer's input shape is replaced by ``input_shape``)."""
    if isinstance(num_classes, bool) or not hasattr(num_classes, "__index__") or int(num_classes) < 1:
        raise ValueError(f"num_classes must be a positive int. Received: num_classes={num_classes!r}")
    shape = tuple(input_shape)
    if isinstance(name, str) and name in PRESETS:
        return PRESETS[name](shape, int(num_classes), seed)
    if str(name).endswith(".json"):
        return from_json(name, shape, seed)
    raise ValueError(
        f"model must be one of {tuple(PRESETS)} or a .json architecture file. Received: {name!r}"
    )


def from_json(path: str | os.PathLike, input_shape: tuple | None = None, seed: int | None = 0) -> Sequential:
    """A model from a JSON architecture file (``model.get_config()`` written with ``json.dump``)."""
    p = Path(path)
    try:
        config = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(f"no architecture file at {str(p)!r}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{str(p)!r} is not a JSON architecture file: {exc}") from None
    if not isinstance(config, dict):
        raise ValueError(f"{str(p)!r} must hold a JSON object (a model config)")
    config = dict(config.get("config", config)) if config.get("class_name") == "Sequential" else dict(config)
    if not config.get("layers"):
        raise ValueError(f"{str(p)!r} has no 'layers' list")
    layer_cfgs = [dict(entry) for entry in config["layers"]]
    if input_shape is not None:
        first = dict(layer_cfgs[0].get("config", {}))
        first["input_shape"] = list(input_shape)
        layer_cfgs[0] = {**layer_cfgs[0], "config": first}
        for entry in layer_cfgs[1:]:
            entry["config"] = {k: v for k, v in entry.get("config", {}).items() if k != "input_shape"}
    if seed is not None and config.get("seed") is None:
        config["seed"] = seed
    return model_from_config({**config, "layers": layer_cfgs})
