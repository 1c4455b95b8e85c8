"""``python -m gui``: what the ``convscope`` command does (the app, or a headless sub-command)."""

from __future__ import annotations

from gui.launcher import main

if __name__ == "__main__":
    raise SystemExit(main())
