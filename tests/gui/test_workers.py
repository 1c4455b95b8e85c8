"""The engine thread: batches, epochs, pause/step/stop, jobs, NaN, and a live event loop (pytest-qt)."""

from __future__ import annotations

import time
from typing import ClassVar

import numpy as np
import pytest
from PySide6.QtCore import QTimer

from engine import layers, losses, optimizers
from engine.callbacks import Callback
from engine.models import Sequential
from gui.workers import EngineWorker, TrainingPlan, training_steps, validation_report


class Pace(Callback):
    """Counts the batches the engine has trained and waits ``delay`` seconds after each (a slower model)."""

    def __init__(self, delay: float = 0.0) -> None:
        super().__init__()
        self.delay, self.calls = delay, 0

    def on_batch_end(self, batch, logs=None):
        self.calls += 1
        time.sleep(self.delay)


def softmax_regression(lr: float = 0.5, seed: int = 0) -> Sequential:
    """The smallest real engine model for 4x4 images: Flatten then Dense(2) logits, plain SGD."""
    model = Sequential([layers.Flatten(input_shape=(4, 4, 1)), layers.Dense(2)], seed=seed)
    model.compile(optimizers.SGD(lr), losses.SparseCategoricalCrossentropy(from_logits=True), ["accuracy"])
    return model


@pytest.fixture(scope="module", autouse=True)
def compiled_kernels():
    """Compile (or load) the model's kernels here, before any engine thread exists."""
    x, y = blobs(8)
    softmax_regression().train_on_batch(x, y)


def blobs(n: int = 120, seed: int = 0):
    """Two 4x4 'images' classes: bright top half vs bright bottom half, with noise."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    x = rng.normal(0, 0.3, (n, 4, 4, 1)).astype(np.float32)
    x[y == 0, :2] += 1.0
    x[y == 1, 2:] += 1.0
    return x, y


def plan_for(model, n=120, pace: Pace | None = None, nan: bool = False, **kw) -> TrainingPlan:
    x, y = blobs(n)
    if nan:
        x[:] = np.nan  # every batch's loss is NaN
    return TrainingPlan(
        model=model,
        x_train=x[: n - 40],
        y_train=y[: n - 40],
        x_val=x[n - 40 :],
        y_val=y[n - 40 :],
        class_names=["top", "bottom"],
        callbacks=[pace] if pace is not None else [],
        **kw,
    )


@pytest.fixture
def worker(qtbot):
    w = EngineWorker()
    w.start()
    yield w
    assert w.shutdown()


def test_generator_counts_and_validation_report_matches_numpy():
    model = softmax_regression()
    plan = plan_for(model, batch_size=16, epochs=2)  # 80 images -> 5 batches per epoch
    updates = list(training_steps(plan))
    kinds = [u["kind"] for u in updates]
    assert kinds == (["batch"] * 5 + ["epoch"]) * 2
    assert [u["step"] for u in updates if u["kind"] == "batch"] == list(range(1, 11))
    assert updates[-2]["eta_s"] == 0.0
    report = updates[-1]
    kernel, bias = model.get_weights()
    z = plan.x_val.reshape(40, -1).astype(np.float64) @ kernel + bias  # the model by hand, then a softmax
    probs = np.exp(z - z.max(1, keepdims=True))
    probs /= probs.sum(1, keepdims=True)
    pred = probs.argmax(1)
    expected_cm = np.array([[np.sum((plan.y_val == t) & (pred == p)) for p in range(2)] for t in range(2)])
    np.testing.assert_array_equal(report["confusion"], expected_cm)
    assert report["val_accuracy"] == pytest.approx(np.mean(pred == plan.y_val))
    assert report["val_loss"] == pytest.approx(-np.mean(np.log(probs[np.arange(40), plan.y_val])))
    assert report["val_accuracy"] > 0.8  # well above chance (0.5) on separable blobs


def test_validation_report_lists_most_confident_mistakes_first():
    class Fixed:
        def predict_proba(self, x, batch_size=32):
            return np.array([[0.9, 0.1], [0.4, 0.6], [0.2, 0.8], [0.7, 0.3]])

    rep = validation_report(Fixed(), np.zeros((4, 1, 1, 1)), np.array([1, 0, 1, 0]), 2)
    assert [(w["index"], w["true"], w["pred"]) for w in rep["wrong"]] == [(0, 1, 0), (1, 0, 1)]
    assert rep["wrong"][0]["prob"] == pytest.approx(0.9)
    np.testing.assert_array_equal(rep["confusion"], [[1, 1], [1, 1]])


def test_training_emits_batches_then_epochs_and_completes(qtbot, worker):
    batches, epochs = [], []
    worker.batchDone.connect(batches.append)
    worker.epochDone.connect(epochs.append)
    with qtbot.waitSignal(worker.trainingFinished, timeout=10000) as blocker:
        worker.start_training(plan_for(softmax_regression(), batch_size=20, epochs=3))
    assert blocker.args == ["completed"]
    assert len(batches) == 12 and len(epochs) == 3
    assert epochs[-1]["val_accuracy"] > 0.8


def test_pause_then_single_step_runs_exactly_one_batch(qtbot, worker):
    pace = Pace()
    worker.start_training(plan_for(softmax_regression(), pace=pace, batch_size=8, epochs=5), paused=True)
    with qtbot.waitSignal(worker.batchDone, timeout=5000) as blocker:
        worker.step()
    assert blocker.args[0]["step"] == 1
    with qtbot.waitSignal(worker.batchDone, timeout=5000) as blocker:
        worker.step()
    assert blocker.args[0]["step"] == 2
    qtbot.wait(100)
    assert pace.calls == 2  # paused: nothing ran after the two steps
    with qtbot.waitSignal(worker.trainingFinished, timeout=5000):
        worker.stop()


def test_stop_halts_within_one_batch(qtbot, worker):
    pace = Pace(delay=0.02)
    seen = []
    worker.batchDone.connect(seen.append)
    worker.start_training(plan_for(softmax_regression(), pace=pace, batch_size=4, epochs=50))
    qtbot.waitUntil(lambda: len(seen) >= 3, timeout=5000)
    calls_at_stop = pace.calls
    with qtbot.waitSignal(worker.trainingFinished, timeout=5000) as blocker:
        worker.stop()
    assert blocker.args == ["stopped"]
    assert pace.calls <= calls_at_stop + 1
    qtbot.wait(100)
    assert pace.calls <= calls_at_stop + 1


def test_jobs_run_between_batches_and_report_errors(qtbot, worker):
    results, errors = [], []
    worker.start_training(plan_for(softmax_regression(), pace=Pace(0.01), batch_size=4, epochs=20))
    worker.submit(lambda: 6 * 7, results.append)
    worker.submit(lambda: 1 / 0, None, errors.append)
    qtbot.waitUntil(lambda: bool(results and errors), timeout=5000)
    assert results == [42] and "ZeroDivisionError" in errors[0]
    assert worker.state == "running"
    with qtbot.waitSignal(worker.trainingFinished, timeout=5000):
        worker.stop()


def test_nan_loss_stops_with_signal(qtbot, worker):
    nans = []
    worker.nanLoss.connect(nans.append)
    with qtbot.waitSignal(worker.trainingFinished, timeout=5000) as blocker:
        worker.start_training(plan_for(softmax_regression(), nan=True, batch_size=8))
    assert blocker.args == ["nan"] and len(nans) == 1
    nan_info = nans[0]
    assert nan_info["step"] == 1 and np.isnan(nan_info["loss"])
    assert "epoch 1, batch 1" in nan_info["reason"]


def test_max_batches_limit(qtbot, worker):
    with qtbot.waitSignal(worker.trainingFinished, timeout=5000) as blocker:
        worker.start_training(plan_for(softmax_regression(), batch_size=8, epochs=3, max_batches=4))
    assert blocker.args == ["limit"]


def test_event_loop_keeps_turning_during_training(qtbot, worker):
    gaps, last = [], [time.perf_counter()]

    def tick():
        now = time.perf_counter()
        gaps.append(1000.0 * (now - last[0]))
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    with qtbot.waitSignal(worker.trainingFinished, timeout=10000):
        worker.start_training(plan_for(softmax_regression(), pace=Pace(0.005), batch_size=4, epochs=8))
    timer.stop()
    assert len(gaps) > 10 and max(gaps[1:]) < 200


def test_thousands_of_updates_keep_the_true_refcount(qtbot, worker):
    """PySide6 6.12 loses a reference to True per emit (pyproject excludes it): a run's thousand updates must
    leave the count where it was (a drain would end in a bool_dealloc abort)."""
    import sys

    updates = []
    worker.batchDone.connect(updates.append)
    before = sys.getrefcount(True)
    with qtbot.waitSignal(worker.trainingFinished, timeout=30000):
        worker.start_training(plan_for(softmax_regression(), n=1040, batch_size=1, epochs=1))
    assert len(updates) == 1000
    assert abs(sys.getrefcount(True) - before) < 100


class _Cycle:
    """A reference cycle (only the cyclic collector frees it), noting its tag and the thread that freed it."""

    freed: ClassVar[list[tuple[str, int]]] = []

    def __init__(self, tag: str) -> None:
        self.me, self.tag = self, tag

    def __del__(self) -> None:
        import threading

        _Cycle.freed.append((self.tag, threading.get_ident()))


def test_garbage_is_collected_in_the_gui_thread_while_the_engine_thread_runs(qtbot):
    """While an engine thread lives, automatic collection is off (it could run in that thread and destroy Qt
    objects there) and the GUI-thread timer of gui.gc_guard frees cycles instead; afterwards it is back on."""
    import gc
    import threading

    from gui import gc_guard

    assert gc.isenabled()
    w = EngineWorker()
    w.start()
    try:
        assert not gc.isenabled()
        job_cycle_made = []

        def make_garbage() -> None:  # runs in the engine thread: its garbage must not be collected there
            for i in range(3 * gc.get_threshold()[0]):
                _Cycle(f"job{i}")
            job_cycle_made.append(threading.get_ident())

        w.submit(make_garbage)
        qtbot.waitUntil(lambda: bool(job_cycle_made), timeout=5000)
        engine_thread = job_cycle_made[0]
        assert engine_thread != threading.get_ident()

        def jobs_freed() -> list[int]:
            return [thread for tag, thread in _Cycle.freed if tag.startswith("job")]

        # the GUI-thread timer frees them (it may already have while the test waited for the job)
        made = 3 * gc.get_threshold()[0]
        qtbot.waitUntil(lambda: len(jobs_freed()) == made, timeout=8 * gc_guard.INTERVAL_MS)
        assert set(jobs_freed()) == {threading.get_ident()}  # never in the engine thread that made them
    finally:
        assert w.shutdown()
    assert gc.isenabled()


@pytest.mark.cuda
def test_a_gui_run_on_cuda_copies_each_weight_once_each_way(monkeypatch):
    """A GUI-style run on the cuda tier (the simulator in CI): six batches over two epochs through
    training_steps / fit_steps, with quick validations and epoch reports in between. Every weight goes to the
    device once when the run starts and comes back once when it ends, not once per batch; the result is the
    cpu tier's."""
    from engine import config
    from engine.backends import get_module
    from engine.backends.cuda import arrays as ca

    cb = get_module("cuda")
    keys = ("cuda_threads_per_block", "cuda_tile", "cuda_target_blocks")
    for key, value in zip(keys, (16, 4, 16), strict=True):
        monkeypatch.setitem(config._state, key, value)

    def make(backend: str) -> Sequential:
        model = Sequential(
            [
                layers.Conv2D(2, 3, padding="same", activation="relu", input_shape=(4, 4, 1)),
                layers.Flatten(),
                layers.Dense(2),
            ],
            seed=0,
            backend=backend,
        )
        model.compile("adam", losses.SparseCategoricalCrossentropy(from_logits=True), ["accuracy"])
        return model

    def plan(model: Sequential) -> TrainingPlan:
        x, y = blobs(32)
        return TrainingPlan(
            model=model,
            x_train=x[:24],
            y_train=y[:24],
            x_val=x[24:],
            y_val=y[24:],
            batch_size=8,
            epochs=2,
            val_every=2,
            val_subset=4,
            class_names=["top", "bottom"],
        )

    model = make("cuda")
    host_weights = [p for _, layer in model.iter_leaves() for p in layer.params.values()]
    device_weights: list = []
    copies = {"push": 0, "pull": 0}
    real_to_device, real_to_host = ca.to_device, ca.to_host

    def to_device(a):
        d = real_to_device(a)
        if any(a is w for w in host_weights):
            copies["push"] += 1
            device_weights.append(d)
        return d

    def to_host(a):
        if any(a is d for d in device_weights):
            copies["pull"] += 1
        return real_to_host(a)

    for module in (ca, cb):
        monkeypatch.setattr(module, "to_device", to_device)
        monkeypatch.setattr(module, "to_host", to_host)
    updates = list(training_steps(plan(model)))
    assert [u["kind"] for u in updates] == (["batch"] * 3 + ["epoch"]) * 2
    assert sum("val_loss" in u for u in updates if u["kind"] == "batch") == 2  # quick validations ran
    assert copies == {"push": len(host_weights), "pull": len(host_weights)} and len(host_weights) == 4
    cpu_model = make("cpu")
    cpu_updates = list(training_steps(plan(cpu_model)))
    for a, b in zip(cpu_model.get_weights(), model.get_weights(), strict=True):
        np.testing.assert_allclose(b, a, atol=1e-4, rtol=1e-4)
    for u, v in zip(cpu_updates, updates, strict=True):
        if u["kind"] == "batch":
            assert v["loss"] == pytest.approx(u["loss"], abs=1e-4)
        else:
            assert v["val_loss"] == pytest.approx(u["val_loss"], abs=1e-4)
