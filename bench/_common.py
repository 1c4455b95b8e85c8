"""Shared helpers for the scripts in ``bench/``: timing, the machine's sgemm roofline, optional PyTorch, tables.

Timings are medians of several runs after warm-up (the first call compiles Numba kernels and warms caches).
Nothing here is imported by the engine.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any


def median_time(fn: Callable[[], Any], repeats: int = 7, warmup: int = 2, min_total_s: float = 0.0) -> float:
    """Median wall time of ``fn()`` in seconds over ``repeats`` runs, after ``warmup`` untimed runs.

    With ``min_total_s`` the number of runs grows (up to 50) until their total reaches it, so very short
    calls are not dominated by timer noise.
    """
    for _ in range(warmup):
        fn()
    times: list[float] = []
    start = time.perf_counter()
    while len(times) < repeats or (time.perf_counter() - start < min_total_s and len(times) < 50):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def sgemm_gflops(n: int = 2048, repeats: int = 5) -> float:
    """GFLOP/s of a large float32 ``n x n`` matrix product through NumPy's BLAS: the roofline of the machine."""
    import numpy as np

    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, n)).astype(np.float32)
    b = rng.standard_normal((n, n)).astype(np.float32)
    t = median_time(lambda: a @ b, repeats=repeats, warmup=1)
    return 2.0 * n**3 / t / 1e9


def try_torch() -> ModuleType | None:
    """PyTorch if it is installed (a benchmark peer only, never an engine dependency), else None."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(os.cpu_count() or 1)
    return torch


def machine_line() -> str:
    """One line describing the machine: cores, Numba threads, BLAS, versions."""
    import numba
    import numpy as np

    torch = try_torch()
    parts = [
        f"cores={os.cpu_count()}", f"numba={numba.__version__} threads={numba.get_num_threads()}",
        f"numpy={np.__version__}",
    ]
    if torch is not None:
        parts.append(f"torch={torch.__version__} threads={torch.get_num_threads()}")
    return "  ".join(parts)


def fmt(value: float | None, spec: str = ".2f", missing: str = "-") -> str:
    """Format a number for a table cell, ``missing`` when it is None."""
    return missing if value is None else format(value, spec)


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]], title: str | None = None) -> None:
    """Print an aligned plain-text (also valid Markdown) table."""
    widths = [max(len(h), *(len(r[k]) for r in rows)) if rows else len(h) for k, h in enumerate(headers)]
    if title:
        print(f"\n{title}")
    print("| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print("| " + " | ".join(c.rjust(w) for c, w in zip(r, widths)) + " |")
