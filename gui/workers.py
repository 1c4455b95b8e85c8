"""The one engine thread: every engine call of the Network and Training tabs runs here.

Numba's default ``workqueue`` threading layer aborts the process when two Python threads launch parallel
kernels at once (numba #8563), so the GUI owns exactly one :class:`EngineWorker` (a ``QThread``). It runs a
small command loop:

* **jobs** (:meth:`EngineWorker.submit`): any callable (feature maps, gradients, predict, save...), run in
  order, its result delivered to the GUI thread by the ``jobDone`` / ``jobFailed`` signals;
* **training** (:meth:`EngineWorker.start_training`): a generator (:func:`training_steps`, a thin adapter over
  the engine's own loop, ``model.fit_steps``) advanced by *one batch* per loop turn. Between two batches the
  loop drains its command queue, so pause / resume / stop / single step and queued jobs take effect within one
  batch. The run holds the model on its tier for its whole life (on cuda the weights stay on the device);
  jobs that run between two batches (feature maps, predictions) see the current weights.

The thread applies the engine's process tuning (:func:`engine.tune_process`) when it starts, before any
kernel. Signals are emitted from the worker thread and delivered, queued, to slots in the GUI thread: views
change only there. Payloads are plain dicts of Python numbers and small NumPy arrays (copies, never views of
live weights).
"""

from __future__ import annotations

import itertools
import math
import queue
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PySide6.QtCore import QThread, Signal

from gui import gc_guard

__all__ = ["EngineWorker", "TrainingPlan", "training_steps", "validation_report"]

#: seconds between two "probe" snapshots (first-layer filters) sent with the batch updates
PROBE_INTERVAL_S = 0.25


@dataclass
class TrainingPlan:
    """Everything a training run needs; the model must already be compiled.

    Parameters
    ----------
    model : a compiled :class:`engine.models.Sequential` (its ``fit_steps`` trains, its ``predict_proba``
        validates).
    x_train : ``(N, H, W, C)`` float32 images; y_train : ``(N,)`` integer labels.
    x_val, y_val : validation images and labels (may be empty: no validation).
    batch_size, epochs : as in ``fit``; seed : seeds the shuffling (same seed, same batches).
    augment : object with ``apply(x) -> x`` (NHWC, same shape) or None.
    max_batches : stop after this many batches (the ``--train-steps N`` screenshot), None for no limit.
    probe : callable ``model -> dict`` run in the worker at most every :data:`PROBE_INTERVAL_S` seconds and at
        each epoch end (e.g. a copy of the first layer's kernels); its result rides on the batch update.
    val_every : batches between two quick validations on ``val_subset`` images (0: only at epoch end).
    callbacks : :class:`engine.callbacks.Callback` objects handed to ``fit_steps``.
    """

    model: Any
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    batch_size: int = 32
    epochs: int = 1
    seed: int = 0
    augment: Any = None
    max_batches: int | None = None
    probe: Callable[[Any], dict] | None = None
    val_every: int = 0
    val_subset: int = 256
    class_names: list[str] = field(default_factory=list)
    callbacks: list[Any] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.batch_size < 1:
            raise ValueError(f"batch_size must be >= 1. Received: batch_size={self.batch_size}")
        if self.epochs < 1:
            raise ValueError(f"epochs must be >= 1. Received: epochs={self.epochs}")
        if len(self.x_train) == 0 or len(self.x_train) != len(self.y_train):
            raise ValueError(
                "x_train and y_train must be non-empty and of the same length. "
                f"Received: {len(self.x_train)} images and {len(self.y_train)} labels"
            )

    @property
    def steps_per_epoch(self) -> int:
        return math.ceil(len(self.x_train) / self.batch_size)

    @property
    def total_batches(self) -> int:
        total = self.steps_per_epoch * self.epochs
        return total if self.max_batches is None else min(total, self.max_batches)


def validation_report(
    model: Any, x: np.ndarray, y: np.ndarray, num_classes: int, batch_size: int = 128, n_wrong: int = 12
) -> dict[str, Any]:
    """Loss, accuracy, confusion matrix and the most confident mistakes of ``model`` on ``(x, y)``.

    Returns
    -------
    dict with ``val_loss`` (mean cross-entropy of the predicted probabilities), ``val_accuracy``,
    ``confusion`` ``(K, K)`` int (rows: true class, columns: predicted), and ``wrong``: a list of at most
    ``n_wrong`` dicts ``{"index", "true", "pred", "prob"}``, most confident mistakes first.
    """
    probs = model.predict_proba(x, batch_size=batch_size).astype(np.float64)  # (N, K)
    y = np.asarray(y, dtype=np.int64)
    pred = probs.argmax(axis=1)
    k = max(num_classes, probs.shape[1])
    confusion = np.zeros((k, k), dtype=np.int64)
    np.add.at(confusion, (y, pred), 1)
    p_true = np.clip(probs[np.arange(len(y)), y], 1e-12, 1.0)
    wrong_idx = np.flatnonzero(pred != y)
    order = wrong_idx[np.argsort(-probs[wrong_idx, pred[wrong_idx]], kind="stable")][:n_wrong]
    wrong = [
        {"index": int(i), "true": int(y[i]), "pred": int(pred[i]), "prob": float(probs[i, pred[i]])}
        for i in order
    ]
    return {
        "val_loss": float(-np.log(p_true).mean()),
        "val_accuracy": float((pred == y).mean()),
        "confusion": confusion,
        "wrong": wrong,
    }


def training_steps(plan: TrainingPlan) -> Generator[dict[str, Any], None, None]:
    """Train ``plan.model`` one batch per ``next()`` through ``model.fit_steps``; yield what the views draw.

    Yields dicts with ``kind``:

    * ``"batch"``: ``epoch``, ``batch`` (in the epoch), ``step`` (global, from 1), ``total``, ``loss`` and
      ``accuracy`` (this batch's), ``images_per_second`` (smoothed), ``eta_s``, ``steps_per_epoch``, and
      sometimes ``probe`` and quick ``val_loss``/``val_accuracy``;
    * ``"epoch"``: ``epoch``, ``step`` and the :func:`validation_report` fields;
    * ``"nan"``: the loss became NaN or infinite (``epoch``, ``batch``, ``step``, ``loss``, ``reason``); the
      generator then ends.

    Time spent outside the generator (paused) does not count in the speed or the ETA. Closing the generator
    closes the run (its callbacks end, the weights are back in the model's arrays).
    """
    model = plan.model
    has_val = len(plan.x_val) > 0
    y = np.asarray(plan.y_train)
    num_classes = len(plan.class_names) or int(max(y.max(), plan.y_val.max() if has_val else 0)) + 1
    total, ips = plan.total_batches, 0.0
    last_probe = -math.inf
    limit_at_epoch_end = False
    run = model.fit_steps(
        plan.x_train,
        y,
        epochs=plan.epochs,
        batch_size=plan.batch_size,
        shuffle=True,
        seed=plan.seed,
        augment=plan.augment,
        callbacks=list(plan.callbacks),
    )
    try:
        for event in run:
            kind = event["kind"]
            if kind == "stopped":
                if event["cause"] == "nan_loss":
                    keys = ("epoch", "batch", "step", "loss", "reason")
                    yield {"kind": "nan", **{k: event[k] for k in keys}}
                return
            if kind == "epoch":
                report = validation_report(model, plan.x_val, plan.y_val, num_classes) if has_val else {}
                report.update({"kind": "epoch", "epoch": event["epoch"], "step": event["step"]})
                if plan.probe is not None:
                    report["probe"] = plan.probe(model)
                yield report
                if limit_at_epoch_end:
                    return
                continue
            step, b = event["step"], event["batch"]
            rate = event["size"] / max(event["batch_seconds"], 1e-6)
            ips = rate if ips == 0.0 else 0.8 * ips + 0.2 * rate
            out: dict[str, Any] = {
                "kind": "batch",
                "epoch": event["epoch"],
                "batch": b,
                "step": step,
                "total": total,
                "loss": float(event["batch_loss"]),
                "accuracy": float(event["batch_accuracy"]),
                "images_per_second": ips,
                "eta_s": (total - step) * plan.batch_size / ips,
                "steps_per_epoch": plan.steps_per_epoch,
            }
            now = time.perf_counter()
            if plan.probe is not None and (now - last_probe >= PROBE_INTERVAL_S or step == total):
                out["probe"] = plan.probe(model)
                last_probe = now
            if has_val and plan.val_every and step % plan.val_every == 0 and b != plan.steps_per_epoch - 1:
                m = min(plan.val_subset, len(plan.x_val))
                quick = validation_report(model, plan.x_val[:m], plan.y_val[:m], num_classes)
                out["val_loss"], out["val_accuracy"] = quick["val_loss"], quick["val_accuracy"]
            yield out
            if step >= total:  # plan.max_batches reached: an epoch's last batch still gets its report
                if b + 1 < plan.steps_per_epoch:
                    return
                limit_at_epoch_end = True
    finally:
        run.close()


_QUIT = object()


class EngineWorker(QThread):
    """The engine thread (see the module docstring). Create one, ``start()`` it, ``shutdown()`` before exit.

    Signals
    -------
    batchDone(dict), epochDone(dict): training updates (see :func:`training_steps`).
    trainingFinished(str): ``"completed"``, ``"stopped"``, ``"limit"`` (``max_batches`` reached), ``"nan"``
        (with ``nanLoss`` emitted first) or ``"error"`` (with ``failed`` emitted first).
    stateChanged(str): ``"idle"``, ``"running"`` or ``"paused"``.
    nanLoss(dict), failed(str): a NaN loss, an exception raised by the engine during training.
    jobDone(int, object), jobFailed(int, str): the result or error of a submitted job.
    """

    batchDone = Signal(object)
    epochDone = Signal(object)
    trainingFinished = Signal(str)
    stateChanged = Signal(str)
    nanLoss = Signal(object)
    failed = Signal(str)
    jobDone = Signal(int, object)
    jobFailed = Signal(int, str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._commands: queue.Queue = queue.Queue()
        self._ids = itertools.count(1)
        self._gen: Generator[dict[str, Any], None, None] | None = None
        self._plan: TrainingPlan | None = None
        self._running = False
        self._steps_left = 0
        self._state = "idle"
        self._callbacks: dict[int, tuple[Callable | None, Callable | None]] = {}
        self.jobDone.connect(self._dispatch_done)
        self.jobFailed.connect(self._dispatch_failed)
        self.finished.connect(self._ended)

    def start(self, *args: Any) -> None:
        """Start the engine thread; from now on Python's garbage is collected in the GUI thread only
        (:mod:`gui.gc_guard`: Qt objects must never be destroyed in this thread). The thread's first act is
        the engine's process tuning (:func:`engine.tune_process`)."""
        if not self.isRunning():
            gc_guard.engine_started(self)
        super().start(*args)

    def _ended(self) -> None:
        gc_guard.engine_ended(self)

    # ----------------------------------------------------------------- called from the GUI thread
    @property
    def state(self) -> str:
        """Last state announced by ``stateChanged`` (``"idle"``, ``"running"``, ``"paused"``)."""
        return self._state

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> int:
        """Run ``fn()`` in the engine thread (after the current batch); call ``on_done(result)`` or
        ``on_error(message)`` in the GUI thread. Returns the job id used by ``jobDone``/``jobFailed``."""
        job_id = next(self._ids)
        self._callbacks[job_id] = (on_done, on_error)
        self._commands.put(("job", job_id, fn))
        return job_id

    def start_training(self, plan: TrainingPlan, paused: bool = False) -> None:
        """Begin a run (replacing any current one). With ``paused=True`` nothing runs until resume/step."""
        self._commands.put(("start", plan, paused))

    def pause(self) -> None:
        self._commands.put(("pause",))

    def resume(self) -> None:
        self._commands.put(("resume",))

    def step(self, n: int = 1) -> None:
        """Run exactly ``n`` batches of the current (paused) run, then stay paused."""
        self._commands.put(("step", int(n)))

    def stop(self) -> None:
        """End the current run after the batch in progress."""
        self._commands.put(("stop",))

    def shutdown(self, timeout_ms: int = 30000) -> bool:
        """Stop training, finish the batch in progress, end the thread. Returns True once it has ended."""
        if not self.isRunning():
            self._ended()
            return True
        self._commands.put(("stop",))
        self._commands.put((_QUIT,))
        ended = bool(self.wait(timeout_ms))
        if ended:
            self._ended()
        return ended

    def _dispatch_done(self, job_id: int, result: object) -> None:
        on_done, _ = self._callbacks.pop(job_id, (None, None))
        if on_done is not None:
            on_done(result)

    def _dispatch_failed(self, job_id: int, message: str) -> None:
        _, on_error = self._callbacks.pop(job_id, (None, None))
        if on_error is not None:
            on_error(message)

    # ----------------------------------------------------------------- the engine thread
    def run(self) -> None:
        from engine.tuning import tune_process

        tune_process()  # the allocator and BLAS settings, before the first kernel (see engine.tuning)
        while True:
            busy = self._gen is not None and (self._running or self._steps_left > 0)
            try:
                cmd = self._commands.get(block=not busy)
            except queue.Empty:
                cmd = None
            while cmd is not None:
                if cmd[0] is _QUIT:
                    self._finish("stopped")
                    return
                self._handle(cmd)
                try:
                    cmd = self._commands.get_nowait()
                except queue.Empty:
                    cmd = None
            if self._gen is not None and (self._running or self._steps_left > 0):
                self._advance()

    def _set_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            self.stateChanged.emit(state)

    def _handle(self, cmd: tuple) -> None:
        kind = cmd[0]
        if kind == "job":
            _, job_id, fn = cmd
            try:
                result = fn()
            except Exception as exc:
                self.jobFailed.emit(job_id, f"{type(exc).__name__}: {exc}")
            else:
                self.jobDone.emit(job_id, result)
        elif kind == "start":
            _, plan, paused = cmd
            if self._gen is not None:
                self._finish("stopped")
            self._plan, self._gen = plan, training_steps(plan)
            self._running, self._steps_left = not paused, 0
            self._set_state("paused" if paused else "running")
        elif self._gen is None:
            return
        elif kind == "pause":
            self._running, self._steps_left = False, 0
            self._set_state("paused")
        elif kind == "resume":
            self._running = True
            self._set_state("running")
        elif kind == "step":
            self._running = False
            self._steps_left += cmd[1]
            self._set_state("paused")
        elif kind == "stop":
            self._finish("stopped")

    def _advance(self) -> None:
        assert self._gen is not None
        if self._steps_left > 0:
            self._steps_left -= 1
        try:
            update = next(self._gen)
        except StopIteration:
            plan = self._plan
            limited = (
                plan is not None
                and plan.max_batches is not None
                and plan.max_batches < plan.steps_per_epoch * plan.epochs
            )
            self._finish("limit" if limited else "completed")
            return
        except Exception as exc:
            self.failed.emit(f"{type(exc).__name__}: {exc}")
            self._finish("error")
            return
        kind = update["kind"]
        if kind == "batch":
            self.batchDone.emit(update)
        elif kind == "epoch":
            self.epochDone.emit(update)
        elif kind == "nan":
            self.nanLoss.emit(update)
            self._finish("nan")

    def _finish(self, reason: str) -> None:
        if self._gen is None:
            return
        self._gen.close()
        self._gen, self._plan = None, None
        self._running, self._steps_left = False, 0
        self._set_state("idle")
        self.trainingFinished.emit(reason)
