"""``DeviceTrainer``: a whole training step of a :class:`engine.models.Sequential` on the GPU.

The layers' own ``forward``/``backward`` go through :mod:`engine.ops`, which is NumPy in, NumPy out: with the
``cuda`` backend every op would copy its inputs to the device and its result back. The trainer instead keeps
the model's weights, the optimizer state and every activation on the device across batches:

* :meth:`DeviceTrainer.push` copies the weights (and optimizer state) of the model to the device,
* :meth:`DeviceTrainer.step` runs forward, loss, backward and the optimizer update on the device; the only
  copies are the batch (and its labels) in and two numbers (loss, accuracy) out,
* :meth:`DeviceTrainer.pull` copies the weights and optimizer state back into the model (in place).

It follows each layer's own semantics (Conv2D, the pooling layers, Flatten, Dense, Activation/ReLU/Softmax,
Dropout with the layer's own random stream), stops back-propagation at the lowest trainable layer as
``Sequential.backward`` does, and uses the model's compiled loss (sparse categorical cross-entropy fused on the
device; any other loss on the host, one output-sized copy) and optimizer (:mod:`engine.backends.cuda_train`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from engine import shapes
from engine.backends import cuda as cb
from engine.backends import cuda_kernels_train as ckt
from engine.backends import cuda_train as ct

__all__ = ["DeviceTrainer", "active_trainer", "device_session"]


def _leaves(model: Any) -> list[Any]:
    """The non-model layers of ``model`` in order (nested models are walked)."""
    out: list[Any] = []
    for layer in model.layers:
        out.extend(_leaves(layer) if hasattr(layer, "layers") else [layer])
    return out


class DeviceTrainer:
    """Train a compiled ``Sequential`` with its weights, optimizer state and activations held on the device.

    Parameters
    ----------
    model : a built and compiled :class:`engine.models.Sequential` (any nesting of frozen bases).

    Examples
    --------
    >>> trainer = DeviceTrainer(model)          # weights -> device
    >>> loss, acc = trainer.step(xb, yb, True)   # as Sequential._step: metrics measured before the update
    >>> trainer.pull()                           # weights and optimizer state -> model
    """

    def __init__(self, model: Any) -> None:
        if not getattr(model, "compiled", False):
            raise RuntimeError("call model.compile(optimizer=..., loss=...) before training on the device")
        if not model.built:
            raise RuntimeError(
                f"model {model.name!r} is not built yet: give it an input_shape or call it first"
            )
        self.model = model
        self.leaves = _leaves(model)
        self._known = {id(layer) for layer in self.leaves if self._kind(layer) is not None}
        for layer in self.leaves:
            if layer.params and id(layer) not in self._known:
                raise TypeError(
                    f"the cuda trainer does not know layer {layer.name!r} "
                    f"({type(layer).__name__}) which has weights"
                )
        self.params: dict[int, dict[str, Any]] = {}
        self.grads: dict[int, dict[str, Any]] = {}
        self.optimizer = ct.device_optimizer_like(model.optimizer)
        self.push()

    # -- host <-> device ------------------------------------------------------------------------------------
    def push(self) -> None:
        """Copy the model's weights and its optimizer's state to the device."""
        self.params = {
            id(layer): {k: cb.to_device(v) for k, v in layer.params.items()} for layer in self.leaves
        }
        self.optimizer.load_host_state(self.model.optimizer)

    def pull(self) -> None:
        """Copy the device weights and optimizer state back into the model (weights are updated in place)."""
        for layer in self.leaves:
            for k, d in self.params[id(layer)].items():
                layer.params[k][...] = d.copy_to_host()
        self.optimizer.store_host_state(self.model.optimizer)

    # -- the step ---------------------------------------------------------------------------------------------
    @staticmethod
    def _kind(layer: Any) -> str | None:
        from engine import layers as L
        from engine.layers.pooling import _GlobalPooling2D, _Pooling2D

        for kind, cls in (
            ("conv", L.Conv2D),
            ("dense", L.Dense),
            ("pool", _Pooling2D),
            ("global", _GlobalPooling2D),
            ("flatten", L.Flatten),
            ("act", L.Activation),
            ("dropout", L.Dropout),
        ):
            if isinstance(layer, cls):
                return kind
        return None

    def _bias(self, layer: Any, n: int) -> Any:
        p = self.params[id(layer)]
        return p["bias"] if "bias" in p else cb.zeros(n)

    def forward_layer(self, layer: Any, x: Any, training: bool, cache: dict[str, Any]) -> Any:
        """One layer's forward on the device; ``cache`` (a dict with ``"act": "linear"``) keeps what
        :meth:`backward_layer` needs."""
        kind = self._kind(layer) if id(layer) in self._known else None
        cache["x"] = x
        if kind == "conv":
            hw = (x.shape[1], x.shape[2])
            pads = shapes.resolve_padding(layer.padding, hw, layer.kernel_size, layer.strides)
            cache["pads"] = pads
            z = cb.conv2d(
                x,
                self.params[id(layer)]["kernel"],
                self._bias(layer, layer.filters),
                layer.strides,
                pads,
                layer.flip,
            )
            return self._activate(layer.activation, z, 0.2, cache)
        if kind == "dense":
            z = cb.dense(x, self.params[id(layer)]["kernel"], self._bias(layer, layer.units))
            return self._activate(layer.activation, z, 0.2, cache)
        if kind == "pool":
            hw = (x.shape[1], x.shape[2])
            cache["pads"] = shapes.resolve_padding(layer.padding, hw, layer.pool_size, layer.strides)
            return cb.pool2d(x, layer.pool_size, layer.strides, cache["pads"], layer.mode)
        if kind == "global":
            return cb.global_pool(x, layer.mode)
        if kind == "flatten":
            return x.reshape(x.shape[0], x.size // max(x.shape[0], 1))
        if kind == "act":
            return self._activate(layer.activation, x, layer.alpha, cache)
        if kind == "dropout":
            if not training or layer.rate == 0.0:
                cache["mask"] = None
                return x
            keep = np.float32(1.0 - layer.rate)
            draws = layer._rng.random(
                tuple(x.shape), dtype=np.float32
            )  # the layer's own stream, as on the CPU
            mask = cb.to_device(np.where(draws < keep, np.float32(1.0) / keep, np.float32(0.0)))
            cache["mask"] = mask
            return _multiply(x, mask)
        # a weightless layer the trainer does not know: run it on the host (one copy each way)
        return cb.to_device(layer.forward(cb.to_host(x), training=training))

    def _activate(self, name: str, z: Any, alpha: float, cache: dict[str, Any]) -> Any:
        cache["act"], cache["alpha"], cache["z"] = name, alpha, z
        cache["y"] = z if name == "linear" else cb.activation(name, z, alpha)
        return cache["y"]

    def backward_layer(self, layer: Any, dy: Any, need_dx: bool, cache: dict[str, Any]) -> Any:
        """One layer's backward on the device: returns ``dx`` (None without ``need_dx``) and stores its weight
        gradients in ``self.grads[id(layer)]``."""
        kind = self._kind(layer) if id(layer) in self._known else None
        if kind in ("conv", "dense", "act") and cache["act"] != "linear":
            dy = cb.activation_backward(cache["act"], cache["z"], cache["y"], dy, cache["alpha"])
        if kind == "conv":
            dx, dw, db = cb.conv2d_backward(
                cache["x"],
                self.params[id(layer)]["kernel"],
                dy,
                layer.strides,
                cache["pads"],
                layer.flip,
                need_dx,
            )
            self.grads[id(layer)] = {"kernel": dw, "bias": db}
            return dx
        if kind == "dense":
            dx, dw, db = cb.dense_backward(cache["x"], self.params[id(layer)]["kernel"], dy)
            self.grads[id(layer)] = {"kernel": dw, "bias": db}
            return dx
        if not need_dx:
            return None
        x = cache["x"]
        if kind == "pool":
            return cb.pool2d_backward(x, dy, layer.pool_size, layer.strides, cache["pads"], layer.mode)
        if kind == "global":
            return cb.global_pool_backward(x, dy, layer.mode)
        if kind == "flatten":
            return dy.reshape(tuple(x.shape))
        if kind == "act":
            return dy
        if kind == "dropout":
            return dy if cache["mask"] is None else _multiply(dy, cache["mask"])
        return cb.to_device(layer.backward(cb.to_host(dy), need_dx=True))

    def _loss(self, out: Any, yb: np.ndarray) -> tuple[Any, Any, Any] | tuple[float, float, Any]:
        from engine import losses

        loss = self.model.loss
        if isinstance(loss, losses.SparseCategoricalCrossentropy):
            fused = (
                ct.sparse_softmax_cross_entropy if loss.from_logits else ct.sparse_cross_entropy_from_probs
            )
            losses_d, correct_d, grad = fused(out, np.asarray(yb))
            value, acc = ct.batch_metrics(losses_d, correct_d)
            return value, acc, grad
        host_out = cb.to_host(out)  # other losses: computed on the host (an output-sized copy)
        value, grad = loss.forward_backward(yb, host_out)
        return float(value), float(loss.accuracy(yb, host_out)), cb.to_device(grad)

    def _lowest_trainable(self) -> int | None:
        trainable = {id(layer) for _, layer, _ in self.model.trainable_slots()}
        for i, layer in enumerate(self.leaves):
            if id(layer) in trainable:
                return i
        return None

    def step(self, xb: Any, yb: Any, train: bool = True) -> tuple[float, float]:
        """One batch: ``(loss, accuracy)`` measured before the update, as ``Sequential._step`` returns them.

        ``xb`` ``(B, ...)`` NumPy or device; ``yb`` the prepared targets (``model._prepare_y``). With ``train``
        the gradients are back-propagated and the optimizer updates the device weights, unless the loss is
        NaN/inf (then nothing changes, as on the CPU).
        """
        x = cb.to_device(xb)
        caches: list[dict[str, Any]] = []
        for layer in self.leaves:
            cache: dict[str, Any] = {"act": "linear"}
            x = self.forward_layer(layer, x, train, cache)
            caches.append(cache)
        value, acc, grad = self._loss(x, np.asarray(yb))
        if not self.model.metrics:
            acc = float("nan")
        if not train or not np.isfinite(value):
            return value, acc
        lowest = self._lowest_trainable()
        if lowest is None:
            return value, acc
        self.grads = {}
        dy = grad
        for i in range(len(self.leaves) - 1, lowest - 1, -1):
            dy = self.backward_layer(self.leaves[i], dy, i > lowest, caches[i])
        slots = self.model.trainable_slots()
        self.optimizer.step(
            [self.params[id(layer)][k] for _, layer, k in slots],
            [self.grads[id(layer)][k] for _, layer, k in slots],
            [key for key, _, _ in slots],
        )
        return value, acc

    def predict(self, xb: Any) -> np.ndarray:
        """The model's output for one batch (inference mode), computed with the device weights."""
        x = cb.to_device(xb)
        for layer in self.leaves:
            x = self.forward_layer(layer, x, False, {"act": "linear"})
        return cb.to_host(x)


class _Session:
    """What :func:`device_session` attaches to a model: the trainer, made on the first batch."""

    def __init__(self) -> None:
        self.trainer: DeviceTrainer | None = None


@contextmanager
def device_session(model: Any) -> Iterator[None]:
    """Keep ``model`` on the device for the duration of a ``with`` block (re-entrant; nested blocks share it).

    Inside, :func:`active_trainer` gives the model's :class:`DeviceTrainer`, created (weights and optimizer
    state pushed to the device) on the first batch; on exit they are pulled back into the model, so outside
    the block the model's NumPy weights are current. The training loop wraps ``fit``, ``train_on_batch``,
    ``test_on_batch`` and ``evaluate`` in it when the backend is ``cuda``.
    """
    if getattr(model, "_cuda_session", None) is not None:
        yield
        return
    session = _Session()
    model._cuda_session = session
    try:
        yield
    finally:
        model._cuda_session = None
        if session.trainer is not None:
            session.trainer.pull()


def active_trainer(model: Any) -> DeviceTrainer | None:
    """The model's device trainer inside a :func:`device_session` (made on first use), else None."""
    session = getattr(model, "_cuda_session", None)
    if session is None:
        return None
    if session.trainer is None:
        session.trainer = DeviceTrainer(model)
    return session.trainer


def _multiply(a: Any, b: Any) -> Any:
    out = cb.zeros(tuple(a.shape))
    cb.launch_1d(ckt.multiply_kernel, out.size, a.reshape(a.size), b.reshape(b.size), out.reshape(out.size))
    return out
