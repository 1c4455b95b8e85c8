"""Run a Python command line under an address-space limit: ``python limited.py BYTES ARGS...``.

Sets ``RLIMIT_AS`` to ``BYTES`` and replaces itself (``os.execv``) with ``python ARGS...``; the limit survives
the exec, so the command runs exactly as it would from a shell, only unable to map more than ``BYTES``.
An allocation beyond the bound then fails with ``MemoryError`` instead of succeeding on an overcommitting
system, which is what the corpus asserts never happens.
"""

from __future__ import annotations

import os
import resource
import sys


def main() -> None:
    limit = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    os.execv(sys.executable, [sys.executable, *sys.argv[2:]])


if __name__ == "__main__":
    main()
