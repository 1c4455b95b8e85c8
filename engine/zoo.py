"""Ready-made architectures for the command line (``--model small|lesson|lesson_gmp``) and the app.

``build(name, input_shape, num_classes, seed=0)`` returns an uncompiled :class:`engine.models.Sequential`
whose last layer gives logits (compile it with ``SparseCategoricalCrossentropy(from_logits=True)``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
    """The lesson's CIFAR-10 network, layer for layer: conv32-pool-conv64-pool-conv64, Flatten, Dense(64), Dense."""
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


#: architecture builders by name
PRESETS: dict[str, Builder] = {"small": small, "lesson": lesson, "lesson_gmp": lesson_gmp}


def build(name: str | os.PathLike, input_shape: Any, num_classes: int, seed: int = 0) -> Sequential:
    """Build the preset ``name`` (``"small"``, ``"lesson"``, ``"lesson_gmp"``) for ``input_shape`` ``(H, W, C)``
    and ``num_classes`` outputs, weights seeded by ``seed``. ``name`` may also be a ``.json`` file holding a
    :meth:`Sequential.get_config` architecture (its first layer's input shape is replaced by ``input_shape``)."""
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
