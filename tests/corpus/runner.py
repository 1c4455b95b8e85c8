"""Child side of the corpus's API runs: execute one case's Python snippet, print one JSON line.

``python runner.py FOLDER CODE`` runs ``CODE`` with ``d`` bound to ``Path(FOLDER)`` (the case folder, also the
working directory) and prints ``{"raised": false}`` or ``{"raised": true, "type": ..., "mro": [...],
"message": ...}``. It is started through :mod:`corpus.limited`, so it runs under the memory bound.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main() -> None:
    folder, code = sys.argv[1], sys.argv[2]
    result: dict[str, object] = {"raised": False}
    try:
        exec(compile(code, "<corpus case>", "exec"), {"d": Path(folder)})
    except BaseException as exc:  # the parent judges every outcome, MemoryError and SystemExit included
        result = {
            "raised": True,
            "type": type(exc).__name__,
            "mro": [cls.__name__ for cls in type(exc).__mro__],
            "message": str(exc),
        }
    sys.stdout.flush()
    print("\n" + json.dumps(result))


if __name__ == "__main__":
    main()
