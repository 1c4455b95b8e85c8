"""What the learning tabs do with a model, without Qt: summaries, compiling, presets and the output head.

:class:`gui.widgets.net_session.LabSession` (the Qt side: signals, the engine thread) calls these inside
engine-thread jobs; the views get the :class:`ModelInfo` they return.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "OPTIMIZERS",
    "ModelInfo",
    "adapt_head",
    "compile_model",
    "first_conv_kernel",
    "leaves",
    "model_info",
    "preset_configs",
    "receptive_field_sizes",
]

#: optimizer choices: display name -> engine.optimizers class name
OPTIMIZERS = {"SGD": "SGD", "Adam": "Adam", "RMSprop": "RMSprop"}


@dataclass
class ModelInfo:
    """What the views draw about a model, computed in the engine thread.

    ``rows``: ``(name, class, output shape, params, trainable)`` per layer; ``config``:
    ``model.get_config()``; ``fields``: per layer, how many input pixels one output cell sees
    (``(size_h, size_w)``; None for layers that see the whole image or when it cannot be told).
    """

    rows: list[tuple[str, str, tuple, int, bool]]
    total_params: int
    trainable_params: int
    config: dict
    input_shape: tuple
    num_classes: int
    fields: list[tuple[int, int] | None] = field(default_factory=list)


def leaves(model: Any) -> list[Any]:
    """Every non-model layer, nested models flattened (a frozen base inside a new model), in order."""
    return [layer for _, layer in model.iter_leaves()]


def model_info(model: Any) -> ModelInfo:
    """The summary rows and counts of a built ``model``."""
    rows = []
    for layer in leaves(model):
        shape = tuple(layer.output_shape) if layer.output_shape is not None else ()
        rows.append(
            (layer.name, type(layer).__name__, shape, int(layer.count_params()), bool(layer.trainable))
        )
    total = int(sum(r[3] for r in rows))
    trainable = int(sum(r[3] for r in rows if r[4]))
    out_shape = tuple(model.output_shape)
    return ModelInfo(
        rows,
        total,
        trainable,
        model.get_config(),
        tuple(model.input_shape),
        int(out_shape[-1]),
        receptive_field_sizes(model),
    )


def receptive_field_sizes(model: Any) -> list[tuple[int, int] | None]:
    """Per layer ``(size_h, size_w)`` of input pixels one output cell sees
    (:func:`engine.explain.receptive_field`); None for layers without a grid (they see everything) or whose
    field cannot be told."""
    from engine import explain

    out: list[tuple[int, int] | None] = []
    for i, layer in enumerate(leaves(model)):
        if layer.output_shape is None or len(layer.output_shape) != 3:
            out.append(None)
            continue
        try:
            f = explain.receptive_field(model, i)
        except ValueError:
            out.append(None)
            continue
        out.append((f.size_h, f.size_w))
    return out


def compile_model(model: Any, optimizer: str, learning_rate: float) -> None:
    """Compile ``model`` with a fresh optimizer (its state reset) and sparse cross-entropy.

    The loss reads logits unless the model outputs probabilities (:attr:`Sequential.output_kind`).
    """
    from engine import losses, optimizers

    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {tuple(OPTIMIZERS)}. Received: optimizer={optimizer!r}")
    opt = getattr(optimizers, OPTIMIZERS[optimizer])(learning_rate=float(learning_rate))
    from_logits = model.output_kind == "logits"
    model.compile(
        optimizer=opt,
        loss=losses.SparseCategoricalCrossentropy(from_logits=from_logits),
        metrics=["accuracy"],
    )


def preset_configs(name: str, input_shape: tuple, num_classes: int) -> list[dict]:
    """The layer configs of the zoo preset ``name`` (``"small"``, ``"lesson"``, ``"lesson_gmp"``)."""
    from engine import zoo

    return zoo.build(name, tuple(input_shape), int(num_classes), seed=0).get_config()["layers"]


def adapt_head(configs: list[dict], num_classes: int) -> list[dict]:
    """A copy of ``configs`` whose last Dense layer has ``num_classes`` units (the output must match the
    data), without input shapes or names (the model being built gives them)."""
    out = copy.deepcopy(configs)
    for entry in reversed(out):
        if entry.get("class_name") == "Dense":
            entry.setdefault("config", {})["units"] = int(num_classes)
            break
    for entry in out:
        entry.get("config", {}).pop("input_shape", None)
        entry.get("config", {}).pop("name", None)
    return out


def first_conv_kernel(model: Any) -> np.ndarray | None:
    """A copy of the first Conv2D kernel ``(KH, KW, C_in, C_out)``, or None (read through ``get_weights``, so
    a run that keeps the weights on a GPU shows the current ones)."""
    for layer in leaves(model):
        if type(layer).__name__ == "Conv2D":
            return dict(zip(layer.params, layer.get_weights(), strict=True))["kernel"]
    return None
