"""Hyper-parameter sweeps on Dask: one trial per task, on this machine or on a cluster, results that survive.

::

    from engine import sweep
    rows = sweep.run({"lr": [0.001, 0.01], "kernel_size": [3, 5, 7]}, "shapes", epochs=2, results="sweep.csv")
    best = max(rows, key=lambda r: r["val_accuracy"] or 0)

Without ``client`` a sweep starts an embedded Dask ``LocalCluster`` (:func:`local_client`: one worker process
per core, one thread each, Numba and BLAS pinned to one thread) and closes it at the end; with ``client`` (a
``distributed.Client``, or a scheduler address ``"tcp://HOST:8786"``) it runs on that cluster as it is.

Each finished trial becomes one row of the results CSV at once (:mod:`engine.sweep_results`), and its trained
model a ``.npz`` file beside it; running the same sweep again skips the trials already done (resume after
Ctrl-C or a crash). A trial that raises is recorded as failed and the sweep goes on; when the worker running a
trial dies, the scheduler gives the trial to another worker (Dask's ``allowed-failures``, 3 by default), and
``retries`` re-runs a task that failed outside the trial's own code.

A program with a user interface drives a :class:`Sweep` step by step: ``for event in sweep.run(): ...``
(each event holds a :class:`SweepProgress`; run it in a worker thread) and ``sweep.cancel()`` from any thread.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from engine.sweep_results import ResultsFile, typed_row
from engine.sweep_space import PARAMS, DataSpec, Trial, plan
from engine.sweep_trial import THREAD_ENV, check_data, load_data, run_trial

__all__ = ["PARAMS", "DataSpec", "Sweep", "SweepEvent", "SweepProgress", "local_client", "run"]

#: seconds between two progress events while nothing else happens
TICK = 0.5


def local_client(n_workers: int | None = None, verbose: bool = False) -> Any:
    """A ``distributed.Client`` on a new ``LocalCluster`` made for trials: ``n_workers`` processes (default:
    one per core) of one thread each, started with :data:`engine.sweep_trial.THREAD_ENV` so that Numba and
    BLAS use one thread in each. Logs are silenced unless ``verbose``. The scheduler's web server (Dask's
    dashboard when Bokeh is installed, ``client.dashboard_link``) listens on a free port of 127.0.0.1.

    Close both with ``client.close(); client.cluster.close()``.

    Dask's nanny writes its workers' environment (``MALLOC_TRIM_THRESHOLD_``, ``OMP_NUM_THREADS=1``...) into
    this process's ``os.environ`` to hand it to them; it is put back as it was once the workers have started,
    so the caller's later subprocesses (and :func:`engine.tuning.tune_process` in them) do not inherit it.
    """
    from distributed import Client, LocalCluster

    n = (os.cpu_count() or 1) if n_workers is None else int(n_workers)
    if n < 1:
        raise ValueError(f"n_workers must be >= 1. Received: n_workers={n_workers!r}")
    environ = dict(os.environ)
    try:
        return Client(_local_cluster(LocalCluster, n, verbose))
    finally:
        for key in [k for k in os.environ if k not in environ]:
            del os.environ[key]
        os.environ.update(environ)


def _local_cluster(cluster_class: Any, n: int, verbose: bool) -> Any:
    return cluster_class(
        n_workers=n,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
        silence_logs=logging.WARNING if verbose else logging.CRITICAL,
        env=dict(THREAD_ENV),
        preload=["engine.sweep_trial"],  # its dask_setup: Ctrl-C is for the process that owns the cluster
    )


def _has_bokeh() -> bool:
    import importlib.util

    return importlib.util.find_spec("bokeh") is not None


@dataclass(frozen=True)
class SweepProgress:
    """Where a sweep stands. ``total`` counts every trial, ``skipped`` those done in an earlier run."""

    total: int
    skipped: int = 0
    done: int = 0
    failed: int = 0
    running: int = 0
    elapsed: float = 0.0
    eta: float | None = None
    cancelled: bool = False

    @property
    def remaining(self) -> int:
        """Trials not finished yet (running or waiting)."""
        return self.total - self.skipped - self.done - self.failed

    def line(self) -> str:
        """One line for a terminal: ``trials 5/12 done, 2 running, 1 failed, 3 resumed, ETA 1:05``."""
        finished = self.skipped + self.done + self.failed
        parts = [f"trials {finished}/{self.total} done", f"{self.running} running", f"{self.failed} failed"]
        if self.skipped:
            parts.append(f"{self.skipped} resumed")
        if self.cancelled:
            return ", ".join(parts) + f", elapsed {_clock(self.elapsed)}, cancelled"
        eta = "--:--" if self.eta is None else _clock(self.eta)
        return ", ".join(parts) + f", elapsed {_clock(self.elapsed)}, ETA {eta}"


def _clock(seconds: float) -> str:
    s = round(seconds)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


@dataclass(frozen=True)
class SweepEvent:
    """One step of :meth:`Sweep.run`.

    ``kind`` is ``"connected"`` (the cluster is ready; ``info`` holds ``dashboard`` and ``workers``),
    ``"started"`` (``trial`` began on ``info["worker"]``), ``"epoch"`` (``info`` holds ``epoch``, ``loss``,
    ``accuracy``, ``val_loss``, ``val_accuracy``), ``"finished"`` (``row`` is the trial's typed results row)
    or ``"progress"`` (every :data:`TICK` seconds and after each change).
    """

    kind: str
    progress: SweepProgress
    trial: Trial | None = None
    row: dict[str, Any] | None = None
    info: dict[str, Any] = field(default_factory=dict)


class Sweep:
    """A sweep of trials: plan it, run it (a generator of :class:`SweepEvent`), cancel it from any thread.

    Parameters
    ----------
    space : ``{name: values}`` over the names of :data:`PARAMS` (``lr``, ``optimizer``, ``batch_size``,
        ``conv_layers``, ``filters``, ``kernel_size``, ``dense_units``, ``augment``, ``pooling``, ``head``);
        values are a list, one value, text as on the command line (``"3,5,7"``) or a range
        (``"0.0001..0.1"``, random search only). Parameters left out keep their defaults.
    dataset : a :class:`DataSpec`, or a spec string (``shapes``, ``digits``, a folder...).
    epochs : epochs per trial.
    seeds : each point is trained once per seed (weights, shuffling, augmentation).
    results : the CSV file; its models go to ``<stem>_models/`` beside it.
    n_random : train ``n_random`` random points of the space instead of the whole grid.
    random_seed : seeds the choice of random points (the same seed gives the same points: resume works).
    client : None (an embedded cluster of ``workers`` processes, closed at the end), a scheduler address
        ``"tcp://HOST:PORT"`` (connected to, then left running), or a ``distributed.Client`` (used as is).
    workers : processes of the embedded cluster (default: one per core, and never more than trials to run).
    retries : Dask retries of a task that fails outside the trial's own code.
    verbose : let Dask log (silenced otherwise).
    """

    def __init__(
        self,
        space: Mapping[str, Any],
        dataset: str | DataSpec,
        epochs: int,
        *,
        results: str | os.PathLike,
        seeds: Sequence[int] = (0,),
        n_random: int | None = None,
        random_seed: int = 0,
        client: Any = None,
        workers: int | None = None,
        retries: int = 2,
        verbose: bool = False,
    ) -> None:
        self.data = dataset if isinstance(dataset, DataSpec) else DataSpec(str(dataset))
        check_data(self.data)
        self.epochs = int(epochs)
        self.trials: list[Trial] = plan(space, self.data, epochs, seeds, n_random, random_seed)
        self.results = ResultsFile(results)
        finished = self.results.finished_keys()
        self.todo: list[Trial] = [t for t in self.trials if t.key not in finished]
        if workers is not None and (isinstance(workers, bool) or int(workers) < 1):
            raise ValueError(f"workers must be >= 1. Received: workers={workers!r}")
        self.client_spec = client
        self.workers = workers
        self.retries = int(retries)
        self.verbose = verbose
        self.dashboard_link: str | None = None
        self._cancel = threading.Event()
        self._lock = threading.Lock()
        self._done = self._failed = 0
        self._running: set[str] = set()
        self._started_at: float | None = None
        self._ran = False

    # -- state -----------------------------------------------------------------------------------------------
    @property
    def skipped(self) -> int:
        """Trials of this sweep already done in an earlier run."""
        return len(self.trials) - len(self.todo)

    def progress(self) -> SweepProgress:
        """Where the sweep stands now (thread-safe)."""
        with self._lock:
            elapsed = 0.0 if self._started_at is None else time.monotonic() - self._started_at
            finished = self._done + self._failed
            left = len(self.todo) - finished
            eta = elapsed / finished * left if finished else None
            return SweepProgress(
                len(self.trials),
                self.skipped,
                self._done,
                self._failed,
                len(self._running),
                elapsed,
                eta,
                self._cancel.is_set(),
            )

    def rows(self) -> list[dict[str, Any]]:
        """The typed results rows of this sweep's trials (earlier runs included), in plan order."""
        by_key = {row["key"]: row for row in self.results.rows}
        return [typed_row(by_key[t.key]) for t in self.trials if t.key in by_key]

    def cancel(self) -> None:
        """Stop the sweep (from any thread): trials not started are dropped, finished rows stay. :meth:`run`
        stops waiting within :data:`TICK` seconds, then closes an embedded cluster, which ends its running
        trials (a few seconds); on a cluster it did not start, running trials finish and are not recorded."""
        self._cancel.set()

    # -- running ---------------------------------------------------------------------------------------------
    def _connect(self) -> tuple[Any, bool]:
        """``(client, owned)``: the client to use, and whether this sweep must close it (and its cluster)."""
        from distributed import Client

        if self.client_spec is None:
            n = min(self.workers or os.cpu_count() or 1, max(len(self.todo), 1))
            return local_client(n, self.verbose), True
        if isinstance(self.client_spec, str):
            if not self.verbose:
                logging.getLogger("distributed").setLevel(logging.ERROR)
            try:
                client = Client(self.client_spec, timeout=10)
            except OSError as exc:
                raise ConnectionError(
                    f"no Dask scheduler answered at {self.client_spec!r} ({exc}); start one with "
                    "'dask scheduler' and give its address"
                ) from None
            return client, True
        return self.client_spec, False

    def _check_workers(self, client: Any) -> int:
        """The number of worker threads; raises when none is there or a worker lacks this ConvScope."""
        from engine import __version__

        try:
            client.wait_for_workers(1, timeout=60)
        except TimeoutError:
            raise ConnectionError(
                f"no Dask worker joined the scheduler {client.scheduler.address} within 60 s: start some "
                f"with 'dask worker {client.scheduler.address} --nthreads 1'"
            ) from None
        try:
            versions = client.run(_engine_version)
        except ImportError as exc:  # a worker cannot even unpickle a function of this module
            raise RuntimeError(
                f"a worker cannot import ConvScope ({exc}): install ConvScope on every worker (see the "
                "README, 'Sweeps on one machine or a cluster')"
            ) from None
        wrong = {w: v for w, v in versions.items() if v != f"ConvScope {__version__}"}
        if wrong:
            worker, version = next(iter(wrong.items()))
            raise RuntimeError(
                f"worker {worker} has {version} instead of ConvScope {__version__}: install the same "
                "ConvScope on every worker (see the README, 'Sweeps on one machine or a cluster')"
            )
        return sum(client.nthreads().values())

    def run(self) -> Iterator[SweepEvent]:
        """Run the trials not done yet; yields :class:`SweepEvent` as things happen (see its ``kind``).

        Each finished trial is in the results file before its ``"finished"`` event is yielded. Closing the
        generator early (``break``, an exception, Ctrl-C) cancels the trials not finished and closes an
        embedded cluster; a sweep runs once.
        """
        if self._ran:
            raise RuntimeError("a Sweep runs once: make a new one to run it again (it resumes)")
        self._ran = True
        with self._lock:
            self._started_at = time.monotonic()
        if not self.todo or self._cancel.is_set():
            yield SweepEvent("progress", self.progress())
            return
        arrays = None if self.data.builtin else load_data(self.data)  # read here: errors before any cluster
        client, owned = self._connect()
        events: queue.Queue[tuple[str, Any]] = queue.Queue()
        topic = f"convscope-sweep-{uuid.uuid4().hex[:12]}"
        futures: dict[Any, Trial] = {}
        try:
            threads = self._check_workers(client)
            link = client.dashboard_link if client.run_on_scheduler(_has_bokeh) else None
            self.dashboard_link = link
            yield SweepEvent("connected", self.progress(), info={"dashboard": link, "workers": threads})
            client.subscribe_topic(topic, lambda event: events.put(("event", event[1])))
            data_arg = None  # the built-in data is made on each worker; other data is sent there once
            if arrays is not None:
                data_arg = client.scatter([arrays], broadcast=True, hash=False)[0]
            for trial in self.todo:
                future = client.submit(
                    run_trial, trial, self.data, self.epochs, data_arg, topic,
                    key=f"convscope-trial-{trial.key}-{topic[-12:]}", pure=False, retries=self.retries,
                )  # fmt: skip
                futures[future] = trial
                future.add_done_callback(lambda f: events.put(("done", f)))
            pending = set(futures)
            last_tick = 0.0
            while pending and not self._cancel.is_set():
                try:
                    kind, payload = events.get(timeout=TICK)
                except queue.Empty:
                    kind, payload = "tick", None
                if kind == "event":
                    yield from self._trial_event(payload, futures)
                elif kind == "done" and payload in pending:
                    pending.discard(payload)
                    yield self._finish(futures[payload], _outcome(payload))
                if time.monotonic() - last_tick >= TICK or kind == "done":
                    last_tick = time.monotonic()
                    yield SweepEvent("progress", self.progress())
            if self._cancel.is_set():
                with self._lock:
                    self._running.clear()  # abandoned: an embedded cluster ends them as it closes
                yield SweepEvent("progress", self.progress())
        finally:
            left = [f for f in futures if not f.done()]
            if left:
                client.cancel(left)
            if futures:
                client.unsubscribe_topic(topic)
            if owned:
                _close(client)

    def _trial_event(self, message: Mapping[str, Any], futures: Mapping[Any, Trial]) -> Iterator[SweepEvent]:
        trial = next((t for t in futures.values() if t.key == message.get("key")), None)
        if trial is None:
            return
        with self._lock:
            if message.get("event") == "started":
                self._running.add(trial.key)
        info = {k: v for k, v in message.items() if k not in ("event", "key")}
        yield SweepEvent(str(message.get("event")), self.progress(), trial=trial, info=info)

    def _finish(self, trial: Trial, outcome: Mapping[str, Any]) -> SweepEvent:
        row = self.results.add(trial, self.data, self.epochs, outcome)
        with self._lock:
            self._running.discard(trial.key)
            if row["status"] == "ok":
                self._done += 1
            else:
                self._failed += 1
        return SweepEvent("finished", self.progress(), trial=trial, row=typed_row(row))


def _engine_version() -> str:
    try:
        from engine import __version__

        return f"ConvScope {__version__}"
    except ImportError:
        return "no ConvScope"


def _outcome(future: Any) -> dict[str, Any]:
    """What a finished task gave: its trial's outcome, or a failed one saying why the task itself failed.
    Ctrl-C while the result comes back is the learner's, not the trial's: it stops the sweep."""
    try:
        return dict(future.result(timeout=60))
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as exc:  # the task's own error, or Dask's (cancelled futures are BaseException)
        name = type(exc).__name__
        text = " ".join(str(exc).split()) or name
        if name == "KilledWorker":
            text = f"KilledWorker: the workers running this trial died again and again ({text})"
        elif "No module named 'engine'" in text:
            text = f"{text}: install ConvScope on every worker"
        elif not text.startswith(name):
            text = f"{name}: {text}"
        return {"status": "failed", "error": text, "model_bytes": None}


def _close(client: Any) -> None:
    cluster = getattr(client, "cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()


def run(
    space: Mapping[str, Any],
    dataset: str | DataSpec,
    epochs: int,
    seeds: Sequence[int] = (0,),
    client: Any = None,
    *,
    results: str | os.PathLike,
    on_event: Callable[[SweepEvent], Any] | None = None,
    **options: Any,
) -> list[dict[str, Any]]:
    """Run a sweep to its end and return its typed results rows (see :class:`Sweep` for the arguments;
    ``options``: ``n_random``, ``random_seed``, ``workers``, ``retries``, ``verbose``). ``on_event`` is
    called with each :class:`SweepEvent`."""
    sweep = Sweep(space, dataset, epochs, results=results, seeds=seeds, client=client, **options)
    for event in sweep.run():
        if on_event is not None:
            on_event(event)
    return sweep.rows()
