"""``python -m gui``: start ConvScope (same options as ``convscope``)."""

from __future__ import annotations

from gui.app import main

if __name__ == "__main__":
    raise SystemExit(main())
