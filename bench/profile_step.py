"""Where a training step of the lesson network spends its time: each layer's forward and backward, the loss
and the optimizer, as shares of the step (batch 64, Adam, the CPU tier).

Run: ``python bench/profile_step.py [--batch 64] [--steps 30] [--threads N]``.

Every layer's ``forward``/``backward`` and the optimizer's ``apply_gradients`` are wrapped with a timer for
the run (the model is not otherwise changed); the step time is measured around ``train_on_batch``. The rest
(loss, batch preparation, Python between the calls) is reported as "other". Medians over the steps.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import load_average, machine_line, print_table, threads_from_argv, tune_engine

threads_from_argv(sys.argv)  # before NumPy/Numba load, so that --threads caps their pools

import numpy as np  # noqa: E402  (after threads_from_argv)


def _timed(fn: Callable[..., Any], sink: list[float]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        out = fn(*args, **kwargs)
        sink.append(time.perf_counter() - t0)
        return out

    return wrapper


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--threads", type=int, default=None, help="cap every thread pool to N")
    args = p.parse_args(argv)
    tune_engine()
    from engine import losses, optimizers, zoo

    model = zoo.lesson((32, 32, 3), 10, seed=0)
    opt = optimizers.Adam(learning_rate=1e-3)
    model.compile(optimizer=opt, loss=losses.SparseCategoricalCrossentropy(from_logits=True))
    rng = np.random.default_rng(0)
    x = rng.random((args.batch, 32, 32, 3), dtype=np.float32)
    y = rng.integers(0, 10, args.batch).astype(np.int64)
    for _ in range(3):  # compile and warm up before the timers go in
        model.train_on_batch(x, y)

    times: dict[str, list[float]] = defaultdict(list)
    for k, layer in enumerate(model.layers):
        label = f"{k} {type(layer).__name__}"
        layer.forward = _timed(layer.forward, times[f"{label} forward"])  # type: ignore[method-assign]
        layer.backward = _timed(layer.backward, times[f"{label} backward"])  # type: ignore[method-assign]
    opt.apply_gradients = _timed(opt.apply_gradients, times["optimizer (Adam)"])  # type: ignore[method-assign]
    steps: list[float] = []
    for _ in range(args.steps):
        t0 = time.perf_counter()
        model.train_on_batch(x, y)
        steps.append(time.perf_counter() - t0)

    step = float(np.median(steps))
    per_part = {name: float(np.median(v)) for name, v in times.items() if v}
    per_part["other (loss, Python, copies)"] = max(0.0, step - sum(per_part.values()))
    by_kind: dict[str, float] = defaultdict(float)
    for name, t in per_part.items():
        words = name.split()
        kind = f"{words[1]} {words[2]}" if words[0].isdigit() else name
        by_kind[kind] += t
    print(machine_line())
    print(
        f"step (batch {args.batch}): {step * 1e3:.2f} ms, median of {args.steps}; "
        f"{args.batch / step:.0f} images/s"
    )
    print_table(
        ["part", "ms", "share of step"],
        [[name, f"{t * 1e3:.3f}", f"{t / step:.1%}"] for name, t in per_part.items()],
        title="Per layer",
    )
    print_table(
        ["kind", "ms", "share of step"],
        [[k, f"{t * 1e3:.3f}", f"{t / step:.1%}"] for k, t in sorted(by_kind.items(), key=lambda kv: -kv[1])],
        title="Per layer kind",
    )
    print(f"\nload average at the end: {load_average()} (other processes on the cores inflate every figure)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
