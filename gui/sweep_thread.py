"""The thread that drives a hyper-parameter sweep for the app's Sweep page.

A sweep lasts minutes, so it cannot run in the one engine thread (:mod:`gui.workers`), which the other tabs
need all along. It needs no Numba either: :meth:`engine.sweep.Sweep.run` only talks to Dask (the trials run
in worker processes), so a thread of its own is safe. :class:`SweepThread` advances that generator and
re-emits each event; the signals are delivered, queued, to slots in the GUI thread, so views change only
there and the event loop never waits for the cluster.
"""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from gui.models.sweep_setup import SetupError, probe_scheduler

__all__ = ["SweepThread"]


class SweepThread(QThread):
    """Run ``sweep`` (an :class:`engine.sweep.Sweep` made in the GUI thread) until it ends or is cancelled.

    Parameters
    ----------
    sweep : the sweep to run (its constructor has already checked the space, the data and the results file).
    address : the scheduler's address the sweep connects to, checked first with
        :func:`gui.models.sweep_setup.probe_scheduler` so that an unreachable one is reported at once; None
        for the embedded cluster.

    Signals
    -------
    sweepEvent(object): each :class:`engine.sweep.SweepEvent`, in order.
    failed(str, str, object): the sweep could not go on: a code (``"unreachable"``, ``"error"``), the
        English message, and the values it names (a dict).
    """

    sweepEvent = Signal(object)
    failed = Signal(str, str, object)

    def __init__(self, sweep: Any, address: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.sweep = sweep
        self.address = address
        self.cancelled = False

    def cancel(self) -> None:
        """Ask the sweep to stop (any thread): trials not started are dropped; an embedded cluster is then
        closed, which takes a few seconds; the thread ends after that."""
        self.cancelled = True
        self.sweep.cancel()

    def run(self) -> None:
        try:
            if self.address is not None:
                probe_scheduler(self.address)
            if self.cancelled:
                return
            with contextlib.closing(self.sweep.run()) as events:
                for event in events:
                    self.sweepEvent.emit(event)
        except SetupError as exc:
            self.failed.emit(exc.code, str(exc), dict(exc.values))
        except Exception as exc:  # a cluster error is the learner's to read, never a traceback
            text = " ".join(str(exc).split()) or type(exc).__name__
            self.failed.emit("error", f"{type(exc).__name__}: {text}", {"detail": text})
