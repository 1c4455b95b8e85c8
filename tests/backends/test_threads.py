"""The cpu tier called from several Python threads at once, on each Numba threading layer a machine may get.

Numba's ``workqueue`` layer (a machine without TBB or OpenMP) aborts the whole process when two threads enter
parallel kernels together; the tier serialises its kernel calls there
(:func:`engine.backends.cpu.threads.serialised`). Each run is a child process, since the threading layer is
chosen once per process: 4 threads call ``ops.conv2d``, ``ops.dense``, ``ops.pool2d`` and
``Sequential.predict``, and every result must equal the one computed before the threads started.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

CHILD = textwrap.dedent(
    """
    import json, sys, threading, time
    import numba, numpy as np
    from engine import layers, ops
    from engine.backends.cpu import threads
    from engine.models import Sequential

    rng = np.random.default_rng(0)
    x = rng.random((8, 20, 20, 3), dtype=np.float32)
    w = rng.standard_normal((3, 3, 3, 8)).astype(np.float32)
    v, m = rng.random((16, 300), dtype=np.float32), rng.standard_normal((300, 40)).astype(np.float32)
    model = Sequential(
        [
            layers.Conv2D(8, 3, activation="relu", input_shape=(20, 20, 3)),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(5, activation="softmax"),
        ],
        seed=0,
    )
    calls = {
        "conv2d": lambda: ops.conv2d(x, w, padding="same"),
        "dense": lambda: ops.dense(v, m),
        "pool2d": lambda: ops.pool2d(x, 2),
        "predict": lambda: model.predict(x, verbose=0),
    }
    expected = {name: fn() for name, fn in calls.items()}
    n_threads, rounds = int(sys.argv[1]), int(sys.argv[2])
    wrong, done = [], []
    start = threading.Barrier(n_threads)

    def work(i):
        names = list(calls)
        start.wait()
        for r in range(rounds):
            name = names[(i + r) % len(names)]
            if not np.array_equal(calls[name](), expected[name]):
                wrong.append(name)
            done.append(name)

    t0 = time.perf_counter()
    pool = [threading.Thread(target=work, args=(i,)) for i in range(n_threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    print(json.dumps({
        "layer": numba.threading_layer(), "serialising": threads.serialising(), "calls": len(done),
        "threads": n_threads, "wrong": wrong, "seconds": round(time.perf_counter() - t0, 3),
    }))
    """
)


def _run(layer: str | None, n_threads: int = 4, rounds: int = 60) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_THREADING_LAYER"}
    env["NUMBA_NUM_THREADS"] = "2"
    if layer is not None:
        env["NUMBA_THREADING_LAYER"] = layer
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(n_threads), str(rounds)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _report(proc: subprocess.CompletedProcess[str]) -> dict:
    assert proc.returncode == 0, f"rc {proc.returncode}: {proc.stderr[-2000:]}"  # an abort is rc -6 / 134
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_several_threads_on_the_workqueue_layer_neither_abort_nor_get_wrong_results():
    report = _report(_run("workqueue"))
    assert report["layer"] == "workqueue" and report["serialising"] is True
    assert report["calls"] == 4 * 60 and report["wrong"] == []


def test_the_default_layer_runs_threads_concurrently_with_the_same_results():
    report = _report(_run(None, rounds=30))
    # TBB or OpenMP where the machine has one (both take concurrent launches); workqueue only where it is
    # all there is, and then serialised
    assert report["serialising"] is (report["layer"] == "workqueue")
    assert report["calls"] == 4 * 30 and report["wrong"] == []
