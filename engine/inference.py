"""Inference plans: a model's layers checked once per input shape and tier, then run as plain ``forward``
calls.

Why: the GUI redraws every layer's feature maps for one image per frame (:meth:`Sequential.activations`). For
one 32x32 image the lesson network's arithmetic takes about a tenth of a millisecond, so checks made on every
call (dtype, rank, contiguity, padding resolution, channel counts) would be a third of the time. A plan checks
the shapes of every layer once for its input size (:meth:`Layer.compute_output_shape`, which raises a located
:class:`engine.layers.ShapeError`), and then only chains ``layer.forward(x, training=False)``: the layers call
the tier's functions directly, with paddings they resolved once per size (:mod:`engine.layers.base`). On the
cpu tier ``Conv2D(activation="relu")`` and ``Dense(activation="relu")`` run as one fused kernel each, and the
whole pass holds one :func:`engine.backends.cpu._blas.single_threaded_blas` block (the tier's
``kernel_session``) instead of one per layer.

Plans hold the layers, not their weights, so training, ``set_weights`` and ``load_weights`` are seen at once;
a model keeps a few plans (one per input shape and tier) and forgets them when its layers change.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

import numpy as np

from engine import config
from engine.backends import get_module
from engine.backends.host import host_to_host
from engine.layers.base import Layer, Shape, ShapeError

__all__ = ["MAX_PLANS", "InferencePlan", "kernel_input", "plan_for"]

_config_state = config._state  # the live settings (engine.config changes the dict in place)

#: plans a model keeps (one per input shape and tier); the oldest is dropped first
MAX_PLANS = 8

# model -> {key: plan}. Outside the model so that copying or pickling a model never carries plans along (they
# hold the original's layers); an entry goes when its model is garbage-collected.
_PLANS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class InferencePlan:
    """The inference-mode forward of ``leaves`` (``[(qualified_name, layer), ...]``, built layers) for inputs
    ``(N, *input_shape)`` on the tier called ``backend``.

    Raises :class:`engine.layers.ShapeError` (a ``ValueError``) when a layer cannot take its input at this
    size.
    """

    def __init__(self, leaves: Iterable[tuple[str, Layer]], input_shape: Shape, backend: str) -> None:
        self.backend = backend
        self.tier = get_module(backend)
        self.input_shape = tuple(input_shape)
        self.names: list[str] = []
        self.layers: list[Layer] = []
        shape = self.input_shape
        for index, (name, layer) in enumerate(leaves):
            try:
                shape = tuple(layer.compute_output_shape(shape))
            except ShapeError as exc:
                raise exc.located(f"at layer {index + 1} ({name})") from None
            self.names.append(name)
            self.layers.append(layer)
        self.output_shape = shape
        self._session = getattr(self.tier, "kernel_session", None)  # an optional extra of the contract
        self._host = self.tier.to_host is host_to_host  # the outputs are NumPy arrays already

    def _block(self) -> AbstractContextManager[Any]:
        session = self._session() if self._session is not None else nullcontext()
        if _config_state["backend"] == self.backend:
            return session
        return _Both(config.using_backend(self.backend), session)  # unbound layers follow engine.config

    def run(self, x: np.ndarray) -> np.ndarray:
        """The last layer's output for the batch ``x`` (float32, C-contiguous, shaped ``(N,
        *input_shape)``)."""
        with self._block():
            for layer in self.layers:
                x = layer.forward(x, False)  # inference mode
        return x if self._host else self.tier.to_host(x)

    def run_all(self, x: np.ndarray) -> list[tuple[str, np.ndarray]]:
        """Every layer's output for the batch ``x``: ``[(name, array), ...]`` in layer order."""
        out = []
        with self._block():
            for layer in self.layers:
                x = layer.forward(x, False)  # inference mode
                out.append(x)
        if not self._host:
            out = [self.tier.to_host(a) for a in out]
        return list(zip(self.names, out, strict=True))


class _Both:
    """Two context managers entered in order and left in reverse (a light ``ExitStack``)."""

    def __init__(self, first: AbstractContextManager[Any], second: AbstractContextManager[Any]) -> None:
        self.first, self.second = first, second

    def __enter__(self) -> None:
        self.first.__enter__()
        try:
            self.second.__enter__()
        except BaseException:
            self.first.__exit__(None, None, None)
            raise

    def __exit__(self, *exc: Any) -> None:
        try:
            self.second.__exit__(*exc)
        finally:
            self.first.__exit__(*exc)


def plan_for(model: Any, input_shape: Shape, backend: str) -> InferencePlan:
    """``model``'s cached plan for ``(input_shape, backend)``, made when missing or when its layers
    changed."""
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
    """``x`` as the tiers take it: float32, C-contiguous and writeable (Numba compiles read-only arrays as a
    separate type, which would mean compiling every kernel a second time)."""
    xa = np.ascontiguousarray(x, dtype=np.float32)
    return xa if xa.flags.writeable else xa.copy()
