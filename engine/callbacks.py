"""Training callbacks: hooks the training loop calls, for logging, progress bars, early stopping and the GUI.

Logs passed to ``on_batch_end`` hold at least ``loss`` and ``accuracy`` (running means over the epoch so far),
``batch_loss`` (this batch alone), ``batch``, ``epoch``, ``size`` (images in the batch) and
``images_per_second``. Setting ``self.model.stop_training = True`` from any hook stops training after the
current batch.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from typing import Any

import numpy as np

from engine.progress import progress_bar

Logs = dict[str, Any]


class Callback:
    """Base class: override the hooks you need. ``model`` is set by ``fit`` before ``on_train_begin``."""

    def __init__(self) -> None:
        self.model: Any = None
        self.params: dict[str, Any] = {}

    def set_model(self, model: Any) -> None:
        self.model = model

    def set_params(self, params: dict[str, Any]) -> None:
        self.params = params

    def on_train_begin(self, logs: Logs | None = None) -> None: ...
    def on_train_end(self, logs: Logs | None = None) -> None: ...
    def on_epoch_begin(self, epoch: int, logs: Logs | None = None) -> None: ...
    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None: ...
    def on_batch_begin(self, batch: int, logs: Logs | None = None) -> None: ...
    def on_batch_end(self, batch: int, logs: Logs | None = None) -> None: ...


class CallbackList(Callback):
    """Calls every callback of a list in order."""

    def __init__(self, callbacks: Iterable[Callback] = ()) -> None:
        super().__init__()
        self.callbacks = list(callbacks)
        for cb in self.callbacks:
            if not isinstance(cb, Callback) and not all(
                hasattr(cb, h) for h in ("on_batch_end", "on_epoch_end")
            ):
                raise TypeError(f"callbacks must be engine.callbacks.Callback instances. Received: {cb!r}")

    def set_model(self, model: Any) -> None:
        for cb in self.callbacks:
            cb.model = model

    def set_params(self, params: dict[str, Any]) -> None:
        for cb in self.callbacks:
            cb.params = params

    def _call(self, hook: str, *args: Any) -> None:
        for cb in self.callbacks:
            fn = getattr(cb, hook, None)
            if fn is not None:
                fn(*args)

    def on_train_begin(self, logs: Logs | None = None) -> None:
        self._call("on_train_begin", logs)

    def on_train_end(self, logs: Logs | None = None) -> None:
        self._call("on_train_end", logs)

    def on_epoch_begin(self, epoch: int, logs: Logs | None = None) -> None:
        self._call("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        self._call("on_epoch_end", epoch, logs)

    def on_batch_begin(self, batch: int, logs: Logs | None = None) -> None:
        self._call("on_batch_begin", batch, logs)

    def on_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        self._call("on_batch_end", batch, logs)


class History(Callback):
    """What ``fit`` returns: ``history`` maps ``loss``, ``accuracy``, ``val_loss``, ``val_accuracy`` to one
    value per epoch; ``epoch`` lists the epochs run; ``stopped_reason`` says why training ended early (NaN
    loss, a stop request), or is None."""

    KEYS = ("loss", "accuracy", "val_loss", "val_accuracy")

    def __init__(self) -> None:
        super().__init__()
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []
        self.stopped_reason: str | None = None

    def on_train_begin(self, logs: Logs | None = None) -> None:
        self.history = {}
        self.epoch = []
        self.stopped_reason = None

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        self.epoch.append(epoch)
        for key in self.KEYS:
            if logs and key in logs:
                self.history.setdefault(key, []).append(float(logs[key]))

    def __repr__(self) -> str:
        return (
            f"<History epochs={len(self.epoch)} keys={list(self.history)} "
            f"stopped_reason={self.stopped_reason!r}>"
        )


def format_metrics(logs: Logs) -> str:
    """``"loss: 0.6931 - accuracy: 0.5000 - val_loss: ..."`` (Keras' one-line style)."""
    return " - ".join(f"{k}: {logs[k]:.4f}" for k in History.KEYS if k in logs)


class ProgbarLogger(Callback):
    """``verbose=1``: a tqdm bar per epoch on stderr with loss/accuracy; ``verbose=2``: one line per epoch."""

    def __init__(self, verbose: int = 1, stream: Any = None) -> None:
        super().__init__()
        self.verbose = int(verbose)
        self.stream = stream
        self._bar: Any = None
        self._t0 = 0.0

    def on_epoch_begin(self, epoch: int, logs: Logs | None = None) -> None:
        self._t0 = time.perf_counter()
        if self.verbose == 1:
            self._bar = progress_bar(
                self.params.get("steps"), f"Epoch {epoch + 1}/{self.params.get('epochs')}", self.stream
            )

    def on_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        if self._bar is not None and logs is not None:
            self._bar.update(1)
            self._bar.set_postfix(
                loss=f"{logs['loss']:.4f}", accuracy=f"{logs['accuracy']:.4f}", refresh=False
            )

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        logs = logs or {}
        if self._bar is not None:
            self._bar.set_postfix_str(format_metrics(logs), refresh=True)
            self._bar.close()
            self._bar = None
        elif self.verbose == 2:
            secs = time.perf_counter() - self._t0
            print(
                f"Epoch {epoch + 1}/{self.params.get('epochs')} - {secs:.0f}s - {format_metrics(logs)}",
                file=self.stream or sys.stdout,
                flush=True,
            )

    def on_train_end(self, logs: Logs | None = None) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        reason = (logs or {}).get("stopped_reason")
        if reason and self.verbose:
            print(reason, file=self.stream or sys.stderr, flush=True)


class EarlyStopping(Callback):
    """Stop when ``monitor`` (default ``val_loss``) has not improved by ``min_delta`` for ``patience`` epochs;
    with ``restore_best_weights`` put back the weights of the best epoch."""

    def __init__(
        self,
        monitor: str = "val_loss",
        min_delta: float = 0.0,
        patience: int = 0,
        mode: str = "auto",
        restore_best_weights: bool = False,
    ) -> None:
        super().__init__()
        if mode not in ("auto", "min", "max"):
            raise ValueError(f"mode must be one of ('auto', 'min', 'max'). Received: mode={mode!r}")
        if int(patience) < 0:
            raise ValueError(f"patience must be >= 0. Received: patience={patience!r}")
        self.monitor, self.min_delta, self.patience = monitor, abs(float(min_delta)), int(patience)
        self.sign = -1.0 if (mode == "max" or (mode == "auto" and "acc" in monitor)) else 1.0
        self.restore_best_weights = bool(restore_best_weights)
        self.best = np.inf
        self.wait = 0
        self.best_weights: list[np.ndarray] | None = None
        self.stopped_epoch: int | None = None

    def on_train_begin(self, logs: Logs | None = None) -> None:
        self.best, self.wait, self.best_weights, self.stopped_epoch = np.inf, 0, None, None

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        if not logs or self.monitor not in logs:
            return
        value = self.sign * float(logs[self.monitor])
        if value < self.best - self.min_delta:
            self.best, self.wait = value, 0
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            return
        self.wait += 1
        if self.wait > self.patience:
            self.stopped_epoch = epoch
            self.model.stop_training = True
            self.model.stop_reason = (
                f"early stopping at epoch {epoch + 1}: {self.monitor} has not improved "
                f"for {self.wait} epoch(s)"
            )
            if self.best_weights is not None:
                self.model.set_weights(self.best_weights)


class LambdaCallback(Callback):
    """A callback made of plain functions, e.g. ``LambdaCallback(on_batch_end=lambda batch, logs: ...)``."""

    def __init__(
        self,
        on_train_begin=None,
        on_train_end=None,
        on_epoch_begin=None,
        on_epoch_end=None,
        on_batch_begin=None,
        on_batch_end=None,
    ) -> None:
        super().__init__()
        for hook, fn in (
            ("on_train_begin", on_train_begin),
            ("on_train_end", on_train_end),
            ("on_epoch_begin", on_epoch_begin),
            ("on_epoch_end", on_epoch_end),
            ("on_batch_begin", on_batch_begin),
            ("on_batch_end", on_batch_end),
        ):
            if fn is not None:
                setattr(self, hook, fn)
