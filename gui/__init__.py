"""ConvScope's desktop app (PySide6 + pyqtgraph): views and workers over :mod:`engine`, never the reverse.

Start it with ``convscope`` or ``python -m gui``; :func:`gui.app.main` is the entry point.
"""

from __future__ import annotations

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Run the app (see :func:`gui.app.main`)."""
    from gui.app import main as _main

    return _main(argv)
