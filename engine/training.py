"""Training, evaluation and inspection for :class:`engine.models.Sequential` (mixed into it).

The loop per batch: gather the batch into a reused buffer, optional augmentation, forward (training mode), loss
and its gradient, backward (stopping at the lowest trainable layer, whose ``dx`` is skipped), optimizer step,
callbacks. A NaN/inf loss stops training before the weights are touched, and says so in ``History``.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine import config
from engine import losses as losses_mod
from engine import optimizers as optimizers_mod
from engine.callbacks import Callback, CallbackList, History, ProgbarLogger, format_metrics
from engine.inference import kernel_input, plan_for
from engine.progress import progress_bar

_ACCURACY = ("accuracy", "acc")


@dataclass
class LayerGradients:
    """Gradients of one layer for one batch (what the GUI shows).

    ``output``: ``dL/d(layer output)``, shaped like the output ``(N, ...)``; ``input``: ``dL/d(layer input)``;
    ``weights``: ``{"kernel": dL/dW, "bias": dL/db}`` (empty for layers without weights).
    """

    name: str
    output: np.ndarray
    input: np.ndarray | None
    weights: dict[str, np.ndarray] = field(default_factory=dict)


def _on_backend(device_session: bool = False) -> Callable:
    """Run the decorated method on the model's own backend (``Sequential(backend=...)``) if it has one.

    With ``device_session`` and the ``cuda`` backend, the method runs in a device session: weights, optimizer
    state and activations stay on the GPU across its batches and come back into the model when it returns.
    """

    def decorate(method: Callable) -> Callable:
        @functools.wraps(method)
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            own = getattr(self, "backend", None)
            if own is None and not (device_session and config.get("backend") == "cuda"):
                return method(self, *args, **kwargs)  # nothing to switch: skip the context managers (~3 us)
            with ExitStack() as stack:
                stack.enter_context(config.using_backend(own))
                if device_session and config.get("backend") == "cuda":
                    from engine.backends.cuda_trainer import device_session as session

                    stack.enter_context(session(self))
                return method(self, *args, **kwargs)

        return wrapper

    return decorate


#: activations whose outputs are probabilities (rows summing to 1 for softmax, one probability for sigmoid)
PROBABILITY_ACTIVATIONS = ("softmax", "sigmoid")


def output_kind(model: Any) -> str:
    """``"probabilities"`` when ``model``'s last value-changing layer ends in a softmax or sigmoid, else
    ``"logits"`` (see :attr:`TrainingMixin.output_kind`)."""
    for _, layer in reversed(list(model.iter_leaves())):
        activation = getattr(layer, "activation", None)
        if activation in PROBABILITY_ACTIVATIONS:
            return "probabilities"
        if activation not in (None, "linear") or layer.params:
            return "logits"
        if activation is None and type(layer).__name__ not in _PASS_THROUGH:
            return "logits"
    return "logits"


#: layers that neither compute a score nor normalise one: look through them to the layer before
_PASS_THROUGH = ("Flatten", "Dropout")


def softmax_rows(z: Any) -> np.ndarray:
    """Softmax over the last axis of ``z`` (``(N, K)`` logits), shifted by the row maximum so ``exp`` never
    overflows; float32."""
    z64 = np.asarray(z, dtype=np.float64)
    e = np.exp(z64 - z64.max(axis=-1, keepdims=True))
    return (e / e.sum(axis=-1, keepdims=True)).astype(np.float32)


def _positive_int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not hasattr(value, "__index__") or int(value) < 1:
        raise ValueError(f"{name} must be a positive int. Received: {name}={value!r}")
    return int(value)


class TrainingMixin:
    """compile / fit / evaluate / predict / train_on_batch / test_on_batch / activations / gradients / save."""

    def _init_training(self) -> None:
        self.optimizer: optimizers_mod.Optimizer | None = None
        self.loss: losses_mod.Loss | None = None
        self.metrics: list[str] = []
        self.compiled = False
        self.stop_training = False
        self.stop_reason: str | None = None
        self.history: History | None = None
        self._buffer: np.ndarray | None = None

    # -- setup ------------------------------------------------------------------------------------------------
    def compile(self, optimizer: Any = "rmsprop", loss: Any = None, metrics: list[str] | None = None) -> None:
        """Choose the optimizer (instance or ``"adam"``/``"sgd"``/``"rmsprop"``), the loss (instance or name)
        and the metrics (``["accuracy"]`` or none)."""
        if loss is None:
            raise ValueError("compile needs a loss, e.g. loss='sparse_categorical_crossentropy'")
        metrics = list(metrics) if metrics is not None else []
        for m in metrics:
            if m not in _ACCURACY:
                raise ValueError(f"metrics may only hold 'accuracy'. Received: metrics={metrics!r}")
        self.optimizer = optimizers_mod.get(optimizer)
        self.loss = losses_mod.get(loss)
        self.metrics = ["accuracy"] if metrics else []
        self.compiled = True

    def _require_compiled(self, what: str) -> None:
        if not self.compiled:
            raise RuntimeError(f"call model.compile(optimizer=..., loss=...) before {what}")

    def _prepare_x(self, x: Any, name: str = "x") -> np.ndarray:
        xa = np.asarray(x)
        if not (np.issubdtype(xa.dtype, np.number) or xa.dtype == np.bool_):
            raise TypeError(f"{name} must be a numeric array. Received dtype: {xa.dtype}")
        shape = self.layers[0].input_shape if self.layers else None  # type: ignore[attr-defined]
        if shape is not None and xa.ndim == len(shape) and shape[-1] == 1 and xa.shape[-1] != 1:
            xa = xa[..., None]  # (N, H, W) grayscale -> (N, H, W, 1)
        if shape is not None:
            if xa.ndim != len(shape) + 1 or any(
                s is not None and s != d for s, d in zip(shape, xa.shape[1:])
            ):
                raise ValueError(
                    f"{name} must have shape (N, {', '.join('?' if s is None else str(s) for s in shape)}) "
                    f"for model {self.name!r}. Received shape: {xa.shape}"
                )  # type: ignore[attr-defined]
        elif xa.ndim < 2:
            raise ValueError(f"{name} must have a batch axis, e.g. (N, H, W, C). Received shape: {xa.shape}")
        if not self.built:  # type: ignore[attr-defined]
            self.build(xa.shape[1:])  # type: ignore[attr-defined]
        return np.ascontiguousarray(xa, dtype=np.float32)

    def _prepare_y(self, y: Any, n: int, name: str = "y") -> np.ndarray:
        assert self.loss is not None
        out_shape = self.output_shape  # type: ignore[attr-defined]
        ya = self.loss.prepare_targets(y, out_shape[-1] if out_shape else None)
        if ya.shape[0] != n:
            raise ValueError(
                f"x and {name} must have the same number of samples. Received: {n} and {ya.shape[0]}"
            )
        return ya

    # -- one step ---------------------------------------------------------------------------------------------
    def _step(self, xb: np.ndarray, yb: np.ndarray, train: bool) -> tuple[float, float]:
        assert self.loss is not None and self.optimizer is not None
        if config.get("backend") == "cuda":
            from engine.backends.cuda_trainer import active_trainer

            trainer = active_trainer(self)
            if trainer is not None:
                return trainer.step(xb, yb, train)
        out = self.forward(xb, training=train)  # type: ignore[attr-defined]
        loss, grad = self.loss.forward_backward(yb, out)
        acc = self.loss.accuracy(yb, out) if self.metrics else float("nan")
        if train and np.isfinite(loss):
            self.backward(grad, need_dx=False)  # type: ignore[attr-defined]
            self.optimizer.apply_gradients(
                [(key, layer.grads[k], layer.params[k]) for key, layer, k in self.trainable_slots()]
            )  # type: ignore[attr-defined]
        return loss, acc

    @_on_backend(device_session=True)
    def train_on_batch(self, x: Any, y: Any) -> dict[str, float]:
        """One optimizer step on one batch: ``{"loss", "accuracy"}`` (measured before the step)."""
        self._require_compiled("train_on_batch")
        xa = self._prepare_x(x)
        loss, acc = self._step(xa, self._prepare_y(y, xa.shape[0]), True)
        return {"loss": loss, "accuracy": acc}

    @_on_backend(device_session=True)
    def test_on_batch(self, x: Any, y: Any) -> dict[str, float]:
        """Loss and accuracy on one batch, without training."""
        self._require_compiled("test_on_batch")
        xa = self._prepare_x(x)
        loss, acc = self._step(xa, self._prepare_y(y, xa.shape[0]), False)
        return {"loss": loss, "accuracy": acc}

    # -- fit --------------------------------------------------------------------------------------------------
    @_on_backend(device_session=True)
    def fit(
        self,
        x: Any,
        y: Any,
        epochs: int = 1,
        batch_size: int = 32,
        validation_data: Any = None,
        shuffle: bool = True,
        callbacks: list[Callback] | None = None,
        verbose: int = 1,
        seed: int | None = None,
        augment: Any = None,
        validation_split: float = 0.0,
        initial_epoch: int = 0,
    ) -> History:
        """Train for ``epochs`` passes over ``(x, y)`` in mini-batches; returns a :class:`History`.

        Parameters
        ----------
        x : images ``(N, H, W, C)`` (``(N, H, W)`` for one channel), any numeric dtype (kept as given: scale
            to ``[0, 1]`` yourself, as the lesson does with ``/ 255.0``).
        y : targets for the loss (class labels ``(N,)`` for sparse cross-entropy).
        validation_data : ``(x_val, y_val)`` evaluated after each epoch (``val_loss``, ``val_accuracy``).
        shuffle : reshuffle the samples every epoch.
        callbacks : :class:`engine.callbacks.Callback` objects; ``model.stop_training = True`` stops between
            batches.
        verbose : 0 silent, 1 a progress bar per epoch (stderr), 2 one line per epoch.
        seed : seeds shuffling and dropout; with it two runs from the same weights give identical weights.
        augment : an object with ``apply(x_batch) -> x_batch`` called on every training batch.
        validation_split : fraction of ``(x, y)`` (the last samples) held out for validation.
        """
        self._require_compiled("fit")
        epochs = int(epochs)
        if epochs < 0:
            raise ValueError(f"epochs must be >= 0. Received: epochs={epochs}")
        batch_size = _positive_int(batch_size, "batch_size")
        if verbose not in (0, 1, 2):
            raise ValueError(f"verbose must be 0, 1 or 2. Received: verbose={verbose!r}")
        if augment is not None and not callable(getattr(augment, "apply", None)):
            raise TypeError(f"augment must have an apply(x_batch) method. Received: {type(augment).__name__}")
        xa = self._prepare_x(x)
        ya = self._prepare_y(y, xa.shape[0])
        if not 0.0 <= float(validation_split) < 1.0:
            raise ValueError(
                f"validation_split must be in [0, 1). Received: validation_split={validation_split!r}"
            )
        if validation_split and validation_data is None:
            cut = int(round(xa.shape[0] * (1.0 - float(validation_split))))
            xa, ya, validation_data = xa[:cut], ya[:cut], (xa[cut:], ya[cut:])
        val = None
        if validation_data is not None:
            if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
                raise ValueError("validation_data must be a pair (x_val, y_val)")
            xv = self._prepare_x(validation_data[0], "validation_data[0]")
            val = (xv, self._prepare_y(validation_data[1], xv.shape[0], "validation_data[1]"))
        n = xa.shape[0]
        if n == 0:
            raise ValueError("x is empty: fit needs at least one sample")
        rng = np.random.default_rng(seed)
        if seed is not None:
            self.reseed(np.random.default_rng([int(seed), 1]))  # type: ignore[attr-defined]
        steps = -(-n // batch_size)
        history = History()
        cbs = CallbackList([history, *(callbacks or []), *([ProgbarLogger(verbose)] if verbose else [])])
        cbs.set_model(self)
        cbs.set_params(
            {
                "epochs": initial_epoch + epochs,
                "steps": steps,
                "batch_size": batch_size,
                "samples": n,
                "verbose": verbose,
            }
        )
        self.history = history
        self.stop_training = False
        self.stop_reason = None
        buf = self._batch_buffer(min(batch_size, n), xa.shape[1:])
        cbs.on_train_begin({})
        for epoch in range(initial_epoch, initial_epoch + epochs):
            order = rng.permutation(n) if shuffle else np.arange(n)
            cbs.on_epoch_begin(epoch, {})
            t0 = time.perf_counter()
            total_loss = total_acc = 0.0
            seen = 0
            for b in range(steps):
                idx = order[b * batch_size : (b + 1) * batch_size]
                xb = np.take(xa, idx, axis=0, out=buf[: idx.size])  # (B, H, W, C)
                if augment is not None:
                    xb = np.ascontiguousarray(augment.apply(xb), dtype=np.float32)
                loss, acc = self._step(xb, ya[idx], True)
                seen += idx.size
                total_loss += loss * idx.size
                total_acc += acc * idx.size
                logs = {
                    "batch": b,
                    "epoch": epoch,
                    "size": int(idx.size),
                    "loss": total_loss / seen,
                    "accuracy": total_acc / seen,
                    "batch_loss": loss,
                    "images_per_second": seen / max(time.perf_counter() - t0, 1e-9),
                }
                if not np.isfinite(loss):
                    self.stop_training = True
                    self.stop_reason = (
                        f"Training stopped: the loss became {loss} at epoch {epoch + 1}, batch {b + 1}. "
                        "The weights were not updated with it. Try a lower learning rate "
                        f"(now {self.optimizer.learning_rate:g}) or check the inputs for NaN/inf values."  # type: ignore[union-attr]
                    )
                    logs["stopped_reason"] = self.stop_reason
                cbs.on_batch_end(b, logs)
                if self.stop_training:
                    break
            elapsed = time.perf_counter() - t0
            epoch_logs: dict[str, Any] = {
                "loss": total_loss / max(seen, 1),
                "epoch": epoch,
                "seconds": elapsed,
                "images_per_second": seen / max(elapsed, 1e-9),
            }
            if self.metrics:
                epoch_logs["accuracy"] = total_acc / max(seen, 1)
            if val is not None and not (self.stop_reason and "loss became" in self.stop_reason):
                vl, va = self._evaluate_arrays(val[0], val[1], batch_size)
                epoch_logs["val_loss"] = vl
                if self.metrics:
                    epoch_logs["val_accuracy"] = va
            cbs.on_epoch_end(epoch, epoch_logs)
            if self.stop_training:
                if self.stop_reason is None:
                    self.stop_reason = f"Training stopped on request at epoch {epoch + 1}."
                break
        history.stopped_reason = self.stop_reason
        cbs.on_train_end({"stopped_reason": self.stop_reason})
        return history

    def _batch_buffer(self, batch: int, sample_shape: tuple[int, ...]) -> np.ndarray:
        shape = (batch, *sample_shape)
        if self._buffer is None or self._buffer.shape[0] < batch or self._buffer.shape[1:] != sample_shape:
            self._buffer = np.empty(shape, np.float32)
        return self._buffer

    # -- evaluate / predict -----------------------------------------------------------------------------------
    def _evaluate_arrays(
        self, xa: np.ndarray, ya: np.ndarray, batch_size: int, bar: Any = None
    ) -> tuple[float, float]:
        total_loss = total_acc = 0.0
        for start in range(0, xa.shape[0], batch_size):
            xb, yb = xa[start : start + batch_size], ya[start : start + batch_size]
            loss, acc = self._step(xb, yb, False)
            total_loss += loss * xb.shape[0]
            total_acc += acc * xb.shape[0]
            if bar is not None:
                bar.update(1)
        n = max(xa.shape[0], 1)
        return total_loss / n, total_acc / n

    @_on_backend(device_session=True)
    def evaluate(self, x: Any, y: Any, batch_size: int = 32, verbose: int = 1) -> Any:
        """Loss and accuracy on ``(x, y)``: ``[loss, accuracy]`` (just ``loss`` when compiled without metrics).
        ``verbose=2`` prints one line, as in the lesson's ``model.evaluate(test_images, test_labels, verbose=2)``."""
        self._require_compiled("evaluate")
        batch_size = _positive_int(batch_size, "batch_size")
        xa = self._prepare_x(x)
        ya = self._prepare_y(y, xa.shape[0])
        steps = -(-xa.shape[0] // batch_size)
        t0 = time.perf_counter()
        bar = None
        if verbose == 1:
            bar = progress_bar(steps, "Evaluate")
        loss, acc = self._evaluate_arrays(xa, ya, batch_size, bar)
        logs = {"loss": loss, **({"accuracy": acc} if self.metrics else {})}
        if bar is not None:
            bar.set_postfix_str(format_metrics(logs))
            bar.close()
        elif verbose == 2:
            print(f"{steps}/{steps} - {time.perf_counter() - t0:.0f}s - {format_metrics(logs)}", flush=True)
        return [loss, acc] if self.metrics else loss

    @_on_backend()
    def predict(self, x: Any, batch_size: int = 32, verbose: int = 0) -> np.ndarray:
        """Model outputs for ``x`` ``(N, ...)``, computed ``batch_size`` at a time (inference mode)."""
        batch_size = _positive_int(batch_size, "batch_size")
        xa = kernel_input(self._prepare_x(x))
        plan = plan_for(self, xa.shape[1:], config.get("backend"))
        out: np.ndarray | None = None
        for start in range(0, xa.shape[0], batch_size):
            yb = plan.run(xa[start : start + batch_size])
            if out is None:
                out = np.empty((xa.shape[0], *yb.shape[1:]), np.float32)
            out[start : start + yb.shape[0]] = yb
        if out is None:
            return np.empty((0, *(d or 0 for d in self.output_shape)), np.float32)  # type: ignore[attr-defined]
        return out

    __call__ = predict

    @property
    def output_kind(self) -> str:
        """What the model's outputs are: ``"probabilities"`` or ``"logits"``, decided once, here.

        The last layer that changes values decides: a softmax or sigmoid activation gives probabilities; any
        other (a linear ``Dense(10)``, the lesson's last layer) gives logits, the raw scores that
        ``SparseCategoricalCrossentropy(from_logits=True)`` expects. Layers that only move or drop values
        (Flatten, Dropout, a linear ``Activation``) are looked through.
        """
        return output_kind(self)

    def predict_proba(self, x: Any, batch_size: int = 32) -> np.ndarray:
        """Class probabilities for ``x``: :meth:`predict`, then a softmax over the last axis when the model
        outputs logits (see :attr:`output_kind`); rows sum to 1. ``(N, K)`` float32."""
        out = self.predict(x, batch_size=batch_size)
        return out if self.output_kind == "probabilities" else softmax_rows(out)

    # -- inspection -------------------------------------------------------------------------------------------
    @_on_backend()
    def activations(self, x: Any) -> list[tuple[str, np.ndarray]]:
        """Every layer's output (after its activation) for the batch ``x``: ``[(layer_name, array), ...]``.
        Layers of a nested model are named ``"base/conv2d"``. A single image (no batch axis) is accepted."""
        xa = np.asarray(x)
        shape = self.layers[0].input_shape if self.layers else None  # type: ignore[attr-defined]
        if shape is not None and xa.ndim == len(shape) and not (shape[-1] == 1 and xa.shape[-1] != 1):
            xa = xa[None]
        xa = kernel_input(self._prepare_x(xa))
        return plan_for(self, xa.shape[1:], config.get("backend")).run_all(xa)

    @_on_backend()
    def gradients(self, x: Any, y: Any, loss: Any = None) -> list[LayerGradients]:
        """Gradients for one batch without changing any weight: per layer (input to output order) the gradient
        of the loss w.r.t. its output, its input and its weights. Uses the compiled loss unless ``loss`` is given."""
        loss_fn = losses_mod.get(loss) if loss is not None else self.loss
        if loss_fn is None:
            raise RuntimeError("gradients needs a loss: compile the model or pass loss=...")
        saved, self.loss = self.loss, loss_fn
        try:
            xa = self._prepare_x(x)
            ya = self._prepare_y(y, xa.shape[0])
        finally:
            self.loss = saved
        leaves = list(self.iter_leaves())  # type: ignore[attr-defined]
        out = xa
        for _, layer in leaves:
            out = layer.forward(out, training=False)
        _, dy = loss_fn.forward_backward(ya, out)
        result = []
        for name, layer in reversed(leaves):
            dx = layer.backward(dy, need_dx=True)
            result.append(LayerGradients(name, dy, dx, {k: np.array(g) for k, g in layer.grads.items()}))
            dy = dx
        return result[::-1]

    # -- files ------------------------------------------------------------------------------------------------
    def save(self, path: Any, metadata: dict[str, Any] | None = None) -> None:
        """Write weights, architecture and optimizer state to one ``.npz`` (no pickle), atomically.

        ``metadata``: a JSON-able dict stored beside them (the CLI keeps the class names and the data set
        there); read it back with :func:`engine.saving.read_metadata`.
        """
        from engine.saving import OptimizerState, write_model_file

        model: Any = self  # a Sequential: the structure (built, weights, config) comes from the layer side
        if not model.built:
            raise ValueError(
                f"model {model.name!r} is not built yet: nothing to save (give it an input_shape)"
            )
        compile_config, state = None, None
        if self.compiled:
            assert self.optimizer is not None and self.loss is not None
            compile_config = {
                "optimizer": optimizers_mod.serialize(self.optimizer),
                "loss": losses_mod.serialize(self.loss),
                "metrics": list(self.metrics),
            }
            state = OptimizerState(self.optimizer.iterations, dict(self.optimizer.state))
        write_model_file(path, model.get_config(), model.get_weights(), compile_config, state, metadata)
