"""Shared helpers for the scripts in ``bench/``: timing, the machine's sgemm roofline, optional PyTorch,
tables.

Timings are medians of several runs after warm-up (the first call compiles Numba kernels and warms caches).
Nothing here is imported by the engine.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

THREAD_VARS = ("NUMBA_NUM_THREADS", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def threads_from_argv(argv: Sequence[str]) -> int | None:
    """Honour ``--threads N`` before NumPy, Numba or PyTorch load: cap every thread pool (Numba, OpenBLAS,
    OpenMP/PyTorch) to ``N`` through the environment, which child processes inherit. Returns N or None.

    On a machine shared with other busy processes, one thread per side gives stable, comparable figures:
    with two threads every parallel region waits for whichever core another process holds.
    """
    for k, arg in enumerate(argv):
        value = (
            arg.split("=", 1)[1]
            if arg.startswith("--threads=")
            else (argv[k + 1] if arg == "--threads" and k + 1 < len(argv) else None)
        )
        if value is not None:
            n = int(value)
            if n < 1:
                raise SystemExit(f"--threads must be >= 1. Received: --threads={value}")
            for var in THREAD_VARS:
                os.environ[var] = str(n)
            return n
    return None


def tune_engine() -> dict[str, bool]:
    """Apply the engine's process tuning (allocator, BLAS spin, thread-count shortcut; see engine.tuning) the
    way the app does, before anything is timed. PyTorch peers never call it: their processes stay
    untouched."""
    from engine import tune_process

    return tune_process()


def thread_count() -> int:
    """Threads each side may use: ``--threads`` if given, else every core this process may run on."""
    env = os.environ.get("OMP_NUM_THREADS")
    return int(env) if env else len(os.sched_getaffinity(0))


def time_stats(
    fn: Callable[[], Any], repeats: int = 7, warmup: int = 2, min_total_s: float = 0.0
) -> tuple[float, float]:
    """``(median, best)`` wall time of ``fn()`` in seconds over ``repeats`` runs, after ``warmup`` untimed
    runs.

    With ``min_total_s`` the number of runs grows (up to 50) until their total reaches it, so very short
    calls are not dominated by timer noise. The best run shows what the code does on an idle machine; the
    median is the figure to quote.
    """
    for _ in range(warmup):
        fn()
    times: list[float] = []
    start = time.perf_counter()
    while len(times) < repeats or (time.perf_counter() - start < min_total_s and len(times) < 50):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times)


def per_call_time(fn: Callable[[], Any], calls: int = 50, samples: int = 15, warmup_s: float = 0.3) -> float:
    """Median over ``samples`` of the mean time of ``calls`` back-to-back ``fn()`` calls, in seconds, after
    ``warmup_s`` seconds of untimed calls.

    For sub-millisecond calls (a one-image forward pass): timing each call alone measures the timer and the
    first-call effects as much as the call; a group of calls per sample and a median over samples gives a
    figure that repeats within a few percent on a quiet machine.
    """
    end = time.perf_counter() + warmup_s
    while time.perf_counter() < end:
        fn()
    means = []
    for _ in range(samples):
        t0 = time.perf_counter()
        for _ in range(calls):
            fn()
        means.append((time.perf_counter() - t0) / calls)
    return statistics.median(means)


def median_time(fn: Callable[[], Any], repeats: int = 7, warmup: int = 2, min_total_s: float = 0.0) -> float:
    """Median wall time of ``fn()`` in seconds (see :func:`time_stats`)."""
    return time_stats(fn, repeats, warmup, min_total_s)[0]


def load_average() -> str:
    """The 1-minute load average (other processes competing for the cores make every timing noisier)."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:  # pragma: no cover - not on every platform
        return "n/a"


def run_peer(script: str, args: Sequence[str], timeout_s: float = 900.0) -> dict[str, Any] | None:
    """Run ``script --peer ARGS`` in a fresh interpreter and return the JSON dict it prints last.

    PyTorch is timed in its own process so that its OpenMP threads (which spin between ops) never share a
    process with Numba's and BLAS's pools: each side is measured the way a user would run it.
    """
    cmd = [sys.executable, script, "--peer", *args]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired:
        print(f"peer {Path(script).name} timed out after {timeout_s:.0f} s")
        return None
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if done.returncode != 0 or not lines:
        print(f"peer {Path(script).name} failed (rc={done.returncode}): {done.stderr.strip()[-500:]}")
        return None
    return json.loads(lines[-1])


def sgemm_gflops(n: int = 2048, repeats: int = 5) -> float:
    """GFLOP/s of a large float32 ``n x n`` matrix product through NumPy's BLAS: the roofline of the
    machine."""
    import numpy as np

    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, n)).astype(np.float32)
    b = rng.standard_normal((n, n)).astype(np.float32)
    t = median_time(lambda: a @ b, repeats=repeats, warmup=1)
    return 2.0 * n**3 / t / 1e9


def torch_installed() -> bool:
    """Whether PyTorch can be imported (checked without importing it)."""
    import importlib.util

    return importlib.util.find_spec("torch") is not None


def try_torch() -> ModuleType | None:
    """PyTorch if it is installed (a benchmark peer only, never an engine dependency), else None."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(os.cpu_count() or 1)
    return torch


def cpu_model() -> str:
    """The processor's model name (``/proc/cpuinfo``; the platform's answer elsewhere)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    import platform

    return platform.processor() or platform.machine()


#: the vector extensions worth naming, in the order printed (x86 flags, then Arm features)
VECTOR_FLAGS = (
    "sse4_2",
    "avx",
    "avx2",
    "fma",
    "avx512f",
    "avx512bw",
    "avx512vl",
    "avx512_vnni",
    "avx512_bf16",
    "avx512_fp16",
    "avx_vnni",
    "amx_tile",
    "asimd",
    "sve",
    "sve2",
)


def vector_extensions() -> list[str]:
    """The SIMD extensions the processor reports (``flags`` / ``Features`` of ``/proc/cpuinfo``), among
    :data:`VECTOR_FLAGS`; empty where that file is not there."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return []
    have: set[str] = set()
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("flags", "Features"):
            have.update(value.split())
            break
    return [f for f in VECTOR_FLAGS if f in have]


def machine_line() -> str:
    """One line describing the machine: processor, cores, Numba threads, versions, load."""
    import numba
    import numpy as np

    parts = [
        f"cpu={cpu_model()!r}",
        f"cores={os.cpu_count()}",
        f"simd={','.join(vector_extensions()) or 'unknown'}",
        f"numba={numba.__version__} threads={numba.get_num_threads()}",
        f"numpy={np.__version__}",
        f"load average={load_average()}",
    ]
    return "  ".join(parts)


def fmt(value: float | None, spec: str = ".2f", missing: str = "-") -> str:
    """Format a number for a table cell, ``missing`` when it is None."""
    return missing if value is None else format(value, spec)


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]], title: str | None = None) -> None:
    """Print an aligned plain-text (also valid Markdown) table."""
    widths = [max(len(h), *(len(r[k]) for r in rows)) if rows else len(h) for k, h in enumerate(headers)]
    if title:
        print(f"\n{title}")
    print("| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=False)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print("| " + " | ".join(c.rjust(w) for c, w in zip(r, widths, strict=False)) + " |")
