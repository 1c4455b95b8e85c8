"""A model's hold on one tier for a run: the tier's training device, and the weights resident on it.

:meth:`engine.models.Sequential.fit_steps` (and so ``fit``), ``train_on_batch``, ``test_on_batch`` and
``evaluate`` run inside a :class:`Session`. Opening one binds every layer of the model to the tier
(:meth:`engine.layers.Layer.bind`), so the layers' own ``forward`` and ``backward`` run there whatever the
global backend choice is meanwhile; when the tier's device is *resident* (cuda) the weights are copied to it
once, the optimizer's state too (on the first training batch), and both come back once when the session
closes. On the host tiers nothing moves: the device is :class:`engine.backends.host.HostDevice`.

Sessions nest: opening one on a model that already holds one shares it (a validation pass inside ``fit``, a
``predict`` between two batches of a paused GUI run). Nothing here knows a tier by name; what differs between
tiers comes from their ``training_device()`` (:class:`engine.backends.contract.Device`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from engine.backends import get_module
from engine.backends.contract import Device, DeviceOptimizer

__all__ = ["Session", "hold"]


class Session:
    """``model`` held on the tier called ``backend`` until :meth:`close` (see the module docstring)."""

    def __init__(self, model: Any, backend: str) -> None:
        self.model = model
        self.backend = backend
        self.tier = get_module(backend)
        self.device: Device = self.tier.training_device()
        self.leaves = [layer for _, layer in model.iter_leaves()]
        self._optimizer: DeviceOptimizer | None = None
        self._host_optimizer: Any = None
        self.open = False

    def start(self) -> None:
        """Bind every layer to the tier; on a resident device this copies every weight over (once)."""
        self.open = True  # first: a failure half-way still unbinds what was bound
        for layer in self.leaves:
            layer.bind(self.tier, self.device)

    def optimizer(self, host: Any) -> DeviceOptimizer:
        """The optimizer that updates the weights where they live, made from ``host`` (the model's compiled
        :class:`engine.optimizers.Optimizer`) on the first training batch, and again if the model was
        recompiled with another one (the previous one's state is written back first)."""
        if self._optimizer is None or self._host_optimizer is not host:
            self._store_optimizer()
            self._optimizer, self._host_optimizer = self.device.optimizer(host), host
        return self._optimizer

    def sync_optimizer(self) -> None:
        """Copy the device optimizer's step count and state into the model's optimizer now (the run goes
        on)."""
        if self._optimizer is not None:
            self.device.store_optimizer(self._optimizer, self._host_optimizer)

    def _store_optimizer(self) -> None:
        if self._optimizer is not None:
            self.device.store_optimizer(self._optimizer, self._host_optimizer)
        self._optimizer = self._host_optimizer = None

    def close(self) -> None:
        """Write the optimizer state back, then the weights (once, on a resident device), and unbind."""
        if not self.open:
            return
        self.open = False
        try:
            self._store_optimizer()
        finally:
            for layer in self.leaves:
                layer.unbind()

    def __repr__(self) -> str:
        return f"<Session backend={self.backend!r} device={self.device!r} open={self.open}>"


@contextmanager
def hold(model: Any, backend: str) -> Iterator[Session]:
    """Run a block with ``model`` held on ``backend`` (re-entrant: an enclosing session is shared, whatever
    ``backend`` it was opened for). The model's ``_session`` attribute is the session while it is open."""
    session: Session | None = getattr(model, "_session", None)
    if session is not None:
        yield session
        return
    session = Session(model, backend)
    model._session = session
    try:
        session.start()
        yield session
    finally:
        model._session = None
        session.close()
