"""ConvScope's desktop app (PySide6 + pyqtgraph): views and workers over :mod:`engine`, never the reverse.

Start it with ``convscope`` or ``python -m gui``; :func:`gui.app.main` is the entry point.

Importing :mod:`gui` first makes ``None``, ``True`` and ``False`` immortal on CPython < 3.12 (see
:func:`_pin_singletons`): PySide6 6.12 drops one reference to ``None`` on every call of a ``void`` C++ method
(``setText``, ``setValue``, ``update``... and ``QSignalBlocker.__exit__``) and one to ``True`` on every
``Signal.emit``. ``None`` starts with some ten thousand references, so a few minutes of animation would free it
and abort the interpreter ("Fatal Python error: none_dealloc"). CPython 3.12 made these objects immortal; this
does the same, once, for the life of the process.
"""

from __future__ import annotations

import sys

__all__ = ["main"]

#: added to the reference count of None/True/False on CPython < 3.12 (far more than any process can drop)
PIN = 1 << 40


def _pin_singletons() -> bool:
    """Make ``None``, ``True`` and ``False`` immortal on CPython < 3.12; returns whether it did."""
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return False
    import ctypes

    for obj in (None, True, False):
        # ob_refcnt is the first field of every CPython object; an extra count is harmless, a missing one fatal
        ctypes.c_ssize_t.from_address(id(obj)).value += PIN
    return True


PINNED = _pin_singletons()


def main(argv: list[str] | None = None) -> int:
    """Run the app (see :func:`gui.app.main`)."""
    from gui.app import main as _main

    return _main(argv)
