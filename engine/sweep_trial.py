"""One trial of a sweep, as a Dask worker runs it: build the network, train it, return what it learned.

:func:`run_trial` is the task :mod:`engine.sweep` submits; it needs ConvScope installed on the worker (the
same version as the client) and writes no file there: the trained model comes back as the bytes of its
``.npz`` file, which the client writes next to its results. It never raises for a bad trial (a network too
deep for the images, data it cannot read...): the outcome then says ``status="failed"`` and why, and the
sweep goes on. A learning rate so high that the loss becomes NaN is a result, not a failure: training stops,
the weights it kept are evaluated and ``error`` says why it stopped.

Threads: a trial uses one core. Workers started by :func:`engine.sweep.local_client` get
``NUMBA_NUM_THREADS=1`` and one BLAS thread (``OMP_NUM_THREADS``, ``OPENBLAS_NUM_THREADS``,
``MKL_NUM_THREADS``) before anything imports Numba or NumPy; on any worker the trial also calls
``numba.set_num_threads(1)`` and runs one trial at a time per process (a lock), because Numba's default
threading layer must not run parallel kernels from two threads at once.
"""

from __future__ import annotations

import functools
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

from engine.sweep_space import DataSpec, Trial

__all__ = ["THREAD_ENV", "DataArrays", "check_data", "dask_setup", "load_data", "run_trial"]

#: the environment a worker process needs before it imports NumPy or Numba: one thread per trial
THREAD_ENV = {
    "NUMBA_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}

#: ``(x_train, y_train, x_test, y_test, class_names)``: images ``(N, H, W, C)`` uint8, labels ``(N,)``
DataArrays = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, tuple[str, ...]]

_ONE_AT_A_TIME = threading.Lock()


def check_data(spec: DataSpec) -> None:
    """Refuse, without reading any image, what :func:`load_data` would refuse: a size for the digits, a
    non-square or too small size for the shapes, a folder that does not exist.

    Raises
    ------
    ValueError
        Saying what was received and what is allowed.
    """
    from engine.datasets import DATASET_SPEC_HELP

    name = spec.name.strip()
    if name.lower() == "shapes" and spec.size is not None:
        height, width = spec.size
        if height != width or height < 8:
            raise ValueError(
                f"the shapes are square, at least 8x8: give one side >= 8 for their size. "
                f"Received: {width}x{height}"
            )
    elif name.lower() == "digits" and spec.size is not None and spec.size != (28, 28):
        raise ValueError(
            f"the digits are 28x28; a size applies to shapes and image folders. "
            f"Received: {spec.size[1]}x{spec.size[0]}"
        )
    elif not spec.builtin and ":" not in name and not Path(name).is_dir():
        raise ValueError(f"dataset {name!r} is not a folder nor one of: {DATASET_SPEC_HELP}")


def load_data(spec: DataSpec) -> DataArrays:
    """The images of ``spec`` as uint8 arrays (at most ``n_train`` / ``n_test`` of each split).

    Raises
    ------
    ValueError
        What :func:`check_data` refuses; whatever :func:`engine.datasets.load_dataset` raises for a bad spec.
    """
    from engine import datasets

    check_data(spec)
    name = spec.name.strip()
    if name.lower() == "shapes":
        side = 28 if spec.size is None else spec.size[0]
        (xtr, ytr), (xte, yte) = datasets.load_shapes(spec.n_train or 1200, spec.n_test or 300, size=side)
        return xtr, ytr, xte, yte, datasets.SHAPE_CLASSES
    ds = datasets.load_dataset(
        name,
        n_train=spec.n_train or 1200,
        n_test=spec.n_test or 300,
        target_size=spec.size,
        color_mode=spec.color_mode,
    )
    return (
        ds.x_train[: spec.n_train],
        ds.y_train[: spec.n_train],
        ds.x_test[: spec.n_test],
        ds.y_test[: spec.n_test],
        tuple(ds.class_names),
    )


@functools.lru_cache(maxsize=2)
def _cached_builtin(spec: DataSpec) -> DataArrays:
    return load_data(spec)


def dask_setup(worker: Any) -> None:
    """Dask's preload hook, run in each worker process of the embedded cluster
    (``LocalCluster(preload=["engine.sweep_trial"])``): Ctrl-C in a terminal reaches every process of the
    group, and the process that owns the cluster closes its workers in order, so they ignore it."""
    import signal

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def _worker() -> Any:
    try:
        from distributed import get_worker

        return get_worker()
    except (ImportError, ValueError):  # not inside a Dask worker (a local call)
        return None


def _emit(worker: Any, topic: str | None, message: dict[str, Any]) -> None:
    if worker is not None and topic:
        worker.log_event(topic, message)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text.splitlines()[0] if text else ''}".rstrip(": ")


def _train(trial: Trial, data: DataSpec, epochs: int, arrays: DataArrays, report: Any) -> dict[str, Any]:
    """Build, train and save one network; what :func:`run_trial` returns when nothing went wrong."""
    from engine import losses, optimizers, zoo
    from engine.augment import PRESETS, ImageAugmenter
    from engine.callbacks import Callback

    p = trial.params
    xtr, ytr, xte, yte, class_names = arrays
    x = xtr.astype(np.float32) / np.float32(255.0)  # (N, H, W, C) in [0, 1]
    xv = xte.astype(np.float32) / np.float32(255.0)
    model = zoo.generate(
        x.shape[1:],
        len(class_names),
        conv_layers=p["conv_layers"],
        filters=p["filters"],
        kernel_size=p["kernel_size"],
        dense_units=p["dense_units"],
        pooling=p["pooling"],
        head=p["head"],
        seed=trial.seed,
    )
    model.compile(
        optimizer=optimizers.OPTIMIZERS[p["optimizer"]](learning_rate=p["lr"]),
        loss=losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    augment = None if p["augment"] == "none" else ImageAugmenter(**PRESETS[p["augment"]], seed=trial.seed)

    class EpochReport(Callback):
        def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
            keys = ("loss", "accuracy", "val_loss", "val_accuracy")
            report(
                {
                    "event": "epoch",
                    "epoch": epoch + 1,
                    **{k: float(v) for k, v in (logs or {}).items() if k in keys},
                }
            )

    history = model.fit(
        x,
        ytr,
        epochs=epochs,
        batch_size=p["batch_size"],
        validation_data=(xv, yte),
        verbose=0,
        seed=trial.seed,
        augment=augment,
        callbacks=[EpochReport()],
    )
    curves = {
        k: [float(v) for v in history.history.get(k, [])]
        for k in ("loss", "accuracy", "val_loss", "val_accuracy")
    }
    if len(curves["val_accuracy"]) == epochs:
        val_loss, val_acc = curves["val_loss"][-1], curves["val_accuracy"][-1]
    else:  # stopped early (the loss became NaN): evaluate the weights it kept
        val_loss, val_acc = (float(v) for v in model.evaluate(xv, yte, batch_size=256, verbose=0))
    with tempfile.TemporaryDirectory(prefix="convscope-trial-") as tmp:
        path = Path(tmp) / f"{trial.key}.npz"
        model.save(
            path,
            metadata={
                "class_names": list(class_names),
                "dataset": data.name,
                "scale": 255,
                "color_mode": data.color_mode,
                "size": list(x.shape[1:3]),  # (H, W), as the arrays are
                "sweep": {"key": trial.key, "params": dict(p), "seed": trial.seed, "epochs": epochs},
            },
        )
        weights = path.read_bytes()
    return {
        "status": "ok",
        "error": history.stopped_reason or "",
        "history": curves,
        "val_accuracy": val_acc,
        "val_loss": val_loss,
        "params_count": int(model.count_params()),
        "model_bytes": weights,
    }


def run_trial(
    trial: Trial, data: DataSpec, epochs: int, arrays: DataArrays | None = None, topic: str | None = None
) -> dict[str, Any]:
    """Train the network of ``trial`` on ``data`` for ``epochs`` epochs; never raises for a bad trial.

    Parameters
    ----------
    trial : its parameters, seed and key.
    data : the dataset; digits and shapes are made on the worker (once per process), other data comes as
        ``arrays``.
    arrays : the images of ``data`` loaded by the client (None for the built-in data).
    topic : the Dask event topic the trial reports to (``started``, then each ``epoch``); None: silent.

    Returns
    -------
    dict
        ``key``, ``status`` (``"ok"`` or ``"failed"``), ``error`` (why it failed, or why training stopped
        early), ``history`` (``{"loss": [...], "accuracy": [...], "val_loss": [...], "val_accuracy": [...]}``,
        one value per epoch), ``val_accuracy`` and ``val_loss`` (after the last epoch), ``params_count``,
        ``seconds`` (building and training), ``worker`` (the Dask worker's address, or ``"local"``), ``pid``
        and ``model_bytes`` (the trained model's ``.npz`` file, or None when it failed).
    """
    worker = _worker()
    where = str(worker.address) if worker is not None else "local"
    base = {"key": trial.key, "worker": where, "pid": os.getpid()}

    def report(message: dict[str, Any]) -> None:
        _emit(worker, topic, {**base, **message})

    with _ONE_AT_A_TIME:
        report({"event": "started"})
        t0 = time.perf_counter()
        import numba

        threads = numba.get_num_threads()
        numba.set_num_threads(1)  # this thread's setting, put back below (a local call keeps its threads)
        try:
            got = arrays if arrays is not None else _cached_builtin(data)
            outcome = _train(trial, data, int(epochs), got, report)
        except Exception as exc:  # a failed trial is a result: record why, and let the sweep go on
            outcome = {"status": "failed", "error": _one_line(exc), "model_bytes": None}
        finally:
            numba.set_num_threads(threads)
        outcome["seconds"] = time.perf_counter() - t0
    return {**base, **outcome}
