"""What :func:`engine.models.load_model` checks in a model file beyond its format (:mod:`engine.saving`):

* :func:`check_architecture`, before anything is allocated: the layer list is well formed, the input shape
  within sane limits, and the weight shapes each ``Conv2D`` and ``Dense`` would create equal the arrays the
  file stores. A 180 KB file whose JSON says ``filters: 1e9`` is refused naming ``filters`` instead of
  allocating 33.5 GiB; ``input_shape [20000, 20000, 1]`` is refused naming ``input_shape``.
* :func:`check_finite_weights`: NaN or infinite weights, named by layer, weight and file entry.
* :func:`check_optimizer_state`: slots for weights the model has, of their shapes, as many as the optimizer
  keeps.

Every error is a ``ValueError`` naming the file, the layer (its position and name) and the field.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from engine import config as engine_config
from engine.layers.base import Layer, ShapeError
from engine.layers.conv import Conv2D
from engine.layers.dense import Dense

__all__ = ["check_architecture", "check_finite_weights", "check_optimizer_state"]

#: the most values one sample may hold as the model's input (a 64 M-pixel RGB image: 192 M)
MAX_INPUT_VALUES = 1 << 28


class _Unplanned(Exception):
    """A layer whose weight shapes cannot be told from its config (a class this module does not know)."""


def _layer_entries(entries: Any, where: str, prefix: str) -> list[dict[str, Any]]:
    if not isinstance(entries, list):
        raise ValueError(f"{where}: the model's 'layers' must be a list. Received: {type(entries).__name__}")
    for i, entry in enumerate(entries):
        ok = (
            isinstance(entry, dict)
            and isinstance(entry.get("class_name"), str)
            and isinstance(entry.get("config", {}), dict)
        )
        if not ok:
            shown = repr(entry) if len(repr(entry)) <= 80 else repr(entry)[:77] + "..."
            raise ValueError(
                f"{where}: layer {prefix}{i + 1} of the architecture must be "
                f"{{'class_name': ..., 'config': {{...}}}}. Received: {shown}"
            )
    return entries


def _check_input_shape(shape: tuple[Any, ...], label: str, where: str) -> None:
    dims = [d for d in shape if d is not None]
    limit = int(engine_config.get("max_image_pixels"))
    if len(shape) == 3 and shape[0] is not None and shape[1] is not None and shape[0] * shape[1] > limit:
        raise ValueError(
            f"{where}: {label} input_shape {tuple(shape)} is {shape[0] * shape[1]:,} pixels, above "
            f"max_image_pixels={limit:,} (engine.config)"
        )
    if math.prod(dims) > MAX_INPUT_VALUES:
        raise ValueError(
            f"{where}: {label} input_shape {tuple(shape)} holds {math.prod(dims):,} values per sample; "
            f"at most {MAX_INPUT_VALUES:,} are allowed"
        )


def _weights_of(layer: Layer, in_shape: tuple[Any, ...]) -> list[tuple[str, tuple[int, ...]]]:
    """``(key, shape)`` of the weights ``layer`` would create for inputs ``in_shape``, without creating
    them."""
    out: list[tuple[str, tuple[int, ...]]]
    # exact classes: a subclass (a transposed convolution) may lay its kernel out otherwise
    if type(layer) is Conv2D:
        out = [("kernel", (*layer.kernel_size, in_shape[-1], layer.filters))]
        return [*out, ("bias", (layer.filters,))] if layer.use_bias else out
    if type(layer) is Dense:
        out = [("kernel", (in_shape[-1], layer.units))]
        return [*out, ("bias", (layer.units,))] if layer.use_bias else out
    if type(layer).build_weights is Layer.build_weights:
        return []  # a layer without weights (pooling, Flatten, activations, Dropout)
    raise _Unplanned  # a layer with weights of another class: load_model's set_weights compares them


def _size_fields(layer: Layer) -> str:
    if isinstance(layer, Conv2D):
        return f"filters={layer.filters}, kernel_size={layer.kernel_size}"
    return f"units={layer.units}" if isinstance(layer, Dense) else type(layer).__name__


def _mismatch(
    layer: Layer, key: str, planned: tuple[int, ...], stored: tuple[int, ...], model_in: Any
) -> str:
    """Which config field makes ``planned`` differ from the ``stored`` shape, with its value."""
    if isinstance(layer, Conv2D):
        if len(stored) == len(planned) and key == "kernel":
            if stored[3] != planned[3]:
                return f"filters={layer.filters} but the file's kernel has {stored[3]} filters"
            if stored[:2] != planned[:2]:
                return f"kernel_size={layer.kernel_size} but the file's kernel is {stored[0]}x{stored[1]}"
            return (
                f"its input has {planned[2]} channel(s) (from input_shape {model_in} and the layers before) "
                f"but the file's kernel expects {stored[2]}"
            )
        return f"filters={layer.filters} but the file's {key} has shape {stored}"
    if isinstance(layer, Dense):
        if len(stored) == len(planned) and key == "kernel" and stored[0] != planned[0]:
            return (
                f"its input has {planned[0]:,} features (from input_shape {model_in} and the layers before) "
                f"but the file's kernel expects {stored[0]:,}"
            )
        return f"units={layer.units} but the file's {key} has shape {stored}"
    return f"the file's {key} has shape {stored}"


def check_architecture(config: Any, stored: Sequence[tuple[int, ...]], where: str) -> None:
    """Refuse an architecture that would not build from ``config`` to the ``stored`` weight shapes (in
    ``get_weights`` order), before any layer allocates its weights.

    Raises
    ------
    ValueError
        Naming the file (``where``), the layer and the field, with the value received and the one the stored
        weights imply.
    """
    from engine.models import layer_from_config

    if not isinstance(config, dict):
        raise ValueError(f"{where}: the architecture must be a dict. Received: {type(config).__name__}")
    inner = config.get("config", config) if "class_name" in config else config
    if not isinstance(inner, dict):
        raise ValueError(f"{where}: the architecture's 'config' must be a dict. Received: {inner!r}")
    entries = _layer_entries(inner.get("layers", []), where, "")
    index = 0  # the next stored weight
    aligned = True  # False after a layer of a class whose weights cannot be planned (their number unknown)
    largest = max((math.prod(s) for s in stored), default=0)
    model_in: tuple[Any, ...] | None = None

    def walk(entries: list[dict[str, Any]], shape: tuple[Any, ...] | None, prefix: str) -> Any:
        nonlocal index, model_in, aligned
        for i, entry in enumerate(entries):
            label = f"layer {prefix}{i + 1}"
            if entry["class_name"] == "Sequential":
                sub = _layer_entries(entry.get("config", {}).get("layers", []), where, f"{prefix}{i + 1}.")
                shape = walk(sub, shape, f"{prefix}{i + 1}.")
                continue
            try:
                layer = layer_from_config(entry)
            except (TypeError, ValueError) as exc:
                raise ValueError(f"{where}: {label} ({entry['class_name']}): {exc}") from None
            label = f"{label} ({layer.name if layer.has_name else entry['class_name']})"
            if shape is None and layer.input_shape is not None:
                shape = tuple(layer.input_shape)
                model_in = shape
                _check_input_shape(shape, label, where)
            if shape is None:
                raise _Unplanned  # no input shape: load_model says so
            try:
                planned_weights = _weights_of(layer, shape)
            except _Unplanned:
                aligned, planned_weights = False, []
            for key, planned in planned_weights:
                if not aligned:  # at least no array larger than the file's largest
                    if math.prod(planned) > largest:
                        raise ValueError(
                            f"{where}: weights do not match the architecture: {label} would create a {key} "
                            f"of shape {planned} ({math.prod(planned):,} values), larger than any array the "
                            f"file holds ({largest:,} values): {_size_fields(layer)}"
                        )
                    continue
                if index >= len(stored):
                    raise ValueError(
                        f"{where}: weights do not match the architecture: {label} needs a {key} of "
                        f"shape {planned}, but the file holds only {len(stored)} weight arrays"
                    )
                have = tuple(stored[index])
                if have != planned:
                    raise ValueError(
                        f"{where}: weights do not match the architecture: {label} does not match its "
                        f"stored {key} (entry w_{index:04d}, shape {have}): "
                        f"{_mismatch(layer, key, planned, have, model_in)}"
                    )
                index += 1
            try:
                shape = tuple(layer.compute_output_shape(shape))
            except ShapeError as exc:
                raise ValueError(f"{where}: {label}: {exc}") from None
            except Exception:  # a layer that needs to be built to know its output: stop planning here
                if aligned:
                    raise
                raise _Unplanned from None
        return shape

    try:
        walk(entries, None, "")
    except _Unplanned:
        return  # set_weights compares the shapes of what is left once built
    if aligned and index != len(stored):
        raise ValueError(
            f"{where}: weights do not match the architecture: it has {index} weight arrays but the file "
            f"holds {len(stored)}"
        )


def check_finite_weights(model: Any, where: str) -> None:
    """Refuse NaN or infinite weights, naming the first layer, weight and file entry holding one."""
    index = 0
    for name, layer in model.iter_leaves():
        for key, w in layer.params.items():
            a = np.asarray(w)
            if not np.isfinite(a).all():
                nan, inf = int(np.isnan(a).sum()), int(np.isinf(a).sum())
                parts = [f"{nan} NaN" if nan else "", f"{inf} infinite" if inf else ""]
                what = " and ".join(p for p in parts if p) + (" values" if nan + inf > 1 else " value")
                raise ValueError(
                    f"{where} is broken: its layer {name!r} has {what} in its {key} (entry "
                    f"w_{index:04d}, shape {a.shape}); a model with NaN or infinite weights cannot predict "
                    "anything: train it again (a lower learning rate keeps the loss finite)"
                )
            index += 1


def check_optimizer_state(
    model: Any, slot_names: Sequence[str], slots: Mapping[str, Sequence[np.ndarray]], where: str
) -> None:
    """Refuse optimizer slots for weights the model lacks, of another shape than the weight, holding another
    number of arrays than the optimizer keeps (``slot_names``), or non-finite values."""
    params = {key: layer.params[field] for key, layer, field in model.trainable_slots()}
    for key, arrays in slots.items():
        if key not in params:
            known = list(params)[:6]
            raise ValueError(
                f"{where}: the optimizer state has a slot for {key!r}, a weight this model does not have "
                f"(its trainable weights: {known}{'...' if len(params) > 6 else ''})"
            )
        if len(arrays) != len(slot_names):
            raise ValueError(
                f"{where}: the optimizer state of {key!r} holds {len(arrays)} array(s); this optimizer keeps "
                f"{len(slot_names)} per weight {tuple(slot_names)}"
            )
        for name, a in zip(slot_names, arrays, strict=True):
            if a.shape != params[key].shape:
                raise ValueError(
                    f"{where}: the optimizer state {name!r} of {key!r} has shape {a.shape}; the weight has "
                    f"shape {params[key].shape}"
                )
            if not np.isfinite(a).all():
                raise ValueError(
                    f"{where}: the optimizer state {name!r} of {key!r} holds NaN or infinite values"
                )
