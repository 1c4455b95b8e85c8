"""Training, evaluation and inspection for :class:`engine.models.Sequential` (mixed into it).

One training loop: :meth:`TrainingMixin.fit_steps` is a generator that trains one batch per ``next()`` and
yields what happened (see :mod:`engine.fitting` for the dicts); :meth:`TrainingMixin.fit` consumes it; the
GUI's engine thread drives it one batch at a time (``gui.workers.training_steps``). The loop per batch: gather
the batch into a reused buffer, optional augmentation, forward (training mode), loss and its gradient,
backward (stopping at the lowest trainable layer, whose ``dx`` is skipped), optimizer step, the layers'
moving statistics (:meth:`engine.layers.Layer.finish_step`), callbacks. A NaN/inf loss stops training before
the weights (moving statistics included) are touched, and says so in ``History``.

Every run holds the model on its tier (:mod:`engine.session`): on cuda the weights and the optimizer state
are copied to the device once per run and back once. Nothing here depends on which tier it is.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine import config
from engine import losses as losses_mod
from engine import optimizers as optimizers_mod
from engine.backends.contract import PROBABILITY_ACTIVATIONS
from engine.callbacks import Callback, History, format_metrics
from engine.fit_arguments import check_callbacks, check_epochs, check_loss_fits_outputs, require_samples
from engine.fitting import FitRun, run_fit
from engine.inference import kernel_input, plan_for
from engine.progress import progress_bar
from engine.session import Session, hold

__all__ = ["LayerGradients", "TrainingMixin", "output_kind", "softmax_rows"]

_ACCURACY = ("accuracy", "acc")

#: layers that neither compute a score nor normalise one: look through them to the layer before
_PASS_THROUGH = ("Flatten", "Dropout")


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


def _on_model_backend(method: Callable[..., Any]) -> Callable[..., Any]:
    """Run an inference method on the model's own backend (``Sequential(backend=...)``) if it has one; inside
    a session the layers are bound to the session's tier already, so nothing is switched."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        own = self.backend
        if own is None or self._session is not None or own == config.get("backend"):
            return method(self, *args, **kwargs)  # nothing to switch: skip the context manager (~2 us)
        with config.using_backend(own):
            return method(self, *args, **kwargs)

    return wrapper


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
    """compile / fit / fit_steps / evaluate / predict / train_on_batch / test_on_batch / activations /
    gradients / save. The host class provides the structure (``layers``, ``forward``, ``backward``,
    ``iter_leaves``...)."""

    # provided by engine.models.Sequential
    name: str
    built: bool
    layers: list[Any]
    backend: str | None
    output_shape: tuple[Any, ...] | None
    _session: Session | None
    forward: Callable[..., Any]
    backward: Callable[..., Any]
    build: Callable[..., None]
    compute_output_shape: Callable[[tuple[Any, ...]], tuple[Any, ...]]
    iter_leaves: Callable[..., Any]
    trainable_slots: Callable[[], list[tuple[str, Any, str]]]
    reseed: Callable[[np.random.Generator], None]
    finish_step: Callable[[], None]

    def _init_training(self) -> None:
        self.optimizer: optimizers_mod.Optimizer | None = None
        self.loss: losses_mod.Loss | None = None
        self.metrics: list[str] = []
        self.compiled = False
        self._loss_checked = False  # whether the loss was compared with the outputs (once built)
        self.stop_training = False
        self.stop_reason: str | None = None
        self.history: History | None = None

    # -- setup -----------------------------------------------------------------------------------------------
    def compile(self, optimizer: Any = "rmsprop", loss: Any = None, metrics: list[str] | None = None) -> None:
        """Choose the optimizer (instance or ``"adam"``/``"sgd"``/``"rmsprop"``), the loss (instance or name)
        and the metrics (``["accuracy"]`` or none).

        A cross-entropy whose ``from_logits`` does not match :attr:`output_kind`
        (``"sparse_categorical_crossentropy"`` on a model ending in a linear ``Dense``) gives a
        ``UserWarning``, as in Keras: here when the model is built, else when ``fit`` builds it."""
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
        self._loss_checked = False
        if self.built:
            self._check_loss(stacklevel=4)

    def _check_loss(self, stacklevel: int) -> None:
        """Compare the loss with :attr:`output_kind` once (see :meth:`compile`)."""
        if not self._loss_checked and self.loss is not None:
            self._loss_checked = True
            check_loss_fits_outputs(self.loss, self.output_kind, self.name, stacklevel)

    def _require_compiled(self, what: str) -> None:
        if not self.compiled:
            raise RuntimeError(f"call model.compile(optimizer=..., loss=...) before {what}")

    def _prepare_x(self, x: Any, name: str = "x") -> np.ndarray:
        """``x`` as float32 C-contiguous ``(N, *input_shape)``, checked against every layer once (a clear,
        located error when an image is too small for a layer of a model with unknown sizes)."""
        xa = np.asarray(x)
        if not (np.issubdtype(xa.dtype, np.number) or xa.dtype == np.bool_):
            raise TypeError(f"{name} must be a numeric array. Received dtype: {xa.dtype}")
        if xa.dtype.kind == "c":  # casting would drop the imaginary part with only a ComplexWarning
            raise TypeError(f"{name} must be real-valued. Received dtype: {xa.dtype}")
        shape = self.layers[0].input_shape if self.layers else None
        if shape is not None and xa.ndim == len(shape) and shape[-1] == 1 and xa.shape[-1] != 1:
            xa = xa[..., None]  # (N, H, W) grayscale -> (N, H, W, 1)
        if shape is not None:
            if (
                xa.ndim != len(shape) + 1
                or any(  # (the ndim test makes the zip's lengths equal)
                    s is not None and s != d for s, d in zip(shape, xa.shape[1:], strict=False)
                )
            ):
                raise ValueError(
                    f"{name} must have shape (N, {', '.join('?' if s is None else str(s) for s in shape)}) "
                    f"for model {self.name!r}. Received shape: {xa.shape}"
                )
        elif xa.ndim < 2:
            raise ValueError(f"{name} must have a batch axis, e.g. (N, H, W, C). Received shape: {xa.shape}")
        if 0 in xa.shape[1:]:
            raise ValueError(
                f"{name} has an empty axis: every size after the batch must be >= 1. "
                f"Received shape: {xa.shape}"
            )
        if not self.built:
            self.build(xa.shape[1:])
        elif shape is not None and None in shape:
            self.compute_output_shape(xa.shape[1:])
        return np.ascontiguousarray(xa, dtype=np.float32)

    def _prepare_y(self, y: Any, n: int, name: str = "y") -> np.ndarray:
        assert self.loss is not None
        out_shape = self.output_shape
        try:
            ya = self.loss.prepare_targets(y, out_shape[-1] if out_shape else None)
        except ValueError as exc:
            raise ValueError(f"{name}: {exc}") from None
        if ya.shape[0] != n:
            raise ValueError(
                f"x and {name} must have the same number of samples. Received: {n} and {ya.shape[0]}"
            )
        return ya

    def _backend_name(self) -> str:
        """The tier a run of this model uses: its open session's, its own, or the one engine.config chose."""
        if self._session is not None:
            return self._session.backend
        return self.backend or str(config.get("backend"))

    # -- one batch -------------------------------------------------------------------------------------------
    def _batch(self, session: Session, xb: np.ndarray, yb: np.ndarray, train: bool) -> tuple[float, float]:
        """Loss and accuracy of one batch (measured before the update); with ``train`` one optimizer step,
        unless the loss is NaN/inf (then nothing changes)."""
        assert self.loss is not None and self.optimizer is not None
        device = session.device
        out = self.forward(device.to_device(xb), training=train)
        loss, acc, grad = device.loss_and_grad(self.loss, yb, out, bool(self.metrics))
        if train and np.isfinite(loss):
            self.backward(grad, need_dx=False)
            session.optimizer(self.optimizer).apply_gradients(
                [(key, layer.grads[k], layer.live_params[k]) for key, layer, k in self.trainable_slots()]
            )
            self.finish_step()  # moving statistics (BatchNormalization) after a step that counted
        return loss, acc

    def train_on_batch(self, x: Any, y: Any) -> dict[str, float]:
        """One optimizer step on one batch: ``{"loss", "accuracy"}`` (measured before the step)."""
        self._require_compiled("train_on_batch")
        xa = self._prepare_x(x)
        ya = self._prepare_y(y, xa.shape[0])
        with hold(self, self._backend_name()) as session:
            loss, acc = self._batch(session, xa, ya, True)
        return {"loss": loss, "accuracy": acc}

    def test_on_batch(self, x: Any, y: Any) -> dict[str, float]:
        """Loss and accuracy on one batch, without training."""
        self._require_compiled("test_on_batch")
        xa = self._prepare_x(x)
        ya = self._prepare_y(y, xa.shape[0])
        with hold(self, self._backend_name()) as session:
            loss, acc = self._batch(session, xa, ya, False)
        return {"loss": loss, "accuracy": acc}

    # -- fit -------------------------------------------------------------------------------------------------
    def fit_steps(
        self,
        x: Any,
        y: Any,
        epochs: int = 1,
        batch_size: int = 32,
        validation_data: Any = None,
        shuffle: bool = True,
        seed: int | None = None,
        augment: Any = None,
        validation_split: float = 0.0,
        initial_epoch: int = 0,
        callbacks: list[Callback] | None = None,
    ) -> Generator[dict[str, Any], None, None]:
        """Train like :meth:`fit`, one batch per ``next()``: a generator of what happened.

        The arguments are checked now (a ``ValueError``/``TypeError`` here, not at the first ``next()``). Each
        ``next()`` trains one batch and yields ``{"kind": "batch", "epoch", "batch", "step", "steps", "size",
        "loss", "accuracy", "batch_loss", "batch_accuracy", "batch_seconds", "images_per_second"}`` (``loss``
        and ``accuracy``: running means over the epoch; ``step``: batches so far in the run, from 1;
        ``steps``: batches per epoch); after an epoch's last batch the next ``next()`` yields
        ``{"kind": "epoch", "epoch", "step", "loss", "accuracy", "val_loss", "val_accuracy", "seconds",
        "images_per_second"}`` (``accuracy`` with metrics, ``val_*`` with validation data). A NaN/inf loss
        (the weights untouched) or a stop request (``model.stop_training = True`` from a callback) yields
        ``{"kind": "stopped", "cause": "nan_loss" | "request", "reason", "epoch", "batch", "step", "loss"}``
        and the generator ends. Speeds and ``seconds`` count only time spent inside the generator (a paused
        GUI run does not slow them down).

        The run holds the model on its tier from the first ``next()`` to the end (or ``close()``): on cuda the
        weights and the optimizer state are copied to the device once and back once, and between two
        ``next()`` calls :meth:`get_weights`, :meth:`predict` and :meth:`predict_proba` see the current
        weights. Closing the generator early ends the run as a completed one does: callbacks'
        ``on_train_end`` runs and the weights are back in the model's arrays. ``self.history`` is the run's
        :class:`History` (``stopped_reason`` set when it ended early).

        Parameters
        ----------
        x, y, epochs, batch_size, validation_data, shuffle, seed, augment, validation_split, initial_epoch,
        callbacks : as for :meth:`fit`.
        """
        run = self._fit_run(
            x,
            y,
            epochs,
            batch_size,
            validation_data,
            shuffle,
            seed,
            augment,
            validation_split,
            initial_epoch,
            callbacks,
            verbose=0,
        )
        return run_fit(self, run)

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
        initial_epoch : the number of the first epoch (to continue a run: epochs ``initial_epoch`` to
            ``initial_epoch + epochs - 1``).

        Notes
        -----
        ``fit`` is :meth:`fit_steps` run to its end.
        """
        if verbose not in (0, 1, 2):
            raise ValueError(f"verbose must be 0, 1 or 2. Received: verbose={verbose!r}")
        run = self._fit_run(
            x,
            y,
            epochs,
            batch_size,
            validation_data,
            shuffle,
            seed,
            augment,
            validation_split,
            initial_epoch,
            callbacks,
            verbose=verbose,
        )
        for _ in run_fit(self, run):
            pass
        return run.history

    def _fit_run(
        self,
        x: Any,
        y: Any,
        epochs: int,
        batch_size: int,
        validation_data: Any,
        shuffle: bool,
        seed: int | None,
        augment: Any,
        validation_split: float,
        initial_epoch: int,
        callbacks: list[Callback] | None,
        verbose: int,
    ) -> FitRun:
        """Check every argument of a run and prepare its arrays (see :meth:`fit`)."""
        self._require_compiled("fit")
        epochs = check_epochs(epochs)
        callbacks = check_callbacks(callbacks)
        batch_size = _positive_int(batch_size, "batch_size")
        if (
            isinstance(initial_epoch, bool)
            or not hasattr(initial_epoch, "__index__")
            or int(initial_epoch) < 0
        ):
            raise ValueError(f"initial_epoch must be an int >= 0. Received: initial_epoch={initial_epoch!r}")
        if augment is not None and not callable(getattr(augment, "apply", None)):
            raise TypeError(f"augment must have an apply(x_batch) method. Received: {type(augment).__name__}")
        xa = self._prepare_x(x)
        ya = self._prepare_y(y, xa.shape[0])
        require_samples(xa.shape[0], "x", "fit")
        self._check_loss(stacklevel=5)
        if not 0.0 <= float(validation_split) < 1.0:
            raise ValueError(
                f"validation_split must be in [0, 1). Received: validation_split={validation_split!r}"
            )
        if validation_split and validation_data is None:
            cut = round(xa.shape[0] * (1.0 - float(validation_split)))
            if cut in (0, xa.shape[0]):
                part = "validation" if cut else "training"
                raise ValueError(
                    f"validation_split={validation_split!r} of {xa.shape[0]} samples leaves 0 for {part}; "
                    "each part needs at least 1 (another split, more samples, or validation_split=0)"
                )
            xa, ya, validation_data = xa[:cut], ya[:cut], (xa[cut:], ya[cut:])
        val = None
        if validation_data is not None:
            if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
                raise ValueError("validation_data must be a pair (x_val, y_val)")
            xv = self._prepare_x(validation_data[0], "validation_data[0]")
            val = (xv, self._prepare_y(validation_data[1], xv.shape[0], "validation_data[1]"))
            require_samples(xv.shape[0], "validation_data", "validation after each epoch")
        return FitRun(
            x=xa,
            y=ya,
            epochs=epochs,
            batch_size=batch_size,
            validation=val,
            shuffle=bool(shuffle),
            seed=seed,
            augment=augment,
            initial_epoch=int(initial_epoch),
            callbacks=callbacks,
            verbose=verbose,
            backend=self._backend_name(),
        )

    # -- evaluate / predict ----------------------------------------------------------------------------------
    def _evaluate_arrays(
        self, session: Session, xa: np.ndarray, ya: np.ndarray, batch_size: int, bar: Any = None
    ) -> tuple[float, float]:
        total_loss = total_acc = 0.0
        for start in range(0, xa.shape[0], batch_size):
            xb, yb = xa[start : start + batch_size], ya[start : start + batch_size]
            loss, acc = self._batch(session, xb, yb, False)
            total_loss += loss * xb.shape[0]
            total_acc += acc * xb.shape[0]
            if bar is not None:
                bar.update(1)
        n = max(xa.shape[0], 1)
        return total_loss / n, total_acc / n

    def evaluate(self, x: Any, y: Any, batch_size: int = 32, verbose: int = 1) -> Any:
        """Loss and accuracy on ``(x, y)``: ``[loss, accuracy]`` (just ``loss`` when compiled without
        metrics). ``verbose=2`` prints one line, as in the lesson's ``model.evaluate(test_images, test_labels,
        verbose=2)``."""
        self._require_compiled("evaluate")
        batch_size = _positive_int(batch_size, "batch_size")
        xa = self._prepare_x(x)
        ya = self._prepare_y(y, xa.shape[0])
        require_samples(xa.shape[0], "x", "evaluate")
        steps = -(-xa.shape[0] // batch_size)
        t0 = time.perf_counter()
        bar = progress_bar(steps, "Evaluate") if verbose == 1 else None
        with hold(self, self._backend_name()) as session:
            loss, acc = self._evaluate_arrays(session, xa, ya, batch_size, bar)
        logs = {"loss": loss, **({"accuracy": acc} if self.metrics else {})}
        if bar is not None:
            bar.set_postfix_str(format_metrics(logs))
            bar.close()
        elif verbose == 2:
            print(f"{steps}/{steps} - {time.perf_counter() - t0:.0f}s - {format_metrics(logs)}", flush=True)
        return [loss, acc] if self.metrics else loss

    @_on_model_backend
    def predict(self, x: Any, batch_size: int = 32, verbose: int = 0) -> np.ndarray:
        """Model outputs for ``x`` ``(N, ...)``, computed ``batch_size`` at a time (inference mode)."""
        batch_size = _positive_int(batch_size, "batch_size")
        xa = kernel_input(self._prepare_x(x))
        plan = plan_for(self, xa.shape[1:], self._backend_name())
        out: np.ndarray | None = None
        for start in range(0, xa.shape[0], batch_size):
            yb = plan.run(xa[start : start + batch_size])
            if out is None:
                out = np.empty((xa.shape[0], *yb.shape[1:]), np.float32)
            out[start : start + yb.shape[0]] = yb
        if out is None:
            return np.empty((0, *(d or 0 for d in plan.output_shape)), np.float32)
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

    # -- inspection ------------------------------------------------------------------------------------------
    @_on_model_backend
    def activations(self, x: Any) -> list[tuple[str, np.ndarray]]:
        """Every layer's output (after its activation) for the batch ``x``: ``[(layer_name, array), ...]``.
        Layers of a nested model are named ``"base/conv2d"``. A single image (no batch axis) is accepted."""
        xa = np.asarray(x)
        shape = self.layers[0].input_shape if self.layers else None
        if shape is not None and xa.ndim == len(shape) and not (shape[-1] == 1 and xa.shape[-1] != 1):
            xa = xa[None]
        xa = kernel_input(self._prepare_x(xa))
        return plan_for(self, xa.shape[1:], self._backend_name()).run_all(xa)

    @_on_model_backend
    def gradients(self, x: Any, y: Any, loss: Any = None) -> list[LayerGradients]:
        """Gradients for one batch without changing any weight: per layer (input to output order) the gradient
        of the loss w.r.t. its output, its input and its weights. Uses the compiled loss unless ``loss`` is
        given."""
        loss_fn = losses_mod.get(loss) if loss is not None else self.loss
        if loss_fn is None:
            raise RuntimeError("gradients needs a loss: compile the model or pass loss=...")
        saved, self.loss = self.loss, loss_fn
        try:
            xa = kernel_input(self._prepare_x(x))
            ya = self._prepare_y(y, xa.shape[0])
        finally:
            self.loss = saved
        leaves = [layer for _, layer in self.iter_leaves()]
        names = [name for name, _ in self.iter_leaves()]
        to_host = leaves[0].kernels().to_host if leaves else np.asarray
        out: Any = xa
        for layer in leaves:
            out = layer.forward(out, training=False)
        _, dy = loss_fn.forward_backward(ya, to_host(out))
        dy = leaves[-1].kernels().to_device(np.ascontiguousarray(dy, dtype=np.float32)) if leaves else dy
        result = []
        for name, layer in zip(reversed(names), reversed(leaves), strict=True):
            dx = layer.backward(dy, need_dx=True)
            result.append(
                LayerGradients(
                    name,
                    np.array(to_host(dy)),
                    None if dx is None else np.array(to_host(dx)),
                    {k: np.array(to_host(g)) for k, g in layer.grads.items()},
                )
            )
            dy = dx
        return result[::-1]

    # -- files -----------------------------------------------------------------------------------------------
    def save(self, path: Any, metadata: dict[str, Any] | None = None) -> None:
        """Write weights, architecture and optimizer state to one ``.npz`` (no pickle), atomically.

        ``metadata``: a JSON-able dict stored beside them (the CLI keeps the class names and the data set
        there); read it back with :func:`engine.saving.read_metadata`. During a run that keeps the weights on
        a device, the saved weights are the device's current ones.
        """
        from engine.saving import OptimizerState, write_model_file

        model: Any = self  # a Sequential: the structure (built, weights, config) comes from the layer side
        if not model.built:
            raise ValueError(
                f"model {model.name!r} is not built yet: nothing to save (give it an input_shape)"
            )
        if self._session is not None:  # mid-run on a device: bring the optimizer's state home first
            self._session.sync_optimizer()
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
