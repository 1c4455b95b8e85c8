"""Every layer's output for one image, as the Network tab draws it (computed in the engine thread)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from gui.models.session import leaves

__all__ = ["LayerOutput", "layer_outputs"]


@dataclass
class LayerOutput:
    """One layer's output for one image. ``array``: ``(H, W, C)`` or ``(D,)`` (batch axis removed)."""

    name: str
    class_name: str
    activation: str
    array: np.ndarray
    kernel: np.ndarray | None = None  # Conv2D ``(KH, KW, C_in, C_out)``
    bias: np.ndarray | None = None
    #: the class probabilities, on the model's last output only (a softmax of it when the model gives logits)
    probabilities: np.ndarray | None = None


def layer_outputs(model: Any, image: np.ndarray) -> list[LayerOutput]:
    """``model.activations`` of one ``(H, W, C)`` image, with each layer's type, activation and conv
    weights."""
    from engine.training import softmax_rows

    acts = model.activations(np.asarray(image, np.float32)[None])  # [(name, (1, ...))]
    out = []
    for (name, arr), layer in zip(acts, leaves(model), strict=False):
        kernel = layer.params["kernel"].copy() if type(layer).__name__ == "Conv2D" else None
        bias = layer.params["bias"].copy() if kernel is not None and "bias" in layer.params else None
        out.append(
            LayerOutput(
                name,
                type(layer).__name__,
                str(getattr(layer, "activation", "") or ""),
                np.array(arr[0]),
                kernel,
                bias,
            )
        )
    if out:
        last = out[-1].array
        out[-1].probabilities = last.copy() if model.output_kind == "probabilities" else softmax_rows(last)
    return out
