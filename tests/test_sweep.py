"""engine.sweep on real Dask clusters: an embedded two-worker LocalCluster, resume, failures, a killed worker.

Tiny data (48 shapes of 8x8) and tiny networks keep each test to seconds once Numba's cache is warm; every
test runs under a hard time limit (helpers.drive) and closes its cluster, worker processes included.
"""

from __future__ import annotations

import os
import signal
import threading

import numpy as np
from sweep_helpers import TINY, TINY_NET, drive, hard_limit

import engine
from engine.sweep import Sweep, local_client
from engine.sweep_results import read_results
from engine.sweep_space import DataSpec, plan
from engine.sweep_trial import THREAD_ENV, load_data, run_trial


def _worker_threads() -> dict[str, object]:
    import numba

    return {**{k: os.environ.get(k) for k in THREAD_ENV}, "numba": numba.config.NUMBA_NUM_THREADS}


def _accuracy_of(model_path, data) -> float:
    """The validation accuracy of a saved model, recomputed here from its file and the data."""
    model = engine.load_model(model_path)
    _, _, x_val, y_val, _ = load_data(data)
    logits = model.predict(x_val.astype(np.float32) / np.float32(255.0))  # (N, classes)
    return float(np.mean(logits.argmax(axis=1) == y_val))


def test_embedded_two_worker_sweep_writes_rows_and_models_then_resumes(tmp_path):
    out = tmp_path / "sweep.csv"
    space = {"lr": [0.01, 0.05], "kernel_size": [3, 5], **TINY_NET}
    sweep = Sweep(space, TINY, 1, results=out, workers=2)
    assert len(sweep.todo) == 4 and sweep.skipped == 0
    in_file_when_announced = []

    def check(event):
        if event.kind == "finished":  # the row is on disk before the event
            in_file_when_announced.append(event.trial.key in {r["key"] for r in read_results(out)})

    events = drive(sweep, check)
    kinds = [e.kind for e in events]
    assert kinds[0] == "connected" and events[0].info["workers"] == 2
    assert kinds.count("started") >= 4 and kinds.count("epoch") >= 4 and kinds.count("finished") == 4
    assert in_file_when_announced == [True] * 4
    final = events[-1].progress
    assert (final.total, final.done, final.failed, final.running, final.remaining) == (4, 4, 0, 0, 0)

    rows = read_results(out)
    assert sorted(r["key"] for r in rows) == sorted(t.key for t in sweep.trials)
    started_on = {e.info["worker"] for e in events if e.kind == "started"}
    for row in rows:
        assert row["status"] == "ok" and row["error"] == ""
        assert row["worker"] in started_on and row["worker"].startswith("tcp://127.0.0.1:")
        assert len(row["epoch_loss"]) == len(row["epoch_val_accuracy"]) == 1 and row["seconds"] > 0
        assert row["val_accuracy"] == row["epoch_val_accuracy"][-1]
        model_file = out.parent / row["weights"]
        assert model_file.parent.name == "sweep_models" and model_file.name == f"{row['key']}.npz"
        assert engine.load_model(model_file).count_params() == row["param_count"]
        assert abs(_accuracy_of(model_file, TINY) - row["val_accuracy"]) < 1e-9
    assert {(r["lr"], r["kernel_size"]) for r in rows} == {(0.01, 3), (0.01, 5), (0.05, 3), (0.05, 5)}

    before = out.read_bytes()
    again = Sweep(space, TINY, 1, results=out, workers=2)
    assert again.todo == [] and again.skipped == 4
    events = drive(again)
    assert [e.kind for e in events] == ["progress"]  # nothing to run: no cluster is even started
    assert events[0].progress.line().startswith("trials 4/4 done, 0 running, 0 failed, 4 resumed")
    assert out.read_bytes() == before and len(again.rows()) == 4


def test_given_client_runs_pinned_trials_records_failures_and_stays_open(tmp_path):
    out = tmp_path / "sweep.csv"
    environ = dict(os.environ)
    with hard_limit(300):
        client = local_client(2)
        try:
            # Dask's nanny wrote the workers' variables (MALLOC_TRIM_THRESHOLD_, OMP_NUM_THREADS) here
            assert dict(os.environ) == environ
            pinned = client.run(_worker_threads)
            assert len(pinned) == 2
            assert all(p == {**THREAD_ENV, "numba": 1} for p in pinned.values()), pinned
            space = {**TINY_NET, "conv_layers": [1, 4]}  # 4 blocks cannot halve 8x8 images 4 times
            sweep = Sweep(space, TINY, 1, results=out, client=client)
            events = drive(sweep)
            assert events[-1].progress.done == 1 and events[-1].progress.failed == 1
            ok, failed = sorted(read_results(out), key=lambda r: r["conv_layers"])
            assert ok["status"] == "ok" and ok["weights"]
            assert failed["status"] == "failed" and failed["weights"] == "" and failed["val_accuracy"] is None
            assert failed["error"].startswith("ValueError: conv_layers=4 is too deep for 8x8 images")
            assert client.submit(sum, [1, 2]).result(timeout=30) == 3  # the sweep left the client open
            resumed = Sweep(space, TINY, 1, results=out, client=client)
            assert [t.params["conv_layers"] for t in resumed.todo] == [4]  # failed trials run again

            folder = _image_folder(tmp_path / "photos")  # read here, sent to the workers
            from_folder = Sweep(TINY_NET, DataSpec(str(folder)), 1, results=tmp_path / "f.csv", client=client)
            drive(from_folder)
            (row,) = from_folder.rows()
            assert row["status"] == "ok" and row["dataset"] == str(folder), row["error"]
            assert engine.load_model(tmp_path / row["weights"]).output_shape == (2,)

            many = Sweep(
                {**TINY_NET, "lr": [0.001 * k for k in range(1, 13)]}, TINY, 3, results=out, client=client
            )

            def cancel_from_another_thread(event):  # as a window's Stop button would
                if event.kind == "finished" and not event.progress.cancelled:
                    threading.Thread(target=many.cancel).start()

            timer = threading.Timer(120, many.cancel)
            timer.start()
            try:
                events = list(_with(many.run(), cancel_from_another_thread))
            finally:
                timer.cancel()
            final = events[-1].progress
            assert final.cancelled and final.line().endswith("cancelled") and final.running == 0
            assert 1 <= final.done < 12 and final.remaining == 12 - final.done
            assert len(many.rows()) == final.done == sum(e.kind == "finished" for e in events)
        finally:
            client.close()
            client.cluster.close()


def test_a_killed_worker_loses_no_trial(tmp_path):
    out = tmp_path / "sweep.csv"
    space = {"lr": [0.01, 0.05], "kernel_size": [3, 5], **TINY_NET}
    sweep = Sweep(space, TINY, 2, results=out, workers=2)
    killed: dict[str, object] = {}

    def kill_the_first_worker_that_starts(event):
        if event.kind == "started" and not killed:
            killed.update(event.info, key=event.trial.key)
            os.kill(int(event.info["pid"]), signal.SIGKILL)

    events = drive(sweep, kill_the_first_worker_that_starts)
    assert killed, "no trial started"
    rows = {r["key"]: r for r in read_results(out)}
    assert len(rows) == 4 and all(r["status"] == "ok" for r in rows.values())
    assert events[-1].progress.done == 4
    # the trial that was running on the killed worker was trained again, on a live worker
    assert rows[killed["key"]]["worker"] != killed["worker"]
    assert len(rows[killed["key"]]["epoch_loss"]) == 2


def test_a_trial_runs_without_dask_too():
    trial = plan({**TINY_NET, "pooling": ["stride2"], "head": ["global_max"]}, TINY, 1)[0]
    outcome = run_trial(trial, TINY, 1)
    assert outcome["status"] == "ok" and outcome["worker"] == "local" and outcome["pid"] == os.getpid()
    # 3*3*1*4 + 4 = 40; stride 2 -> 4x4x4; global max -> 4; dense 4*8 + 8 = 40; 8*6 + 6 = 54
    assert outcome["params_count"] == 134 and outcome["model_bytes"][:2] == b"PK"
    again = run_trial(trial, TINY, 1)
    assert again["history"] == outcome["history"]  # seeded: the same trial gives the same curves


def _with(events, callback):
    for event in events:
        callback(event)
        yield event


def _image_folder(root):
    """Two classes of six 8x8 grey images: bright top half or bright left half."""
    from engine.io import save_image

    rng = np.random.default_rng(0)
    for name, region in (("top", np.s_[:4, :]), ("left", np.s_[:, :4])):
        (root / name).mkdir(parents=True)
        for i in range(6):
            image = rng.uniform(0.0, 0.2, (8, 8))
            image[region] += 0.7
            save_image(root / name / f"{i}.png", image, cmap="gray")
    return root


# -- Ctrl-C at the worst moments: while a result comes back, while a row is written -------------------------
class _Future:
    def __init__(self, error: BaseException) -> None:
        self.error = error

    def result(self, timeout: float | None = None):
        raise self.error


def test_ctrl_c_while_a_result_comes_back_stops_the_sweep_instead_of_failing_the_trial():
    import pytest

    from engine.sweep import _outcome

    with pytest.raises(KeyboardInterrupt):
        _outcome(_Future(KeyboardInterrupt()))
    failed = _outcome(_Future(ValueError("bad kernel size")))  # the task's own error: the trial failed
    assert failed["status"] == "failed" and failed["error"] == "ValueError: bad kernel size"


def test_ctrl_c_during_a_rows_write_leaves_the_file_and_the_rows_as_they_were(tmp_path, monkeypatch):
    import pytest

    import engine.sweep_results as sweep_results
    from engine.sweep_results import ResultsFile

    trials = plan({**TINY_NET, "lr": [0.01, 0.02]}, TINY, 1)
    outcome = {"status": "ok", "val_accuracy": 0.5, "val_loss": 1.0, "seconds": 0.1, "worker": "w1"}
    results = ResultsFile(tmp_path / "sweep.csv")
    results.add(trials[0], TINY, 1, outcome)
    on_disk = (tmp_path / "sweep.csv").read_bytes()

    def interrupted(path, write):
        raise KeyboardInterrupt

    monkeypatch.setattr(sweep_results, "atomic_write", interrupted)
    with pytest.raises(KeyboardInterrupt):
        results.add(trials[1], TINY, 1, outcome)
    assert [r["key"] for r in results.rows] == [trials[0].key]  # not ahead of the file
    assert (tmp_path / "sweep.csv").read_bytes() == on_disk
    monkeypatch.undo()
    results.rows.append(dict(results.rows[0], key="not on disk"))
    results.reload()  # what the interrupted message counts: the file
    assert [r["key"] for r in results.rows] == [trials[0].key]
