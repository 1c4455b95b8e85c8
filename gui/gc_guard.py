"""Python's cyclic garbage collector, run only in the GUI thread while an engine thread is alive.

Why: the collector runs in whichever thread happens to allocate when a generation fills up. If that is the
engine thread (compiling a kernel allocates a lot) and the garbage holds a Qt widget (a closed dialog, a menu
kept alive by a Python reference cycle), the widget's C++ destructor runs in the engine thread: Qt forbids
that, and PySide then waits for the GIL inside the destructor while the collector holds it. A test run froze
that way (engine thread: ``gc_collect_main -> QWidget::~QWidget -> Shiboken::GilState::acquire``).

So while an engine thread runs (:func:`engine_started` / :func:`engine_ended`, called by
:class:`gui.workers.EngineWorker`), automatic collection is off and a GUI-thread timer collects instead, with
the thresholds the automatic collector uses. When the last engine thread has ended, automatic collection is
back on.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

#: milliseconds between two checks of the allocation counts
INTERVAL_MS = 500

_engines: set[int] = set()


class MainThreadCollector(QObject):
    """Collects garbage from a timer in the thread that owns ``app`` (the GUI thread)."""

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self.thresholds = gc.get_threshold()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect)
        self._timer.start(INTERVAL_MS)

    def collect(self) -> int:
        """Collect the generations whose counts passed their thresholds, as the automatic collector would
        (nothing while automatic collection is on). Returns the generation collected, or -1."""
        counts = gc.get_count()
        if gc.isenabled() or counts[0] <= self.thresholds[0]:
            return -1
        generation = 0
        if counts[1] > self.thresholds[1]:
            generation = 2 if counts[2] > self.thresholds[2] else 1
        gc.collect(generation)
        return generation


def _collector() -> MainThreadCollector | None:
    app = QCoreApplication.instance()
    if app is None:
        return None
    existing = app.findChild(MainThreadCollector)
    return existing if existing is not None else MainThreadCollector(app)


def engine_started(worker: QObject) -> None:
    """Call in the GUI thread just before ``worker`` (a ``QThread``) starts: collection moves there."""
    if _collector() is None:
        return  # no event loop to collect from: leave the automatic collector alone
    _engines.add(id(worker))
    gc.disable()


def engine_ended(worker: QObject) -> None:
    """Call in the GUI thread once ``worker`` has finished (idempotent)."""
    _engines.discard(id(worker))
    if not _engines:
        gc.enable()
