"""The transfer-learning experiment's models and data, without Qt (the panel is
:class:`gui.widgets.train_transfer.TransferPanel`; each function here runs in the engine thread)."""

from __future__ import annotations

import time
from typing import Any

from gui.models.data import LabData, class_subset, load_lab_data
from gui.models.session import adapt_head

__all__ = ["BASE_END", "TASKS", "base_length", "fresh_model", "task_data", "train_epoch", "transfer_model"]

#: transfer tasks: (task A, task B) in the chooser's order
TASKS = ("digits", "shapes")

BASE_END = ("Flatten", "GlobalMaxPooling2D", "GlobalAveragePooling2D", "GlobalMinPooling2D")


def base_length(configs: list[dict]) -> int:
    """Number of layers in the convolutional base: up to and including Flatten / global pooling."""
    for i, entry in enumerate(configs):
        if entry["class_name"] in BASE_END:
            return i + 1
    raise ValueError(
        "the network has no Flatten or global pooling layer, so it has no convolutional base "
        f"to reuse. Layers: {[c['class_name'] for c in configs]}"
    )


def transfer_model(source: Any, num_classes: int, frozen: set[int], seed: int = 0) -> Any:
    """A new model: ``source``'s base (weights copied, layers in ``frozen`` not trainable) + a fresh head.

    Parameters
    ----------
    source : a built ``Sequential``; its layers after the base become the new head, re-initialised, with the
        last Dense resized to ``num_classes``.
    frozen : indices (in the base) of the layers whose weights stay fixed.
    """
    from engine.models import Sequential, layer_from_config

    configs = adapt_head(source.get_config()["layers"], num_classes)
    n = base_length(configs)
    model = Sequential([layer_from_config(c) for c in configs], name="transfer", seed=seed + 1)
    model.build(tuple(source.input_shape))
    for i in range(n):
        model.layers[i].set_weights(source.layers[i].get_weights())
        model.layers[i].trainable = i not in frozen
    return model


def task_data(task: str, n: int) -> tuple[LabData, LabData]:
    """Task A (to pre-train on) and task B (at most ``n`` training images) for ``task`` in :data:`TASKS`."""
    digits = load_lab_data("digits", n_train=max(2000, 2 * n), n_val=600, seed=0)
    if task == "digits":
        a = class_subset(digits, [0, 1, 2, 3, 4])
        b = class_subset(digits, [5, 6, 7, 8, 9])
    elif task == "shapes":
        a, b = digits, load_lab_data("shapes", n_train=n, n_val=300, seed=0)
    else:
        raise ValueError(f"task must be one of {TASKS}. Received: task={task!r}")
    return a, LabData(b.x_train[:n], b.y_train[:n], b.x_val, b.y_val, b.class_names, b.name)


def fresh_model(configs: list[dict], input_shape: tuple, num_classes: int, seed: int) -> Any:
    """``configs`` built from scratch (new weights) for ``input_shape`` with a ``num_classes`` head."""
    from engine.models import Sequential, layer_from_config

    model = Sequential(
        [layer_from_config(c) for c in adapt_head(configs, num_classes)], name="scratch", seed=seed
    )
    model.build(tuple(input_shape))
    return model


def train_epoch(model: Any, data: LabData, seed: int) -> tuple[float, float]:
    """Train one epoch; return (seconds, validation accuracy)."""
    t0 = time.perf_counter()
    model.fit(data.x_train, data.y_train, epochs=1, batch_size=32, verbose=0, seed=seed)
    dt = time.perf_counter() - t0
    _, acc = model.evaluate(data.x_val, data.y_val, verbose=0)
    return dt, float(acc)
