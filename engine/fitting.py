"""The training loop, once: a generator that trains one batch per ``next()`` (``Sequential.fit_steps``).

:meth:`engine.models.Sequential.fit` runs it to its end; the GUI's engine thread advances it one batch at a
time between commands (pause, single step, stop: ``close()``). What it yields is described in
:meth:`engine.training.TrainingMixin.fit_steps`; the callbacks see exactly what they saw when ``fit`` had a
loop of its own (same hooks, same logs, same :class:`engine.callbacks.History`).

The whole run holds the model on its tier (:func:`engine.session.hold`), so a tier that keeps weights on a
device (cuda) copies them over once, when the first batch starts, and back once, when the run ends or is
closed.
"""

from __future__ import annotations

import time
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine.callbacks import Callback, CallbackList, History, ProgbarLogger
from engine.session import hold

__all__ = ["FitRun", "run_fit"]


@dataclass
class FitRun:
    """One run's checked arguments and prepared arrays (made by ``TrainingMixin._fit_run``)."""

    x: np.ndarray  # (N, H, W, C) float32
    y: np.ndarray  # prepared targets, (N, ...)
    epochs: int
    batch_size: int
    validation: tuple[np.ndarray, np.ndarray] | None
    shuffle: bool
    seed: int | None
    augment: Any
    initial_epoch: int
    callbacks: list[Callback]
    verbose: int
    backend: str
    history: History = field(default_factory=History)


class _BusyClock:
    """Seconds spent inside the generator: the time between a ``yield`` and the next ``next()`` is left
    out."""

    def __init__(self) -> None:
        self._before = 0.0
        self._since: float | None = time.perf_counter()

    def pause(self) -> None:
        if self._since is not None:
            self._before += time.perf_counter() - self._since
            self._since = None

    def resume(self) -> None:
        self._since = time.perf_counter()

    def elapsed(self) -> float:
        return self._before + (0.0 if self._since is None else time.perf_counter() - self._since)


def _nan_reason(model: Any, loss: float, epoch: int, batch: int) -> str:
    lr = getattr(model.optimizer, "learning_rate", float("nan"))
    return (
        f"Training stopped: the loss became {loss} at epoch {epoch + 1}, batch {batch + 1}. "
        "The weights were not updated with it. Try a lower learning rate "
        f"(now {lr:g}) or check the inputs for NaN/inf values."
    )


def run_fit(model: Any, run: FitRun) -> Generator[dict[str, Any], None, None]:
    """Train ``model`` as ``run`` says, one batch per ``next()`` (see the module docstring)."""
    n, bs = run.x.shape[0], run.batch_size
    steps = -(-n // bs)
    history = run.history
    cbs = CallbackList([history, *run.callbacks, *([ProgbarLogger(run.verbose)] if run.verbose else [])])
    cbs.set_model(model)
    cbs.set_params(
        {
            "epochs": run.initial_epoch + run.epochs,
            "steps": steps,
            "batch_size": bs,
            "samples": n,
            "verbose": run.verbose,
        }
    )
    rng = np.random.default_rng(run.seed)
    if run.seed is not None:
        model.reseed(np.random.default_rng([int(run.seed), 1]))
    model.history = history
    model.stop_training = False
    model.stop_reason = None
    buf = np.empty((min(bs, n), *run.x.shape[1:]), np.float32)  # the batch, gathered in place
    clock = _BusyClock()
    epoch, b, step = run.initial_epoch, 0, 0
    closed = finished = False
    last_epoch = run.initial_epoch + run.epochs - 1
    cbs.on_train_begin({})
    try:
        with hold(model, run.backend) as session:
            for epoch in range(run.initial_epoch, run.initial_epoch + run.epochs):
                order = rng.permutation(n) if run.shuffle else np.arange(n)
                cbs.on_epoch_begin(epoch, {})
                epoch_start = clock.elapsed()
                total_loss = total_acc = 0.0
                seen = 0
                nan_loss: float | None = None
                for b in range(steps):
                    t0 = clock.elapsed()
                    idx = order[b * bs : (b + 1) * bs]
                    xb = np.take(run.x, idx, axis=0, out=buf[: idx.size])  # (B, H, W, C)
                    if run.augment is not None:
                        xb = np.ascontiguousarray(run.augment.apply(xb), dtype=np.float32)
                    loss, acc = model._batch(session, xb, run.y[idx], True)
                    step += 1
                    seen += idx.size
                    total_loss += loss * idx.size
                    total_acc += acc * idx.size
                    t1 = clock.elapsed()
                    logs: dict[str, Any] = {
                        "batch": b,
                        "epoch": epoch,
                        "size": int(idx.size),
                        "loss": total_loss / seen,
                        "accuracy": total_acc / seen,
                        "batch_loss": loss,
                        "images_per_second": seen / max(t1 - epoch_start, 1e-9),
                    }
                    if not np.isfinite(loss):
                        nan_loss = loss
                        model.stop_training = True
                        model.stop_reason = _nan_reason(model, loss, epoch, b)
                        logs["stopped_reason"] = model.stop_reason
                    cbs.on_batch_end(b, logs)
                    if nan_loss is not None:
                        break
                    event = {
                        "kind": "batch",
                        **logs,
                        "step": step,
                        "steps": steps,
                        "batch_accuracy": acc,
                        "batch_seconds": t1 - t0,
                    }
                    clock.pause()
                    yield event
                    clock.resume()
                    if model.stop_training:
                        break
                elapsed = clock.elapsed() - epoch_start
                epoch_logs: dict[str, Any] = {
                    "loss": total_loss / max(seen, 1),
                    "epoch": epoch,
                    "seconds": elapsed,
                    "images_per_second": seen / max(elapsed, 1e-9),
                }
                if model.metrics:
                    epoch_logs["accuracy"] = total_acc / max(seen, 1)
                if run.validation is not None and nan_loss is None:
                    vl, va = model._evaluate_arrays(session, run.validation[0], run.validation[1], bs)
                    epoch_logs["val_loss"] = vl
                    if model.metrics:
                        epoch_logs["val_accuracy"] = va
                cbs.on_epoch_end(epoch, epoch_logs)
                if nan_loss is not None:
                    clock.pause()
                    yield _stopped(model, "nan_loss", epoch, b, step, nan_loss)
                    break
                finished = epoch == last_epoch and not model.stop_training
                clock.pause()
                yield {"kind": "epoch", **epoch_logs, "step": step}
                clock.resume()
                if model.stop_training:
                    if model.stop_reason is None:
                        model.stop_reason = f"Training stopped on request at epoch {epoch + 1}."
                    clock.pause()
                    yield _stopped(model, "request", epoch, b, step, epoch_logs["loss"])
                    break
    except GeneratorExit:
        closed = True
        raise
    finally:
        if closed and not finished and model.stop_reason is None:
            model.stop_reason = f"Training stopped on request at epoch {epoch + 1}, batch {b + 1}."
        history.stopped_reason = model.stop_reason
        cbs.on_train_end({"stopped_reason": model.stop_reason})


def _stopped(model: Any, cause: str, epoch: int, batch: int, step: int, loss: float) -> dict[str, Any]:
    return {
        "kind": "stopped",
        "cause": cause,
        "reason": model.stop_reason,
        "epoch": epoch,
        "batch": batch,
        "step": step,
        "loss": loss,
    }
