"""ConvScope's desktop app (PySide6 + pyqtgraph): views and workers over :mod:`engine`, never the reverse.

Start it with ``convscope`` or ``python -m gui``; :func:`gui.app.main` is the entry point.

PySide6 6.12.0 on CPython 3.11 drops one reference to ``None`` on every call of a ``void`` C++ method (and one
to ``True`` on every ``Signal.emit``): a few minutes of animation would free ``None`` and abort the
interpreter. ``pyproject.toml`` excludes that release (``PySide6-Essentials<6.12``), and
``tests/gui/test_qt_refcounts.py`` checks that the installed one keeps the counts steady, so the pin can be
lifted once upstream is fixed.
"""

from __future__ import annotations

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Run the app (see :func:`gui.app.main`)."""
    from gui.app import main as _main

    return _main(argv)
