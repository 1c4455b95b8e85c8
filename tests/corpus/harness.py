"""Run corpus cases in child processes under a memory bound, and judge what came back.

Shared by ``tests/test_corpus.py`` and ``tests/corpus/report.py``. Each run happens in a fresh child process,
started through :mod:`corpus.limited` with ``RLIMIT_AS`` = :data:`MEMORY_BOUND`, in the case's own folder
(its working directory, so a payload that creates a file creates it where the check looks).

The memory bound
----------------
Measured on the development machine (Linux, CPython 3.11, NumPy 2.4, Numba 0.68, 2 Numba threads),
``VmPeak`` of the process:

* ``import numpy, numba``: 0.32 GiB
* ``python -m engine.cli convolve`` / ``predict`` (kernels from Numba's cache): 0.60 GiB
* ``python -m engine.cli train --dataset shapes --limit 40 --epochs 1``: 0.70 GiB

Virtual size grows with the thread count (each thread: an 8 MiB stack and a glibc malloc arena of up to
64 MiB reserved), so the children run with :data:`CHILD_ENV` (2 Numba threads, 1 BLAS/OpenMP thread, 2 malloc
arenas), which makes the figures above independent of the machine's core count. :data:`MEMORY_BOUND` is
2 GiB: about three times the largest legitimate peak, so imports and real work succeed, while the
allocations the issue found (33.5 GiB for ``filters: 1e9``, 17.9 GiB for a 20000x20000 input, a 3.6 G-pixel
resize) and any allocation over ~1.3 GiB fail with ``MemoryError``, which the judges below report.
``tests/test_corpus.py`` checks both sides of that calibration.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from corpus.cases import Case

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
MEMORY_BOUND = 2 << 30
TIMEOUT_S = 180.0
CHILD_ENV = {
    "NUMBA_NUM_THREADS": "2",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "MALLOC_ARENA_MAX": "2",
    "CONVSCOPE_BACKEND": "cpu",
    "CONVSCOPE_DEBUG": "0",
    "PYTHONDONTWRITEBYTECODE": "1",  # no __pycache__ appears in the case folder
}


def cli_argv(args: Sequence[str]) -> list[str]:
    """How the ``convscope`` command is started, as arguments to ``python`` (the one place that says so)."""
    return ["-m", "engine.cli", *args]


@dataclass
class Outcome:
    """What one run of a case (API or CLI) did."""

    side: str
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    changed: list[str] = field(default_factory=list)
    raised: dict | None = None  # API runs: {"type", "mro", "message"} of the exception, if any


def snapshot(folder: Path) -> dict[str, str]:
    """Every entry under ``folder`` (relative path -> content hash, "dir", or the link's target)."""
    state: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        rel = str(path.relative_to(folder))
        if path.is_symlink():
            state[rel] = "link -> " + os.readlink(path)
        elif path.is_dir():
            state[rel] = "dir"
        else:
            state[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return state


def _changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    added = [f"new: {p}" for p in after if p not in before]
    removed = [f"removed: {p}" for p in before if p not in after]
    modified = [f"changed: {p}" for p in before if p in after and before[p] != after[p]]
    return added + removed + modified


def _run(argv: list[str], folder: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    env = {**os.environ, **CHILD_ENV}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), str(REPO / "tests"), env.get("PYTHONPATH", "")])
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(HERE / "limited.py"), str(MEMORY_BOUND), *argv],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
    )
    return proc, time.perf_counter() - start


def fill(text: str, folder: Path) -> str:
    return text.replace("{d}", str(folder))


def run_api(case: Case, folder: Path) -> Outcome:
    assert case.api is not None
    before = snapshot(folder)
    proc, seconds = _run([str(HERE / "runner.py"), str(folder), case.api], folder)
    out = Outcome(
        "api", proc.returncode, proc.stdout, proc.stderr, seconds, _changes(before, snapshot(folder))
    )
    last = proc.stdout.strip().splitlines()[-1:] if proc.stdout.strip() else []
    if last and last[0].startswith("{"):
        result = json.loads(last[0])
        out.raised = result if result.get("raised") else None
    else:
        out.returncode = out.returncode or -999  # no verdict printed: the child died
    return out


def run_cli(case: Case, folder: Path) -> Outcome:
    assert case.cli is not None
    before = snapshot(folder)
    proc, seconds = _run(cli_argv([fill(a, folder) for a in case.cli]), folder)
    return Outcome(
        "cli", proc.returncode, proc.stdout, proc.stderr, seconds, _changes(before, snapshot(folder))
    )


# ---------------------------------------------------------------------------------------------- judges


def _common(out: Outcome) -> list[str]:
    problems = []
    if out.returncode < 0:
        problems.append(f"crash: the process died (return code {out.returncode})")
    if out.changed:
        problems.append(f"files changed: {out.changed}")
    text = out.stdout + out.stderr + (out.raised or {}).get("message", "")
    if "Traceback" in text:
        problems.append("a traceback was printed")
    if "MemoryError" in text or (out.raised or {}).get("type") == "MemoryError":
        problems.append(f"an allocation went beyond the {MEMORY_BOUND >> 30} GiB bound (MemoryError)")
    if "allow_pickle" in text:
        problems.append("numpy's allow_pickle advice was shown")
    return problems


def judge_api(case: Case, out: Outcome) -> list[str]:
    """Problems with an API run (empty: a clear error of the expected type, nothing else)."""
    problems = _common(out)
    if out.returncode > 0:
        problems.append(f"the runner failed (return code {out.returncode}): {out.stderr[-2000:]}")
    if out.raised is None:
        if out.returncode == 0:
            problems.append(f"no error: the call returned normally (expected {case.error})")
        return problems
    if case.error not in out.raised["mro"]:
        problems.append(f"raised {out.raised['type']}, expected {case.error}: {out.raised['message'][:500]}")
    message = out.raised["message"]
    missing = [f for f in case.fragments if f not in message]
    if missing:
        problems.append(f"the message lacks {missing}: {message[:500]!r}")
    return problems


def judge_cli(case: Case, out: Outcome, folder: Path) -> list[str]:
    """Problems with a CLI run (empty: a one-line error, non-zero exit, no traceback, nothing changed)."""
    problems = _common(out)
    if out.returncode == 0:
        problems.append("exit status 0 for bad input")
    if "convscope: error:" not in out.stderr:
        problems.append(f"no 'convscope: error:' line on stderr: {out.stderr[-800:]!r}")
    fragments = case.cli_fragments if case.cli_fragments is not None else case.fragments
    missing = [f for f in fragments if fill(f, folder) not in out.stderr]
    if missing:
        problems.append(f"stderr lacks {missing}: {out.stderr[-800:]!r}")
    present = [a for a in case.cli_absent if a in out.stdout + out.stderr]
    if present:
        problems.append(f"the output shows {present} (work that should not have started)")
    return problems
