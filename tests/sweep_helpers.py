"""Shared by the sweep tests: tiny data and networks, limits so that no test hangs or leaves a process."""

from __future__ import annotations

import contextlib
import faulthandler
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

from engine.sweep import Sweep, SweepEvent
from engine.sweep_space import DataSpec

#: 48 training and 24 validation shapes of 8x8 pixels
TINY = DataSpec("shapes", 48, 24, (8, 8))
#: a one-block network of a few hundred weights
TINY_NET = {"conv_layers": [1], "filters": [4], "dense_units": [8]}


@contextlib.contextmanager
def hard_limit(seconds: float) -> Iterator[None]:
    """End the whole test process with every thread's traceback if the block runs longer than ``seconds``
    (pytest-timeout is not installed); the Dask worker processes exit with their parent."""
    faulthandler.dump_traceback_later(seconds, exit=True)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()


def drive(
    sweep: Sweep, on_event: Callable[[SweepEvent], Any] | None = None, limit: float = 240
) -> list[SweepEvent]:
    """Run ``sweep`` to its end, cancelling it after ``limit`` seconds (then the test fails, saying so)."""
    timer = threading.Timer(limit, sweep.cancel)
    timer.start()
    events: list[SweepEvent] = []
    try:
        with hard_limit(limit + 90), contextlib.closing(sweep.run()) as run:
            for event in run:
                events.append(event)
                if on_event is not None:
                    on_event(event)
    finally:
        timer.cancel()
    assert events and not events[-1].progress.cancelled, f"the sweep took more than {limit} s"
    return events


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def dask_command() -> list[str]:
    """The ``dask`` command of this environment."""
    script = os.path.join(os.path.dirname(sys.executable), "dask")
    return [script] if os.path.exists(script) else [sys.executable, "-m", "dask"]


def start(args: list[str], env: dict[str, str] | None = None, log: Any = None) -> subprocess.Popen:
    """A process in its own process group (so that :func:`stop` ends its children too)."""
    return subprocess.Popen(
        args,
        env={**os.environ, **(env or {})},
        stdout=log or subprocess.DEVNULL,
        stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(processes: list[subprocess.Popen]) -> None:
    """SIGTERM each process group, then SIGKILL what is left after 15 s; waits for every process."""
    for p in processes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(p.pid, signal.SIGTERM)
    for p in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            p.wait(timeout=15)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(p.pid, signal.SIGKILL)  # the group: a worker process left by its nanny too
        p.wait(timeout=15)
