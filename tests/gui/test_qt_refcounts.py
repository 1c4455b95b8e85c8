"""The PySide6 guard: pyproject.toml excludes PySide6 6.12.0, which on CPython 3.11 drops a reference to None
on every void C++ method call and one to True on every Signal.emit (a few minutes of animation would free None
and abort the interpreter). These tests check that the installed PySide6 keeps the counts steady, so the pin
can be lifted once upstream is fixed. They count in chunks and stop at the first drifting chunk: None starts
with thousands of references, so a chunk's loss shows long before it could be freed."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel

CALLS, CHUNK, TOLERANCE = 20_000, 1_000, 200


def test_void_qt_calls_keep_the_none_refcount(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    label.setText("warm up")
    before = sys.getrefcount(None)
    for done in range(CHUNK, CALLS + 1, CHUNK):
        for _ in range(CHUNK):
            label.setText("x")  # a void C++ method: the call the broken release leaks None on
        drift = sys.getrefcount(None) - before
        assert abs(drift) < TOLERANCE, f"None's reference count moved by {drift} after {done} setText calls"


class _Emitter(QObject):
    fired = Signal(object)


def test_signal_emits_keep_the_true_refcount(qtbot):
    emitter, received = _Emitter(), [0]

    def count(value: object) -> None:
        received[0] += value is True  # an int: holds no reference to True

    emitter.fired.connect(count)
    emitter.fired.emit(True)
    before = sys.getrefcount(True)
    for done in range(CHUNK, CALLS + 1, CHUNK):
        for _ in range(CHUNK):
            emitter.fired.emit(True)
        drift = sys.getrefcount(True) - before
        assert abs(drift) < TOLERANCE, f"True's reference count moved by {drift} after {done} emits"
    assert received[0] == CALLS + 1
