"""``python -m engine.cli COMMAND ...``: the headless sub-commands (no desktop app, no Qt)."""

from __future__ import annotations

import sys

from engine.cli import main

if __name__ == "__main__":
    sys.exit(main())
