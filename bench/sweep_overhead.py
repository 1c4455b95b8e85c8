"""What the embedded Dask cluster costs a one-trial sweep: the same trial trained in-process and as a sweep.

Each run is a fresh Python process (so both pay the imports and Numba's cache loading once), timed by this
script from start to exit; the two kinds alternate, and the medians are printed with each run's phases. The
trial is the default network of ``engine.zoo.generate`` on the procedural shapes (1200 + 300 images of 28x28),
one epoch: the plain run builds, compiles and fits it in the process (Numba's default threads: every
core), the sweep run is a :class:`engine.sweep.Sweep` with its defaults (an embedded ``LocalCluster``: one
worker process for one trial, one thread, closed at the end; the trial also saves the model).

    python bench/sweep_overhead.py [--repeats 3] [--epochs 1] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import load_average, machine_line

PLAIN = """
import json, sys, time
t0 = time.perf_counter()
import numpy as np
from engine import datasets, losses, optimizers, zoo
(x, y), (xv, yv) = datasets.load_shapes(1200, 300)
x, xv = x.astype(np.float32) / 255, xv.astype(np.float32) / 255
t1 = time.perf_counter()
model = zoo.generate(x.shape[1:], 6, seed=0)
model.compile(optimizers.Adam(0.001), losses.SparseCategoricalCrossentropy(from_logits=True), ["accuracy"])
history = model.fit(x, y, epochs=EPOCHS, batch_size=32, validation_data=(xv, yv), verbose=0, seed=0)
t2 = time.perf_counter()
accuracy = history.history["val_accuracy"][-1]
print(json.dumps({"imports and data": t1 - t0, "fit": t2 - t1, "val_accuracy": accuracy}))
"""

SWEEP = """
import json, sys, time
t0 = time.perf_counter()
from engine.sweep import Sweep
from engine.sweep_space import DataSpec
if __name__ == "__main__":
    sweep = Sweep({}, DataSpec("shapes"), EPOCHS, results=sys.argv[1])
    t1 = time.perf_counter()
    marks = {}
    for event in sweep.run():
        marks.setdefault(event.kind, time.perf_counter())
    t2 = time.perf_counter()
    row = sweep.rows()[0]
    assert row["status"] == "ok", row["error"]
    print(json.dumps({
        "imports": t1 - t0,
        "cluster start": marks["connected"] - t1,
        "until trial started": marks["started"] - marks["connected"],
        "trial (worker's own clock)": row["seconds"],
        "until results": marks["finished"] - marks["connected"],
        "close": t2 - marks["finished"],
        "val_accuracy": row["val_accuracy"],
    }))
"""


def _run(code: str, epochs: int, *args: str) -> tuple[float, dict]:
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code.replace("EPOCHS", str(epochs)), *args],
        capture_output=True,
        text=True,
        timeout=900,
    )
    wall = time.perf_counter() - t0
    if done.returncode:
        raise SystemExit(done.stderr[-2000:])
    return wall, json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    _run(PLAIN, args.epochs)  # warms Numba's cache, not timed
    plain, sweep = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeats):
            plain.append(_run(PLAIN, args.epochs))
            sweep.append(_run(SWEEP, args.epochs, os.path.join(tmp, f"sweep{i}.csv")))
    p = statistics.median(w for w, _ in plain)
    s = statistics.median(w for w, _ in sweep)
    result = {
        "plain_s": [round(w, 2) for w, _ in plain],
        "sweep_s": [round(w, 2) for w, _ in sweep],
        "overhead_s": round(s - p, 2),
        "plain_phases": plain[-1][1],
        "sweep_phases": sweep[-1][1],
        "load_average": load_average(),
    }
    if args.json:
        print(json.dumps(result))
        return
    print(machine_line())
    print(f"one trial, {args.epochs} epoch(s), a fresh process per run, {args.repeats} runs each")
    print(f"  plain fit            : median {p:6.2f} s  runs {result['plain_s']}")
    print(f"  sweep, embedded Dask : median {s:6.2f} s  runs {result['sweep_s']}")
    print(f"  overhead             : {s - p:+.2f} s")
    print("  phases of the last sweep run: " + ", ".join(
        f"{k} {v:.2f}" for k, v in sweep[-1][1].items() if k != "val_accuracy"))  # fmt: skip
    print("  phases of the last plain run: " + ", ".join(
        f"{k} {v:.2f}" for k, v in plain[-1][1].items() if k != "val_accuracy"))  # fmt: skip


if __name__ == "__main__":
    main()
