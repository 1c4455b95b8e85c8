"""Inference plans: a model's layers turned, once per input shape and backend, into direct kernel calls.

Why: the GUI redraws every layer's feature maps for one image per frame (:meth:`Sequential.activations`). For
one 32x32 image the lesson network's arithmetic takes about a tenth of a millisecond, so the checks that
:mod:`engine.ops` makes on every call (dtype, rank, contiguity, padding resolution, channel counts) were a
third of the time. A plan checks the input once, asks every layer for its :meth:`Layer.inference_step` with
the paddings resolved for the concrete input size, and then only calls the backend's kernels; with the cpu
backend ``Conv2D(activation="relu")`` and ``Dense(activation="relu")`` run as one fused kernel each, and the
whole pass holds one :func:`engine.backends.cpu_blas.single_threaded_blas` block instead of one per layer.

Plans read the weights at call time, so training, ``set_weights`` and ``load_weights`` are seen at once; a
model keeps a few plans (one per input shape and backend) and forgets them when its layers change.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

import numpy as np

from engine.backends import get_module
from engine.layers.base import Layer, Shape

#: plans a model keeps (one per input shape and backend); the oldest is dropped first
MAX_PLANS = 8

# model -> {key: plan}. Outside the model so that copying or pickling a model never carries plans along (their
# steps are closures over the original's layers); an entry goes when its model is garbage-collected.
_PLANS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class InferencePlan:
    """The inference-mode forward of ``leaves`` (``[(qualified_name, layer), ...]``, built layers) for inputs
    ``(N, *input_shape)`` on the backend ``backend``."""

    def __init__(self, leaves: Iterable[tuple[str, Layer]], input_shape: Shape, backend: str) -> None:
        module = get_module(backend)
        self.backend = backend
        self.input_shape = tuple(input_shape)
        self.names: list[str] = []
        self._steps = []
        shape = self.input_shape
        for name, layer in leaves:
            self._steps.append(layer.inference_step(shape, module))
            self.names.append(name)
            shape = tuple(layer.compute_output_shape(shape))
        self.output_shape = shape
        self._session = getattr(module, "kernel_session", None)

    def _block(self) -> AbstractContextManager[Any]:
        return self._session() if self._session is not None else nullcontext()

    def run(self, x: np.ndarray) -> np.ndarray:
        """The last layer's output for the batch ``x`` (float32, C-contiguous, shaped ``(N, *input_shape)``)."""
        with self._block():
            for step in self._steps:
                x = step(x)
        return x

    def run_all(self, x: np.ndarray) -> list[tuple[str, np.ndarray]]:
        """Every layer's output for the batch ``x``: ``[(name, array), ...]`` in layer order."""
        out = []
        with self._block():
            for name, step in zip(self.names, self._steps):
                x = step(x)
                out.append((name, x))
        return out


def plan_for(model: Any, input_shape: Shape, backend: str) -> InferencePlan:
    """``model``'s cached plan for ``(input_shape, backend)``, made when missing or when its layers changed."""
    leaves = list(model.iter_leaves())
    key = (
        backend,
        tuple(input_shape),
        tuple(id(layer) for _, layer in leaves),
        tuple(name for name, _ in leaves),
    )
    plans = _PLANS.get(model)
    if plans is None:
        plans = _PLANS[model] = {}
    plan = plans.get(key)
    if plan is None:
        plan = InferencePlan(leaves, input_shape, backend)
        if len(plans) >= MAX_PLANS:
            plans.pop(next(iter(plans)))
        plans[key] = plan
    return plan


def kernel_input(x: np.ndarray) -> np.ndarray:
    """``x`` as the backends take it: float32, C-contiguous and writeable (Numba compiles read-only arrays as
    a separate type, which would mean compiling every kernel a second time)."""
    xa = np.ascontiguousarray(x, dtype=np.float32)
    return xa if xa.flags.writeable else xa.copy()
